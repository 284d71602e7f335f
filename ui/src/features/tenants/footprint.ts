import { queryOptions } from "@tanstack/react-query";
import type {
  Backend,
  ErrorPayload,
  GraphFootprint,
  ObjectsFootprint,
  PostgresFootprint,
  RedisFootprint,
  StoreKind,
  TenantFootprint,
} from "../../backend";
import { formatBytes, formatCount } from "../../lib/format";
import { tenantKeys } from "./queries";

export { formatBytes, formatCount };

export function footprintQuery(backend: Backend, connection: string, tenant: string, exact: boolean) {
  return queryOptions({
    queryKey: [...tenantKeys.detail(connection, tenant), "footprint", exact] as const,
    queryFn: () => backend.tenantFootprint(connection, tenant, exact),
  });
}

const plural = (count: string, one: string, many: string) => `${formatCount(count)} ${count === "1" ? one : many}`;

export interface FootprintSummary {
  /** `1,204 rows · 5 tables · 3,100 events`; `≈` marks estimates. */
  facts: string;
  /** Where it was measured (schema, key prefix, bucket). */
  where: string;
  /** Something partly failed inside the store's part. */
  warning: string | null;
}

function postgresSummary(p: PostgresFootprint): FootprintSummary {
  let rows = 0n;
  let estimated = false;
  for (const t of p.tables) {
    if (t.rows !== null && /^\d+$/.test(t.rows)) rows += BigInt(t.rows);
    estimated ||= t.estimated;
  }
  const failed = p.tables.filter((t) => t.error !== null);
  const facts = [
    `${estimated ? "≈ " : ""}${plural(rows.toString(), "row", "rows")}`,
    plural(String(p.tables.length), "table", "tables"),
  ];
  if (p.events) facts.push(plural(p.events.count, "event", "events"));
  const warnings = [];
  if (failed.length) warnings.push(`${failed.map((t) => t.table).join(", ")}: ${failed[0]!.error!.message}`);
  if (p.eventsError) warnings.push(`events: ${p.eventsError.message}`);
  return { facts: facts.join(" · "), where: p.location, warning: warnings.length ? warnings.join("; ") : null };
}

function graphSummary(g: GraphFootprint): FootprintSummary {
  const labels = g.labels.slice(0, 3).map((l) => `${l.name} ${formatCount(l.count)}`);
  return {
    facts: `${plural(g.nodes, "node", "nodes")} · ${plural(g.relationships, "relationship", "relationships")}`,
    where: labels.length ? labels.join(", ") : `by ${g.tenantProperty}`,
    warning: null,
  };
}

function redisSummary(r: RedisFootprint): FootprintSummary {
  return {
    facts: `${plural(r.keys, "key", "keys")} · ${r.bytesEstimated ? "≈ " : ""}${formatBytes(r.bytes)}`,
    where: r.nodesScanned > 1 ? `${r.prefix}* on ${r.nodesScanned} nodes` : `${r.prefix}*`,
    warning: null,
  };
}

function objectsSummary(o: ObjectsFootprint): FootprintSummary {
  return {
    facts: `${plural(o.objects, "object", "objects")} · ${formatBytes(o.bytes)}`,
    where: `${o.bucket}/${o.prefix}`,
    warning: null,
  };
}

export type FootprintLine =
  | { store: StoreKind; elapsedMs: number; state: "ok"; summary: FootprintSummary }
  | { store: StoreKind; elapsedMs: number; state: "not_configured"; message: string }
  | { store: StoreKind; elapsedMs: number; state: "error"; error: ErrorPayload };

function line<T>(
  part: TenantFootprint["postgres"] | TenantFootprint["graph"] | TenantFootprint["redis"] | TenantFootprint["objects"],
  summarize: (value: T) => FootprintSummary,
): FootprintLine {
  const { store, elapsedMs } = part;
  if (part.value !== null) return { store, elapsedMs, state: "ok", summary: summarize(part.value as T) };
  const error: ErrorPayload = part.error ?? { code: "internal", message: "no value and no error" };
  // `not_found` here means the connection or profile has no such store.
  if (error.code === "not_found") return { store, elapsedMs, state: "not_configured", message: error.message };
  return { store, elapsedMs, state: "error", error };
}

/** One line per store, in the UI's store order. */
export function footprintLines(f: TenantFootprint): FootprintLine[] {
  return [
    line<PostgresFootprint>(f.postgres, postgresSummary),
    line<GraphFootprint>(f.graph, graphSummary),
    line<RedisFootprint>(f.redis, redisSummary),
    line<ObjectsFootprint>(f.objects, objectsSummary),
  ];
}
