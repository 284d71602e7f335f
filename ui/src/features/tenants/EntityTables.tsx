import { useQuery } from "@tanstack/react-query";
import { useState, type KeyboardEvent } from "react";
import { useBackend } from "../../backend";
import { tenantError } from "./errors";
import { EntityRows } from "./EntityRows";
import { profileQuery } from "./queries";

/** The tenant's entity tables, one tab per entity type of the profile. */
export function EntityTables({ connection, tenantId }: { connection: string; tenantId: string }) {
  const backend = useBackend();
  const profile = useQuery(profileQuery(backend, connection));
  const entities = profile.data?.entities ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const current = entities.find((e) => e.entityType === chosen) ?? entities[0];
  const failure = profile.isError ? tenantError(profile.error) : null;

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step || entities.length === 0) return;
    event.preventDefault();
    const next = entities[(index + step + entities.length) % entities.length]!;
    setChosen(next.entityType);
    document.getElementById(`entity-tab-${next.entityType}`)?.focus();
  }

  return (
    <section className="detail-section entity-tables" data-testid="entity-tables" aria-labelledby="entity-tables-title">
      <div className="detail-section-head">
        <h3 id="entity-tables-title">Entity tables</h3>
      </div>
      {profile.isPending && <p className="muted detail-loading">Loading the profile…</p>}
      {failure && (
        <p className="detail-error" role="alert" data-code={failure.code} data-testid="entity-tables-error">
          <strong>{failure.title}</strong>
          <span>{failure.detail}</span>
        </p>
      )}
      {profile.isSuccess && entities.length === 0 && <p className="muted">The profile names no entity types.</p>}
      {current && (
        <>
          <div className="entity-tabs" role="tablist" aria-label="Entity types">
            {entities.map((e, i) => {
              const isCurrent = e.entityType === current.entityType;
              return (
                <button
                  key={e.entityType}
                  type="button"
                  role="tab"
                  id={`entity-tab-${e.entityType}`}
                  aria-selected={isCurrent}
                  aria-controls="entity-tab-panel"
                  tabIndex={isCurrent ? 0 : -1}
                  className={`entity-tab${isCurrent ? " current" : ""}`}
                  data-testid={`entity-tab-${e.entityType}`}
                  title={`Table ${e.table}`}
                  onClick={() => setChosen(e.entityType)}
                  onKeyDown={(event) => onTabKey(event, i)}
                >
                  {e.entityType}
                </button>
              );
            })}
          </div>
          <div role="tabpanel" id="entity-tab-panel" aria-labelledby={`entity-tab-${current.entityType}`}>
            <EntityRows key={current.entityType} connection={connection} tenantId={tenantId} entity={current} />
          </div>
        </>
      )}
    </section>
  );
}
