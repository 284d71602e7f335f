// Which nodes an expansion may start from, and how a drawn node is named to the backend.
import type { GraphNode, NodeRef } from "../../../backend";

export type Expandability = { ok: true; ref: NodeRef } | { ok: false; reason: string };

export function expandability(node: GraphNode): Expandability {
  if (node.foreign) {
    return {
      ok: false,
      reason: node.tenant
        ? `Another tenant's node (${node.tenant}): traversals stay inside the tenant and never expand it.`
        : "A node without a tenant: traversals stay inside the tenant and never expand it.",
    };
  }
  if (node.id === null) return { ok: false, reason: "The node has no id property to be expanded by." };
  // Its own first label: a node whose label no profile entity has is still found by it.
  return { ok: true, ref: { id: node.id, label: node.labels[0] ?? null } };
}
