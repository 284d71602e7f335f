import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { RowQuery } from "../../backend";
import { createMockBackend, mockTenants } from "../../backend/mock";
import { mockRowCount } from "../../backend/mockRows";
import { fixtures, renderWithBackend } from "../../test/render";
import { EntityTables } from "./EntityTables";

const acme = mockTenants().find((t) => t.slug === "acme")!;
const firstPage: RowQuery = { entity: "atom", filters: [], after: null, descending: false, limit: 100 };

function rowQueries(backend: { callsOf(m: "tenantRows"): unknown[][] }): RowQuery[] {
  return backend.callsOf("tenantRows").map((args) => args[2] as RowQuery);
}

async function renderTables(options: Parameters<typeof renderWithBackend>[1] = {}) {
  const result = renderWithBackend(<EntityTables connection="alpha" tenantId={acme.id} />, options);
  await waitFor(() => expect(screen.getByTestId("rows-grid")).toHaveAttribute("data-rows", "100"));
  return result;
}

async function addFilter(user: ReturnType<typeof renderWithBackend>["user"], column: string, op: string, value?: string) {
  await user.selectOptions(screen.getByTestId("rows-filter-column"), column);
  await user.selectOptions(screen.getByTestId("rows-filter-op"), op);
  if (value !== undefined) {
    await user.clear(screen.getByTestId("rows-filter-value"));
    await user.type(screen.getByTestId("rows-filter-value"), value);
  }
  await user.click(screen.getByTestId("rows-filter-add"));
}

