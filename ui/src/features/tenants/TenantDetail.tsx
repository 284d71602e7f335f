import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useBackend, type Tenant } from "../../backend";
import { CopyButton } from "../../components/CopyButton";
import { Icon } from "../../components/Icon";
import { EntityTables } from "./EntityTables";
import { tenantError } from "./errors";
import { TIER_DESCRIPTIONS } from "./format";
import { tenantDetailQuery } from "./queries";
import { TenantFootprint } from "./TenantFootprint";
import { TierBadge } from "./TierBadge";

function Field({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono ? "mono" : undefined}>{children}</dd>
    </>
  );
}

const nullValue = <span className="cell-null">null</span>;

function LocationFields({ tenant }: { tenant: Tenant }) {
  const loc = tenant.location;
  switch (loc.kind) {
    case "row":
      return (
        <>
          <Field label="Schema" mono>{loc.schema}</Field>
          <Field label="Tenant column" mono>{loc.tenant_column}</Field>
        </>
      );
    case "schema":
      return (
        <>
          <Field label="Schema" mono>{loc.schema}</Field>
          <Field label="Database">main database</Field>
        </>
      );
    case "database":
      return (
        <>
          <Field label="Database" mono>{loc.database}</Field>
          <Field label="Schema" mono>{loc.schema}</Field>
          <Field label="Host" mono={loc.host !== null}>
            {loc.host ?? <span className="muted">main server</span>}
          </Field>
        </>
      );
  }
}

export function TenantDetail({
  connection,
  id,
  fromList,
  onClose,
  onOpenConsole,
  wide = false,
  onWide,
}: {
  connection: string;
  id: string;
  fromList: Tenant | undefined;
  onClose: () => void;
  onOpenConsole?: (tenant: string) => void;
  /** Entity tables want room: the panel can take most of the screen. */
  wide?: boolean;
  onWide?: (wide: boolean) => void;
}) {
  const backend = useBackend();
  const detail = useQuery(tenantDetailQuery(backend, connection, id, fromList));
  const tenant = detail.data;
  const failure = detail.isError ? tenantError(detail.error) : null;

  return (
    <aside
      className={`tenant-detail${wide ? " wide" : ""}`}
      data-testid="tenant-detail"
      aria-label={tenant ? `Tenant ${tenant.slug}` : "Tenant"}
    >
      <header className="detail-header">
        <div className="detail-heading">
          <div className="detail-title">
            <h2 className="mono">{tenant?.slug ?? id}</h2>
            {tenant && <TierBadge tier={tenant.tier} />}
            {detail.isFetching && <span className="detail-refreshing" aria-label="Refreshing" />}
          </div>
          <p className={tenant?.name ? "detail-name" : "detail-name muted"}>{tenant ? (tenant.name ?? "no name") : " "}</p>
        </div>
        <div className="detail-actions">
          {onOpenConsole && tenant && (
            <button
              type="button"
              className="button small"
              data-testid="tenant-open-console"
              title="Open the query console with this tenant chosen"
              onClick={() => onOpenConsole(tenant.id)}
            >
              <Icon name="console" size={13} />
              Console
            </button>
          )}
          {onWide && (
            <button
              type="button"
              className="button small"
              data-testid="tenant-detail-wide"
              aria-pressed={wide}
              title={wide ? "Narrow the panel" : "Widen the panel for the entity tables"}
              onClick={() => onWide(!wide)}
            >
              {wide ? "Narrow" : "Widen"}
            </button>
          )}
        </div>
        <button type="button" className="icon-button" aria-label="Close the tenant" title="Close (Esc)" onClick={onClose} data-testid="tenant-detail-close">
          <Icon name="close" size={14} />
        </button>
      </header>

      {failure && (
        <div className="detail-error" role="alert" data-code={failure.code} data-testid="tenant-detail-error">
          <strong>{failure.code === "not_found" ? "Tenant not found" : failure.title}</strong>
          <span>{failure.detail}</span>
        </div>
      )}

      {tenant && (
        <div className="detail-body">
          <section className="detail-section" aria-labelledby="tenant-identity-title">
            <h3 id="tenant-identity-title">Tenant</h3>
            <dl className="detail-fields">
              <Field label="ID">
                <span className="detail-id">
                  <span className="mono">{tenant.id}</span>
                  <CopyButton value={tenant.id} label="Copy the tenant id" testId="tenant-detail-copy-id" />
                </span>
              </Field>
              <Field label="Slug" mono>{tenant.slug}</Field>
              <Field label="Name">{tenant.name ?? nullValue}</Field>
              <Field label="Created" mono={tenant.createdAt !== null}>{tenant.createdAt ?? nullValue}</Field>
            </dl>
          </section>
          <section className="detail-section" aria-labelledby="tenant-location-title">
            <h3 id="tenant-location-title">Location</h3>
            <p className="detail-tier-note">
              <TierBadge tier={tenant.tier} /> {TIER_DESCRIPTIONS[tenant.tier]}.
            </p>
            <dl className="detail-fields">
              <LocationFields tenant={tenant} />
            </dl>
          </section>
          <TenantFootprint connection={connection} tenantId={tenant.id} />
          <EntityTables connection={connection} tenantId={tenant.id} />
        </div>
      )}
    </aside>
  );
}
