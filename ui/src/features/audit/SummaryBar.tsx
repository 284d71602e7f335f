import type { SeverityCount } from "../../backend";
import { SEVERITIES, SEVERITY_LABELS } from "../../lib/findings";

/** The findings per severity, every severity shown (0 where none). */
export function SummaryBar({ summary }: { summary: SeverityCount[] }) {
  const total = summary.reduce((n, s) => n + s.count, 0);
  return (
    <div className="audit-summary" data-testid="audit-summary" data-total={total}>
      {SEVERITIES.map((severity) => {
        const count = summary.find((s) => s.severity === severity)?.count ?? 0;
        return (
          <span
            key={severity}
            className={`audit-summary-cell severity-${severity}${count === 0 ? " none" : ""}`}
            data-testid={`audit-summary-${severity}`}
            data-count={count}
          >
            <strong>{count}</strong> {SEVERITY_LABELS[severity]}
          </span>
        );
      })}
      <span className="audit-summary-total muted">
        {total === 0 ? "no findings" : `${total} finding${total === 1 ? "" : "s"}`}
      </span>
    </div>
  );
}
