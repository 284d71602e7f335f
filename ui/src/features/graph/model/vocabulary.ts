// The labels and relationship types the filters offer: those seen in the answers so far
// (drawn, or counted by a supernode). The backend checks them against the whole graph.
import type { GraphModel } from "./graphModel";

export function seenNames(model: GraphModel): { labels: string[]; types: string[] } {
  const labels = new Set<string>();
  const types = new Set<string>();
  for (const n of model.nodes.values()) for (const l of n.labels) labels.add(l);
  for (const e of model.edges.values()) types.add(e.type);
  for (const s of model.supernodes.values()) {
    for (const c of s.counts) {
      types.add(c.type);
      for (const l of c.label.split(":")) if (l) labels.add(l);
    }
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
  return { labels: sorted(labels), types: sorted(types) };
}
