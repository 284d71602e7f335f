import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toBackendError, useBackend, type TenantStateProgress } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { CopyButton } from "../../components/CopyButton";
import { Icon } from "../../components/Icon";
import { ERROR_TITLES } from "../../lib/errors";
import { formatBytes, formatCount } from "../../lib/format";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { plural } from "./format";
import { nowRfc3339, profileQuery } from "./queries";

interface StateRun {
  tenant: string;
  at: string;
  aggregateType: string | null;
}

/**
 * Every aggregate of the tenant folded up to a time, written as JSON Lines
 * into a new file in the exports folder, with live progress and Cancel.
 */
export function TenantStatePanel({ connection, tenant }: { connection: string; tenant: string }) {
  const backend = useBackend();
  const profile = useQuery(profileQuery(backend, connection));
  const [at, setAt] = useState(() => nowRfc3339());
  const [aggregateType, setAggregateType] = useState("");
  // Leaving the screen stops a reconstruction nobody watches.
  const { run, running, soFar, start: startRun, cancel, cancelling } = useCancellableTask(
    (r: StateRun, taskId: string, onProgress: (value: TenantStateProgress) => void) =>
      backend.tenantState(connection, r.tenant, r.at, r.aggregateType, null, taskId, onProgress),
  );

  function start(event: FormEvent) {
    event.preventDefault();
    if (tenant.trim() === "" || at.trim() === "") return;
    startRun({ tenant: tenant.trim(), at: at.trim(), aggregateType: aggregateType === "" ? null : aggregateType });
  }

  const error = run.isError ? toBackendError(run.error) : null;
  const result = run.isSuccess ? run.data : null;

  return (
    <section className="tt-panel" data-testid="tt-state-panel" aria-labelledby="tt-state-title">
      <h2 id="tt-state-title">Tenant state at a time</h2>
      <p className="muted tt-panel-note">
        Every aggregate of the tenant folded up to the time, written as JSON Lines (one aggregate a line) into a new file in
        the exports folder.
      </p>
      <form className="tt-diff-form" onSubmit={start} aria-label="Reconstruct the tenant's state">
        <label className="find-field">
          <span className="field-caption">At (RFC 3339)</span>
          <input
            data-testid="tt-state-at"
            className="mono"
            value={at}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setAt(e.target.value)}
          />
        </label>
        <label className="find-field">
          <span className="field-caption">Aggregate type</span>
          <select data-testid="tt-state-type" value={aggregateType} onChange={(e) => setAggregateType(e.target.value)}>
            <option value="">every type</option>
            {(profile.data?.entities ?? []).map((e) => (
              <option key={e.entityType} value={e.entityType}>
                {e.entityType}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="button primary"
          data-testid="tt-state-run"
          disabled={running !== undefined || tenant.trim() === "" || at.trim() === ""}
          title={tenant.trim() === "" ? "Fill in the tenant first" : undefined}
        >
          <Icon name="download" size={13} />
          Reconstruct
        </button>
      </form>
      {running && (
        <p className="export-status" data-testid="tt-state-progress" role="status" aria-live="polite">
          <span className="detail-refreshing" aria-hidden="true" />
          <span>
            Folded <span data-testid="tt-state-progress-events">{formatCount(soFar?.events ?? "0")}</span> events of{" "}
            <span data-testid="tt-state-progress-aggregates">{plural(soFar?.aggregates ?? 0, "aggregate")}</span>
          </span>
          <CancelTaskButton taskId={running.taskId} cancelling={cancelling} onCancel={cancel} testId="tt-state-cancel" />
        </p>
      )}
      {result && (
        <div className="export-status export-done tt-state-result" data-testid="tt-state-result" role="status">
          <p>
            <Icon name="check" size={13} /> Saved to <span className="mono export-path" data-testid="tt-state-path">{result.path}</span>
            <CopyButton value={result.path} label="Copy the file's path" testId="tt-state-copy-path" />
          </p>
          <dl className="tt-state-figures">
            <dt>at</dt>
            <dd className="mono" data-testid="tt-state-result-at">{result.at}</dd>
            <dt>aggregates</dt>
            <dd data-testid="tt-state-aggregates">{result.aggregates.toLocaleString("en-US")}</dd>
            <dt>live</dt>
            <dd data-testid="tt-state-live">{result.live.toLocaleString("en-US")}</dd>
            <dt>events</dt>
            <dd data-testid="tt-state-events">{formatCount(result.events)}</dd>
            <dt>with anomalies</dt>
            <dd data-testid="tt-state-anomalies">{result.withAnomalies.toLocaleString("en-US")}</dd>
            <dt>size</dt>
            <dd data-testid="tt-state-bytes">{formatBytes(result.bytes)}</dd>
            <dt>elapsed</dt>
            <dd data-testid="tt-state-elapsed">{result.elapsedMs.toLocaleString("en-US")} ms</dd>
          </dl>
        </div>
      )}
      {error && (
        <p className="export-status export-failed" data-testid="tt-state-error" data-code={error.code} role="alert">
          <Icon name="alert" size={13} />
          {error.code === "cancelled" ? (
            <span>Reconstruction cancelled: no file was written.</span>
          ) : (
            <span>
              {ERROR_TITLES[error.code]} <code>{error.code}</code>: {error.message}
            </span>
          )}
        </p>
      )}
    </section>
  );
}
