import { describe, expect, it } from "vitest";
import { fixtures } from "../test/render";
import { createMockBackend, mockTenants } from "./mock";
import { mergePatch } from "./mockFold";
import { MOCK_SHARED_ATOM_ID } from "./mockRows";
import { MOCK_ANOMALY_ATOM_ID, MOCK_HISTORY_ATOM_ID, MOCK_HOT_ATOM_ID } from "./mockTimeTravel";

const acme = mockTenants().find((t) => t.slug === "acme")!;

describe("mock backend: time travel", () => {
  it("merges patches as RFC 7396 says (its appendix A)", () => {
    const vectors: [unknown, unknown, unknown][] = [
      [{ a: "b" }, { a: "c" }, { a: "c" }],
      [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
      [{ a: "b" }, { a: null }, {}],
      [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
      [{ a: ["b"] }, { a: "c" }, { a: "c" }],
      [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
      [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
      [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
      [["a", "b"], ["c", "d"], ["c", "d"]],
      [{ a: "b" }, ["c"], ["c"]],
      [{ a: "foo" }, null, null],
      [{ a: "foo" }, "bar", "bar"],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: "b", c: null }, { a: "b" }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of vectors) {
      expect(mergePatch(target as never, patch as never)).toEqual(result);
    }
  });

  it("folds a history: a window of steps with their diffs, and the final state", async () => {
    const backend = createMockBackend(fixtures());
    const all = await backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, null, 0, 5_000);
    expect(all.tenant).toEqual({ id: acme.id, slug: "acme", tier: "row" });
    expect(all.aggregateType).toBe("atom");
    expect(all.totalEvents).toBe(30);
    expect(all.anomalyCount).toBe(0);
    expect(all.steps.map((s) => s.index)).toEqual([...Array(30).keys()]);
    expect(all.steps[18]).toMatchObject({ kind: "delete", applied: true, changes: [{ op: "removed", path: "" }] });
    expect(all.steps[19]).toMatchObject({ kind: "create", changes: [{ op: "added", path: "" }] });
    expect(all.steps[17]!.changes).toEqual([{ op: "added", path: "/units~1scale", value: { "~raw": "mol/L" } }]);
    const sequences = all.steps.map((s) => Number(s.event.sequence));
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(all.state).toMatchObject({ name: "photosynthesis-definition-v3", confidence: 0.93 });

    const window = await backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, "acme", 10, 5);
    expect(window.offset).toBe(10);
    expect(window.steps.map((s) => s.index)).toEqual([10, 11, 12, 13, 14]);
    expect(window.steps).toEqual(all.steps.slice(10, 15));
    expect(window.state).toEqual(all.state);

    const hot = await backend.eventHistory("alpha", MOCK_HOT_ATOM_ID, null, 5_000, 9_000);
    expect(hot.totalEvents).toBe(12_345);
    expect(hot.steps).toHaveLength(5_000);
    expect(hot.steps[0]!.index).toBe(5_000);
  });

  it("reports a malformed payload in place, skips it and goes on", async () => {
    const backend = createMockBackend(fixtures());
    const h = await backend.eventHistory("alpha", MOCK_ANOMALY_ATOM_ID, null, 0, 100);
    expect(h.anomalyCount).toBe(1);
    const bad = h.steps[3]!;
    expect(bad).toMatchObject({ kind: "update", applied: false, version: 3, changes: [] });
    expect(bad.anomalies).toEqual([{ kind: "bad_payload", message: expect.stringMatching(/^the payload is not JSON \(.+\); skipped$/) }]);
    expect(bad.event.payload).toBeNull();
    expect(bad.event.payloadText).toBe('{"confidence": 0.97, "tags": ["chemistry", "constants"');
    expect(h.steps[4]).toMatchObject({ applied: true, version: 4 });

    const at = await backend.stateAt("alpha", MOCK_ANOMALY_ATOM_ID, null, bad.event.sequence!);
    expect(at.anomalies).toEqual([{ index: 3, eventId: bad.event.id, anomaly: bad.anomalies[0] }]);
  });

  it("reads the state at a sequence or a time, and diffs two points", async () => {
    const backend = createMockBackend(fixtures());
    const h = await backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, null, 0, 100);
    const at = await backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, ` ${h.steps[8]!.event.sequence} `);
    expect(at).toMatchObject({ at: `sequence ${h.steps[8]!.event.sequence}`, eventsBefore: 9, totalEvents: 30, version: 9 });
    expect(at.lastEvent?.id).toBe(h.steps[8]!.event.id);
    const byTime = await backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, h.steps[8]!.event.time);
    expect(byTime.state).toEqual(at.state);
    expect((await backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, "2025-03-20")).state).toMatchObject({ "units/scale": {} });
    expect((await backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, "2025-03-21 02:00")).state).toBeNull();
    expect(await backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, "2020-01-01")).toMatchObject({ eventsBefore: 0, state: null, lastEvent: null });

    await expect(backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, "yesterday")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, "1")).rejects.toMatchObject({ code: "not_found" });

    const diff = await backend.stateDiff("alpha", MOCK_HISTORY_ATOM_ID, null, h.steps[0]!.event.sequence!, h.steps[1]!.event.sequence!);
    expect(diff.changes).toEqual(h.steps[1]!.changes);
    expect(diff.from.version).toBe(1);
    expect(diff.to.version).toBe(2);
  });

  it("needs the tenant when the id has events in two tenants", async () => {
    const backend = createMockBackend(fixtures());
    for (const call of [
      () => backend.eventHistory("alpha", MOCK_SHARED_ATOM_ID, null, 0, 10),
      () => backend.stateAt("alpha", MOCK_SHARED_ATOM_ID, null, "2025-01-01"),
      () => backend.stateDiff("alpha", MOCK_SHARED_ATOM_ID, null, "2024-01-01", "2025-01-01"),
      () => backend.compareStores("alpha", MOCK_SHARED_ATOM_ID, null),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("2 tenants (acme, globex)") });
    }
    const acmeCopy = await backend.eventHistory("alpha", MOCK_SHARED_ATOM_ID, "acme", 0, 10);
    const globexCopy = await backend.eventHistory("alpha", MOCK_SHARED_ATOM_ID, "globex", 0, 10);
    expect(acmeCopy.tenant.slug).toBe("acme");
    expect(globexCopy.tenant.slug).toBe("globex");

    await expect(backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, "globex", 0, 10)).rejects.toMatchObject({ code: "not_found" });
    await expect(backend.eventHistory("alpha", "nope", "acme", 0, 10)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backend.eventHistory("alpha", "00000000-0000-4000-8000-000000000000", null, 0, 10)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, "nobody", 0, 10)).rejects.toMatchObject({ code: "not_found" });
  });

  it("compares the fold with the stores: lag, in sync, drift, missing", async () => {
    const backend = createMockBackend(fixtures());
    const lagging = await backend.compareStores("alpha", MOCK_HISTORY_ATOM_ID, null);
    const h = await backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, null, 0, 100);
    expect(lagging.version).toBe(30);
    expect(lagging.stores.map((s) => s.store)).toEqual(["postgres", "graph", "redis"]);
    expect(lagging.stores[0]).toMatchObject({
      verdict: "lag",
      behind: 1,
      at_sequence: h.steps[28]!.event.sequence,
      at_time: h.steps[28]!.event.time,
      differences: [{ op: "changed", path: "/name", old: "photosynthesis-definition-v3", new: "photosynthesis-definition-v2" }],
    });
    expect(lagging.stores.slice(1).map((s) => s.verdict)).toEqual(["in_sync", "in_sync"]);

    const synced = await backend.compareStores("alpha", MOCK_ANOMALY_ATOM_ID, null);
    expect(synced.stores.map((s) => [s.verdict, s.differences])).toEqual([
      ["in_sync", []],
      ["in_sync", []],
      ["in_sync", []],
    ]);

    const hot = await backend.compareStores("alpha", MOCK_HOT_ATOM_ID, null);
    expect(hot.stores.map((s) => s.verdict)).toEqual(["in_sync", "drift", "missing"]);

    // A store the connection lacks, or that is down, is unknown (with why).
    const beta = await backend.compareStores("beta", MOCK_HISTORY_ATOM_ID, null);
    expect(beta.stores.map((s) => s.verdict)).toEqual(["lag", "unknown", "unknown"]);
  });

  it("folds every entity row's log onto the row", async () => {
    const backend = createMockBackend(fixtures());
    const page = await backend.tenantRows("alpha", "acme", { entity: "molecule", after: null, limit: 5 });
    for (const row of page.rows) {
      const c = await backend.compareStores("alpha", row[0]!, "acme");
      expect(c.aggregateType).toBe("molecule");
      expect(c.stores.map((s) => s.verdict)).toEqual(["in_sync", "in_sync", "unknown"]);
    }
    // The shared atom's globex copy never reached the graph (as `find` shows).
    const globex = await backend.compareStores("alpha", MOCK_SHARED_ATOM_ID, "globex");
    expect(globex.stores.find((s) => s.store === "graph")?.verdict).toBe("missing");
    expect(globex.stores.find((s) => s.store === "postgres")?.verdict).toBe("in_sync");
  });
});
