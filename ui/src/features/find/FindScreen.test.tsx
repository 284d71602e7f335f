import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createMockBackend, mockTenants } from "../../backend/mock";
import { MOCK_SHARED_ATOM_ID } from "../../backend/mockRows";
import { fixtures, renderWithBackend } from "../../test/render";
import { FindScreen } from "./FindScreen";
import { formatTtl } from "./format";

const acme = mockTenants().find((t) => t.slug === "acme")!;
const globex = mockTenants().find((t) => t.slug === "globex")!;

async function find(user: ReturnType<typeof renderWithBackend>["user"], needle: string, tenant?: string) {
  await user.clear(screen.getByTestId("find-input"));
  await user.type(screen.getByTestId("find-input"), needle);
  if (tenant !== undefined) {
    await user.clear(screen.getByTestId("find-tenant"));
    if (tenant) await user.type(screen.getByTestId("find-tenant"), tenant);
  }
  await user.click(screen.getByTestId("find-submit"));
}

const hitOf = (slug: string) => screen.getAllByTestId("find-hit").find((h) => h.getAttribute("data-tenant") === slug)!;

describe("FindScreen", () => {
  it("shows an entity id held by two tenants, store by store", async () => {
    const onOpenTenant = vi.fn();
    const { backend, user } = renderWithBackend(<FindScreen connection="alpha" onOpenTenant={onOpenTenant} />);
    await find(user, `  ${MOCK_SHARED_ATOM_ID} `);

    const summary = await screen.findByTestId("find-summary", {}, { timeout: 5_000 });
    expect(backend.callsOf("find")).toEqual([["alpha", MOCK_SHARED_ATOM_ID, null]]);
    expect(within(summary).getByTestId("find-kind")).toHaveAttribute("data-kind", "entity_id");
    expect(within(summary).getByTestId("find-kind")).toHaveTextContent("entity id");
    expect(within(summary).getByTestId("find-elapsed")).toHaveTextContent(/^\d+ ms$/);
    expect(screen.getAllByTestId("find-hit").map((h) => h.getAttribute("data-tenant")).sort()).toEqual(["acme", "globex"]);
    expect(screen.getByTestId("find-many-tenants")).toBeInTheDocument();

    const a = within(hitOf("acme"));
    expect(a.getByText(MOCK_SHARED_ATOM_ID)).toBeInTheDocument();
    expect(a.getByTestId("find-row")).toHaveTextContent("public.atoms");
    expect(a.getByTestId("find-row").querySelector("pre")!.textContent).toContain(`"id": "${MOCK_SHARED_ATOM_ID}"`);
    expect(a.getByTestId("find-events")).toHaveTextContent(/Events\s*\d+/);
    expect(a.getByTestId("find-events")).toHaveTextContent("AtomUpdated");
    expect(a.getByTestId("find-graph")).toHaveTextContent(":Atom");
    expect(a.getByTestId("find-graph")).toHaveTextContent(/degree \d+/);
    expect(a.getByTestId("find-cache")).toHaveTextContent(`tenant:${acme.id}:atom:${MOCK_SHARED_ATOM_ID}`);

    // globex's copy never reached the graph: the hit says so by its store flags.
    const g = hitOf("globex");
    expect(within(g).queryByTestId("find-graph")).not.toBeInTheDocument();
    expect(g.querySelector('[data-store="graph"]')).toHaveAttribute("data-held", "false");
    expect(g.querySelector('[data-store="postgres"]')).toHaveAttribute("data-held", "true");

    await user.click(within(g).getByTestId("find-open-tenant"));
    expect(onOpenTenant).toHaveBeenCalledWith(globex.id);
    // Without a handler there is no Time travel link.
    expect(within(g).queryByTestId("find-open-timetravel")).not.toBeInTheDocument();
  });

  it("starts with the lookup another screen asked for", async () => {
    const { backend } = renderWithBackend(
      <FindScreen connection="alpha" initial={{ needle: MOCK_SHARED_ATOM_ID, tenant: acme.id }} />,
    );
    await screen.findByTestId("find-summary", {}, { timeout: 5_000 });
    expect(backend.callsOf("find")).toEqual([["alpha", MOCK_SHARED_ATOM_ID, acme.id]]);
    expect(screen.getByTestId("find-input")).toHaveValue(MOCK_SHARED_ATOM_ID);
    expect(screen.getAllByTestId("find-hit").map((h) => h.getAttribute("data-tenant"))).toEqual(["acme"]);
  });

  it("opens a hit's events in Time travel", async () => {
    const onOpenTimeTravel = vi.fn();
    const { user } = renderWithBackend(<FindScreen connection="alpha" onOpenTimeTravel={onOpenTimeTravel} />);
    await find(user, MOCK_SHARED_ATOM_ID);
    await screen.findByTestId("find-summary", {}, { timeout: 5_000 });
    await user.click(within(hitOf("globex")).getByTestId("find-open-timetravel"));
    expect(onOpenTimeTravel).toHaveBeenCalledWith(MOCK_SHARED_ATOM_ID, globex.id);
  });

  it("narrows to one tenant, and re-runs the same lookup on Find", async () => {
    const { backend, user } = renderWithBackend(<FindScreen connection="alpha" />);
    await find(user, MOCK_SHARED_ATOM_ID, " globex ");
    await waitFor(() => expect(screen.getAllByTestId("find-hit")).toHaveLength(1), { timeout: 5_000 });
    expect(hitOf("globex")).toBeInTheDocument();
    expect(backend.callsOf("find")).toEqual([["alpha", MOCK_SHARED_ATOM_ID, "globex"]]);
    expect(within(hitOf("globex")).queryByTestId("find-open-tenant")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("find-submit"));
    await waitFor(() => expect(backend.callsOf("find")).toHaveLength(2));
  });

  it("reads a cache key: its tenant, the entity it names, the key itself", async () => {
    const { user } = renderWithBackend(<FindScreen connection="alpha" onOpenTenant={() => {}} />);
    await find(user, `tenant:${acme.id}:atom:${MOCK_SHARED_ATOM_ID}`);
    const summary = await screen.findByTestId("find-summary", {}, { timeout: 5_000 });
    expect(within(summary).getByTestId("find-kind")).toHaveAttribute("data-kind", "cache_key");
    expect(within(summary).getByTestId("find-key-tenant")).toHaveTextContent(`acme row ${acme.id}`);
    expect(within(summary).getByTestId("find-open-key-tenant")).toHaveTextContent("acme");
    expect(summary).toHaveTextContent(`atom ${MOCK_SHARED_ATOM_ID}`);
    expect(within(summary).getByTestId("find-cache-key")).toHaveAttribute("data-present", "true");
    expect(screen.getAllByTestId("find-hit").map((h) => h.getAttribute("data-tenant"))).toEqual(["acme"]);
  });

  it("notes an object key that is a folder, and says when nothing refers to a needle", async () => {
    const { user } = renderWithBackend(<FindScreen connection="alpha" />);
    await find(user, "tenant-acme/documents/");
    const notes = await screen.findByTestId("find-notes", {}, { timeout: 5_000 });
    expect(notes).toHaveTextContent("a prefix, not an object");
    expect(screen.getByTestId("find-kind")).toHaveAttribute("data-kind", "object_key");
    expect(screen.getByTestId("find-empty")).toBeInTheDocument();

    await find(user, "00000000-0000-4000-8000-000000000000");
    await waitFor(() => expect(screen.getByTestId("find-kind")).toHaveAttribute("data-kind", "entity_id"));
    expect(screen.getByTestId("find-empty")).toHaveTextContent("Nothing in any store refers to 00000000-0000-4000-8000-000000000000");
  });

  it("lists the stores that could not answer, and shows what the others found", async () => {
    const backend = createMockBackend({
      ...fixtures(),
      health: { alpha: { redis: { state: "down", error: { code: "timeout", message: "no reply in 2 s" } } } },
    });
    const { user } = renderWithBackend(<FindScreen connection="alpha" />, { backend });
    await find(user, MOCK_SHARED_ATOM_ID);
    const errors = await screen.findByTestId("find-errors", {}, { timeout: 5_000 });
    const item = within(errors).getByRole("listitem");
    expect(item).toHaveAttribute("data-code", "timeout");
    expect(item).toHaveTextContent("Redis did not answer in time");
    expect(item).toHaveTextContent("no reply in 2 s");
    expect(screen.getAllByTestId("find-hit")).toHaveLength(2);
    expect(screen.queryByTestId("find-cache")).not.toBeInTheDocument();
  });

  it("shows a refused lookup by its code", async () => {
    const { user } = renderWithBackend(<FindScreen connection="alpha" />);
    await find(user, "abc", "nobody");
    const error = await screen.findByTestId("find-error");
    expect(error).toHaveAttribute("data-code", "not_found");
    expect(error).toHaveTextContent('no tenant with id or slug "nobody"');
  });

  it("needs a connection and a needle", () => {
    renderWithBackend(<FindScreen connection={null} />);
    expect(screen.getByTestId("find-input")).toBeDisabled();
    expect(screen.getByTestId("find-submit")).toBeDisabled();
  });
});

describe("find formatting", () => {
  it("words TTLs", () => {
    expect(formatTtl(null)).toBe("no TTL");
    expect(formatTtl("2591000000")).toBe("29 d 23 h");
    expect(formatTtl("2700000")).toBe("45 min");
    expect(formatTtl("12500")).toBe("12 s");
    expect(formatTtl("400")).toBe("400 ms");
  });
});
