// The main thread's side of the layout: sends the graph's matrices to the worker, writes the
// positions it sends back into the graph (sigma redraws on its own), and says when and how the
// layout settled. Every change of the graph starts a new run; positions of an older run are
// dropped.
import type Graph from "graphology";
import { buildMatrices, fa2Settings, type LayoutNode } from "./matrices";
import type { LayoutCommand, LayoutProgress } from "./protocol";
import type { SettledBy } from "./settle";

export interface LayoutStatus {
  running: boolean;
  iterations: number;
  settledBy: SettledBy | null;
  /** From the answer's arrival to the settled layout, in ms (null until settled). */
  settledMs: number | null;
}

export interface LayoutWorker {
  postMessage(command: LayoutCommand, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<LayoutProgress>) => void): void;
  terminate(): void;
}

function spawnWorker(): LayoutWorker {
  return new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" }) as LayoutWorker;
}

export class LayoutRunner {
  private run = 0;
  private index = new Map<string, number>();
  private arrivedAt = 0;
  private readonly worker: LayoutWorker;

  constructor(
    private readonly graph: Graph,
    private readonly onStatus: (status: LayoutStatus) => void,
    worker: LayoutWorker = spawnWorker(),
  ) {
    this.worker = worker;
    this.worker.addEventListener("message", (event) => this.apply(event.data));
  }

  /** Lays the graph out again from where its nodes are; `arrivedAt` is when the answer that changed it came. */
  start(arrivedAt: number) {
    this.run++;
    this.arrivedAt = arrivedAt;
    const nodes: [string, LayoutNode][] = [];
    this.graph.forEachNode((key, a) => nodes.push([key, { x: a.x as number, y: a.y as number, size: a.size as number }]));
    const edges: [string, string][] = [];
    this.graph.forEachEdge((_key, _a, source, target) => edges.push([source, target]));
    const m = buildMatrices(nodes, edges);
    this.index = new Map(m.order.map((key, i) => [key, i]));
    if (m.order.length < 2) {
      // Nothing to move: settled as soon as it is drawn.
      this.onStatus({ running: false, iterations: 0, settledBy: "displacement", settledMs: performance.now() - arrivedAt });
      return;
    }
    this.onStatus({ running: true, iterations: 0, settledBy: null, settledMs: null });
    this.worker.postMessage(
      { type: "run", run: this.run, nodes: m.nodes, edges: m.edges, settings: fa2Settings(m.order.length) },
      [m.nodes.buffer, m.edges.buffer],
    );
  }

  stop() {
    this.run++;
    this.worker.postMessage({ type: "stop" });
  }

  kill() {
    this.run++;
    this.worker.terminate();
  }

  private apply(p: LayoutProgress) {
    if (p.run !== this.run) return;
    const index = this.index;
    this.graph.updateEachNodeAttributes(
      (key, a) => {
        const i = index.get(key);
        if (i === undefined) return a;
        a.x = p.xy[2 * i];
        a.y = p.xy[2 * i + 1];
        return a;
      },
      { attributes: ["x", "y"] },
    );
    const settled = p.settledBy !== null;
    this.onStatus({
      running: !settled,
      iterations: p.iterations,
      settledBy: p.settledBy,
      settledMs: settled ? performance.now() - this.arrivedAt : null,
    });
  }
}
