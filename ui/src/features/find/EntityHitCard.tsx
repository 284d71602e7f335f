import { STORE_KINDS, type EntityHit } from "../../backend";
import { CopyButton } from "../../components/CopyButton";
import { STORE_LABELS } from "../../lib/stores";
import { CacheSection, EventsSection, GraphSection, ObjectsSection, RowSection } from "./StoreSections";

/** Everything one tenant's stores hold about one entity. */
export function EntityHitCard({
  hit,
  onOpenTenant,
  onOpenTimeTravel,
}: {
  hit: EntityHit;
  onOpenTenant?: (tenant: string) => void;
  onOpenTimeTravel?: (aggregateId: string, tenant: string | null) => void;
}) {
  return (
    <article
      className="hit-card"
      data-testid="find-hit"
      data-tenant={hit.tenant?.slug ?? ""}
      data-entity={hit.entityType}
      aria-label={`${hit.entityType} ${hit.id} in ${hit.tenant?.slug ?? "an unknown tenant"}`}
    >
      <header className="hit-head">
        <span className="tag tag-active">{hit.entityType}</span>
        <span className="mono hit-id truncate" title={hit.id}>
          {hit.id}
        </span>
        <CopyButton value={hit.id} label={`Copy the id ${hit.id}`} />
        <span className="spacer" />
        {hit.tenant ? (
          <span className="hit-tenant">
            <span className="muted">tenant</span>
            {onOpenTenant ? (
              <button
                type="button"
                className="link-button mono"
                data-testid="find-open-tenant"
                title={`Open ${hit.tenant.slug} in Tenants`}
                onClick={() => onOpenTenant(hit.tenant!.id)}
              >
                {hit.tenant.slug}
              </button>
            ) : (
              <span className="mono">{hit.tenant.slug}</span>
            )}
            <span className="tag">{hit.tenant.tier}</span>
          </span>
        ) : (
          <span className="tag tag-warn" title="A graph node whose tenant property names no known tenant">
            unknown tenant
          </span>
        )}
      </header>
      <ul className="hit-stores" aria-label="Stores holding it">
        {STORE_KINDS.map((s) => {
          const held = hit.stores.includes(s);
          return (
            <li key={s} className={`store-flag${held ? " held" : ""}`} data-store={s} data-held={held}>
              {STORE_LABELS[s]}
              <span className="visually-hidden">{held ? " holds it" : " holds nothing"}</span>
            </li>
          );
        })}
      </ul>
      <div className="hit-sections">
        {hit.row && <RowSection row={hit.row} />}
        {hit.events && (
          <EventsSection
            events={hit.events}
            onOpenTimeTravel={
              onOpenTimeTravel && hit.events.total > 0 ? () => onOpenTimeTravel(hit.id, hit.tenant?.id ?? null) : undefined
            }
          />
        )}
        {hit.graph.length > 0 && <GraphSection nodes={hit.graph} />}
        {hit.cache.length > 0 && <CacheSection keys={hit.cache} />}
        {hit.objects.length > 0 && <ObjectsSection objects={hit.objects} />}
      </div>
    </article>
  );
}
