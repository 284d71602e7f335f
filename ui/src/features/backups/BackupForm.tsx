import { TenantInput } from "../../components/TenantInput";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { STORE_KINDS, toBackendError, useBackend, type BackupProgress, type BackupRequest, type StoreKind } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { STORE_LABELS } from "../../lib/stores";
import { useCancellableTask } from "../../lib/useCancellableTask";
import { ManifestSummary } from "./ManifestSummary";
import { backupQueryKeys, buildBackupRequest, connectionsQuery } from "./queries";

/**
 * "Back up": a tenant across every store, or one whole store of the
 * connection's; the run with its per-part progress and Cancel, then the
 * manifest it wrote. `onRan` hears the destination a run used, so the catalog
 * can show that folder.
 */
export function BackupForm({ connection, onRan }: { connection: string | null; onRan: (destination: string | null) => void }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<"tenant" | "store">("tenant");
  const [tenant, setTenant] = useState("");
  const [store, setStore] = useState<StoreKind | "">("");
  const connections = useQuery(connectionsQuery(backend));
  const summary = connections.data?.find((c) => c.name === connection);
  // The connection's stores, in the UI's order (a whole-store backup needs the store configured).
  const stores = STORE_KINDS.filter((s) => summary?.stores.includes(s));
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

  // A store chosen for another connection is not this one's choice.
  const chosen = store !== "" && stores.includes(store) ? store : "";
  const built = buildBackupRequest(kind === "tenant" ? { kind, tenant } : { kind, store: chosen }, destination);
  const blocked = connection === null ? "Choose a connection first" : "blocked" in built ? built.blocked : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (blocked !== null || running !== undefined || !("request" in built)) return;
    onRan(built.request.destination);
    start(built.request);
  }

  const code = run.isError ? toBackendError(run.error).code : null;

  return (
    <section className="backup-run" aria-labelledby="backup-run-title">
      <h2 id="backup-run-title">Back up</h2>
      {connection === null && (
        <p className="muted" data-testid="backup-no-connection">
          Choose a connection first: a backup reads the tenant (or the store) from its stores.
        </p>
      )}
      <form className="find-form" onSubmit={submit} aria-label="Back up">
        <fieldset className="backup-scope" data-testid="backup-scope">
          <legend className="field-caption">What</legend>
          <label>
            <input
              type="radio"
              name="backup-scope"
              value="tenant"
              data-testid="backup-scope-tenant"
              checked={kind === "tenant"}
              onChange={() => setKind("tenant")}
            />
            A tenant, across every store
          </label>
          <label>
            <input
              type="radio"
              name="backup-scope"
              value="store"
              data-testid="backup-scope-store"
              checked={kind === "store"}
              onChange={() => setKind("store")}
            />
            A whole store
          </label>
        </fieldset>
        {kind === "tenant" ? (
          <TenantInput testId="backup-tenant" value={tenant} onChange={setTenant} />
        ) : (
          <label className="find-field backup-store">
            <span className="field-caption">Store</span>
            <select data-testid="backup-store" value={chosen} onChange={(e) => setStore(e.target.value as StoreKind | "")}>
              <option value="">Choose a store…</option>
              {stores.map((s) => (
                <option key={s} value={s}>
                  {STORE_LABELS[s]} ({WHOLE_STORE_HOW[s]})
                </option>
              ))}
            </select>
          </label>
        )}
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

/** How a whole store is backed up, as the backend does it. */
const WHOLE_STORE_HOW: Record<StoreKind, string> = {
  postgres: "the database by pg_dump",
  graph: "every node and relationship",
  redis: "a snapshot by BGSAVE",
  objects: "the whole bucket",
};
