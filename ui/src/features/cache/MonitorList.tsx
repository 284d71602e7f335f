import type { CSSProperties } from "react";
import type { Cell } from "../../backend";
import { formatBytes } from "../../lib/format";
import { useVirtualRows } from "../../lib/useVirtualRows";
import { describeMessage, formatClock, messageText, type MonitorRow } from "./monitor";

/** Row height in px (`.cache-monitor-row` matches). */
const MONITOR_ROW_HEIGHT = 26;
/** Lists longer than this render only the rows in view. */
export const MONITOR_VIRTUALIZE_ABOVE = 100;
/** A tooltip keeps this much of a long payload. */
const TITLE_CHARS = 1_000;

/** A channel or stream name longer than this is shown by its end (`…:updates`). */
const WHERE_CHARS = 30;

/** One cell of a message; a cut one says so first (the row may not show its end), with its whole size. */
function CellPart({ cell }: { cell: Cell }) {
  return (
    <>
      {cell.truncated && (
        <span className="cell-cut" data-testid="cache-monitor-cut" title={`Only the first 4 KiB of ${formatBytes(cell.bytes)} are shown`}>
          cut ({formatBytes(cell.bytes)})
        </span>
      )}
      <span className="mono">{cell.text}</span>
    </>
  );
}

function MessageRow({ row, style }: { row: MonitorRow; style: CSSProperties | undefined }) {
  const { message } = row;
  const { where, whereTitle, parts } = describeMessage(message);
  return (
    <div role="row" className="cache-monitor-row" data-testid="cache-monitor-row" data-seq={row.seq} data-source={message.source} style={style}>
      <span role="cell" className="mono muted cache-monitor-time">
        {formatClock(row.at)}
      </span>
      <span role="cell">
        <span className={`tag cache-monitor-source source-${message.source}`}>{message.source === "pubsub" ? "pub/sub" : "stream"}</span>
      </span>
      <span role="cell" className="mono truncate cache-monitor-where" title={whereTitle}>
        {where.length > WHERE_CHARS ? `…${where.slice(where.length - WHERE_CHARS + 1)}` : where}
      </span>
      <span role="cell" className="truncate cache-monitor-payload" title={messageText(message).slice(0, TITLE_CHARS)}>
        {parts.map(({ name, value }, i) => (
          <span key={i} className="cache-monitor-part">
            {name && (
              <span className="muted">
                <CellPart cell={name} />=
              </span>
            )}
            <CellPart cell={value} />
          </span>
        ))}
      </span>
    </div>
  );
}

/** The messages kept, newest first; long lists render only the rows in view. */
export function MonitorList({ rows, runId }: { rows: readonly MonitorRow[]; runId: string }) {
  const count = rows.length;
  // Newest first: row i shows rows[count - 1 - i].
  const at = (i: number) => rows[count - 1 - i]!;
  const { scrollRef, virtual, indexes, bodyStyle, rowStyle } = useVirtualRows({
    count,
    rowHeight: MONITOR_ROW_HEIGHT,
    virtualizeAbove: MONITOR_VIRTUALIZE_ABOVE,
    scrollKey: runId,
    getItemKey: (i) => at(i).seq,
  });
  return (
    <div
      ref={scrollRef}
      className="cache-monitor-list"
      role="table"
      aria-label="Messages, newest first"
      data-testid="cache-monitor-list"
      data-rows={count}
    >
      <div role="rowgroup" className={`cache-monitor-body${virtual ? " virtual" : ""}`} style={bodyStyle}>
        {indexes.map((i) => {
          const row = at(i);
          return <MessageRow key={row.seq} row={row} style={rowStyle(i)} />;
        })}
      </div>
      {count === 0 && <p className="muted cache-empty">No messages yet.</p>}
    </div>
  );
}
