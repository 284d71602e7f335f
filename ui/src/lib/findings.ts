import type { Finding, FindingKind, Severity } from "../backend";

// One findings model for every area (cache, audit): its severities and kinds, labelled once.

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  info: "Info",
};

export const FINDING_LABELS: Record<FindingKind, string> = {
  cache_stale: "Stale cache entry",
  cache_orphaned: "Orphaned cache entry",
  cache_missing_ttl: "Missing TTL",
  read_model_lag: "Read model lags its events",
  read_model_drift: "Read model drifted from its events",
  read_model_missing: "Read-model row missing",
  read_model_orphaned: "Read-model row without live events",
  graph_node_without_row: "Graph node without a row",
  row_without_graph_node: "Row without a graph node",
  cross_tenant_relationship: "Relationship to another tenant",
  object_without_row: "Object without a row",
  row_without_object: "Row naming a missing object",
  isolation_breach: "Isolation breach",
  sensitive_value: "Sensitive value",
  backup_missing_or_old: "Backup missing or too old",
};

/** The findings by severity, most severe first; severities without findings left out. */
export function groupBySeverity(findings: readonly Finding[]): { severity: Severity; findings: Finding[] }[] {
  return SEVERITIES.map((severity) => ({ severity, findings: findings.filter((f) => f.severity === severity) })).filter(
    (g) => g.findings.length > 0,
  );
}
