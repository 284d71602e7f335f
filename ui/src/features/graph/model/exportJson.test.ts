import { describe, expect, it } from "vitest";
import { node, view } from "../test/views";
import { exportFileName, graphJson } from "./exportJson";
import { EMPTY_MODEL, mergeView } from "./graphModel";

describe("export", () => {
  it("writes the canvas's tenant, nodes, relationships and paths, and names the file to the millisecond", () => {
    const m = mergeView(EMPTY_MODEL, view([node("a")])).model;
    expect(JSON.parse(graphJson(m))).toEqual({ tenant: "tenant-1", nodes: [node("a")], edges: [], paths: [] });
    expect(exportFileName(m, "png", new Date("2026-12-01T16:45:07.123Z"))).toBe("graph-tenant-1-20261201-164507-123.png");
  });
});
