import { describe, expect, it } from "vitest";
import { edge, node } from "../test/views";
import { edgeLook, LABEL_PALETTE, labelColor, legend, nodeLook, nodeSize, PATH_COLOR, WARNING_COLOR } from "./styling";

describe("styling", () => {
  it("gives each label a stable colour of the palette, never the warning or path colour", () => {
    expect(labelColor("Atom")).toBe(labelColor("Atom"));
    expect(LABEL_PALETTE).toContain(labelColor("Molecule"));
    expect(LABEL_PALETTE).not.toContain(WARNING_COLOR);
    expect(LABEL_PALETTE).not.toContain(PATH_COLOR);
  });

  it("draws another tenant's node and a cross-tenant relationship in the warning style", () => {
    const foreign = nodeLook(node("f", { foreign: true, caption: "x" }), { onPath: false, supernode: false });
    expect(foreign).toMatchObject({ color: WARNING_COLOR, label: "⚠ x", highlighted: true });
    expect(foreign.size).toBeGreaterThanOrEqual(8);
    expect(edgeLook(edge("e", "a", "f", { breach: true }), { onPath: true })).toMatchObject({ color: WARNING_COLOR, size: 4 });
    expect(edgeLook(edge("e", "a", "b"), { onPath: false }).size).toBe(1);
  });

  it("marks paths and supernodes, sizes by degree", () => {
    expect(nodeLook(node("a"), { onPath: true, supernode: false }).color).toBe(PATH_COLOR);
    expect(edgeLook(edge("e", "a", "b"), { onPath: true }).color).toBe(PATH_COLOR);
    const hub = nodeLook(node("h", { degree: 2557, caption: "hub" }), { onPath: false, supernode: true });
    expect(hub).toMatchObject({ size: 14, label: "hub (2557)" });
    expect(nodeSize(0)).toBe(3);
    expect(nodeSize(1)).toBeLessThan(nodeSize(10));
  });

  it("lists the labels drawn, largest first, another tenant's apart", () => {
    const l = legend([node("a"), node("b"), node("m", { labels: ["Molecule"] }), node("f", { foreign: true }), node("n", { labels: [] })]);
    expect(l.labels.map((e) => [e.label, e.count])).toEqual([
      ["Atom", 2],
      ["(no label)", 1],
      ["Molecule", 1],
    ]);
    expect(l.foreign).toBe(1);
  });
});
