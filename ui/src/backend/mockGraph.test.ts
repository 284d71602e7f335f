import { describe, expect, it } from "vitest";
import { fixtures } from "../test/render";
import { createMockBackend } from "./mock";
import { mockGraphId, MOCK_SUPERNODE_MOLECULES } from "./mockGraphData";
import type { ExpandRequest } from "./types";

const HUB = mockGraphId("acme", "Atom", "retention-window-0");
const TAX = mockGraphId("globex", "Atom", "tax-limit-0");
const GST = mockGraphId("globex", "Molecule", "gst-policy-rule-1");
const expand = (over: Partial<ExpandRequest>): ExpandRequest => ({
  tenant: "globex",
  start: [{ id: TAX, label: null }],
  hops: null,
  direction: null,
  limit: null,
  skip: null,
  supernodeDegree: null,
  ...over,
});

describe("mock graph", () => {
  it("searches a tenant's nodes by id or name", async () => {
    const backend = createMockBackend(fixtures());
    const hits = await backend.graphSearch("alpha", { tenant: "globex", text: "tax-limit", label: null, limit: null });
    expect(hits.nodes.map((n) => n.caption)).toEqual(["tax-limit-0", "tax-limit-1"]);
    expect(hits.nodes[0]).toMatchObject({ degree: 2, foreign: false, entityType: "atom" });
    const exact = await backend.graphSearch("alpha", { tenant: "globex", text: TAX, label: null, limit: null });
    expect(exact.nodes.map((n) => n.id)).toEqual([TAX]);
    await expect(backend.graphSearch("alpha", { tenant: "acme", text: "tax", label: "Nope", limit: null })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("expands hop by hop, drawing another tenant's node as foreign and the relationship as a breach", async () => {
    const backend = createMockBackend(fixtures());
    const one = await backend.graphExpand("alpha", expand({}));
    expect(one.nodes.map((n) => n.caption).sort()).toEqual(["invoice-policy-rule-2", "refund-exemption-rule-0", "tax-limit-0"]);
    const gst = await backend.graphExpand("alpha", expand({ start: [{ id: GST, label: "Molecule" }] }));
    const hub = gst.nodes.find((n) => n.id === HUB)!;
    expect(hub.foreign).toBe(true);
    expect(gst.edges.find((e) => e.target === hub.key)).toMatchObject({ type: "REQUIRES", breach: true });
    expect(gst.notes).toContain("1 relationship(s) join nodes of different tenants (isolation breach)");
    await expect(backend.graphExpand("alpha", expand({ start: [{ id: HUB, label: null }] }))).rejects.toMatchObject({ code: "not_found" });
    await expect(backend.graphExpand("alpha", expand({ types: ["NOPE"] }))).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backend.graphExpand("alpha", expand({ hops: 2, skip: 5 }))).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("pages a supernode alone and holds it back in a wide hop", async () => {
    // The molecules requiring it, the two it is part of, and globex's molecule requiring it.
    const degree = MOCK_SUPERNODE_MOLECULES + 3;
    const backend = createMockBackend(fixtures());
    const first = await backend.graphExpand("alpha", expand({ tenant: "acme", start: [{ id: HUB, label: null }], limit: 100 }));
    expect(first.supernodes).toEqual([
      expect.objectContaining({ degree, shown: 100, nextSkip: 100 }),
    ]);
    expect(first.truncated).toBe(true);
    const last = await backend.graphExpand("alpha", expand({ tenant: "acme", start: [{ id: HUB, label: null }], limit: 200, skip: 100 }));
    expect(last.supernodes[0]).toMatchObject({ shown: degree - 100, nextSkip: null });
    const rule = mockGraphId("acme", "Molecule", "policy-rule-3");
    const wide = await backend.graphExpand("alpha", expand({ tenant: "acme", start: [{ id: rule, label: null }], hops: 2 }));
    expect(wide.supernodes[0]).toMatchObject({ shown: 0, nextSkip: null });
    expect(wide.supernodes[0]!.counts[0]).toEqual({ type: "REQUIRES", outgoing: false, label: "Molecule", count: MOCK_SUPERNODE_MOLECULES + 1 });
  });

  it("finds paths inside the tenant, else across tenants with a note", async () => {
    const backend = createMockBackend(fixtures());
    const within = await backend.graphPath("alpha", { tenant: "globex", from: { id: TAX, label: null }, to: { id: GST, label: null }, maxHops: null, all: false });
    expect(within.paths).toHaveLength(1);
    expect(within.paths[0]).toHaveLength(3);
    const shared = mockGraphId("globex", "Atom", "shared-rate-4");
    const across = await backend.graphPath("alpha", { tenant: "globex", from: { id: shared, label: null }, to: { id: GST, label: null }, maxHops: null, all: false });
    expect(across.notes).toContain("no path within the tenant; the one drawn passes through another tenant's nodes (isolation breach)");
    const orphan = mockGraphId("globex", "Atom", "orphan-limit-3");
    const none = await backend.graphPath("alpha", { tenant: "globex", from: { id: orphan, label: null }, to: { id: GST, label: null }, maxHops: 3, all: false });
    expect(none.paths).toEqual([]);
    expect(none.notes).toEqual(["no path of at most 3 relationships joins the two nodes"]);
  });

  it("answers a Cypher relationship pattern with rows and their graph", async () => {
    const backend = createMockBackend(fixtures());
    const result = await backend.runConsole("alpha", {
      language: "cypher",
      text: "MATCH (n)-[r]->(m) WHERE n.tenantId = $tenant RETURN n, r, m LIMIT 10000",
      tenant: "globex",
      maxRows: 10_000,
    });
    expect(result.columns).toEqual(["n", "r", "m"]);
    expect(result.rows).toHaveLength(8);
    expect(result.graph!.edges.filter((e) => e.breach)).toHaveLength(2);
    const plain = await backend.runConsole("alpha", { language: "cypher", text: "MATCH (n:Atom) RETURN n LIMIT 2", tenant: "acme", maxRows: null });
    expect(plain.graph).toBeNull();
  });
});
