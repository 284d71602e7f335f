import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: unknown = null;
  },
}));

const { tauriBackend } = await import("./tauri");
const { BackendError } = await import("./errors");

describe("tauriBackend", () => {
  beforeEach(() => invoke.mockReset());

  it("invokes the snake_case command with camelCase arguments and returns its data", async () => {
    invoke.mockResolvedValueOnce([{ name: "a", profile: "sandbox", readOnly: true, stores: [] }]);
    await expect(tauriBackend.listConnections()).resolves.toEqual([
      { name: "a", profile: "sandbox", readOnly: true, stores: [] },
    ]);
    expect(invoke).toHaveBeenLastCalledWith("list_connections");

    const draft = { name: "a", profile: "sandbox", readOnly: true, postgres: null, graph: null, redis: null, objects: null };
    const secrets = { postgres: "pw", graph: null, redis: null, objects: "" };
    invoke.mockResolvedValueOnce({ name: "a", profile: "sandbox", readOnly: true, stores: [] });
    await tauriBackend.saveConnection(draft, secrets);
    expect(invoke).toHaveBeenLastCalledWith("save_connection", { draft, secrets });

    for (const [call, command] of [
      [() => tauriBackend.getConnection("a"), "get_connection"],
      [() => tauriBackend.deleteConnection("a"), "delete_connection"],
      [() => tauriBackend.checkHealth("a"), "check_health"],
    ] as const) {
      invoke.mockResolvedValueOnce(null);
      await call();
      expect(invoke).toHaveBeenLastCalledWith(command, { name: "a" });
    }
    invoke.mockResolvedValueOnce({});
    await tauriBackend.appInfo();
    expect(invoke).toHaveBeenLastCalledWith("app_info");
  });

  it("throws a BackendError with the backend's code on an error result", async () => {
    invoke.mockRejectedValueOnce({ code: "not_found", message: "no connection x" });
    const error = await tauriBackend.getConnection("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: "not_found", message: "no connection x" });
  });

  it("turns IPC failures that are not an ErrorPayload into `internal`", async () => {
    invoke.mockRejectedValueOnce("command check_health not found");
    await expect(tauriBackend.checkHealth("x")).rejects.toMatchObject({
      code: "internal",
      message: "command check_health not found",
    });
    invoke.mockRejectedValueOnce(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await expect(tauriBackend.appInfo()).rejects.toBeInstanceOf(BackendError);
  });

  it("passes lookups, row pages and console requests through", async () => {
    const query = { entity: "atom", filters: [], after: null, descending: true, limit: 100 };
    const request = { language: "sql" as const, text: "select 1", tenant: "acme", maxRows: null };
    for (const [call, command, args] of [
      [() => tauriBackend.find("a", "id-1", null), "find", { connection: "a", needle: "id-1", tenant: null }],
      [() => tauriBackend.profileSummary("a"), "profile_summary", { connection: "a" }],
      [() => tauriBackend.tenantRows("a", "acme", query), "tenant_rows", { connection: "a", tenant: "acme", query }],
      [() => tauriBackend.cancelTask("t-1"), "cancel_task", { taskId: "t-1" }],
      [() => tauriBackend.runConsole("a", request), "run_console", { connection: "a", request }],
    ] as const) {
      invoke.mockResolvedValueOnce(null);
      await call();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
  });

  it("passes the time travel commands through", async () => {
    for (const [call, command, args] of [
      [
        () => tauriBackend.eventHistory("a", "id-1", null, 0, 5000),
        "event_history",
        { connection: "a", aggregateId: "id-1", tenant: null, offset: 0, limit: 5000 },
      ],
      [() => tauriBackend.stateAt("a", "id-1", "acme", "8242"), "state_at", { connection: "a", aggregateId: "id-1", tenant: "acme", at: "8242" }],
      [
        () => tauriBackend.stateDiff("a", "id-1", null, "1", "2026-02-21"),
        "state_diff",
        { connection: "a", aggregateId: "id-1", tenant: null, from: "1", to: "2026-02-21" },
      ],
      [() => tauriBackend.compareStores("a", "id-1", "acme"), "compare_stores", { connection: "a", aggregateId: "id-1", tenant: "acme" }],
    ] as const) {
      invoke.mockResolvedValueOnce(null);
      await call();
      expect(invoke).toHaveBeenLastCalledWith(command, args);
    }
    invoke.mockRejectedValueOnce({ code: "invalid_input", message: "aggregate has events in 2 tenants" });
    await expect(tauriBackend.eventHistory("a", "id-1", null, 0, 10)).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("exports with a progress channel that reaches the callback", async () => {
    const onProgress = vi.fn();
    const query = { entity: "atom", after: null, limit: null };
    invoke.mockImplementationOnce(async (_command: string, args: { onProgress: { onmessage: (p: unknown) => void } }) => {
      args.onProgress.onmessage({ rows: 100 });
      args.onProgress.onmessage({ rows: 150 });
      return { path: "/x.csv", format: "csv", rows: 150, bytes: "9000", elapsedMs: 12 };
    });
    await expect(tauriBackend.exportRows("a", "acme", query, "csv", null, "t-1", onProgress)).resolves.toMatchObject({ rows: 150 });
    expect(invoke).toHaveBeenLastCalledWith("export_rows", {
      connection: "a",
      tenant: "acme",
      query,
      format: "csv",
      path: null,
      taskId: "t-1",
      onProgress: expect.objectContaining({ onmessage: onProgress }),
    });
    expect(onProgress.mock.calls).toEqual([[{ rows: 100 }], [{ rows: 150 }]]);

    invoke.mockRejectedValueOnce({ code: "cancelled", message: "cancelled" });
    await expect(tauriBackend.exportRows("a", "acme", query, "json", "/tmp/x.json", "t-2", onProgress)).rejects.toMatchObject({
      code: "cancelled",
    });
  });

  it("measures the overview with a progress channel, one message per store", async () => {
    const onProgress = vi.fn();
    const overview = { connection: "a", measuredAt: "2025-06-01T10:00:00.000Z", exact: true, elapsedMs: 40, tenants: [], capped: false, parts: [] };
    invoke.mockImplementationOnce(async (_command: string, args: { onProgress: { onmessage: (p: unknown) => void } }) => {
      args.onProgress.onmessage({ store: "graph", done: true, detail: "2 queries" });
      args.onProgress.onmessage({ store: "redis", done: false, detail: "100000 keys scanned" });
      return overview;
    });
    await expect(tauriBackend.tenantOverview("a", true, "t-3", onProgress)).resolves.toEqual(overview);
    expect(invoke).toHaveBeenLastCalledWith("tenant_overview", {
      connection: "a",
      exact: true,
      taskId: "t-3",
      onProgress: expect.objectContaining({ onmessage: onProgress }),
    });
    expect(onProgress.mock.calls.map(([p]) => p.store)).toEqual(["graph", "redis"]);
  });

  it("sends the tenant timeline's filter, and the tenant state's progress through a channel", async () => {
    const filter = { aggregateType: "atom", aggregateId: null, eventType: null, actor: null, correlation: null, causation: null, eventId: null, after: null, limit: 10 };
    invoke.mockResolvedValueOnce({ events: [], nextAfter: null });
    await tauriBackend.tenantEvents("a", "acme", filter);
    expect(invoke).toHaveBeenLastCalledWith("tenant_events", { connection: "a", tenant: "acme", filter });

    const onProgress = vi.fn();
    invoke.mockResolvedValueOnce({ path: "/x.jsonl" });
    await tauriBackend.tenantState("a", "acme", "2025-01-01T00:00:00Z", null, null, "t1", onProgress);
    const args = invoke.mock.lastCall![1] as { onProgress: { onmessage: (p: unknown) => void } };
    expect(invoke.mock.lastCall![0]).toBe("tenant_state");
    expect(args).toMatchObject({ connection: "a", tenant: "acme", at: "2025-01-01T00:00:00Z", aggregateType: null, path: null, taskId: "t1" });
    args.onProgress.onmessage({ events: "5", aggregates: 1 });
    expect(onProgress).toHaveBeenCalledWith({ events: "5", aggregates: 1 });
  });
  it("runs a backup with a progress channel, and lists and verifies backups of a destination", async () => {
    const onProgress = vi.fn();
    const request = { tenant: "acme", store: null, destination: null };
    invoke.mockImplementationOnce(async (_cmd: string, args: { onProgress: { onmessage: (p: unknown) => void } }) => {
      args.onProgress.onmessage({ store: "postgres", partsDone: 0, parts: 4, message: "copy_csv" });
      return { path: "/b/1", manifest: {} };
    });
    await expect(tauriBackend.backupRun("a", request, "t-9", onProgress)).resolves.toMatchObject({ path: "/b/1" });
    expect(invoke).toHaveBeenLastCalledWith("backup_run", {
      connection: "a",
      request,
      taskId: "t-9",
      onProgress: expect.objectContaining({ onmessage: onProgress }),
    });
    expect(onProgress).toHaveBeenCalledWith({ store: "postgres", partsDone: 0, parts: 4, message: "copy_csv" });

    invoke.mockResolvedValueOnce({ destination: "/b", backups: [], incomplete: [] });
    await tauriBackend.backupList("a", "/b");
    expect(invoke).toHaveBeenLastCalledWith("backup_list", { connection: "a", destination: "/b" });
    invoke.mockRejectedValueOnce({ code: "not_found", message: "no backup x" });
    const verify = { id: "x", destination: null, restore: false };
    await expect(tauriBackend.backupVerify("a", verify, "t-10", vi.fn())).rejects.toMatchObject({ code: "not_found" });
    expect(invoke).toHaveBeenLastCalledWith("backup_verify", {
      connection: "a",
      request: verify,
      taskId: "t-10",
      onProgress: expect.anything(),
    });
  });

  it("verifies with a restore and restores a backup, each with a progress channel", async () => {
    const onVerify = vi.fn();
    invoke.mockImplementationOnce(async (_cmd: string, args: { onProgress: { onmessage: (p: unknown) => void } }) => {
      args.onProgress.onmessage({ store: "graph", partsDone: 1, parts: 4, message: "graph: restoring" });
      return { backup: "b1", checkedAt: "2026-01-01T00:00:00Z", passed: true, restored: true, parts: [], notes: [] };
    });
    const verify = { id: "b1", destination: "/b", restore: true };
    await expect(tauriBackend.backupVerify("a", verify, "t-11", onVerify)).resolves.toMatchObject({ restored: true });
    expect(invoke).toHaveBeenLastCalledWith("backup_verify", {
      connection: "a",
      request: verify,
      taskId: "t-11",
      onProgress: expect.objectContaining({ onmessage: onVerify }),
    });
    expect(onVerify).toHaveBeenCalledWith({ store: "graph", partsDone: 1, parts: 4, message: "graph: restoring" });

    const onRestore = vi.fn();
    invoke.mockRejectedValueOnce({ code: "read_only", message: "writes on a are locked" });
    const restore = { id: "b1", destination: null };
    await expect(tauriBackend.backupRestore("a", restore, "t-12", onRestore)).rejects.toMatchObject({ code: "read_only" });
    expect(invoke).toHaveBeenLastCalledWith("backup_restore", {
      connection: "a",
      request: restore,
      taskId: "t-12",
      onProgress: expect.objectContaining({ onmessage: onRestore }),
    });
  });
  it("runs an audit with a progress channel, and exports a kept report", async () => {
    const onProgress = vi.fn();
    invoke.mockImplementationOnce(async (_cmd: string, args: { onProgress: { onmessage: (p: unknown) => void } }) => {
      args.onProgress.onmessage({ check: "cache", checksDone: 3, checks: 8, message: "cache: starting" });
      return { id: "globex-1a2b3c4d", findings: [], checks: [], summary: [] };
    });
    await expect(tauriBackend.auditRun("a", "globex", "t-20", onProgress)).resolves.toMatchObject({ id: "globex-1a2b3c4d" });
    expect(invoke).toHaveBeenLastCalledWith("audit_run", {
      connection: "a",
      tenant: "globex",
      taskId: "t-20",
      onProgress: expect.objectContaining({ onmessage: onProgress }),
    });
    expect(onProgress).toHaveBeenCalledWith({ check: "cache", checksDone: 3, checks: 8, message: "cache: starting" });

    invoke.mockRejectedValueOnce({ code: "cancelled", message: "cancelled" });
    await expect(tauriBackend.auditRun("a", "globex", "t-21", vi.fn())).rejects.toMatchObject({ code: "cancelled" });

    invoke.mockResolvedValueOnce({ path: "/exports/audit-globex-1a2b3c4d.html", bytes: 2048 });
    await expect(tauriBackend.auditExport("globex-1a2b3c4d", "html")).resolves.toEqual({
      path: "/exports/audit-globex-1a2b3c4d.html",
      bytes: 2048,
    });
    expect(invoke).toHaveBeenLastCalledWith("audit_export", { id: "globex-1a2b3c4d", format: "html" });
    invoke.mockRejectedValueOnce({ code: "not_found", message: "no audit report x: run the audit again" });
    await expect(tauriBackend.auditExport("x", "json")).rejects.toMatchObject({ code: "not_found" });
  });
});
