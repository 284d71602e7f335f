import { describe, expect, it } from "vitest";
import { formatAge, formatMeasure, verificationState } from "./format";

describe("backups format", () => {
  it("words an age by its largest unit", () => {
    expect(formatAge("42")).toBe("42 s");
    expect(formatAge("90")).toBe("1 min");
    expect(formatAge("7200")).toBe("2 h");
    expect(formatAge("172800")).toBe("2 d");
  });

  it("writes a measure as count and what", () => {
    expect(formatMeasure({ what: "rows of atoms", count: "12345", hash: null })).toBe("12,345 rows of atoms");
  });

  it("names the verification state", () => {
    expect(verificationState({ verification: null })).toBe("not verified");
    const v = { backup: "b", checkedAt: "2026-01-01T00:00:00Z", parts: [] };
    expect(verificationState({ verification: { ...v, passed: true } })).toBe("verified");
    expect(verificationState({ verification: { ...v, passed: false } })).toBe("failed");
  });
});
