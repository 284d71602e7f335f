import type { ProfileSummary, QueryLanguage, Tenant } from "../../backend";

export const LANGUAGES: { id: QueryLanguage; label: string }[] = [
  { id: "sql", label: "SQL" },
  { id: "cypher", label: "Cypher" },
  { id: "redis", label: "Redis" },
];

/** The console's tenant: what was typed, and the tenant it names once known. */
export interface ConsoleTenant {
  input: string | null;
  resolved: Tenant | null;
}

/** `tenant:{tenant_id}:` with the tenant's id and slug filled in. */
export function fillTenantPattern(pattern: string, tenant: ConsoleTenant): string {
  const id = tenant.resolved?.id ?? tenant.input ?? "";
  const slug = tenant.resolved?.slug ?? tenant.input ?? "";
  return pattern.replaceAll("{tenant_id}", id).replaceAll("{tenant_slug}", slug);
}

/** A statement to start from, built from the profile's names and the chosen tenant. */
export function exampleStatement(language: QueryLanguage, profile: ProfileSummary | undefined, tenant: ConsoleTenant): string {
  const chosen = tenant.input !== null;
  switch (language) {
    case "sql": {
      const table = profile?.entities[0]?.table ?? "information_schema.tables";
      const loc = tenant.resolved?.location;
      // Row-tier tenants share the table: the tenant column tells them apart.
      if (loc?.kind === "row") {
        return `SELECT * FROM ${table} WHERE ${loc.tenant_column}::text = current_setting('storelens.tenant_id') LIMIT 50`;
      }
      return `SELECT * FROM ${table} LIMIT 50`;
    }
    case "cypher": {
      const label = profile?.entities.find((e) => e.graphLabel)?.graphLabel;
      const node = label ? `(n:${label})` : "(n)";
      const property = profile?.graphTenantProperty;
      return chosen && property
        ? `MATCH ${node} WHERE n.${property} = $tenant RETURN n LIMIT 25`
        : `MATCH ${node} RETURN n LIMIT 25`;
    }
    case "redis": {
      const prefix = profile?.cacheTenantPrefix;
      return chosen && prefix ? `SCAN 0 MATCH ${fillTenantPattern(prefix, tenant)}* COUNT 100` : "SCAN 0 COUNT 100";
    }
  }
}

/** What carries the chosen tenant into a statement of each language. */
export function tenantNote(language: QueryLanguage, profile: ProfileSummary | undefined, tenant: ConsoleTenant): string {
  switch (language) {
    case "sql":
      return "With a tenant chosen, its schema comes first on the search_path and current_setting('storelens.tenant_id') holds its id.";
    case "cypher":
      return "With a tenant chosen, $tenant holds its id.";
    case "redis": {
      const prefix = profile?.cacheTenantPrefix;
      if (!prefix) return "Commands run on the connection's Redis.";
      return tenant.input !== null
        ? `The tenant's keys start with ${fillTenantPattern(prefix, tenant)}.`
        : `A tenant's keys start with ${prefix}.`;
    }
  }
}
