import { describe, expect, it } from "vitest";
import type { Namespace } from "../../backend";
import { buildTree, initialExpanded, ROOT_LABEL, visibleFolders } from "./tree";

const ns = (text: string, depth: number, keys: number, hiddenFolders = 0): Namespace => ({
  prefix: { text },
  depth,
  keys: String(keys),
  ownKeys: "0",
  hiddenFolders,
  sampledKeys: 0,
  bytes: null,
});

// As the scan lists them: parents first, depth first, largest siblings first.
const SCAN = [
  ns("", 0, 9),
  ns("t:", 1, 8),
  ns("t:a:", 2, 6),
  ns("t:a:atom:", 3, 4),
  ns("t:a:session:", 3, 2),
  ns("t:b:", 2, 2),
  ns("t:b:atom:", 3, 2),
  ns("config:", 1, 1),
];
const labels = (rows: { label: string }[]) => rows.map((r) => r.label);

describe("namespace tree", () => {
  it("finds each folder's parent and labels it by its own segment", () => {
    const tree = buildTree(SCAN);
    expect(tree.map((f) => f.parent)).toEqual([null, 0, 1, 2, 2, 1, 5, 0]);
    expect(tree.map((f) => f.children)).toEqual([2, 2, 2, 0, 0, 1, 0, 0]);
    expect(labels(tree)).toEqual([ROOT_LABEL, "t:", "a:", "atom:", "session:", "b:", "atom:", "config:"]);
    expect(tree[6]!.id).not.toBe(tree[3]!.id);
  });

  it("hides what is under a collapsed folder", () => {
    const tree = buildTree(SCAN);
    const id = (text: string) => tree.find((f) => f.ns.prefix.text === text)!.id;
    expect(labels(visibleFolders(tree, new Set()))).toEqual([ROOT_LABEL]);
    expect(labels(visibleFolders(tree, new Set([id("")])))).toEqual([ROOT_LABEL, "t:", "config:"]);
    expect(labels(visibleFolders(tree, new Set([id(""), id("t:"), id("t:b:")])))).toEqual([
      ROOT_LABEL,
      "t:",
      "a:",
      "b:",
      "atom:",
      "config:",
    ]);
    // An expanded folder under a collapsed one stays hidden.
    expect(labels(visibleFolders(tree, new Set([id(""), id("t:b:")])))).toEqual([ROOT_LABEL, "t:", "config:"]);
  });

  it("opens the root and every only child under an open folder", () => {
    const tenantScan = [ns("", 0, 6), ns("t:", 1, 6), ns("t:a:", 2, 6), ns("t:a:atom:", 3, 4), ns("t:a:session:", 3, 2)];
    const tree = buildTree(tenantScan);
    expect(labels(visibleFolders(tree, initialExpanded(tree)))).toEqual([ROOT_LABEL, "t:", "a:", "atom:", "session:"]);
    // Two subfolders under the root: only the root opens.
    const wide = buildTree(SCAN);
    expect(labels(visibleFolders(wide, initialExpanded(wide)))).toEqual([ROOT_LABEL, "t:", "config:"]);
    // The only listed subfolder of a folder that hides others is not opened.
    const capped = buildTree([ns("", 0, 5), ns("d:", 1, 5, 3), ns("d:1:", 2, 2), ns("d:1:x:", 3, 2)]);
    expect(labels(visibleFolders(capped, initialExpanded(capped)))).toEqual([ROOT_LABEL, "d:", "1:"]);
  });
});
