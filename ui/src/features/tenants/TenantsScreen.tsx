import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type ReactNode } from "react";
import { toBackendError, useBackend, type Tenant, type TenantSort } from "../../backend";
import { Icon } from "../../components/Icon";
import { tenantError } from "./errors";
import { pageCount, rangeText } from "./format";
import { OverviewBar } from "./OverviewBar";
import { overviewView } from "./overview";
import {
  buildTenantQuery,
  overviewQuery,
  overviewRunQuery,
  SEARCH_DEBOUNCE_MS,
  TENANT_PAGE_SIZE,
  tenantsQuery,
} from "./queries";
import { TenantDetail } from "./TenantDetail";
import { TENANT_COLUMN_IDS, TenantTable } from "./TenantTable";
import { useDebouncedValue } from "../../lib/useDebouncedValue";

const SORT_LABELS: Record<TenantSort, string> = { slug: "slug", name: "name", tier: "tier", created_at: "created" };

function SkeletonRows() {
  return (
    <div className="tenant-skeleton" data-testid="tenants-loading" aria-label="Loading tenants">
      {Array.from({ length: 9 }, (_, i) => (
        <div key={i} className="tenant-grid skeleton-row">
          {/* One bar per column, classed like its cells so the compact table hides the same ones. */}
          {TENANT_COLUMN_IDS.map((id, j) => (
            <span key={id} className={`skeleton-cell td-${id}`}>
              <span className="skeleton-bar" style={{ width: `${45 + ((i * 7 + j * 13) % 45)}%` }} />
            </span>
          ))}
        </div>
      ))}
    </div>
  );
}

