import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MOCK_CORRUPT_BACKUP, MOCK_CORRUPT_PROBLEM, MOCK_GOOD_BACKUP } from "../../backend/mockBackups";
import { fixtures, renderWithBackend } from "../../test/render";
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
    expect(backend.callsOf("backupRun")[0]!.slice(0, 2)).toEqual(["alpha", { tenant: "globex", destination: null }]);
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
    const failing = within(result).getAllByTestId("backup-verification-part");
    expect(failing.map((p) => p.getAttribute("data-store"))).toEqual(["redis"]);
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
});
