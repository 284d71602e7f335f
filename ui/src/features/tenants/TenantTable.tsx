import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { createContext, useContext, type KeyboardEvent, type ReactNode } from "react";
import type { Tenant, TenantSort } from "../../backend";
import { CopyButton } from "../../components/CopyButton";
import { createdDate, locationSummary } from "./format";
import { Icon } from "../../components/Icon";
import {
  IDLE_OVERVIEW,
  TOTALS_COLUMNS,
  TOTALS_DESCRIPTIONS,
  TOTALS_HEADERS,
  totalsCell,
  type OverviewView,
  type TotalsColumn,
} from "./overview";
import { TierBadge } from "./TierBadge";
import { useVirtualRows } from "../../lib/useVirtualRows";

/** Row height in px (CSS `.tenant-row` matches). */
export const ROW_HEIGHT = 28;
/** Pages longer than this render only the rows in view. */
export const VIRTUALIZE_ABOVE = 150;

// Sorting is the server's: the table only holds which column is sorted
// (always ascending, the order the backend offers) and reports clicks.
const features = tableFeatures({ rowSortingFeature });
const column = createColumnHelper<typeof features, Tenant>();

const SORTS: readonly TenantSort[] = ["slug", "name", "tier", "created_at"];
const isSort = (id: string): id is TenantSort => (SORTS as readonly string[]).includes(id);
const isTotals = (id: string): id is TotalsColumn => (TOTALS_COLUMNS as readonly string[]).includes(id);

// The cells read the overview from here, so the column definitions stay static.
const OverviewContext = createContext<OverviewView>(IDLE_OVERVIEW);

function TotalsCellView({ tenant, column: id }: { tenant: Tenant; column: TotalsColumn }) {
  const cell = totalsCell(useContext(OverviewContext), tenant, id);
  return (
    <span
      className={`mono totals-cell totals-${cell.state}`}
      data-testid={`tenants-cell-${id}-${tenant.slug}`}
      data-state={cell.state}
      title={cell.title}
    >
      {cell.text}
    </span>
  );
}

const totalsColumns = TOTALS_COLUMNS.map((id) =>
  column.display({
    id,
    header: TOTALS_HEADERS[id],
    cell: (info) => <TotalsCellView tenant={info.row.original} column={id} />,
  }),
);

const columns = column.columns([
  column.accessor("slug", {
    id: "slug",
    header: "Slug",
    cell: (info) => <span className="mono tenant-slug truncate">{info.getValue()}</span>,
  }),
  column.accessor("name", {
    id: "name",
    header: "Name",
    cell: (info) => {
      const name = info.getValue();
      return name === null ? (
        <span className="cell-null">null</span>
      ) : (
        <span className="truncate" title={name}>
          {name}
        </span>
      );
    },
  }),
  column.accessor("tier", {
    id: "tier",
    header: "Tier",
    cell: (info) => <TierBadge tier={info.getValue()} testId={`tenant-tier-${info.row.original.slug}`} />,
  }),
  column.accessor("location", {
    id: "location",
    header: "Location",
    enableSorting: false,
    cell: (info) => {
      const loc = locationSummary(info.getValue());
      return (
        <span className="tenant-location truncate" title={loc.title}>
          <span className="mono">{loc.main}</span>
          {loc.extra && <span className="mono muted"> {loc.extra}</span>}
        </span>
      );
    },
  }),
  column.accessor("createdAt", {
    id: "created_at",
    header: "Created",
    cell: (info) => {
      const value = info.getValue();
      return (
        <span className={`mono${value === null ? " cell-null" : ""}`} title={value ?? undefined}>
          {createdDate(value)}
        </span>
      );
    },
  }),
  ...totalsColumns,
  column.accessor("id", {
    id: "id",
    header: "ID",
    enableSorting: false,
    cell: (info) => (
      <span className="tenant-id">
        <span className="mono truncate" title={info.getValue()}>
          {info.getValue()}
        </span>
        <CopyButton value={info.getValue()} label={`Copy the id of ${info.row.original.slug}`} />
      </span>
    ),
  }),
]);

/** The columns' ids, in order (the loading skeleton draws the same grid). */
export const TENANT_COLUMN_IDS: readonly string[] = columns.map((c) => c.id!);

const getRowId = (t: Tenant) => t.id;