export function TenantsScreen({
  connection,
  initialTenant = null,
  onOpenConsole,
}: {
  connection: string | null;
  /** A tenant (id or slug) to open at once, e.g. from a Find hit. */
  initialTenant?: string | null;
  /** Offers "Open console here" in the tenant's detail. */
  onOpenConsole?: (tenant: string) => void;
}) {
  const backend = useBackend();
  const [search, setSearch] = useState("");
  const debounced = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);
  const [sort, setSort] = useState<TenantSort>("slug");

  // A new connection, search or sort starts again on the first page.
  const pagingKey = `${connection}\u0000${debounced.trim()}\u0000${sort}`;
  const [paging, setPaging] = useState({ key: pagingKey, page: 0 });
  const page = paging.key === pagingKey ? paging.page : 0;
  const setPage = (p: number) => setPaging({ key: pagingKey, page: p });

  // The open tenant: by id (or slug), with the list's row when it was clicked there.
  const [selected, setSelected] = useState<{ connection: string | null; id: string; fromList?: Tenant } | null>(() =>
    initialTenant ? { connection, id: initialTenant } : null,
  );
  const open = selected && (selected.connection ?? connection) === connection ? selected : null;
  // Kept while moving from tenant to tenant.
  const [wideDetail, setWideDetail] = useState(false);

  const query = buildTenantQuery(debounced, sort, page);
  const list = useQuery({ ...tenantsQuery(backend, connection ?? "", query), enabled: connection !== null });
  const data = list.data;
  const error = list.isError ? tenantError(list.error) : null;

  const total = data?.total ?? 0;
  const shownPage = data?.page ?? page;
  const pageSize = data?.pageSize ?? TENANT_PAGE_SIZE;
  const pages = pageCount(total, pageSize);
  const hasPrev = data !== undefined && shownPage > 0;
  const hasNext = data !== undefined && (shownPage + 1) * pageSize < total;
  const typing = search.trim() !== debounced.trim();

  // Every tenant's totals per store, measured once for all pages (and kept a while).
  const [exact, setExact] = useState(false);
  const queryClient = useQueryClient();
  const overview = useQuery({ ...overviewQuery(backend, connection ?? "", exact), enabled: connection !== null });
  const overviewEnabled = connection !== null;
  const overviewFetching = overview.isFetching;
  const overviewError = overview.error;
  const totals = useMemo(
    () =>
      overviewView(overview.data, {
        enabled: overviewEnabled,
        pending: overviewFetching,
        error: overviewError ? toBackendError(overviewError) : null,
      }),
    [overview.data, overviewEnabled, overviewFetching, overviewError],
  );
  function switchExact(next: boolean) {
    // The run being replaced would only read every store for nothing.
    const run = connection === null ? undefined : queryClient.getQueryData(overviewRunQuery(connection, exact).queryKey);
    if (overview.isFetching && run) void backend.cancelTask(run.taskId).catch(() => undefined);
    setExact(next);
  }

  let placeholder: ReactNode = null;
  if (connection === null) {
    placeholder = <p className="muted">Choose a connection to list its tenants.</p>;
  } else if (!data && list.isPending) {
    placeholder = <SkeletonRows />;
  } else if (!data && error) {
    placeholder = <p className="muted">No tenants to show.</p>;
  } else if (data && data.tenants.length === 0) {
    placeholder =
      query.search !== null ? (
        <div className="tenant-empty" data-testid="tenants-empty">
          <p>
            No tenant matches <code>{query.search}</code>.
          </p>
          <p className="muted">The search matches id, slug and name literally, ignoring case.</p>
          <button type="button" className="button small" onClick={() => setSearch("")}>
            Clear search
          </button>
        </div>
      ) : (
        <div className="tenant-empty" data-testid="tenants-empty">
          <p>This platform has no tenants.</p>
          <p className="muted">The profile's tenant table is empty.</p>
        </div>
      );
  }

  return (
    <section
      className="screen tenants-screen"
      data-testid="screen-tenants"
      aria-labelledby="tenants-title"
      onKeyDown={(e) => {
        // Esc closes the open tenant (in the search box it clears the search instead).
        const field = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
        if (e.key === "Escape" && open && !field) setSelected(null);
      }}
    >
      <div className="tenants-pane">
        <div className="tenants-toolbar">
          <h1 id="tenants-title">Tenants</h1>
          {data && (
            <span className="count-badge mono" data-testid="tenants-total" title="Tenants matching the search">
              {data.total.toLocaleString("en-US")}
            </span>
          )}
          <label className="search-box">
            <Icon name="search" size={14} className="search-icon" />
            <span className="visually-hidden">Search tenants</span>
            <input
              type="search"
              data-testid="tenants-search"
              placeholder="Search id, slug or name"
              value={search}
              spellCheck={false}
              autoComplete="off"
              disabled={connection === null}
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Escape") setSearch("");
              }}
            />
            {(typing || (list.isFetching && list.isPlaceholderData)) && <span className="search-pending" aria-hidden="true" />}
          </label>
          <span className="spacer" />
          <div className="pager" role="navigation" aria-label="Tenant pages">
            <span className="pager-range mono" data-testid="tenants-range" aria-live="polite">
              {data ? rangeText(shownPage, pageSize, data.tenants.length, total) : "–"}
            </span>
            <button
              type="button"
              className="icon-button pager-button"
              data-testid="tenants-prev"
              aria-label="Previous page"
              title="Previous page"
              disabled={!hasPrev}
              onClick={() => setPage(shownPage - 1)}
            >
              <Icon name="chevronLeft" size={14} />
            </button>
            <button
              type="button"
              className="icon-button pager-button"
              data-testid="tenants-next"
              aria-label="Next page"
              title="Next page"
              disabled={!hasNext}
              onClick={() => setPage(shownPage + 1)}
            >
              <Icon name="chevronRight" size={14} />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Reload tenants"
              title="Reload"
              disabled={connection === null}
              onClick={() => void list.refetch()}
              data-testid="tenants-refresh"
            >
              <Icon name="refresh" size={14} className={list.isFetching ? "spin" : undefined} />
            </button>
          </div>
        </div>

        {connection !== null && (
          <OverviewBar
            connection={connection}
            data={overview.data}
            fetching={overview.isFetching}
            error={overview.error}
            exact={exact}
            onExact={switchExact}
            onRefresh={() => void overview.refetch()}
            onCancel={(taskId) => backend.cancelTask(taskId)}
          />
        )}

        {error && (
          <div className="tenants-banner" role="alert" data-testid="tenants-error" data-code={error.code}>
            <Icon name="alert" size={16} />
            <div className="banner-text">
              <strong>{error.title}</strong>
              {error.detail && <span className="banner-detail">{error.detail}</span>}
            </div>
            <button type="button" className="button small" onClick={() => void list.refetch()}>
              Retry
            </button>
          </div>
        )}

        <TenantTable
          tenants={data?.tenants ?? EMPTY}
          sort={sort}
          onSort={setSort}
          selectedId={open?.id ?? null}
          onOpen={(tenant) => connection && setSelected({ connection, id: tenant.id, fromList: tenant })}
          busy={list.isFetching && list.isPlaceholderData}
          scrollKey={`${pagingKey}\u0000${shownPage}`}
          placeholder={placeholder}
          compact={open !== null}
          overview={totals}
        />

        <footer className="tenants-footer">
          <span>
            {data
              ? `${total.toLocaleString("en-US")} ${total === 1 ? "tenant" : "tenants"}${query.search !== null ? ` matching “${query.search}”` : ""}`
              : connection
                ? "Loading…"
                : "No connection"}
          </span>
          <span className="muted">sorted by {SORT_LABELS[sort]}</span>
          <span className="spacer" />
          {data && (
            <span className="muted" data-testid="tenants-page">
              page {shownPage + 1} of {pages}
            </span>
          )}
        </footer>
      </div>

      {open && connection && (
        <TenantDetail
          key={`${connection}\u0000${open.id}`}
          connection={connection}
          id={open.id}
          fromList={open.fromList}
          onClose={() => setSelected(null)}
          onOpenConsole={onOpenConsole}
          wide={wideDetail}
          onWide={setWideDetail}
        />
      )}
    </section>
  );
}

const EMPTY: Tenant[] = [];
