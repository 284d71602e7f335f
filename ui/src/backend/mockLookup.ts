// `find` for the mock backend: the needle classified like the sandbox
// profile's patterns, then looked up in the fake tables of mockRows.ts.
import { BackendError } from "./errors";
import { mockEventPlan } from "./mockEventLog";
import { mockCount } from "./mockIds";
import { MOCK_BUCKET, MOCK_PROFILE, mockCachePrefix, mockObjectPrefix } from "./mockProfile";
import { mockEntityTable, mockRowCount, mockRowId, MOCK_SHARED_ATOM_ID } from "./mockRows";
import type {
  CacheKeyHit,
  EntityHit,
  ErrorPayload,
  EventRef,
  JsonValue,
  LookupResult,
  ObjectHit,
  StoreKind,
  Tenant,
  TenantRef,
} from "./types";

export interface MockLookupContext {
  tenants: Tenant[];
  /** Stores the connection has. */
  configured: Set<StoreKind>;
  /** Stores that fail, with their error. */
  down: Partial<Record<StoreKind, ErrorPayload>>;
  /** id -> where it is, built once per backend. */
  index: () => Map<string, { tenant: Tenant; entity: string; i: number }[]>;
}

/** Every row id of every tenant, for entity-id lookups. */
export function buildMockIndex(tenants: Tenant[]): Map<string, { tenant: Tenant; entity: string; i: number }[]> {
  const index = new Map<string, { tenant: Tenant; entity: string; i: number }[]>();
  for (const tenant of tenants) {
    for (const { entityType } of MOCK_PROFILE.entities) {
      const count = mockRowCount(tenant, entityType);
      for (let i = 0; i < count; i++) {
        const id = mockRowId(tenant, entityType, i);
        const list = index.get(id) ?? [];
        list.push({ tenant, entity: entityType, i });
        index.set(id, list);
      }
    }
  }
  return index;
}

const ref = (t: Tenant): TenantRef => ({ id: t.id, slug: t.slug, tier: t.tier });
const iso = (pg: string) => pg.replace(" ", "T").replace(/\+00$/, "+00:00");

export function rowTable(tenant: Tenant, table: string): string {
  const loc = tenant.location;
  return loc.kind === "database" ? `${loc.database}/${loc.schema}.${table}` : `${loc.schema}.${table}`;
}

/** The row as `to_jsonb` gives it. */
export function rowJson(tenant: Tenant, entity: string, i: number): { table: string; row: JsonValue; cells: (string | null)[] } {
  const table = mockEntityTable(tenant, entity);
  const cells = table.rows[i]!;
  const row: Record<string, JsonValue> = {};
  table.columns.forEach((c, k) => {
    const cell = cells[k] ?? null;
    if (cell === null) row[c.name] = null;
    else if (c.json) row[c.name] = JSON.parse(cell) as JsonValue;
    else if (c.typeName === "integer" || c.typeName === "bigint") row[c.name] = Number(cell);
    else if (c.typeName.startsWith("timestamp")) row[c.name] = iso(cell);
    else row[c.name] = cell;
  });
  return { table: rowTable(tenant, table.table), row, cells };
}

function events(tenant: Tenant, entity: string, id: string, row: JsonValue): { total: number; recent: EventRef[] } {
  const plan = mockEventPlan(tenant, entity, id, isSoftDeleted(row));
  const recent = Array.from({ length: Math.min(plan.total, 20) }, (_, k) => {
    const n = plan.total - 1 - k;
    return {
      eventType: plan.type(n),
      time: plan.time(n).replace(".000Z", "+00:00"),
      sequence: String(plan.sequence(n)),
    };
  });
  return { total: plan.total, recent };
}

/** A row whose `deleted_at` is set: its event log ends with the delete. */
export function isSoftDeleted(row: JsonValue): boolean {
  return typeof row === "object" && row !== null && !Array.isArray(row) && (row.deleted_at ?? null) !== null;
}

