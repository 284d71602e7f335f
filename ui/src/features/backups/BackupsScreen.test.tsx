import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MOCK_CORRUPT_BACKUP, MOCK_CORRUPT_PROBLEM, MOCK_GOOD_BACKUP } from "../../backend/mockBackups";
import { draft, fixtures, renderWithBackend } from "../../test/render";
import { BackupsScreen } from "./BackupsScreen";

const WAIT = { timeout: 5_000 };

const rowOf = (id: string) => screen.getAllByTestId("backup-row").find((r) => r.getAttribute("data-id") === id)!;

describe("BackupsScreen", () => {
  it("lists the seeded backups newest first with tenant, tier and state", async () => {
    renderWithBackend(<BackupsScreen connection="alpha" />);
    await screen.findAllByTestId("backup-row", {}, WAIT);
    const ids = screen.getAllByTestId("backup-row").map((r) => r.getAttribute("data-id"));
    expect(ids).toEqual([MOCK_CORRUPT_BACKUP, MOCK_GOOD_BACKUP]);
    expect(rowOf(MOCK_GOOD_BACKUP)).toHaveTextContent("acme");
    expect(within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-state")).toHaveTextContent("not verified");
  });

  it("runs a backup with per-part progress, shows its manifest and adds it to the catalog", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />, {
      mock: { ...fixtures(), backupDelayMs: 30 },
    });
    await screen.findAllByTestId("backup-row", {}, WAIT);
    await user.type(screen.getByTestId("backup-tenant"), "globex");
    await user.click(screen.getByTestId("backup-run"));
    const progress = await screen.findByTestId("backup-progress", {}, WAIT);
    await waitFor(() => expect(within(progress).getByTestId("backup-progress-parts")).toHaveTextContent("4"), WAIT);
    expect(within(progress).getByTestId("backup-progress-message")).toHaveTextContent(/of (postgres|graph|redis|objects)/);

    const summary = await screen.findByTestId("backup-summary", {}, WAIT);
    expect(backend.callsOf("backupRun")[0]!.slice(0, 2)).toEqual(["alpha", { tenant: "globex", store: null, destination: null }]);
    const id = within(summary).getByTestId("backup-summary-id").textContent!;
    expect(id).toMatch(/-tenant-globex-/);
    const parts = within(summary).getAllByTestId("backup-summary-part");
    expect(parts.map((p) => p.getAttribute("data-store"))).toEqual(["postgres", "graph", "redis", "objects"]);
    expect(parts[0]).toHaveTextContent("copy_csv");
    expect(parts[0]).toHaveTextContent("400 rows of atoms");

    // The new backup is the newest: first in the catalog.
    await waitFor(() => expect(screen.getAllByTestId("backup-row")[0]).toHaveAttribute("data-id", id), WAIT);
    expect(screen.getAllByTestId("backup-row")).toHaveLength(3);
  });

  it("verifies a backup that passes and refreshes its state", async () => {
    const { user } = renderWithBackend(<BackupsScreen connection="alpha" />);
    await screen.findAllByTestId("backup-row", {}, WAIT);
    await user.click(within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-verify"));
    const result = await screen.findByTestId("backup-verification", {}, WAIT);
    expect(result).toHaveAttribute("data-passed", "true");
    expect(result).toHaveTextContent("Passed");
    await waitFor(() => expect(within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-state")).toHaveTextContent("verified"), WAIT);
    expect(within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-state")).toHaveAttribute("data-state", "verified");
  });

  it("shows the failing part's problems of the seeded corrupt backup", async () => {
    const { user } = renderWithBackend(<BackupsScreen connection="alpha" />);
    await screen.findAllByTestId("backup-row", {}, WAIT);
    await user.click(within(rowOf(MOCK_CORRUPT_BACKUP)).getByTestId("backup-verify"));
    const result = await screen.findByTestId("backup-verification", {}, WAIT);
    expect(result).toHaveAttribute("data-passed", "false");
    const failing = within(result)
      .getAllByTestId("backup-verification-part")
      .filter((p) => p.getAttribute("data-passed") === "false");
    expect(failing.map((p) => p.getAttribute("data-store"))).toEqual(["redis"]);
    expect(within(failing[0]!).getByTestId("backup-checksums")).toHaveTextContent("checksums differ");
    expect(within(failing[0]!).getByTestId("backup-problem")).toHaveTextContent(MOCK_CORRUPT_PROBLEM);
    await waitFor(() => expect(within(rowOf(MOCK_CORRUPT_BACKUP)).getByTestId("backup-state")).toHaveAttribute("data-state", "failed"), WAIT);
  });

  it("cancels a running backup through cancelTask with the run's task id", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />, {
      mock: { ...fixtures(), backupDelayMs: 10_000 },
    });
    await user.type(screen.getByTestId("backup-tenant"), "acme");
    await user.click(screen.getByTestId("backup-run"));
    await screen.findByTestId("backup-progress", {}, WAIT);
    await user.click(screen.getByTestId("backup-cancel"));
    expect(await screen.findByTestId("backup-cancelled", {}, WAIT)).toBeInTheDocument();
    const taskId = backend.callsOf("backupRun")[0]![2];
    expect(backend.callsOf("cancelTask")).toContainEqual([taskId]);
    expect(backend.runningTasks()).toEqual([]);
    expect(screen.queryByTestId("backup-summary")).not.toBeInTheDocument();
  });

  it("shows a failed run by its error code", async () => {
    const { user } = renderWithBackend(<BackupsScreen connection="alpha" />);
    await user.type(screen.getByTestId("backup-tenant"), "no-such-tenant");
    await user.click(screen.getByTestId("backup-run"));
    expect(await screen.findByTestId("backup-error", {}, WAIT)).toHaveAttribute("data-code", "not_found");
  });

  it("shows a failure injected by code, and a relative destination as invalid input", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />);
    backend.failNext("backupRun", { code: "unavailable", message: "graph is down" });
    await user.type(screen.getByTestId("backup-tenant"), "acme");
    await user.click(screen.getByTestId("backup-run"));
    expect(await screen.findByTestId("backup-error", {}, WAIT)).toHaveAttribute("data-code", "unavailable");
    await user.type(screen.getByTestId("backup-destination"), "relative/folder");
    await user.click(screen.getByTestId("backup-run"));
    await waitFor(() => expect(screen.getAllByTestId("backup-error")[0]).toHaveAttribute("data-code", "invalid_input"), WAIT);
  });

  it("cannot run without a connection", () => {
    renderWithBackend(<BackupsScreen connection={null} />);
    expect(screen.getByTestId("backup-run")).toBeDisabled();
    expect(screen.getByTestId("backup-no-connection")).toBeInTheDocument();
  });

  it("backs up a whole store of the connection's: the choice lists its stores and sends store, not tenant", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="beta" />);
    await user.click(screen.getByTestId("backup-scope-store"));
    expect(screen.queryByTestId("backup-tenant")).not.toBeInTheDocument();
    const select = screen.getByTestId("backup-store");
    // beta has PostgreSQL only.
    await waitFor(() => expect(within(select).getAllByRole("option").map((o) => o.getAttribute("value"))).toEqual(["", "postgres"]), WAIT);
    expect(screen.getByTestId("backup-run")).toBeDisabled();
    await user.selectOptions(select, "postgres");
    await user.click(screen.getByTestId("backup-run"));
    const summary = await screen.findByTestId("backup-summary", {}, WAIT);
    expect(backend.callsOf("backupRun")[0]!.slice(0, 2)).toEqual(["beta", { tenant: null, store: "postgres", destination: null }]);
    expect(within(summary).getAllByTestId("backup-summary-part").map((p) => p.textContent)).toEqual([
      expect.stringContaining("pg_dump_directory"),
    ]);
    // A whole database is never restored over live data: no "Restore tenant…" in its row.
    const id = within(summary).getByTestId("backup-summary-id").textContent!;
    await waitFor(() => expect(rowOf(id)).toBeDefined(), WAIT);
    expect(within(rowOf(id)).getByTestId("backup-scope-cell")).toHaveTextContent("whole postgres");
    expect(within(rowOf(id)).queryByTestId("backup-restore-open")).not.toBeInTheDocument();

    // It is restored into a scratch database, though, and compared table by table.
    await backend.unlockWrites("beta", 10);
    await user.click(within(rowOf(id)).getByTestId("backup-verify-restore"));
    expect(await screen.findByTestId("backup-verify-restore-help")).toHaveTextContent(/every table's row count/);
    await user.click(within(rowOf(id)).getByTestId("backup-verify"));
    const result = await screen.findByTestId("backup-verification", {}, WAIT);
    expect(result).toHaveAttribute("data-passed", "true");
    const [check, ...others] = within(result).getAllByTestId("backup-restore-check");
    expect(others).toEqual([]);
    expect(within(check!).getByTestId("backup-restore-target")).toHaveTextContent(/^scratch database storelens_scratch_/);
    expect(within(check!).getAllByTestId("backup-restore-measure").map((m) => m.textContent)).toEqual([
      expect.stringContaining("rows public.events"),
      expect.stringContaining("rows public.atoms"),
      expect.stringContaining("rows tenant_tyrell.atoms"),
    ]);
    expect((await backend.writeLog()).entries.map((e) => e.detail)).toEqual([
      `restore of whole postgres from backup ${id} into scratch targets`,
    ]);
  });

  it("offers a scratch restore for a whole graph, none for a whole Redis", async () => {
    const { user } = renderWithBackend(<BackupsScreen connection="alpha" />);
    await user.click(screen.getByTestId("backup-scope-store"));
    const select = screen.getByTestId("backup-store");
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(5), WAIT);
    const backUp = async (store: string) => {
      await user.selectOptions(select, store);
      await user.click(screen.getByTestId("backup-run"));
      const id = await waitFor(() => {
        const shown = screen.getByTestId("backup-summary-id").textContent!;
        expect(shown).toContain(`-store-${store}-`);
        return shown;
      }, WAIT);
      await waitFor(() => expect(rowOf(id)).toBeDefined(), WAIT);
      return within(rowOf(id)).getByTestId("backup-verify-restore");
    };
    const redis = await backUp("redis");
    expect(redis).toBeDisabled();
    expect(redis.closest("label")).toHaveAttribute("title", expect.stringContaining("only a database or a graph"));
    const graph = await backUp("graph");
    expect(graph).toBeEnabled();
    expect(graph.closest("label")).toHaveAttribute("title", expect.stringContaining("scratch graph database"));
  });

  it("switching back to a tenant sends the tenant with no store", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />);
    await user.click(screen.getByTestId("backup-scope-store"));
    await user.click(screen.getByTestId("backup-scope-tenant"));
    await user.type(screen.getByTestId("backup-tenant"), "acme");
    await user.click(screen.getByTestId("backup-run"));
    await screen.findByTestId("backup-summary", {}, WAIT);
    expect(backend.callsOf("backupRun")[0]![1]).toEqual({ tenant: "acme", store: null, destination: null });
  });
});

