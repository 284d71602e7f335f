import { infiniteQueryOptions, keepPreviousData, queryOptions, skipToken, type Query } from "@tanstack/react-query";
import type {
  Backend,
  ColumnFilter,
  OverviewProgress,
  RowQuery,
  StoreKind,
  Tenant,
  TenantPage,
  TenantQuery,
  TenantSort,
} from "../../backend";
import { queryKeys } from "../../lib/queryKeys";
import { newTaskId } from "../../lib/taskId";

/** Tenants per page. The backend allows up to 1,000; the table virtualizes long pages. */
export const TENANT_PAGE_SIZE = 100;
/** Typing pauses this long before the search goes to the server. */
export const SEARCH_DEBOUNCE_MS = 250;

// Kept in the feature (lib/queryKeys.ts is shared); everything sits under
// ["tenants", connection] so one call can drop a connection's tenant data.
export const tenantKeys = {
  all: () => ["tenants"] as const,
  of: (connection: string) => ["tenants", connection] as const,
  list: (connection: string, query: TenantQuery) => ["tenants", connection, "list", query] as const,
  detail: (connection: string, tenant: string) => ["tenants", connection, "detail", tenant] as const,
  overview: (connection: string, exact: boolean) => ["tenants", connection, "overview", exact] as const,
  /** The running overview's task and what its stores have reported (see {@link OverviewRun}). */
  overviewRun: (connection: string, exact: boolean) => ["tenants", connection, "overview", exact, "run"] as const,
};

/** The query the backend gets: trimmed search (null when empty), fixed page size. */
export function buildTenantQuery(search: string, sort: TenantSort, page: number): TenantQuery {
  const trimmed = search.trim();
  return { search: trimmed === "" ? null : trimmed, sort, page, pageSize: TENANT_PAGE_SIZE };
}

export function tenantsQuery(backend: Backend, connection: string, query: TenantQuery) {
  return queryOptions({
    queryKey: tenantKeys.list(connection, query),
    queryFn: () => backend.listTenants(connection, query),
    // Keep the current page on screen while the next one (or a new search)
    // loads, but never show another connection's tenants.
    placeholderData: (previous: TenantPage | undefined, previousQuery: Query<TenantPage, Error, TenantPage, readonly unknown[]> | undefined) =>
      previousQuery?.queryKey[1] === connection ? previous : undefined,
  });
}

/**
 * One tenant, by id. `fromList` (the row that was clicked) is shown until the
 * backend answers, so the panel opens at once.
 */
export function tenantDetailQuery(backend: Backend, connection: string, id: string, fromList?: Tenant) {
  return queryOptions({
    queryKey: tenantKeys.detail(connection, id),
    queryFn: () => backend.getTenant(connection, id),
    placeholderData: fromList,
  });
}

/** The connection's profile: which entity tables a tenant has. */
export function profileQuery(backend: Backend, connection: string) {
  return queryOptions({
    queryKey: queryKeys.profile(connection),
    queryFn: () => backend.profileSummary(connection),
    staleTime: 5 * 60_000,
  });
}

/** Rows per page of an entity table. */
export const ROWS_PAGE_SIZE = 100;

/** What the rows view asks for, without the cursor (pages add it). */
export interface RowsView {
  entity: string;
  filters: ColumnFilter[];
  descending: boolean;
}

/** The query of the page after `after` (null: the first page). */
export function buildRowQuery(view: RowsView, after: string | null, limit: number | null = ROWS_PAGE_SIZE): RowQuery {
  return { entity: view.entity, filters: view.filters, after, descending: view.descending, limit };
}

/**
 * An entity table page after page: each page's `nextAfter` is the next one's
 * cursor (keyset paging, so page 50 costs what page 1 does).
 */
export function rowsQuery(backend: Backend, connection: string, tenant: string, view: RowsView) {
  return infiniteQueryOptions({
    queryKey: [...tenantKeys.detail(connection, tenant), "rows", view] as const,
    queryFn: ({ pageParam }) => backend.tenantRows(connection, tenant, buildRowQuery(view, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextAfter,
    // A new filter or order keeps the rows on screen until its first page is in.
    placeholderData: keepPreviousData,
  });
}

/** The overview stays fresh this long: it reads every store in full, so it is not re-run on every visit. */
export const OVERVIEW_STALE_MS = 5 * 60_000;

/** The latest run of an overview: its task id (to cancel it) and each store's last report. */
export interface OverviewRun {
  taskId: string;
  stores: Partial<Record<StoreKind, OverviewProgress>>;
}

/**
 * Every tenant's totals per store (the tenant list with footprints). One
 * request for all tenants, whatever page is shown: each store is read once.
 * The run's task id and progress go to {@link tenantKeys.overviewRun} as they
 * come (read them with {@link overviewRunQuery}); the run is not tied to the
 * screen, so leaving and coming back finds it still going (or done).
 */
export function overviewQuery(backend: Backend, connection: string, exact: boolean) {
  return queryOptions({
    queryKey: tenantKeys.overview(connection, exact),
    queryFn: ({ client }) => {
      const runKey = tenantKeys.overviewRun(connection, exact);
      const run: OverviewRun = { taskId: newTaskId(), stores: {} };
      client.setQueryData<OverviewRun>(runKey, run);
      return backend.tenantOverview(connection, exact, run.taskId, (p) =>
        client.setQueryData<OverviewRun>(runKey, (current) =>
          current?.taskId === run.taskId ? { ...current, stores: { ...current.stores, [p.store]: p } } : current,
        ),
      );
    },
    staleTime: OVERVIEW_STALE_MS,
    // A failure is an answer (a store is down, or the run was cancelled): Refresh asks again.
    retry: false,
  });
}

/** The overview's current run, as {@link overviewQuery} records it (never fetched). */
export function overviewRunQuery(connection: string, exact: boolean) {
  return queryOptions<OverviewRun>({
    queryKey: tenantKeys.overviewRun(connection, exact),
    queryFn: skipToken,
    staleTime: Infinity,
  });
}
