import type { CacheKeyHit, EventsHit, GraphHit, ObjectHit, RowHit } from "../../backend";
import { formatBytes } from "../../lib/format";
import { formatTtl, formatWhen } from "./format";

/** The read-model row, as `to_jsonb` gave it. */
export function RowSection({ row }: { row: RowHit }) {
  return (
    <section className="hit-section" data-testid="find-row" aria-label="PostgreSQL row">
      <h4>
        PostgreSQL row <span className="mono muted">{row.table}</span>
      </h4>
      <pre className="json-block mono">{JSON.stringify(row.row, null, 2)}</pre>
    </section>
  );
}

export function EventsSection({ events, onOpenTimeTravel }: { events: EventsHit; onOpenTimeTravel?: () => void }) {
  return (
    <section className="hit-section" data-testid="find-events" aria-label="Events">
      <h4>
        Events <span className="count-badge mono">{events.total.toLocaleString("en-US")}</span>
        {events.recent.length < events.total && <span className="muted">the latest {events.recent.length}</span>}
        {onOpenTimeTravel && (
          <button
            type="button"
            className="link-button"
            data-testid="find-open-timetravel"
            title="Fold these events step by step in Time travel"
            onClick={onOpenTimeTravel}
          >
            Time travel
          </button>
        )}
      </h4>
      {events.recent.length > 0 && (
        <div className="events-scroll">
          <table className="mini-table">
            <thead>
              <tr>
                <th>Type</th>
                <th>Time</th>
                <th>Sequence</th>
              </tr>
            </thead>
            <tbody>
              {events.recent.map((e, i) => (
                <tr key={`${e.sequence ?? ""}:${i}`}>
                  <td className="mono">{e.eventType}</td>
                  <td className="mono">{formatWhen(e.time)}</td>
                  <td className="mono muted">{e.sequence ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function GraphSection({ nodes }: { nodes: GraphHit[] }) {
  return (
    <section className="hit-section" data-testid="find-graph" aria-label="Graph nodes">
      <h4>Graph {nodes.length === 1 ? "node" : `nodes (${nodes.length})`}</h4>
      <ul className="hit-list">
        {nodes.map((n, i) => (
          <li key={i}>
            <span className="hit-line">
              {n.labels.map((l) => (
                <span key={l} className="tag">
                  :{l}
                </span>
              ))}
              <span>
                degree <strong className="mono">{n.degree}</strong>
              </span>
              {n.tenantValue !== null && (
                <span className="muted truncate">
                  tenant property <span className="mono">{n.tenantValue}</span>
                </span>
              )}
            </span>
            <pre className="json-block mono">{JSON.stringify(n.properties, null, 2)}</pre>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CacheSection({ keys }: { keys: CacheKeyHit[] }) {
  return (
    <section className="hit-section" data-testid="find-cache" aria-label="Cache keys">
      <h4>Cache {keys.length === 1 ? "key" : `keys (${keys.length})`}</h4>
      <ul className="hit-list">
        {keys.map((k) => (
          <li key={k.key} className="hit-line" data-present={k.present}>
            <span className="mono truncate" title={k.key}>
              {k.key}
            </span>
            {k.present ? (
              <>
                <span className="tag">{k.keyType ?? "?"}</span>
                <span className={k.ttlMs === null ? "tag tag-warn" : "muted"} title="Time to live">
                  TTL {formatTtl(k.ttlMs)}
                </span>
                {k.memoryBytes !== null && <span className="muted">{formatBytes(k.memoryBytes)}</span>}
              </>
            ) : (
              <span className="tag">not cached</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ObjectsSection({ objects }: { objects: ObjectHit[] }) {
  return (
    <section className="hit-section" data-testid="find-objects" aria-label="Objects">
      <h4>{objects.length === 1 ? "Object" : `Objects (${objects.length})`}</h4>
      <ul className="hit-list">
        {objects.map((o) => (
          <li key={`${o.bucket}/${o.key}`} className="hit-line" data-present={o.present}>
            <span className="mono truncate" title={`${o.bucket}/${o.key}`}>
              {o.bucket}/{o.key}
            </span>
            {o.present ? (
              <>
                {o.size !== null && <span>{formatBytes(o.size)}</span>}
                {o.lastModified && <span className="muted mono">{formatWhen(o.lastModified)}</span>}
              </>
            ) : (
              <span className="tag tag-warn">missing</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
