// What the canvas shows: every node and relationship the answers so far brought, each once (by
// key), with the highlighted paths and the supernodes' counts. Answers are merged, never
// replaced, so a graph grows by expansion; an answer about another tenant starts it over.
import type { GraphEdge, GraphNode, GraphView, Supernode } from "../../../backend";
import { placementAnchors } from "./placement";

export interface GraphModel {
  /** The tenant (id) the drawn nodes are judged against: null before the first answer. */
  tenant: string | null;
  nodes: ReadonlyMap<string, GraphNode>;
  edges: ReadonlyMap<string, GraphEdge>;
  /** The last path search's paths, each as its relationships' keys (highlighted). */
  paths: readonly (readonly string[])[];
  /** The latest counts of each supernode met, by node key. */
  supernodes: ReadonlyMap<string, Supernode>;
  /** Bumped by every change, so the canvas knows what it drew. */
  revision: number;
  /** What the last merge added, for the canvas to place and lay out. */
  lastMerge: MergeInfo | null;
}

export interface MergeInfo {
  /** New node → the drawn node it is placed near (null: a component of its own, placed apart). */
  anchors: ReadonlyMap<string, string | null>;
  addedEdges: number;
  /** `performance.now()` when the answer arrived: the layout's settle time counts from it. */
  arrivedAt: number;
}

export const EMPTY_MODEL: GraphModel = {
  tenant: null,
  nodes: new Map(),
  edges: new Map(),
  paths: [],
  supernodes: new Map(),
  revision: 0,
  lastMerge: null,
};

export interface MergeOptions {
  /** The nodes the answer expanded from: its new nodes are placed around them. */
  from?: readonly string[];
  /** A path search: its paths replace the highlighted ones (an empty list clears them). */
  replacePaths?: boolean;
  arrivedAt?: number;
}

export interface MergeResult {
  model: GraphModel;
  addedNodes: number;
  addedEdges: number;
  /** The canvas held another tenant's graph, which was dropped. */
  startedOver: boolean;
}

/** A node met again keeps what it knew (a degree read earlier) unless the new answer knows more. */
function mergeNode(old: GraphNode | undefined, incoming: GraphNode): GraphNode {
  if (!old) return incoming;
  return { ...old, ...incoming, degree: incoming.degree ?? old.degree };
}

export function mergeView(model: GraphModel, view: GraphView, options: MergeOptions = {}): MergeResult {
  const startedOver = model.nodes.size > 0 && view.tenant !== model.tenant;
  const base = startedOver ? EMPTY_MODEL : model;
  const nodes = new Map(base.nodes);
  const fresh: GraphNode[] = [];
  for (const n of view.nodes) {
    if (!nodes.has(n.key)) fresh.push(n);
    nodes.set(n.key, mergeNode(nodes.get(n.key), n));
  }
  const edges = new Map(base.edges);
  let addedEdges = 0;
  for (const e of view.edges) {
    if (!edges.has(e.key)) addedEdges++;
    edges.set(e.key, e);
  }
  const supernodes = new Map(base.supernodes);
  for (const s of view.supernodes) supernodes.set(s.node, s);
  const replacePaths = options.replacePaths || view.paths.length > 0;
  const anchors = placementAnchors(
    fresh.map((n) => n.key),
    view.edges,
    new Set(base.nodes.keys()),
    options.from ?? [],
  );
  return {
    model: {
      tenant: view.tenant,
      nodes,
      edges,
      paths: replacePaths ? view.paths : base.paths,
      supernodes,
      revision: model.revision + 1,
      lastMerge: { anchors, addedEdges, arrivedAt: options.arrivedAt ?? performance.now() },
    },
    addedNodes: fresh.length,
    addedEdges,
    startedOver,
  };
}

/** An empty canvas (the revision still moves on, so the canvas notices). */
export function clearModel(model: GraphModel): GraphModel {
  return { ...EMPTY_MODEL, revision: model.revision + 1 };
}

/** The highlight without any path. */
export function clearPaths(model: GraphModel): GraphModel {
  return { ...model, paths: [], revision: model.revision + 1, lastMerge: null };
}

/** The relationships and nodes on the highlighted paths. */
export function pathMembers(model: GraphModel): { edges: ReadonlySet<string>; nodes: ReadonlySet<string> } {
  const edges = new Set(model.paths.flat());
  const nodes = new Set<string>();
  for (const key of edges) {
    const e = model.edges.get(key);
    if (e) {
      nodes.add(e.source);
      nodes.add(e.target);
    }
  }
  return { edges, nodes };
}

/** The canvas node with this id that is the tenant's own (how a typed id finds its label). */
export function ownNodeById(model: GraphModel, id: string): GraphNode | undefined {
  for (const n of model.nodes.values()) if (n.id === id && !n.foreign) return n;
  return undefined;
}
