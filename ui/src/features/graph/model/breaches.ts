// Isolation breaches as a list to read: every drawn relationship across tenants with its two
// ends, and every node of another tenant on the canvas.
import type { GraphEdge, GraphNode } from "../../../backend";
import type { GraphModel } from "./graphModel";

export interface Breach {
  edge: GraphEdge;
  source: GraphNode;
  target: GraphNode;
}

export function breaches(model: GraphModel): { edges: Breach[]; foreignNodes: GraphNode[] } {
  const edges: Breach[] = [];
  for (const edge of model.edges.values()) {
    if (!edge.breach) continue;
    const source = model.nodes.get(edge.source);
    const target = model.nodes.get(edge.target);
    if (source && target) edges.push({ edge, source, target });
  }
  const foreignNodes = [...model.nodes.values()].filter((n) => n.foreign);
  return { edges, foreignNodes };
}
