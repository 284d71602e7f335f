import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { TenantQuery } from "../../backend";
import { createMockBackend, mockTenants } from "../../backend/mock";
import { fixtures, renderWithBackend } from "../../test/render";
import { TenantsScreen } from "./TenantsScreen";

const firstPage: TenantQuery = { search: null, sort: "slug", page: 0, pageSize: 100 };

function listCalls(backend: { callsOf(m: "listTenants"): unknown[][] }): TenantQuery[] {
  return backend.callsOf("listTenants").map((args) => args[1] as TenantQuery);
}

function rowSlugs(): string[] {
  return screen.getAllByTestId(/^tenants-row-/).map((r) => r.getAttribute("data-testid")!.replace("tenants-row-", ""));
}

async function renderScreen(options: Parameters<typeof renderWithBackend>[1] = {}) {
  const result = renderWithBackend(<TenantsScreen connection="alpha" />, options);
  await screen.findByTestId("tenants-row-acme");
  return result;
}

describe("TenantsScreen", () => {
  it("lists the first page with tier, location, created date and id", async () => {
    const { backend } = await renderScreen();
    expect(backend.callsOf("listTenants")).toEqual([["alpha", firstPage]]);
    expect(screen.getByTestId("tenants-range")).toHaveTextContent("1–100 of 250");
    expect(screen.getByTestId("tenants-total")).toHaveTextContent("250");
    expect(screen.getAllByTestId(/^tenants-row-/)).toHaveLength(100);
    expect(rowSlugs().slice(0, 3)).toEqual(["acme", "aperture", "blackmesa"]);

    expect(screen.getByTestId("tenant-tier-acme")).toHaveAttribute("data-tier", "row");
    expect(screen.getByTestId("tenant-tier-aperture")).toHaveAttribute("data-tier", "database");
    expect(screen.getByTestId("tenant-tier-cyberdyne")).toHaveAttribute("data-tier", "schema");

    const acme = mockTenants().find((t) => t.slug === "acme")!;
    const row = within(screen.getByTestId("tenants-row-acme"));
    expect(row.getByText("Acme Corporation")).toBeInTheDocument();
    expect(row.getByText(acme.id)).toHaveClass("mono");
    expect(row.getByText("2024-01-15")).toBeInTheDocument();
    expect(row.getByRole("button", { name: "Copy the id of acme" })).toBeInTheDocument();
    expect(screen.getByTestId("tenants-row-acme")).toHaveTextContent("public by tenant_id");
    expect(screen.getByTestId("tenants-row-cyberdyne")).toHaveTextContent("tenant_cyberdyne");
    expect(screen.getByTestId("tenants-row-aperture")).toHaveTextContent("storelens_tenant_aperture @ main server");
    expect(screen.getByTestId("tenants-row-blackmesa")).toHaveTextContent(
      "storelens_tenant_blackmesa @ pg-shard-1.internal:5432",
    );
    expect(screen.getByTestId("tenants-prev")).toBeDisabled();
    expect(screen.getByTestId("tenants-next")).toBeEnabled();
  });

  it("searches on the server, debounced, and literally", async () => {
    const { backend, user } = await renderScreen();
    await user.type(screen.getByTestId("tenants-search"), "org-012");

    await waitFor(() => expect(screen.getByTestId("tenants-range")).toHaveTextContent("1–10 of 10"));
    // One request for the whole word, not one per keystroke.
    expect(listCalls(backend)).toEqual([firstPage, { ...firstPage, search: "org-012" }]);
    expect(rowSlugs()).toEqual(Array.from({ length: 10 }, (_, i) => `org-012${i}`));
    expect(screen.queryByTestId("tenants-row-acme")).not.toBeInTheDocument();

    await user.clear(screen.getByTestId("tenants-search"));
    await user.type(screen.getByTestId("tenants-search"), "100%");
    expect(await screen.findByTestId("tenants-empty")).toHaveTextContent("No tenant matches 100%");
    expect(listCalls(backend).at(-1)).toEqual({ ...firstPage, search: "100%" });
    expect(screen.getByTestId("tenants-range")).toHaveTextContent("0 of 0");

    await user.click(within(screen.getByTestId("tenants-empty")).getByRole("button", { name: "Clear search" }));
    expect(await screen.findByTestId("tenants-row-acme")).toBeInTheDocument();
    expect(screen.getByTestId("tenants-search")).toHaveValue("");
  });

  it("sorts on the server by the clicked column", async () => {
    const { backend, user } = await renderScreen();
    expect(screen.getByTestId("tenants-sort-slug").closest("[role=columnheader]")).toHaveAttribute("aria-sort", "ascending");
    expect(screen.queryByTestId("tenants-sort-location")).not.toBeInTheDocument();
    expect(screen.queryByTestId("tenants-sort-id")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("tenants-sort-tier"));
    await waitFor(() => expect(listCalls(backend).at(-1)).toEqual({ ...firstPage, sort: "tier" }));
    await waitFor(() => expect(rowSlugs()[0]).toBe("aperture"));
    expect(screen.getByTestId("tenants-sort-tier").closest("[role=columnheader]")).toHaveAttribute("aria-sort", "ascending");
    expect(screen.getByTestId("tenants-sort-slug").closest("[role=columnheader]")).toHaveAttribute("aria-sort", "none");

    await user.click(screen.getByTestId("tenants-sort-created_at"));
    await waitFor(() => expect(listCalls(backend).at(-1)).toEqual({ ...firstPage, sort: "created_at" }));
    await waitFor(() => expect(rowSlugs().slice(0, 2)).toEqual(["acme", "globex"]));

    await user.click(screen.getByTestId("tenants-sort-name"));
    await waitFor(() => expect(listCalls(backend).at(-1)).toEqual({ ...firstPage, sort: "name" }));
  });

  it("pages on the server: next, previous, and back to page one on a new sort", async () => {
    const { backend, user } = await renderScreen();

    await user.click(screen.getByTestId("tenants-next"));
    await waitFor(() => expect(screen.getByTestId("tenants-range")).toHaveTextContent("101–200 of 250"));
    expect(listCalls(backend).at(-1)).toEqual({ ...firstPage, page: 1 });
    expect(screen.getByTestId("tenants-page")).toHaveTextContent("page 2 of 3");
    expect(screen.getByTestId("tenants-prev")).toBeEnabled();
    expect(screen.queryByTestId("tenants-row-acme")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("tenants-next"));
    await waitFor(() => expect(screen.getByTestId("tenants-range")).toHaveTextContent("201–250 of 250"));
    expect(screen.getAllByTestId(/^tenants-row-/)).toHaveLength(50);
    expect(screen.getByTestId("tenants-next")).toBeDisabled();

    await user.click(screen.getByTestId("tenants-prev"));
    await waitFor(() => expect(screen.getByTestId("tenants-range")).toHaveTextContent("101–200 of 250"));
    expect(listCalls(backend).at(-1)).toEqual({ ...firstPage, page: 1 });

    await user.click(screen.getByTestId("tenants-sort-name"));
    await waitFor(() => expect(screen.getByTestId("tenants-range")).toHaveTextContent("1–100 of 250"));
    expect(listCalls(backend).at(-1)).toEqual({ ...firstPage, sort: "name", page: 0 });
  });

  it("opens a tenant's detail on click, from getTenant", async () => {
    const { backend, user } = await renderScreen();
    const blackmesa = mockTenants().find((t) => t.slug === "blackmesa")!;

    await user.click(screen.getByTestId("tenants-row-blackmesa"));
    const detail = await screen.findByTestId("tenant-detail");
    await waitFor(() => expect(backend.callsOf("getTenant")).toEqual([["alpha", blackmesa.id]]));
    expect(screen.getByTestId("tenants-row-blackmesa")).toHaveAttribute("aria-selected", "true");

    const d = within(detail);
    expect(d.getByRole("heading", { level: 2, name: "blackmesa" })).toBeInTheDocument();
    expect(d.getAllByText("Black Mesa")).toHaveLength(2);
    expect(within(d.getByRole("region", { name: "Tenant" })).getByText(blackmesa.id)).toBeInTheDocument();
    expect(d.getByText("storelens_tenant_blackmesa")).toBeInTheDocument();
    expect(d.getByText("pg-shard-1.internal:5432")).toBeInTheDocument();
    expect(d.getByText(blackmesa.createdAt!)).toBeInTheDocument();
    expect(d.getByText(/Has its own database/)).toBeInTheDocument();
    await waitFor(() => expect(backend.callsOf("tenantFootprint")).toEqual([["alpha", blackmesa.id, false]]));

    await user.click(d.getByTestId("tenant-detail-copy-id"));
    await expect(navigator.clipboard.readText()).resolves.toBe(blackmesa.id);

    await user.click(d.getByTestId("tenant-detail-close"));
    expect(screen.queryByTestId("tenant-detail")).not.toBeInTheDocument();
  });

  it("opens the detail from the keyboard and moves with the arrow keys", async () => {
    const { user } = await renderScreen();
    screen.getByTestId("tenants-row-acme").focus();
    await user.keyboard("{Enter}");
    expect(within(await screen.findByTestId("tenant-detail")).getByRole("heading", { level: 2 })).toHaveTextContent("acme");
    await user.keyboard("{ArrowDown}");
    await waitFor(() =>
      expect(within(screen.getByTestId("tenant-detail")).getByRole("heading", { level: 2 })).toHaveTextContent("aperture"),
    );
    expect(screen.getByTestId("tenants-row-aperture")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("tenant-detail")).not.toBeInTheDocument();
  });

  it("shows a tenant that is gone as not found", async () => {
    const { backend, user } = await renderScreen();
    backend.failNext("getTenant", { code: "not_found", message: 'no tenant with id or slug "x"' });
    await user.click(screen.getByTestId("tenants-row-hooli"));
    const error = await screen.findByTestId("tenant-detail-error");
    expect(error).toHaveAttribute("data-code", "not_found");
    expect(error).toHaveTextContent("Tenant not found");
  });

  it("says PostgreSQL is down on `unavailable`, and recovers on retry", async () => {
    const backend = createMockBackend(fixtures());
    backend.failNext("listTenants", { code: "unavailable", message: "postgres: connection refused (127.0.0.1:5432)" });
    const { user } = renderWithBackend(<TenantsScreen connection="alpha" />, { backend });

    const banner = await screen.findByTestId("tenants-error");
    expect(banner).toHaveAttribute("data-code", "unavailable");
    expect(banner).toHaveTextContent("PostgreSQL is down");
    expect(banner).toHaveTextContent("connection refused");
    expect(screen.queryAllByTestId(/^tenants-row-/)).toHaveLength(0);

    await user.click(within(banner).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("tenants-row-acme")).toBeInTheDocument();
    expect(screen.queryByTestId("tenants-error")).not.toBeInTheDocument();
  });

  it("words other errors by code", async () => {
    const backend = createMockBackend(fixtures());
    backend.failNext("listTenants", { code: "profile", message: 'tier value "gold" is not in [tenants.tier_values]' });
    renderWithBackend(<TenantsScreen connection="alpha" />, { backend });
    const banner = await screen.findByTestId("tenants-error");
    expect(banner).toHaveAttribute("data-code", "profile");
    expect(banner).toHaveTextContent("The profile does not match the tenant table");
  });

  it("shows loading, then an empty platform", async () => {
    renderWithBackend(<TenantsScreen connection="alpha" />, { mock: { ...fixtures(), tenants: [] } });
    expect(screen.getByTestId("tenants-loading")).toBeInTheDocument();
    expect(await screen.findByTestId("tenants-empty")).toHaveTextContent("This platform has no tenants.");
    expect(screen.getByTestId("tenants-next")).toBeDisabled();
  });

  it("asks for a connection and calls nothing without one", () => {
    const { backend } = renderWithBackend(<TenantsScreen connection={null} />);
    expect(screen.getByText("Choose a connection to list its tenants.")).toBeInTheDocument();
    expect(screen.getByTestId("tenants-search")).toBeDisabled();
    expect(backend.callsOf("listTenants")).toHaveLength(0);
  });

  it("shows the tenant's footprint per store, and recounts exactly on request", async () => {
    const backend = createMockBackend({
      ...fixtures(),
      delayMs: 150,
      health: { alpha: { redis: { state: "down", error: { code: "timeout", message: "no reply in 2 s" } } } },
    });
    const { user } = renderWithBackend(<TenantsScreen connection="alpha" />, { backend });
    await user.click(await screen.findByTestId("tenants-row-cyberdyne"));
    const cyberdyne = mockTenants().find((t) => t.slug === "cyberdyne")!;

    const footprint = await screen.findByTestId("tenant-footprint");
    expect(within(footprint).getByRole("heading", { name: "Footprint" })).toBeInTheDocument();
    expect(within(footprint).getByTestId("tenant-footprint-loading")).toHaveTextContent("Loading from tenantFootprint");

    const pg = await within(footprint).findByTestId("tenant-footprint-postgres");
    expect(pg).toHaveAttribute("data-state", "ok");
    expect(pg).toHaveTextContent(/rows · 5 tables · [\d,]+ events/);
    expect(pg).toHaveTextContent("tenant_cyberdyne");
    expect(within(footprint).getByTestId("tenant-footprint-graph")).toHaveTextContent(/[\d,]+ nodes · [\d,]+ relationships/);
    expect(within(footprint).getByTestId("tenant-footprint-objects")).toHaveTextContent(`docs/tenants/${cyberdyne.id}/`);
    const redis = within(footprint).getByTestId("tenant-footprint-redis");
    expect(redis).toHaveAttribute("data-state", "error");
    expect(redis).toHaveTextContent("Redis did not answer in time");
    expect(redis).toHaveTextContent("no reply in 2 s");
    expect(footprint).toHaveTextContent("estimated");

    await user.click(within(footprint).getByTestId("tenant-footprint-exact"));
    await waitFor(() => expect(backend.callsOf("tenantFootprint").at(-1)).toEqual(["alpha", cyberdyne.id, true]));
    await waitFor(() => expect(footprint.querySelector(".footprint-meta")).toHaveTextContent("exact"));
    expect(within(footprint).queryByTestId("tenant-footprint-exact")).not.toBeInTheDocument();
  });

  it("marks a store the connection lacks as not configured, and a failed footprint by code", async () => {
    const backend = createMockBackend(fixtures());
    backend.failNext("tenantFootprint", { code: "unavailable", message: "connection refused" });
    const { user } = renderWithBackend(<TenantsScreen connection="alpha" />, { backend });
    await user.click(await screen.findByTestId("tenants-row-acme"));
    const error = await screen.findByTestId("tenant-footprint-error");
    expect(error).toHaveAttribute("data-code", "unavailable");
    expect(error).toHaveTextContent("PostgreSQL is down");

    const beta = renderWithBackend(<TenantsScreen connection="beta" />);
    await beta.user.click(await within(beta.container).findByTestId("tenants-row-acme"));
    const graph = await within(beta.container).findByTestId("tenant-footprint-graph");
    expect(graph).toHaveAttribute("data-state", "not_configured");
    expect(graph).toHaveTextContent("not configured");
    expect(within(beta.container).getByTestId("tenant-footprint-postgres")).toHaveAttribute("data-state", "ok");
  });

  it("widens the detail for its entity tables, and stays wide from tenant to tenant", async () => {
    const { user } = await renderScreen();
    await user.click(screen.getByTestId("tenants-row-acme"));
    expect(await screen.findByTestId("entity-tables")).toBeInTheDocument();
    await user.click(screen.getByTestId("tenant-detail-wide"));
    expect(screen.getByTestId("tenant-detail")).toHaveClass("wide");
    expect(screen.getByTestId("tenant-detail-wide")).toHaveAttribute("aria-pressed", "true");
    await user.click(screen.getByTestId("tenants-row-hooli"));
    await waitFor(() => expect(screen.getByTestId("tenant-detail")).toHaveAttribute("aria-label", "Tenant hooli"));
    expect(screen.getByTestId("tenant-detail")).toHaveClass("wide");
  });

  it("opens the tenant it is handed, by id or slug", async () => {
    renderWithBackend(<TenantsScreen connection="alpha" initialTenant="tyrell" />);
    const detail = await screen.findByTestId("tenant-detail");
    await waitFor(() => expect(detail).toHaveAttribute("aria-label", "Tenant tyrell"));
    expect(screen.queryByTestId("tenant-open-console")).toBeNull();
  });
});
