import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Icon } from "../../components/Icon";
import {
  buildTimelineRequest,
  NO_FILTERS,
  TIMELINE_PAGE,
  timeTravelKeys,
  type TimelineFilters,
  type TimelineRequest,
} from "./queries";
import type { ChainActions } from "./TenantEventList";
import { TenantEventsView } from "./TenantEventsView";
import { TenantStatePanel } from "./TenantStatePanel";
import { TextField } from "./TextField";

const FILTER_FIELDS: { key: keyof TimelineFilters; label: string; testId: string; placeholder: string }[] = [
  { key: "aggregateType", label: "Aggregate type", testId: "tt-filter-aggregate-type", placeholder: "e.g. atom" },
  { key: "eventType", label: "Event type", testId: "tt-filter-event-type", placeholder: "e.g. AtomUpdated" },
  { key: "actor", label: "Actor", testId: "tt-filter-actor", placeholder: "e.g. u-maria" },
  { key: "correlation", label: "Correlation id", testId: "tt-filter-correlation", placeholder: "uuid" },
  { key: "causation", label: "Causation id", testId: "tt-filter-causation", placeholder: "the causing event's id" },
  { key: "eventId", label: "Event id", testId: "tt-filter-event", placeholder: "uuid" },
];

/**
 * A tenant's event log across aggregates: filtered, paged, its causation and
 * correlation chains followed by a click; and the whole tenant's state at a time.
 */
export function TenantTimeline({
  connection,
  initialTenant = "",
  onOpenAggregate,
  pageSize = TIMELINE_PAGE,
}: {
  connection: string | null;
  initialTenant?: string;
  /** Opens an aggregate of the tenant in the aggregate mode. */
  onOpenAggregate: (aggregateId: string, tenant: string) => void;
  /** Events per page (the backend returns at most 1,000 per call). */
  pageSize?: number;
}) {
  const [tenantInput, setTenantInput] = useState(initialTenant);
  const [filters, setFilters] = useState<TimelineFilters>(NO_FILTERS);
  const [request, setRequest] = useState<TimelineRequest | null>(null);
  // Each search starts over: first page, nothing selected, fresh data.
  const [searches, setSearches] = useState(0);
  const queryClient = useQueryClient();

  function search(next: TimelineRequest) {
    if (connection !== null) queryClient.removeQueries({ queryKey: timeTravelKeys.tenantSearch(connection, next) });
    setRequest(next);
    setSearches((n) => n + 1);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = buildTimelineRequest(tenantInput, filters);
    if (next.tenant === "" || connection === null) return;
    search(next);
  }

  /** Follows a chain: the one filter given, the others cleared, in the searched tenant. */
  function follow(only: Partial<TimelineFilters>) {
    if (request === null) return;
    const next = { ...NO_FILTERS, ...only };
    setFilters(next);
    setTenantInput(request.tenant);
    search(buildTimelineRequest(request.tenant, next));
  }

  const actions: ChainActions = {
    onCause: (eventId) => follow({ eventId }),
    onCaused: (causation) => follow({ causation }),
    onCorrelation: (correlation) => follow({ correlation }),
    onAggregate: (aggregateId) => request && onOpenAggregate(aggregateId, request.tenant),
  };
  const active = request ? FILTER_FIELDS.filter((f) => request.filters[f.key] !== "") : [];

  return (
    <div className="tt-tenant-mode" data-testid="tt-tenant-mode">
      <form className="find-form tt-timeline-form" onSubmit={submit} aria-label="Search a tenant's events">
        <TextField
          className="find-tenant"
          caption="Tenant"
          testId="tt-timeline-tenant"
          placeholder="id or slug"
          value={tenantInput}
          disabled={connection === null}
          onChange={setTenantInput}
        />
        {FILTER_FIELDS.map((f) => (
          <TextField
            key={f.key}
            className="tt-filter-field"
            caption={f.label}
            testId={f.testId}
            placeholder={f.placeholder}
            value={filters[f.key]}
            disabled={connection === null}
            onChange={(value) => setFilters((old) => ({ ...old, [f.key]: value }))}
          />
        ))}
        <button
          type="submit"
          className="button primary"
          data-testid="tt-timeline-search"
          disabled={connection === null || tenantInput.trim() === ""}
        >
          <Icon name="search" size={14} />
          Search
        </button>
        <button
          type="button"
          className="button"
          data-testid="tt-filter-reset"
          disabled={connection === null}
          onClick={() => setFilters(NO_FILTERS)}
        >
          Clear filters
        </button>
      </form>
      {connection === null && <p className="muted">Choose a connection first.</p>}
      {request !== null && active.length > 0 && (
        <p className="muted tt-active-filters" data-testid="tt-active-filters">
          {active.map((f) => (
            <span key={f.key} className="tag" data-filter={f.key}>
              {f.label}: <span className="mono">{request.filters[f.key]}</span>
            </span>
          ))}
        </p>
      )}
      {connection !== null && request !== null && (
        <TenantEventsView
          key={`${connection}/${searches}`}
          connection={connection}
          request={request}
          pageSize={pageSize}
          actions={actions}
        />
      )}
      {connection !== null && <TenantStatePanel connection={connection} tenant={tenantInput} />}
    </div>
  );
}
