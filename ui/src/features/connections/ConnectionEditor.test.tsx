import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ConnectionDraft, SecretsInput } from "../../backend";
import { renderWithBackend } from "../../test/render";
import { ConnectionsScreen } from "./ConnectionsScreen";

function setup() {
  const onActivate = vi.fn();
  const r = renderWithBackend(<ConnectionsScreen activeConnection="alpha" onActivate={onActivate} />);
  return { ...r, onActivate };
}

/** Waits until the editor shows alpha's stored details. */
async function editorLoaded() {
  const editor = await screen.findByTestId("connection-editor");
  await within(editor).findByDisplayValue("postgres://admin@127.0.0.1:5432/alpha");
  return editor;
}

function lastSave(backend: { callsOf: (m: "saveConnection") => unknown[][] }) {
  const calls = backend.callsOf("saveConnection");
  expect(calls.length).toBeGreaterThan(0);
  const [draft, secrets] = calls[calls.length - 1] as [ConnectionDraft, SecretsInput];
  return { draft, secrets };
}

describe("ConnectionEditor", () => {
  it("sends typed passwords only in `secrets`, never in the draft, and clears them after saving", async () => {
    const { backend, user, queryClient } = setup();
    await editorLoaded();

    await user.type(screen.getByTestId("secret-postgres"), "hunter2-pg");
    await user.type(screen.getByTestId("secret-redis"), "hunter2-redis");
    expect(screen.getByTestId("secret-postgres")).toHaveAttribute("type", "password");
    expect(screen.getByTestId("secret-postgres")).toHaveAttribute("autocomplete", "off");
    await user.click(screen.getByTestId("editor-save"));

    await waitFor(() => expect(backend.callsOf("saveConnection")).toHaveLength(1));
    const { draft, secrets } = lastSave(backend);
    expect(secrets).toEqual({ postgres: "hunter2-pg", graph: null, redis: "hunter2-redis", objects: null });
    expect(JSON.stringify(draft)).not.toContain("hunter2");
    expect(draft).toMatchObject({
      name: "alpha",
      profile: "sandbox",
      readOnly: true,
      postgres: { url: "postgres://admin@127.0.0.1:5432/alpha", tls: "disable" },
      redis: { urls: ["redis://127.0.0.1:6379"], cluster: false, username: null },
    });

    // Cleared after the save, and the keychain now reports both as stored.
    await waitFor(() => expect(screen.getByTestId("secret-postgres")).toHaveValue(""));
    expect(screen.getByTestId("secret-redis")).toHaveValue("");
    expect(await screen.findByTestId("secret-stored-redis")).toHaveTextContent("stored in keychain");
    expect(backend.storedSecrets("alpha")?.redis).toBe("hunter2-redis");

    // Nowhere in TanStack's caches (queries or mutations) or in localStorage.
    const cached = JSON.stringify([
      queryClient.getQueryCache().getAll().map((q) => q.state),
      queryClient.getMutationCache().getAll().map((m) => m.state),
    ]);
    expect(cached).not.toContain("hunter2");
    expect(JSON.stringify({ ...window.localStorage })).not.toContain("hunter2");
  });

  it("sends null for an empty password (keep) and \"\" for 'remove stored password'", async () => {
    const { backend, user } = setup();
    await editorLoaded();
    expect(screen.getByTestId("secret-stored-postgres")).toHaveTextContent("stored in keychain");
    expect(screen.queryByTestId("secret-stored-graph")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(backend.callsOf("saveConnection")).toHaveLength(1));
    expect(lastSave(backend).secrets).toEqual({ postgres: null, graph: null, redis: null, objects: null });
    expect(backend.storedSecrets("alpha")?.postgres).toBe("old-secret");

    await user.click(screen.getByTestId("secret-remove-postgres"));
    expect(screen.getByTestId("secret-postgres")).toBeDisabled();
    await user.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(backend.callsOf("saveConnection")).toHaveLength(2));
    expect(lastSave(backend).secrets).toEqual({ postgres: "", graph: null, redis: null, objects: null });
    await waitFor(() => expect(screen.queryByTestId("secret-stored-postgres")).not.toBeInTheDocument());
    expect(backend.storedSecrets("alpha")?.postgres).toBeNull();
  });

  it("shows an invalid_input error next to the form and keeps what was typed", async () => {
    const { backend, user } = setup();
    const editor = await editorLoaded();
    backend.failNext("saveConnection", { code: "invalid_input", message: "postgres.url: relative URL without a base" });

    await user.type(screen.getByTestId("secret-postgres"), "s3cret");
    await user.click(screen.getByTestId("editor-save"));

    const error = await within(editor).findByTestId("editor-error");
    expect(error).toHaveAttribute("data-code", "invalid_input");
    expect(error).toHaveTextContent("Invalid input: postgres.url: relative URL without a base");
    expect(screen.getByTestId("secret-postgres")).toHaveValue("s3cret");
    expect(screen.queryByRole("status", { name: /saved/i })).not.toBeInTheDocument();
  });

  it("words errors by code: `secret` reads as keychain unavailable", async () => {
    const { backend, user } = setup();
    await editorLoaded();
    // The message says nothing about keychains: the wording must come from the code.
    backend.failNext("saveConnection", { code: "secret", message: "org.freedesktop.secrets was not provided" });
    await user.click(screen.getByTestId("editor-save"));

    const error = await screen.findByTestId("editor-error");
    expect(error).toHaveAttribute("data-code", "secret");
    expect(error).toHaveTextContent(/^keychain unavailable: org\.freedesktop\.secrets was not provided$/i);
  });

  it("warns when read-only is turned off, and saves readOnly: false", async () => {
    const { backend, user } = setup();
    await editorLoaded();
    expect(screen.queryByTestId("read-only-warning")).not.toBeInTheDocument();

    await user.click(screen.getByRole("checkbox", { name: "Read-only" }));
    expect(screen.getByTestId("read-only-warning")).toHaveTextContent(/writes enabled/i);
    await user.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(backend.callsOf("saveConnection")).toHaveLength(1));
    expect(lastSave(backend).draft.readOnly).toBe(false);
  });

  it("creates a new connection with only the stores that are ticked", async () => {
    const { backend, user } = setup();
    await editorLoaded();
    await user.click(screen.getByTestId("connection-new"));

    const editor = screen.getByTestId("connection-editor");
    expect(within(editor).getByRole("heading", { name: "New connection" })).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Read-only" })).toBeChecked();
    await user.type(within(editor).getByLabelText("Name"), "gamma");
    const pg = screen.getByTestId("section-postgres");
    await user.type(within(pg).getByLabelText("URL"), "postgres://ops@db:5432/kos");
    await user.selectOptions(within(pg).getByLabelText("TLS"), "require");
    await user.type(within(pg).getByLabelText("Password"), "pg-pass");
    await user.click(screen.getByRole("checkbox", { name: "Graph (Bolt)" }));
    await user.click(screen.getByRole("checkbox", { name: "Objects (S3)" }));
    const redis = screen.getByTestId("section-redis");
    await user.type(within(redis).getByLabelText("URLs"), "redis://a:7000{enter}  {enter}redis://b:7000");
    await user.click(within(redis).getByRole("checkbox", { name: "Redis Cluster" }));
    await user.click(screen.getByTestId("editor-save"));

    await waitFor(() => expect(backend.callsOf("saveConnection")).toHaveLength(1));
    expect(lastSave(backend)).toEqual({
      draft: {
        name: "gamma",
        profile: "sandbox",
        readOnly: true,
        postgres: { url: "postgres://ops@db:5432/kos", tls: "require" },
        graph: null,
        redis: { urls: ["redis://a:7000", "redis://b:7000"], cluster: true, username: null },
        objects: null,
      },
      secrets: { postgres: "pg-pass", graph: null, redis: null, objects: null },
    });
    expect(await within(editor).findByRole("heading", { name: "gamma" })).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: /gamma/ })).toBeInTheDocument();
    expect(screen.getByTestId("secret-postgres")).toHaveValue("");
  });

  it("Test saves first, then checks health and shows the result", async () => {
    const { backend, user } = setup();
    await editorLoaded();
    backend.setHealth("alpha", "graph", { state: "down", error: { code: "unavailable", message: "connection refused" } });

    await user.click(screen.getByTestId("editor-test"));

    const result = await screen.findByTestId("test-result");
    expect(backend.calls.map((c) => c.method).filter((m) => m === "saveConnection" || m === "checkHealth")).toEqual([
      "saveConnection",
      "checkHealth",
    ]);
    expect(backend.callsOf("checkHealth")).toEqual([["alpha"]]);
    expect(within(result).getAllByRole("listitem").map((li) => li.getAttribute("data-state"))).toEqual([
      "up",
      "down",
      "up",
      "up",
    ]);
    expect(result).toHaveTextContent("Store unavailable: connection refused");
  });

  it("does not test when the save fails", async () => {
    const { backend, user } = setup();
    await editorLoaded();
    backend.failNext("saveConnection", { code: "invalid_input", message: "bad" });
    await user.click(screen.getByTestId("editor-test"));
    await screen.findByTestId("editor-error");
    expect(backend.callsOf("checkHealth")).toHaveLength(0);
  });

  it("deletes after confirmation", async () => {
    const { backend, user } = setup();
    await editorLoaded();
    await user.click(screen.getByTestId("editor-delete"));
    expect(backend.callsOf("deleteConnection")).toHaveLength(0);
    await user.click(screen.getByTestId("editor-delete-confirm"));

    await waitFor(() => expect(backend.callsOf("deleteConnection")).toEqual([["alpha"]]));
    await waitFor(() => expect(screen.queryByRole("button", { name: /alpha/ })).not.toBeInTheDocument());
    expect(screen.getByRole("heading", { name: "New connection" })).toBeInTheDocument();
  });
});
