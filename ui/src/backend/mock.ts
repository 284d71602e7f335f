// An in-memory Backend: used by component tests, and by `vite dev` / `vite
// preview` in a plain browser (no Tauri IPC) so the UI can be looked at.
import { BackendError } from "./errors";
import { createMockAudits } from "./mockAudit";
import { createMockBackups, type MockBackupScope, type MockRestoreTarget } from "./mockBackups";
import { mockCacheAudit, mockCacheKeys, mockCacheScan, mockCacheValue, type MockCacheContext } from "./mockCache";
import { keyId, mockCacheKeyspace, type MockCacheKey } from "./mockCacheKeyspace";
import { mockCacheMonitor, mockMonitorScript } from "./mockCacheMonitor";
import { createMockWrites } from "./mockCacheWrites";
import { mockConsole } from "./mockConsole";
import { mockExport } from "./mockExport";
import { mockGraphExpand, mockGraphPath, mockGraphSearch } from "./mockGraph";
import { buildMockGraph, type MockGraph } from "./mockGraphData";
import { createMockFiles, type MockSavedFile } from "./mockSaveFile";
import { mockCount, mockUuid, pgTimestamp } from "./mockIds";
import { buildMockIndex, mockFind } from "./mockLookup";
import { mockOverview } from "./mockOverview";
import { mockCachePrefix, MOCK_PROFILE } from "./mockProfile";
import { mockRowPage } from "./mockRows";
import { mockTenantEvents, mockTenantLog, mockTenantState, type MockTenantEvent } from "./mockTenantLog";
import { createMockTimeTravel, type MockTimeTravelContext } from "./mockTimeTravel";
import { STORE_KINDS as STORE_ORDER } from "./stores";
import type {
  AppInfo,
  Backend,
  ConnectionDetails,
  ConnectionDraft,
  ConnectionSummary,
  ErrorPayload,
  HealthReport,
  MonitorBatch,
  SecretsInput,
  StoreHealth,
  StoreKind,
  FootprintPart,
  Tenant,
  TenantFootprint,
  TenantLocation,
  TenantPage,
  TenantQuery,
  Tier,
} from "./types";

type StoredSecretValues = Record<StoreKind, string | null>;

export interface MockConnection {
  draft: ConnectionDraft;
  /** What the fake keychain holds (null = nothing stored). */
  secrets?: Partial<StoredSecretValues>;
}

export type MockMethod = keyof Backend;

export interface MockCall {
  method: MockMethod;
  args: unknown[];
}

export interface MockOptions {
  connections?: MockConnection[];
  defaultConnection?: string | null;
  /** Per connection and store, overrides of the health a check reports. */
  health?: Record<string, Partial<Record<StoreKind, Partial<StoreHealth>>>>;
  /** Artificial latency of every call, in ms (0 in tests). */
  delayMs?: number;
  /** The tenants every connection with PostgreSQL lists (default: {@link mockTenants}, 250 of all tiers). */
  tenants?: Tenant[];
  /** Pause before each exported page of 100 rows, in ms (default: `delayMs`). Cancelling ends it at once. */
  exportPageDelayMs?: number;
  /**
   * The tenant overview's pace, in ms (default: `delayMs`): the graph's part
   * answers after 1×, PostgreSQL 2×, objects 3×, Redis 4×. Cancelling ends it at once.
   */
  overviewDelayMs?: number;
  /**
   * Per store, the error its part of the tenant overview fails with (the
   * other stores still fill). Stores the health overrides mark down fail too;
   * PostgreSQL down fails the whole overview (the tenant list is unreadable).
   */
  overviewErrors?: Partial<Record<StoreKind, ErrorPayload>>;
  /**
   * Pause before each progress report of the tenant-wide reconstruction
   * (every 2,000 events folded, and at the end), in ms (default: `delayMs`).
   * Cancelling ends it at once.
   */
  tenantStateDelayMs?: number;
  /**
   * Pause before each SCAN page of the cache scan and the cache audit, in ms
   * (default: `delayMs`). Cancelling ends it at once.
   */
  cacheDelayMs?: number;
  /** One key in this many is sized by the cache scan (default 1: every key, exact memory). */
  cacheMemorySampleEvery?: number;
  /** Pause before the cache monitor listens, and between its scripted batches, in ms (default: `delayMs`). */
  monitorDelayMs?: number;
  /** What the cache monitor sends after its first (empty) batch (default: {@link mockMonitorScript} of the tenant). */
  monitorScript?: MonitorBatch[];
  /**
   * Pause before each part of a backup run, and of a restore (into scratch or
   * live), in ms (default: `delayMs`). Cancelling ends it at once.
   */
  backupDelayMs?: number;
  /**
   * Pause before each check of a tenant audit, in ms (default: `delayMs`);
   * the cache check's SCAN pages pause `cacheDelayMs` besides. Cancelling ends it at once.
   */
  auditDelayMs?: number;
}

