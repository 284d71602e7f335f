import type { Finding, KeyName } from "../../backend";

/**
 * Where a finding can be looked at: the screen and what it opens there. The
 * app turns it into its navigation (this feature knows no other feature).
 */
export type AuditLink =
  | { to: "cache"; tenant: string; key: KeyName }
  | { to: "timetravel"; tenant: string; aggregateId: string }
  | { to: "graph"; tenant: string; nodeId: string }
  | { to: "find"; tenant: string; needle: string }
  | { to: "backups"; tenant: string };

export const LINK_LABELS: Record<AuditLink["to"], string> = {
  cache: "Open the key in Cache",
  timetravel: "Open in Time travel",
  graph: "Open the node in Graph",
  find: "Find it",
  backups: "Open Backups",
};

/** The Redis key a finding's evidence names: the exact key when given, else the location's text. */
function redisKey(finding: Finding): KeyName | null {
  const redis = finding.evidence.find((e) => e.store === "redis" && e.location !== "");
  if (!redis) return null;
  return redis.key ?? { text: redis.location };
}

/**
 * A finding's link: cache findings open their key, read-model findings the
 * aggregate's history, graph findings the node, a backup finding the backups;
 * the rest (objects, a row without its node, isolation) find the subject.
 */
export function findingLink(finding: Finding, tenant: string): AuditLink {
  const find: AuditLink = { to: "find", tenant, needle: finding.subject };
  switch (finding.kind) {
    case "cache_stale":
    case "cache_orphaned":
    case "cache_missing_ttl":
    case "isolation_breach": {
      const key = redisKey(finding);
      return key ? { to: "cache", tenant, key } : find;
    }
    case "sensitive_value": {
      const key = redisKey(finding);
      if (key) return { to: "cache", tenant, key };
      return finding.stores.includes("graph") ? { to: "graph", tenant, nodeId: finding.subject } : find;
    }
    case "read_model_lag":
    case "read_model_drift":
    case "read_model_missing":
    case "read_model_orphaned":
      return { to: "timetravel", tenant, aggregateId: finding.subject };
    case "graph_node_without_row":
    case "cross_tenant_relationship":
      return { to: "graph", tenant, nodeId: finding.subject };
    case "backup_missing_or_old":
      return { to: "backups", tenant };
    case "row_without_graph_node":
    case "object_without_row":
    case "row_without_object":
      return find;
  }
}

/** What the link opens, as text (the key, the id, the needle). */
export function linkTarget(link: AuditLink): string {
  switch (link.to) {
    case "cache":
      return link.key.text;
    case "timetravel":
      return link.aggregateId;
    case "graph":
      return link.nodeId;
    case "find":
      return link.needle;
    case "backups":
      return link.tenant;
  }
}
