// A tenant's whole event log for the mock backend: the timeline (filtered,
// keyset pages in (time, sequence) order) and the tenant-wide reconstruction
// at a time, written as JSON Lines (to nowhere) with progress and cancellation.
// Built from the same logs the aggregate commands fold (mockTimeTravel.ts).
import { BackendError } from "./errors";
import { eventView, MockFolder, type MockEvent } from "./mockFold";
import { sleep } from "./mockIds";
import { MOCK_EXPORTS_DIR } from "./mockExport";
import { MOCK_PROFILE } from "./mockProfile";
import type { MockTenantAggregate } from "./mockTimeTravel";
import type { EventFilter, EventPage, Tenant, TenantStateProgress, TenantStateSummary } from "./types";

/** One event of the tenant's log, with its aggregate. */
export interface MockTenantEvent {
  aggregateType: string;
  aggregateId: string;
  event: MockEvent;
}

export const MOCK_TIMELINE_LIMIT = 100;
export const MOCK_TIMELINE_MAX_LIMIT = 1_000;
/** Events folded between two progress reports of the tenant-wide reconstruction. */
export const MOCK_TENANT_STATE_BATCH = 2_000;

/** The (time, sequence, aggregate, event) key the log is ordered and paged by. */
type Key = [number, number, string, string];

const keyOf = (e: MockTenantEvent): Key => [Date.parse(e.event.time), e.event.sequence ?? -1, e.aggregateId, e.event.id ?? ""];

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

/** Every event of the tenant, in (time, sequence) order. */
export function mockTenantLog(aggregates: MockTenantAggregate[]): MockTenantEvent[] {
  const all = aggregates.flatMap((a) => a.events.map((event) => ({ aggregateType: a.aggregateType, aggregateId: a.id, event })));
  const keys = new Map(all.map((e) => [e, keyOf(e)]));
  return all.sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!));
}

/** The cursor is opaque to callers: the key of the page's last event. */
const encodeCursor = (e: MockTenantEvent) => btoa(JSON.stringify(keyOf(e)));

function decodeCursor(after: string): Key {
  try {
    const key: unknown = JSON.parse(atob(after));
    if (
      Array.isArray(key) &&
      key.length === 4 &&
      typeof key[0] === "number" &&
      typeof key[1] === "number" &&
      typeof key[2] === "string" &&
      typeof key[3] === "string"
    ) {
      return key as Key;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new BackendError("invalid_input", `cursor ${JSON.stringify(after)} is not a nextAfter of this log`);
}

const blankToNull = (v: string | null | undefined) => (v === undefined || v === null ? null : v);

/** One page of `tenantEvents`. */
export function mockTenantEvents(log: MockTenantEvent[], filter: EventFilter): EventPage {
  const limit = filter.limit ?? MOCK_TIMELINE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MOCK_TIMELINE_MAX_LIMIT) {
    throw new BackendError("invalid_input", `limit must be between 1 and ${MOCK_TIMELINE_MAX_LIMIT}`);
  }
  const want = {
    aggregateType: blankToNull(filter.aggregateType),
    aggregateId: blankToNull(filter.aggregateId),
    eventType: blankToNull(filter.eventType),
    actor: blankToNull(filter.actor),
    correlation: blankToNull(filter.correlation),
    causation: blankToNull(filter.causation),
    eventId: blankToNull(filter.eventId),
  };
  const after = filter.after ? decodeCursor(filter.after) : null;
  const matches = (e: MockTenantEvent) =>
    (want.aggregateType === null || e.aggregateType === want.aggregateType) &&
    (want.aggregateId === null || e.aggregateId === want.aggregateId) &&
    (want.eventType === null || e.event.eventType === want.eventType) &&
    (want.actor === null || e.event.actor === want.actor) &&
    (want.correlation === null || e.event.correlation === want.correlation) &&
    (want.causation === null || e.event.causation === want.causation) &&
    (want.eventId === null || e.event.id === want.eventId) &&
    (after === null || compareKeys(keyOf(e), after) > 0);
  const page: MockTenantEvent[] = [];
  let more = false;
  for (const e of log) {
    if (!matches(e)) continue;
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(e);
  }
  return {
    events: page.map((e) => ({ aggregateId: e.aggregateId, aggregateType: e.aggregateType, event: eventView(e.event) })),
    nextAfter: more ? encodeCursor(page[page.length - 1]!) : null,
  };
}

/** An RFC 3339 time (with a zone), in ms. */
function parseTime(at: string): number {
  const t = at.trim();
  const ms = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(t) ? Date.parse(t.replace(" ", "T")) : NaN;
  if (Number.isNaN(ms)) {
    throw new BackendError("invalid_input", `${JSON.stringify(at)} is not an RFC 3339 time (e.g. 2026-02-21T14:30:00Z)`);
  }
  return ms;
}

/** `acme-state-20250601T101500Z.jsonl`, like the backend names a new file. */
export function mockTenantStatePath(tenant: Tenant, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${MOCK_EXPORTS_DIR}/${tenant.slug.replace(/[^A-Za-z0-9_-]/g, "_")}-state-${stamp}.jsonl`;
}

/** `tenantState`: every aggregate folded up to `at`, one JSON line each. */
export async function mockTenantState(
  tenant: Tenant,
  aggregates: MockTenantAggregate[],
  at: string,
  aggregateType: string | null,
  path: string | null,
  onProgress: (p: TenantStateProgress) => void,
  options: { delayMs: number; signal: AbortSignal },
): Promise<TenantStateSummary> {
  const started = Date.now();
  const atMs = parseTime(at);
  if (aggregateType !== null && !MOCK_PROFILE.entities.some((e) => e.entityType === aggregateType)) {
    const known = MOCK_PROFILE.entities.map((e) => e.entityType).join(", ");
    throw new BackendError("invalid_input", `no entity type ${JSON.stringify(aggregateType)} in the profile (it has: ${known})`);
  }
  const chosen = aggregates.filter((a) => aggregateType === null || a.aggregateType === aggregateType);
  let events = 0;
  let seen = 0;
  let live = 0;
  let withAnomalies = 0;
  let bytes = 0;
  let sinceReport = 0;
  const encoder = new TextEncoder();
  const report = async () => {
    await sleep(options.delayMs, options.signal);
    if (options.signal.aborted) throw new BackendError("cancelled", "cancelled");
    onProgress({ events: String(events), aggregates: seen });
    sinceReport = 0;
  };
  for (const a of chosen) {
    const folder = new MockFolder();
    let folded = 0;
    let anomalies = 0;
    for (const event of a.events) {
      if (Date.parse(event.time) > atMs) break;
      if (folder.apply(event).anomalies.length > 0) anomalies += 1;
      folded += 1;
      events += 1;
      sinceReport += 1;
      if (sinceReport >= MOCK_TENANT_STATE_BATCH) await report();
    }
    if (folded === 0) continue;
    seen += 1;
    if (folder.state !== undefined) live += 1;
    if (anomalies > 0) withAnomalies += 1;
    const line = {
      aggregateType: a.aggregateType,
      aggregateId: a.id,
      version: folder.version,
      events: folded,
      deleted: folder.state === undefined,
      anomalies,
      state: folder.state ?? null,
    };
    bytes += encoder.encode(`${JSON.stringify(line)}\n`).length;
  }
  await report();
  return {
    path: path ?? mockTenantStatePath(tenant),
    at: new Date(atMs).toISOString(),
    aggregates: seen,
    live,
    events: String(events),
    withAnomalies,
    bytes: String(bytes),
    elapsedMs: Date.now() - started,
  };
}
