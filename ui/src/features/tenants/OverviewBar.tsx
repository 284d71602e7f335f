import { useQuery } from "@tanstack/react-query";
import { STORE_KINDS, toBackendError, type StoreKind, type TenantOverview } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { Icon } from "../../components/Icon";
import { storeErrorTitle } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { STORE_LABELS } from "../../lib/stores";
import { useTaskCancel } from "../../lib/useCancellableTask";
import { tenantError } from "./errors";
import { notConfigured } from "./overview";
import { overviewRunQuery, type OverviewRun } from "./queries";

/** The text of one store in the progress line: done, still going (Redis' SCAN), or waiting. */
function storeProgress(run: OverviewRun | undefined, store: StoreKind): { done: boolean; text: string } {
  const p = run?.stores[store];
  if (!p) return { done: false, text: "…" };
  if (p.done) return { done: true, text: "done" };
  return { done: false, text: p.detail.replace(/^(\d+)(?= )/, (n) => Number(n).toLocaleString("en-US")) };
}

/** What each part read and how long it took (the meta's tooltip). */
function partsSummary(data: TenantOverview): string {
  return data.parts
    .map((p) => `${STORE_LABELS[p.store]} (${p.elapsedMs} ms): ${p.error ? `${p.error.code}: ${p.error.message}` : p.detail}`)
    .join("\n");
}

/**
 * The state of the tenant overview (every tenant's totals per store): which
 * stores are done while it runs, when it was measured once done, each failed
 * store once; Cancel, Refresh and the exact-counts switch.
 */
export function OverviewBar({
  connection,
  data,
  fetching,
  error,
  exact,
  onExact,
  onRefresh,
  onCancel,
}: {
  connection: string;
  data: TenantOverview | undefined;
  fetching: boolean;
  /** The latest run failed as a whole (the tenant list unreadable, or cancelled). */
  error: unknown;
  exact: boolean;
  onExact: (exact: boolean) => void;
  onRefresh: () => void;
  /** Cancels the run with this task id. */
  onCancel: (taskId: string) => Promise<unknown>;
}) {
  // Progress is read here, so only this bar (not the table) re-renders as stores report.
  const run = useQuery(overviewRunQuery(connection, exact)).data;
  const { cancelling, cancel } = useTaskCancel(onCancel);
  const running = fetching && run ? run : null;
  const failure = !fetching && error ? toBackendError(error) : null;
  const failedParts = data?.parts.filter((p) => p.error !== null && !notConfigured(p)) ?? [];
  const unconfigured = data?.parts.filter(notConfigured).map((p) => STORE_LABELS[p.store]) ?? [];

  return (
    <div className="tenants-overview" data-testid="tenants-overview">
      <div className="overview-status" aria-live="polite">
        {running ? (
          <span className="overview-progress" data-testid="tenants-overview-progress" role="status">
            <span className="detail-refreshing" aria-hidden="true" />
            <span>Measuring footprints{exact ? " (exact)" : ""}:</span>
            {STORE_KINDS.map((store) => {
              const p = storeProgress(running, store);
              return (
                <span key={store} className={`overview-store${p.done ? " done" : ""}`} data-store={store} data-done={p.done}>
                  {p.done && <Icon name="check" size={11} />}
                  {STORE_LABELS[store]} <span className="muted">{p.text}</span>
                </span>
              );
            })}
          </span>
        ) : (
          data && (
            <span className="overview-meta mono" data-testid="tenants-overview-meta" title={partsSummary(data)}>
              <span>
                Footprints {data.exact ? "counted exactly" : "estimated"} at{" "}
                <time dateTime={data.measuredAt}>{formatTime(data.measuredAt)}</time> in{" "}
                {data.elapsedMs.toLocaleString("en-US")} ms
              </span>
              {data.capped && <span> · first {data.tenants.length.toLocaleString("en-US")} tenants only</span>}
              {unconfigured.length > 0 && <span className="muted"> · not configured: {unconfigured.join(", ")}</span>}
            </span>
          )
        )}
        {failure &&
          (failure.code === "cancelled" ? (
            <span className="overview-note muted" data-testid="tenants-overview-failed" data-code="cancelled">
              {data ? "Refresh cancelled: the counts shown are the earlier ones." : "Footprints cancelled."}
            </span>
          ) : (
            <span className="overview-failed" data-testid="tenants-overview-failed" data-code={failure.code} role="alert">
              <Icon name="alert" size={13} />
              <strong>
                {data ? "Refresh failed" : "No footprints"}: {tenantError(failure).title}
              </strong>{" "}
              <code>{failure.code}</code> <span className="overview-message">{failure.message}</span>
            </span>
          ))}
        {!running &&
          failedParts.map((p) => (
            <span
              key={p.store}
              className="overview-error"
              data-testid="tenants-overview-error"
              data-store={p.store}
              data-code={p.error!.code}
              role="alert"
            >
              <Icon name="alert" size={13} />
              <strong>{storeErrorTitle(p.store, p.error!.code)}</strong> <code>{p.error!.code}</code>{" "}
              <span className="overview-message">{p.error!.message}</span>
            </span>
          ))}
      </div>
      <span className="spacer" />
      <label className="check overview-exact" title="Count every row instead of using planner estimates (slower)">
        <input
          type="checkbox"
          data-testid="tenants-overview-exact"
          checked={exact}
          onChange={(e) => onExact(e.target.checked)}
        />
        Exact counts
      </label>
      {running && (
        <CancelTaskButton taskId={running.taskId} cancelling={cancelling} onCancel={cancel} testId="tenants-overview-cancel" />
      )}
      <button
        type="button"
        className="button small"
        data-testid="tenants-overview-refresh"
        title="Measure every tenant's footprint again"
        disabled={fetching}
        onClick={onRefresh}
      >
        <Icon name="refresh" size={13} className={fetching ? "spin" : undefined} />
        Refresh
      </button>
    </div>
  );
}
