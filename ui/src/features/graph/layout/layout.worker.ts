// ForceAtlas2 off the main thread: iterates for a time slice, sends the positions, and goes on
// until the layout settles (settle.ts) or the runner sends another run or a stop.
import type { ForceAtlas2Settings } from "graphology-layout-forceatlas2";
import iterate from "graphology-layout-forceatlas2/iterate.js";
import { PPN } from "./matrices";
import { positionIntervalMs, type LayoutCommand, type LayoutProgress } from "./protocol";
import { copyPositions, relativeDisplacement, SettleTracker, type SettledBy } from "./settle";

// The worker's global scope, typed here: the app's DOM typings and the WebWorker lib clash.
const scope = self as unknown as {
  postMessage(message: LayoutProgress, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<LayoutCommand>) => void) | null;
};

interface Run {
  run: number;
  nodes: Float32Array;
  edges: Float32Array;
  settings: Required<ForceAtlas2Settings>;
  before: Float32Array;
  tracker: SettleTracker;
  /** Iterating time between two position messages. */
  sliceMs: number;
}

let current: Run | null = null;

function step() {
  const r = current;
  if (!r) return;
  const started = performance.now();
  let displacement = 0;
  let settledBy: SettledBy | null = null;
  do {
    copyPositions(r.nodes, r.before);
    iterate(r.settings, r.nodes, r.edges);
    displacement = relativeDisplacement(r.before, r.nodes);
    settledBy = r.tracker.observe(displacement);
  } while (settledBy === null && performance.now() - started < r.sliceMs);
  const xy = new Float32Array(r.before.length);
  copyPositions(r.nodes, xy);
  const progress: LayoutProgress = { type: "positions", run: r.run, xy, iterations: r.tracker.iterations, displacement, settledBy };
  scope.postMessage(progress, [xy.buffer]);
  if (settledBy !== null) current = null;
  // A macrotask between slices lets a newer run or a stop arrive.
  else setTimeout(step, 0);
}

scope.onmessage = (event) => {
  const command = event.data;
  if (command.type === "stop") {
    current = null;
    return;
  }
  const idle = current === null;
  current = {
    run: command.run,
    nodes: command.nodes,
    edges: command.edges,
    settings: command.settings,
    before: new Float32Array((command.nodes.length / PPN) * 2),
    tracker: new SettleTracker(),
    sliceMs: positionIntervalMs(command.nodes.length / PPN),
  };
  // A run already stepping picks the new one up at its next slice.
  if (idle) setTimeout(step, 0);
};
