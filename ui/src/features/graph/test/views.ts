// Small hand-made answers for the graph feature's unit tests.
import type { GraphEdge, GraphNode, GraphView } from "../../../backend";

export const T = "tenant-1";

export function node(key: string, over: Partial<GraphNode> = {}): GraphNode {
  return {
    key,
    labels: ["Atom"],
    id: `id-${key}`,
    tenant: T,
    caption: `node ${key}`,
    properties: { id: `id-${key}` },
    foreign: false,
    degree: null,
    entityType: "atom",
    cacheKey: null,
    ...over,
  };
}

export function edge(key: string, source: string, target: string, over: Partial<GraphEdge> = {}): GraphEdge {
  return { key, type: "PART_OF", source, target, properties: {}, breach: false, ...over };
}

export function view(nodes: GraphNode[], edges: GraphEdge[] = [], over: Partial<GraphView> = {}): GraphView {
  return { tenant: T, nodes, edges, paths: [], supernodes: [], truncated: false, notes: [], elapsedMs: 3, ...over };
}
