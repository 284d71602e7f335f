import Graph from "graphology";
import { describe, expect, it } from "vitest";
import { EMPTY_MODEL, clearModel, mergeView } from "../model/graphModel";
import { PATH_COLOR, WARNING_COLOR } from "../model/styling";
import { edge, node, view } from "../test/views";
import { syncGraph } from "./syncGraph";

const newGraph = () => new Graph({ type: "directed", multi: true, allowSelfLoops: true });

describe("syncGraph", () => {
  it("adds nodes near their anchor, relationships, and the warning and path looks", () => {
    const g = newGraph();
    const first = mergeView(EMPTY_MODEL, view([node("a")])).model;
    expect(syncGraph(g, first).structural).toBe(true);
    const at = { x: g.getNodeAttribute("a", "x") as number, y: g.getNodeAttribute("a", "y") as number };
    const grown = mergeView(
      first,
      view([node("a"), node("f", { foreign: true })], [edge("e1", "a", "f", { breach: true, type: "REQUIRES" })], { paths: [["e1"]] }),
      { from: ["a"] },
    ).model;
    expect(syncGraph(g, grown).structural).toBe(true);
    const f = g.getNodeAttributes("f");
    expect(Math.hypot((f.x as number) - at.x, (f.y as number) - at.y)).toBeLessThan(13);
    expect(f).toMatchObject({ color: WARNING_COLOR, foreign: true, onPath: true });
    expect(g.getNodeAttributes("a")).toMatchObject({ color: PATH_COLOR, entityId: "id-a" });
    expect(g.getEdgeAttributes("e1")).toMatchObject({ color: WARNING_COLOR, relType: "REQUIRES", breach: true });
    expect(g.source("e1")).toBe("a");
    // The same model again changes nothing structural.
    expect(syncGraph(g, grown).structural).toBe(false);
  });

  it("drops what the model no longer has", () => {
    const g = newGraph();
    const m = mergeView(EMPTY_MODEL, view([node("a"), node("b")], [edge("e", "a", "b")])).model;
    syncGraph(g, m);
    expect(syncGraph(g, clearModel(m)).structural).toBe(true);
    expect([g.order, g.size]).toEqual([0, 0]);
  });
});