export interface MockBackend extends Backend {
  /** Every call made, in order, with deep-copied arguments. */
  readonly calls: MockCall[];
  callsOf(method: MockMethod): unknown[][];
  /** The next call of `method` fails with this error payload. */
  failNext(method: MockMethod, error: ErrorPayload): void;
  setHealth(connection: string, store: StoreKind, health: Partial<StoreHealth>): void;
  /** From now on the tenant overview's part of `store` fails with `error` (null: answers again). */
  failOverviewPart(store: StoreKind, error: ErrorPayload | null): void;
  /** Ids of the tasks (exports, overviews, reconstructions) still running (for assertions). */
  runningTasks(): string[];
  /** The fake keychain's content for a connection (for assertions). */
  storedSecrets(name: string): StoredSecretValues | undefined;
  /** Sends `batch` to every running cache monitor (after its first batch); how many heard it. */
  emitMonitor(batch: MonitorBatch): number;
  /** Edits write log entry `seq` behind the log's back: its chain breaks there, and writes are refused. */
  tamperWriteLog(seq: number): void;
  /** The files `saveFile` wrote, oldest first (for assertions). */
  savedFiles(): MockSavedFile[];
}

const clone = <T>(value: T): T => structuredClone(value);

function configuredStores(draft: ConnectionDraft): StoreKind[] {
  return STORE_ORDER.filter((s) => draft[s] !== null);
}

function endpointOf(draft: ConnectionDraft, store: StoreKind): string | null {
  switch (store) {
    case "postgres":
      return draft.postgres?.url ?? null;
    case "graph":
      return draft.graph?.url ?? null;
    case "redis":
      return draft.redis?.urls.join(", ") ?? null;
    case "objects":
      return draft.objects ? `${draft.objects.endpoint}/${draft.objects.bucket}` : null;
  }
}

const MOCK_VERSIONS: Record<StoreKind, string> = {
  postgres: "PostgreSQL 15.8",
  graph: "ArcadeDB 25.4.1 (Bolt 4.0)",
  redis: "Redis 7.0.15",
  objects: "s3s-fs 0.14.1",
};
const MOCK_LATENCY: Record<StoreKind, number> = { postgres: 3, graph: 11, redis: 1, objects: 6 };

const NAMED_TENANTS: [string, string, Tier][] = [
  ["acme", "Acme Corporation", "row"],
  ["globex", "Globex Corporation", "row"],
  ["initech", "Initech", "row"],
  ["umbrella", "Umbrella Corporation", "row"],
  ["hooli", "Hooli", "row"],
  ["stark", "Stark Industries", "row"],
  ["wayne", "Wayne Enterprises", "row"],
  ["wonka", "Wonka Industries", "row"],
  ["tyrell", "Tyrell Corporation", "schema"],
  ["cyberdyne", "Cyberdyne Systems", "schema"],
  ["soylent", "Soylent Corporation", "schema"],
  ["aperture", "Aperture Science", "database"],
  ["blackmesa", "Black Mesa", "database"],
];

const SHARD_HOSTS = ["pg-shard-1.internal:5432", "pg-shard-2.internal:5432", null] as const;

function mockLocation(slug: string, tier: Tier, n: number): TenantLocation {
  switch (tier) {
    case "row":
      return { kind: "row", schema: "public", tenant_column: "tenant_id" };
    case "schema":
      return { kind: "schema", schema: `tenant_${slug.replace(/-/g, "_")}` };
    case "database":
      return {
        kind: "database",
        host: SHARD_HOSTS[n % SHARD_HOSTS.length]!,
        database: `storelens_tenant_${slug.replace(/-/g, "_")}`,
        schema: "public",
      };
  }
}

/**
 * `count` tenants of all tiers: the sandbox's 13 named ones, then `org-0001`,
 * `org-0002`, ... (mostly row tier, every 5th schema, every 9th database,
 * every 23rd without a name).
 */
export function mockTenants(count = 250): Tenant[] {
  const base = Date.UTC(2024, 0, 15, 9, 0, 0);
  const out: Tenant[] = [];
  for (let i = 0; i < count; i++) {
    const named = NAMED_TENANTS[i];
    const n = i - NAMED_TENANTS.length + 1;
    const slug = named ? named[0] : `org-${String(n).padStart(4, "0")}`;
    const tier: Tier = named ? named[2] : n % 9 === 0 ? "database" : n % 5 === 0 ? "schema" : "row";
    const name = named ? named[1] : n % 23 === 0 ? null : `Organisation ${String(n).padStart(4, "0")}`;
    out.push({
      id: mockUuid(`tenant/${slug}`),
      slug,
      name,
      tier,
      createdAt: pgTimestamp(base + i * 3_600_000 * 7),
      location: mockLocation(slug, tier, i),
    });
  }
  return out;
}

const ENTITY_TABLES: [string, string, number][] = [
  ["atom", "atoms", 400],
  ["molecule", "molecules", 120],
  ["document", "documents", 60],
  ["annotation", "annotations", 150],
  ["session", "sessions", 900],
];