describe("EntityTables", () => {
  it("shows a tab per entity type of the profile and the first page of the chosen one", async () => {
    const { backend, user } = await renderTables();
    expect(screen.getAllByRole("tab").map((t) => t.getAttribute("data-testid"))).toEqual([
      "entity-tab-atom",
      "entity-tab-molecule",
      "entity-tab-document",
      "entity-tab-annotation",
    ]);
    expect(screen.getByTestId("entity-tab-atom")).toHaveAttribute("aria-selected", "true");
    expect(rowQueries(backend)).toEqual([firstPage]);
    expect(backend.callsOf("tenantRows")[0]!.slice(0, 2)).toEqual(["alpha", acme.id]);
    expect(screen.getByTestId("rows-count")).toHaveTextContent("100 rows loaded, more to load");
    expect(screen.getByText('"public"."atoms"')).toBeInTheDocument();
    const headers = within(screen.getByTestId("rows-grid")).getAllByRole("columnheader");
    expect(headers[1]).toHaveTextContent("iduuid");

    await user.click(screen.getByTestId("entity-tab-document"));
    await waitFor(() => expect(rowQueries(backend).at(-1)).toEqual({ ...firstPage, entity: "document" }));
    await waitFor(() => expect(screen.getByText('"public"."documents"')).toBeInTheDocument());
    expect(screen.getByTestId("entity-tab-document")).toHaveAttribute("aria-selected", "true");
    const documents = mockRowCount(acme, "document");
    await waitFor(() => expect(screen.getByTestId("rows-count")).toHaveTextContent(`${documents} rows`));
    expect(screen.queryByTestId("rows-more")).not.toBeInTheDocument();
  });

  it("loads keyset pages with Load more until the last", async () => {
    const { backend, user } = await renderTables();
    const first = await backend.tenantRows("alpha", acme.id, firstPage);
    await user.click(screen.getByTestId("rows-more"));
    await waitFor(() => expect(screen.getByTestId("rows-grid")).toHaveAttribute("data-rows", "200"));
    expect(rowQueries(backend).at(-1)).toEqual({ ...firstPage, after: first.nextAfter });

    const total = mockRowCount(acme, "atom");
    while (screen.queryByTestId("rows-more")) {
      const before = screen.getByTestId("rows-grid").getAttribute("data-rows");
      await user.click(screen.getByTestId("rows-more"));
      await waitFor(() => expect(screen.getByTestId("rows-grid").getAttribute("data-rows")).not.toBe(before));
    }
    await waitFor(() => expect(screen.getByTestId("rows-count")).toHaveTextContent(`${total.toLocaleString("en-US")} rows`));
    expect(screen.getByTestId("rows-count")).not.toHaveTextContent("more to load");
  });

  it("orders newest first on request", async () => {
    const { backend, user } = await renderTables();
    await user.click(screen.getByTestId("rows-descending"));
    await waitFor(() => expect(rowQueries(backend).at(-1)).toEqual({ ...firstPage, descending: true }));
    const newest = await backend.tenantRows("alpha", acme.id, { ...firstPage, descending: true, limit: 1 });
    await waitFor(() => expect(screen.getByTestId("rows-grid-cell-0-0")).toHaveTextContent(newest.rows[0]![0]!));
  });

  it("filters by column, shows a refused value inline with its code, and removes filters", async () => {
    const { backend, user } = await renderTables();
    await addFilter(user, "version", "greater", "9");
    const greater = { column: "version", op: "greater", value: "9" };
    await waitFor(() => expect(rowQueries(backend).at(-1)).toEqual({ ...firstPage, filters: [greater] }));
    expect(within(screen.getByTestId("rows-filters")).getByTestId("rows-filter-chip")).toHaveTextContent('version > "9"');
    await waitFor(() => expect(screen.getByTestId("rows-grid-cell-0-5")).toBeInTheDocument());
    const shown = Number(screen.getByTestId("rows-grid").getAttribute("data-rows"));
    for (let r = 0; r < Math.min(shown, 20); r++) {
      expect(Number(screen.getByTestId(`rows-grid-cell-${r}-5`).textContent)).toBeGreaterThan(9);
    }

    await addFilter(user, "created_at", "less", "last tuesday");
    const error = await screen.findByTestId("rows-error");
    expect(error).toHaveAttribute("data-code", "invalid_input");
    expect(error).toHaveTextContent('"last tuesday" is not a timestamp (column "created_at" is timestamp with time zone)');
    expect(screen.getAllByTestId("rows-filter-chip")).toHaveLength(2);

    await user.click(screen.getByTestId("rows-filter-remove-1"));
    await waitFor(() => expect(screen.queryByTestId("rows-error")).not.toBeInTheDocument());
    expect(rowQueries(backend).at(-1)).toEqual({ ...firstPage, filters: [greater] });

    await addFilter(user, "deleted_at", "not_null");
    await waitFor(() =>
      expect(rowQueries(backend).at(-1)?.filters).toEqual([greater, { column: "deleted_at", op: "not_null", value: null }]),
    );
    await user.click(screen.getByRole("button", { name: "Clear all" }));
    await waitFor(() => expect(screen.getByTestId("rows-grid")).toHaveAttribute("data-rows", "100"));
    expect(screen.queryByTestId("rows-filters")).not.toBeInTheDocument();
  });

  it("shows NULL muted, JSON compact and cut cells marked; the inspector pretty-prints and copies", async () => {
    const { backend, user } = await renderTables();
    const page = await backend.tenantRows("alpha", acme.id, firstPage);
    const content = page.columns.findIndex((c) => c.name === "content");
    const raw = page.rows[0]![content]!;
    expect(raw).toContain('": ');
    const cell = screen.getByTestId(`rows-grid-cell-0-${content}`);
    expect(cell).toHaveTextContent(JSON.stringify(JSON.parse(raw)));

    const deleted = page.columns.findIndex((c) => c.name === "deleted_at");
    const nullRow = page.rows.findIndex((r) => r[deleted] === null);
    expect(within(screen.getByTestId(`rows-grid-cell-${nullRow}-${deleted}`)).getByText("null")).toHaveClass("cell-null");

    await user.click(cell);
    const inspector = screen.getByTestId("cell-inspector");
    expect(within(inspector).getByTestId("cell-inspector-value").textContent).toBe(JSON.stringify(JSON.parse(raw), null, 2));
    expect(within(inspector).queryByTestId("cell-inspector-cut")).not.toBeInTheDocument();
    await user.click(within(inspector).getByTestId("cell-inspector-copy"));
    await expect(navigator.clipboard.readText()).resolves.toBe(JSON.stringify(JSON.parse(raw), null, 2));

    await addFilter(user, "content", "contains", "a long note");
    await waitFor(() => expect(screen.getByTestId("rows-grid")).toHaveAttribute("data-rows", "1"));
    expect(screen.queryByTestId("cell-inspector")).not.toBeInTheDocument();
    const cut = screen.getByTestId(`rows-grid-cell-0-${content}`);
    expect(within(cut).getByTestId("cell-cut")).toBeVisible();
    await user.click(cut);
    expect(within(screen.getByTestId("cell-inspector")).getByTestId("cell-inspector-cut")).toHaveTextContent(
      "… cut at 4,096 characters",
    );
    expect(within(screen.getByTestId("cell-inspector")).getByTestId("cell-inspector-value").textContent).toHaveLength(4096);
  });

  it("exports the current filters and order to CSV and shows the saved file", async () => {
    const { backend, user } = await renderTables();
    await user.click(screen.getByTestId("rows-descending"));
    await addFilter(user, "atom_type", "equals", "fact");
    await user.click(screen.getByTestId("export-csv"));
    const result = await screen.findByTestId("export-result");
    const [call] = backend.callsOf("exportRows");
    expect(call!.slice(0, 5)).toEqual([
      "alpha",
      acme.id,
      { entity: "atom", filters: [{ column: "atom_type", op: "equals", value: "fact" }], after: null, descending: true, limit: null },
      "csv",
      null,
    ]);
    expect(call![5]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const facts = await backend.exportRows("alpha", acme.id, call![2] as RowQuery, "csv", null, "check", () => {});
    expect(result).toHaveTextContent(`${facts.rows} rows`);
    expect(result).toHaveTextContent(/saved to \/home\/admin\/Downloads\/acme-atom-\d{8}T\d{6}Z\.csv/);
  });

  it("shows export progress and cancels with the same task id", async () => {
    const backend = createMockBackend({ ...fixtures(), exportPageDelayMs: 400 });
    const { user } = await renderTables({ backend });
    await user.click(screen.getByTestId("export-json"));
    const progress = await screen.findByTestId("export-progress");
    expect(screen.getByTestId("export-csv")).toBeDisabled();
    await waitFor(() => expect(progress).toHaveTextContent("Exporting JSON: 100 rows so far"));
    await user.click(screen.getByTestId("export-cancel"));
    const error = await screen.findByTestId("export-error");
    expect(error).toHaveAttribute("data-code", "cancelled");
    expect(error).toHaveTextContent("Export cancelled");
    const taskId = backend.callsOf("exportRows")[0]![5];
    expect(backend.callsOf("cancelTask")).toEqual([[taskId]]);
    expect(screen.queryByTestId("export-progress")).not.toBeInTheDocument();
    expect(screen.getByTestId("export-json")).toBeEnabled();
  });

  it("shows a failed export's message and code", async () => {
    const backend = createMockBackend(fixtures());
    backend.failNext("exportRows", { code: "unavailable", message: "postgres: connection refused" });
    const { user } = await renderTables({ backend });
    await user.click(screen.getByTestId("export-csv"));
    const error = await screen.findByTestId("export-error");
    expect(error).toHaveAttribute("data-code", "unavailable");
    expect(error).toHaveTextContent("unavailable");
    expect(error).toHaveTextContent("postgres: connection refused");
  });
});
