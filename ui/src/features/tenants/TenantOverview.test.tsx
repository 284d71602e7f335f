import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createMockBackend } from "../../backend/mock";
import { formatBytes, formatCount } from "../../lib/format";
import { fixtures, renderWithBackend } from "../../test/render";
import { IDLE_OVERVIEW, overviewView, totalsCell } from "./overview";
import { TenantsScreen } from "./TenantsScreen";

const cell = (column: string, slug: string) => screen.getByTestId(`tenants-cell-${column}-${slug}`);

/** The overview is in (its meta shows): 250 tenants' rows render a few times on the way. */
const overviewDone = () => screen.findByTestId("tenants-overview-meta", {}, { timeout: 5_000 });

/** The task id of each tenantOverview call, with its connection and exactness. */
function overviewCalls(backend: { callsOf(m: "tenantOverview"): unknown[][] }) {
  return backend.callsOf("tenantOverview").map(([connection, exact, taskId]) => ({ connection, exact, taskId }));
}

describe("tenant list with footprints", () => {
  it("fills every tenant's totals from one overview, whatever the page", async () => {
    const backend = createMockBackend({ ...fixtures(), overviewDelayMs: 20 });
    const { user } = renderWithBackend(<TenantsScreen connection="alpha" />, { backend });
    await screen.findByTestId("tenants-row-acme");
    // Measuring: a muted "…" in every totals cell, and which stores are done.
    expect(cell("rows", "acme")).toHaveTextContent("…");
    expect(cell("objects", "acme")).toHaveAttribute("data-state", "wait");
    expect(screen.getByTestId("tenants-overview-progress")).toHaveTextContent(/Measuring footprints.*PostgreSQL.*Graph.*Redis.*Objects/);
    expect(screen.getByTestId("tenants-overview-cancel")).toBeEnabled();
    expect(screen.getByTestId("tenants-overview-refresh")).toBeDisabled();

    const meta = await overviewDone();
    expect(meta).toHaveTextContent(/Footprints estimated at \d\d:\d\d:\d\d in [\d,]+ ms/);
    expect(screen.queryByTestId("tenants-overview-progress")).not.toBeInTheDocument();
    expect(screen.queryByTestId("tenants-overview-cancel")).not.toBeInTheDocument();
    expect(screen.queryByTestId("tenants-overview-error")).not.toBeInTheDocument();

    // The same numbers as the tenant's own footprint.
    const fp = await backend.tenantFootprint("alpha", "acme", false);
    const pg = fp.postgres.value!;
    const rows = String(pg.tables.reduce((n, t) => n + Number(t.rows), 0));
    const estimated = pg.tables.some((t) => t.estimated);
    expect(cell("rows", "acme")).toHaveTextContent(`${estimated ? "~" : ""}${formatCount(rows)}`);
    if (estimated) expect(cell("rows", "acme")).toHaveAttribute("title", "planner estimate");
    expect(cell("events", "acme")).toHaveTextContent(formatCount(pg.events!.count));
    expect(cell("events", "acme").title).toContain(pg.events!.firstAt!);
    expect(cell("events", "acme").title).toContain(pg.events!.lastAt!);
    expect(cell("nodes", "acme")).toHaveTextContent(formatCount(fp.graph.value!.nodes));
    expect(cell("relationships", "acme")).toHaveTextContent(formatCount(fp.graph.value!.relationships));
    expect(cell("keys", "acme")).toHaveTextContent(formatCount(fp.redis.value!.keys));
    expect(cell("keys", "acme").title).toContain(formatBytes(fp.redis.value!.bytes));
    expect(cell("objects", "acme")).toHaveTextContent(formatCount(fp.objects.value!.objects));
    expect(cell("objects", "acme")).toHaveAttribute("title", formatBytes(fp.objects.value!.bytes));
    const header = screen.getAllByRole("columnheader").map((h) => h.textContent);
    expect(header).toEqual(["Slug", "Name", "Tier", "Location", "Created", "Rows", "Events", "Nodes", "Rels", "Keys", "Objects", "ID"]);

    // Another page needs no new request.
    await user.click(screen.getByTestId("tenants-next"));
    await waitFor(() => expect(screen.getByTestId("tenants-range")).toHaveTextContent("101–200 of 250"));
    const slug = screen.getAllByTestId(/^tenants-row-/)[0]!.getAttribute("data-testid")!.replace("tenants-row-", "");
    expect(cell("nodes", slug)).toHaveTextContent(/^[\d,]+$/);
    expect(overviewCalls(backend)).toEqual([{ connection: "alpha", exact: false, taskId: expect.any(String) }]);
  });

  it("shows a failed store as ? with its error once, while the other columns fill", async () => {
    const timeout = { code: "timeout" as const, message: "redis: no reply in 2 s" };
    renderWithBackend(<TenantsScreen connection="alpha" />, { mock: { ...fixtures(), overviewErrors: { redis: timeout } } });
    await overviewDone();

    const errors = screen.getAllByTestId("tenants-overview-error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toHaveAttribute("data-store", "redis");
    expect(errors[0]).toHaveAttribute("data-code", "timeout");
    expect(errors[0]).toHaveTextContent("Redis did not answer in time timeout redis: no reply in 2 s");

    for (const slug of ["acme", "cyberdyne", "blackmesa"]) {
      expect(cell("keys", slug)).toHaveTextContent("?");
      expect(cell("keys", slug)).toHaveAttribute("title", timeout.message);
      expect(cell("keys", slug)).toHaveAttribute("data-state", "unknown");
      for (const column of ["rows", "events", "nodes", "relationships", "objects"]) {
        expect(cell(column, slug)).toHaveTextContent(/^~?[\d,]+$/);
      }
    }
  });

  it("shows PostgreSQL's part failing as ? in rows and events only", async () => {
    const error = { code: "query" as const, message: 'relation "atoms" does not exist' };
    renderWithBackend(<TenantsScreen connection="alpha" />, { mock: { ...fixtures(), overviewErrors: { postgres: error } } });
    await overviewDone();
    expect(screen.getByTestId("tenants-overview-error")).toHaveAttribute("data-store", "postgres");
    expect(cell("rows", "acme")).toHaveTextContent("?");
    expect(cell("events", "acme")).toHaveAttribute("title", error.message);
    expect(cell("nodes", "acme")).toHaveTextContent(/^[\d,]+$/);
    expect(cell("keys", "acme")).toHaveTextContent(/^[\d,]+$/);
  });

  it("marks stores the connection lacks as not configured, not as failed", async () => {
    renderWithBackend(<TenantsScreen connection="beta" />);
    const meta = await overviewDone();
    expect(meta).toHaveTextContent("not configured: Graph, Redis, Objects");
    expect(screen.queryByTestId("tenants-overview-error")).not.toBeInTheDocument();
    expect(cell("nodes", "acme")).toHaveTextContent("—");
    expect(cell("nodes", "acme")).toHaveAttribute("data-state", "none");
    expect(cell("rows", "acme")).toHaveTextContent(/^~?[\d,]+$/);
  });

  it("says why when there is no overview at all", async () => {
    const backend = createMockBackend(fixtures());
    backend.failNext("tenantOverview", { code: "unavailable", message: "postgres: connection refused" });
    const { user } = renderWithBackend(<TenantsScreen connection="alpha" />, { backend });
    const failed = await screen.findByTestId("tenants-overview-failed");
    expect(failed).toHaveAttribute("data-code", "unavailable");
    expect(failed).toHaveTextContent("No footprints: PostgreSQL is down");
    expect(cell("rows", "acme")).toHaveTextContent("?");
    expect(cell("rows", "acme")).toHaveAttribute("title", "postgres: connection refused");

    await user.click(screen.getByTestId("tenants-overview-refresh"));
    await overviewDone();
    expect(screen.queryByTestId("tenants-overview-failed")).not.toBeInTheDocument();
    expect(cell("rows", "acme")).toHaveTextContent(/^~?[\d,]+$/);
  });

  it("reports each store as it finishes", async () => {
    renderWithBackend(<TenantsScreen connection="alpha" />, { mock: { ...fixtures(), overviewDelayMs: 300 } });
    const progress = await screen.findByTestId("tenants-overview-progress");
    const store = (s: string) => progress.querySelector(`[data-store="${s}"]`)!;
    // The graph answers first, the Redis SCAN last (mock pace 1×, 2×, 3×, 4×).
    await waitFor(() => expect(store("graph")).toHaveAttribute("data-done", "true"), { timeout: 2_000 });
    expect(store("redis")).toHaveAttribute("data-done", "false");
    await overviewDone();
  });

  it("cancels a running overview with its task id", async () => {
    const backend = createMockBackend({ ...fixtures(), overviewDelayMs: 10_000 });
    const { user } = renderWithBackend(<TenantsScreen connection="alpha" />, { backend });
    await screen.findByTestId("tenants-overview-progress");
    await waitFor(() => expect(backend.runningTasks()).toHaveLength(1));
    const [{ taskId }] = overviewCalls(backend);

    await user.click(screen.getByTestId("tenants-overview-cancel"));
    await waitFor(() => expect(backend.callsOf("cancelTask")).toEqual([[taskId]]));
    const failed = await screen.findByTestId("tenants-overview-failed");
    expect(failed).toHaveAttribute("data-code", "cancelled");
    expect(failed).toHaveTextContent("Footprints cancelled.");
    expect(backend.runningTasks()).toEqual([]);
    expect(screen.queryByTestId("tenants-overview-cancel")).not.toBeInTheDocument();
    expect(cell("rows", "acme")).toHaveTextContent("?");

    // Refresh measures again, under a new task id.
    await user.click(screen.getByTestId("tenants-overview-refresh"));
    await waitFor(() => expect(overviewCalls(backend)).toHaveLength(2));
    expect(overviewCalls(backend)[1]!.taskId).not.toBe(taskId);
    expect(screen.getByTestId("tenants-overview-progress")).toBeInTheDocument();
  });

  it("re-runs with exact counts on request, and goes back to the estimate it has", async () => {
    const { backend, user } = renderWithBackend(<TenantsScreen connection="alpha" />);
    await overviewDone();
    expect(screen.getByTestId("tenants-overview-exact")).not.toBeChecked();
    // Some tables are big enough for the planner's estimate.
    const estimatedCells = () => screen.getAllByTestId(/^tenants-cell-rows-/).filter((c) => c.textContent!.startsWith("~"));
    expect(estimatedCells().length).toBeGreaterThan(0);

    await user.click(screen.getByTestId("tenants-overview-exact"));
    await waitFor(() => expect(overviewCalls(backend).at(-1)).toMatchObject({ connection: "alpha", exact: true }));
    await waitFor(() => expect(screen.getByTestId("tenants-overview-meta")).toHaveTextContent("counted exactly"));
    expect(screen.getByTestId("tenants-overview-exact")).toBeChecked();
    expect(estimatedCells()).toHaveLength(0);
    expect(cell("rows", "acme")).not.toHaveAttribute("title");

    await user.click(screen.getByTestId("tenants-overview-exact"));
    await waitFor(() => expect(screen.getByTestId("tenants-overview-meta")).toHaveTextContent("estimated"));
    expect(overviewCalls(backend).map((c) => c.exact)).toEqual([false, true]);
  });

  it("stops the run it replaces when exactness changes mid-run", async () => {
    const backend = createMockBackend({ ...fixtures(), overviewDelayMs: 10_000 });
    const { user } = renderWithBackend(<TenantsScreen connection="alpha" />, { backend });
    await screen.findByTestId("tenants-overview-progress");
    const [{ taskId }] = overviewCalls(backend);
    await user.click(screen.getByTestId("tenants-overview-exact"));
    await waitFor(() => expect(backend.callsOf("cancelTask")).toEqual([[taskId]]));
    await waitFor(() => expect(overviewCalls(backend).at(-1)).toMatchObject({ exact: true }));
    expect(within(screen.getByTestId("tenants-overview-progress")).getByText(/Measuring footprints \(exact\)/)).toBeInTheDocument();
  });
});

describe("totalsCell", () => {
  const tenant = { id: "t1" };
  const ready = (tenants: Parameters<typeof overviewView>[0]) =>
    overviewView(tenants, { enabled: true, pending: false, error: null });

  it("is blank without a connection, waits while loading, and says ? when there is no overview", () => {
    expect(totalsCell(IDLE_OVERVIEW, tenant, "rows")).toEqual({ state: "empty", text: "" });
    expect(totalsCell(overviewView(undefined, { enabled: true, pending: true, error: null }), tenant, "rows").text).toBe("…");
    const cancelled = overviewView(undefined, { enabled: true, pending: false, error: { code: "cancelled", message: "cancelled" } });
    expect(totalsCell(cancelled, tenant, "keys")).toMatchObject({ state: "unknown", text: "?" });
  });

  it("tells a tenant the overview lacks, and a missing event log, from a failure", () => {
    const base = {
      connection: "a",
      measuredAt: "2025-06-01T10:00:00.000Z",
      exact: false,
      elapsedMs: 5,
      capped: true,
      parts: [
        { store: "postgres" as const, elapsedMs: 1, error: null, detail: "unknown: blackmesa: timed out" },
        { store: "graph" as const, elapsedMs: 1, error: null, detail: "" },
      ],
    };
    const totals = {
      id: "t1",
      slug: "one",
      tier: "row" as const,
      rows: "1234567",
      rowsEstimated: false,
      events: null,
      firstEventAt: null,
      lastEventAt: null,
      nodes: "0",
      relationships: null,
      keys: null,
      keyBytes: null,
      objects: null,
      objectBytes: null,
    };
    const view = ready({ ...base, tenants: [totals, { ...totals, id: "t2", rows: null }] });
    expect(totalsCell(view, tenant, "rows")).toEqual({ state: "ok", text: "1,234,567" });
    expect(totalsCell(view, tenant, "events")).toMatchObject({ state: "none", text: "—" });
    expect(totalsCell(view, { id: "t2" }, "rows")).toMatchObject({ text: "?", title: "Could not be measured: unknown: blackmesa: timed out" });
    expect(totalsCell(view, { id: "t3" }, "nodes")).toMatchObject({ text: "?", title: "Not measured: the overview covers the first 2 tenants" });
  });
});
