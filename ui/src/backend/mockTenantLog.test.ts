import { describe, expect, it } from "vitest";
import { fixtures } from "../test/render";
import { createMockBackend } from "./mock";
import { MOCK_HISTORY_ATOM_ID } from "./mockTimeTravel";
import type { EventFilter } from "./types";

const NONE: EventFilter = {
  aggregateType: null,
  aggregateId: null,
  eventType: null,
  actor: null,
  correlation: null,
  causation: null,
  eventId: null,
  after: null,
  limit: null,
};

describe("mock backend: tenant timeline and state", () => {
  it("agrees with the aggregate's history and pages by keyset", async () => {
    const backend = createMockBackend(fixtures());
    const history = await backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, "acme", 0, 5_000);
    const page = await backend.tenantEvents("alpha", "acme", { ...NONE, aggregateId: MOCK_HISTORY_ATOM_ID, limit: 1_000 });
    expect(page.nextAfter).toBeNull();
    expect(page.events.map((e) => e.event)).toEqual(history.steps.map((s) => s.event));

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const p = await backend.tenantEvents("alpha", "acme", { ...NONE, aggregateId: MOCK_HISTORY_ATOM_ID, after, limit: 7 });
      expect(p.events.length).toBeLessThanOrEqual(7);
      seen.push(...p.events.map((e) => e.event.id!));
      after = p.nextAfter;
    } while (after !== null);
    expect(seen).toEqual(history.steps.map((s) => s.event.id));

    await expect(backend.tenantEvents("alpha", "acme", { ...NONE, limit: 1_001 })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backend.tenantEvents("alpha", "acme", { ...NONE, after: "nope" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("reconstructs a tenant at a time, and refuses a bad time", async () => {
    const backend = createMockBackend(fixtures());
    const reports: number[] = [];
    const summary = await backend.tenantState("alpha", "acme", "2030-01-01T00:00:00Z", null, "/tmp/acme.jsonl", "t1", (p) =>
      reports.push(Number(p.events)),
    );
    expect(summary.path).toBe("/tmp/acme.jsonl");
    expect(reports.at(-1)).toBe(Number(summary.events));
    expect([...reports].sort((a, b) => a - b)).toEqual(reports);
    expect(summary.live).toBeLessThanOrEqual(summary.aggregates);
    expect(summary.withAnomalies).toBeGreaterThan(0);
    const atoms = await backend.tenantState("alpha", "acme", "2030-01-01T00:00:00Z", "atom", null, "t2", () => undefined);
    expect(atoms.aggregates).toBeLessThan(summary.aggregates);
    await expect(backend.tenantState("alpha", "acme", "yesterday", null, null, "t3", () => undefined)).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});
