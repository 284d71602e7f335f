import { useReducer, useState, type FormEvent } from "react";
import { useBackend, type MonitorBatch } from "../../backend";
import { Icon } from "../../components/Icon";
import { formatCount } from "../../lib/format";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { CacheError } from "./CacheError";
import { plural } from "./format";
import { INITIAL_MONITOR, MONITOR_BUFFER, monitorReducer, trimmedCount } from "./monitor";
import { MonitorList } from "./MonitorList";
import { TenantInput } from "../../components/TenantInput";

/**
 * A tenant's live cache traffic (its pub/sub channel and update stream) from
 * Start until Stop: the last 1,000 messages, newest first, with totals; Pause
 * holds new messages back (counted) until Resume.
 */
export function MonitorPanel({ connection }: { connection: string }) {
  const backend = useBackend();
  const [tenant, setTenant] = useState("");
  const [state, dispatch] = useReducer(monitorReducer, INITIAL_MONITOR);
  // Leaving the screen stops a monitor nobody watches. Every batch goes to
  // the reducer, tagged with its run (a late batch of an old run is ignored).
  const { run, running, start, cancel, cancelling } = useCancellableTask((v: { tenant: string }, taskId: string) => {
    dispatch({ type: "start", taskId });
    return backend.cacheMonitor(connection, v.tenant, taskId, (batch: MonitorBatch) =>
      dispatch({ type: "batch", taskId, batch, at: Date.now() }),
    );
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (tenant.trim() !== "" && running === undefined) start({ tenant: tenant.trim() });
  }

  const stopping = running !== undefined && cancelling === running.taskId;
  const status = running
    ? stopping
      ? { state: "stopping", text: "stopping…" }
      : state.listening
        ? { state: "listening", text: `listening to ${running.tenant}` }
        : { state: "connecting", text: "subscribing…" }
    : run.isSuccess
      ? { state: "stopped", text: "stopped" }
      : run.isError
        ? { state: "failed", text: "failed" }
        : { state: "idle", text: "not started" };
  const summary = run.isSuccess ? run.data : null;
  const trimmed = trimmedCount(state);

  return (
    <section className="cache-monitor" data-testid="cache-monitor" aria-labelledby="cache-monitor-title">
      <h2 id="cache-monitor-title" className="cache-section-title">
        Live
      </h2>
      <p className="muted cache-note">
        A tenant's pub/sub channel and update stream as messages arrive (the backend hands them on at most every 250 ms, up to 200
        at a time, and counts what it leaves out). Only the last {MONITOR_BUFFER.toLocaleString("en-US")} are kept here.
      </p>
      <form className="find-form" onSubmit={submit} aria-label="Watch a tenant's cache traffic">
        <TenantInput className="find-field cache-field-tenant" testId="cache-monitor-tenant" value={tenant} onChange={setTenant} />
        {running ? (
          <button
            type="button"
            className="button"
            data-testid="cache-monitor-stop"
            disabled={stopping}
            onClick={() => void cancel(running.taskId)}
          >
            <span className="cache-stop-square" aria-hidden="true" />
            {stopping ? "Stopping…" : "Stop"}
          </button>
        ) : (
          <button
            type="submit"
            className="button primary"
            data-testid="cache-monitor-start"
            disabled={tenant.trim() === ""}
            title={tenant.trim() === "" ? "Fill in the tenant first" : undefined}
          >
            <Icon name="play" size={13} />
            Start
          </button>
        )}
        <button
          type="button"
          className={`button${state.paused ? " primary" : ""}`}
          data-testid="cache-monitor-pause"
          aria-pressed={state.paused}
          title={state.paused ? "Show the messages held back, and new ones again" : "Hold new messages back (they are still counted)"}
          onClick={() => dispatch({ type: state.paused ? "resume" : "pause" })}
        >
          {state.paused ? "Resume" : "Pause"}
        </button>
      </form>
      <p className="export-status cache-monitor-status" data-testid="cache-monitor-status" data-state={status.state} role="status" aria-live="polite">
        {(status.state === "connecting" || status.state === "listening") && <span className="detail-refreshing" aria-hidden="true" />}
        <span>{status.text}</span>
        {state.taskId !== null && (
          <span className="cache-monitor-totals">
            <span>
              received <strong data-testid="cache-monitor-received">{formatCount(String(state.received))}</strong>
            </span>
            <span title="Messages the backend left out of its batches (more than 200 in 250 ms)">
              left out <strong data-testid="cache-monitor-left-out">{formatCount(String(state.leftOut))}</strong>
            </span>
            <span data-testid="cache-monitor-kept">
              {formatCount(String(state.rows.length))} shown
              {trimmed > 0 && <span className="muted"> ({formatCount(String(trimmed))} oldest dropped)</span>}
            </span>
            {state.paused && (
              <span className="cache-monitor-held" data-testid="cache-monitor-held">
                paused: {plural(state.heldCount, "new message")} held back
              </span>
            )}
          </span>
        )}
      </p>
      {run.isError && <CacheError error={run.error} testId="cache-monitor-error" />}
      {summary && (
        <p className="muted cache-note" data-testid="cache-monitor-summary">
          Watched {[summary.channel && `channel ${summary.channel}`, summary.stream && `stream ${summary.stream}`].filter(Boolean).join(" and ")}{" "}
          for {(summary.elapsedMs / 1_000).toFixed(1)} s: the backend heard {plural(summary.received, "message")}, left out{" "}
          {formatCount(summary.dropped)}.
        </p>
      )}
      <MonitorList rows={state.rows} runId={state.taskId ?? ""} />
    </section>
  );
}
