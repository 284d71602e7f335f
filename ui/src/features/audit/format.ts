import type { AuditCheck, CheckStatus } from "../../backend";

/** The checks in the order the backend runs them. */
export const AUDIT_CHECKS: readonly AuditCheck[] = [
  "read_model",
  "graph_nodes",
  "cross_tenant_relationships",
  "cache",
  "objects",
  "isolation",
  "sensitive_cache_values",
  "backups",
];

export const CHECK_LABELS: Record<AuditCheck, string> = {
  read_model: "Read model against the event log",
  graph_nodes: "Graph nodes against rows",
  cross_tenant_relationships: "Relationships to other tenants",
  cache: "Cache entries and TTLs",
  objects: "Objects against rows",
  isolation: "Tenant isolation",
  sensitive_cache_values: "Sensitive cached values",
  backups: "Newest verified backup",
};

export const CHECK_STATUS_LABELS: Record<CheckStatus, string> = {
  clean: "clean",
  findings: "findings",
  failed: "failed",
  skipped: "skipped",
};

/** `1234` → `1.2 s`, `56` → `56 ms`. */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