/** "alpha" saved as read-write, so its writes can be unlocked (the seeded backups were taken on it). */
function readWrite() {
  const f = fixtures();
  return { ...f, connections: [{ draft: draft("alpha", { readOnly: false }) }, ...f.connections!.slice(1)] };
}

describe("BackupsScreen: restores", () => {
  it("verifies with a restore into scratch: progress, then each part's target, measures and notes", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />, { mock: { ...readWrite(), backupDelayMs: 30 } });
    await backend.unlockWrites("alpha", 10);
    await screen.findAllByTestId("backup-row", {}, WAIT);
    const row = rowOf(MOCK_GOOD_BACKUP);
    await user.click(within(row).getByTestId("backup-verify-restore"));
    expect(await screen.findByTestId("backup-verify-restore-help")).toHaveTextContent(/writes unlocked/);
    await user.click(within(row).getByTestId("backup-verify"));
    const progress = await screen.findByTestId("backup-verify-progress", {}, WAIT);
    await waitFor(() => expect(within(progress).getByTestId("backup-verify-progress-message")).toHaveTextContent(/restoring/), WAIT);
    expect(backend.callsOf("backupVerify")[0]!.slice(0, 2)).toEqual(["alpha", { id: MOCK_GOOD_BACKUP, destination: null, restore: true }]);

    const result = await screen.findByTestId("backup-verification", {}, WAIT);
    expect(result).toHaveAttribute("data-restored", "true");
    expect(result).toHaveAttribute("data-passed", "true");
    const checks = within(result).getAllByTestId("backup-restore-check");
    expect(checks.map((c) => c.getAttribute("data-store"))).toEqual(["postgres", "graph", "redis", "objects"]);
    const postgres = checks[0]!;
    expect(postgres).toHaveAttribute("data-state", "passed");
    expect(within(postgres).getByTestId("backup-restore-target")).toHaveTextContent(/^scratch schema storelens_scratch_/);
    const measures = within(postgres).getAllByTestId("backup-restore-measure");
    expect(measures[0]).toHaveTextContent("rows of atoms");
    expect(measures[0]).toHaveTextContent("400");
    expect(within(measures[0]!).getByTestId("backup-restore-content")).toHaveTextContent("same");
    const relationships = within(checks[1]!).getAllByTestId("backup-restore-measure")[1]!;
    expect(within(relationships).getByTestId("backup-restore-content")).toHaveTextContent("not hashed");
    expect(within(checks[2]!).getByTestId("backup-restore-notes")).toHaveTextContent("TTLs restored");
    await waitFor(() => expect(within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-state")).toHaveTextContent("verified (restored)"), WAIT);
    // Each store's scratch restore was entered in the write log first.
    expect((await backend.writeLog()).entries.map((e) => e.action)).toEqual(Array(4).fill("backup.verify_restore"));
  });

  it("shows a restore refused with read_only as locked writes, unlocks, and tries again", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />, { mock: readWrite() });
    await screen.findAllByTestId("backup-row", {}, WAIT);
    const row = rowOf(MOCK_GOOD_BACKUP);
    await user.click(within(row).getByTestId("backup-verify-restore"));
    await user.click(within(row).getByTestId("backup-verify"));
    const locked = await screen.findByTestId("backup-verify-locked", {}, WAIT);
    expect(locked).toHaveAttribute("data-code", "read_only");
    expect(locked).toHaveTextContent(/writes are locked/);
    expect(screen.queryByTestId("backup-verification")).not.toBeInTheDocument();

    await user.clear(within(locked).getByTestId("backup-verify-locked-minutes"));
    await user.type(within(locked).getByTestId("backup-verify-locked-minutes"), "5");
    await user.click(within(locked).getByTestId("backup-verify-locked-unlock"));
    expect(backend.callsOf("unlockWrites")).toEqual([["alpha", 5]]);
    await user.click(await within(locked).findByTestId("backup-verify-locked-retry", {}, WAIT));
    const result = await screen.findByTestId("backup-verification", {}, WAIT);
    expect(result).toHaveAttribute("data-restored", "true");
    expect(screen.queryByTestId("backup-verify-locked")).not.toBeInTheDocument();
  });

  it("says a read-only connection cannot be unlocked, by the unlock's own read_only refusal", async () => {
    // fixtures(): alpha is saved read-only.
    const { user } = renderWithBackend(<BackupsScreen connection="alpha" />);
    await screen.findAllByTestId("backup-row", {}, WAIT);
    const row = rowOf(MOCK_GOOD_BACKUP);
    await user.click(within(row).getByTestId("backup-verify-restore"));
    await user.click(within(row).getByTestId("backup-verify"));
    const locked = await screen.findByTestId("backup-verify-locked", {}, WAIT);
    await waitFor(() => expect(locked).toHaveTextContent(/saved as read-only/), WAIT);
    await user.click(within(locked).getByTestId("backup-verify-locked-unlock"));
    expect(await within(locked).findByTestId("backup-verify-locked-unlock-error", {}, WAIT)).toHaveAttribute("data-code", "read_only");
  });

  it("restores a tenant only once its slug is typed, and shows the report with the write log entries", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />, { mock: { ...readWrite(), backupDelayMs: 20 } });
    await backend.unlockWrites("alpha", 10);
    await screen.findAllByTestId("backup-row", {}, WAIT);
    const slug = within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-scope-cell").textContent!;
    await user.click(within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-restore-open"));
    const dialog = await screen.findByTestId("backup-restore");
    const confirm = within(dialog).getByTestId("backup-restore-confirm");
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByTestId("backup-restore-slug"), `${slug}x`);
    expect(confirm).toBeDisabled();
    await user.clear(within(dialog).getByTestId("backup-restore-slug"));
    await user.type(within(dialog).getByTestId("backup-restore-slug"), slug);
    expect(confirm).toBeEnabled();
    expect(backend.callsOf("backupRestore")).toEqual([]);
    await user.click(confirm);
    expect(await within(dialog).findByTestId("backup-restore-progress", {}, WAIT)).toBeInTheDocument();

    const report = await within(dialog).findByTestId("backup-restore-report", {}, WAIT);
    expect(backend.callsOf("backupRestore")[0]!.slice(0, 2)).toEqual(["alpha", { id: MOCK_GOOD_BACKUP, destination: null }]);
    expect(report).toHaveAttribute("data-passed", "true");
    const checks = within(report).getAllByTestId("backup-restore-check");
    expect(checks.map((c) => c.getAttribute("data-state"))).toEqual(["passed", "passed", "passed", "passed"]);
    expect(within(checks[0]!).getByTestId("backup-restore-target")).toHaveTextContent(`tenant ${slug} (live rows)`);
    expect(within(checks[0]!).getByTestId("backup-restore-notes")).toHaveTextContent("events the log lacked");
    expect(within(report).getAllByTestId("backup-restore-log-entry").map((e) => e.textContent)).toEqual(["#1", "#2", "#3", "#4"]);
  });

  it("shows a live restore refused with read_only with the unlock, and can cancel a running one", async () => {
    const { backend, user } = renderWithBackend(<BackupsScreen connection="alpha" />, { mock: { ...readWrite(), backupDelayMs: 10_000 } });
    await screen.findAllByTestId("backup-row", {}, WAIT);
    const slug = within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-scope-cell").textContent!;
    await user.click(within(rowOf(MOCK_GOOD_BACKUP)).getByTestId("backup-restore-open"));
    const dialog = await screen.findByTestId("backup-restore");
    await user.type(within(dialog).getByTestId("backup-restore-slug"), slug);
    await user.click(within(dialog).getByTestId("backup-restore-confirm"));
    const locked = await within(dialog).findByTestId("backup-restore-locked", {}, WAIT);
    expect(within(dialog).queryByTestId("backup-restore-report")).not.toBeInTheDocument();

    await user.click(within(locked).getByTestId("backup-restore-locked-unlock"));
    await user.click(await within(locked).findByTestId("backup-restore-locked-retry", {}, WAIT));
    await within(dialog).findByTestId("backup-restore-progress", {}, WAIT);
    await user.click(within(dialog).getByTestId("backup-restore-progress-cancel"));
    expect(await within(dialog).findByTestId("backup-restore-cancelled", {}, WAIT)).toBeInTheDocument();
    const taskId = backend.callsOf("backupRestore").at(-1)![2];
    expect(backend.callsOf("cancelTask")).toContainEqual([taskId]);
    expect(backend.runningTasks()).toEqual([]);
  });
});
