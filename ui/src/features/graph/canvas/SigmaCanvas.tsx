// The WebGL canvas: a graphology graph kept in line with the model, drawn by sigma, laid out by
// ForceAtlas2 in a worker. Sigma drives the rendering (it redraws when the graph or the camera
// changes); selection is applied by reducers, so selecting redraws without touching the graph.
import { toBlob } from "@sigma/export-image";
import Graph from "graphology";
import { useEffect, useImperativeHandle, useRef } from "react";
import Sigma from "sigma";
import { LayoutRunner } from "../layout/LayoutRunner";
import { publishProbe, type GraphProbe } from "./benchProbe";
import { syncGraph } from "./syncGraph";
import type { GraphCanvasProps, Selection } from "./types";

const SELECTED_COLOR = "#1b2230";

interface Engine {
  graph: Graph;
  sigma: Sigma;
  runner: LayoutRunner;
  probe: GraphProbe;
  unpublish: () => void;
}

export default function SigmaCanvas({ model, selection, focus, onSelect, onExpand, ref }: GraphCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const engine = useRef<Engine | null>(null);
  // Sigma's handlers and reducers are bound once; they read the latest props from here.
  const latest = useRef({ onSelect, onExpand, selection });
  latest.current = { onSelect, onExpand, selection };

  useEffect(() => {
    const graph = new Graph({ type: "directed", multi: true, allowSelfLoops: true });
    const sigma = new Sigma(graph, container.current!, {
      allowInvalidContainer: true,
      defaultEdgeType: "arrow",
      enableEdgeEvents: true,
      zIndex: true,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 7,
      labelFont: "system-ui, sans-serif",
      labelSize: 12,
      nodeReducer: (key, attrs) => {
        const s: Selection | null = latest.current.selection;
        if (s?.kind !== "node" || s.key !== key) return attrs;
        return { ...attrs, highlighted: true, size: (attrs.size as number) * 1.4, zIndex: 10 };
      },
      edgeReducer: (key, attrs) => {
        const s: Selection | null = latest.current.selection;
        if (s?.kind !== "edge" || s.key !== key) return attrs;
        return { ...attrs, color: SELECTED_COLOR, size: Math.max(3, attrs.size as number), zIndex: 10 };
      },
    });
    const { probe, unpublish } = publishProbe(graph, sigma);
    const runner = new LayoutRunner(graph, (status) => {
      probe.layoutIterations = status.iterations;
      probe.settledBy = status.settledBy;
      probe.layoutSettledMs = status.settledMs;
    });
    sigma.on("clickNode", ({ node }) => latest.current.onSelect({ kind: "node", key: node }));
    sigma.on("clickEdge", ({ edge }) => latest.current.onSelect({ kind: "edge", key: edge }));
    sigma.on("clickStage", () => latest.current.onSelect(null));
    sigma.on("doubleClickNode", (event) => {
      // A double-click zooms in by default; on a node it expands it instead.
      event.preventSigmaDefault();
      latest.current.onExpand(event.node);
    });
    engine.current = { graph, sigma, runner, probe, unpublish };
    // Sigma sizes itself when it renders, and only watches the window: a container shown again
    // (the table view left) or resized by the layout asks for a frame.
    const resized = new ResizeObserver(() => sigma.scheduleRefresh());
    resized.observe(container.current!);
    return () => {
      resized.disconnect();
      runner.kill();
      unpublish();
      sigma.kill();
      engine.current = null;
    };
  }, []);

  useEffect(() => {
    const e = engine.current;
    if (!e) return;
    const { structural } = syncGraph(e.graph, model);
    e.probe.nodes = e.graph.order;
    e.probe.edges = e.graph.size;
    tuneForSize(e.sigma, e.graph.size);
    // An empty canvas starts the next graph framed whole.
    if (e.graph.order === 0) e.sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    if (structural) {
      e.probe.layoutSettledMs = null;
      e.runner.start(model.lastMerge?.arrivedAt ?? performance.now());
    }
  }, [model]);

  useEffect(() => {
    engine.current?.sigma.refresh({ skipIndexation: true });
  }, [selection]);

  useEffect(() => {
    const e = engine.current;
    if (!e || !focus || !e.graph.hasNode(focus.key)) return;
    const at = e.sigma.getNodeDisplayData(focus.key);
    // Pans only: the zoom stays the user's.
    if (at) void e.sigma.getCamera().animate({ x: at.x, y: at.y }, { duration: 400 });
  }, [focus]);

  useImperativeHandle(
    ref,
    () => ({
      toPng: () => {
        const e = engine.current;
        if (!e) return Promise.reject(new Error("the canvas is not ready"));
        return toBlob(e.sigma, { format: "png", backgroundColor: "#ffffff" });
      },
    }),
    [],
  );

  return <div ref={container} className="graph-sigma" data-testid="graph-sigma" />;
}

/**
 * Large views trade what costs a pass per frame for smooth panning: relationship picking (a
 * second render of every relationship for hover and click), z-ordering, and relationships and
 * labels while the camera moves (sigma's own large-graph settings).
 */
export const LARGE_VIEW_EDGES = 2_000;

function tuneForSize(sigma: Sigma, edges: number) {
  const large = edges > LARGE_VIEW_EDGES;
  if (sigma.getSetting("hideEdgesOnMove") === large) return;
  sigma.setSetting("enableEdgeEvents", !large);
  sigma.setSetting("zIndex", !large);
  sigma.setSetting("hideEdgesOnMove", large);
  sigma.setSetting("hideLabelsOnMove", large);
}
