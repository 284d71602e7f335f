import { useMemo, useState } from "react";
import type { GraphNode } from "../../../backend";

const MAX_SHOWN = 12;

/** Finds a drawn node by caption or id (among thousands, a canvas cannot be searched by eye). */
export function CanvasLocator({ nodes, onPick }: { nodes: ReadonlyMap<string, GraphNode>; onPick: (key: string) => void }) {
  const [text, setText] = useState("");
  const matches = useMemo(() => {
    const t = text.trim().toLowerCase();
    if (t === "") return [];
    const out: GraphNode[] = [];
    for (const n of nodes.values()) {
      if (n.caption.toLowerCase().includes(t) || n.id?.toLowerCase() === t) out.push(n);
      if (out.length === MAX_SHOWN) break;
    }
    return out;
  }, [nodes, text]);
  return (
    <div className="graph-locator">
      <input
        data-testid="graph-locate-input"
        className="mono"
        placeholder="Find on the canvas: name or id"
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
      />
      {matches.length > 0 && (
        <ul className="graph-locator-list" role="listbox" aria-label="Nodes on the canvas">
          {matches.map((n) => (
            <li key={n.key}>
              <button
                type="button"
                role="option"
                aria-selected={false}
                data-testid="graph-locate-hit"
                data-key={n.key}
                data-id={n.id ?? ""}
                onClick={() => {
                  onPick(n.key);
                  setText("");
                }}
              >
                {n.foreign ? "⚠ " : ""}
                {n.caption}
                <span className="muted"> {n.labels[0] ?? ""}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
