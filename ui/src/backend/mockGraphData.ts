// The mock backend's graph: a few dozen nodes of acme and globex, small enough to reason about
// in tests, with what the graph screen must handle: a supernode (acme's `retention-window-0`,
// 252 relationships), relationships across tenants (isolation breaches), a node of a label no
// profile entity has (`Code`), an unconnected atom (no path), and paths within and across tenants.
import { mockUuid } from "./mockIds";
import type { Tenant } from "./types";

export interface MockGraphNode {
  key: string;
  labels: string[];
  id: string;
  /** The tenant's id (the sandbox profile's `tenantId` property). */
  tenant: string;
  name: string;
}

export interface MockGraphEdge {
  key: string;
  type: string;
  source: string;
  target: string;
}

export interface MockGraph {
  nodes: Map<string, MockGraphNode>;
  edges: MockGraphEdge[];
  /** Each node's relationships, both directions. */
  incident: Map<string, MockGraphEdge[]>;
}

/** Molecules requiring acme's supernode atom. */
export const MOCK_SUPERNODE_MOLECULES = 250;

/** The id a mock graph node gets: deterministic, by tenant slug, label and name. */
export const mockGraphId = (slug: string, label: string, name: string) => mockUuid(`graph/${slug}/${label}/${name}`);

export function buildMockGraph(tenants: Tenant[]): MockGraph {
  const nodes = new Map<string, MockGraphNode>();
  const edges: MockGraphEdge[] = [];
  let nextKey = 1_000;
  const byName = new Map<string, string>();
  const node = (tenant: Tenant, label: string, name: string) => {
    const key = String(nextKey++);
    nodes.set(key, { key, labels: [label], id: mockGraphId(tenant.slug, label, name), tenant: tenant.id, name });
    byName.set(`${tenant.slug}/${name}`, key);
    return key;
  };
  const edge = (source: string, type: string, target: string) => {
    edges.push({ key: String(nextKey++), type, source, target });
  };

  const acme = tenants.find((t) => t.slug === "acme");
  const globex = tenants.find((t) => t.slug === "globex");
  if (acme) {
    const hub = node(acme, "Atom", "retention-window-0");
    const rate = node(acme, "Atom", "retention-rate-1");
    for (let i = 0; i < MOCK_SUPERNODE_MOLECULES; i++) {
      const m = node(acme, "Molecule", `policy-rule-${i}`);
      edge(m, "REQUIRES", hub);
      if (i < 2) edge(hub, "PART_OF", m);
      if (i === 0) edge(rate, "PART_OF", m);
    }
  }
  if (globex) {
    const tax0 = node(globex, "Atom", "tax-limit-0");
    const tax1 = node(globex, "Atom", "tax-limit-1");
    const privacy = node(globex, "Atom", "privacy-region-2");
    node(globex, "Atom", "orphan-limit-3");
    const shared = node(globex, "Atom", "shared-rate-4");
    const refund = node(globex, "Molecule", "refund-exemption-rule-0");
    const gst = node(globex, "Molecule", "gst-policy-rule-1");
    const invoice = node(globex, "Molecule", "invoice-policy-rule-2");
    const code = node(globex, "Code", "src/billing/module_0.go:48");
    edge(tax0, "PART_OF", refund);
    edge(invoice, "REQUIRES", tax0);
    edge(privacy, "PART_OF", refund);
    edge(privacy, "PART_OF", gst);
    edge(tax1, "PART_OF", gst);
    edge(gst, "IMPLEMENTS", code);
    const hub = acme && byName.get("acme/retention-window-0");
    const rule5 = acme && byName.get("acme/policy-rule-5");
    // The planted isolation breaches: globex nodes joined to acme's.
    if (hub) edge(gst, "REQUIRES", hub);
    if (rule5) edge(shared, "PART_OF", rule5);
  }

  const incident = new Map<string, MockGraphEdge[]>();
  for (const e of edges) {
    for (const end of new Set([e.source, e.target])) {
      const list = incident.get(end) ?? [];
      list.push(e);
      incident.set(end, list);
    }
  }
  return { nodes, edges, incident };
}
