import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toBackendError, useBackend, type BackupProgress, type CatalogEntry } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatBytes } from "../../lib/format";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { formatAge, verificationState } from "./format";
import { PartsProgress } from "./PartsProgress";
import { afterGuardedWrite, backupQueryKeys } from "./queries";
import { RestoreTenant } from "./RestoreTenant";
import { VerificationResult } from "./VerificationResult";
import { WritesLocked } from "./WritesLocked";

const WRITES = "That writes: the connection must be read-write and its writes unlocked.";
const SCRATCH_HELP =
  "Restores each part into scratch targets (a scratch schema, graph database, Redis index and bucket prefix) and compares " +
  `it with the manifest's counts and content hashes. ${WRITES}`;
const SCRATCH_DATABASE_HELP =
  "Restores the whole database into a scratch database (dropped after) and compares every table's row count and content " +
  `hash with the manifest. ${WRITES}`;
const SCRATCH_GRAPH_HELP =
  "Restores the whole graph into the connection's scratch graph database (emptied after) and compares its nodes and " +
  `relationships, counted and hashed, with the manifest. ${WRITES}`;

/**
 * One backup of the catalog: Verify (checksums, and optionally a restore into
 * scratch targets, with progress and Cancel), "Restore tenant…" for a
 * tenant's backup, and under it what they found.
 */
export function CatalogRow({
  entry,
  destination,
  connection,
}: {
  entry: CatalogEntry;
  destination: string | null;
  connection: string | null;
}) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [alsoRestore, setAlsoRestore] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const verify = useCancellableTask(
    async (vars: { restore: boolean }, taskId: string, onProgress: (p: BackupProgress) => void) => {
      try {
        // Checksums read only files: the backend ignores the connection unless asked to restore.
        return await backend.backupVerify(connection ?? "", { id: entry.id, destination, restore: vars.restore }, taskId, onProgress);
      } finally {
        // The backend records the result (the catalog's state column), and a restore is in the write log.
        if (vars.restore && connection !== null) void afterGuardedWrite(queryClient, connection);
        else void queryClient.invalidateQueries({ queryKey: backupQueryKeys.all() });
      }
    },
  );
  const tenant = entry.scope.tenant;
  const scratchHelp = tenant ? SCRATCH_HELP : entry.scope.store === "graph" ? SCRATCH_GRAPH_HELP : SCRATCH_DATABASE_HELP;
  const state = verificationState(entry);
  const { run, running } = verify;
  const code = run.isError ? toBackendError(run.error).code : null;
  // Of a whole store, only a database and a graph are restored into scratch.
  const restoreBlocked =
    tenant === null && entry.scope.store !== "postgres" && entry.scope.store !== "graph"
      ? "Of a whole store, only a database or a graph is restored into scratch; this one is checked by its checksums"
      : connection === null
        ? "Choose a connection first"
        : null;
  const detail = run.isSuccess || run.isError || running !== undefined || restoring || (alsoRestore && restoreBlocked === null);

  return (
    <>
      <tr data-testid="backup-row" data-id={entry.id}>
        <td className="mono">{entry.id}</td>
        <td data-testid="backup-scope-cell">{tenant ? tenant.slug : entry.scope.store ? `whole ${entry.scope.store}` : "—"}</td>
        <td>{tenant ? tenant.tier : "—"}</td>
        <td title={entry.finishedAt}>{new Date(entry.finishedAt).toLocaleString()}</td>
        <td>{formatAge(entry.ageSeconds)}</td>
        <td title={`${entry.bytes} bytes`}>{formatBytes(entry.bytes)}</td>
        <td data-testid="backup-state" data-state={state}>
          {state}
          {entry.verification?.restored && <span className="muted"> (restored)</span>}
        </td>
        <td className="backup-actions">
          <label className="backup-also-restore" title={restoreBlocked ?? scratchHelp}>
            <input
              type="checkbox"
              data-testid="backup-verify-restore"
              checked={alsoRestore && restoreBlocked === null}
              disabled={restoreBlocked !== null || running !== undefined}
              onChange={(e) => setAlsoRestore(e.target.checked)}
            />
            also restore into scratch targets
          </label>
          <button
            type="button"
            className="button small"
            data-testid="backup-verify"
            disabled={running !== undefined}
            onClick={() => verify.start({ restore: alsoRestore && restoreBlocked === null })}
          >
            {running !== undefined ? "Verifying…" : "Verify"}
          </button>
          {tenant && (
            <button
              type="button"
              className="button small danger-outline"
              data-testid="backup-restore-open"
              disabled={connection === null || restoring}
              title={connection === null ? "Choose a connection first" : `Restore ${tenant.slug}'s live data from this backup`}
              onClick={() => setRestoring(true)}
            >
              Restore tenant…
            </button>
          )}
        </td>
      </tr>
      {detail && (
        <tr className="backup-row-detail" data-testid="backup-row-detail" data-id={entry.id}>
          <td colSpan={8}>
            {alsoRestore && restoreBlocked === null && running === undefined && !run.isSuccess && (
              <p className="muted" data-testid="backup-verify-restore-help">
                {scratchHelp}
              </p>
            )}
            {running !== undefined && (
              <PartsProgress
                testId="backup-verify-progress"
                label={running.restore ? "Restoring into scratch" : "Verifying"}
                taskId={running.taskId}
                soFar={verify.soFar}
                cancelling={verify.cancelling}
                onCancel={verify.cancel}
              />
            )}
            {code === "cancelled" && (
              <p className="muted" data-testid="backup-verify-cancelled" role="status">
                Verification cancelled; no result was recorded.
              </p>
            )}
            {code === "read_only" && connection !== null && (
              <WritesLocked
                connection={connection}
                what="A restore into scratch targets"
                testId="backup-verify-locked"
                onRetry={() => verify.start({ restore: true })}
              />
            )}
            {code !== null && code !== "cancelled" && code !== "read_only" && <ErrorMessage error={run.error} testId="backup-error" />}
            {run.isSuccess && <VerificationResult verification={run.data} />}
            {restoring && tenant && connection !== null && (
              <RestoreTenant
                entry={entry}
                tenant={tenant}
                destination={destination}
                connection={connection}
                onClose={() => setRestoring(false)}
              />
            )}
          </td>
        </tr>
      )}
    </>
  );
}
