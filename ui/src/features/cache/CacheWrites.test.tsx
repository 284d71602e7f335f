import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants, type MockOptions } from "../../backend/mock";
import { mockCacheKeys } from "../../backend/mockCacheKeyspace";
import { draft, renderWithBackend } from "../../test/render";
import { CacheScreen } from "./CacheScreen";

const WAIT = { timeout: 5_000 };
const [, globex] = mockTenants(2);
const p = `tenant:${globex!.id}:`;

/** A read-write connection with Redis ("rw"), and the fixtures' read-only one ("ro"). */
const CONNECTIONS: MockOptions = {
  defaultConnection: "rw",
  connections: [{ draft: draft("rw", { readOnly: false }) }, { draft: draft("ro") }],
};

type Rendered = ReturnType<typeof renderWithBackend>;

const byAttr = (testId: string, name: string, value: string) =>
  screen.queryAllByTestId(testId).find((el) => el.getAttribute(name) === value) ?? null;
const folder = (prefix: string) => byAttr("cache-folder", "data-prefix", prefix);
const keyRow = (key: string) => byAttr("cache-key-row", "data-key", key);

/** Scans globex, opens its atom folder and the atom `i`'s value. */
async function openAtom({ user }: Rendered, i: number): Promise<string> {
  await user.type(screen.getByTestId("cache-scan-tenant"), "globex");
  await user.click(screen.getByTestId("cache-scan-button"));
  await waitFor(() => expect(folder(`${p}atom:`)).not.toBeNull(), WAIT);
  await user.click(folder(`${p}atom:`)!);
  const key = mockCacheKeys.atom(globex!, i);
  await waitFor(() => expect(keyRow(key)).not.toBeNull(), WAIT);
  await user.click(keyRow(key)!);
  await waitFor(() => expect(screen.getByTestId("cache-value")).toHaveAttribute("data-kind", "string"), WAIT);
  return key;
}

async function unlock({ user }: Rendered) {
  await user.click(screen.getByTestId("cache-unlock"));
  await screen.findByTestId("cache-lock", {}, WAIT);
}

async function deleteOpenKey({ user }: Rendered) {
  await user.click(screen.getByTestId("cache-delete"));
  await user.click(screen.getByTestId("cache-delete-confirm"));
}

