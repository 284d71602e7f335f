import type { Supernode } from "../../../backend";
import { countRowLabel, countsBy, pagingState } from "../model/supernodes";

/** A supernode's neighbours as counts (by type, direction and label), and its next page. */
export function SupernodeCounts({
  supernode,
  busy,
  canPage,
  onPage,
}: {
  supernode: Supernode;
  busy: boolean;
  /** The node may be expanded (the tenant's own, with an id). */
  canPage: boolean;
  /** Expand the node alone, one hop, from `skip`. */
  onPage: (skip: number) => void;
}) {
  const state = pagingState(supernode);
  const groups = (["type", "direction", "label"] as const).map((by) => ({ by, rows: countsBy(supernode, by) }));
  return (
    <section className="graph-supernode" data-testid="graph-supernode" data-state={state} data-next-skip={supernode.nextSkip ?? ""}>
      <h3 className="graph-panel-title">
        Supernode: {supernode.degree.toLocaleString("en-US")} relationships
      </h3>
      <p className="graph-small" data-testid="graph-supernode-shown">
        {state === "held"
          ? "Held back by a wide expansion: none of its neighbours are drawn. Page through them here."
          : `${supernode.shown.toLocaleString("en-US")} neighbours drawn by the last page${state === "more" ? "; more remain." : "; no page left."}`}
      </p>
      <table className="graph-counts-table">
        <tbody>
          {supernode.counts.map((c) => (
            <tr key={countRowLabel(c)} data-testid="graph-supernode-count">
              <td className="mono">{countRowLabel(c)}</td>
              <td className="num">{c.count.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="graph-count-groups">
        {groups.map(({ by, rows }) => (
          <p key={by} className="graph-small" data-testid={`graph-supernode-by-${by}`}>
            <span className="muted">by {by}:</span> {rows.map((r) => `${r.name} ${r.count.toLocaleString("en-US")}`).join(" · ")}
          </p>
        ))}
      </div>
      {state !== "done" && (
        <button
          type="button"
          className="button small"
          data-testid="graph-next-page"
          disabled={busy || !canPage}
          onClick={() => onPage(supernode.nextSkip ?? 0)}
        >
          {state === "held" ? "First page of neighbours" : "Next page"}
        </button>
      )}
    </section>
  );
}
