import { describe, expect, it } from "vitest";
import { edge, node, view } from "../test/views";
import { breaches } from "./breaches";
import { expandability } from "./expandable";
import { EMPTY_MODEL, mergeView } from "./graphModel";
import { pathSteps } from "./pathSteps";
import { countRowLabel, countsBy, pagingState } from "./supernodes";
import { seenNames } from "./vocabulary";

const hub = {
  node: "h",
  degree: 2557,
  counts: [
    { type: "REQUIRES", outgoing: false, label: "Molecule", count: 2171 },
    { type: "PART_OF", outgoing: true, label: "Molecule", count: 380 },
    { type: "PART_OF", outgoing: true, label: "Code", count: 6 },
  ],
  shown: 500,
  nextSkip: 500,
};

describe("supernodes, breaches, paths", () => {
  it("sums a supernode's counts by type, direction and label, and knows its paging", () => {
    expect(countsBy(hub, "type")).toEqual([
      { name: "REQUIRES", count: 2171 },
      { name: "PART_OF", count: 386 },
    ]);
    expect(countsBy(hub, "direction")).toEqual([
      { name: "incoming", count: 2171 },
      { name: "outgoing", count: 386 },
    ]);
    expect(countsBy(hub, "label")[0]).toEqual({ name: "Molecule", count: 2551 });
    expect(countRowLabel(hub.counts[0]!)).toBe("REQUIRES ← Molecule");
    expect(pagingState(hub)).toBe("more");
    expect(pagingState({ ...hub, nextSkip: null })).toBe("done");
    expect(pagingState({ ...hub, shown: 0, nextSkip: null })).toBe("held");
  });

  it("never expands another tenant's node or one without an id", () => {
    expect(expandability(node("a", { labels: ["Code"] }))).toEqual({ ok: true, ref: { id: "id-a", label: "Code" } });
    expect(expandability(node("f", { foreign: true, tenant: "other" }))).toMatchObject({ ok: false, reason: expect.stringContaining("other") });
    expect(expandability(node("n", { id: null }))).toMatchObject({ ok: false });
  });

  it("lists relationships across tenants and other tenants' nodes", () => {
    const m = mergeView(EMPTY_MODEL, view([node("a"), node("f", { foreign: true })], [edge("e1", "a", "f", { breach: true, type: "REQUIRES" }), edge("e2", "a", "a")])).model;
    const b = breaches(m);
    expect(b.edges.map((x) => [x.edge.key, x.source.key, x.target.key])).toEqual([["e1", "a", "f"]]);
    expect(b.foreignNodes.map((n) => n.key)).toEqual(["f"]);
  });

  it("reads a path from its first node, relationships walked either way", () => {
    const m = mergeView(
      EMPTY_MODEL,
      view([node("a"), node("m"), node("p"), node("g")], [edge("1", "a", "m"), edge("2", "p", "m"), edge("3", "p", "g")], { paths: [["1", "2", "3"]] }),
    ).model;
    expect(pathSteps(m, m.paths[0]!).map((s) => [s.nodeKey, s.edge?.forward ?? null])).toEqual([
      ["a", null],
      ["m", true],
      ["p", false],
      ["g", true],
    ]);
    expect(pathSteps(m, ["1", "missing"])).toEqual([]);
  });

  it("offers the labels and types seen, supernode counts included", () => {
    const m = mergeView(EMPTY_MODEL, view([node("h", { labels: ["Atom"] })], [], { supernodes: [hub] })).model;
    expect(seenNames(m)).toEqual({ labels: ["Atom", "Code", "Molecule"], types: ["PART_OF", "REQUIRES"] });
  });
});
