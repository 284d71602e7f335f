// Brings the graphology graph sigma draws in line with the model: new nodes placed next to the
// node they were reached from, gone ones dropped, and every node's and relationship's look
// (label colour, path, supernode, breach) written as sigma's attributes.
import type Graph from "graphology";
import type { GraphModel } from "../model/graphModel";
import { pathMembers } from "../model/graphModel";
import { positionApart, positionNear, type Point } from "../model/placement";
import { edgeLook, nodeLook } from "../model/styling";

/** How far from its anchor a new node appears, in graph units. */
const NEAR = 12;

export interface SyncResult {
  /** Nodes or relationships were added or dropped: the layout must run again. */
  structural: boolean;
}

export function syncGraph(graph: Graph, model: GraphModel): SyncResult {
  let structural = false;
  for (const key of graph.nodes()) {
    if (!model.nodes.has(key)) {
      graph.dropNode(key);
      structural = true;
    }
  }
  for (const key of graph.edges()) {
    if (!model.edges.has(key)) {
      graph.dropEdge(key);
      structural = true;
    }
  }

  const scale = Math.sqrt(graph.order + model.nodes.size) * NEAR;
  const positionOf = (key: string): Point | null =>
    graph.hasNode(key) ? { x: graph.getNodeAttribute(key, "x") as number, y: graph.getNodeAttribute(key, "y") as number } : null;
  const add = (key: string, anchor: string | null) => {
    if (graph.hasNode(key) || !model.nodes.has(key)) return;
    const near = anchor === null ? null : positionOf(anchor);
    const at = near ? positionNear(near, key, NEAR) : positionApart(key, scale);
    graph.addNode(key, { x: at.x, y: at.y, size: 4, color: "#999", label: "" });
    structural = true;
  };
  for (const [key, anchor] of model.lastMerge?.anchors ?? []) add(key, anchor);
  // Anything the merge did not place (a model rebuilt from scratch): apart.
  for (const key of model.nodes.keys()) add(key, null);
  for (const [key, e] of model.edges) {
    if (graph.hasEdge(key) || !graph.hasNode(e.source) || !graph.hasNode(e.target)) continue;
    graph.addDirectedEdgeWithKey(key, e.source, e.target, {});
    structural = true;
  }

  const path = pathMembers(model);
  // The hints name zIndex: sigma then re-indexes what was just added instead of repainting it
  // (without them, sigma 3.0 throws "can't be repaint" for a node or edge it has not indexed yet).
  graph.updateEachNodeAttributes(
    (key, a) => {
      const node = model.nodes.get(key)!;
      const look = nodeLook(node, { onPath: path.nodes.has(key), supernode: model.supernodes.has(key) });
      return { ...a, ...look, entityId: node.id, foreign: node.foreign, onPath: path.nodes.has(key) };
    },
    { attributes: ["color", "size", "label", "zIndex", "highlighted", "entityId", "foreign", "onPath"] },
  );
  graph.updateEachEdgeAttributes(
    (key, a) => {
      const edge = model.edges.get(key)!;
      const look = edgeLook(edge, { onPath: path.edges.has(key) });
      // `type` is sigma's program name: the relationship's type goes by another name.
      return { ...a, ...look, relType: edge.type, breach: edge.breach, onPath: path.edges.has(key) };
    },
    { attributes: ["color", "size", "label", "zIndex", "relType", "breach", "onPath"] },
  );
  return { structural };
}
