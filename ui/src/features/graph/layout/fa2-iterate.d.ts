// graphology-layout-forceatlas2 ships no types for its single-iteration function, which the
// layout worker runs itself (to measure how far nodes still move between iterations).
declare module "graphology-layout-forceatlas2/iterate.js" {
  import type { ForceAtlas2Settings } from "graphology-layout-forceatlas2";

  /** One ForceAtlas2 iteration over the node (10 floats a node) and edge (3 a relationship) matrices, in place. */
  export default function iterate(settings: Required<ForceAtlas2Settings>, nodes: Float32Array, edges: Float32Array): void;
}
