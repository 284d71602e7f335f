// A supernode's neighbours as counts to read instead of thousands of nodes to draw, and its
// paging: the next page is a one-hop expansion of that node alone from `nextSkip`.
import type { NeighbourCount, Supernode } from "../../../backend";

export interface CountGroup {
  name: string;
  count: number;
}

const direction = (c: NeighbourCount) => (c.outgoing ? "outgoing" : "incoming");

/** Neighbour counts summed by relationship type, by direction or by neighbour label, largest first. */
export function countsBy(s: Supernode, by: "type" | "direction" | "label"): CountGroup[] {
  const sums = new Map<string, number>();
  for (const c of s.counts) {
    const name = by === "type" ? c.type : by === "direction" ? direction(c) : c.label || "(no label)";
    sums.set(name, (sums.get(name) ?? 0) + c.count);
  }
  return [...sums].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** "REQUIRES ← Molecule": one row of the counts, read from the supernode's side. */
export function countRowLabel(c: NeighbourCount): string {
  return `${c.type} ${c.outgoing ? "→" : "←"} ${c.label || "(no label)"}`;
}

/** Where it stands: held back by a wide hop (nothing drawn), a page drawn with more left, or done. */
export function pagingState(s: Supernode): "held" | "more" | "done" {
  if (s.nextSkip !== null) return "more";
  return s.shown === 0 ? "held" : "done";
}
