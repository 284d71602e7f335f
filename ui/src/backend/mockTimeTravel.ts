// The time travel commands of the mock backend: aggregates' event logs folded
// with the core's semantics (mockFold.ts), so histories, states at a point,
// diffs and store comparisons all agree with each other.
//
// Every entity row of the fake tables has a log (mockEventLog.ts) whose fold
// ends on the row's values. Planted in acme, besides:
// - MOCK_HISTORY_ATOM_ID: 30 events (merge patches, a delete and a re-create,
//   a key that needs JSON pointer escapes); the read model lags one event behind;
// - MOCK_ANOMALY_ATOM_ID: a step whose payload is not JSON; every store in sync;
// - MOCK_HOT_ATOM_ID: 12,345 events (more than one page of 5,000); the graph
//   drifts, the cache misses it.
// MOCK_SHARED_ATOM_ID has events in acme and globex: without a tenant, the
// commands refuse it with `invalid_input`.
import { BackendError } from "./errors";
import { classify, diffStates, eventView, MockFolder, sameJson, type MockEvent, type MockState } from "./mockFold";
import { mockEventPlan } from "./mockEventLog";
import { mockCount, mockUuid } from "./mockIds";
import { isSoftDeleted, rowJson } from "./mockLookup";
import { mockCachePrefix, MOCK_PROFILE } from "./mockProfile";
import { MOCK_SHARED_ATOM_ID, mockRowCount, mockRowId, mockTableLabel } from "./mockRows";
import type {
  AggregateHistory,
  Comparison,
  ErrorPayload,
  HistoryStep,
  IndexedAnomaly,
  JsonValue,
  StateAt,
  StateDiff,
  StoreComparison,
  StoreKind,
  Tenant,
  TenantRef,
  Verdict,
} from "./types";

export const MOCK_HISTORY_ATOM_ID = mockUuid("planted/history-atom");
export const MOCK_ANOMALY_ATOM_ID = mockUuid("planted/anomaly-atom");
export const MOCK_HOT_ATOM_ID = mockUuid("planted/hot-atom");
/** Steps one history call returns at most (the core's `MAX_STEPS`). */
export const MOCK_MAX_STEPS = 5_000;

/** An aggregate of a tenant with its whole log, oldest first. */
export interface MockTenantAggregate {
  aggregateType: string;
  id: string;
  events: MockEvent[];
}

export interface MockTimeTravelContext {
  connection: string;
  tenants: Tenant[];
  /** A tenant by id or slug; `not_found` when there is none. */
  tenantOf: (tenant: string) => Tenant;
  /** id -> the entity rows that have it (shared with `find`). */
  index: () => Map<string, { tenant: Tenant; entity: string; i: number }[]>;
  configured: Set<StoreKind>;
  down: Partial<Record<StoreKind, ErrorPayload>>;
}

type JsonObject = { [key: string]: JsonValue };
type Found = { location: string; value: JsonValue | null } | { reason: string };
type ComparedStore = "postgres" | "graph" | "redis";
const COMPARED: ComparedStore[] = ["postgres", "graph", "redis"];

/** The fold of a whole log, kept for the comparison. */
interface Folded {
  final: MockState;
  version: number;
  /** The state after each applied event, with the event's sequence and time. */
  applied: { version: number; sequence: string | null; time: string; state: MockState }[];
  /** Every member the state has had. */
  keys: string[];
}

interface MockAggregate {
  tenant: Tenant;
  aggregateType: string;
  id: string;
  events: () => MockEvent[];
  /** What each store holds of it, given the fold. */
  stores: (folded: Folded) => Record<ComparedStore, Found>;
}

