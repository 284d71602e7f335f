import { useMemo, useState, type CSSProperties, type KeyboardEvent } from "react";
import type { Namespace } from "../../backend";
import { formatCount } from "../../lib/format";
import { useVirtualRows } from "../../lib/useVirtualRows";
import { folderMemory, plural } from "./format";
import { buildTree, initialExpanded, visibleFolders, type TreeFolder } from "./tree";

/** Row height in px (`.cache-folder` matches). */
export const FOLDER_ROW_HEIGHT = 26;
/** Trees with more rows than this render only the rows in view. */
export const TREE_VIRTUALIZE_ABOVE = 150;
const INDENT = 14;

function FolderRow({
  folder,
  memorySampleEvery,
  expanded,
  selected,
  style,
  onSelect,
  onToggle,
}: {
  folder: TreeFolder;
  memorySampleEvery: number;
  expanded: boolean;
  selected: boolean;
  style: CSSProperties | undefined;
  onSelect: () => void;
  onToggle: () => void;
}) {
  const { ns } = folder;
  const hasChildren = folder.children > 0;
  const memory = folderMemory(ns, memorySampleEvery);
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Enter" || event.key === " ") onSelect();
    else if (event.key === "ArrowRight" && hasChildren && !expanded) onToggle();
    else if (event.key === "ArrowLeft" && expanded) onToggle();
    else return;
    event.preventDefault();
  }
  return (
    <div
      role="treeitem"
      tabIndex={0}
      aria-level={ns.depth + 1}
      aria-expanded={hasChildren ? expanded : undefined}
      aria-selected={selected}
      className={`cache-folder${selected ? " selected" : ""}`}
      data-testid="cache-folder"
      data-prefix={ns.prefix.text}
      data-keys={ns.keys}
      style={{ ...style, paddingLeft: 6 + ns.depth * INDENT }}
      title={`${ns.prefix.text || "every key scanned"}: ${plural(ns.keys, "key")}, ${formatCount(ns.ownKeys)} directly in it${memory ? `; ${memory.title}` : ""}`}
      onClick={onSelect}
      onKeyDown={onKeyDown}
    >
      {hasChildren ? (
        <button
          type="button"
          className="icon-button cache-folder-toggle"
          data-testid="cache-folder-toggle"
          tabIndex={-1}
          aria-label={expanded ? `Collapse ${folder.label}` : `Expand ${folder.label}`}
          onClick={(e) => {
            // Folding a folder is not selecting it.
            e.stopPropagation();
            onToggle();
          }}
        >
          <span className={`cache-chevron${expanded ? " open" : ""}`} aria-hidden="true" />
        </button>
      ) : (
        <span className="cache-folder-toggle" aria-hidden="true" />
      )}
      <span className="mono truncate cache-folder-label">{folder.label}</span>
      <span className="cache-folder-count" data-testid="cache-folder-count">
        {plural(ns.keys, "key")}
      </span>
      <span
        className={`mono cache-folder-memory${memory?.estimated ? " estimated" : ""}`}
        data-testid="cache-folder-memory"
        data-bytes={ns.bytes ?? ""}
        data-estimated={memory ? String(memory.estimated) : undefined}
      >
        {memory?.text ?? "—"}
      </span>
      {ns.hiddenFolders > 0 && (
        <span className="muted cache-folder-hidden" data-testid="cache-folder-hidden">
          +{ns.hiddenFolders.toLocaleString("en-US")} smaller {ns.hiddenFolders === 1 ? "folder" : "folders"}
        </span>
      )}
    </div>
  );
}

/**
 * The scan's folders as a collapsible tree with their key counts and memory
 * (`~` when estimated from a sample). Selecting a
 * folder (click, Enter) opens it too; the chevron (or ←/→) only folds it.
 */
export function NamespaceTree({
  namespaces,
  memorySampleEvery,
  selected,
  onSelect,
}: {
  namespaces: readonly Namespace[];
  /** The scan's: one key in this many was sized (1: every key). */
  memorySampleEvery: number;
  /** The selected folder's id ({@link TreeFolder.id}). */
  selected: string | null;
  onSelect: (folder: TreeFolder) => void;
}) {
  const tree = useMemo(() => buildTree(namespaces), [namespaces]);
  // Reset with each scan: the parent remounts the tree for a new one.
  const [expanded, setExpanded] = useState(() => initialExpanded(tree));
  const rows = useMemo(() => visibleFolders(tree, expanded), [tree, expanded]);
  const { scrollRef, virtual, indexes, bodyStyle, rowStyle } = useVirtualRows({
    count: rows.length,
    rowHeight: FOLDER_ROW_HEIGHT,
    virtualizeAbove: TREE_VIRTUALIZE_ABOVE,
    scrollKey: "",
    getItemKey: (i) => rows[i]!.id,
  });

  const toggle = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  function select(folder: TreeFolder) {
    if (folder.children > 0 && !expanded.has(folder.id)) toggle(folder.id);
    onSelect(folder);
  }

  return (
    <div ref={scrollRef} className="cache-tree" role="tree" aria-label="Namespaces" data-testid="cache-tree" data-rows={rows.length}>
      <div className={`cache-tree-body${virtual ? " virtual" : ""}`} style={bodyStyle}>
        {indexes.map((i) => {
          const folder = rows[i]!;
          return (
            <FolderRow
              key={folder.id}
              folder={folder}
              memorySampleEvery={memorySampleEvery}
              expanded={expanded.has(folder.id)}
              selected={folder.id === selected}
              style={rowStyle(i)}
              onSelect={() => select(folder)}
              onToggle={() => toggle(folder.id)}
            />
          );
        })}
      </div>
    </div>
  );
}
