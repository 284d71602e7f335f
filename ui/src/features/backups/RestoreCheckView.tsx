import type { MeasureCheck, RestoreCheck } from "../../backend";
import { formatCount } from "../../lib/format";
import { STORE_LABELS } from "../../lib/stores";

export type RestoreState = "passed" | "failed" | "skipped";

export const restoreState = (check: RestoreCheck): RestoreState =>
  check.skipped ? "skipped" : check.passed ? "passed" : "failed";

function contentWord(m: MeasureCheck): string {
  if (m.sameContent === null) return "not hashed";
  return m.sameContent ? "same" : "different";
}

/** One part restored and compared with the manifest: where, the outcome, each measure side by side, and the notes. */
export function RestoreCheckView({ check }: { check: RestoreCheck }) {
  const state = restoreState(check);
  return (
    <div className="backup-restore-check" data-testid="backup-restore-check" data-store={check.store} data-state={state}>
      <p>
        Restore of {STORE_LABELS[check.store]}:{" "}
        <strong className="backup-state-word" data-state={state} data-testid="backup-restore-state">
          {state}
        </strong>
        {check.target && (
          <>
            {" "}
            into <span className="mono" data-testid="backup-restore-target">{check.target}</span>
          </>
        )}
        {!check.skipped && <span className="muted"> · {(check.elapsedMs / 1000).toFixed(1)} s</span>}
      </p>
      {check.measures.length > 0 && (
        <table className="mini-table backup-measures">
          <thead>
            <tr>
              <th>Measure</th>
              <th>Expected</th>
              <th>Found</th>
              <th>Content</th>
            </tr>
          </thead>
          <tbody>
            {check.measures.map((m) => (
              <tr key={m.what} data-testid="backup-restore-measure" data-passed={String(m.passed)}>
                <td>{m.what}</td>
                <td className="mono">{formatCount(m.expected)}</td>
                <td className="mono">{formatCount(m.found)}</td>
                <td data-testid="backup-restore-content" data-same={String(m.sameContent)}>
                  {contentWord(m)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {check.notes.length > 0 && (
        <ul className="backup-notes" data-testid="backup-restore-notes">
          {check.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
