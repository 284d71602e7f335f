import { describe, expect, it } from "vitest";
import type { StoreComparison } from "../../backend";
import { compactValue, formatChange, formatWhen, isFlagged, verdictLabel } from "./format";

const store = (verdict: Partial<StoreComparison> & Pick<StoreComparison, "verdict">) =>
  ({ store: "postgres", location: "x", value: null, differences: [], ...verdict }) as StoreComparison;

describe("formatChange", () => {
  it("writes one line per change", () => {
    expect(formatChange({ op: "added", path: "/tags", value: ["a", "b"] })).toBe('+ /tags = ["a","b"]');
    expect(formatChange({ op: "removed", path: "/source/document", old: "a.pdf" })).toBe('- /source/document (was "a.pdf")');
    expect(formatChange({ op: "changed", path: "/confidence", old: 0.7, new: 0.81 })).toBe("~ /confidence: 0.7 → 0.81");
    expect(formatChange({ op: "added", path: "", value: { a: 1 } })).toBe('+ state = {"a":1}');
    expect(formatChange({ op: "removed", path: "", old: null })).toBe("- state (was null)");
  });

  it("cuts long values", () => {
    expect(compactValue("x".repeat(500), 20)).toBe(`"${"x".repeat(18)}…`);
    expect(formatChange({ op: "added", path: "/a", value: "y".repeat(300) }, 10)).toBe(`+ /a = "yyyyyyyy…`);
  });
});

describe("verdictLabel", () => {
  it("words each verdict", () => {
    expect(verdictLabel(store({ verdict: "in_sync" }))).toBe("in sync");
    expect(verdictLabel(store({ verdict: "lag", behind: 1, at_sequence: "8242", at_time: "2025-03-26T05:13:39.746Z" }))).toBe(
      "lag: 1 event behind (reflects seq 8242 at 2025-03-26 05:13:39.746)",
    );
    expect(verdictLabel(store({ verdict: "lag", behind: 3, at_sequence: null, at_time: null }))).toBe("lag: 3 events behind");
    expect(verdictLabel(store({ verdict: "unknown", reason: "graph is down" }))).toBe("unknown: graph is down");
    expect(isFlagged(store({ verdict: "drift" }))).toBe(true);
    expect(isFlagged(store({ verdict: "unknown", reason: "" }))).toBe(false);
  });

  it("shows times to the millisecond, when there are any", () => {
    expect(formatWhen("2025-03-03T09:14:00.000Z")).toBe("2025-03-03 09:14:00");
    expect(formatWhen("2025-03-03T09:14:00.5Z")).toBe("2025-03-03 09:14:00.5");
    expect(formatWhen("not a time")).toBe("not a time");
    expect(formatWhen(null)).toBe("—");
  });
});
