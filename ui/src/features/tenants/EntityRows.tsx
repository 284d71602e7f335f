import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useBackend, type ColumnFilter, type EntitySummary, type RowColumn } from "../../backend";
import { CellInspector } from "../../components/CellInspector";
import { isCut, cutSet } from "../../components/cells";
import { DataGrid, type GridCell } from "../../components/DataGrid";
import { rowsError } from "./errors";
import { ExportButtons } from "./ExportButtons";
import { buildRowQuery, rowsQuery, type RowsView } from "./queries";
import { RowFilters } from "./RowFilters";
import { LoadMoreButton } from "../../components/LoadMoreButton";

const NO_COLUMNS: RowColumn[] = [];

/** One entity table of a tenant: filters, order, keyset pages, cell inspector, export. */
export function EntityRows({ connection, tenantId, entity }: { connection: string; tenantId: string; entity: EntitySummary }) {
  const backend = useBackend();
  const [filters, setFilters] = useState<ColumnFilter[]>([]);
  const [descending, setDescending] = useState(false);
  const view: RowsView = useMemo(
    () => ({ entity: entity.entityType, filters, descending }),
    [entity.entityType, filters, descending],
  );
  const rows = useInfiniteQuery(rowsQuery(backend, connection, tenantId, view));

  const pages = rows.data?.pages;
  const data = useMemo(() => {
    const all: (string | null)[][] = [];
    const cut: [number, number][] = [];
    for (const page of pages ?? []) {
      for (const [r, c] of page.truncated) cut.push([all.length + r, c]);
      all.push(...page.rows);
    }
    return { rows: all, cut };
  }, [pages]);

  // The columns stay known while a new filter's first page loads or fails.
  const [known, setKnown] = useState<RowColumn[]>(NO_COLUMNS);
  const fresh = pages?.[0]?.columns;
  if (fresh && fresh !== known) setKnown(fresh);
  const columns = fresh ?? known;

  const viewKey = JSON.stringify(view);
  const [selection, setSelection] = useState<{ key: string; cell: GridCell } | null>(null);
  const selected = selection?.key === viewKey ? selection.cell : null;
  const cuts = useMemo(() => cutSet(data.cut), [data.cut]);

  const failure = rows.isError ? rowsError(rows.error) : null;
  const count = data.rows.length;
  const busy = rows.isFetching && rows.isPlaceholderData;

  let placeholder = null;
  if (!pages && rows.isPending) placeholder = <p className="muted">Loading rows…</p>;
  else if (!pages && failure) placeholder = <p className="muted">No rows to show.</p>;
  else if (pages && count === 0) {
    placeholder = (
      <p className="muted" data-testid="rows-empty">
        {filters.length ? "No row matches the filters." : "This table has no rows for the tenant."}
      </p>
    );
  }

  const column = selected ? columns[selected.col] : undefined;
  return (
    <div className="entity-rows">
      <div className="rows-toolbar">
        <span className="mono rows-table truncate" title={pages?.[0]?.table ?? entity.table}>
          {pages?.[0]?.table ?? entity.table}
        </span>
        <span className="spacer" />
        <label className="check" title="Descending id order: the newest ids first">
          <input
            type="checkbox"
            data-testid="rows-descending"
            checked={descending}
            onChange={(e) => setDescending(e.target.checked)}
          />
          Newest first
        </label>
      </div>
      <RowFilters columns={columns} filters={filters} onChange={setFilters} />
      {failure && (
        <div className="detail-error rows-error" role="alert" data-testid="rows-error" data-code={failure.code}>
          <strong>{failure.title}</strong>
          <span>{failure.detail}</span>
        </div>
      )}
      <DataGrid
        columns={columns}
        rows={data.rows}
        truncated={data.cut}
        label={`${entity.entityType} rows`}
        testId="rows-grid"
        selected={selected}
        onSelect={(cell) => setSelection({ key: viewKey, cell })}
        scrollKey={viewKey}
        busy={busy}
        placeholder={placeholder}
        className="rows-grid"
      />
      <div className="rows-footer">
        <span data-testid="rows-count" aria-live="polite">
          {pages ? `${count.toLocaleString("en-US")} ${count === 1 ? "row" : "rows"}${rows.hasNextPage ? " loaded, more to load" : ""}` : ""}
        </span>
        <span className="spacer" />
        <LoadMoreButton pages={rows} testId="rows-more" />
      </div>
      {selected && column && (
        <CellInspector
          column={column.name}
          typeName={column.typeName}
          row={selected.row}
          value={data.rows[selected.row]?.[selected.col] ?? null}
          json={column.json}
          cut={isCut(cuts, selected.row, selected.col)}
          onClose={() => setSelection(null)}
        />
      )}
      <ExportButtons
        connection={connection}
        tenantId={tenantId}
        query={buildRowQuery(view, null, null)}
        disabled={columns.length === 0}
      />
    </div>
  );
}
