import { describe, expect, it } from "vitest";
import { buildMatrices, fa2Settings, PPE, PPN } from "./matrices";
import { positionIntervalMs } from "./protocol";
import { copyPositions, relativeDisplacement, SETTLE, SettleTracker } from "./settle";

describe("layout matrices and settling", () => {
  it("lays the graph out as ForceAtlas2's matrices, mass from the degree", () => {
    const m = buildMatrices(
      [
        ["a", { x: 1, y: 2, size: 5 }],
        ["b", { x: 3, y: 4, size: 6 }],
      ],
      [
        ["a", "b"],
        ["a", "gone"],
      ],
    );
    expect(m.order).toEqual(["a", "b"]);
    expect(m.nodes.length).toBe(2 * PPN);
    expect([m.nodes[0], m.nodes[1], m.nodes[6], m.nodes[8]]).toEqual([1, 2, 2, 5]);
    expect([...m.edges]).toEqual([0, PPN, 1]);
    expect(m.edges.length).toBe(PPE);
    expect(fa2Settings(10_000)).toMatchObject({ barnesHutOptimize: true, scalingRatio: 2 });
    expect(fa2Settings(100)).toMatchObject({ barnesHutOptimize: false, scalingRatio: 10 });
  });

  it("measures the mean displacement against the spread", () => {
    const nodes = buildMatrices(
      [
        ["a", { x: -10, y: 0, size: 1 }],
        ["b", { x: 10, y: 0, size: 1 }],
      ],
      [],
    ).nodes;
    const before = new Float32Array(4);
    copyPositions(nodes, before);
    expect(relativeDisplacement(before, nodes)).toBe(0);
    nodes[0] = -9; // a moved 1; spread is now ~9.5
    expect(relativeDisplacement(before, nodes)).toBeCloseTo(0.5 / 9.5, 3);
  });

  it("settles after calm iterations in a row, or at the budget", () => {
    const t = new SettleTracker();
    expect(t.observe(0.5)).toBeNull();
    for (let i = 1; i < SETTLE.consecutive; i++) expect(t.observe(SETTLE.threshold / 2)).toBeNull();
    expect(t.observe(SETTLE.threshold / 2)).toBe("displacement");
    const restless = new SettleTracker();
    let by = null;
    for (let i = 0; i < SETTLE.budget && by === null; i++) by = restless.observe(i % 3 === 0 ? 1 : 0);
    expect(by).toBe("budget");
    expect(restless.iterations).toBe(SETTLE.budget);
  });
});

describe("position messages", () => {
  it("come about every two frames for a small graph, at most once a second for a large one", () => {
    expect(positionIntervalMs(10)).toBe(30);
    expect(positionIntervalMs(2_000)).toBe(400);
    expect(positionIntervalMs(10_000)).toBe(1_000);
  });
});
