import type { ConsoleResult } from "../../backend";
import { QueryResultGrid } from "../../components/QueryResultGrid";

/**
 * A console answer: where it ran, how long it took, the rows (virtualized),
 * cut cells, more rows. Mounted anew for each run (`runId`).
 */
export function ConsoleResults({ result, runId }: { result: ConsoleResult; runId: number }) {
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
      <QueryResultGrid result={result} scrollKey={String(runId)} testId="console-results" label="Console results" className="console-grid" />
    </div>
  );
}
