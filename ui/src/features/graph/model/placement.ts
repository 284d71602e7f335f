// Where new nodes appear: next to the drawn node they were reached from, so an expansion grows
// out of the node that was expanded instead of landing anywhere; a set of new nodes joined to
// nothing drawn grows around one of its own, placed apart.
import type { GraphEdge } from "../../../backend";
import { stableFraction } from "./hash";

export interface Point {
  x: number;
  y: number;
}

/**
 * Each new node's anchor: a neighbour (by `edges`) drawn before it, found breadth-first from
 * the nodes already drawn (the expanded `from` nodes first). A new node no drawn node reaches
 * roots its own component (anchor null) and its component grows from it. Insertion order is
 * placement order: an anchor always comes before the nodes anchored to it.
 */
export function placementAnchors(
  fresh: readonly string[],
  edges: readonly GraphEdge[],
  drawn: ReadonlySet<string>,
  from: readonly string[],
): Map<string, string | null> {
  const anchors = new Map<string, string | null>();
  if (fresh.length === 0) return anchors;
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const e of edges) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const isFresh = new Set(fresh);
  const placed = (key: string) => drawn.has(key) || anchors.has(key);
  const grow = (queue: string[]) => {
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i]!;
      for (const next of neighbours.get(at) ?? []) {
        if (!isFresh.has(next) || placed(next)) continue;
        anchors.set(next, at);
        queue.push(next);
      }
    }
  };
  const starts = [...from.filter((k) => drawn.has(k)), ...[...drawn].filter((k) => !from.includes(k) && neighbours.has(k))];
  grow(starts);
  for (const key of fresh) {
    if (placed(key)) continue;
    anchors.set(key, null);
    grow([key]);
  }
  return anchors;
}

/** A spot around `anchor`, at a distance in [0.5, 1) × `spread`, at an angle of the key's own. */
export function positionNear(anchor: Point, key: string, spread: number): Point {
  const angle = stableFraction(`${key}/angle`) * 2 * Math.PI;
  const radius = spread * (0.5 + stableFraction(`${key}/radius`) / 2);
  return { x: anchor.x + Math.cos(angle) * radius, y: anchor.y + Math.sin(angle) * radius };
}

/** A spot for a component root: anywhere in a disc of radius `scale` around the origin. */
export function positionApart(key: string, scale: number): Point {
  return positionNear({ x: 0, y: 0 }, key, scale * 2 * Math.sqrt(stableFraction(`${key}/disc`)) + 1e-6);
}
