import type { Finding, FindingKind, KeyName, Severity } from "../../backend";

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
};

/** The findings by severity, most severe first; severities without findings left out. */
export function groupBySeverity(findings: readonly Finding[]): { severity: Severity; findings: Finding[] }[] {
  return SEVERITIES.map((severity) => ({ severity, findings: findings.filter((f) => f.severity === severity) })).filter(
    (g) => g.findings.length > 0,
  );
}

/**
 * The Redis key a finding is about, from its Redis evidence: the exact key
 * when the evidence carries it (a binary key's text escapes bytes), else the text.
 */
export function findingKey(finding: Finding): KeyName | null {
  const redis = finding.evidence.find((e) => e.store === "redis" && e.location !== "");
  if (!redis) return null;
  return redis.key ?? { text: redis.location };
}
