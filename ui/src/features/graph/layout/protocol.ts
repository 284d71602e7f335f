// The messages between the layout runner (main thread) and the layout worker.
import type { ForceAtlas2Settings } from "graphology-layout-forceatlas2";
import type { SettledBy } from "./settle";

export type LayoutCommand =
  | { type: "run"; run: number; nodes: Float32Array; edges: Float32Array; settings: Required<ForceAtlas2Settings> }
  | { type: "stop" };

export interface LayoutProgress {
  type: "positions";
  run: number;
  /** x, y of every node, in the order of the run's matrix. */
  xy: Float32Array;
  iterations: number;
  /** Mean displacement over spread in the last iteration. */
  displacement: number;
  settledBy: SettledBy | null;
}

/**
 * How long the worker iterates between two position messages. Every message makes the main
 * thread re-index and redraw the whole graph, which for thousands of nodes and relationships
 * costs as much CPU as the layout itself; on two cores, frequent messages starve the worker. So
 * a small graph moves smoothly (about two frames), a large one is shown less often (up to once
 * a second for 5,000 nodes and more) and settles sooner.
 */
export function positionIntervalMs(order: number): number {
  return Math.min(1_000, Math.max(30, order / 5));
}