function entityHit(ctx: MockLookupContext, tenant: Tenant, entity: string, i: number, id: string): EntityHit {
  const spec = MOCK_PROFILE.entities.find((e) => e.entityType === entity)!;
  const usable = (store: StoreKind) => ctx.configured.has(store) && !ctx.down[store];
  const { table, row, cells } = rowJson(tenant, entity, i);
  const hit: EntityHit = {
    tenant: ref(tenant),
    entityType: entity,
    id,
    stores: [],
    row: null,
    events: null,
    graph: [],
    cache: [],
    objects: [],
  };
  if (usable("postgres")) {
    hit.row = { table, row };
    hit.events = events(tenant, entity, id, row);
  }
  // The planted leak: globex's copy of the shared atom never reached the graph.
  const inGraph = !(id === MOCK_SHARED_ATOM_ID && tenant.slug === "globex");
  if (spec.graphLabel && usable("graph") && inGraph) {
    const r = row as Record<string, JsonValue>;
    hit.graph.push({
      labels: [spec.graphLabel],
      tenantValue: tenant.id,
      degree: mockCount(`${id}/degree`, 0, 14),
      properties: { id, tenantId: tenant.id, title: r.title ?? r.name ?? null },
    });
  }
  if (spec.cacheKey && usable("redis")) {
    const present = mockCount(`${id}/cached`, 0, 3) !== 0;
    hit.cache.push({
      key: `${mockCachePrefix(tenant.id)}${entity}:${id}`,
      present,
      keyType: present ? "hash" : null,
      ttlMs: present ? String(mockCount(`${id}/ttl`, 60_000, 2_592_000_000)) : null,
      memoryBytes: present ? String(mockCount(`${id}/mem`, 180, 1_900)) : null,
    });
  }
  if (entity === "document" && usable("objects") && usable("postgres")) {
    const reference = cells[5]!;
    hit.objects.push(objectHit(`${mockObjectPrefix(tenant.slug)}${reference}`, true, id));
  }
  const stores: StoreKind[] = [];
  if (hit.row) stores.push("postgres");
  if (hit.graph.length) stores.push("graph");
  if (hit.cache.some((c) => c.present)) stores.push("redis");
  if (hit.objects.some((o) => o.present)) stores.push("objects");
  hit.stores = stores;
  return hit;
}

function objectHit(key: string, present: boolean, seed: string): ObjectHit {
  return {
    bucket: MOCK_BUCKET,
    key,
    present,
    size: present ? String(mockCount(`${seed}/size`, 8_000, 2_500_000)) : null,
    lastModified: present ? new Date(Date.UTC(2024, 4, 1) + mockCount(seed, 0, 200) * 86_400_000).toISOString() : null,
    eTag: present ? `"${mockCount(`${seed}/etag`, 0x10000000, 0x7fffffff).toString(16)}"` : null,
  };
}

function lookupErrors(ctx: MockLookupContext): LookupResult["errors"] {
  return (Object.entries(ctx.down) as [StoreKind, ErrorPayload][])
    .filter(([store]) => ctx.configured.has(store))
    .map(([store, error]) => ({ store, tenant: null, error }));
}

function validate(text: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed === "") throw new BackendError("invalid_input", `${what} is empty`);
  if (trimmed.length > 1_024) {
    throw new BackendError("invalid_input", `${what} is ${trimmed.length} bytes long; ids and keys are at most 1024`);
  }
  return trimmed;
}

const byValue = (tenants: Tenant[], value: string) => tenants.find((t) => t.id === value || t.slug === value);