/** The four parts of a tenant's footprint as the sandbox's stores would report them. */
function mockFootprint(
  connection: string,
  draft: ConnectionDraft,
  tenant: Tenant,
  exact: boolean,
  down: Partial<Record<StoreKind, ErrorPayload>>,
): TenantFootprint {
  const n = (what: string, min: number, max: number) => mockCount(`${tenant.id}/${what}`, min, max);
  const part = <T>(store: StoreKind, value: () => T): FootprintPart<T> => {
    const elapsedMs = n(`${store}/ms`, 2, store === "redis" && exact ? 240 : 40);
    if (draft[store] === null) {
      const error = { code: "not_found" as const, message: `connection "${connection}" has no ${store} configured` };
      return { store, elapsedMs, value: null, error };
    }
    const failure = down[store];
    if (failure) return { store, elapsedMs, value: null, error: failure };
    return { store, elapsedMs, value: value(), error: null };
  };
  const loc = tenant.location;
  const location = loc.kind === "database" ? `${loc.database}.${loc.schema}` : loc.schema;
  const atoms = n("atoms", 40, 4_000);
  const events = n("events", 200, 90_000);
  const keys = n("keys", 20, 6_000);
  const objects = n("objects", 3, 900);
  return {
    connection,
    tenant: clone(tenant),
    exact,
    measuredAt: new Date().toISOString(),
    elapsedMs: n("ms", 20, 90),
    postgres: part("postgres", () => ({
      location,
      tables: ENTITY_TABLES.map(([entityType, table, max]) => {
        const rows = entityType === "atom" ? atoms : n(table, 0, max * 10);
        return { entityType, table, rows: String(rows), estimated: !exact && rows > 5_000, error: null };
      }),
      events: {
        table: "events",
        count: String(events),
        firstAt: tenant.createdAt ? `${tenant.createdAt.slice(0, 10)}T09:12:00Z` : null,
        lastAt: "2025-06-01T17:45:12Z",
        types: [
          { name: "atom.created", count: String(Math.floor(events * 0.41)) },
          { name: "atom.updated", count: String(Math.floor(events * 0.33)) },
          { name: "molecule.linked", count: String(Math.floor(events * 0.18)) },
        ],
        otherTypesCount: String(events - Math.floor(events * 0.41) - Math.floor(events * 0.33) - Math.floor(events * 0.18)),
      },
      eventsError: null,
    })),
    graph: part("graph", () => ({
      tenantProperty: "tenant_id",
      nodes: String(atoms + n("molecule-nodes", 10, 900)),
      relationships: String(atoms * 2 + n("rels", 0, 500)),
      labels: [
        { name: "Atom", count: String(atoms) },
        { name: "Molecule", count: String(n("molecule-nodes", 10, 900)) },
      ],
      relationshipTypes: [
        { name: "REQUIRES", count: String(atoms) },
        { name: "CITES", count: String(atoms + n("rels", 0, 500)) },
      ],
    })),
    redis: part("redis", () => ({
      prefix: `tenant:${tenant.id}:`,
      nodesScanned: draft.redis && draft.redis.cluster ? draft.redis.urls.length : 1,
      keys: String(keys),
      bytes: String(keys * n("key-bytes", 90, 2_400)),
      bytesEstimated: !exact,
      namespaces: [
        { namespace: "atom", keys: String(Math.floor(keys * 0.7)), bytes: String(Math.floor(keys * 0.7) * 310), bytesEstimated: !exact, sampledKeys: exact ? Math.floor(keys * 0.7) : 64 },
        { namespace: "session", keys: String(keys - Math.floor(keys * 0.7)), bytes: String((keys - Math.floor(keys * 0.7)) * 1_800), bytesEstimated: !exact, sampledKeys: exact ? keys - Math.floor(keys * 0.7) : 64 },
      ],
    })),
    objects: part("objects", () => ({
      bucket: draft.objects?.bucket ?? "",
      prefix: `tenants/${tenant.id}/`,
      objects: String(objects),
      bytes: String(objects * n("object-bytes", 8_000, 2_500_000)),
      prefixes: [
        { prefix: "documents/", objects: String(objects - 2), bytes: String((objects - 2) * 120_000) },
        { prefix: "exports/", objects: "2", bytes: "5242880" },
      ],
    })),
  };
}

/** Ascending like PostgreSQL (nulls last), the slug breaking ties. */
function compareTenants(sort: NonNullable<TenantQuery["sort"]>): (a: Tenant, b: Tenant) => number {
  const value = (t: Tenant): string | null => {
    switch (sort) {
      case "slug":
        return t.slug;
      case "name":
        return t.name;
      case "tier":
        return t.tier;
      case "created_at":
        return t.createdAt;
    }
  };
  return (a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      if (va < vb) return -1;
      if (va > vb) return 1;
    }
    return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
  };
}

