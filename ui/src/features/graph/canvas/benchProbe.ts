// What benchmarks and E2E tests read of the canvas, on `window.__storelensGraph`: they cannot
// read WebGL pixels, and should not have to. Only the sigma canvas writes it.
import type Graph from "graphology";
import type Sigma from "sigma";
import type { SettledBy } from "../layout/settle";

export interface DrawnGraph {
  nodes: { key: string; id: string | null; label: string; foreign: boolean; onPath: boolean }[];
  edges: { key: string; type: string; source: string; target: string; breach: boolean; onPath: boolean }[];
}

export interface GraphProbe {
  /** Nodes and relationships drawn. */
  nodes: number;
  edges: number;
  /**
   * From the last answer's arrival to the layout settling, in ms; null while it runs. Settled:
   * mean node displacement per iteration below 0.2 % of the layout's spread for 3 iterations in
   * a row, or 500 iterations run (`settledBy` says which).
   */
  layoutSettledMs: number | null;
  settledBy: SettledBy | null;
  layoutIterations: number;
  /** How long sigma's last frame took to render, in ms. */
  lastRenderMs: number | null;
  /** Frames sigma rendered since the canvas opened. */
  frames: number;
  /** The sigma instance (its camera and its `afterRender` event), for benchmarks. */
  sigma: Sigma | null;
  /** What is drawn, node by node and relationship by relationship. */
  drawn(): DrawnGraph;
}

declare global {
  interface Window {
    __storelensGraph?: GraphProbe;
  }
}

function drawnOf(graph: Graph): DrawnGraph {
  return {
    nodes: graph.mapNodes((key, a) => ({
      key,
      id: (a.entityId as string | null) ?? null,
      label: String(a.label ?? ""),
      foreign: Boolean(a.foreign),
      onPath: Boolean(a.onPath),
    })),
    edges: graph.mapEdges((key, a, source, target) => ({
      key,
      type: String(a.relType ?? ""),
      source,
      target,
      breach: Boolean(a.breach),
      onPath: Boolean(a.onPath),
    })),
  };
}

/** Publishes the probe of `graph` drawn by `sigma`; the returned function takes it down. */
export function publishProbe(graph: Graph, sigma: Sigma): { probe: GraphProbe; unpublish: () => void } {
  const probe: GraphProbe = {
    nodes: graph.order,
    edges: graph.size,
    layoutSettledMs: null,
    settledBy: null,
    layoutIterations: 0,
    lastRenderMs: null,
    frames: 0,
    sigma,
    drawn: () => drawnOf(graph),
  };
  let frameStart = 0;
  const before = () => {
    frameStart = performance.now();
  };
  const after = () => {
    probe.lastRenderMs = performance.now() - frameStart;
    probe.frames++;
    probe.nodes = graph.order;
    probe.edges = graph.size;
  };
  sigma.on("beforeRender", before);
  sigma.on("afterRender", after);
  window.__storelensGraph = probe;
  return {
    probe,
    unpublish: () => {
      sigma.off("beforeRender", before);
      sigma.off("afterRender", after);
      if (window.__storelensGraph === probe) delete window.__storelensGraph;
    },
  };
}
