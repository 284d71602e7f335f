import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { MOCK_AUDIT_IDS } from "../../backend/mockAudit";
import { MOCK_EXPORTS_DIR } from "../../backend/mockExport";
import { fixtures, renderWithBackend } from "../../test/render";
import { AuditScreen } from "./AuditScreen";

const WAIT = { timeout: 5_000 };

const findingOf = (kind: string) => screen.getAllByTestId("audit-finding").find((f) => f.getAttribute("data-kind") === kind)!;

async function runAudit(user: ReturnType<typeof renderWithBackend>["user"], tenant: string) {
  await user.type(screen.getByTestId("audit-tenant"), tenant);
  await user.click(screen.getByTestId("audit-run"));
}

describe("AuditScreen", () => {
  it("runs an audit with progress per check, then shows the report grouped by severity and store", async () => {
    const { backend, user } = renderWithBackend(<AuditScreen connection="alpha" onOpen={vi.fn()} />, {
      mock: { ...fixtures(), auditDelayMs: 40 },
    });
    await runAudit(user, "globex");
    const progress = await screen.findByTestId("audit-progress", {}, WAIT);
    await waitFor(() => expect(within(progress).getByTestId("audit-progress-done")).not.toHaveTextContent(/^0$/), WAIT);
    expect(within(progress).getByTestId("audit-progress-checks")).toHaveTextContent("8");
    const steps = within(progress).getAllByTestId("audit-progress-check");
    expect(steps).toHaveLength(8);
    expect(steps[0]).toHaveAttribute("data-state", "done");

    const report = await screen.findByTestId("audit-report", {}, WAIT);
    expect(screen.queryByTestId("audit-progress")).not.toBeInTheDocument();
    expect(backend.callsOf("auditRun")[0]!.slice(0, 2)).toEqual(["alpha", "globex"]);
    expect(within(report).getByTestId("audit-report-tenant")).toHaveTextContent("globex");

    // The summary: every severity, counted.
    expect(within(report).getByTestId("audit-summary-critical")).toHaveAttribute("data-count", "2");
    expect(within(report).getByTestId("audit-summary-high")).toHaveAttribute("data-count", "1");
    expect(within(report).getByTestId("audit-summary-low")).toHaveAttribute("data-count", "0");

    // Checks: eight, cache with findings, backups skipped.
    const checks = within(report).getAllByTestId("audit-check");
    expect(checks.map((c) => c.getAttribute("data-check"))).toEqual([
      "read_model",
      "graph_nodes",
      "cross_tenant_relationships",
      "cache",
      "objects",
      "isolation",
      "sensitive_cache_values",
      "backups",
    ]);
    const cache = checks.find((c) => c.getAttribute("data-check") === "cache")!;
    expect(cache).toHaveAttribute("data-status", "findings");
    expect(within(cache).getByTestId("audit-check-findings")).toHaveTextContent("3");
    expect(checks.at(-1)).toHaveAttribute("data-status", "skipped");

    // Findings: worst first, then by store.
    const groups = within(report).getAllByTestId("audit-severity-group");
    expect(groups.map((g) => g.getAttribute("data-severity"))).toEqual(["critical", "high", "medium"]);
    const medium = groups[2]!;
    expect(within(medium).getAllByTestId("audit-store-group").map((g) => g.getAttribute("data-store"))).toEqual([
      "postgres",
      "graph",
      "redis",
      "objects",
    ]);
    expect(within(groups[0]!).getAllByTestId("audit-finding").every((f) => f.getAttribute("data-kind") === "cross_tenant_relationship")).toBe(true);
    const kinds = new Set(within(report).getAllByTestId("audit-finding").map((f) => f.getAttribute("data-kind")));
    for (const kind of ["read_model_lag", "cache_stale", "cache_missing_ttl", "graph_node_without_row", "object_without_row"]) {
      expect(kinds).toContain(kind);
    }
  });

  it("expands a finding to its message, evidence and remedy, and its link asks for its screen", async () => {
    const onOpen = vi.fn();
    const { user } = renderWithBackend(<AuditScreen connection="alpha" onOpen={onOpen} />);
    await runAudit(user, "globex");
    await screen.findByTestId("audit-report", {}, WAIT);
    const lag = findingOf("read_model_lag");
    expect(within(lag).queryByTestId("audit-finding-body")).not.toBeInTheDocument();
    await user.click(within(lag).getByTestId("audit-finding-toggle"));
    expect(within(lag).getByTestId("audit-finding-toggle")).toHaveAttribute("aria-expanded", "true");
    expect(within(lag).getByTestId("audit-finding-message")).toHaveTextContent("2 later events are not applied");
    const evidence = within(lag).getAllByTestId("audit-evidence");
    expect(evidence.map((e) => e.getAttribute("data-store"))).toEqual(["postgres", "postgres"]);
    expect(within(evidence[0]!).getByTestId("audit-evidence-value").textContent).toBe(
      JSON.stringify({ title: "Tax limit", status: "draft", version: 3 }, null, 2),
    );
    expect(within(lag).getByTestId("audit-finding-remedy")).toHaveTextContent("replay the aggregate's later events");
    await user.click(within(lag).getByTestId("audit-finding-link"));
    expect(onOpen).toHaveBeenCalledWith({ to: "timetravel", tenant: "globex", aggregateId: MOCK_AUDIT_IDS.globexLag });

    const stale = findingOf("cache_stale");
    await user.click(within(stale).getByTestId("audit-finding-toggle"));
    expect(within(stale).getByTestId("audit-finding-link")).toHaveAttribute("data-to", "cache");
    const crossing = screen.getAllByTestId("audit-finding").find((f) => f.getAttribute("data-kind") === "cross_tenant_relationship")!;
    await user.click(within(crossing).getByTestId("audit-finding-toggle"));
    await user.click(within(crossing).getByTestId("audit-finding-link"));
    expect(onOpen).toHaveBeenLastCalledWith({ to: "graph", tenant: "globex", nodeId: crossing.getAttribute("data-subject") });
  });

  it("exports the report as HTML and JSON and shows where each was saved", async () => {
    const { backend, user } = renderWithBackend(<AuditScreen connection="alpha" onOpen={vi.fn()} />);
    await runAudit(user, "globex");
    const report = await screen.findByTestId("audit-report", {}, WAIT);
    const id = report.getAttribute("data-id")!;
    await user.click(screen.getByTestId("audit-export-html"));
    expect(await screen.findByTestId("audit-export-html-path", {}, WAIT)).toHaveTextContent(`${MOCK_EXPORTS_DIR}/audit-${id}.html`);
    expect(screen.getByTestId("audit-export-html")).toBeDisabled();
    expect(backend.callsOf("auditExport")).toEqual([[id, "html"]]);
    expect(new TextDecoder().decode(backend.savedFiles()[0]!.bytes)).toContain("globex");
    await user.click(screen.getByTestId("audit-export-json"));
    expect(await screen.findByTestId("audit-export-json-path", {}, WAIT)).toHaveTextContent(`audit-${id}.json`);
  });

  it("shows an export's failure by its code", async () => {
    const { backend, user } = renderWithBackend(<AuditScreen connection="alpha" onOpen={vi.fn()} />);
    await runAudit(user, "globex");
    await screen.findByTestId("audit-report", {}, WAIT);
    backend.failNext("auditExport", { code: "not_found", message: "no audit report x: run the audit again" });
    await user.click(screen.getByTestId("audit-export-html"));
    expect(await screen.findByTestId("audit-export-html-error", {}, WAIT)).toHaveAttribute("data-code", "not_found");
  });

  it("cancels a running audit through cancelTask with the run's task id", async () => {
    const { backend, user } = renderWithBackend(<AuditScreen connection="alpha" onOpen={vi.fn()} />, {
      mock: { ...fixtures(), auditDelayMs: 10_000 },
    });
    await runAudit(user, "globex");
    await screen.findByTestId("audit-progress", {}, WAIT);
    await user.click(screen.getByTestId("audit-cancel"));
    expect(await screen.findByTestId("audit-cancelled", {}, WAIT)).toBeInTheDocument();
    const taskId = backend.callsOf("auditRun")[0]![2];
    expect(backend.callsOf("cancelTask")).toContainEqual([taskId]);
    expect(backend.runningTasks()).toEqual([]);
    expect(screen.queryByTestId("audit-report")).not.toBeInTheDocument();
    expect(screen.queryByTestId("audit-error")).not.toBeInTheDocument();
  });

  it("shows a failed check with its error code, and the other checks' findings", async () => {
    const { backend, user } = renderWithBackend(<AuditScreen connection="alpha" onOpen={vi.fn()} />);
    backend.setHealth("alpha", "redis", { state: "down", error: { code: "unavailable", message: "connection refused (os error 111)" } });
    await runAudit(user, "globex");
    const report = await screen.findByTestId("audit-report", {}, WAIT);
    const failed = within(report)
      .getAllByTestId("audit-check")
      .filter((c) => c.getAttribute("data-status") === "failed");
    expect(failed.map((c) => c.getAttribute("data-check"))).toEqual(["cache", "isolation", "sensitive_cache_values"]);
    const error = within(failed[0]!).getByTestId("audit-check-error");
    expect(error).toHaveAttribute("data-code", "unavailable");
    expect(error).toHaveTextContent("Store unavailable");
    expect(within(report).getByTestId("audit-failed-note")).toHaveTextContent("3 checks");
    const kinds = within(report).getAllByTestId("audit-finding").map((f) => f.getAttribute("data-kind"));
    expect(kinds).toContain("read_model_lag");
    expect(kinds.some((k) => k?.startsWith("cache_"))).toBe(false);
  });

  it("reports a clean tenant as clean, and an unknown tenant by its code", async () => {
    const { user } = renderWithBackend(<AuditScreen connection="alpha" onOpen={vi.fn()} />);
    await runAudit(user, "initech");
    const report = await screen.findByTestId("audit-report", {}, WAIT);
    expect(within(report).getByTestId("audit-no-findings")).toBeInTheDocument();
    expect(within(report).getByTestId("audit-summary")).toHaveAttribute("data-total", "0");

    await user.clear(screen.getByTestId("audit-tenant"));
    await runAudit(user, "nobody");
    expect(await screen.findByTestId("audit-not-found", {}, WAIT)).toHaveTextContent("nobody");
    expect(screen.getByTestId("audit-error")).toHaveAttribute("data-code", "not_found");
    expect(screen.queryByTestId("audit-report")).not.toBeInTheDocument();
  });

  it("needs a connection and a tenant before it runs", async () => {
    const { user } = renderWithBackend(<AuditScreen connection={null} onOpen={vi.fn()} />);
    expect(screen.getByTestId("audit-no-connection")).toBeInTheDocument();
    await user.type(screen.getByTestId("audit-tenant"), "globex");
    expect(screen.getByTestId("audit-run")).toBeDisabled();
  });
});