export function mockFind(ctx: MockLookupContext, input: string, tenantFilter: string | null): LookupResult {
  const started = performance.now();
  const needle = validate(input, "the id or key");
  const filterText = tenantFilter?.trim() ? validate(tenantFilter, "the tenant") : null;
  const filter = filterText === null ? null : byValue(ctx.tenants, filterText);
  if (filterText !== null && !filter) {
    throw new BackendError("not_found", `no tenant with id or slug ${JSON.stringify(filterText)}`);
  }
  const result: LookupResult = {
    needle,
    kind: "entity_id",
    keyTenant: null,
    tenant: null,
    keyEntity: null,
    cacheKey: null,
    object: null,
    hits: [],
    errors: lookupErrors(ctx),
    capped: false,
    notes: [],
    elapsedMs: 0,
  };
  const lookUp = (id: string, scope: Tenant[] | null, entity: string | null) => {
    if (!ctx.configured.has("postgres") || ctx.down.postgres) {
      result.notes.push("without PostgreSQL the tenant list is unknown: cache keys were not probed");
      return;
    }
    for (const at of ctx.index().get(id) ?? []) {
      if (scope && !scope.includes(at.tenant)) continue;
      if (entity && at.entity !== entity) continue;
      result.hits.push(entityHit(ctx, at.tenant, at.entity, at.i, id));
    }
  };
  const keyScope = (keyTenant: string): Tenant[] => {
    result.keyTenant = keyTenant;
    const t = byValue(ctx.tenants, keyTenant);
    if (filter && t && filter !== t) {
      throw new BackendError("invalid_input", `the key belongs to tenant ${t.slug}, not to ${JSON.stringify(filterText)}`);
    }
    if (!t) result.notes.push(`the key's prefix names ${JSON.stringify(keyTenant)}, which is not a known tenant`);
    result.tenant = t ? ref(t) : null;
    return t ? [t] : [];
  };

  const cache = /^tenant:([^:]+):(.*)$/.exec(needle);
  const object = /^(?:s3:\/\/([^/]+)\/)?tenant-([^/]+)\/(.*)$/.exec(needle);
  if (cache) {
    result.kind = "cache_key";
    const scope = keyScope(cache[1]!);
    const entityKey = /^([a-z]+):(.+)$/.exec(cache[2]!);
    const entity = entityKey && MOCK_PROFILE.entities.find((e) => e.entityType === entityKey[1] && e.cacheKey);
    if (entity && entityKey) result.keyEntity = { entityType: entity.entityType, id: entityKey[2]! };
    if (ctx.configured.has("redis") && !ctx.down.redis) {
      const present = scope.length > 0 && (!result.keyEntity || (ctx.index().get(result.keyEntity.id)?.length ?? 0) > 0);
      const key: CacheKeyHit = {
        key: needle,
        present,
        keyType: present ? (entity ? "hash" : "string") : null,
        ttlMs: present ? String(mockCount(`${needle}/ttl`, 60_000, 2_592_000_000)) : null,
        memoryBytes: present ? String(mockCount(`${needle}/mem`, 90, 2_400)) : null,
      };
      result.cacheKey = key;
    }
    if (result.keyEntity) lookUp(result.keyEntity.id, scope, result.keyEntity.entityType);
  } else if (object && (object[1] === undefined || object[1] === MOCK_BUCKET)) {
    result.kind = "object_key";
    const scope = keyScope(object[2]!);
    const relative = object[3]!;
    const key = `tenant-${object[2]}/${relative}`;
    if (relative === "" || relative.endsWith("/")) {
      result.notes.push("the key ends with `/`: a prefix, not an object");
    } else {
      const doc = /^documents\/([0-9a-f-]{36})\.\w+$/.exec(relative);
      const known = doc && scope[0] ? ctx.index().get(doc[1]!)?.find((at) => at.tenant === scope[0]) : undefined;
      if (ctx.configured.has("objects") && !ctx.down.objects) result.object = objectHit(key, Boolean(known), key);
      if (known && doc) {
        result.keyEntity = { entityType: "document", id: doc[1]! };
        lookUp(doc[1]!, scope, "document");
      }
    }
  } else {
    lookUp(needle, filter ? [filter] : null, null);
  }
  result.elapsedMs = Math.max(1, Math.round(performance.now() - started)) + mockCount(needle, 8, 60);
  return result;
}
