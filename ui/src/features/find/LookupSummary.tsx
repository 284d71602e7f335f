import type { LookupResult } from "../../backend";
import { STORE_LABELS } from "../../lib/stores";
import { formatBytes } from "../../lib/format";
import { storeErrorTitle } from "../../lib/errors";
import { formatTtl, formatWhen, NEEDLE_KINDS } from "./format";

/** What the needle was taken for, what its key says, and what could not be searched. */
export function LookupSummary({ result, onOpenTenant }: { result: LookupResult; onOpenTenant?: (tenant: string) => void }) {
  const { cacheKey, object } = result;
  return (
    <div className="lookup-summary" data-testid="find-summary">
      <dl className="detail-fields lookup-fields">
        <dt>Taken for</dt>
        <dd>
          <span className="tag tag-active" data-testid="find-kind" data-kind={result.kind}>
            {NEEDLE_KINDS[result.kind]}
          </span>{" "}
          <span className="mono lookup-needle">{result.needle}</span>
        </dd>
        {result.keyTenant !== null && (
          <>
            <dt>Key's tenant</dt>
            <dd data-testid="find-key-tenant">
              {result.tenant ? (
                <>
                  {onOpenTenant ? (
                    <button
                      type="button"
                      className="link-button mono"
                      data-testid="find-open-key-tenant"
                      onClick={() => onOpenTenant(result.tenant!.id)}
                    >
                      {result.tenant.slug}
                    </button>
                  ) : (
                    <span className="mono">{result.tenant.slug}</span>
                  )}{" "}
                  <span className="tag">{result.tenant.tier}</span>{" "}
                  <span className="mono muted">{result.keyTenant}</span>
                </>
              ) : (
                <>
                  <span className="mono">{result.keyTenant}</span> <span className="tag tag-warn">not a known tenant</span>
                </>
              )}
            </dd>
          </>
        )}
        {result.keyEntity && (
          <>
            <dt>Names</dt>
            <dd>
              {result.keyEntity.entityType} <span className="mono">{result.keyEntity.id}</span>
            </dd>
          </>
        )}
        {cacheKey && (
          <>
            <dt>Cache key</dt>
            <dd data-testid="find-cache-key" data-present={cacheKey.present}>
              {cacheKey.present ? (
                <>
                  <span className="tag">{cacheKey.keyType ?? "?"}</span> TTL {formatTtl(cacheKey.ttlMs)}
                  {cacheKey.memoryBytes !== null && ` · ${formatBytes(cacheKey.memoryBytes)}`}
                </>
              ) : (
                <span className="tag tag-warn">not in Redis</span>
              )}
            </dd>
          </>
        )}
        {object && (
          <>
            <dt>Object</dt>
            <dd data-testid="find-object" data-present={object.present}>
              {object.present ? (
                <>
                  {object.size !== null && formatBytes(object.size)}
                  {object.lastModified && <span className="muted"> · {formatWhen(object.lastModified)}</span>}
                </>
              ) : (
                <span className="tag tag-warn">not in {object.bucket}</span>
              )}
            </dd>
          </>
        )}
        <dt>Took</dt>
        <dd className="mono" data-testid="find-elapsed">
          {result.elapsedMs.toLocaleString("en-US")} ms
        </dd>
      </dl>
      {result.errors.length > 0 && (
        <ul className="lookup-errors" data-testid="find-errors" aria-label="Stores that could not answer">
          {result.errors.map((e, i) => (
            <li key={i} data-code={e.error.code} data-store={e.store}>
              <strong>{storeErrorTitle(e.store, e.error.code)}</strong>
              {e.tenant && <span className="muted"> (tenant {e.tenant})</span>}
              <span className="lookup-error-detail">
                {STORE_LABELS[e.store]} <code>{e.error.code}</code>: {e.error.message}
              </span>
            </li>
          ))}
        </ul>
      )}
      {(result.capped || result.notes.length > 0) && (
        <ul className="lookup-notes" data-testid="find-notes" aria-label="Notes">
          {result.capped && (
            <li>
              <span className="tag tag-warn" data-testid="find-capped">
                capped
              </span>{" "}
              Some work was skipped to stay within the lookup's limits.
            </li>
          )}
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
