import type { GraphEdge, GraphNode } from "../../../backend";
import { Icon } from "../../../components/Icon";
import { Properties } from "./Properties";

/** A relationship: its type, its two ends (to select), a breach said plainly, its properties. */
export function EdgeInspector({
  edge,
  source,
  target,
  onSelectNode,
}: {
  edge: GraphEdge;
  source: GraphNode | undefined;
  target: GraphNode | undefined;
  onSelectNode: (key: string) => void;
}) {
  const end = (key: string, node: GraphNode | undefined) => (
    <button type="button" className="link-button" data-testid="graph-edge-end" data-key={key} onClick={() => onSelectNode(key)}>
      {node?.caption ?? key}
    </button>
  );
  return (
    <div data-testid="graph-inspector-edge" data-key={edge.key} data-breach={String(edge.breach)}>
      <h2 className="graph-inspector-title mono">{edge.type}</h2>
      <p className="graph-edge-ends">
        {end(edge.source, source)} <span className="muted">─{edge.type}→</span> {end(edge.target, target)}
      </p>
      {edge.breach && (
        <p className="error-message" data-testid="graph-inspector-breach" role="note">
          <Icon name="alert" />
          <span>
            Joins nodes of different tenants ({source?.tenant ?? "none"} and {target?.tenant ?? "none"}): an isolation breach.
          </span>
        </p>
      )}
      <h3 className="graph-panel-title">Properties</h3>
      <Properties properties={edge.properties} />
    </div>
  );
}
