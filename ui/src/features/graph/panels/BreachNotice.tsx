import { Icon } from "../../../components/Icon";
import type { Breach } from "../model/breaches";
import type { GraphNode } from "../../../backend";

/** Every drawn relationship across tenants, and every other tenant's node: what must not exist. */
export function BreachNotice({
  edges,
  foreignNodes,
  onSelectEdge,
  onSelectNode,
}: {
  edges: Breach[];
  foreignNodes: GraphNode[];
  onSelectEdge: (key: string) => void;
  onSelectNode: (key: string) => void;
}) {
  if (edges.length === 0 && foreignNodes.length === 0) return null;
  return (
    <section className="graph-breaches" data-testid="graph-breaches" role="alert" aria-labelledby="graph-breaches-title">
      <h2 id="graph-breaches-title" className="graph-breaches-title">
        <Icon name="alert" size={14} /> Isolation breaches: {edges.length} {edges.length === 1 ? "relationship" : "relationships"} across
        tenants, {foreignNodes.length} other tenants' {foreignNodes.length === 1 ? "node" : "nodes"}
      </h2>
      <ul>
        {edges.map(({ edge, source, target }) => (
          <li key={edge.key}>
            <button type="button" className="link-button" data-testid="graph-breach" data-key={edge.key} onClick={() => onSelectEdge(edge.key)}>
              {source.caption} <span className="mono">─{edge.type}→</span> {target.caption}
            </button>{" "}
            <span className="muted graph-small mono">
              {source.tenant ?? "no tenant"} → {target.tenant ?? "no tenant"}
            </span>
          </li>
        ))}
        {foreignNodes.map((n) => (
          <li key={n.key}>
            <button type="button" className="link-button" data-testid="graph-foreign-node" data-key={n.key} data-id={n.id ?? ""} onClick={() => onSelectNode(n.key)}>
              ⚠ {n.caption}
            </button>{" "}
            <span className="muted graph-small mono">of tenant {n.tenant ?? "none"}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
