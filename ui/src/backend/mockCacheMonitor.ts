// The cache monitor of the mock backend, as cache/monitor.rs runs it: an
// empty first batch once "subscribed" (listening), then scripted batches on a
// timer (one of them a busy interval that left messages out), then quiet
// until the task is cancelled, when it resolves with the totals. Tests may
// push batches of their own to every running monitor.
import { mockCell } from "./mockCache";
import { mockCachePrefix } from "./mockProfile";
import { mockAtomId } from "./mockCacheKeyspace";
import { sleep } from "./mockIds";
import type { Cell, MonitorBatch, MonitorMessage, MonitorSummary, Tenant } from "./types";

/** Messages a batch holds at most (the core's BATCH_MAX). */
export const MOCK_MONITOR_BATCH_MAX = 200;

/** The sandbox profile's channel and stream of a tenant. */
export const mockMonitorChannel = (tenant: Tenant) => `${mockCachePrefix(tenant.id)}updates`;
export const mockMonitorStream = (tenant: Tenant) => `${mockCachePrefix(tenant.id)}updates:log`;

const BASE_MS = Date.UTC(2025, 5, 1, 9, 0, 0);

/** A pub/sub message of the tenant's channel: an atom event as JSON. */
export function mockPubsub(tenant: Tenant, n: number, payload?: string): MonitorMessage {
  const text = payload ?? JSON.stringify({ type: n % 3 === 0 ? "atom.created" : "atom.updated", id: mockAtomId(tenant.slug, n % 40), n });
  return { source: "pubsub", channel: mockMonitorChannel(tenant), payload: mockCell(text) };
}

/** An entry of the tenant's update stream. */
export function mockStreamEntry(tenant: Tenant, n: number): MonitorMessage {
  const fields: [Cell, Cell][] = [
    [mockCell("type"), mockCell(n % 3 === 0 ? "atom.created" : "atom.updated")],
    [mockCell("aggregate_id"), mockCell(mockAtomId(tenant.slug, n % 40))],
  ];
  return { source: "stream", key: mockMonitorStream(tenant), id: `${BASE_MS + n * 1_000}-0`, fields };
}

/**
 * What the monitor hears of a tenant, batch after batch: a few messages of
 * each source, a busy interval (a full batch and 57 left out), then one with
 * a payload longer than a cell (cut).
 */
export function mockMonitorScript(tenant: Tenant): MonitorBatch[] {
  const busy = Array.from({ length: MOCK_MONITOR_BATCH_MAX }, (_, k) =>
    k % 2 === 0 ? mockPubsub(tenant, 10 + k) : mockStreamEntry(tenant, 10 + k),
  );
  return [
    { messages: [mockPubsub(tenant, 0), mockStreamEntry(tenant, 1), mockPubsub(tenant, 2)], dropped: 0 },
    { messages: busy, dropped: 57 },
    { messages: [mockPubsub(tenant, 300, JSON.stringify({ type: "atom.bulk", ids: "x".repeat(6_000) })), mockStreamEntry(tenant, 301)], dropped: 0 },
  ];
}

export interface MockMonitorContext {
  /** Pause before "listening" and between scripted batches, in ms. */
  delayMs: number;
  signal: AbortSignal;
  /** The batches sent after the first (empty) one. */
  script: MonitorBatch[];
  /** Registers a listener for batches pushed by a test; returns its removal. */
  listen: (push: (batch: MonitorBatch) => void) => () => void;
}

/** Watches the tenant's channel and stream until the task is cancelled. */
export async function mockCacheMonitor(
  tenant: Tenant,
  onBatch: (batch: MonitorBatch) => void,
  ctx: MockMonitorContext,
): Promise<MonitorSummary> {
  const started = Date.now();
  let received = 0;
  let dropped = 0;
  const send = (batch: MonitorBatch) => {
    if (ctx.signal.aborted) return;
    received += batch.messages.length + batch.dropped;
    dropped += batch.dropped;
    onBatch(structuredClone(batch));
  };
  await sleep(ctx.delayMs, ctx.signal);
  // Subscribed and positioned: the empty first batch.
  if (!ctx.signal.aborted) onBatch({ messages: [], dropped: 0 });
  const unlisten = ctx.listen(send);
  try {
    for (const batch of ctx.script) {
      await sleep(ctx.delayMs, ctx.signal);
      send(batch);
    }
    if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
  } finally {
    unlisten();
  }
  return {
    channel: mockMonitorChannel(tenant),
    stream: mockMonitorStream(tenant),
    received: String(received),
    dropped: String(dropped),
    elapsedMs: Date.now() - started,
  };
}
