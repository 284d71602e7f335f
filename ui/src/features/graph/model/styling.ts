// How nodes and relationships look: a colour per label (the same label, the same colour, in every
// session), size by degree, and the warning style that must stand out whatever the palette:
// another tenant's node and a relationship across tenants (an isolation breach).
import type { GraphEdge, GraphNode } from "../../../backend";
import { stableHash } from "./hash";

/** Label colours: distinct on white, none of them red or amber (kept for warnings and paths). */
export const LABEL_PALETTE = [
  "#2b64d8",
  "#1e9e57",
  "#8e44ad",
  "#0f8b8d",
  "#5c6bc0",
  "#6d8b1e",
  "#b5487a",
  "#3d7ea6",
  "#7a5c3e",
  "#2e7d32",
  "#6a4c93",
  "#00796b",
] as const;
export const WARNING_COLOR = "#d32f2f";
export const PATH_COLOR = "#f59e0b";
export const EDGE_COLOR = "#b8c0cc";
export const NO_LABEL = "(no label)";

/** The label a node is coloured and listed by: its first. */
export const primaryLabel = (node: Pick<GraphNode, "labels">) => node.labels[0] ?? NO_LABEL;

export function labelColor(label: string): string {
  return LABEL_PALETTE[stableHash(label) % LABEL_PALETTE.length]!;
}

/** 3 px for a leaf up to 14 px, logarithmic in the degree (unknown degree: small). */
export function nodeSize(degree: number | null): number {
  if (degree === null) return 4;
  return Math.min(14, 3 + 2.2 * Math.log2(1 + degree));
}

export interface NodeLook {
  color: string;
  size: number;
  label: string;
  /** Drawn above the others. */
  zIndex: number;
  /** Sigma draws the label box of highlighted nodes whatever the zoom. */
  highlighted: boolean;
}

export interface NodeContext {
  onPath: boolean;
  supernode: boolean;
}

export function nodeLook(node: GraphNode, ctx: NodeContext): NodeLook {
  const base = nodeSize(node.degree);
  if (node.foreign) {
    return { color: WARNING_COLOR, size: Math.max(base, 8), label: `⚠ ${node.caption}`, zIndex: 3, highlighted: true };
  }
  return {
    color: ctx.onPath ? PATH_COLOR : labelColor(primaryLabel(node)),
    size: ctx.supernode ? Math.max(base, 12) : base,
    label: ctx.supernode ? `${node.caption} (${node.degree ?? "many"})` : node.caption,
    zIndex: ctx.onPath ? 2 : ctx.supernode ? 1 : 0,
    highlighted: ctx.onPath,
  };
}

export interface EdgeLook {
  color: string;
  size: number;
  label: string;
  zIndex: number;
}

export function edgeLook(edge: GraphEdge, ctx: { onPath: boolean }): EdgeLook {
  if (edge.breach) return { color: WARNING_COLOR, size: 4, label: `⚠ ${edge.type}`, zIndex: 3 };
  if (ctx.onPath) return { color: PATH_COLOR, size: 4, label: edge.type, zIndex: 2 };
  return { color: EDGE_COLOR, size: 1, label: edge.type, zIndex: 0 };
}

export interface LegendEntry {
  label: string;
  color: string;
  count: number;
}

/** The labels drawn, most nodes first, each with its colour (another tenant's nodes apart). */
export function legend(nodes: Iterable<GraphNode>): { labels: LegendEntry[]; foreign: number } {
  const counts = new Map<string, number>();
  let foreign = 0;
  for (const n of nodes) {
    if (n.foreign) foreign++;
    else counts.set(primaryLabel(n), (counts.get(primaryLabel(n)) ?? 0) + 1);
  }
  const labels = [...counts].map(([label, count]) => ({ label, color: labelColor(label), count }));
  labels.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { labels, foreign };
}
