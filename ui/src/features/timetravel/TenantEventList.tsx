import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef, type MouseEvent } from "react";
import type { TimelineEvent } from "../../backend";
import { Icon } from "../../components/Icon";
import { formatWhen } from "./format";

/** Lists longer than this render only the rows in view. */
export const TENANT_EVENTS_VIRTUALIZE_ABOVE = 100;
const ROW_HEIGHT = 32;

/** What a row's links do: each sets the timeline's filters (or opens the aggregate). */
export interface ChainActions {
  /** Show the event that caused this one (filter by event id). */
  onCause: (eventId: string) => void;
  /** Show the events this one caused (filter by causation). */
  onCaused: (eventId: string) => void;
  onCorrelation: (correlation: string) => void;
  onAggregate: (aggregateId: string) => void;
}

/** A row's key: its event id, else its position (an event without an id). */
export const eventKey = (e: TimelineEvent, i: number) => e.event.id ?? `#${i}`;

const stop = (run: () => void) => (event: MouseEvent) => {
  // A link inside a row: following it is not selecting the row.
  event.stopPropagation();
  run();
};

function IdLink({ value, testId, title, onClick }: { value: string | null; testId: string; title: string; onClick: (v: string) => void }) {
  if (value === null) return <span className="muted">—</span>;
  return (
    <button type="button" className="link-button mono truncate" data-testid={testId} title={`${title}: ${value}`} onClick={stop(() => onClick(value))}>
      {value}
    </button>
  );
}

function EventRow({
  item,
  selected,
  onSelect,
  actions,
}: {
  item: TimelineEvent;
  selected: boolean;
  onSelect: () => void;
  actions: ChainActions;
}) {
  const e = item.event;
  return (
    <div
      role="row"
      aria-selected={selected}
      className={`tt-tenant-event${selected ? " selected" : ""}`}
      data-testid="tt-tenant-event"
      data-aggregate={item.aggregateId ?? undefined}
      data-event={e.id ?? undefined}
      onClick={onSelect}
    >
      <span role="cell" className="mono" title={e.time}>
        {formatWhen(e.time)}
      </span>
      <span role="cell" className="mono muted" title="Sequence">
        {e.sequence ?? "—"}
      </span>
      <span role="cell" className="tt-tenant-aggregate">
        <span className="tag">{item.aggregateType ?? "?"}</span>
        {item.aggregateId === null ? (
          <span className="muted">—</span>
        ) : (
          <button
            type="button"
            className="link-button mono truncate"
            data-testid="tt-row-aggregate"
            title={`Open aggregate ${item.aggregateId} in the aggregate mode`}
            onClick={stop(() => actions.onAggregate(item.aggregateId!))}
          >
            {item.aggregateId}
          </button>
        )}
      </span>
      <span role="cell" className="mono truncate" title={e.eventType}>
        {e.eventType}
      </span>
      <span role="cell" className="muted truncate" title={e.actor ?? undefined}>
        {e.actor ?? "—"}
      </span>
      <span role="cell" className="tt-tenant-id">
        <span className="mono truncate" data-testid="tt-row-event-id" title={e.id ?? undefined}>
          {e.id ?? "—"}
        </span>
        {e.id !== null && (
          <button
            type="button"
            className="icon-button"
            data-testid="tt-row-caused"
            aria-label="Show the events this one caused"
            title="Show the events this one caused"
            onClick={stop(() => actions.onCaused(e.id!))}
          >
            <Icon name="play" size={11} />
          </button>
        )}
      </span>
      <span role="cell" className="tt-tenant-id">
        <IdLink value={e.causation} testId="tt-row-causation" title="Show the causing event" onClick={actions.onCause} />
      </span>
      <span role="cell" className="tt-tenant-id">
        <IdLink value={e.correlation} testId="tt-row-correlation" title="Show every event of this correlation" onClick={actions.onCorrelation} />
      </span>
    </div>
  );
}

const HEADERS = ["Time", "Seq", "Aggregate", "Event type", "Actor", "Event id", "Causation", "Correlation"];

/** The timeline's events, oldest first; long lists render only the rows in view. */
export function TenantEventList({
  events,
  selected,
  onSelect,
  actions,
  busy,
}: {
  events: readonly TimelineEvent[];
  selected: string | null;
  onSelect: (key: string) => void;
  actions: ChainActions;
  busy: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = events.length > TENANT_EVENTS_VIRTUALIZE_ABOVE;
  const virtualizer = useVirtualizer({
    count: events.length,
    enabled: virtual,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => eventKey(events[i]!, i),
    overscan: 16,
  });

  const row = (i: number) => {
    const key = eventKey(events[i]!, i);
    return <EventRow item={events[i]!} selected={key === selected} onSelect={() => onSelect(key)} actions={actions} />;
  };

  return (
    <div
      ref={scrollRef}
      className={`tt-tenant-events${busy ? " busy" : ""}`}
      data-testid="tt-tenant-events"
      role="table"
      aria-label="Tenant events"
      aria-busy={busy || undefined}
    >
      <div role="row" className="tt-tenant-event tt-tenant-head">
        {HEADERS.map((h) => (
          <span key={h} role="columnheader">
            {h}
          </span>
        ))}
      </div>
      {events.length === 0 ? (
        <p className="muted tt-timeline-empty" data-testid="tt-tenant-empty">
          No events match.
        </p>
      ) : virtual ? (
        <div className="tt-virtual" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={item.key} data-index={item.index} className="tt-virtual-row" style={{ transform: `translateY(${item.start}px)` }}>
              {row(item.index)}
            </div>
          ))}
        </div>
      ) : (
        events.map((e, i) => <div key={eventKey(e, i)}>{row(i)}</div>)
      )}
    </div>
  );
}
