import { useMemo, useState } from "react";
import type { ConsoleResult } from "../../backend";
import { CellInspector } from "../../components/CellInspector";
import { cutSet, isCut, looksLikeJson } from "../../components/cells";
import { DataGrid, type GridCell, type GridColumn } from "../../components/DataGrid";

/** A column is JSON when its first non-null cells all are (Cypher nodes, maps and lists). */
function gridColumns(result: ConsoleResult): GridColumn[] {
  return result.columns.map((name, i) => {
    const sample = result.rows
      .slice(0, 50)
      .map((r) => r[i] ?? null)
      .filter((c): c is string => c !== null);
    return { name, json: sample.length > 0 && sample.every(looksLikeJson) };
  });
}

/**
 * A console answer: where it ran, how long it took, the rows (virtualized),
 * cut cells, more rows. Mounted anew for each run (`runId`).
 */
export function ConsoleResults({ result, runId }: { result: ConsoleResult; runId: number }) {
  const columns = useMemo(() => gridColumns(result), [result]);
  const cuts = useMemo(() => cutSet(result.truncatedCells), [result.truncatedCells]);
  const [selected, setSelected] = useState<GridCell | null>(null);
  const column = selected ? columns[selected.col] : undefined;
  const count = result.rows.length;

  return (
    <div className="console-results">
      <div className="console-meta" data-testid="console-meta">
        <strong data-testid="console-row-count">
          {count.toLocaleString("en-US")} {count === 1 ? "row" : "rows"}
        </strong>
        <span className="muted">
          ran in <span className="mono">{result.scope}</span>
        </span>
        <span className="mono muted">{result.elapsedMs.toLocaleString("en-US")} ms</span>
        {result.truncatedCells.length > 0 && (
          <span className="tag tag-warn" title="Cells longer than 4,096 characters were cut">
            {result.truncatedCells.length} cut {result.truncatedCells.length === 1 ? "cell" : "cells"}
          </span>
        )}
      </div>
      {result.more && (
        <p className="warning console-more" data-testid="console-more" role="status">
          More rows exist: only the first {count.toLocaleString("en-US")} are shown. Raise the row limit or narrow the statement.
        </p>
      )}
      <DataGrid
        columns={columns}
        rows={result.rows}
        truncated={result.truncatedCells}
        label="Console results"
        testId="console-results"
        selected={selected}
        onSelect={setSelected}
        scrollKey={String(runId)}
        placeholder={columns.length === 0 || count === 0 ? <p className="muted">No rows.</p> : undefined}
        className="console-grid"
      />
      {selected && column && (
        <CellInspector
          column={column.name}
          row={selected.row}
          value={result.rows[selected.row]?.[selected.col] ?? null}
          json={Boolean(column.json)}
          cut={isCut(cuts, selected.row, selected.col)}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
