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
