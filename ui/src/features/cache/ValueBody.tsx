import type { ReactNode } from "react";
import type { Cell } from "../../backend";
import { formatBytes, formatCount } from "../../lib/format";
import { hexLines } from "./format";
import type { MergedValue } from "./value";

/** One element; a cut one says so, with its whole size. */
function CellText({ cell }: { cell: Cell }) {
  return (
    <>
      <span className="mono cache-cell-text">{cell.text}</span>
      {cell.truncated && (
        <span className="cell-cut" data-testid="cache-cell-cut" title={`Only the first 4 KiB of ${formatBytes(cell.bytes)} are shown`}>
          … cut ({formatBytes(cell.bytes)} in full)
        </span>
      )}
    </>
  );
}

function Table({ testId, headers, rows }: { testId: string; headers: string[]; rows: ReactNode[][] }) {
  return (
    <table className="mini-table cache-value-table" data-testid={testId}>
      <thead>
        <tr>
          {headers.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells, r) => (
          <tr key={r} data-testid={`${testId}-row`}>
            {cells.map((c, k) => (
              <td key={k}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A string's first bytes: JSON pretty-printed, else its text, else hex; a cut one says how much is shown. */
function StringValue({ value, length }: { value: Extract<MergedValue, { kind: "string" }>; length: string | null }) {
  const whole = length ?? String(value.bytes_shown);
  return (
    <>
      {value.truncated && (
        <p className="cell-cut-note cache-cut" data-testid="cache-value-cut">
          cut: first {formatCount(String(value.bytes_shown))} bytes shown of {formatCount(whole)} ({formatBytes(whole)})
        </p>
      )}
      {value.json !== null ? (
        <pre className="json-block mono cache-value-block" data-testid="cache-value-json">
          {JSON.stringify(value.json, null, 2)}
        </pre>
      ) : value.text !== null ? (
        <pre className="json-block mono cache-value-block" data-testid="cache-value-text">
          {value.text}
        </pre>
      ) : (
        <pre className="json-block mono cache-value-block" data-testid="cache-value-hex" aria-label="The value's bytes in hex">
          {hexLines(value.hex ?? "")}
        </pre>
      )}
    </>
  );
}

/** The value by its type: a string's text, the elements of a hash, list, set, sorted set or stream in a table. */
export function ValueBody({ value, length }: { value: MergedValue; length: string | null }) {
  switch (value.kind) {
    case "missing":
      return (
        <p className="cache-missing" data-testid="cache-value-missing">
          The key no longer exists (expired or deleted since the scan).
        </p>
      );
    case "other":
      return (
        <p className="muted" data-testid="cache-value-other">
          This viewer does not show values of type <code>{value.typeName}</code>.
        </p>
      );
    case "string":
      return <StringValue value={value} length={length} />;
    case "hash":
      return <Table testId="cache-value-hash" headers={["Field", "Value"]} rows={value.fields.map(([f, v]) => [<CellText cell={f} />, <CellText cell={v} />])} />;
    case "list":
      return (
        <Table
          testId="cache-value-list"
          headers={["#", "Item"]}
          rows={value.items.map(({ index, item }) => [<span className="mono muted">{index}</span>, <CellText cell={item} />])}
        />
      );
    case "set":
      return <Table testId="cache-value-set" headers={["Member"]} rows={value.members.map((m) => [<CellText cell={m} />])} />;
    case "zset":
      return (
        <Table
          testId="cache-value-zset"
          headers={["#", "Member", "Score"]}
          rows={value.members.map((m) => [<span className="mono muted">{m.index}</span>, <CellText cell={m.member} />, <span className="mono">{m.score}</span>])}
        />
      );
    case "stream":
      return (
        <>
          <Table
            testId="cache-value-stream"
            headers={["Entry id", "Fields"]}
            rows={value.entries.map((e) => [
              <span className="mono">{e.id}</span>,
              <dl className="cache-stream-fields">
                {e.fields.map(([f, v], k) => (
                  <div key={k}>
                    <dt>
                      <CellText cell={f} />
                    </dt>
                    <dd>
                      <CellText cell={v} />
                    </dd>
                  </div>
                ))}
              </dl>,
            ])}
          />
          <h4 className="cache-subtitle">Consumer groups</h4>
          {value.groups.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <Table
              testId="cache-value-groups"
              headers={["Group", "Consumers", "Pending", "Last delivered"]}
              rows={value.groups.map((g) => [
                <span className="mono">{g.name}</span>,
                formatCount(g.consumers),
                formatCount(g.pending),
                <span className="mono">{g.lastDeliveredId}</span>,
              ])}
            />
          )}
        </>
      );
  }
}
