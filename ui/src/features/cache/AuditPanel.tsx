import { useState, type FormEvent } from "react";
import { useBackend, type CacheAuditProgress, type KeyName } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { Icon } from "../../components/Icon";
import { formatCount } from "../../lib/format";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { CacheError } from "./CacheError";
import { cacheError } from "./errors";
import { FindingCard } from "./FindingCard";
import { groupBySeverity, SEVERITY_LABELS } from "./findings";
import { plural } from "./format";
import { TenantInput } from "../../components/TenantInput";

/**
 * A tenant's cache audit (keys without their mandatory TTL, entity keys stale
 * against or orphaned from the read model) with progress and Cancel; the
 * findings grouped by severity, each able to open its key.
 */
export function AuditPanel({ connection, onOpenKey }: { connection: string; onOpenKey: (key: KeyName) => void }) {
  const backend = useBackend();
  const [tenant, setTenant] = useState("");
  // Leaving the screen stops an audit nobody watches.
  const { run, running, soFar, start, cancel, cancelling } = useCancellableTask(
    (v: { tenant: string }, taskId: string, onProgress: (p: CacheAuditProgress) => void) =>
      backend.cacheAudit(connection, v.tenant, taskId, onProgress),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (tenant.trim() !== "" && running === undefined) start({ tenant: tenant.trim() });
  }

  const result = run.isSuccess ? run.data : null;
  const failure = run.isError ? cacheError(run.error) : null;
  const groups = result ? groupBySeverity(result.findings) : [];

  return (
    <section className="cache-audit" data-testid="cache-audit" aria-labelledby="cache-audit-title">
      <h2 id="cache-audit-title" className="cache-section-title">
        Cache audit
      </h2>
      <p className="muted cache-note">
        A tenant's keys without the TTL the profile requires, and its cached entities that differ from their row (stale) or
        have none (orphaned).
      </p>
      <form className="find-form" onSubmit={submit} aria-label="Audit a tenant's cache">
        <TenantInput className="find-field cache-field-tenant" testId="cache-audit-tenant" value={tenant} onChange={setTenant} />
        <button
          type="submit"
          className="button primary"
          data-testid="cache-audit-button"
          disabled={running !== undefined || tenant.trim() === ""}
          title={tenant.trim() === "" ? "Fill in the tenant first" : undefined}
        >
          <Icon name="check" size={13} />
          Audit
        </button>
      </form>
      {running && (
        <p className="export-status" data-testid="cache-audit-progress" role="status" aria-live="polite">
          <span className="detail-refreshing" aria-hidden="true" />
          <span>
            Scanned <span data-testid="cache-audit-progress-keys">{formatCount(soFar?.keysScanned ?? "0")}</span> keys, checked{" "}
            <span data-testid="cache-audit-progress-checked">{formatCount(soFar?.checked ?? "0")}</span> entities
          </span>
          <CancelTaskButton taskId={running.taskId} cancelling={cancelling} onCancel={cancel} testId="cache-audit-cancel" />
        </p>
      )}
      {failure &&
        (failure.code === "cancelled" ? (
          <p className="muted" data-testid="cache-audit-cancelled" role="status">
            Audit cancelled.
          </p>
        ) : (
          <CacheError error={run.error} testId="cache-audit-error" />
        ))}
      {result && (
        <div className="cache-audit-result" data-testid="cache-audit-result">
          <p className="tt-summary cache-audit-summary" data-testid="cache-audit-summary">
            <span>
              <strong>{result.tenant.slug}</strong> <span className="mono muted">{result.prefix}</span>
            </span>
            <span>{plural(result.keysScanned, "key")} scanned</span>
            <span>{plural(result.ttlChecked, "key")} checked for a TTL</span>
            <span>{plural(result.entitiesChecked, "entity", "entities")} compared with their rows</span>
            <span className="muted">{result.elapsedMs.toLocaleString("en-US")} ms</span>
          </p>
          {groups.length === 0 ? (
            <p className="cache-clean" data-testid="cache-audit-clean">
              <Icon name="check" size={13} /> No findings: every checked key has its TTL and matches its row.
            </p>
          ) : (
            groups.map((g) => (
              <section key={g.severity} className="cache-severity-group" data-testid={`cache-findings-${g.severity}`}>
                <h3 className={`cache-severity-title severity-${g.severity}`}>
                  {SEVERITY_LABELS[g.severity]} <span className="muted">· {g.findings.length}</span>
                </h3>
                {g.findings.map((f, i) => (
                  <FindingCard key={`${f.kind}/${f.subject}/${i}`} finding={f} onOpenKey={onOpenKey} />
                ))}
              </section>
            ))
          )}
        </div>
      )}
    </section>
  );
}
