import { useState, type FormEvent } from "react";
import type { GraphNode, GraphView } from "../../../backend";
import { Icon } from "../../../components/Icon";
import { primaryLabel } from "../model/styling";

/** Search the tenant's nodes by id or name; a hit clicked is added to the canvas. */
export function SearchPanel({
  initialText = "",
  hits,
  busy,
  isDrawn,
  onSearch,
  onAdd,
}: {
  initialText?: string;
  hits: GraphView | null;
  busy: boolean;
  isDrawn: (key: string) => boolean;
  onSearch: (text: string) => void;
  onAdd: (node: GraphNode) => void;
}) {
  const [text, setText] = useState(initialText);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(text);
  }
  return (
    <div className="graph-search">
      <form className="graph-inline-form" onSubmit={submit} role="search" aria-label="Search the tenant's nodes">
        <label className="find-field graph-grow">
          <span className="field-caption">Id or name</span>
          <input
            data-testid="graph-search-input"
            className="mono"
            placeholder="an exact id, or part of a name"
            value={text}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary" data-testid="graph-search-button" disabled={busy}>
          <Icon name="search" size={13} className={busy ? "spin" : undefined} />
          Search
        </button>
      </form>
      {hits && (
        <div className="graph-hits" data-testid="graph-hits">
          {hits.nodes.length === 0 ? (
            <p className="muted" data-testid="graph-hits-empty">
              No node of the tenant matches.
            </p>
          ) : (
            <ul aria-label="Search hits">
              {hits.nodes.map((n) => (
                <li key={n.key}>
                  <button
                    type="button"
                    className="graph-hit"
                    data-testid="graph-hit"
                    data-key={n.key}
                    data-id={n.id ?? ""}
                    title={isDrawn(n.key) ? "On the canvas: select it" : "Add to the canvas"}
                    onClick={() => onAdd(n)}
                  >
                    <span className="graph-hit-caption">{n.caption}</span>
                    <span className="tag">{primaryLabel(n)}</span>
                    {n.degree !== null && <span className="muted graph-hit-degree">{n.degree} rel.</span>}
                    {isDrawn(n.key) ? <Icon name="check" size={13} /> : <Icon name="plus" size={13} />}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {hits.truncated && <p className="muted graph-small">{hits.notes.join(" ")}</p>}
        </div>
      )}
    </div>
  );
}
