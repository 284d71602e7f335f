import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: class {} }));

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
});
