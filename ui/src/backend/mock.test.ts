import { describe, expect, it } from "vitest";
import { fixtures } from "../test/render";
import { createMockBackend, mockTenants } from "./mock";
import { MOCK_SHARED_ATOM_ID } from "./mockRows";
import type { OverviewProgress } from "./types";

const acme = mockTenants().find((t) => t.slug === "acme")!;

describe("mock backend: entity rows", () => {
  it("pages a tenant's table in keyset order, either way", async () => {
    const backend = createMockBackend(fixtures());
    const first = await backend.tenantRows("alpha", "acme", { entity: "atom", after: null, limit: 100 });
    expect(first.table).toBe('"public"."atoms"');
    expect(first.columns.find((c) => c.id)?.name).toBe("id");
    expect(first.columns.find((c) => c.name === "content")?.json).toBe(true);
    expect(first.rows).toHaveLength(100);
    const ids = first.rows.map((r) => r[0]!);
    expect([...ids].sort()).toEqual(ids);
    expect(first.nextAfter).toBe(ids[99]);

    const second = await backend.tenantRows("alpha", "acme", { entity: "atom", after: first.nextAfter, limit: 100 });
    expect(second.rows[0]![0]! > ids[99]!).toBe(true);

    const newest = await backend.tenantRows("alpha", acme.id, { entity: "atom", after: null, descending: true, limit: 5 });
    const desc = newest.rows.map((r) => r[0]!);
    expect([...desc].sort().reverse()).toEqual(desc);
  });

  it("filters by type, and refuses a value that is not of the column's type", async () => {
    const backend = createMockBackend(fixtures());
    const page = await backend.tenantRows("alpha", "acme", {
      entity: "atom",
      filters: [{ column: "version", op: "greater", value: "9" }],
      after: null,
      limit: 1000,
    });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => Number(r[5]) > 9)).toBe(true);
    await expect(
      backend.tenantRows("alpha", "acme", { entity: "atom", filters: [{ column: "version", op: "equals", value: "x" }], after: null, limit: null }),
    ).rejects.toMatchObject({ code: "invalid_input", message: '"x" is not a number (column "version" is integer)' });
    await expect(
      backend.tenantRows("alpha", "acme", { entity: "atom", filters: [{ column: "nope", op: "is_null", value: null }], after: null, limit: null }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("cuts cells longer than 4,096 characters and lists them", async () => {
    const backend = createMockBackend(fixtures());
    const page = await backend.tenantRows("alpha", "acme", { entity: "atom", after: null, limit: 1000 });
    expect(page.truncated).toHaveLength(1);
    const [r, c] = page.truncated[0]!;
    expect(page.rows[r]![c]).toHaveLength(4096);
  });

  it("exports with progress, and stops on cancel", async () => {
    const backend = createMockBackend(fixtures());
    const seen: number[] = [];
    const summary = await backend.exportRows("alpha", "acme", { entity: "atom", after: null, limit: null }, "csv", null, "t1", (p) =>
      seen.push(p.rows),
    );
    expect(summary.path).toMatch(/^\/home\/admin\/Downloads\/acme-atom-\d{8}T\d{6}Z\.csv$/);
    expect(seen.at(-1)).toBe(summary.rows);
    expect(seen[0]).toBe(100);
    expect(Number(summary.bytes)).toBeGreaterThan(1000);

    const slow = createMockBackend({ ...fixtures(), exportPageDelayMs: 10_000 });
    const running = slow.exportRows("alpha", "acme", { entity: "atom", after: null, limit: null }, "json", "/tmp/x.json", "t2", () => {});
    await new Promise((r) => setTimeout(r, 0));
    expect(slow.runningTasks()).toEqual(["t2"]);
    await expect(slow.cancelTask("t2")).resolves.toBe(true);
    await expect(running).rejects.toMatchObject({ code: "cancelled" });
    await expect(slow.cancelTask("t2")).resolves.toBe(false);
  });
});

describe("mock backend: find", () => {
  it("finds an entity id in every tenant that holds it", async () => {
    const backend = createMockBackend(fixtures());
    const result = await backend.find("alpha", ` ${MOCK_SHARED_ATOM_ID} `, null);
    expect(result.kind).toBe("entity_id");
    expect(result.needle).toBe(MOCK_SHARED_ATOM_ID);
    expect(result.hits.map((h) => h.tenant?.slug).sort()).toEqual(["acme", "globex"]);
    const acmeHit = result.hits.find((h) => h.tenant?.slug === "acme")!;
    expect(acmeHit.row?.table).toBe("public.atoms");
    expect(acmeHit.graph).toHaveLength(1);
    expect(result.hits.find((h) => h.tenant?.slug === "globex")!.graph).toHaveLength(0);

    const narrowed = await backend.find("alpha", MOCK_SHARED_ATOM_ID, "globex");
    expect(narrowed.hits.map((h) => h.tenant?.slug)).toEqual(["globex"]);
    await expect(backend.find("alpha", "  ", null)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backend.find("alpha", "x", "nobody")).rejects.toMatchObject({ code: "not_found" });
  });

  it("reads cache and object keys for their tenant", async () => {
    const backend = createMockBackend(fixtures());
    const cache = await backend.find("alpha", `tenant:${acme.id}:atom:${MOCK_SHARED_ATOM_ID}`, null);
    expect(cache).toMatchObject({ kind: "cache_key", keyTenant: acme.id, tenant: { slug: "acme" } });
    expect(cache.keyEntity).toEqual({ entityType: "atom", id: MOCK_SHARED_ATOM_ID });
    expect(cache.hits.map((h) => h.tenant?.slug)).toEqual(["acme"]);

    const folder = await backend.find("alpha", "tenant-acme/documents/", null);
    expect(folder).toMatchObject({ kind: "object_key", keyTenant: "acme", object: null });
    expect(folder.notes).toContain("the key ends with `/`: a prefix, not an object");
  });
});

describe("mock backend: console", () => {
  it("runs selects in the tenant's scope and refuses writes", async () => {
    const backend = createMockBackend(fixtures());
    const result = await backend.runConsole("alpha", { language: "sql", text: "SELECT * FROM atoms LIMIT 50", tenant: "tyrell", maxRows: null });
    expect(result.rows).toHaveLength(50);
    expect(result.scope).toBe("schema tenant_tyrell of alpha");
    expect(result.more).toBe(false);
    const capped = await backend.runConsole("alpha", { language: "sql", text: "select id from atoms", tenant: null, maxRows: 10 });
    expect(capped).toMatchObject({ columns: ["id"], more: true, scope: "database alpha" });
    await expect(
      backend.runConsole("alpha", { language: "sql", text: "delete from atoms", tenant: null, maxRows: null }),
    ).rejects.toMatchObject({ code: "read_only" });
    await expect(
      backend.runConsole("alpha", { language: "cypher", text: "CREATE (n:Atom)", tenant: null, maxRows: null }),
    ).rejects.toMatchObject({ code: "read_only" });
    await expect(
      backend.runConsole("alpha", { language: "redis", text: "FLUSHALL", tenant: null, maxRows: null }),
    ).rejects.toMatchObject({ code: "read_only" });
    await expect(
      backend.runConsole("alpha", { language: "sql", text: "selec 1", tenant: null, maxRows: null }),
    ).rejects.toMatchObject({ code: "query" });
  });

  it("answers Cypher with nodes as JSON and Redis replies as numbered rows", async () => {
    const backend = createMockBackend(fixtures());
    const nodes = await backend.runConsole("alpha", {
      language: "cypher",
      text: "MATCH (n:Atom) WHERE n.tenantId = $tenant RETURN n LIMIT 25",
      tenant: "acme",
      maxRows: null,
    });
    expect(nodes.columns).toEqual(["n"]);
    expect(nodes.rows).toHaveLength(25);
    expect(JSON.parse(nodes.rows[0]![0]!)).toMatchObject({ labels: ["Atom"], properties: { tenantId: acme.id } });
    const scan = await backend.runConsole("alpha", { language: "redis", text: `SCAN 0 MATCH tenant:* COUNT 5`, tenant: null, maxRows: null });
    expect(scan.columns).toEqual(["#", "value"]);
    expect(scan.rows[0]![0]).toBe("1");
    expect(scan.rows[1]![0]).toBe("2.1");
  });
});

describe("mock backend: tenant overview", () => {
  it("sums each tenant's footprint, reporting each store as it finishes", async () => {
    const backend = createMockBackend({ ...fixtures(), overviewDelayMs: 5 });
    const seen: OverviewProgress[] = [];
    const overview = await backend.tenantOverview("alpha", false, "o1", (p) => seen.push(p));
    expect(overview.tenants).toHaveLength(250);
    expect(overview.tenants.map((t) => t.slug)).toEqual(overview.tenants.map((t) => t.slug).sort());
    expect(overview.parts.map((p) => [p.store, p.error])).toEqual([
      ["postgres", null],
      ["graph", null],
      ["redis", null],
      ["objects", null],
    ]);
    expect(seen.filter((p) => p.done).map((p) => p.store)).toEqual(["graph", "postgres", "objects", "redis"]);
    // Redis reports its SCAN on the way, every 100k keys.
    expect(seen.find((p) => !p.done)).toEqual({ store: "redis", done: false, detail: "100000 keys scanned" });

    const fp = await backend.tenantFootprint("alpha", "acme", false);
    const totals = overview.tenants.find((t) => t.slug === "acme")!;
    const rows = fp.postgres.value!.tables.reduce((n, t) => n + Number(t.rows), 0);
    expect(totals).toMatchObject({
      id: acme.id,
      tier: "row",
      rows: String(rows),
      rowsEstimated: fp.postgres.value!.tables.some((t) => t.estimated),
      events: fp.postgres.value!.events!.count,
      firstEventAt: fp.postgres.value!.events!.firstAt,
      nodes: fp.graph.value!.nodes,
      relationships: fp.graph.value!.relationships,
      keys: fp.redis.value!.keys,
      objects: fp.objects.value!.objects,
      objectBytes: fp.objects.value!.bytes,
    });

    const exact = await backend.tenantOverview("alpha", true, "o2", () => {});
    expect(exact.exact).toBe(true);
    expect(exact.tenants.some((t) => t.rowsEstimated)).toBe(false);
  });

  it("fails one store's part on its own, and the whole run only without the tenant list", async () => {
    const backend = createMockBackend({ ...fixtures(), overviewErrors: { graph: { code: "auth", message: "unauthorized" } } });
    const overview = await backend.tenantOverview("alpha", false, "o1", () => {});
    expect(overview.parts.find((p) => p.store === "graph")!.error).toEqual({ code: "auth", message: "unauthorized" });
    expect(overview.tenants.every((t) => t.nodes === null && t.relationships === null)).toBe(true);
    expect(overview.tenants.every((t) => t.rows !== null && t.keys !== null)).toBe(true);

    backend.failOverviewPart("graph", null);
    const beta = await backend.tenantOverview("beta", false, "o2", () => {});
    expect(beta.parts.filter((p) => p.error).map((p) => [p.store, p.error!.code])).toEqual([
      ["graph", "not_found"],
      ["redis", "not_found"],
      ["objects", "not_found"],
    ]);
    expect(beta.tenants[0]).toMatchObject({ keys: null, objects: null });

    backend.setHealth("alpha", "postgres", { state: "down", error: { code: "unavailable", message: "connection refused" } });
    await expect(backend.tenantOverview("alpha", false, "o3", () => {})).rejects.toMatchObject({ code: "unavailable" });
  });

  it("stops on cancel", async () => {
    const backend = createMockBackend({ ...fixtures(), overviewDelayMs: 10_000 });
    const seen: OverviewProgress[] = [];
    const running = backend.tenantOverview("alpha", false, "o1", (p) => seen.push(p));
    await new Promise((r) => setTimeout(r, 0));
    expect(backend.runningTasks()).toEqual(["o1"]);
    await expect(backend.cancelTask("o1")).resolves.toBe(true);
    await expect(running).rejects.toMatchObject({ code: "cancelled" });
    expect(seen).toEqual([]);
    expect(backend.runningTasks()).toEqual([]);
  });
});
