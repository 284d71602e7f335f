import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: unknown = null;
  },
}));

const { tauriBackend } = await import("./tauri");

type ChannelArgs = { onProgress: { onmessage: (p: unknown) => void } };
type BatchArgs = { onBatch: { onmessage: (b: unknown) => void } };

describe("tauriBackend: cache", () => {
  beforeEach(() => invoke.mockReset());

  it("scans and audits with a progress channel that reaches the callback", async () => {
    const request = { tenant: "globex", pattern: null, count: 500, pauseMs: 2, maxDepth: null, maxChildren: null };
    const onScan = vi.fn();
    invoke.mockImplementationOnce(async (_command: string, args: ChannelArgs) => {
      args.onProgress.onmessage({ keys: "500", node: "single node", nodesDone: 0, nodes: 1 });
      return { keys: "500" };
    });
    await expect(tauriBackend.cacheScan("a", request, "t-1", onScan)).resolves.toEqual({ keys: "500" });
    expect(invoke).toHaveBeenLastCalledWith("cache_scan", {
      connection: "a",
      request,
      taskId: "t-1",
      onProgress: expect.objectContaining({ onmessage: onScan }),
    });
    expect(onScan).toHaveBeenCalledWith({ keys: "500", node: "single node", nodesDone: 0, nodes: 1 });

    const onAudit = vi.fn();
    invoke.mockRejectedValueOnce({ code: "cancelled", message: "cancelled" });
    await expect(tauriBackend.cacheAudit("a", "globex", "t-2", onAudit)).rejects.toMatchObject({ code: "cancelled" });
    expect(invoke.mock.lastCall![0]).toBe("cache_audit");
    expect(invoke.mock.lastCall![1]).toMatchObject({ connection: "a", tenant: "globex", taskId: "t-2" });
  });

  it("passes key pages and values through, keys as the backend named them", async () => {
    const key = { text: "bin:\\xff", hex: "62696e3aff" };
    const page = { prefix: { text: "bin:" }, pattern: null, after: "0:17", limit: 200 };
    invoke.mockResolvedValueOnce({ keys: [], next: null });
    await tauriBackend.cacheKeys("a", page);
    expect(invoke).toHaveBeenLastCalledWith("cache_keys", { connection: "a", request: page });
    invoke.mockResolvedValueOnce({});
    await tauriBackend.cacheValue("a", { key, after: null, limit: 100 });
    expect(invoke).toHaveBeenLastCalledWith("cache_value", { connection: "a", request: { key, after: null, limit: 100 } });
    invoke.mockRejectedValueOnce({ code: "unavailable", message: "connection refused" });
    await expect(tauriBackend.cacheValue("a", { key, after: null, limit: null })).rejects.toMatchObject({ code: "unavailable" });
  });

  it("monitors with a batch channel that reaches the callback", async () => {
    const onBatch = vi.fn();
    const summary = { channel: "c", stream: null, received: "1", dropped: "0", elapsedMs: 5 };
    invoke.mockImplementationOnce(async (_command: string, args: BatchArgs) => {
      args.onBatch.onmessage({ messages: [], dropped: 0 });
      return summary;
    });
    await expect(tauriBackend.cacheMonitor("a", "acme", "t-3", onBatch)).resolves.toEqual(summary);
    expect(invoke).toHaveBeenLastCalledWith("cache_monitor", {
      connection: "a",
      tenant: "acme",
      taskId: "t-3",
      onBatch: expect.objectContaining({ onmessage: onBatch }),
    });
    expect(onBatch).toHaveBeenCalledWith({ messages: [], dropped: 0 });
  });

  it("passes guarded writes through, their refusals by code", async () => {
    invoke.mockResolvedValueOnce({ connection: "a", unlockedForSeconds: 900 });
    await expect(tauriBackend.unlockWrites("a", 15)).resolves.toEqual({ connection: "a", unlockedForSeconds: 900 });
    expect(invoke).toHaveBeenLastCalledWith("unlock_writes", { connection: "a", minutes: 15 });
    invoke.mockResolvedValueOnce({ connection: "a", unlockedForSeconds: 0 });
    await tauriBackend.lockWrites("a");
    expect(invoke).toHaveBeenLastCalledWith("lock_writes", { connection: "a" });
    invoke.mockResolvedValueOnce({ connection: "a", unlockedForSeconds: 0 });
    await tauriBackend.writeAccess("a");
    expect(invoke).toHaveBeenLastCalledWith("write_access", { connection: "a" });
    const keys = [{ text: "k\\xff", hex: "6bff" }];
    invoke.mockRejectedValueOnce({ code: "read_only", message: "writes on a are locked; unlock them first" });
    await expect(tauriBackend.cacheDelete("a", keys)).rejects.toMatchObject({ code: "read_only" });
    expect(invoke).toHaveBeenLastCalledWith("cache_delete", { connection: "a", keys });
    invoke.mockResolvedValueOnce({ entries: [], chain: { entries: 0, intact: true, brokenAt: null, problem: null } });
    await expect(tauriBackend.writeLog()).resolves.toMatchObject({ chain: { intact: true } });
    expect(invoke).toHaveBeenLastCalledWith("write_log");
  });
});