describe("CacheScreen: guarded delete", () => {
  it("keeps Delete key disabled, saying why, while writes are locked", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="rw" />, { mock: CONNECTIONS });
    await openAtom(rendered, 3);
    expect(screen.getByTestId("cache-delete")).toBeDisabled();
    expect(screen.getByTestId("cache-delete")).toHaveAttribute("title", "Unlock writes (at the top of the screen) to delete keys.");
    expect(screen.getByTestId("cache-delete-why")).toHaveTextContent("Unlock writes");
    expect(screen.getByTestId("cache-unlock-minutes")).toHaveValue("15");
    expect(screen.getByTestId("cache-write-access")).toHaveAttribute("data-unlocked", "false");
    // Asked once for the header and the viewer both.
    expect(rendered.backend.callsOf("writeAccess")).toEqual([["rw"]]);
  });

  it("unlocks, deletes after confirmation, reads the list again and shows the write log entry", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="rw" />, { mock: CONNECTIONS });
    const { backend, user } = rendered;
    const key = await openAtom(rendered, 3);
    expect(screen.getAllByTestId("cache-key-row")).toHaveLength(24);
    expect(screen.getByTestId("cache-write-log-empty")).toBeInTheDocument();

    await unlock(rendered);
    expect(backend.callsOf("unlockWrites")).toEqual([["rw", 15]]);
    expect(screen.getByTestId("cache-unlocked-left").textContent).toMatch(/^1[45]:\d\d$/);
    expect(screen.getByTestId("cache-delete")).toBeEnabled();

    // Cancel asks nothing.
    await user.click(screen.getByTestId("cache-delete"));
    expect(screen.getByRole("group", { name: "Confirm deletion" })).toHaveTextContent(`Delete ${key}?`);
    await user.click(screen.getByTestId("cache-delete-cancel"));
    expect(backend.callsOf("cacheDelete")).toEqual([]);

    await deleteOpenKey(rendered);
    const done = await screen.findByTestId("cache-delete-done", {}, WAIT);
    expect(done).toHaveTextContent("Deleted · write log entry #1");
    expect(backend.callsOf("cacheDelete")).toEqual([["rw", [{ text: key }]]]);
    // The list and the value are read again: the key is gone.
    await waitFor(() => expect(screen.getAllByTestId("cache-key-row")).toHaveLength(23), WAIT);
    expect(keyRow(key)).toBeNull();
    expect(await screen.findByTestId("cache-value-missing", {}, WAIT)).toBeInTheDocument();
    expect(screen.getByTestId("cache-delete")).toBeDisabled();

    // The write log has the entry, its chain intact.
    const log = screen.getByTestId("cache-write-log");
    await waitFor(() => expect(within(log).getAllByTestId("cache-write-log-entry")).toHaveLength(1), WAIT);
    const entry = within(log).getByTestId("cache-write-log-entry");
    expect(entry).toHaveAttribute("data-seq", "1");
    expect(entry).toHaveTextContent("rw");
    expect(entry).toHaveTextContent("cache.delete");
    expect(entry).toHaveTextContent(key);
    expect(within(log).getByTestId("cache-write-log-chain")).toHaveTextContent("Chain intact · 1 entry");

    // Lock again: deleting is off.
    await user.click(screen.getByTestId("cache-lock"));
    expect(await screen.findByTestId("cache-unlock", {}, WAIT)).toBeInTheDocument();
    expect(backend.callsOf("lockWrites")).toEqual([["rw"]]);
  });

  it("unlocks for the minutes typed, and refuses minutes out of range", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="rw" />, { mock: CONNECTIONS });
    const { backend, user } = rendered;
    const minutes = await screen.findByTestId("cache-unlock-minutes");
    await user.clear(minutes);
    await user.type(minutes, "241");
    expect(screen.getByTestId("cache-unlock")).toBeDisabled();
    expect(screen.getByTestId("cache-unlock")).toHaveAttribute("title", "Minutes is a whole number from 1 to 240");
    await user.clear(minutes);
    await user.type(minutes, "90");
    await unlock(rendered);
    expect(backend.callsOf("unlockWrites")).toEqual([["rw", 90]]);
    expect(screen.getByTestId("cache-unlocked-left").textContent).toMatch(/^1:(30|29):\d\d$/);
  });

  it("says a read-only connection refuses the unlock, by the error's code", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="ro" />, { mock: CONNECTIONS });
    await rendered.user.click(await screen.findByTestId("cache-unlock"));
    const error = await screen.findByTestId("cache-unlock-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "read_only");
    expect(error).toHaveTextContent("writes are locked or the connection is read-only");
    expect(screen.getByTestId("cache-write-access")).toHaveAttribute("data-unlocked", "false");
  });

  it("says a refused delete is locked writes (read_only), by code not message", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="rw" />, { mock: CONNECTIONS });
    const { backend } = rendered;
    await openAtom(rendered, 5);
    await unlock(rendered);
    backend.failNext("cacheDelete", { code: "read_only", message: "anything at all" });
    await deleteOpenKey(rendered);
    const error = await screen.findByTestId("cache-delete-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "read_only");
    expect(error).toHaveTextContent("writes are locked or the connection is read-only");
    expect(error).toHaveTextContent("anything at all");
    expect(screen.queryByTestId("cache-delete-done")).not.toBeInTheDocument();
  });

  it("refuses writes once the write log's chain is broken, and says where it breaks", async () => {
    const rendered = renderWithBackend(<CacheScreen connection="rw" />, { mock: CONNECTIONS });
    const { backend, user } = rendered;
    await openAtom(rendered, 4);
    await unlock(rendered);
    await deleteOpenKey(rendered);
    await screen.findByTestId("cache-delete-done", {}, WAIT);

    backend.tamperWriteLog(1);
    await user.click(keyRow(mockCacheKeys.atom(globex!, 6))!);
    await waitFor(() => expect(screen.getByTestId("cache-delete")).toBeEnabled(), WAIT);
    await deleteOpenKey(rendered);
    const error = await screen.findByTestId("cache-delete-error", {}, WAIT);
    expect(error).toHaveAttribute("data-code", "config");
    expect(error).toHaveTextContent("the write log is not intact; writes are refused");

    // The panel reads the log again after the refusal.
    const chain = await waitFor(() => {
      const c = within(screen.getByTestId("cache-write-log")).getByTestId("cache-write-log-chain");
      expect(c).toHaveAttribute("data-intact", "false");
      return c;
    }, WAIT);
    expect(chain).toHaveTextContent("Chain broken at entry 1: entry 1: its content does not match its hash (edited)");
  });
});
