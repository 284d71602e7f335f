import { describe, expect, it } from "vitest";
import { draft, fixtures } from "../test/render";
import { createMockBackend, mockTenants } from "./mock";
import { globRegExp, mockNamespaces } from "./mockCache";
import { mockCacheKeys, MOCK_BIG_VALUE_BYTES } from "./mockCacheKeyspace";
import { mockMonitorChannel, mockMonitorStream } from "./mockCacheMonitor";
import { checkChain } from "./mockCacheWrites";
import type { MonitorBatch, ScanRequest } from "./types";

const [acme, globex] = mockTenants(3);
const SCAN: ScanRequest = { tenant: null, pattern: null, count: null, pauseMs: null, maxDepth: null, maxChildren: null };

describe("mock cache", () => {
  it("matches Redis globs with escapes and classes", () => {
    expect(globRegExp("tenant:*:atom:?").test("tenant:a:atom:1")).toBe(true);
    expect(globRegExp("a\\*b").test("a*b")).toBe(true);
    expect(globRegExp("a\\*b").test("axb")).toBe(false);
    expect(globRegExp("k[ab]").test("kb")).toBe(true);
    expect(globRegExp("k[^ab]").test("kb")).toBe(false);
  });

  it("counts folders like the core: parents first, largest first, deeper ones in their ancestors", () => {
    const lines = mockNamespaces(["t:a:atom:1", "t:a:atom:2", "t:a:flags", "t:b:atom:1", "plain"], 8, 10).map(
      (n) => `${"  ".repeat(n.depth)}${n.prefix.text || "(root)"} ${n.keys} ${n.ownKeys} ${n.hiddenFolders}`,
    );
    expect(lines).toEqual(["(root) 5 1 0", "  t: 4 0 0", "    t:a: 3 1 0", "      t:a:atom: 2 2 0", "    t:b: 1 0 0", "      t:b:atom: 1 1 0"]);
    expect(mockNamespaces(["d:1:a", "d:2:a", "d:2:b", "d:3:a", "d:3:b", "d:3:c"], 8, 2).map((n) => [n.prefix.text, n.hiddenFolders])).toEqual([
      ["", 0],
      ["d:", 1],
      ["d:3:", 0],
      ["d:2:", 0],
    ]);
  });

  it("scans a tenant's keys with progress, and every key without one", async () => {
    const backend = createMockBackend(fixtures());
    const progress: string[] = [];
    const scan = await backend.cacheScan("alpha", { ...SCAN, tenant: "globex", count: 10 }, "t1", (p) => progress.push(p.keys));
    expect(scan.pattern).toBe(`tenant:${globex!.id}:*`);
    expect(scan.namespaces[0]).toMatchObject({ prefix: { text: "" }, depth: 0, keys: scan.keys });
    expect(scan.namespaces.map((n) => n.prefix.text)).toContain(`tenant:${globex!.id}:atom:`);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toBe(scan.keys);
    const all = await backend.cacheScan("alpha", SCAN, "t2", () => undefined);
    expect(Number(all.keys)).toBeGreaterThan(Number(scan.keys));
    expect(all.namespaces[1]).toMatchObject({ prefix: { text: "tenant:" }, depth: 1 });
  });

  it("stops a scan on cancel", async () => {
    const backend = createMockBackend({ ...fixtures(), cacheDelayMs: 20 });
    const running = backend.cacheScan("alpha", { ...SCAN, count: 5 }, "t1", () => undefined);
    await new Promise((r) => setTimeout(r, 30));
    expect(backend.runningTasks()).toEqual(["t1"]);
    await backend.cancelTask("t1");
    await expect(running).rejects.toMatchObject({ code: "cancelled" });
  });

  it("pages a folder's keys and reads a binary key only by its bytes", async () => {
    const backend = createMockBackend(fixtures());
    const prefix = { text: `tenant:${acme!.id}:` };
    const first = await backend.cacheKeys("alpha", { prefix, pattern: null, after: null, limit: 20 });
    expect(first.keys).toHaveLength(20);
    const second = await backend.cacheKeys("alpha", { prefix, pattern: null, after: first.next, limit: 20 });
    expect(second.keys[0]!.key.text).not.toBe(first.keys[0]!.key.text);
    const binary = mockCacheKeys.binary(acme!);
    const blobs = await backend.cacheKeys("alpha", { prefix: { text: `tenant:${acme!.id}:blob:` }, pattern: null, after: null, limit: null });
    expect(blobs.keys.map((k) => k.key)).toEqual([binary]);
    expect((await backend.cacheValue("alpha", { key: binary, after: null, limit: null })).value).toMatchObject({ kind: "string", hex: "89504e470d0a1a0a0000000d49484452" });
    expect((await backend.cacheValue("alpha", { key: { text: binary.text }, after: null, limit: null })).value).toEqual({ kind: "missing" });
  });

  it("cuts a long string and a long cell, and pages a stream", async () => {
    const backend = createMockBackend(fixtures());
    const big = await backend.cacheValue("alpha", { key: { text: mockCacheKeys.big(acme!) }, after: null, limit: null });
    expect(big.length).toBe(String(MOCK_BIG_VALUE_BYTES));
    expect(big.value).toMatchObject({ kind: "string", truncated: true, bytes_shown: 262_144, json: null });
    const doc = await backend.cacheValue("alpha", { key: { text: mockCacheKeys.annotations(acme!) }, after: null, limit: null });
    expect(doc.value.kind === "hash" && doc.value.fields[0]![1]).toMatchObject({ truncated: true });
    const stream = await backend.cacheValue("alpha", { key: { text: mockCacheKeys.stream(acme!) }, after: null, limit: 5 });
    expect(stream.value.kind === "stream" && stream.value.groups.map((g) => g.name)).toEqual(["indexer", "notifier"]);
    const rest = await backend.cacheValue("alpha", { key: stream.key, after: stream.next, limit: 100 });
    expect(rest.value.kind === "stream" && [rest.value.entries.length, rest.value.groups.length]).toEqual([7, 0]);
  });

  it("audits globex: one stale, one orphaned, one without TTL", async () => {
    const backend = createMockBackend(fixtures());
    const audit = await backend.cacheAudit("alpha", "globex", "t1", () => undefined);
    expect(audit.findings.map((f) => [f.kind, f.severity]).sort()).toEqual([
      ["cache_missing_ttl", "medium"],
      ["cache_orphaned", "medium"],
      ["cache_stale", "high"],
    ]);
    const stale = audit.findings.find((f) => f.kind === "cache_stale")!;
    expect(stale.evidence[0]).toMatchObject({ store: "redis", location: mockCacheKeys.atom(globex!, 0) });
    expect((await backend.cacheAudit("alpha", "acme", "t2", () => undefined)).findings).toEqual([]);
  });

  it("fails without Redis, or with Redis down", async () => {
    const backend = createMockBackend(fixtures());
    await expect(backend.cacheScan("beta", SCAN, "t1", () => undefined)).rejects.toMatchObject({ code: "not_found" });
    backend.setHealth("alpha", "redis", { state: "down", error: { code: "unavailable", message: "connection refused" } });
    await expect(backend.cacheKeys("alpha", { prefix: { text: "" }, pattern: null, after: null, limit: null })).rejects.toMatchObject({
      code: "unavailable",
    });
  });

  it("sizes folders like the core: the sampled average times the keys", () => {
    const sizes = new Map([
      ["a:1", 100],
      ["a:2", 300],
    ]);
    const tree = mockNamespaces(["a:1", "a:2", "a:3", "b:1"], 8, 10, sizes).map((n) => [n.prefix.text, n.keys, n.sampledKeys, n.bytes]);
    expect(tree).toEqual([
      ["", "4", 2, "800"],
      ["a:", "3", 2, "600"],
      ["b:", "1", 0, null],
    ]);
  });

  it("sizes every key of a small key space, or one in N; the biggest first; a key's memory on its first page", async () => {
    const exact = await createMockBackend(fixtures()).cacheScan("alpha", { ...SCAN, tenant: "globex" }, "t1", () => undefined);
    expect(exact.memorySampleEvery).toBe(1);
    expect(exact.namespaces.every((n) => n.sampledKeys === Number(n.keys) && n.bytes !== null)).toBe(true);
    const sizes = exact.bigKeys.map((b) => Number(b.bytes));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(exact.bigKeys).toHaveLength(20);

    const sampled = await createMockBackend({ ...fixtures(), cacheMemorySampleEvery: 4 }).cacheScan("alpha", SCAN, "t1", () => undefined);
    expect(sampled.memorySampleEvery).toBe(4);
    const root = sampled.namespaces[0]!;
    expect(root.sampledKeys).toBeGreaterThan(0);
    expect(root.sampledKeys).toBeLessThan(Number(root.keys));

    const backend = createMockBackend(fixtures());
    const stream = await backend.cacheValue("alpha", { key: { text: mockCacheKeys.stream(acme!) }, after: null, limit: 5 });
    expect(Number(stream.memoryBytes)).toBeGreaterThan(600);
    expect((await backend.cacheValue("alpha", { key: stream.key, after: stream.next, limit: 5 })).memoryBytes).toBeNull();
    expect((await backend.cacheValue("alpha", { key: { text: mockCacheKeys.gone(acme!) }, after: null, limit: null })).memoryBytes).toBeNull();
  });

  it("monitors a tenant: listening first, the scripted batches, and its totals when stopped", async () => {
    const backend = createMockBackend(fixtures());
    const batches: MonitorBatch[] = [];
    const running = backend.cacheMonitor("alpha", "acme", "m1", (b) => batches.push(b));
    await new Promise((r) => setTimeout(r, 30));
    expect(batches[0]).toEqual({ messages: [], dropped: 0 });
    expect(batches.map((b) => [b.messages.length, b.dropped])).toEqual([
      [0, 0],
      [3, 0],
      [200, 57],
      [2, 0],
    ]);
    expect(backend.emitMonitor({ messages: [], dropped: 4 })).toBe(1);
    expect(backend.runningTasks()).toEqual(["m1"]);
    await backend.cancelTask("m1");
    await expect(running).resolves.toMatchObject({
      channel: mockMonitorChannel(acme!),
      stream: mockMonitorStream(acme!),
      received: String(205 + 57 + 4),
      dropped: String(57 + 4),
    });
    await expect(backend.cacheMonitor("alpha", "nobody", "m2", () => undefined)).rejects.toMatchObject({ code: "not_found" });
    await expect(backend.cacheMonitor("beta", "acme", "m3", () => undefined)).rejects.toMatchObject({ code: "not_found" });
  });

  it("guards writes: unlock a read-write connection, delete with a log entry first, refuse on a broken chain", async () => {
    const backend = createMockBackend({ connections: [{ draft: draft("rw", { readOnly: false }) }, { draft: draft("ro") }] });
    const key = { text: mockCacheKeys.atom(acme!, 0) };
    await expect(backend.unlockWrites("ro", 15)).rejects.toMatchObject({ code: "read_only" });
    await expect(backend.unlockWrites("rw", 241)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backend.cacheDelete("rw", [key])).rejects.toMatchObject({ code: "read_only" });
    expect((await backend.writeAccess("rw")).unlockedForSeconds).toBe(0);

    const access = await backend.unlockWrites("rw", 15);
    expect(access.unlockedForSeconds).toBeGreaterThanOrEqual(899);
    const first = await backend.cacheDelete("rw", [key, { text: "no:such:key" }]);
    expect(first).toMatchObject({ requested: 2, deleted: 1, logEntry: { seq: 1, action: "cache.delete", store: "redis", targets: [key.text, "no:such:key"] } });
    expect(first.logEntry.prev).toBe("0".repeat(64));
    expect((await backend.cacheValue("rw", { key, after: null, limit: null })).kind).toBe("none");
    const second = await backend.cacheDelete("rw", [key]);
    expect(second).toMatchObject({ deleted: 0, logEntry: { seq: 2, prev: first.logEntry.hash } });
    const log = await backend.writeLog();
    expect(log.chain).toEqual({ entries: 2, intact: true, brokenAt: null, problem: null });
    expect(checkChain(log.entries).intact).toBe(true);

    backend.tamperWriteLog(1);
    expect((await backend.writeLog()).chain).toMatchObject({ intact: false, brokenAt: 1 });
    await expect(backend.cacheDelete("rw", [key])).rejects.toMatchObject({ code: "config" });
    expect((await backend.writeLog()).entries).toHaveLength(2);

    expect((await backend.lockWrites("rw")).unlockedForSeconds).toBe(0);
  });
});