export function TenantTable({
  tenants,
  sort,
  onSort,
  selectedId,
  onOpen,
  busy,
  scrollKey,
  placeholder,
  compact = false,
  overview = IDLE_OVERVIEW,
}: {
  tenants: Tenant[];
  sort: TenantSort;
  onSort: (sort: TenantSort) => void;
  selectedId: string | null;
  onOpen: (tenant: Tenant) => void;
  /** A newer page is loading: the rows shown are the previous ones. */
  busy: boolean;
  /** Scrolls back to the top when it changes (a new page, search or sort). */
  scrollKey: string;
  /** Shown instead of rows (loading, empty, error). */
  placeholder?: ReactNode;
  /** Narrow (a detail panel is open): the ID, location and created columns are left to the panel. */
  compact?: boolean;
  /** Every tenant's totals per store, for the Rows … Objects columns. */
  overview?: OverviewView;
}) {
  const sorting: SortingState = [{ id: sort, desc: false }];
  const table = useTable({
    features,
    columns,
    data: tenants,
    getRowId,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const id = next[0]?.id;
      if (id && isSort(id)) onSort(id);
    },
  });
  const rows = table.getRowModel().rows;

  const { scrollRef, virtual, indexes, bodyStyle, rowStyle } = useVirtualRows({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    virtualizeAbove: VIRTUALIZE_ABOVE,
    scrollKey,
    getItemKey: (index) => rows[index]?.id ?? index,
  });

  function onRowKey(event: KeyboardEvent<HTMLDivElement>, tenant: Tenant) {
    const row = event.currentTarget;
    const move = (to: Element | null) => {
      if (to instanceof HTMLElement && to.getAttribute("role") === "row") {
        event.preventDefault();
        to.focus();
        to.click();
      }
    };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen(tenant);
    } else if (event.key === "ArrowDown") move(row.nextElementSibling);
    else if (event.key === "ArrowUp") move(row.previousElementSibling);
  }

  return (
    <OverviewContext value={overview}>
      <div
        className={`tenant-table${busy ? " busy" : ""}${compact ? " compact" : ""}`}
        role="grid"
        aria-label="Tenants"
        aria-rowcount={rows.length + 1}
        aria-busy={busy || undefined}
      >
        <div className="tenant-table-scroll" ref={scrollRef}>
          <div className="tenant-table-inner">
            <div role="rowgroup" className="tenant-head">
              {table.getHeaderGroups().map((group) => (
                <div role="row" className="tenant-grid tenant-head-row" key={group.id} aria-rowindex={1}>
                  {group.headers.map((header) => {
                    const col = header.column;
                    const sorted = col.getIsSorted();
                    return (
                      <div
                        role="columnheader"
                        key={header.id}
                        className={`tenant-th th-${col.id}${isTotals(col.id) ? " th-totals" : ""}`}
                        aria-sort={sorted ? "ascending" : col.getCanSort() ? "none" : undefined}
                      >
                        {col.getCanSort() ? (
                          <button
                            type="button"
                            className={`th-sort${sorted ? " sorted" : ""}`}
                            data-testid={`tenants-sort-${col.id}`}
                            title={`Sort by ${String(col.columnDef.header).toLowerCase()}`}
                            onClick={() => col.toggleSorting(false)}
                          >
                            <table.FlexRender header={header} />
                            <Icon name="sortUp" size={11} className="sort-arrow" />
                          </button>
                        ) : (
                          <span className="th-label" title={isTotals(col.id) ? TOTALS_DESCRIPTIONS[col.id] : undefined}>
                            <table.FlexRender header={header} />
                          </span>
                        )}
                      </div>
                    );
                  })}
                </div>
              ))}
            </div>
            {placeholder ? (
              <div className="tenant-placeholder">{placeholder}</div>
            ) : (
              <div
                role="rowgroup"
                className={`tenant-body${virtual ? " virtual" : ""}`}
                style={bodyStyle}
              >
                {indexes.map((index) => {
                  const row = rows[index]!;
                  const tenant = row.original;
                  const selected = tenant.id === selectedId;
                  return (
                    <div
                      role="row"
                      key={row.id}
                      tabIndex={0}
                      data-index={index}
                      data-testid={`tenants-row-${tenant.slug}`}
                      aria-rowindex={index + 2}
                      aria-selected={selected}
                      className={`tenant-grid tenant-row${selected ? " selected" : ""}${index % 2 ? " odd" : ""}`}
                      style={rowStyle(index)}
                      onClick={() => onOpen(tenant)}
                      onKeyDown={(e) => onRowKey(e, tenant)}
                    >
                      {row.getAllCells().map((cell) => (
                        <div
                          role="gridcell"
                          key={cell.id}
                          className={`tenant-td td-${cell.column.id}${isTotals(cell.column.id) ? " td-totals" : ""}`}
                        >
                          <table.FlexRender cell={cell} />
                        </div>
                      ))}
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
      </div>
    </OverviewContext>
  );
}
