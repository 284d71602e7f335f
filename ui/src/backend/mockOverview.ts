// `tenantOverview` for the mock backend: every tenant's totals, summed from the
// same per-tenant footprints `tenantFootprint` reports (so the list and a
// tenant's detail agree), with a pause and a progress report per store, and
// cancellation.
import { BackendError } from "./errors";
import { sleep } from "./mockIds";
import { STORE_KINDS } from "./stores";
import type {
  ErrorPayload,
  OverviewPart,
  OverviewProgress,
  StoreKind,
  Tenant,
  TenantFootprint,
  TenantOverview,
  TenantTotals,
} from "./types";

/** Redis reports progress every this many keys scanned (like the backend). */
export const MOCK_SCAN_PROGRESS_KEYS = 100_000;

/** How many `delayMs` each store's part takes: the graph answers first, the SCAN last. */
const PACE: Record<StoreKind, number> = { graph: 1, postgres: 2, objects: 3, redis: 4 };

const sum = (values: (string | null | undefined)[]): bigint =>
  values.reduce((acc, v) => acc + (v && /^\d+$/.test(v) ? BigInt(v) : 0n), 0n);

const withCommas = (n: number | bigint) => n.toLocaleString("en-US");

/** One tenant's totals from its footprint: null where the store's part has no value. */
function totalsOf(f: TenantFootprint): TenantTotals {
  const pg = f.postgres.value;
  const graph = f.graph.value;
  const redis = f.redis.value;
  const objects = f.objects.value;
  return {
    id: f.tenant.id,
    slug: f.tenant.slug,
    tier: f.tenant.tier,
    rows: pg ? sum(pg.tables.map((t) => t.rows)).toString() : null,
    rowsEstimated: pg ? pg.tables.some((t) => t.estimated) : false,
    events: pg?.events?.count ?? null,
    firstEventAt: pg?.events?.firstAt ?? null,
    lastEventAt: pg?.events?.lastAt ?? null,
    nodes: graph?.nodes ?? null,
    relationships: graph?.relationships ?? null,
    keys: redis?.keys ?? null,
    // The backend sizes a sample of each tenant's keys and extrapolates.
    keyBytes: redis?.bytes ?? null,
    objects: objects?.objects ?? null,
    objectBytes: objects?.bytes ?? null,
  };
}

/** What each part says it read, like the backend's details. */
function partDetail(store: StoreKind, totals: TenantTotals[], footprints: TenantFootprint[], redisNodes: number): string {
  switch (store) {
    case "postgres": {
      const isolated = footprints.filter((f) => f.tenant.tier !== "row").length;
      return `6 grouped queries over shared tables, ${isolated} schema/database tenants measured on their own`;
    }
    case "graph":
      return `${withCommas(sum(totals.map((t) => t.nodes)))} tenant nodes and ${withCommas(sum(totals.map((t) => t.relationships)))} relationships in 2 queries`;
    case "redis":
      return `${withCommas(sum(totals.map((t) => t.keys)))} keys matching tenant:* scanned on ${redisNodes === 1 ? "1 node" : `${redisNodes} masters`}; 0 name no known tenant`;
    case "objects":
      return `${withCommas(sum(totals.map((t) => t.objects)))} objects listed under tenants/`;
  }
}

export async function mockOverview(
  connection: string,
  footprints: TenantFootprint[],
  exact: boolean,
  onProgress: (p: OverviewProgress) => void,
  options: { delayMs: number; redisNodes: number; signal: AbortSignal },
): Promise<TenantOverview> {
  const started = Date.now();
  const measuredAt = new Date().toISOString();
  const totals = footprints.map(totalsOf);
  const first = footprints[0];
  /** A part's error: the same for every tenant (a store is down, or not configured). */
  const errorOf = (store: StoreKind): ErrorPayload | null => (first ? first[store].error : null);

  const parts = await Promise.all(
    STORE_KINDS.map(async (store): Promise<OverviewPart> => {
      const partStarted = Date.now();
      const error = errorOf(store);
      // A store that is not configured answers at once.
      const pace = error?.code === "not_found" ? 0 : PACE[store] * (store === "postgres" && exact ? 1.5 : 1);
      const wait = options.delayMs * pace;
      const pause = (ms: number) => (ms > 0 ? sleep(ms, options.signal) : Promise.resolve());
      if (store === "redis" && error === null) {
        // The SCAN reports as it goes.
        const keys = Number(sum(totals.map((t) => t.keys)));
        const steps = Math.floor(keys / MOCK_SCAN_PROGRESS_KEYS);
        for (let i = 1; i <= steps; i++) {
          await pause(wait / (steps + 1));
          if (options.signal.aborted) break;
          onProgress({ store, done: false, detail: `${i * MOCK_SCAN_PROGRESS_KEYS} keys scanned` });
        }
        await pause(wait / (steps + 1));
      } else {
        await pause(wait);
      }
      const detail = error ? "" : partDetail(store, totals, footprints, options.redisNodes);
      if (!options.signal.aborted) onProgress({ store, done: true, detail: error ? error.message : detail });
      return { store, elapsedMs: Date.now() - partStarted, error, detail };
    }),
  );
  if (options.signal.aborted) throw new BackendError("cancelled", "cancelled");
  return {
    connection,
    measuredAt,
    exact,
    elapsedMs: Date.now() - started,
    tenants: totals.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)),
    capped: false,
    parts,
  };
}
