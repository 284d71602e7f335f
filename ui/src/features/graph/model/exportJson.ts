// The canvas as a file to keep or share: what the backend answered, merged, nothing of the screen.
import type { GraphModel } from "./graphModel";

export function graphJson(model: GraphModel): string {
  return JSON.stringify(
    {
      tenant: model.tenant,
      nodes: [...model.nodes.values()],
      edges: [...model.edges.values()],
      paths: model.paths,
    },
    null,
    2,
  );
}

/** `graph-<tenant>-<yyyymmdd-hhmmss-mmm>.<ext>`: the backend never saves over a file, so names differ by the ms. */
export function exportFileName(model: GraphModel, ext: "png" | "json", now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").replace(".", "-").slice(0, 19);
  const tenant = (model.tenant ?? "graph").replace(/[^\w-]+/g, "_").slice(0, 40);
  return `graph-${tenant}-${stamp}.${ext}`;
}
