import type { Tenant, TenantLocation, Tier } from "../../backend";

export const TIER_LABELS: Record<Tier, string> = { row: "row", schema: "schema", database: "database" };

export const TIER_DESCRIPTIONS: Record<Tier, string> = {
  row: "Shares tables with other tenants, told apart by a tenant column",
  schema: "Has its own schema in the main database",
  database: "Has its own database",
};

/** Where a tenant's tables are, in one line: `public by tenant_id`, `tenant_x`, `db @ host` (schema in the title). */
export function locationSummary(location: TenantLocation): { main: string; extra: string | null; title: string } {
  switch (location.kind) {
    case "row":
      return {
        main: location.schema,
        extra: `by ${location.tenant_column}`,
        title: `Shared tables in schema ${location.schema}, filtered by ${location.tenant_column}`,
      };
    case "schema":
      return { main: location.schema, extra: null, title: `Own schema ${location.schema} in the main database` };
    case "database": {
      const where = location.host ?? "main server";
      return {
        main: location.database,
        extra: `@ ${where}`,
        title: `Own database ${location.database} (schema ${location.schema}) on ${where}`,
      };
    }
  }
}

/**
 * The date part of a created-at value. The backend sends the column as text
 * (`2024-01-15 09:00:00+00` for a timestamptz), so no Date parsing: what the
 * database says is what is shown.
 */
export function createdDate(createdAt: string | null): string {
  if (createdAt === null) return "—";
  const m = /^\d{4}-\d{2}-\d{2}/.exec(createdAt);
  return m ? m[0] : createdAt;
}

/** "101–200 of 250" (en dash), "0 of 0" when empty. */
export function rangeText(page: number, pageSize: number, shown: number, total: number): string {
  if (shown === 0) return `0 of ${total.toLocaleString("en-US")}`;
  const first = page * pageSize + 1;
  const last = page * pageSize + shown;
  return `${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export function tenantLabel(t: Pick<Tenant, "slug" | "name">): string {
  return t.name ? `${t.name} (${t.slug})` : t.slug;
}
