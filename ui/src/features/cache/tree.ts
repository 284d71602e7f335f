// The namespace tree as the screen shows it, from the scan's flat folder list
// (parents before children, each with its depth): who is whose parent, what
// each row is labelled, and which rows show when some folders are collapsed.
import type { Namespace } from "../../backend";
import { keyIdentity } from "./format";

export interface TreeFolder {
  /** Stable across renders of one scan: the prefix's identity. */
  id: string;
  ns: Namespace;
  /** The index of the parent folder in the list; null for the root. */
  parent: number | null;
  /** Listed subfolders (hidden ones are counted in `ns.hiddenFolders` only). */
  children: number;
  /** The prefix's own segment (`atom:` under `tenant:a:`); the root is `(all keys)`. */
  label: string;
}

export const ROOT_LABEL = "(all keys)";

/** The folders with their parents and labels. `namespaces` must list parents first (the scan does). */
export function buildTree(namespaces: readonly Namespace[]): TreeFolder[] {
  const out: TreeFolder[] = [];
  // The last folder seen at each depth: the parent of the next one a level deeper.
  const lastAt: number[] = [];
  namespaces.forEach((ns, i) => {
    const parent = ns.depth > 0 ? (lastAt[ns.depth - 1] ?? null) : null;
    lastAt[ns.depth] = i;
    lastAt.length = ns.depth + 1;
    const above = parent === null ? "" : namespaces[parent]!.prefix.text;
    const text = ns.prefix.text;
    const label = text === "" ? ROOT_LABEL : text.startsWith(above) && text.length > above.length ? text.slice(above.length) : text;
    if (parent !== null) out[parent]!.children += 1;
    out.push({ id: keyIdentity(ns.prefix), ns, parent, children: 0, label });
  });
  return out;
}

/** The rows shown: every folder whose ancestors are all expanded. */
export function visibleFolders(tree: readonly TreeFolder[], expanded: ReadonlySet<string>): TreeFolder[] {
  const out: TreeFolder[] = [];
  // Folders deeper than this are under a collapsed one.
  let hiddenBelow = Infinity;
  for (const folder of tree) {
    const depth = folder.ns.depth;
    if (depth > hiddenBelow) continue;
    hiddenBelow = Infinity;
    out.push(folder);
    if (folder.children > 0 && !expanded.has(folder.id)) hiddenBelow = depth;
  }
  return out;
}

/**
 * What opens at first: the root, and every folder that is its expanded
 * parent's only subfolder (a tenant's scan opens straight down to the
 * tenant's own folders).
 */
export function initialExpanded(tree: readonly TreeFolder[]): Set<string> {
  const open = new Set<string>();
  tree.forEach((folder) => {
    const parent = folder.parent === null ? null : tree[folder.parent]!;
    if (parent === null || (open.has(parent.id) && parent.children === 1 && parent.ns.hiddenFolders === 0)) {
      open.add(folder.id);
    }
  });
  return open;
}
