import { describe, expect, it } from "vitest";
import { edge, node, T, view } from "../test/views";
import { clearModel, clearPaths, EMPTY_MODEL, mergeView, ownNodeById, pathMembers } from "./graphModel";

describe("graph model", () => {
  it("merges answers, each node and relationship once, a degree read earlier kept", () => {
    const first = mergeView(EMPTY_MODEL, view([node("a", { degree: 3 }), node("b")], [edge("e1", "a", "b")]));
    expect(first).toMatchObject({ addedNodes: 2, addedEdges: 1, startedOver: false });
    const second = mergeView(first.model, view([node("a", { caption: "renamed" }), node("c")], [edge("e1", "a", "b"), edge("e2", "a", "c")]));
    expect(second).toMatchObject({ addedNodes: 1, addedEdges: 1 });
    const m = second.model;
    expect([...m.nodes.keys()]).toEqual(["a", "b", "c"]);
    expect([...m.edges.keys()]).toEqual(["e1", "e2"]);
    expect(m.nodes.get("a")).toMatchObject({ caption: "renamed", degree: 3 });
    expect(m.revision).toBe(2);
    expect(m.tenant).toBe(T);
  });

  it("places new nodes next to the node they were reached from", () => {
    const m = mergeView(EMPTY_MODEL, view([node("a")])).model;
    const grown = mergeView(m, view([node("a"), node("b"), node("c"), node("x")], [edge("e1", "a", "b"), edge("e2", "b", "c")]), { from: ["a"] });
    expect([...grown.model.lastMerge!.anchors]).toEqual([
      ["b", "a"],
      ["c", "b"],
      ["x", null],
    ]);
  });

  it("starts over when an answer is about another tenant", () => {
    const m = mergeView(EMPTY_MODEL, view([node("a")])).model;
    const other = mergeView(m, view([node("z", { tenant: "tenant-2" })], [], { tenant: "tenant-2" }));
    expect(other.startedOver).toBe(true);
    expect([...other.model.nodes.keys()]).toEqual(["z"]);
    expect(other.model.tenant).toBe("tenant-2");
  });

  it("keeps the highlighted paths across expansions, replaces them by a path search", () => {
    const withPath = mergeView(EMPTY_MODEL, view([node("a"), node("b")], [edge("e1", "a", "b")], { paths: [["e1"]] })).model;
    expect(pathMembers(withPath)).toEqual({ edges: new Set(["e1"]), nodes: new Set(["a", "b"]) });
    const expanded = mergeView(withPath, view([node("c")])).model;
    expect(expanded.paths).toEqual([["e1"]]);
    const none = mergeView(expanded, view([node("a"), node("c")]), { replacePaths: true }).model;
    expect(none.paths).toEqual([]);
    expect(clearPaths(withPath).paths).toEqual([]);
  });

  it("keeps each supernode's latest counts", () => {
    const s = { node: "a", degree: 900, counts: [], shown: 0, nextSkip: null };
    const m = mergeView(EMPTY_MODEL, view([node("a")], [], { supernodes: [s] })).model;
    const paged = mergeView(m, view([node("a")], [], { supernodes: [{ ...s, shown: 500, nextSkip: 500 }] })).model;
    expect(paged.supernodes.get("a")).toMatchObject({ shown: 500, nextSkip: 500 });
  });

  it("clears to an empty canvas and finds the tenant's own node by id", () => {
    const m = mergeView(EMPTY_MODEL, view([node("a"), node("f", { id: "id-a", foreign: true })])).model;
    expect(ownNodeById(m, "id-a")?.key).toBe("a");
    const cleared = clearModel(m);
    expect(cleared.nodes.size).toBe(0);
    expect(cleared.revision).toBe(m.revision + 1);
  });
});
