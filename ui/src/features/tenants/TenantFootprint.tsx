import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useBackend } from "../../backend";
import { STORE_LABELS } from "../../lib/stores";
import { storeErrorTitle, tenantError } from "./errors";
import { footprintLines, footprintQuery } from "./footprint";

/** How much of each store the tenant occupies, from `tenantFootprint`. */
export function TenantFootprint({ connection, tenantId }: { connection: string; tenantId: string }) {
  const backend = useBackend();
  const [exact, setExact] = useState(false);
  const footprint = useQuery(footprintQuery(backend, connection, tenantId, exact));
  const failure = footprint.isError ? tenantError(footprint.error) : null;

  return (
    <section className="detail-section" data-testid="tenant-footprint" aria-labelledby="tenant-footprint-title">
      <div className="detail-section-head">
        <h3 id="tenant-footprint-title">Footprint</h3>
        {footprint.data && (
          <span className="footprint-meta mono" title={`Measured ${footprint.data.measuredAt}`}>
            {footprint.data.exact ? "exact" : "estimated"} · {footprint.data.elapsedMs} ms
          </span>
        )}
        <span className="spacer" />
        {!exact && (
          <button
            type="button"
            className="link-button"
            data-testid="tenant-footprint-exact"
            title="Count every row and size every Redis key (slower)"
            disabled={footprint.isFetching}
            onClick={() => setExact(true)}
          >
            Exact counts
          </button>
        )}
      </div>
      {footprint.isPending && (
        <p className="muted detail-loading" data-testid="tenant-footprint-loading">
          Loading from <code>tenantFootprint</code>…
        </p>
      )}
      {failure && (
        <p className="detail-error" role="alert" data-code={failure.code} data-testid="tenant-footprint-error">
          <strong>{failure.title}</strong>
          <span>{failure.detail}</span>
        </p>
      )}
      {footprint.data && (
        <ul className="footprint-list">
          {footprintLines(footprint.data).map((l) => (
            <li key={l.store} data-testid={`tenant-footprint-${l.store}`} data-state={l.state} className={`footprint-${l.state}`}>
              <span className="footprint-store">{STORE_LABELS[l.store]}</span>
              {l.state === "ok" && (
                <>
                  <span className="mono footprint-facts">{l.summary.facts}</span>
                  <span className="mono footprint-where truncate" title={l.summary.where}>
                    {l.summary.where}
                  </span>
                  {l.summary.warning && <span className="footprint-note">{l.summary.warning}</span>}
                </>
              )}
              {l.state === "not_configured" && (
                <span className="footprint-facts muted" title={l.message}>
                  not configured
                </span>
              )}
              {l.state === "error" && (
                <>
                  <span className="footprint-facts footprint-failed">{storeErrorTitle(l.store, l.error.code)}</span>
                  <span className="footprint-note">{l.error.message}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
