import { describe, expect, it } from "vitest";
import { fixtures } from "../test/render";
import { createMockBackend, mockTenants } from "./mock";
import { globRegExp, mockNamespaces } from "./mockCache";
import { mockCacheKeys, MOCK_BIG_VALUE_BYTES } from "./mockCacheKeyspace";
import type { ScanRequest } from "./types";

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
});
