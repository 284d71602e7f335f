import type { Finding, KeyName } from "../../backend";

export { FINDING_LABELS, groupBySeverity, SEVERITIES, SEVERITY_LABELS } from "../../lib/findings";

/**
 * The Redis key a finding is about, from its Redis evidence: the exact key
 * when the evidence carries it (a binary key's text escapes bytes), else the text.
 */
export function findingKey(finding: Finding): KeyName | null {
  const redis = finding.evidence.find((e) => e.store === "redis" && e.location !== "");
  if (!redis) return null;
  return redis.key ?? { text: redis.location };
}
