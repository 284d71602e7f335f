// The graph commands of the mock backend, over mockGraphData's graph, with the core's rules:
// traversals stay in the tenant (another tenant's neighbours are drawn `foreign`, their
// relationships `breach`, never expanded), supernodes are held back by wide hops and paged one
// node at a time, names must exist in the graph, and the same refusals by code.
import { BackendError } from "./errors";
import type { MockGraph, MockGraphEdge, MockGraphNode } from "./mockGraphData";
import type {
  Direction,
  ExpandRequest,
  GraphEdge,
  GraphNode,
  GraphView,
  NeighbourCount,
  NodeRef,
  PathRequest,
  SearchRequest,
  Supernode,
  Tenant,
} from "./types";

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5_000;
const MAX_HOPS = 4;
const MAX_START = 100;
const DEFAULT_SUPERNODE_DEGREE = 200;
const MAX_PATHS = 50;
const ENTITY_OF_LABEL: Record<string, string> = { Atom: "atom", Molecule: "molecule", Document: "document" };

/** Collects nodes and relationships once each, like the core's ViewBuilder. */
class MockView {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, MockGraphEdge>();
  readonly paths: string[][] = [];
  readonly supernodes: Supernode[] = [];
  truncated = false;
  readonly notes: string[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly graph: MockGraph,
    private readonly tenant: string | null,
  ) {}

  node(key: string): GraphNode {
    let drawn = this.nodes.get(key);
    if (!drawn) {
      const n = this.graph.nodes.get(key)!;
      const entityType = n.labels.map((l) => ENTITY_OF_LABEL[l]).find(Boolean) ?? null;
      drawn = {
        key,
        labels: [...n.labels],
        id: n.id,
        tenant: n.tenant,
        caption: n.name,
        properties: { id: n.id, name: n.name, tenantId: n.tenant },
        foreign: this.tenant !== null && n.tenant !== this.tenant,
        degree: null,
        entityType,
        cacheKey: entityType === "atom" ? `tenant:${n.tenant}:atom:${n.id}` : null,
      };
      this.nodes.set(key, drawn);
    }
    return drawn;
  }

  edge(e: MockGraphEdge) {
    this.edges.set(e.key, e);
  }

  finish(): GraphView {
    const edges: GraphEdge[] = [];
    let breaches = 0;
    for (const e of this.edges.values()) {
      const s = this.nodes.get(e.source);
      const t = this.nodes.get(e.target);
      if (!s || !t) continue;
      const breach = s.tenant !== t.tenant;
      breaches += breach ? 1 : 0;
      edges.push({ key: e.key, type: e.type, source: e.source, target: e.target, properties: {}, breach });
    }
    if (breaches > 0) this.notes.push(`${breaches} relationship(s) join nodes of different tenants (isolation breach)`);
    return {
      tenant: this.tenant,
      nodes: [...this.nodes.values()],
      edges,
      paths: this.paths,
      supernodes: this.supernodes,
      truncated: this.truncated,
      notes: this.notes,
      elapsedMs: Math.max(1, Math.round(performance.now() - this.started)),
    };
  }
}

function labelsOf(graph: MockGraph): Set<string> {
  return new Set([...graph.nodes.values()].flatMap((n) => n.labels));
}

function checkNames(graph: MockGraph, labels: readonly string[], types: readonly string[]) {
  const known = labelsOf(graph);
  const unknownLabel = labels.find((l) => !known.has(l));
  if (unknownLabel !== undefined) throw new BackendError("invalid_input", `the graph has no label ${unknownLabel}`);
  const knownTypes = new Set(graph.edges.map((e) => e.type));
  const unknownType = types.find((t) => !knownTypes.has(t));
  if (unknownType !== undefined) throw new BackendError("invalid_input", `the graph has no relationship type ${unknownType}`);
}

const degreeOf = (graph: MockGraph, key: string) => graph.incident.get(key)?.length ?? 0;

/** The tenant's node a reference names; `not_found` when the tenant has none. */
function resolve(graph: MockGraph, tenant: Tenant, r: NodeRef): MockGraphNode {
  const id = r.id.trim();
  if (id === "" || id.length > 1_024) throw new BackendError("invalid_input", "a node id has 1 to 1024 bytes");
  if (r.label) checkNames(graph, [r.label], []);
  const found = [...graph.nodes.values()].find(
    (n) => n.id === id && n.tenant === tenant.id && (!r.label || n.labels.includes(r.label)),
  );
  if (!found) throw new BackendError("not_found", `tenant ${tenant.slug} has no node with id ${id}`);
  return found;
}

