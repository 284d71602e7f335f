import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toBackendError, useBackend, type BackupProgress, type CatalogEntry, type TenantRef } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { PartsProgress } from "./PartsProgress";
import { afterGuardedWrite } from "./queries";
import { RestoreCheckView } from "./RestoreCheckView";
import { WritesLocked } from "./WritesLocked";

/**
 * "Restore tenant…": replaces a tenant's live data in every store by the
 * backup's. The user types the tenant's slug to confirm; a locked connection
 * is refused (`read_only`) with the unlock; progress and Cancel while it
 * runs; then the report, part by part, with the write log entries it made.
 */
export function RestoreTenant({
  entry,
  tenant,
  destination,
  connection,
  onClose,
}: {
  entry: CatalogEntry;
  tenant: TenantRef;
  destination: string | null;
  connection: string;
  onClose: () => void;
}) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const restore = useCancellableTask(async (_vars: object, taskId: string, onProgress: (p: BackupProgress) => void) => {
    try {
      return await backend.backupRestore(connection, { id: entry.id, destination }, taskId, onProgress);
    } finally {
      void afterGuardedWrite(queryClient, connection);
    }
  });
  const { run, running } = restore;
  const confirmed = typed.trim() === tenant.slug;
  const code = run.isError ? toBackendError(run.error).code : null;
  const report = run.isSuccess ? run.data : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (confirmed && running === undefined) restore.start({});
  }

  return (
    <section className="backup-restore" data-testid="backup-restore" aria-label={`Restore tenant ${tenant.slug}`}>
      <h3>Restore tenant {tenant.slug}</h3>
      {report === null && (
        <form className="backup-restore-confirm" onSubmit={submit} aria-label="Confirm the restore">
          <p className="confirm">
            <Icon name="alert" size={13} />
            <span>
              This replaces <strong>{tenant.slug}</strong>&apos;s live rows, graph, keys and objects on <strong>{connection}</strong> by
              those of backup <span className="mono">{entry.id}</span> (events the log lacks are added). It needs writes unlocked;
              each store is entered in the write log first. It cannot be undone.
            </span>
          </p>
          <label className="find-field">
            <span className="field-caption">
              Type the tenant&apos;s slug <code className="mono">{tenant.slug}</code> to confirm
            </span>
            <input
              data-testid="backup-restore-slug"
              className="mono"
              value={typed}
              spellCheck={false}
              autoComplete="off"
              disabled={running !== undefined}
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
          <button
            type="submit"
            className="button small danger"
            data-testid="backup-restore-confirm"
            disabled={!confirmed || running !== undefined}
            title={confirmed ? undefined : `Type ${tenant.slug} first`}
          >
            {running !== undefined ? "Restoring…" : "Restore"}
          </button>
          <button type="button" className="button small" data-testid="backup-restore-close" disabled={running !== undefined} onClick={onClose}>
            Close
          </button>
        </form>
      )}
      {running !== undefined && (
        <PartsProgress
          testId="backup-restore-progress"
          label="Restoring"
          taskId={running.taskId}
          soFar={restore.soFar}
          cancelling={restore.cancelling}
          onCancel={restore.cancel}
        />
      )}
      {code === "cancelled" && (
        <p className="muted" data-testid="backup-restore-cancelled" role="status">
          Restore cancelled: parts finished before the cancel may already be restored; look at the tenant before going on.
        </p>
      )}
      {code === "read_only" && (
        <WritesLocked
          connection={connection}
          what="A restore over the tenant's live data"
          testId="backup-restore-locked"
          onRetry={() => restore.start({})}
        />
      )}
      {code !== null && code !== "cancelled" && code !== "read_only" && (
        <ErrorMessage error={run.error} testId="backup-restore-error" />
      )}
      {report && (
        <div className="backup-restore-report" data-testid="backup-restore-report" data-passed={String(report.passed)} role="status">
          <p>
            {report.passed ? <Icon name="check" size={13} /> : <Icon name="alert" size={13} />}{" "}
            {report.passed
              ? `Restored: every part of ${report.tenant.slug} matches the backup's measures.`
              : `Not fully restored: ${report.tenant.slug} differs from the backup (a failing part stops the restore).`}{" "}
            Write log entries:{" "}
            {report.logEntries.map((e, i) => (
              <span key={e.seq}>
                {i > 0 && ", "}
                <strong className="mono" data-testid="backup-restore-log-entry" title={`${e.store} · ${e.action}`}>
                  #{e.seq}
                </strong>
              </span>
            ))}
          </p>
          {report.parts.map((check) => (
            <RestoreCheckView key={check.store} check={check} />
          ))}
          <button type="button" className="button small" data-testid="backup-restore-close" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </section>
  );
}
