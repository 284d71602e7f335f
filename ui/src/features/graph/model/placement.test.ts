import { describe, expect, it } from "vitest";
import { edge } from "../test/views";
import { placementAnchors, positionApart, positionNear } from "./placement";

describe("placement", () => {
  it("anchors new nodes breadth-first from the expanded nodes, then roots the rest's components", () => {
    const anchors = placementAnchors(
      ["b", "c", "d", "p", "q"],
      [edge("1", "a", "b"), edge("2", "c", "b"), edge("3", "z", "d"), edge("4", "p", "q")],
      new Set(["a", "z"]),
      ["a"],
    );
    expect([...anchors]).toEqual([
      ["b", "a"],
      ["d", "z"],
      ["c", "b"],
      ["p", null],
      ["q", "p"],
    ]);
  });

  it("puts a node near its anchor, the same spot every time", () => {
    const p = positionNear({ x: 100, y: -50 }, "k", 10);
    const d = Math.hypot(p.x - 100, p.y + 50);
    expect(d).toBeGreaterThanOrEqual(5);
    expect(d).toBeLessThan(10);
    expect(positionNear({ x: 100, y: -50 }, "k", 10)).toEqual(p);
    const apart = positionApart("k", 50);
    expect(Math.hypot(apart.x, apart.y)).toBeLessThan(100);
  });
});
