import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from "react";
import { useVirtualRows } from "../lib/useVirtualRows";
import { compactJson, cutSet, isCut } from "./cells";

/** Row height in px (CSS `.tenant-row` matches). */
export const GRID_ROW_HEIGHT = 28;
/** Grids longer than this render only the rows in view. */
export const GRID_VIRTUALIZE_ABOVE = 100;

export interface GridColumn {
  name: string;
  /** The store's type name, shown under the header and sizing the column. */
  typeName?: string;
  /** Cells are JSON text: shown compact. */
  json?: boolean;
  /** The key column: shown first-class. */
  id?: boolean;
}

export interface GridCell {
  row: number;
  col: number;
}

type Row = readonly (string | null)[];
const features = tableFeatures({});
const helper = createColumnHelper<typeof features, Row>();

function width(c: GridColumn): [string, number] {
  const t = c.typeName ?? "";
  if (t === "uuid") return ["292px", 292];
  if (c.json) return ["minmax(240px, 2fr)", 240];
  if (t.startsWith("timestamp")) return ["196px", 196];
  if (/^(integer|bigint|smallint|numeric|real|double precision|boolean)$/.test(t)) return ["minmax(90px, 0.5fr)", 90];
  return ["minmax(150px, 1fr)", 150];
}

function CellContent({ value, json, cut }: { value: string | null; json: boolean; cut: boolean }) {
  if (value === null) return <span className="cell-null">null</span>;
  return (
    <>
      <span className={`truncate${json ? " mono cell-json" : ""}`}>{json ? compactJson(value) : value}</span>
      {cut && (
        <span className="cell-cut" data-testid="cell-cut" title="Cut at 4,096 characters: open the cell for what was kept">
          … cut
        </span>
      )}
    </>
  );
}

/**
 * Rows of text cells (`null` = NULL) under named columns: JSON compact, cut
 * cells marked, long results virtualized. Clicking a cell (or Enter on it)
 * selects it; arrow keys move between cells.
 */
export function DataGrid({
  columns,
  rows,
  truncated = [],
  label,
  testId,
  selected,
  onSelect,
  scrollKey = "",
  busy = false,
  placeholder,
  className = "",
}: {
  columns: GridColumn[];
  rows: readonly Row[];
  truncated?: readonly (readonly [number, number])[];
  label: string;
  testId: string;
  selected: GridCell | null;
  onSelect: (cell: GridCell) => void;
  /** Scrolls back to the top when it changes. */
  scrollKey?: string;
  busy?: boolean;
  /** Shown instead of rows (loading, empty). */
  placeholder?: ReactNode;
  className?: string;
}) {
  const cut = useMemo(() => cutSet(truncated), [truncated]);
  const defs = useMemo(
    () =>
      helper.columns(
        columns.map((c, i) =>
          helper.accessor((row: Row) => row[i] ?? null, {
            id: `c${i}`,
            header: c.name,
            cell: (info) => <CellContent value={info.getValue()} json={Boolean(c.json)} cut={isCut(cut, info.row.index, i)} />,
          }),
        ),
      ),
    [columns, cut],
  );
  const table = useTable({ features, columns: defs, data: rows as Row[] });
  const tableRows = table.getRowModel().rows;

  const sizes = columns.map(width);
  const style = {
    "--tenant-cols": `52px ${sizes.map((s) => s[0]).join(" ")}`,
    "--tenant-min-width": `${52 + sizes.reduce((sum, s) => sum + s[1], 0)}px`,
  } as CSSProperties;

  const { scrollRef, virtual, virtualizer, indexes, bodyStyle, rowStyle } = useVirtualRows({
    count: tableRows.length,
    rowHeight: GRID_ROW_HEIGHT,
    virtualizeAbove: GRID_VIRTUALIZE_ABOVE,
    scrollKey,
  });

  // The cell that takes Tab (roving tabindex); moved with the arrow keys.
  const [active, setActive] = useState<GridCell>({ row: 0, col: 0 });
  const focusTarget = useRef<GridCell | null>(null);
  useEffect(() => {
    const target = focusTarget.current;
    if (!target) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${target.row}"][data-col="${target.col}"]`);
    if (el) {
      focusTarget.current = null;
      el.focus();
    }
  });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>, cell: GridCell) {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageUp: [-10, 0],
      PageDown: [10, 0],
    };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect(cell);
      return;
    }
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const next = {
      row: Math.min(Math.max(cell.row + move[0], 0), tableRows.length - 1),
      col: Math.min(Math.max(cell.col + move[1], 0), columns.length - 1),
    };
    if (virtual) virtualizer.scrollToIndex(next.row);
    focusTarget.current = next;
    setActive(next);
  }

  const tabCell = active.row < tableRows.length && active.col < columns.length ? active : { row: 0, col: 0 };

  return (
    <div
      className={`tenant-table data-grid${busy ? " busy" : ""} ${className}`}
      role="grid"
      aria-label={label}
      aria-rowcount={tableRows.length + 1}
      aria-colcount={columns.length + 1}
      aria-busy={busy || undefined}
      data-testid={testId}
      data-rows={tableRows.length}
      style={style}
    >
      <div className="tenant-table-scroll" ref={scrollRef}>
        <div className="tenant-table-inner">
          <div role="rowgroup" className="tenant-head">
            {table.getHeaderGroups().map((group) => (
              <div role="row" className="tenant-grid tenant-head-row" key={group.id} aria-rowindex={1}>
                <div role="columnheader" className="tenant-th grid-rownum" aria-label="Row number" />
                {group.headers.map((header, i) => (
                  <div role="columnheader" key={header.id} className="tenant-th" title={columns[i]?.typeName}>
                    <span className="th-label">
                      <span className="truncate">
                        <table.FlexRender header={header} />
                      </span>
                      {columns[i]?.typeName && <span className="th-type">{columns[i].typeName}</span>}
                    </span>
                  </div>
                ))}
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
                const row = tableRows[index]!;
                return (
                  <div
                    role="row"
                    key={row.id}
                    data-index={index}
                    data-testid={`${testId}-row`}
                    aria-rowindex={index + 2}
                    className={`tenant-grid tenant-row${index % 2 ? " odd" : ""}`}
                    style={rowStyle(index)}
                  >
                    <div role="rowheader" className="tenant-td grid-rownum mono">
                      {index + 1}
                    </div>
                    {row.getAllCells().map((cell, col) => {
                      const here = { row: index, col };
                      const isSelected = selected?.row === index && selected.col === col;
                      const value = row.original[col] ?? null;
                      return (
                        <div
                          role="gridcell"
                          key={cell.id}
                          tabIndex={tabCell.row === index && tabCell.col === col ? 0 : -1}
                          data-row={index}
                          data-col={col}
                          data-testid={`${testId}-cell-${index}-${col}`}
                          aria-selected={isSelected}
                          className={`tenant-td grid-td${isSelected ? " selected" : ""}${value === null ? " is-null" : ""}`}
                          onClick={() => {
                            setActive(here);
                            onSelect(here);
                          }}
                          onKeyDown={(e) => onKeyDown(e, here)}
                        >
                          <table.FlexRender cell={cell} />
                        </div>
                      );
                    })}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
