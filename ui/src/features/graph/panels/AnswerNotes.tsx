import type { Answer, GraphAction } from "../useGraphExplorer";

const ACTIONS: Record<GraphAction, string> = {
  search: "Search",
  add: "Added",
  expand: "Expansion",
  page: "Page of neighbours",
  path: "Path search",
  cypher: "Cypher",
};

/** What the last answer brought, its caps and the backend's notes. */
export function AnswerNotes({ answer }: { answer: Answer }) {
  return (
    <div className="graph-notes" data-testid="graph-notes" data-truncated={String(answer.truncated)}>
      <p>
        <strong>{ACTIONS[answer.action]}</strong>: {answer.nodes.toLocaleString("en-US")} nodes, {answer.edges.toLocaleString("en-US")} relationships
        {" "}
        <span className="muted">
          ({answer.addedNodes.toLocaleString("en-US")} and {answer.addedEdges.toLocaleString("en-US")} new)
        </span>{" "}
        in <span className="mono" data-testid="graph-elapsed">{answer.elapsedMs.toLocaleString("en-US")} ms</span>
        {answer.truncated && (
          <span className="tag tag-warn" data-testid="graph-truncated" title="A cap was reached: more exists than was read">
            capped
          </span>
        )}
      </p>
      {answer.startedOver && <p className="warning graph-small">The canvas held another tenant's graph: it started over.</p>}
      {answer.notes.length > 0 && (
        <ul>
          {answer.notes.map((n, i) => (
            <li key={i} data-testid="graph-note">
              {n}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
