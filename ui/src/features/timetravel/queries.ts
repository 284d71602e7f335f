import { infiniteQueryOptions, keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { AggregateHistory, Backend, EventFilter, EventPage, HistoryStep } from "../../backend";
import { queryKeys } from "../../lib/queryKeys";

/** Steps one history call returns at most (the backend's cap). */
export const MAX_STEPS = 5_000;

/** The aggregate the screen shows. */
export interface AggregateRequest {
  aggregateId: string;
  /** Tenant id or slug; null lets the backend find the one tenant with events of the id. */
  tenant: string | null;
}

/** The request the backend gets: trimmed, the tenant null when blank. */
export function buildAggregateRequest(aggregateId: string, tenant: string): AggregateRequest {
  const t = tenant.trim();
  return { aggregateId: aggregateId.trim(), tenant: t === "" ? null : t };
}

export const sameRequest = (a: AggregateRequest | null, b: AggregateRequest | null) =>
  a !== null && b !== null && a.aggregateId === b.aggregateId && a.tenant === b.tenant;

export const timeTravelKeys = {
  all: () => ["timetravel"] as const,
  /** Everything loaded for one aggregate (a new Load refreshes it all). */
  of: (connection: string, r: AggregateRequest) => ["timetravel", connection, r.aggregateId, r.tenant] as const,
  window: (connection: string, r: AggregateRequest, offset: number, size: number) =>
    [...timeTravelKeys.of(connection, r), "history", offset, size] as const,
  stateAt: (connection: string, r: AggregateRequest, at: string) => [...timeTravelKeys.of(connection, r), "state-at", at] as const,
  diff: (connection: string, r: AggregateRequest, from: string, to: string) =>
    [...timeTravelKeys.of(connection, r), "diff", from, to] as const,
  compare: (connection: string, r: AggregateRequest) => [...timeTravelKeys.of(connection, r), "compare"] as const,
  /** A tenant's timeline search (every page loaded of it). */
  tenantSearch: (connection: string, r: TimelineRequest) => ["timetravel", "tenant-events", connection, r.tenant, r.filters] as const,
  tenantEvents: (connection: string, r: TimelineRequest, pageSize: number) =>
    [...timeTravelKeys.tenantSearch(connection, r), pageSize] as const,
};

/** A page of the history, and the step just before it (null on the first page). */
export interface HistoryWindow extends AggregateHistory {
  before: HistoryStep | null;
}

/**
 * The steps `offset .. offset + size` of the history. After the first page the
 * call also asks for the step before the page (one more, within the
 * backend's 5,000): its sequence is where the page's base state is read.
 */
export function historyWindowQuery(backend: Backend, connection: string, request: AggregateRequest, offset: number, size: number) {
  return queryOptions({
    queryKey: timeTravelKeys.window(connection, request, offset, size),
    queryFn: async (): Promise<HistoryWindow> => {
      const from = Math.max(0, offset - 1);
      const limit = Math.min(MAX_STEPS, size + (offset > 0 ? 1 : 0));
      const history = await backend.eventHistory(connection, request.aggregateId, request.tenant, from, limit);
      const first = history.steps[0];
      if (offset === 0 || first?.index !== offset - 1) return { ...history, before: null };
      return { ...history, offset, steps: history.steps.slice(1), before: first };
    },
    // A history is a snapshot: Load again refreshes it (see timeTravelKeys.of).
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/** The state at a point (a sequence as text, or a time). */
export function stateAtQuery(backend: Backend, connection: string, request: AggregateRequest, at: string) {
  return queryOptions({
    queryKey: timeTravelKeys.stateAt(connection, request, at),
    queryFn: () => backend.stateAt(connection, request.aggregateId, request.tenant, at),
    staleTime: Infinity,
  });
}

export function stateDiffQuery(backend: Backend, connection: string, request: AggregateRequest, from: string, to: string) {
  return queryOptions({
    queryKey: timeTravelKeys.diff(connection, request, from, to),
    queryFn: () => backend.stateDiff(connection, request.aggregateId, request.tenant, from, to),
    staleTime: 0,
  });
}

export function compareQuery(backend: Backend, connection: string, request: AggregateRequest) {
  return queryOptions({
    queryKey: timeTravelKeys.compare(connection, request),
    queryFn: () => backend.compareStores(connection, request.aggregateId, request.tenant),
    staleTime: Infinity,
  });
}

// ---------- the tenant's timeline ----------

/** Events one timeline page asks for by default (the backend's default; at most 1,000). */
export const TIMELINE_PAGE = 100;
export const MAX_TIMELINE_PAGE = 1_000;

/** The timeline's filter fields as typed; blank = no filter. */
export interface TimelineFilters {
  aggregateType: string;
  eventType: string;
  actor: string;
  correlation: string;
  causation: string;
  eventId: string;
}

export const NO_FILTERS: TimelineFilters = {
  aggregateType: "",
  eventType: "",
  actor: "",
  correlation: "",
  causation: "",
  eventId: "",
};

/** A search of a tenant's timeline: the tenant (id or slug) and trimmed filters. */
export interface TimelineRequest {
  tenant: string;
  filters: TimelineFilters;
}

export function buildTimelineRequest(tenant: string, filters: TimelineFilters): TimelineRequest {
  const trimmed = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v.trim()])) as unknown as TimelineFilters;
  return { tenant: tenant.trim(), filters: trimmed };
}

const orNull = (v: string) => (v === "" ? null : v);

/** The backend's filter for one page: blank fields are no filter; `after` is the previous page's `nextAfter`. */
export function eventFilter(filters: TimelineFilters, after: string | null, limit: number): EventFilter {
  return {
    aggregateType: orNull(filters.aggregateType),
    aggregateId: null,
    eventType: orNull(filters.eventType),
    actor: orNull(filters.actor),
    correlation: orNull(filters.correlation),
    causation: orNull(filters.causation),
    eventId: orNull(filters.eventId),
    after,
    limit,
  };
}

/** A tenant's events matching the filters, page after page over `nextAfter`. */
export function tenantEventsQuery(backend: Backend, connection: string, request: TimelineRequest, pageSize: number) {
  const limit = Math.min(Math.max(1, pageSize), MAX_TIMELINE_PAGE);
  return infiniteQueryOptions({
    queryKey: timeTravelKeys.tenantEvents(connection, request, limit),
    queryFn: ({ pageParam }): Promise<EventPage> =>
      backend.tenantEvents(connection, request.tenant, eventFilter(request.filters, pageParam, limit)),
    initialPageParam: null as string | null,
    getNextPageParam: (last: EventPage) => last.nextAfter,
    // A search is a snapshot: Search again refreshes it.
    staleTime: Infinity,
  });
}

/** The connection's profile: the entity types a reconstruction can be limited to. */
export function profileQuery(backend: Backend, connection: string) {
  return queryOptions({
    queryKey: queryKeys.profile(connection),
    queryFn: () => backend.profileSummary(connection),
    staleTime: 5 * 60_000,
  });
}

/** Now as RFC 3339 in UTC, to the second: `2026-02-21T14:30:00Z`. */
export const nowRfc3339 = (now = new Date()) => now.toISOString().replace(/\.\d+Z$/, "Z");
