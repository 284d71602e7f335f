import { describe, expect, it } from "vitest";
import { fixtures } from "../test/render";
import { createMockBackend } from "./mock";
import { MOCK_AUDIT_CHECKS, MOCK_AUDIT_IDS } from "./mockAudit";
import { MOCK_EXPORTS_DIR } from "./mockExport";
import type { AuditProgress } from "./types";

describe("mock tenant audit", () => {
  it("runs the eight checks in turn and finds globex's planted faults, worst first", async () => {
    const backend = createMockBackend(fixtures());
    const seen: AuditProgress[] = [];
    const report = await backend.auditRun("alpha", "globex", "t1", (p) => seen.push(p));
    expect(seen.map((p) => p.checksDone)).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seen.every((p) => p.checks === 8)).toBe(true);
    expect(report.checks.map((c) => c.check)).toEqual(MOCK_AUDIT_CHECKS.map((c) => c.check));
    const kinds = new Set(report.findings.map((f) => f.kind));
    for (const kind of [
      "read_model_lag",
      "graph_node_without_row",
      "cross_tenant_relationship",
      "cache_stale",
      "cache_orphaned",
      "cache_missing_ttl",
      "object_without_row",
    ] as const) {
      expect(kinds).toContain(kind);
    }
    expect(report.findings[0]!.severity).toBe("critical");
    expect(report.findings.find((f) => f.kind === "read_model_lag")!.subject).toBe(MOCK_AUDIT_IDS.globexLag);
    expect(report.summary.map((s) => s.severity)).toEqual(["critical", "high", "medium"]);
    expect(report.summary.reduce((n, s) => n + s.count, 0)).toBe(report.findings.length);
    expect(report.checks.find((c) => c.check === "cache")).toMatchObject({ status: "findings", findings: 3 });
    expect(report.id).toMatch(/^globex-[0-9a-f]{8}$/);
  });

  it("finds nothing in a clean tenant, and refuses an unknown one with not_found", async () => {
    const backend = createMockBackend(fixtures());
    const report = await backend.auditRun("alpha", "initech", "t1", () => undefined);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual([]);
    expect(report.checks.map((c) => c.status)).toEqual(["clean", "clean", "clean", "clean", "clean", "clean", "clean", "skipped"]);
    await expect(backend.auditRun("alpha", "nobody", "t2", () => undefined)).rejects.toMatchObject({ code: "not_found" });
  });

  it("fails the checks of a store that is down with its code, skips those of a store not configured", async () => {
    const backend = createMockBackend(fixtures());
    backend.setHealth("alpha", "graph", { state: "down", error: { code: "timeout", message: "graph timed out after 5s" } });
    const report = await backend.auditRun("alpha", "globex", "t1", () => undefined);
    const graph = report.checks.filter((c) => c.check === "graph_nodes" || c.check === "cross_tenant_relationships");
    expect(graph.map((c) => [c.status, c.error?.code])).toEqual([
      ["failed", "timeout"],
      ["failed", "timeout"],
    ]);
    expect(report.findings.some((f) => f.stores.includes("graph") && f.kind !== "object_without_row")).toBe(false);

    const beta = await backend.auditRun("beta", "globex", "t2", () => undefined);
    expect(beta.checks.filter((c) => c.status === "skipped").map((c) => c.check)).toEqual([
      "graph_nodes",
      "cross_tenant_relationships",
      "cache",
      "objects",
      "isolation",
      "sensitive_cache_values",
      "backups",
    ]);
  });

  it("is cancelled through cancelTask", async () => {
    const backend = createMockBackend({ ...fixtures(), auditDelayMs: 10_000 });
    const running = backend.auditRun("alpha", "globex", "t1", () => undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(backend.runningTasks()).toEqual(["t1"]);
    await expect(backend.cancelTask("t1")).resolves.toBe(true);
    await expect(running).rejects.toMatchObject({ code: "cancelled" });
    expect(backend.runningTasks()).toEqual([]);
  });

  it("exports a kept report as HTML or JSON into the exports folder", async () => {
    const backend = createMockBackend(fixtures());
    const report = await backend.auditRun("alpha", "globex", "t1", () => undefined);
    const html = await backend.auditExport(report.id, "html");
    expect(html.path).toBe(`${MOCK_EXPORTS_DIR}/audit-${report.id}.html`);
    const json = await backend.auditExport(report.id, "json");
    const files = backend.savedFiles();
    expect(new TextDecoder().decode(files[0]!.bytes)).toContain("globex");
    expect(JSON.parse(new TextDecoder().decode(files[1]!.bytes))).toMatchObject({ id: report.id });
    expect(json.bytes).toBe(files[1]!.bytes.length);
    await expect(backend.auditExport(report.id, "html")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backend.auditExport("nope", "html")).rejects.toMatchObject({ code: "not_found" });
  });
});
