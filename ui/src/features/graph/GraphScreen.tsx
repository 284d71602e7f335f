import { lazy, type ComponentType } from "react";
import { ScreenHeader } from "../../components/Screen";
import { NoWebGLCanvas } from "./canvas/CanvasFallback";
import type { GraphCanvasProps } from "./canvas/types";
import { GraphWorkspace, type GraphStart } from "./GraphWorkspace";
import type { NodeLinks } from "./panels/NodeInspector";
import "./graph.css";

// Sigma, graphology and the layout load with the first canvas, not with the app; sigma needs
// WebGL2 from the moment it loads.
const SigmaCanvas = lazy(() =>
  typeof WebGL2RenderingContext === "undefined" ? Promise.resolve({ default: NoWebGLCanvas }) : import("./canvas/SigmaCanvas"),
);

/**
 * A tenant's graph, explored: search or Cypher to start from, expansion hop by hop (supernodes
 * paged), shortest paths, and isolation breaches shown as such.
 */
export function GraphScreen({
  connection,
  onOpenTimeTravel,
  onOpenTenant,
  onOpenFind,
  initial = null,
  canvas = SigmaCanvas,
}: {
  connection: string | null;
  onOpenTimeTravel?: NodeLinks["onOpenTimeTravel"];
  onOpenTenant?: NodeLinks["onOpenTenant"];
  onOpenFind?: NodeLinks["onOpenFind"];
  /** A tenant's node to search for at once (another screen's link). */
  initial?: GraphStart | null;
  /** The drawing surface: sigma's WebGL canvas, or a stand-in where there is no WebGL (tests). */
  canvas?: ComponentType<GraphCanvasProps>;
}) {
  return (
    <section className="screen graph-screen" data-testid="screen-graph" aria-labelledby="graph-title">
      <ScreenHeader
        id="graph-title"
        title="Graph"
        description="Explore a tenant's graph: find a node, expand its neighbourhood hop by hop, find paths, and see where it touches another tenant."
      />
      {connection === null ? (
        <p className="muted">Choose a connection first.</p>
      ) : (
        <GraphWorkspace key={connection} connection={connection} Canvas={canvas} links={{ onOpenTimeTravel, onOpenTenant, onOpenFind }} initial={initial} />
      )}
    </section>
  );
}
