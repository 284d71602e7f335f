// The graph as the flat matrices ForceAtlas2 iterates over (graphology-layout-forceatlas2's own
// layout: 10 floats a node, 3 a relationship; a relationship names its ends by their offset), and
// the settings it infers for a graph of that size.
import type { ForceAtlas2Settings } from "graphology-layout-forceatlas2";

/** Floats per node and per relationship in the matrices. */
export const PPN = 10;
export const PPE = 3;

export interface LayoutNode {
  x: number;
  y: number;
  size: number;
}

export interface LayoutMatrices {
  /** The node keys in matrix order (positions come back in that order). */
  order: string[];
  nodes: Float32Array;
  edges: Float32Array;
}

export function buildMatrices(
  nodes: Iterable<[string, LayoutNode]>,
  edges: Iterable<[string, string]>,
): LayoutMatrices {
  const order: string[] = [];
  const index = new Map<string, number>();
  const list = [...nodes];
  const nodeMatrix = new Float32Array(list.length * PPN);
  list.forEach(([key, n], i) => {
    order.push(key);
    index.set(key, i * PPN);
    const j = i * PPN;
    nodeMatrix[j] = n.x;
    nodeMatrix[j + 1] = n.y;
    nodeMatrix[j + 6] = 1; // mass: 1 + the weighted degree, added below
    nodeMatrix[j + 7] = 1; // convergence
    nodeMatrix[j + 8] = n.size;
  });
  const pairs = [...edges].filter(([s, t]) => index.has(s) && index.has(t));
  const edgeMatrix = new Float32Array(pairs.length * PPE);
  pairs.forEach(([s, t], k) => {
    const sj = index.get(s)!;
    const tj = index.get(t)!;
    nodeMatrix[sj + 6] += 1;
    nodeMatrix[tj + 6] += 1;
    edgeMatrix[k * PPE] = sj;
    edgeMatrix[k * PPE + 1] = tj;
    edgeMatrix[k * PPE + 2] = 1;
  });
  return { order, nodes: nodeMatrix, edges: edgeMatrix };
}

/** graphology-layout-forceatlas2's `inferSettings`, complete (the worker wants every field). */
export function fa2Settings(order: number): Required<ForceAtlas2Settings> {
  return {
    linLogMode: false,
    outboundAttractionDistribution: false,
    adjustSizes: false,
    edgeWeightInfluence: 1,
    scalingRatio: order > 2_000 ? 2 : 10,
    strongGravityMode: true,
    gravity: 0.05,
    slowDown: 1 + Math.log(Math.max(order, 1)),
    // Barnes-Hut: n log n repulsion instead of n², for large graphs.
    barnesHutOptimize: order > 2_000,
    barnesHutTheta: 0.5,
  };
}
