import Graph from "graphology";
import { describe, expect, it } from "vitest";
import { LayoutRunner, type LayoutStatus, type LayoutWorker } from "./LayoutRunner";
import type { LayoutCommand, LayoutProgress } from "./protocol";

/** A worker stand-in: keeps what it was sent, answers when told. */
function fakeWorker() {
  const sent: LayoutCommand[] = [];
  let listener: ((event: MessageEvent<LayoutProgress>) => void) | null = null;
  const worker: LayoutWorker = {
    postMessage: (command) => void sent.push(command),
    addEventListener: (_type, l) => void (listener = l),
    terminate: () => {},
  };
  const answer = (p: Omit<LayoutProgress, "type">) => listener!({ data: { type: "positions", ...p } } as MessageEvent<LayoutProgress>);
  return { worker, sent, answer };
}

describe("LayoutRunner", () => {
  it("sends the graph, writes positions back, and says when it settled", () => {
    const g = new Graph();
    g.addNode("a", { x: 0, y: 0, size: 4 });
    g.addNode("b", { x: 1, y: 1, size: 4 });
    g.addEdge("a", "b");
    const statuses: LayoutStatus[] = [];
    const { worker, sent, answer } = fakeWorker();
    const runner = new LayoutRunner(g, (s) => statuses.push(s), worker);
    runner.start(performance.now() - 100);
    const run = sent[0] as Extract<LayoutCommand, { type: "run" }>;
    expect(run).toMatchObject({ type: "run", run: 1 });
    expect(run.edges.length).toBe(3);

    answer({ run: 1, xy: new Float32Array([5, 6, 7, 8]), iterations: 10, displacement: 0.1, settledBy: null });
    expect(g.getNodeAttributes("b")).toMatchObject({ x: 7, y: 8 });
    expect(statuses.at(-1)).toEqual({ running: true, iterations: 10, settledBy: null, settledMs: null });

    // A newer run makes the older one's positions stale.
    runner.start(performance.now());
    answer({ run: 1, xy: new Float32Array([0, 0, 0, 0]), iterations: 11, displacement: 0, settledBy: "displacement" });
    expect(g.getNodeAttributes("b")).toMatchObject({ x: 7, y: 8 });
    answer({ run: 2, xy: new Float32Array([1, 1, 2, 2]), iterations: 40, displacement: 0.001, settledBy: "displacement" });
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ running: false, iterations: 40, settledBy: "displacement" });
    expect(last.settledMs).toBeGreaterThanOrEqual(0);
  });

  it("settles at once when there is nothing to move", () => {
    const g = new Graph();
    g.addNode("a", { x: 0, y: 0, size: 4 });
    const statuses: LayoutStatus[] = [];
    const { worker, sent } = fakeWorker();
    new LayoutRunner(g, (s) => statuses.push(s), worker).start(performance.now());
    expect(sent).toEqual([]);
    expect(statuses[0]).toMatchObject({ running: false, settledBy: "displacement" });
  });
});
