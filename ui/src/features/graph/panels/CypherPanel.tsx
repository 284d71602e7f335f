import { RowLimitSelect } from "../../../components/RowLimitSelect";
import { useState } from "react";
import { Icon } from "../../../components/Icon";

const DEFAULT_ROWS = 1_000;

/** A read-only Cypher query in the tenant (`$tenant` bound), whose nodes and relationships are drawn. */
export function CypherPanel({
  tenantProperty,
  busy,
  onRun,
}: {
  /** The profile's tenant property, for the example. */
  tenantProperty: string | null;
  busy: boolean;
  onRun: (text: string, maxRows: number) => void;
}) {
  const [text, setText] = useState("");
  const [maxRows, setMaxRows] = useState(DEFAULT_ROWS);
  const example = `MATCH (n)-[r]->(m) WHERE n.${tenantProperty ?? "tenantId"} = $tenant RETURN n, r, m LIMIT 500`;
  return (
    <div className="graph-cypher">
      <label className="find-field">
        <span className="field-caption">Cypher (read-only; $tenant is the tenant's id)</span>
        <textarea
          data-testid="graph-cypher-input"
          className="mono graph-cypher-text"
          rows={5}
          placeholder={example}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) onRun(text, maxRows);
          }}
        />
      </label>
      <div className="graph-inline-form">
        <RowLimitSelect className="find-field" testId="graph-cypher-rows" value={maxRows} onChange={setMaxRows} />
        <span className="spacer" />
        <button type="button" className="button small" data-testid="graph-cypher-example" onClick={() => setText(example)}>
          Example
        </button>
        <button type="button" className="button primary" data-testid="graph-cypher-run" disabled={busy} onClick={() => onRun(text, maxRows)}>
          <Icon name="play" size={13} className={busy ? "spin" : undefined} />
          {busy ? "Running…" : "Run"}
        </button>
      </div>
    </div>
  );
}
