import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useBackend, type KeyName, type ScanProgress, type ScanRequest } from "../../backend";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { BigKeys } from "./BigKeys";
import { CacheError } from "./CacheError";
import { cacheError } from "./errors";
import { keyIdentity } from "./format";
import { KeyList } from "./KeyList";
import { NamespaceTree } from "./NamespaceTree";
import { cacheQueryKeys } from "./queries";
import { ScanSummary } from "./ScanSummary";
import { ScanToolbar } from "./ScanToolbar";
import type { TreeFolder } from "./tree";
import { ValueViewer } from "./ValueViewer";

/** Elements per page of a folder's keys and of a value. */
export interface PageSizes {
  keys: number;
  values: number;
}

/**
 * The scan, then three panes: its namespace tree with each folder's memory
 * and the biggest keys, the selected folder's keys, the selected key's value.
 */
export function CacheBrowser({
  connection,
  selectedKey,
  onSelectKey,
  pageSizes,
}: {
  connection: string;
  selectedKey: KeyName | null;
  onSelectKey: (key: KeyName) => void;
  pageSizes: PageSizes;
}) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  // Leaving the screen stops a scan nobody watches.
  const { run, running, soFar, start, cancel, cancelling } = useCancellableTask(
    (v: { request: ScanRequest }, taskId: string, onProgress: (p: ScanProgress) => void) =>
      backend.cacheScan(connection, v.request, taskId, onProgress),
  );
  const [folder, setFolder] = useState<TreeFolder | null>(null);
  // Each scan gets a fresh tree (its folds start over).
  const [scans, setScans] = useState(0);

  function scan(request: ScanRequest) {
    // Listings and values read before this scan are read again when next shown.
    void queryClient.invalidateQueries({ queryKey: cacheQueryKeys.of(connection), refetchType: "none" });
    setFolder(null);
    setScans((n) => n + 1);
    start({ request });
  }

  const result = run.isSuccess ? run.data : null;
  const failure = run.isError ? cacheError(run.error) : null;

  return (
    <div className="cache-browser">
      <ScanToolbar
        running={running?.taskId ?? null}
        progress={soFar}
        cancelling={cancelling}
        onCancel={cancel}
        onScan={scan}
      />
      {failure &&
        (failure.code === "cancelled" ? (
          <p className="muted cache-note" data-testid="cache-scan-cancelled" role="status">
            Scan cancelled.
          </p>
        ) : (
          <CacheError error={run.error} testId="cache-scan-error" />
        ))}
      {result && <ScanSummary scan={result} />}
      <div className="cache-panes">
        <section className="cache-pane cache-tree-pane" aria-label="Namespace tree">
          {result ? (
            <>
              <NamespaceTree
                key={scans}
                namespaces={result.namespaces}
                memorySampleEvery={result.memorySampleEvery}
                selected={folder?.id ?? null}
                onSelect={setFolder}
              />
              <BigKeys
                bigKeys={result.bigKeys}
                delimiter={result.delimiter}
                memorySampleEvery={result.memorySampleEvery} selected={selectedKey} onOpen={onSelectKey} />
            </>
          ) : (
            <p className="muted cache-empty">{running ? "Scanning…" : "Scan to see the key space as a tree of folders."}</p>
          )}
        </section>
        {result && folder ? (
          <KeyList
            key={`${scans}/${folder.id}`}
            connection={connection}
            folder={folder.ns}
            scanPattern={result.pattern}
            selected={selectedKey}
            onSelect={onSelectKey}
            pageSize={pageSizes.keys}
          />
        ) : (
          <section className="cache-pane" aria-label="Keys">
            <p className="muted cache-empty">Select a folder to list its keys.</p>
          </section>
        )}
        {selectedKey ? (
          <ValueViewer key={keyIdentity(selectedKey)} connection={connection} keyName={selectedKey} pageSize={pageSizes.values} />
        ) : (
          <section className="cache-pane" aria-label="Value">
            <p className="muted cache-empty">Select a key to see its value.</p>
          </section>
        )}
      </div>
    </div>
  );
}
