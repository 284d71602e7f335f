// When the layout counts as settled. A force layout never stops moving on its own; it is settled
// once the nodes' mean displacement per iteration stays below SETTLE.threshold of the layout's
// spread (RMS distance from the centroid) for SETTLE.consecutive iterations in a row, or else
// when SETTLE.budget iterations have run (on a graph that keeps oscillating).
import { PPN } from "./matrices";

export const SETTLE = { threshold: 0.002, consecutive: 3, budget: 500 } as const;

export type SettledBy = "displacement" | "budget";

/** Copies the x, y of every node of `nodes` into `into` (2 floats a node). */
export function copyPositions(nodes: Float32Array, into: Float32Array): void {
  for (let i = 0, j = 0; j < nodes.length; i += 2, j += PPN) {
    into[i] = nodes[j]!;
    into[i + 1] = nodes[j + 1]!;
  }
}

/** The mean distance the nodes moved since `before`, over the spread of where they are now. */
export function relativeDisplacement(before: Float32Array, nodes: Float32Array): number {
  const n = nodes.length / PPN;
  if (n === 0) return 0;
  let moved = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = 0; j < nodes.length; i += 2, j += PPN) {
    const x = nodes[j]!;
    const y = nodes[j + 1]!;
    moved += Math.hypot(x - before[i]!, y - before[i + 1]!);
    cx += x;
    cy += y;
  }
  cx /= n;
  cy /= n;
  let square = 0;
  for (let j = 0; j < nodes.length; j += PPN) square += (nodes[j]! - cx) ** 2 + (nodes[j + 1]! - cy) ** 2;
  const spread = Math.sqrt(square / n);
  // A single node (or all at one spot) has nowhere to go.
  return spread === 0 ? 0 : moved / n / spread;
}

/** Counts iterations and says when the layout settles (and by which rule). */
export class SettleTracker {
  iterations = 0;
  private calm = 0;

  observe(relative: number): SettledBy | null {
    this.iterations++;
    this.calm = relative < SETTLE.threshold ? this.calm + 1 : 0;
    if (this.calm >= SETTLE.consecutive) return "displacement";
    if (this.iterations >= SETTLE.budget) return "budget";
    return null;
  }
}
