import type { CheckRun } from "../../backend";
import { ERROR_TITLES } from "../../lib/errors";
import { formatCount } from "../../lib/format";
import { CHECK_LABELS, CHECK_STATUS_LABELS, formatElapsed } from "./format";

/** What each check did: its status, what it examined, its findings, notes and error. */
export function ChecksTable({ checks }: { checks: CheckRun[] }) {
  return (
    <table className="mini-table audit-checks" data-testid="audit-checks">
      <thead>
        <tr>
          <th>Check</th>
          <th>Status</th>
          <th className="num">Checked</th>
          <th className="num">Findings</th>
          <th>Notes</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => (
          <tr key={c.check} data-testid="audit-check" data-check={c.check} data-status={c.status}>
            <td>
              {CHECK_LABELS[c.check]}
              <div className="muted mono audit-small">
                {c.check} · {formatElapsed(c.elapsedMs)}
              </div>
            </td>
            <td>
              <span className={`tag audit-status status-${c.status}`} data-testid="audit-check-status">
                {CHECK_STATUS_LABELS[c.status]}
              </span>
            </td>
            <td className="num">{formatCount(c.checked)}</td>
            <td className="num" data-testid="audit-check-findings">
              {c.findings}
            </td>
            <td>
              {c.notes.length > 0 && (
                <ul className="audit-notes">
                  {c.notes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              )}
            </td>
            <td>
              {c.error && (
                <span className="audit-check-error" data-testid="audit-check-error" data-code={c.error.code}>
                  <strong>{ERROR_TITLES[c.error.code]}</strong> <code>{c.error.code}</code>
                  <span className="audit-small"> {c.error.message}</span>
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
