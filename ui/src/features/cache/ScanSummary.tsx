import type { KeyScan } from "../../backend";
import { formatCount } from "../../lib/format";
import { folderMemory, plural } from "./format";

/** What the last scan read: keys, folders, their memory, the MATCH pattern sent, nodes and pace. */
export function ScanSummary({ scan }: { scan: KeyScan }) {
  const root = scan.namespaces[0];
  const memory = root ? folderMemory(root, scan.memorySampleEvery) : null;
  return (
    <p className="tt-summary cache-scan-summary" data-testid="cache-scan-summary" role="status">
      <strong data-testid="cache-scan-keys">{plural(scan.keys, "key")}</strong>
      <span>{plural(Math.max(0, scan.namespaces.length - 1), "folder")}</span>
      {memory && (
        <span data-testid="cache-scan-memory" title={memory.title}>
          {memory.text} in memory
          <span className="muted">
            {scan.memorySampleEvery > 1 ? ` (1 key in ${scan.memorySampleEvery.toLocaleString("en-US")} sized)` : " (every key sized)"}
          </span>
        </span>
      )}
      <span>
        MATCH <code className="mono">{scan.pattern}</code>
      </span>
      <span title={scan.nodes.join(", ")}>{plural(scan.nodes.length, "node")}</span>
      <span className="muted">
        COUNT {scan.count.toLocaleString("en-US")}, pause {scan.pauseMs.toLocaleString("en-US")} ms
      </span>
      {scan.duplicates !== "0" && (
        <span className="muted" title="SCAN returned these keys more than once (a rehash); each counts once">
          {formatCount(scan.duplicates)} returned twice
        </span>
      )}
      <span className="muted">{scan.elapsedMs.toLocaleString("en-US")} ms</span>
    </p>
  );
}
