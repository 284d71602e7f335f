import type { TimelineEvent } from "../../backend";
import { CopyButton } from "../../components/CopyButton";
import { formatWhen } from "./format";

function Payload({ item }: { item: TimelineEvent }) {
  const { payload, payloadText } = item.event;
  if (payload !== null) {
    return (
      <pre className="json-block mono" data-testid="tt-tenant-payload" data-json="true">
        {JSON.stringify(payload, null, 2)}
      </pre>
    );
  }
  if (payloadText !== null) {
    return (
      <div className="tt-raw-payload">
        <span className="tag tag-warn" data-testid="tt-tenant-payload-not-json">
          not JSON
        </span>
        <pre className="json-block mono" data-testid="tt-tenant-payload" data-json="false">
          {payloadText}
        </pre>
      </div>
    );
  }
  return (
    <p className="muted" data-testid="tt-tenant-payload" data-json="none">
      No payload.
    </p>
  );
}

/** The selected timeline event: its ids and its payload. */
export function TenantEventDetail({ item }: { item: TimelineEvent }) {
  const e = item.event;
  return (
    <section className="tt-detail tt-panel" data-testid="tt-tenant-detail" data-event={e.id ?? undefined} aria-label="Selected event">
      <div className="tt-detail-head">
        <strong className="mono">{e.eventType}</strong>
        <span className="muted mono">{formatWhen(e.time)}</span>
        <span className="muted">
          {item.aggregateType ?? "?"} <span className="mono">{item.aggregateId ?? "—"}</span>
        </span>
      </div>
      {e.id !== null && (
        <p className="tt-id">
          <span className="muted">event</span> <span className="mono">{e.id}</span>
          <CopyButton value={e.id} label="Copy the event id" testId="tt-tenant-copy-event" />
        </p>
      )}
      <h3>Payload</h3>
      <Payload item={item} />
    </section>
  );
}
