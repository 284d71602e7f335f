import type { AuditReport } from "../../backend";
import { formatTime } from "../../lib/format";
import { ChecksTable } from "./ChecksTable";
import { ExportButtons } from "./ExportButtons";
import { FindingsList } from "./FindingsList";
import { formatElapsed } from "./format";
import type { AuditLink } from "./links";
import { SummaryBar } from "./SummaryBar";

/** A finished audit: what it covered, the findings per severity, the checks, the findings, and its exports. */
export function AuditReportView({ report, onOpen }: { report: AuditReport; onOpen: (link: AuditLink) => void }) {
  const failed = report.checks.filter((c) => c.status === "failed").length;
  return (
    <section className="audit-report" data-testid="audit-report" data-id={report.id} aria-labelledby="audit-report-title">
      <header className="audit-report-head">
        <div>
          <h2 id="audit-report-title">
            Audit of <span data-testid="audit-report-tenant">{report.tenant.slug}</span>
          </h2>
          <p className="muted audit-small">
            <span className="mono" data-testid="audit-report-id">
              {report.id}
            </span>{" "}
            · {report.connection} · profile {report.profile} · {report.tenant.tier} tier · started {formatTime(report.startedAt)} · took{" "}
            {formatElapsed(report.elapsedMs)}
          </p>
        </div>
        <ExportButtons key={report.id} id={report.id} />
      </header>
      <SummaryBar summary={report.summary} />
      {failed > 0 && (
        <p className="tag tag-warn audit-failed-note" data-testid="audit-failed-note">
          {failed} check{failed === 1 ? "" : "s"} could not run to the end: their findings are not in this report.
        </p>
      )}
      <h3 className="audit-section-title">Checks</h3>
      <ChecksTable checks={report.checks} />
      <h3 className="audit-section-title">Findings</h3>
      <FindingsList findings={report.findings} tenant={report.tenant.slug} onOpen={onOpen} />
    </section>
  );
}
