import { useState, type FormEvent } from "react";
import { toBackendError } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { ScreenHeader } from "../../components/Screen";
import { TenantInput } from "../../components/TenantInput";
import { AuditProgressView } from "./AuditProgressView";
import { AuditReportView } from "./AuditReportView";
import type { AuditLink } from "./links";
import { useAuditRun } from "./queries";
import "./audit.css";

export type { AuditLink } from "./links";

/**
 * The tenant audit: every check of a tenant's data across the four stores,
 * run in turn with progress and Cancel, into one report: findings per
 * severity, what each check did, each finding's evidence and remedy with a
 * link to the screen that shows it, and exports (HTML for a ticket, JSON).
 */
export function AuditScreen({ connection, onOpen }: { connection: string | null; onOpen: (link: AuditLink) => void }) {
  // Leaving the screen cancels a run nobody watches (the hook does it); the last report stays.
  const { run, running, soFar, start, cancel, cancelling, last } = useAuditRun(connection);
  const [tenant, setTenant] = useState(() => last?.tenant.slug ?? "");
  const blocked = connection === null ? "Choose a connection first" : tenant.trim() === "" ? "Fill in the tenant first" : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (blocked === null && running === undefined) start({ tenant: tenant.trim() });
  }

  const code = run.isError ? toBackendError(run.error).code : null;
  // This visit's run, else (back from a finding's link) the last report made on the connection.
  const report = run.isSuccess ? run.data : run.isIdle ? last : null;

  return (
    <section className="screen audit-screen" data-testid="screen-audit" aria-labelledby="screen-audit-title">
      <ScreenHeader
        id="screen-audit-title"
        title="Audit"
        description="Check a tenant's data across the stores: the read model against its events, graph nodes and relationships, cache entries and TTLs, objects, isolation, sensitive values and backups; one report of findings with their evidence and remedy."
      />
      {connection === null && (
        <p className="muted" data-testid="audit-no-connection">
          Choose a connection first: an audit reads the tenant from every store of it.
        </p>
      )}
      <form className="find-form" onSubmit={submit} aria-label="Audit a tenant">
        <TenantInput testId="audit-tenant" value={tenant} onChange={setTenant} />
        <button
          type="submit"
          className="button primary"
          data-testid="audit-run"
          disabled={blocked !== null || running !== undefined}
          title={blocked ?? undefined}
        >
          <Icon name="check" size={13} />
          Run audit
        </button>
      </form>
      {running && <AuditProgressView taskId={running.taskId} soFar={soFar} cancelling={cancelling} onCancel={cancel} />}
      {code === "cancelled" && (
        <p className="muted" data-testid="audit-cancelled" role="status">
          Audit cancelled; no report was made.
        </p>
      )}
      {code === "not_found" && (
        <p className="muted" data-testid="audit-not-found">
          No tenant has the id or slug <code>{run.variables?.tenant}</code> on this connection.
        </p>
      )}
      {code !== null && code !== "cancelled" && <ErrorMessage error={run.error} testId="audit-error" />}
      {report && <AuditReportView report={report} onOpen={onOpen} />}
    </section>
  );
}
