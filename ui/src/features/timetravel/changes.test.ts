import { describe, expect, it } from "vitest";
import type { JsonValue, PathChange } from "../../backend";
import { createMockBackend } from "../../backend/mock";
import { MOCK_ANOMALY_ATOM_ID, MOCK_HISTORY_ATOM_ID, MOCK_HOT_ATOM_ID } from "../../backend/mockTimeTravel";
import { fixtures } from "../../test/render";
import { applyChange, applyChanges, parsePointer, sameState, statesAfter, type State } from "./changes";

const added = (path: string, value: JsonValue): PathChange => ({ op: "added", path, value });
const removed = (path: string, old: JsonValue): PathChange => ({ op: "removed", path, old });
const changed = (path: string, old: JsonValue, next: JsonValue): PathChange => ({ op: "changed", path, old, new: next });

describe("parsePointer", () => {
  it("splits a JSON pointer and unescapes ~1 and ~0 (in that order)", () => {
    expect(parsePointer("")).toEqual([]);
    expect(parsePointer("/a")).toEqual(["a"]);
    expect(parsePointer("/a/b/0")).toEqual(["a", "b", "0"]);
    expect(parsePointer("/units~1scale/~0raw")).toEqual(["units/scale", "~raw"]);
    // `~01` is `~1` escaped: a literal "~1", not "/".
    expect(parsePointer("/~01")).toEqual(["~1"]);
    expect(parsePointer("/")).toEqual([""]);
    expect(parsePointer("/a//b")).toEqual(["a", "", "b"]);
    expect(() => parsePointer("a/b")).toThrow(/not a JSON pointer/);
  });
});

describe("applyChange", () => {
  it("at the root: added creates the state, removed deletes it, changed replaces it", () => {
    expect(applyChange(null, added("", { a: 1 }))).toEqual({ a: 1 });
    expect(applyChange({ a: 1 }, removed("", { a: 1 }))).toBeNull();
    expect(applyChange({ a: 1 }, changed("", { a: 1 }, [1, 2]))).toEqual([1, 2]);
    expect(applyChange(null, removed("", {}))).toBeNull();
  });

  it("at a member: added, removed, changed", () => {
    const state = { name: "x", confidence: 0.6 };
    expect(applyChange(state, added("/tags", ["a"]))).toEqual({ name: "x", confidence: 0.6, tags: ["a"] });
    expect(applyChange(state, removed("/confidence", 0.6))).toEqual({ name: "x" });
    expect(applyChange(state, changed("/name", "x", "y"))).toEqual({ name: "y", confidence: 0.6 });
    // A member set to null is a value, not a removal.
    expect(applyChange(state, changed("/name", "x", null))).toEqual({ name: null, confidence: 0.6 });
  });

  it("at nested paths, creating the objects on the way to an added value", () => {
    const state = { source: { kind: "upload", page: 12, document: "a.pdf" } };
    expect(applyChange(state, changed("/source/page", 12, 13))).toEqual({ source: { kind: "upload", page: 13, document: "a.pdf" } });
    expect(applyChange(state, removed("/source/document", "a.pdf"))).toEqual({ source: { kind: "upload", page: 12 } });
    expect(applyChange(state, added("/json_value/limits/min", 5))).toEqual({ ...state, json_value: { limits: { min: 5 } } });
    expect(applyChange(null, added("/a/b", 1))).toEqual({ a: { b: 1 } });
    // Removing or changing under nothing leaves the state as it was.
    expect(applyChange(state, removed("/nope/deeper", 1))).toEqual(state);
  });

  it("unescapes ~0 and ~1 in member names", () => {
    const state = { "units/scale": { "~raw": "mol/L" } };
    expect(applyChange({}, added("/units~1scale", { "~raw": "mol/L" }))).toEqual(state);
    expect(applyChange(state, changed("/units~1scale/~0raw", "mol/L", "g/L"))).toEqual({ "units/scale": { "~raw": "g/L" } });
    expect(applyChange(state, removed("/units~1scale", { "~raw": "mol/L" }))).toEqual({});
    expect(applyChange({ "~1": 1, "/": 2 }, removed("/~01", 1))).toEqual({ "/": 2 });
  });

  it("enters arrays by index: added inserts, removed takes out, changed replaces", () => {
    const state = { tags: ["a", "b", "c"] };
    expect(applyChange(state, added("/tags/1", "x"))).toEqual({ tags: ["a", "x", "b", "c"] });
    expect(applyChange(state, added("/tags/-", "d"))).toEqual({ tags: ["a", "b", "c", "d"] });
    expect(applyChange(state, removed("/tags/0", "a"))).toEqual({ tags: ["b", "c"] });
    expect(applyChange(state, changed("/tags/2", "c", "z"))).toEqual({ tags: ["a", "b", "z"] });
    expect(applyChange(state, changed("/tags/9", "?", "z"))).toEqual(state);
  });

  it("never changes its input, and shares what the change does not touch", () => {
    const untouched = { deep: { x: 1 } };
    const state = { a: { b: 1 }, other: untouched };
    const frozen = JSON.stringify(state);
    const next = applyChange(state, changed("/a/b", 1, 2)) as { a: { b: number }; other: unknown };
    expect(JSON.stringify(state)).toBe(frozen);
    expect(next.a.b).toBe(2);
    expect(next.other).toBe(untouched);
  });
});

describe("applyChanges and statesAfter", () => {
  it("apply in order, step after step", () => {
    const steps = [
      { changes: [added("", { a: 1 })] },
      { changes: [changed("/a", 1, 2), added("/b", { c: true })] },
      { changes: [] },
      { changes: [removed("", { a: 2, b: { c: true } })] },
      { changes: [added("", { fresh: 1 })] },
    ];
    expect(statesAfter(null, steps)).toEqual([{ a: 1 }, { a: 2, b: { c: true } }, { a: 2, b: { c: true } }, null, { fresh: 1 }]);
    expect(applyChanges({ a: 1 }, [changed("/a", 1, 3), removed("/a", 3)])).toEqual({});
  });

  it("rebuild every mock history's final state from its steps' changes", async () => {
    const backend = createMockBackend(fixtures());
    for (const id of [MOCK_HISTORY_ATOM_ID, MOCK_ANOMALY_ATOM_ID, MOCK_HOT_ATOM_ID]) {
      const first = await backend.eventHistory("alpha", id, null, 0, 5_000);
      const states = statesAfter(null, first.steps);
      let state: State = states[states.length - 1] ?? null;
      for (let offset = first.steps.length; offset < first.totalEvents; offset += 5_000) {
        const page = await backend.eventHistory("alpha", id, null, offset, 5_000);
        state = applyChanges(state, page.steps.flatMap((s) => s.changes));
      }
      expect(sameState(state, first.state)).toBe(true);
    }
  });

  it("rebuild the state at any point of the mock history", async () => {
    const backend = createMockBackend(fixtures());
    const history = await backend.eventHistory("alpha", MOCK_HISTORY_ATOM_ID, null, 0, 5_000);
    const states = statesAfter(null, history.steps);
    for (const step of history.steps) {
      const at = await backend.stateAt("alpha", MOCK_HISTORY_ATOM_ID, null, step.event.sequence!);
      expect(sameState(states[step.index]!, at.state)).toBe(true);
    }
  });
});

describe("sameState", () => {
  it("compares as data", () => {
    expect(sameState({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameState({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameState([1, 2], [2, 1])).toBe(false);
    expect(sameState(null, null)).toBe(true);
    expect(sameState(null, {})).toBe(false);
  });
});