const isObject = (v: JsonValue | null | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const ref = (t: Tenant): TenantRef => ({ id: t.id, slug: t.slug, tier: t.tier });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BOOKKEEPING = new Set(["id", "tenant_id", "version", "created_at", "updated_at", "deleted_at"]);

// ---------- planted logs ----------

interface Spec {
  type: string;
  actor: string;
  /** JSON, or raw text (a payload that is not JSON), or null (none). */
  payload: JsonValue | { raw: string } | null;
  /** Minutes since the previous event. */
  after: number;
  correlation?: string;
  /** The index of the event that caused this one. */
  cause?: number;
}

function buildLog(aggregateId: string, startMs: number, seq0: number, specs: Spec[]): MockEvent[] {
  const ids = specs.map((_, k) => mockUuid(`${aggregateId}/event/${k}`));
  let time = startMs;
  let seq = seq0;
  return specs.map((s, k) => {
    time += s.after * 60_000 + (k === 0 ? 0 : mockCount(`${aggregateId}/${k}/s`, 0, 59_000));
    seq += k === 0 ? 0 : mockCount(`${aggregateId}/${k}/seq`, 1, 400);
    const raw = s.payload !== null && typeof s.payload === "object" && "raw" in s.payload && typeof s.payload.raw === "string";
    return {
      id: ids[k]!,
      sequence: seq,
      time: new Date(time).toISOString(),
      eventType: s.type,
      actor: s.actor,
      causation: s.cause === undefined ? null : ids[s.cause]!,
      correlation: s.correlation ? mockUuid(`${aggregateId}/correlation/${s.correlation}`) : null,
      payload: s.payload === null ? null : raw ? (s.payload as { raw: string }).raw : JSON.stringify(s.payload),
    };
  });
}

const U = (payload: JsonValue, actor: string, after: number, extra: Partial<Spec> = {}): Spec => ({
  type: "AtomUpdated",
  actor,
  payload,
  after,
  ...extra,
});

const HISTORY_SPECS: Spec[] = [
  {
    type: "AtomCreated",
    actor: "u-maria",
    after: 0,
    correlation: "upload-1",
    payload: {
      atom_type: "TextAtom",
      name: "photosynthesis-definition",
      text_value: "Light energy is converted into chemical energy.",
      confidence: 0.62,
      tags: ["biology", "draft"],
      source: { kind: "upload", document: "intro-biology.pdf", page: 12 },
    },
  },
  U({ confidence: 0.7 }, "u-maria", 3, { correlation: "upload-1", cause: 0 }),
  U({ description: "Plants, algae and some bacteria turn light into chemical energy." }, "svc-enricher", 95, { correlation: "enrich-1" }),
  U({ source: { page: 13 } }, "svc-enricher", 1, { correlation: "enrich-1", cause: 2 }),
  U({ tags: ["biology", "reviewed"] }, "u-jonas", 1_440, { correlation: "review-1" }),
  U({ review: { status: "approved", by: "u-jonas" } }, "u-jonas", 2, { correlation: "review-1", cause: 4 }),
  U({ text_value: "Light energy is converted into chemical energy stored in glucose." }, "u-maria", 300),
  U({ confidence: 0.81 }, "svc-enricher", 60, { correlation: "enrich-2" }),
  U({ name: "photosynthesis-definition-v2" }, "u-maria", 4_000),
  U({ source: { kind: "curated", document: null } }, "svc-enricher", 1, { correlation: "enrich-2", cause: 7 }),
  U({ review: { status: "rejected", reason: "too vague" } }, "u-jonas", 1_500, { correlation: "review-2" }),
  U({ description: null }, "u-maria", 5, { correlation: "review-2", cause: 10 }),
  U(
    {
      text_value: "In chloroplasts, light energy drives the synthesis of glucose from CO2 and water.",
      review: { status: "draft", reason: null },
    },
    "u-maria",
    12,
    { correlation: "review-2", cause: 10 },
  ),
  U({ json_value: { limits: { max: 120 } } }, "svc-importer", 2_880, { correlation: "import-1" }),
  U({ json_value: { limits: { min: 5 } } }, "svc-importer", 1, { correlation: "import-1", cause: 13 }),
  U({ review: { status: "approved", by: "u-jonas" } }, "u-jonas", 720, { correlation: "review-3" }),
  U({ confidence: 0.9 }, "svc-enricher", 45),
  U({ "units/scale": { "~raw": "mol/L" } }, "svc-importer", 10_080, { correlation: "import-2" }),
  {
    type: "AtomDeleted",
    actor: "u-admin-lee",
    payload: { reason: "merged into a duplicate by mistake" },
    after: 4_320,
    correlation: "cleanup-1",
  },
  {
    type: "AtomCreated",
    actor: "svc-restore",
    after: 30,
    correlation: "cleanup-1",
    cause: 18,
    payload: {
      atom_type: "TextAtom",
      name: "photosynthesis-definition-v2",
      text_value: "In chloroplasts, light energy drives the synthesis of glucose from CO2 and water.",
      confidence: 0.9,
      tags: ["biology", "reviewed"],
      source: { kind: "curated", page: 13 },
      review: { status: "approved", by: "u-jonas" },
      json_value: { limits: { max: 120, min: 5 } },
    },
  },
  U({ tags: ["biology", "restored"] }, "u-maria", 90),
  U({ confidence: 0.86 }, "svc-enricher", 1, { correlation: "enrich-3" }),
  U({ source: { page: 14 } }, "svc-enricher", 1, { correlation: "enrich-3", cause: 21 }),
  U({ review: { note: "restored copy checked" } }, "u-jonas", 2_000, { correlation: "review-4" }),
  U({ description: "The process plants use to make glucose from light." }, "u-maria", 600),
  U({ json_value: { limits: { max: 150 }, unit: "kJ/mol" } }, "svc-importer", 3_000, { correlation: "import-3" }),
  U({ tags: ["biology", "botany"] }, "u-maria", 240),
  U({ confidence: 0.93 }, "svc-enricher", 1, { correlation: "enrich-4" }),
  U({ review: { note: null } }, "u-jonas", 1_440, { correlation: "review-5" }),
  U({ name: "photosynthesis-definition-v3" }, "u-maria", 300),
];

const ANOMALY_SPECS: Spec[] = [
  {
    type: "AtomCreated",
    actor: "u-amir",
    after: 0,
    payload: { atom_type: "NumberAtom", name: "avogadro-constant", number_value: 6.022e23, unit: "1/mol", confidence: 0.99 },
  },
  U({ tags: ["chemistry"] }, "svc-enricher", 20),
  U({ description: "Particles per mole." }, "u-amir", 600),
  U({ raw: '{"confidence": 0.97, "tags": ["chemistry", "constants"' }, "svc-importer", 1_440, { correlation: "import-7" }),
  U({ tags: ["chemistry", "constants"] }, "svc-importer", 1, { correlation: "import-7", cause: 3 }),
  U({ number_value: 6.02214076e23 }, "u-amir", 2_000),
  U({ review: { status: "approved", by: "u-jonas" } }, "u-jonas", 300),
  U({ description: "Exactly 6.02214076e23 particles per mole (SI, 2019)." }, "u-amir", 45),
];

const HOT_EVENTS = 12_345;

function hotLog(): MockEvent[] {
  const start = Date.UTC(2025, 4, 1, 0, 0, 0);
  const out: MockEvent[] = [];
  let seq = 500_000;
  for (let n = 0; n < HOT_EVENTS; n++) {
    seq += n === 0 ? 0 : 1 + (n % 3);
    const payload: JsonValue =
      n === 0
        ? { atom_type: "JsonAtom", name: "sensor-hot", json_value: { counter: 0, reading: 0 } }
        : { json_value: { counter: n, reading: (n % 997) / 10 } };
    out.push({
      id: mockUuid(`${MOCK_HOT_ATOM_ID}/event/${n}`),
      sequence: seq,
      time: new Date(start + n * 30_000).toISOString(),
      eventType: n === 0 ? "AtomCreated" : "AtomUpdated",
      actor: "svc-telemetry",
      causation: null,
      correlation: mockUuid(`${MOCK_HOT_ATOM_ID}/batch/${Math.floor(n / 100)}`),
      payload: JSON.stringify(payload),
    });
  }
  return out;
}

type StorePlan = {
  /** Applied events the row is behind (0: in sync). */
  postgres: number;
  /** Events behind, or properties no state had (drift), or no node. */
  graph: number | JsonObject | "missing";
  redis: number | "missing";
};

const PLANTED: Record<string, { slug: string; events: () => MockEvent[]; stores: StorePlan }> = {
  [MOCK_HISTORY_ATOM_ID]: {
    slug: "acme",
    events: () => buildLog(MOCK_HISTORY_ATOM_ID, Date.UTC(2025, 2, 3, 9, 14, 0), 48_211, HISTORY_SPECS),
    stores: { postgres: 1, graph: 0, redis: 0 },
  },
  [MOCK_ANOMALY_ATOM_ID]: {
    slug: "acme",
    events: () => buildLog(MOCK_ANOMALY_ATOM_ID, Date.UTC(2025, 1, 10, 13, 2, 0), 30_117, ANOMALY_SPECS),
    stores: { postgres: 0, graph: 0, redis: 0 },
  },
  [MOCK_HOT_ATOM_ID]: {
    slug: "acme",
    events: hotLog,
    stores: { postgres: 0, graph: { name: "sensor-hot-legacy" }, redis: "missing" },
  },
};

// ---------- what the stores hold ----------

/** The state the fold had `behind` applied events before the end. */
function stateBehind(folded: Folded, behind: number): MockState {
  if (behind === 0) return folded.final;
  return folded.applied[folded.applied.length - 1 - behind]?.state;
}

function pick(state: MockState, keys: string[]): JsonObject {
  const out: JsonObject = {};
  if (isObject(state ?? null)) for (const k of keys) if (k in (state as JsonObject)) out[k] = (state as JsonObject)[k]!;
  return out;
}

/** The read-model row of a planted atom: the columns of every member, null where absent. */
function plantedRow(tenant: Tenant, id: string, folded: Folded, state: MockState): Found {
  const location = mockTableLabel(tenant, "atoms");
  if (state === undefined) return { location, value: null };
  const row: JsonObject = { id, tenant_id: tenant.id };
  for (const k of folded.keys) row[k] = null;
  Object.assign(row, state);
  row.version = folded.version;
  row.updated_at = folded.applied[folded.applied.length - 1]?.time ?? null;
  return { location, value: row };
}

const graphLocation = (label: string, id: string) => `:${label} {id: ${JSON.stringify(id)}}`;
const cacheKey = (tenant: Tenant, entity: string, id: string) => `${mockCachePrefix(tenant.id)}${entity}:${id}`;

function plantedStores(tenant: Tenant, id: string, plan: StorePlan): MockAggregate["stores"] {
  return (folded) => {
    const graphValue = (): JsonValue | null => {
      if (plan.graph === "missing") return null;
      const state = typeof plan.graph === "number" ? stateBehind(folded, plan.graph) : folded.final;
      if (state === undefined) return null;
      const props: JsonObject = { id, tenantId: tenant.id, ...pick(state, ["name", "atom_type"]) };
      return typeof plan.graph === "number" ? props : { ...props, ...plan.graph };
    };
    const redisState = plan.redis === "missing" ? undefined : stateBehind(folded, plan.redis);
    return {
      postgres: plantedRow(tenant, id, folded, stateBehind(folded, plan.postgres)),
      graph: { location: graphLocation("Atom", id), value: graphValue() },
      redis: { location: cacheKey(tenant, "atom", id), value: redisState ?? null },
    };
  };
}

// ---------- logs of the fake tables' rows ----------

/** The row's members that the events speak for (no ids, versions or timestamps). */
function rowState(row: JsonValue): JsonObject {
  const out: JsonObject = {};
  if (isObject(row)) for (const [k, v] of Object.entries(row)) if (!BOOKKEEPING.has(k)) out[k] = v;
  return out;
}

/** An earlier version of the row: the first text member marked as a draft. */
function draftOf(target: JsonObject): JsonObject {
  const out: JsonObject = {};
  let marked = false;
  for (const [k, v] of Object.entries(target)) {
    if (v === null) continue;
    if (!marked && typeof v === "string") {
      out[k] = `${v} (draft)`;
      marked = true;
    } else out[k] = v;
  }
  return out;
}

/** The n-th intermediate update: one text or number member touched. */
function tweakOf(target: JsonObject, n: number): JsonObject {
  const scalars = Object.entries(target).filter(([, v]) => typeof v === "string" || typeof v === "number");
  if (scalars.length === 0) return {};
  const [k, v] = scalars[n % scalars.length]!;
  return { [k]: typeof v === "number" ? v + n : `${v as string} (rev ${n})` };
}

const ACTORS = ["u-maria", "u-jonas", "svc-importer", "svc-enricher"];

function rowAggregate(tenant: Tenant, entity: string, i: number, id: string): MockAggregate {
  const spec = MOCK_PROFILE.entities.find((e) => e.entityType === entity)!;
  const { row } = rowJson(tenant, entity, i);
  const deleted = isSoftDeleted(row);
  const events = (): MockEvent[] => {
    const plan = mockEventPlan(tenant, entity, id, deleted);
    const target = rowState(row);
    // The event that lands on the row's values: the last, or the one before the delete.
    const landing = deleted && plan.total > 1 ? plan.total - 2 : plan.total - 1;
    const ids = Array.from({ length: plan.total }, (_, n) => mockUuid(`${tenant.id}/${id}/event/${n}`));
    return ids.map((eventId, n) => {
      const type = plan.type(n);
      const kind = classify(type);
      const payload: JsonValue | null =
        kind === "delete" ? null : n === landing ? target : n === 0 ? draftOf(target) : tweakOf(target, n);
      return {
        id: eventId,
        sequence: plan.sequence(n),
        time: plan.time(n),
        eventType: type,
        actor: ACTORS[mockCount(`${id}/${n}/actor`, 0, ACTORS.length)]!,
        causation: n % 3 === 0 ? null : ids[n - 1]!,
        correlation: mockUuid(`${tenant.id}/${id}/correlation/${Math.floor(n / 3)}`),
        payload: payload === null ? null : JSON.stringify(payload),
      };
    });
  };
  const stores = (): Record<ComparedStore, Found> => {
    const r = isObject(row) ? row : {};
    // The planted leak: globex's copy of the shared atom never reached the graph.
    const inGraph = !(id === MOCK_SHARED_ATOM_ID && tenant.slug === "globex");
    const cached = mockCount(`${id}/cached`, 0, 3) !== 0;
    return {
      postgres: { location: mockTableLabel(tenant, spec.table), value: row },
      graph: spec.graphLabel
        ? {
            location: graphLocation(spec.graphLabel, id),
            value: inGraph ? { id, tenantId: tenant.id, title: r.title ?? r.name ?? null } : null,
          }
        : { reason: "the profile gives this aggregate type no graph label" },
      redis: spec.cacheKey
        ? { location: cacheKey(tenant, entity, id), value: cached ? stripNulls(rowState(row)) : null }
        : { reason: "the profile gives this aggregate type no cache key" },
    };
  };
  return { tenant, aggregateType: entity, id, events, stores };
}

function stripNulls(o: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}

// ---------- the commands ----------

function project(candidate: JsonValue | null, keys: string[]): JsonObject {
  const out: JsonObject = {};
  if (isObject(candidate)) {
    for (const k of keys) {
      const v = candidate[k];
      if (v !== undefined && v !== null) out[k] = v;
    }
  }
  return out;
}

function parsePoint(text: string): { kind: "sequence"; seq: number } | { kind: "time"; ms: number } {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return { kind: "sequence", seq: Number(t) };
  let ms = Number.NaN;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(t)) ms = Date.parse(t);
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) ms = Date.parse(`${t.replace(" ", "T")}Z`);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(t)) ms = Date.parse(`${t}T00:00:00Z`);
  if (Number.isNaN(ms)) {
    throw new BackendError(
      "invalid_input",
      `${JSON.stringify(t)} is neither a sequence number nor a time (RFC 3339, e.g. 2026-02-21T14:30:00Z)`,
    );
  }
  return { kind: "time", ms };
}

