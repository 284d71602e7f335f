// A path as it reads: node, relationship (with the way it points), node, ...
import type { GraphModel } from "./graphModel";

export interface PathStep {
  /** The node reached (the first step's is the start). */
  nodeKey: string;
  caption: string;
  /** The relationship walked to get here (null for the start). */
  edge: { key: string; type: string; forward: boolean; breach: boolean } | null;
}

/** The steps of one path (its relationships' keys in walking order); empty when a part is not drawn. */
export function pathSteps(model: GraphModel, path: readonly string[]): PathStep[] {
  const edges = path.map((k) => model.edges.get(k));
  if (edges.length === 0 || edges.some((e) => !e)) return [];
  const [first, second] = edges as NonNullable<(typeof edges)[number]>[];
  // The start is the end of the first relationship that the second does not touch.
  let at = second && (first!.source === second.source || first!.source === second.target) ? first!.target : first!.source;
  const caption = (key: string) => model.nodes.get(key)?.caption ?? key;
  const steps: PathStep[] = [{ nodeKey: at, caption: caption(at), edge: null }];
  for (const e of edges as NonNullable<(typeof edges)[number]>[]) {
    const forward = e.source === at;
    at = forward ? e.target : e.source;
    steps.push({ nodeKey: at, caption: caption(at), edge: { key: e.key, type: e.type, forward, breach: e.breach } });
  }
  return steps;
}