export function mockGraphSearch(graph: MockGraph, tenant: Tenant, request: SearchRequest): GraphView {
  const text = request.text.trim();
  if (text === "" || text.length > 1_024) throw new BackendError("invalid_input", "a search text has 1 to 1024 bytes");
  const limit = request.limit ?? 50;
  if (limit < 1 || limit > 500) throw new BackendError("invalid_input", `a search returns 1 to 500 nodes, not ${limit}`);
  if (request.label) checkNames(graph, [request.label], []);
  const view = new MockView(graph, tenant.id);
  const lower = text.toLowerCase();
  const matches = [...graph.nodes.values()].filter(
    (n) =>
      n.tenant === tenant.id &&
      (!request.label || n.labels.includes(request.label)) &&
      (n.id === text || n.name.toLowerCase().includes(lower)),
  );
  matches.sort((a, b) => Number(b.id === text) - Number(a.id === text));
  for (const n of matches.slice(0, limit)) view.node(n.key).degree = degreeOf(graph, n.key);
  if (matches.length > limit) {
    view.truncated = true;
    view.notes.push(`only the first ${limit} matches are listed`);
  }
  return view.finish();
}

function neighbourCounts(graph: MockGraph, key: string): NeighbourCount[] {
  const counts = new Map<string, NeighbourCount>();
  for (const e of graph.incident.get(key) ?? []) {
    const outgoing = e.source === key;
    const other = graph.nodes.get(outgoing ? e.target : e.source)!;
    const label = other.labels.join(":");
    const id = `${e.type}/${outgoing}/${label}`;
    const c = counts.get(id) ?? { type: e.type, outgoing, label, count: 0 };
    c.count += 1;
    counts.set(id, c);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** The relationships a hop reads from `n`: in the direction, filtered, ordered as the core orders them. */
function hopEdges(graph: MockGraph, n: MockGraphNode, direction: Direction, labels: string[], types: string[]) {
  return (graph.incident.get(n.key) ?? [])
    .filter((e) => {
      if (direction === "outgoing" && e.source !== n.key) return false;
      if (direction === "incoming" && e.target !== n.key) return false;
      if (types.length > 0 && !types.includes(e.type)) return false;
      const m = graph.nodes.get(e.source === n.key ? e.target : e.source)!;
      return labels.length === 0 || m.labels.some((l) => labels.includes(l));
    })
    .map((e) => ({ e, m: graph.nodes.get(e.source === n.key ? e.target : e.source)! }))
    .sort((a, b) => a.e.type.localeCompare(b.e.type) || a.m.id.localeCompare(b.m.id));
}

export function mockGraphExpand(graph: MockGraph, tenant: Tenant, request: ExpandRequest): GraphView {
  const hops = request.hops ?? 1;
  if (hops < 1 || hops > MAX_HOPS) throw new BackendError("invalid_input", `hops is 1 to ${MAX_HOPS}, not ${hops}`);
  const limit = request.limit ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > MAX_LIMIT) {
    throw new BackendError("invalid_input", `the limit per hop is 1 to ${MAX_LIMIT}, not ${limit}`);
  }
  if (request.start.length === 0 || request.start.length > MAX_START) {
    throw new BackendError("invalid_input", `an expansion starts from 1 to ${MAX_START} nodes`);
  }
  const skip = request.skip ?? 0;
  if (skip > 0 && (hops > 1 || request.start.length > 1)) {
    throw new BackendError("invalid_input", "skip pages one node's neighbours: one start node, one hop");
  }
  const labels = request.labels ?? [];
  const types = request.types ?? [];
  checkNames(graph, labels, types);
  const threshold = Math.max(1, request.supernodeDegree ?? DEFAULT_SUPERNODE_DEGREE);
  const direction = request.direction ?? "both";
  const view = new MockView(graph, tenant.id);
  let frontier = request.start.map((r) => resolve(graph, tenant, r));
  for (const n of frontier) view.node(n.key).degree = degreeOf(graph, n.key);
  const reached = new Set(frontier.map((n) => n.key));
  const single = frontier.length === 1;
  for (let hop = 1; hop <= hops && frontier.length > 0; hop++) {
    const paged = hop === 1 && single;
    const wide = frontier.filter((n) => paged || degreeOf(graph, n.key) <= threshold);
    for (const n of frontier.filter((f) => !wide.includes(f))) {
      view.supernodes.push({ node: n.key, degree: degreeOf(graph, n.key), counts: neighbourCounts(graph, n.key), shown: 0, nextSkip: null });
    }
    const all = wide.flatMap((n) => hopEdges(graph, n, direction, labels, types));
    const page = all.slice(skip, skip + limit);
    const more = all.length > skip + limit;
    if (more) view.truncated = true;
    const fresh: MockGraphNode[] = [];
    for (const { e, m } of page) {
      view.edge(e);
      view.node(m.key);
      if (!reached.has(m.key)) {
        reached.add(m.key);
        fresh.push(m);
      }
    }
    if (paged) {
      const n = wide[0]!;
      const degree = degreeOf(graph, n.key);
      if (more || skip > 0 || degree > page.length) {
        view.supernodes.push({
          node: n.key,
          degree,
          counts: neighbourCounts(graph, n.key),
          shown: page.length,
          nextSkip: more ? skip + page.length : null,
        });
      }
    }
    if (more) view.notes.push(`hop ${hop} stopped at ${limit} relationships; more exist`);
    // Another tenant's nodes stay leaves; the rest get their degree read.
    frontier = fresh.filter((m) => m.tenant === tenant.id);
    for (const m of frontier) view.node(m.key).degree = degreeOf(graph, m.key);
  }
  return view.finish();
}

/** Shortest paths by breadth-first search over nodes `allowed` lets through (up to `max` of them). */
function shortestPaths(graph: MockGraph, from: string, to: string, hops: number, allowed: (n: MockGraphNode) => boolean, max: number) {
  // Each node's predecessors on a shortest path from `from`.
  const parents = new Map<string, MockGraphEdge[]>([[from, []]]);
  let layer = [from];
  for (let depth = 0; depth < hops && layer.length > 0 && !parents.has(to); depth++) {
    const next = new Map<string, MockGraphEdge[]>();
    for (const key of layer) {
      for (const e of graph.incident.get(key) ?? []) {
        const other = e.source === key ? e.target : e.source;
        if (parents.has(other) || !allowed(graph.nodes.get(other)!)) continue;
        next.set(other, [...(next.get(other) ?? []), e]);
      }
    }
    for (const [k, es] of next) parents.set(k, es);
    layer = [...next.keys()];
  }
  if (!parents.has(to)) return [];
  const out: MockGraphEdge[][] = [];
  const walk = (key: string, suffix: MockGraphEdge[]) => {
    if (out.length >= max) return;
    if (key === from) return void out.push(suffix);
    for (const e of parents.get(key)!) walk(e.source === key ? e.target : e.source, [e, ...suffix]);
  };
  walk(to, []);
  return out;
}

export function mockGraphPath(graph: MockGraph, tenant: Tenant, request: PathRequest): GraphView {
  const hops = request.maxHops ?? 6;
  if (hops < 1 || hops > 12) throw new BackendError("invalid_input", `a path has 1 to 12 hops, not ${hops}`);
  const view = new MockView(graph, tenant.id);
  const from = resolve(graph, tenant, request.from);
  const to = resolve(graph, tenant, request.to);
  view.node(from.key);
  view.node(to.key);
  if (from.key === to.key) {
    view.notes.push("the two ends are the same node");
    return view.finish();
  }
  const draw = (paths: MockGraphEdge[][]) => {
    for (const p of paths) {
      for (const e of p) {
        view.edge(e);
        view.node(e.source);
        view.node(e.target);
      }
      view.paths.push(p.map((e) => e.key));
    }
  };
  const within = shortestPaths(graph, from.key, to.key, hops, (n) => n.tenant === tenant.id, request.all ? MAX_PATHS : 1);
  draw(within);
  if (within.length === 0) {
    const across = shortestPaths(graph, from.key, to.key, hops, () => true, 1);
    draw(across);
    view.notes.push(
      across.length === 0
        ? `no path of at most ${hops} relationships joins the two nodes`
        : "no path within the tenant; the one drawn passes through another tenant's nodes (isolation breach)",
    );
  }
  return view.finish();
}

/**
 * `MATCH (n)-[r]->(m) WHERE n.tenantId = $tenant RETURN n, r, m LIMIT k`, whatever its exact
 * text: the tenant's outgoing relationships (every tenant's without one) as rows of JSON, and
 * the graph view of the kept rows.
 */
export function mockCypherTriples(graph: MockGraph, tenant: Tenant | null, limit: number, cap: number) {
  const view = new MockView(graph, tenant?.id ?? null);
  const triples = graph.edges.filter((e) => tenant === null || graph.nodes.get(e.source)!.tenant === tenant.id);
  const wanted = triples.slice(0, limit);
  const kept = wanted.slice(0, cap);
  const json = (n: MockGraphNode) => JSON.stringify({ labels: n.labels, properties: { id: n.id, name: n.name, tenantId: n.tenant } });
  const rows = wanted.map((e) => {
    const s = graph.nodes.get(e.source)!;
    const t = graph.nodes.get(e.target)!;
    return [json(s), JSON.stringify({ type: e.type, properties: {} }), json(t)];
  });
  for (const e of kept) {
    view.node(e.source);
    view.node(e.target);
    view.edge(e);
  }
  return { columns: ["n", "r", "m"], rows, graph: kept.length > 0 ? view.finish() : null };
}
