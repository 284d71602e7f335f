import { TenantInput } from "../../components/TenantInput";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toBackendError, useBackend, type BackupProgress, type BackupRequest } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { ManifestSummary } from "./ManifestSummary";
import { backupQueryKeys, destinationOrNull } from "./queries";

/**
 * "Back up a tenant": the run with its per-part progress and Cancel, then the
 * manifest it wrote. `onRan` hears the destination a run used, so the catalog
 * can show that folder.
 */
export function BackupForm({ connection, onRan }: { connection: string | null; onRan: (destination: string | null) => void }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [tenant, setTenant] = useState("");
  const [destination, setDestination] = useState("");
  // Leaving the screen cancels a run nobody watches (the hook does it).
  const { run, running, soFar, start, cancel, cancelling } = useCancellableTask(
    async (request: BackupRequest, taskId: string, onProgress: (p: BackupProgress) => void) => {
      const summary = await backend.backupRun(connection!, request, taskId, onProgress);
      // The new backup belongs in every catalog shown.
      void queryClient.invalidateQueries({ queryKey: backupQueryKeys.all() });
      return summary;
    },
  );

  const blocked = connection === null ? "Choose a connection first" : tenant.trim() === "" ? "Fill in the tenant first" : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (blocked !== null || running !== undefined) return;
    const request = { tenant: tenant.trim(), destination: destinationOrNull(destination) };
    onRan(request.destination);
    start(request);
  }

  const code = run.isError ? toBackendError(run.error).code : null;

  return (
    <section className="backup-run" aria-labelledby="backup-run-title">
      <h2 id="backup-run-title">Back up a tenant</h2>
      {connection === null && (
        <p className="muted" data-testid="backup-no-connection">
          Choose a connection first: a backup reads the tenant from its stores.
        </p>
      )}
      <form className="find-form" onSubmit={submit} aria-label="Back up a tenant">
        <TenantInput testId="backup-tenant" value={tenant} onChange={setTenant} />
        <label className="find-field">
          <span className="field-caption">Destination folder</span>
          <input
            data-testid="backup-destination"
            className="mono"
            placeholder="default: backups in the data folder"
            value={destination}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setDestination(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button primary"
          data-testid="backup-run"
          disabled={blocked !== null || running !== undefined}
          title={blocked ?? undefined}
        >
          <Icon name="backups" size={13} />
          Run
        </button>
      </form>
      {running && (
        <p className="export-status" data-testid="backup-progress" role="status" aria-live="polite">
          <span className="detail-refreshing" aria-hidden="true" />
          <span>
            Part <span data-testid="backup-progress-done">{soFar?.partsDone ?? 0}</span> of{" "}
            <span data-testid="backup-progress-parts">{soFar?.parts ?? "…"}</span> done
            {soFar && (
              <>
                {" "}
                · <span data-testid="backup-progress-message">{soFar.message}</span>
              </>
            )}
          </span>
          <CancelTaskButton taskId={running.taskId} cancelling={cancelling} onCancel={cancel} testId="backup-cancel" />
        </p>
      )}
      {code === "cancelled" && (
        <p className="muted" data-testid="backup-cancelled" role="status">
          Backup cancelled; no backup was added.
        </p>
      )}
      {code !== null && code !== "cancelled" && <ErrorMessage error={run.error} testId="backup-error" />}
      {run.isSuccess && <ManifestSummary summary={run.data} />}
    </section>
  );
}
