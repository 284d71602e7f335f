import type { AggregateHistory } from "../../backend";
import { CopyButton } from "../../components/CopyButton";
import { plural } from "./format";

/** Whose history it is, how long, and how healthy. */
export function HistorySummary({ history }: { history: AggregateHistory }) {
  return (
    <div className="tt-summary" data-testid="tt-summary">
      <span className="tag tag-active">{history.aggregateType ?? "aggregate"}</span>
      <span className="mono tt-summary-id truncate" title={history.aggregateId}>
        {history.aggregateId}
      </span>
      <CopyButton value={history.aggregateId} label="Copy the aggregate id" />
      <span className="muted">tenant</span>
      <span className="mono" data-testid="tt-tenant-slug" title={history.tenant.id}>
        {history.tenant.slug}
      </span>
      <span className="tag">{history.tenant.tier}</span>
      <span className="spacer" />
      <span data-testid="tt-total">{plural(history.totalEvents, "event")}</span>
      {history.anomalyCount > 0 ? (
        <span className="tag tag-warn" data-testid="tt-anomaly-count" title="Steps with an anomaly, over the whole history">
          {plural(history.anomalyCount, "step")} with anomalies
        </span>
      ) : (
        <span className="muted" data-testid="tt-anomaly-count">
          no anomalies
        </span>
      )}
      <span className={history.state === null ? "tag tag-warn" : "tag"}>{history.state === null ? "no state" : "live"}</span>
      <span className="muted mono">{history.elapsedMs} ms</span>
    </div>
  );
}