export function createMockTimeTravel() {
  const logs = new Map<string, MockEvent[]>();

  /** Every aggregate with this id, in any tenant. */
  function aggregatesOf(ctx: MockTimeTravelContext, id: string): MockAggregate[] {
    const out: MockAggregate[] = [];
    const p = PLANTED[id];
    const owner = p && ctx.tenants.find((t) => t.slug === p.slug);
    if (p && owner) {
      out.push({ tenant: owner, aggregateType: "atom", id, events: p.events, stores: plantedStores(owner, id, p.stores) });
    }
    for (const at of ctx.index().get(id) ?? []) out.push(rowAggregate(at.tenant, at.entity, at.i, id));
    return out;
  }

  function resolve(ctx: MockTimeTravelContext, aggregateId: string, tenant: string | null): MockAggregate {
    const down = ctx.down.postgres;
    if (down) throw BackendError.fromPayload(down);
    const id = aggregateId.trim();
    if (id === "") throw new BackendError("invalid_input", "the id or key is empty");
    if (tenant !== null) {
      const t = ctx.tenantOf(tenant.trim());
      if (!UUID.test(id)) throw new BackendError("invalid_input", `${JSON.stringify(id)} is not a uuid (the log's aggregate ids are)`);
      const found = aggregatesOf(ctx, id).find((a) => a.tenant.id === t.id);
      if (!found) throw new BackendError("not_found", `tenant ${t.slug} has no events of aggregate ${JSON.stringify(id)}`);
      return found;
    }
    const owners = aggregatesOf(ctx, id);
    if (owners.length === 0) {
      throw new BackendError("not_found", `no tenant's event log has events of aggregate ${JSON.stringify(id)}`);
    }
    if (owners.length > 1) {
      throw new BackendError(
        "invalid_input",
        `aggregate ${JSON.stringify(id)} has events in ${owners.length} tenants (${owners.map((a) => a.tenant.slug).join(", ")}): name one with --tenant`,
      );
    }
    return owners[0]!;
  }

  function eventsOf(a: MockAggregate): MockEvent[] {
    const key = `${a.tenant.id}/${a.id}`;
    let events = logs.get(key);
    if (!events) {
      events = a.events();
      logs.set(key, events);
    }
    return events;
  }

  const elapsed = (started: number, seed: string) => Math.max(1, Math.round(performance.now() - started)) + mockCount(seed, 4, 40);

  function stateAt(ctx: MockTimeTravelContext, aggregateId: string, tenant: string | null, at: string): StateAt {
    const point = parsePoint(at);
    const a = resolve(ctx, aggregateId, tenant);
    const folder = new MockFolder();
    const anomalies: IndexedAnomaly[] = [];
    let before = 0;
    let last: MockEvent | null = null;
    let reached = false;
    const events = eventsOf(a);
    events.forEach((event, index) => {
      const inside = !reached && (point.kind === "sequence" || Date.parse(event.time) <= point.ms);
      if (!inside) {
        reached = true;
        return;
      }
      const step = folder.apply(event);
      for (const anomaly of step.anomalies) anomalies.push({ index, eventId: event.id, anomaly });
      before += 1;
      if (point.kind === "sequence") reached = event.sequence === point.seq;
      last = event;
    });
    const lastEvent = last as MockEvent | null;
    if (point.kind === "sequence" && lastEvent?.sequence !== point.seq) {
      throw new BackendError("not_found", `aggregate ${JSON.stringify(a.id)} has no event with sequence ${point.seq}`);
    }
    return {
      tenant: ref(a.tenant),
      aggregateId: a.id,
      aggregateType: a.aggregateType,
      at: point.kind === "sequence" ? `sequence ${point.seq}` : new Date(point.ms).toISOString(),
      eventsBefore: before,
      totalEvents: events.length,
      version: folder.version,
      state: structuredClone(folder.state ?? null),
      lastEvent: lastEvent ? eventView(lastEvent) : null,
      anomalies,
    };
  }

  return {
    /**
     * Every aggregate with events in the tenant, each with its log (the same
     * logs the history folds, so the tenant's timeline agrees with it).
     */
    tenantAggregates(tenant: Tenant): MockTenantAggregate[] {
      const out: MockTenantAggregate[] = [];
      for (const [id, p] of Object.entries(PLANTED)) {
        if (p.slug !== tenant.slug) continue;
        const a: MockAggregate = { tenant, aggregateType: "atom", id, events: p.events, stores: plantedStores(tenant, id, p.stores) };
        out.push({ aggregateType: a.aggregateType, id, events: eventsOf(a) });
      }
      for (const { entityType } of MOCK_PROFILE.entities) {
        const count = mockRowCount(tenant, entityType);
        for (let i = 0; i < count; i++) {
          const id = mockRowId(tenant, entityType, i);
          const cached = logs.get(`${tenant.id}/${id}`);
          const events = cached ?? eventsOf(rowAggregate(tenant, entityType, i, id));
          out.push({ aggregateType: entityType, id, events });
        }
      }
      return out;
    },

    history(ctx: MockTimeTravelContext, aggregateId: string, tenant: string | null, offset: number, limit: number): AggregateHistory {
      const started = performance.now();
      if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0) {
        throw new BackendError("invalid_input", "offset and limit must be whole numbers of at least 0");
      }
      const a = resolve(ctx, aggregateId, tenant);
      const lim = Math.min(Math.max(limit, 1), MOCK_MAX_STEPS);
      const folder = new MockFolder();
      const steps: HistoryStep[] = [];
      let anomalyCount = 0;
      const events = eventsOf(a);
      events.forEach((event, index) => {
        const keep = index >= offset && index < offset + lim;
        const before = folder.state;
        const step = folder.apply(event);
        if (step.anomalies.length > 0) anomalyCount += 1;
        if (keep) {
          steps.push({
            index,
            event: eventView(event),
            kind: step.kind,
            applied: step.applied,
            version: step.version,
            changes: diffStates(before, step.state),
            anomalies: step.anomalies,
          });
        }
      });
      return {
        tenant: ref(a.tenant),
        aggregateId: a.id,
        aggregateType: a.aggregateType,
        totalEvents: events.length,
        offset,
        steps,
        state: structuredClone(folder.state ?? null),
        anomalyCount,
        elapsedMs: elapsed(started, a.id),
      };
    },

    stateAt,

    diff(ctx: MockTimeTravelContext, aggregateId: string, tenant: string | null, from: string, to: string): StateDiff {
      parsePoint(from);
      parsePoint(to);
      const f = stateAt(ctx, aggregateId, tenant, from);
      const t = stateAt(ctx, aggregateId, tenant, to);
      return { from: f, to: t, changes: diffStates(f.state ?? undefined, t.state ?? undefined) };
    },

    compare(ctx: MockTimeTravelContext, aggregateId: string, tenant: string | null): Comparison {
      const a = resolve(ctx, aggregateId, tenant);
      const folder = new MockFolder();
      const keys = new Set<string>();
      const applied: Folded["applied"] = [];
      for (const event of eventsOf(a)) {
        const step = folder.apply(event);
        if (isObject(folder.state ?? null)) for (const k of Object.keys(folder.state as JsonObject)) keys.add(k);
        if (step.applied) {
          applied.push({ version: step.version, sequence: event.sequence === null ? null : String(event.sequence), time: event.time, state: step.state });
        }
      }
      const folded: Folded = { final: folder.state, version: folder.version, applied, keys: [...keys].sort() };
      const found = a.stores(folded);
      const final = folded.final;
      const stores = COMPARED.map((store): StoreComparison => {
        let f = found[store];
        const failure = ctx.down[store];
        if (!ctx.configured.has(store)) f = { reason: `${store} of connection "${ctx.connection}" is not configured` };
        else if (failure) f = { reason: failure.message };
        if ("reason" in f) return { store, location: "", value: null, differences: [], verdict: "unknown", reason: f.reason };
        const value = f.value;
        // The graph is judged only on the members its node carries.
        const storeKeys = store === "graph" && isObject(value) ? folded.keys.filter((k) => k in value) : folded.keys;
        const matches = (state: MockState) => state !== undefined && sameJson(project(state, storeKeys), project(value, storeKeys));
        let verdict: Verdict;
        if (value === null) verdict = final === undefined ? { verdict: "in_sync" } : { verdict: "missing" };
        else if (final === undefined) verdict = { verdict: "orphaned" };
        else if (matches(final)) verdict = { verdict: "in_sync" };
        else {
          const earlier = [...applied].reverse().find((s) => matches(s.state));
          verdict = earlier
            ? { verdict: "lag", behind: folded.version - earlier.version, at_sequence: earlier.sequence, at_time: earlier.time }
            : { verdict: "drift" };
        }
        const differences =
          value === null || verdict.verdict === "in_sync"
            ? []
            : diffStates(final === undefined ? undefined : project(final, storeKeys), project(value, storeKeys));
        return { store, location: f.location, value: structuredClone(value), differences, ...verdict };
      });
      return {
        tenant: ref(a.tenant),
        aggregateId: a.id,
        aggregateType: a.aggregateType,
        totalEvents: eventsOf(a).length,
        version: folded.version,
        state: structuredClone(final ?? null),
        stores,
      };
    },
  };
}
