import { useMemo, useState } from "react";
import type { ConsoleResult } from "../backend";
import { CellInspector } from "./CellInspector";
import { cutSet, isCut, looksLikeJson } from "./cells";
import { DataGrid, type GridCell, type GridColumn } from "./DataGrid";

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
 * A console answer's rows as a grid (virtualized, cut cells marked), a cell
 * opening in the inspector below. `scrollKey` names the answer: a new one
 * scrolls back to the top.
 */
export function QueryResultGrid({
  result,
  scrollKey,
  testId,
  label,
  className,
}: {
  result: ConsoleResult;
  scrollKey: string;
  testId: string;
  label: string;
  className?: string;
}) {
  const columns = useMemo(() => gridColumns(result), [result]);
  const cuts = useMemo(() => cutSet(result.truncatedCells), [result.truncatedCells]);
  const [selected, setSelected] = useState<GridCell | null>(null);
  const column = selected ? columns[selected.col] : undefined;

  return (
    <>
      <DataGrid
        columns={columns}
        rows={result.rows}
        truncated={result.truncatedCells}
        label={label}
        testId={testId}
        selected={selected}
        onSelect={setSelected}
        scrollKey={scrollKey}
        placeholder={columns.length === 0 || result.rows.length === 0 ? <p className="muted">No rows.</p> : undefined}
        className={className}
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
    </>
  );
}
