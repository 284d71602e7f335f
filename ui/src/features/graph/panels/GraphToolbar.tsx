import { useEffect, useState } from "react";
import { Icon } from "../../../components/Icon";

/** Counts of what is drawn, and what can be done with all of it: export, copy, clear. */
export function GraphToolbar({
  nodes,
  edges,
  json,
  onExportPng,
  onExportJson,
  onClear,
}: {
  nodes: number;
  edges: number;
  /** The canvas as JSON, for the clipboard (built when asked). */
  json: () => string;
  onExportPng: () => void;
  onExportJson: () => void;
  onClear: () => void;
}) {
  const empty = nodes === 0;
  return (
    <div className="graph-toolbar">
      <strong data-testid="graph-counts" data-nodes={nodes} data-edges={edges}>
        {nodes.toLocaleString("en-US")} {nodes === 1 ? "node" : "nodes"} · {edges.toLocaleString("en-US")}{" "}
        {edges === 1 ? "relationship" : "relationships"}
      </strong>
      <span className="spacer" />
      <button type="button" className="button small" data-testid="graph-export-png" disabled={empty} onClick={onExportPng}>
        <Icon name="download" size={13} /> PNG
      </button>
      <button type="button" className="button small" data-testid="graph-export-json" disabled={empty} onClick={onExportJson}>
        <Icon name="download" size={13} /> JSON
      </button>
      {!empty && <CopyJson json={json} />}
      <button type="button" className="button small" data-testid="graph-clear" disabled={empty} onClick={onClear}>
        Clear
      </button>
    </div>
  );
}

/** Copy JSON: to paste elsewhere without a file. Built on click (it can be megabytes). */
function CopyJson({ json }: { json: () => string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1_500);
    return () => clearTimeout(timer);
  }, [state]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(json());
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return (
    <button type="button" className="button small" data-testid="graph-copy-json" data-state={state} onClick={() => void copy()}>
      <Icon name={state === "copied" ? "check" : "copy"} size={13} />
      {state === "failed" ? "No clipboard" : "Copy JSON"}
    </button>
  );
}
