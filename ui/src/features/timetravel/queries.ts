import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { AggregateHistory, Backend, HistoryStep } from "../../backend";

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
