import { describe, expect, it } from "vitest";
import { buildExpandRequest, buildPathRequest, buildSearchRequest, DEFAULT_EXPAND_FORM, DEFAULT_PATH_FORM } from "./requests";

const ref = { id: "x", label: "Atom" };

describe("requests", () => {
  it("builds an expansion by the form, and a page of one node's neighbours by one hop", () => {
    const form = { ...DEFAULT_EXPAND_FORM, hops: 3, direction: "incoming" as const, limit: " 40 ", labels: ["Molecule"], types: ["REQUIRES"] };
    expect(buildExpandRequest(" acme ", [ref], form)).toEqual({
      request: { tenant: "acme", start: [ref], hops: 3, labels: ["Molecule"], types: ["REQUIRES"], direction: "incoming", limit: 40, skip: null, supernodeDegree: null },
    });
    expect(buildExpandRequest("acme", [ref], form, 40)).toMatchObject({ request: { hops: 1, skip: 40 } });
  });

  it("refuses what the backend would", () => {
    expect(buildExpandRequest("", [ref], DEFAULT_EXPAND_FORM)).toEqual({ invalid: "Name a tenant first" });
    expect(buildExpandRequest("acme", [], DEFAULT_EXPAND_FORM)).toHaveProperty("invalid");
    expect(buildExpandRequest("acme", [ref], { ...DEFAULT_EXPAND_FORM, limit: "5001" })).toEqual({
      invalid: "The cap per hop is a whole number from 1 to 5,000",
    });
    expect(buildExpandRequest("acme", [ref], { ...DEFAULT_EXPAND_FORM, hops: 5 })).toHaveProperty("invalid");
    expect(buildExpandRequest("acme", [ref, ref], DEFAULT_EXPAND_FORM, 10)).toHaveProperty("invalid");
    expect(buildExpandRequest("acme", Array(101).fill(ref), DEFAULT_EXPAND_FORM)).toHaveProperty("invalid");
    expect(buildSearchRequest("acme", "  ")).toHaveProperty("invalid");
    expect(buildSearchRequest("acme", " tax ")).toEqual({ request: { tenant: "acme", text: "tax", label: null, limit: 50 } });
  });

  it("builds a path request, with the label of ids drawn on the canvas", () => {
    const built = buildPathRequest("globex", { ...DEFAULT_PATH_FORM, from: "a", to: "b", all: true, maxHops: "8" }, (id) => (id === "a" ? "Atom" : null));
    expect(built).toEqual({
      request: { tenant: "globex", from: { id: "a", label: "Atom" }, to: { id: "b", label: null }, maxHops: 8, all: true },
    });
    expect(buildPathRequest("globex", { ...DEFAULT_PATH_FORM, from: "a" }, () => null)).toHaveProperty("invalid");
    expect(buildPathRequest("globex", { ...DEFAULT_PATH_FORM, from: "a", to: "b", maxHops: "13" }, () => null)).toHaveProperty("invalid");
  });
});