export function createMockBackend(options: MockOptions = {}): MockBackend {
  const connections = new Map<string, { draft: ConnectionDraft; secrets: StoredSecretValues }>();
  for (const c of options.connections ?? []) {
    connections.set(c.draft.name, {
      draft: clone(c.draft),
      secrets: { postgres: null, graph: null, redis: null, objects: null, ...c.secrets },
    });
  }
  const defaultConnection = options.defaultConnection ?? null;
  const health = clone(options.health ?? {});
  const failures = new Map<MockMethod, ErrorPayload[]>();
  const calls: MockCall[] = [];
  const delayMs = options.delayMs ?? 0;
  const tenants = clone(options.tenants ?? mockTenants());
  const exportPageDelayMs = options.exportPageDelayMs ?? delayMs;
  const overviewDelayMs = options.overviewDelayMs ?? delayMs;
  const tenantStateDelayMs = options.tenantStateDelayMs ?? delayMs;
  const cacheDelayMs = options.cacheDelayMs ?? delayMs;
  const memorySampleEvery = Math.max(1, options.cacheMemorySampleEvery ?? 1);
  const monitorDelayMs = options.monitorDelayMs ?? delayMs;
  const monitorListeners = new Set<(batch: MonitorBatch) => void>();
  const writes = createMockWrites();
  const files = createMockFiles();
  let cacheKeyspace: MockCacheKey[] | null = null;
  const cacheKeys = () => (cacheKeyspace ??= mockCacheKeyspace(tenants));
  /** Each tenant's whole log, in (time, sequence) order, built once. */
  const tenantLogs = new Map<string, MockTenantEvent[]>();
  const overviewErrors: Partial<Record<StoreKind, ErrorPayload>> = clone(options.overviewErrors ?? {});
  const tasks = new Map<string, AbortController>();
  let index: ReturnType<typeof buildMockIndex> | null = null;
  let graph: MockGraph | null = null;
  const graphData = () => (graph ??= buildMockGraph(tenants));
  const timeTravel = createMockTimeTravel();
  const backups = createMockBackups(tenants, { delayMs: options.backupDelayMs ?? delayMs, writes });
  const audits = createMockAudits(files.save);
  const auditDelayMs = options.auditDelayMs ?? delayMs;

  async function enter(method: MockMethod, args: unknown[]): Promise<void> {
    calls.push({ method, args: clone(args) });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const queued = failures.get(method);
    const failure = queued?.shift();
    if (failure) throw BackendError.fromPayload(failure);
  }

  function summary(draft: ConnectionDraft): ConnectionSummary {
    return {
      name: draft.name,
      profile: draft.profile,
      readOnly: draft.readOnly,
      stores: configuredStores(draft),
    };
  }

  function get(name: string) {
    const c = connections.get(name);
    if (!c) throw new BackendError("not_found", `connection "${name}" does not exist`);
    return c;
  }

  /** Stores the health overrides mark down, with the error their calls fail with. */
  function downStores(connection: string): Partial<Record<StoreKind, ErrorPayload>> {
    const down: Partial<Record<StoreKind, ErrorPayload>> = {};
    for (const [store, h] of Object.entries(health[connection] ?? {}) as [StoreKind, Partial<StoreHealth>][]) {
      if (h.state === "down") down[store] = h.error ?? { code: "unavailable", message: `${store} is down` };
    }
    return down;
  }

  function tenantOf(connection: string, tenant: string): Tenant {
    const found = tenantsOf(connection).find((t) => t.id === tenant || t.slug === tenant);
    if (!found) throw new BackendError("not_found", `no tenant with id or slug "${tenant}"`);
    return found;
  }

  /** A tenant whose tables are read: PostgreSQL must be up. */
  function readableTenant(connection: string, tenant: string): Tenant {
    const found = tenantOf(connection, tenant);
    const down = downStores(connection).postgres;
    if (down) throw BackendError.fromPayload(down);
    return found;
  }

  /** Tenant commands need the connection's PostgreSQL (the tenant list lives there). */
  function tenantsOf(connection: string): Tenant[] {
    const c = get(connection);
    if (c.draft.postgres === null) {
      throw new BackendError("config", `postgres of connection "${connection}" is not configured`);
    }
    return tenants;
  }

  /** What the time travel commands read: the tenant list must be readable. */
  function timeTravelContext(connection: string): MockTimeTravelContext {
    const c = get(connection);
    return {
      connection,
      tenants: tenantsOf(connection),
      tenantOf: (tenant) => tenantOf(connection, tenant),
      index: () => (index ??= buildMockIndex(tenants)),
      configured: new Set(configuredStores(c.draft)),
      down: downStores(connection),
    };
  }

  /** The nodes the cache commands scan: the connection's Redis must be configured and up. */
  function redisNodes(connection: string): string[] {
    const redis = get(connection).draft.redis;
    if (redis === null) throw new BackendError("not_found", `connection "${connection}" has no redis configured`);
    const down = downStores(connection).redis;
    if (down) throw BackendError.fromPayload(down);
    // A cluster is scanned master by master (`host:port`), as the core does.
    return redis.cluster ? redis.urls.map((u) => u.replace(/^rediss?:\/\/(?:[^@/]*@)?/, "").replace(/\/.*$/, "")) : ["single node"];
  }

  /** What the graph commands read: the connection's graph must be configured and up, the tenant known. */
  function graphTenant(connection: string, tenant: string): Tenant {
    const c = get(connection);
    if (c.draft.graph === null) throw new BackendError("config", `graph of connection "${connection}" is not configured`);
    const down = downStores(connection).graph;
    if (down) throw BackendError.fromPayload(down);
    return tenantOf(connection, tenant.trim());
  }

  const cacheContext = (connection: string, signal: AbortSignal): MockCacheContext => ({
    nodes: redisNodes(connection),
    delayMs: cacheDelayMs,
    signal,
    memorySampleEvery,
  });

  /** Runs `work` as task `taskId` (cancelled through its signal). */
  async function asTask<T>(taskId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (tasks.has(taskId)) throw new BackendError("invalid_input", `task ${taskId} is already running`);
    const controller = new AbortController();
    tasks.set(taskId, controller);
    try {
      return await work(controller.signal);
    } finally {
      tasks.delete(taskId);
    }
  }

  /** Where a restore on `connection` writes: scratch targets for the graph and Redis when it has them. */
  function restoreTarget(connection: string): MockRestoreTarget {
    const { draft } = get(connection);
    return { connection, scratch: { graph: draft.graph !== null, redis: draft.redis !== null && !draft.redis.cluster } };
  }

  return {
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    failNext(method, error) {
      const queue = failures.get(method) ?? [];
      queue.push(error);
      failures.set(method, queue);
    },
    setHealth(connection, store, h) {
      health[connection] = { ...health[connection], [store]: h };
    },
    failOverviewPart(store, error) {
      if (error) overviewErrors[store] = clone(error);
      else delete overviewErrors[store];
    },
    runningTasks: () => [...tasks.keys()],
    emitMonitor(batch) {
      for (const push of monitorListeners) push(batch);
      return monitorListeners.size;
    },
    tamperWriteLog: (seq) => writes.tamper(seq),
    savedFiles: () => files.list(),
    storedSecrets: (name) => {
      const c = connections.get(name);
      return c ? clone(c.secrets) : undefined;
    },

    async listConnections() {
      await enter("listConnections", []);
      return [...connections.values()]
        .map((c) => summary(c.draft))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async getConnection(name) {
      await enter("getConnection", [name]);
      const c = get(name);
      const details: ConnectionDetails = {
        draft: clone(c.draft),
        secrets: {
          postgres: c.secrets.postgres !== null,
          graph: c.secrets.graph !== null,
          redis: c.secrets.redis !== null,
          objects: c.secrets.objects !== null,
        },
      };
      return details;
    },

    async saveConnection(draft: ConnectionDraft, secrets: SecretsInput) {
      await enter("saveConnection", [draft, secrets]);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(draft.name)) {
        throw new BackendError(
          "invalid_input",
          "name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        );
      }
      if (draft.profile.trim() === "") {
        throw new BackendError("invalid_input", "profile: must not be empty");
      }
      const previous = connections.get(draft.name)?.secrets ?? {
        postgres: null,
        graph: null,
        redis: null,
        objects: null,
      };
      const next = { ...previous };
      for (const store of STORE_ORDER) {
        const value = secrets[store];
        if (value === "") next[store] = null;
        else if (value !== null) next[store] = value;
      }
      connections.set(draft.name, { draft: clone(draft), secrets: next });
      return summary(draft);
    },

    async deleteConnection(name) {
      await enter("deleteConnection", [name]);
      get(name);
      connections.delete(name);
      return null;
    },

    async checkHealth(name) {
      await enter("checkHealth", [name]);
      const c = get(name);
      const overrides = health[name] ?? {};
      const stores = STORE_ORDER.map((store): StoreHealth => {
        const configured = c.draft[store] !== null;
        const base: StoreHealth = configured
          ? {
              store,
              state: "up",
              endpoint: endpointOf(c.draft, store),
              latencyMs: MOCK_LATENCY[store],
              version: MOCK_VERSIONS[store],
              readOnly: c.draft.readOnly,
              error: null,
            }
          : {
              store,
              state: "not_configured",
              endpoint: null,
              latencyMs: null,
              version: null,
              readOnly: c.draft.readOnly,
              error: null,
            };
        return { ...base, ...overrides[store], store };
      });
      const report: HealthReport = { connection: name, checkedAt: new Date().toISOString(), stores };
      return report;
    },

    async listTenants(connection, query) {
      await enter("listTenants", [connection, query]);
      const all = tenantsOf(connection);
      const pageSize = Math.min(Math.max(query.pageSize ?? 100, 1), 1_000);
      const page = query.page ?? 0;
      const needle = query.search?.trim().toLowerCase() || null;
      const matching = needle
        ? all.filter((t) => [t.id, t.slug, t.name ?? ""].some((v) => v.toLowerCase().includes(needle)))
        : all;
      const sorted = [...matching].sort(compareTenants(query.sort ?? "slug"));
      const result: TenantPage = {
        tenants: clone(sorted.slice(page * pageSize, (page + 1) * pageSize)),
        total: matching.length,
        page,
        pageSize,
      };
      return result;
    },

    async getTenant(connection, tenant) {
      await enter("getTenant", [connection, tenant]);
      const found = tenantsOf(connection).find((t) => t.id === tenant || t.slug === tenant);
      if (!found) throw new BackendError("not_found", `no tenant with id or slug "${tenant}"`);
      return clone(found);
    },

    async tenantFootprint(connection, tenant, exact) {
      await enter("tenantFootprint", [connection, tenant, exact]);
      const found = tenantOf(connection, tenant);
      // A store the health overrides mark down fails its part with that error.
      return mockFootprint(connection, get(connection).draft, found, exact, downStores(connection));
    },

    async tenantOverview(connection, exact, taskId, onProgress) {
      // The callback is not cloneable: record the other arguments.
      await enter("tenantOverview", [connection, exact, taskId]);
      const all = tenantsOf(connection);
      const down = downStores(connection);
      if (down.postgres) throw BackendError.fromPayload(down.postgres);
      if (tasks.has(taskId)) throw new BackendError("invalid_input", `task ${taskId} is already running`);
      const c = get(connection);
      const failing = { ...down, ...overviewErrors };
      // The same numbers as each tenant's footprint, so list and detail agree.
      const footprints = all.map((t) => mockFootprint(connection, c.draft, t, exact, failing));
      const controller = new AbortController();
      tasks.set(taskId, controller);
      try {
        return await mockOverview(connection, footprints, exact, onProgress, {
          delayMs: overviewDelayMs,
          redisNodes: c.draft.redis?.cluster ? c.draft.redis.urls.length : 1,
          signal: controller.signal,
        });
      } finally {
        tasks.delete(taskId);
      }
    },

    async find(connection, needle, tenant) {
      await enter("find", [connection, needle, tenant]);
      const c = get(connection);
      return mockFind(
        {
          tenants: c.draft.postgres ? tenants : [],
          configured: new Set(configuredStores(c.draft)),
          down: downStores(connection),
          index: () => (index ??= buildMockIndex(tenants)),
        },
        needle,
        tenant,
      );
    },

    async profileSummary(connection) {
      await enter("profileSummary", [connection]);
      get(connection);
      return clone(MOCK_PROFILE);
    },

    async tenantRows(connection, tenant, query) {
      await enter("tenantRows", [connection, tenant, query]);
      return mockRowPage(readableTenant(connection, tenant), query);
    },

    async exportRows(connection, tenant, query, format, path, taskId, onProgress) {
      // The callback is not cloneable: record the other arguments.
      await enter("exportRows", [connection, tenant, query, format, path, taskId]);
      const found = readableTenant(connection, tenant);
      if (tasks.has(taskId)) throw new BackendError("invalid_input", `task ${taskId} is already running`);
      const controller = new AbortController();
      tasks.set(taskId, controller);
      try {
        return await mockExport(found, query, format, path, onProgress, {
          pageDelayMs: exportPageDelayMs,
          signal: controller.signal,
        });
      } finally {
        tasks.delete(taskId);
      }
    },

    async cancelTask(taskId) {
      await enter("cancelTask", [taskId]);
      const task = tasks.get(taskId);
      task?.abort();
      return task !== undefined;
    },

    async runConsole(connection, request) {
      await enter("runConsole", [connection, request]);
      const c = get(connection);
      const named = request.tenant?.trim() || null;
      return mockConsole(
        {
          draft: c.draft,
          tenant: named === null ? null : tenantOf(connection, named),
          shared: tenants.filter((t) => t.tier === "row").slice(0, 8),
          down: downStores(connection),
          graph: graphData,
        },
        request,
      );
    },

    async eventHistory(connection, aggregateId, tenant, offset, limit) {
      await enter("eventHistory", [connection, aggregateId, tenant, offset, limit]);
      return timeTravel.history(timeTravelContext(connection), aggregateId, tenant, offset, limit);
    },

    async stateAt(connection, aggregateId, tenant, at) {
      await enter("stateAt", [connection, aggregateId, tenant, at]);
      return timeTravel.stateAt(timeTravelContext(connection), aggregateId, tenant, at);
    },

    async stateDiff(connection, aggregateId, tenant, from, to) {
      await enter("stateDiff", [connection, aggregateId, tenant, from, to]);
      return timeTravel.diff(timeTravelContext(connection), aggregateId, tenant, from, to);
    },

    async compareStores(connection, aggregateId, tenant) {
      await enter("compareStores", [connection, aggregateId, tenant]);
      return timeTravel.compare(timeTravelContext(connection), aggregateId, tenant);
    },

    async tenantEvents(connection, tenant, filter) {
      await enter("tenantEvents", [connection, tenant, filter]);
      const found = readableTenant(connection, tenant.trim());
      let log = tenantLogs.get(found.id);
      if (!log) {
        log = mockTenantLog(timeTravel.tenantAggregates(found));
        tenantLogs.set(found.id, log);
      }
      return mockTenantEvents(log, filter);
    },

    async tenantState(connection, tenant, at, aggregateType, path, taskId, onProgress) {
      // The callback is not cloneable: record the other arguments.
      await enter("tenantState", [connection, tenant, at, aggregateType, path, taskId]);
      const found = readableTenant(connection, tenant.trim());
      if (tasks.has(taskId)) throw new BackendError("invalid_input", `task ${taskId} is already running`);
      const controller = new AbortController();
      tasks.set(taskId, controller);
      try {
        return await mockTenantState(found, timeTravel.tenantAggregates(found), at, aggregateType, path, onProgress, {
          delayMs: tenantStateDelayMs,
          signal: controller.signal,
        });
      } finally {
        tasks.delete(taskId);
      }
    },

    async cacheScan(connection, request, taskId, onProgress) {
      // The callback is not cloneable: record the other arguments.
      await enter("cacheScan", [connection, request, taskId]);
      const named = request.tenant?.trim() || null;
      const prefix = named === null ? null : mockCachePrefix(tenantOf(connection, named).id);
      return asTask(taskId, (signal) => mockCacheScan(cacheKeys(), prefix, request, onProgress, cacheContext(connection, signal)));
    },

    async cacheKeys(connection, request) {
      await enter("cacheKeys", [connection, request]);
      redisNodes(connection);
      return mockCacheKeys(cacheKeys(), request);
    },

    async cacheValue(connection, request) {
      await enter("cacheValue", [connection, request]);
      redisNodes(connection);
      return mockCacheValue(cacheKeys(), request);
    },

    async cacheAudit(connection, tenant, taskId, onProgress) {
      // The callback is not cloneable: record the other arguments.
      await enter("cacheAudit", [connection, tenant, taskId]);
      // The audit reads the tenant's rows: PostgreSQL must be up too.
      const found = readableTenant(connection, tenant.trim());
      return asTask(taskId, (signal) =>
        mockCacheAudit(cacheKeys(), found, mockCachePrefix(found.id), onProgress, cacheContext(connection, signal)),
      );
    },

    async cacheMonitor(connection, tenant, taskId, onBatch) {
      // The callback is not cloneable: record the other arguments.
      await enter("cacheMonitor", [connection, tenant, taskId]);
      redisNodes(connection);
      const found = tenantOf(connection, tenant.trim());
      return asTask(taskId, (signal) =>
        mockCacheMonitor(found, onBatch, {
          delayMs: monitorDelayMs,
          signal,
          script: clone(options.monitorScript ?? mockMonitorScript(found)),
          listen: (push) => {
            monitorListeners.add(push);
            return () => monitorListeners.delete(push);
          },
        }),
      );
    },

    async unlockWrites(connection, minutes) {
      await enter("unlockWrites", [connection, minutes]);
      return writes.unlock(connection, get(connection).draft.readOnly, minutes);
    },

    async lockWrites(connection) {
      await enter("lockWrites", [connection]);
      return writes.lock(connection);
    },

    async writeAccess(connection) {
      await enter("writeAccess", [connection]);
      return writes.access(connection);
    },

    async cacheDelete(connection, keys) {
      await enter("cacheDelete", [connection, keys]);
      if (keys.length === 0 || keys.length > 10_000) throw new BackendError("invalid_input", "delete 1 to 10,000 keys at a time");
      writes.requireUnlocked(connection);
      redisNodes(connection);
      // Entered in the log before anything is deleted; a broken chain refuses it.
      const logEntry = writes.append(connection, "redis", "cache.delete", keys.map((k) => k.text), `UNLINK of ${keys.length} keys`);
      const space = cacheKeys();
      let deleted = 0;
      for (const key of keys) {
        const at = space.findIndex((k) => keyId(k.name) === keyId(key));
        if (at < 0) continue;
        if (space[at]!.value.kind !== "gone") deleted += 1;
        space.splice(at, 1);
      }
      return { requested: keys.length, deleted, logEntry };
    },

    async writeLog() {
      await enter("writeLog", []);
      return writes.report();
    },

    async graphSearch(connection, request) {
      await enter("graphSearch", [connection, request]);
      return mockGraphSearch(graphData(), graphTenant(connection, request.tenant), request);
    },

    async graphExpand(connection, request) {
      await enter("graphExpand", [connection, request]);
      return mockGraphExpand(graphData(), graphTenant(connection, request.tenant), request);
    },

    async graphPath(connection, request) {
      await enter("graphPath", [connection, request]);
      return mockGraphPath(graphData(), graphTenant(connection, request.tenant), request);
    },

    async saveFile(request) {
      await enter("saveFile", [request]);
      return files.save(request);
    },

    async backupRun(connection, request, taskId, onProgress) {
      // The callback is not cloneable: record the other arguments.
      await enter("backupRun", [connection, request, taskId]);
      const tenant = request.tenant?.trim() || null;
      if ((tenant === null) === (request.store === null)) {
        throw new BackendError("invalid_input", "back up either a tenant or a whole store");
      }
      let scope: MockBackupScope;
      if (tenant !== null) {
        scope = { tenant: readableTenant(connection, tenant) };
      } else {
        const store = request.store!;
        if (get(connection).draft[store] === null) {
          throw new BackendError("config", `${store} of connection "${connection}" is not configured`);
        }
        const down = downStores(connection)[store];
        if (down) throw BackendError.fromPayload(down);
        scope = { store };
      }
      return asTask(taskId, (signal) => backups.run(connection, scope, request.destination, onProgress, signal));
    },

    async backupList(connection, destination) {
      await enter("backupList", [connection, destination]);
      return backups.list(destination);
    },

    async backupVerify(connection, request, taskId, onProgress) {
      await enter("backupVerify", [connection, request, taskId]);
      // Checksums only read files; a restore into scratch is a task on the connection.
      if (!request.restore) return backups.verify(request, null);
      const target = restoreTarget(connection);
      return asTask(taskId, (signal) => backups.verify(request, { target, onProgress, signal }));
    },

    async backupRestore(connection, request, taskId, onProgress) {
      await enter("backupRestore", [connection, request, taskId]);
      const target = restoreTarget(connection);
      return asTask(taskId, (signal) => backups.restore(request, target, onProgress, signal));
    },

    async auditRun(connection, tenant, taskId, onProgress) {
      // The callback is not cloneable: record the other arguments.
      await enter("auditRun", [connection, tenant, taskId]);
      // The tenant list (and the read model) live in PostgreSQL: it must be up.
      const found = readableTenant(connection, tenant.trim());
      const configured = new Set(configuredStores(get(connection).draft));
      return asTask(taskId, (signal) =>
        audits.run(
          {
            connection,
            tenant: found,
            tenants,
            configured,
            down: downStores(connection),
            graph: graphData,
            cacheAudit: (s) => mockCacheAudit(cacheKeys(), found, mockCachePrefix(found.id), () => undefined, cacheContext(connection, s)),
            delayMs: auditDelayMs,
            signal,
          },
          onProgress,
        ),
      );
    },

    async auditExport(id, format) {
      await enter("auditExport", [id, format]);
      return audits.export(id, format);
    },

    async appInfo() {
      await enter("appInfo", []);
      const info: AppInfo = {
        version: "0.1.0-mock",
        configDir: "/home/admin/.config/storelens",
        dataDir: "/home/admin/.local/share/storelens",
        logFile: "/home/admin/.local/share/storelens/storelens.log",
        defaultConnection,
      };
      return info;
    },
  };
}

/** Demo data for looking at the UI in a browser. */
export function createDemoBackend(): MockBackend {
  return createMockBackend({
    delayMs: 150,
    defaultConnection: "sandbox",
    connections: [
      {
        draft: {
          name: "sandbox",
          profile: "sandbox",
          readOnly: true,
          postgres: { url: "postgres://storelens@127.0.0.1:54329/storelens_sandbox", tls: "disable" },
          graph: { url: "bolt://127.0.0.1:57687", user: "root", database: "neo4j" },
          redis: { urls: ["redis://127.0.0.1:56379"], cluster: false, username: null },
          objects: {
            endpoint: "http://127.0.0.1:59000",
            region: "us-east-1",
            bucket: "knowledge-os",
            accessKeyId: "sandbox",
          },
        },
        secrets: { postgres: "pw", graph: "pw", objects: "pw" },
      },
      {
        draft: {
          name: "prod-eu",
          profile: "/etc/storelens/profiles/knowledge-os.toml",
          readOnly: true,
          postgres: { url: "postgres://audit@pg.prod-eu.internal:5432/kos", tls: "require" },
          graph: { url: "bolt://graph.prod-eu.internal:7687", user: "audit", database: null },
          redis: {
            urls: ["redis://cache-1.prod-eu.internal:6379", "redis://cache-2.prod-eu.internal:6379"],
            cluster: true,
            username: "audit",
          },
          objects: null,
        },
        secrets: { postgres: "pw", graph: "pw", redis: "pw" },
      },
      {
        draft: {
          name: "staging",
          profile: "sandbox",
          readOnly: false,
          postgres: { url: "postgres://admin@pg.staging.internal:5432/kos", tls: "prefer" },
          graph: null,
          redis: null,
          objects: null,
        },
      },
    ],
    health: {
      "prod-eu": {
        graph: {
          state: "down",
          latencyMs: null,
          version: null,
          error: { code: "auth", message: "Neo.ClientError.Security.Unauthorized: authentication failure" },
        },
      },
    },
  });
}
