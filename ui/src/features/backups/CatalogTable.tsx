import { useQuery } from "@tanstack/react-query";
import { useBackend } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { CatalogRow } from "./CatalogRow";
import { newestFirst } from "./format";
import { catalogQuery } from "./queries";

/** The backups of a destination, newest first, and the folders that are not backups (yet). */
export function CatalogTable({ destination, connection }: { destination: string | null; connection: string | null }) {
  const backend = useBackend();
  const catalog = useQuery(catalogQuery(backend, connection, destination));
  return (
    <section className="backup-catalog" data-testid="backup-catalog" aria-labelledby="backup-catalog-title">
      <h2 id="backup-catalog-title">
        Catalog {catalog.data && <span className="mono muted">{catalog.data.destination}</span>}
      </h2>
      {catalog.isPending && <p className="muted">Reading the catalog…</p>}
      {catalog.isError && <ErrorMessage error={catalog.error} testId="backup-error" />}
      {catalog.data && catalog.data.backups.length === 0 && (
        <p className="muted" data-testid="backup-catalog-empty">
          No backups in this folder yet.
        </p>
      )}
      {catalog.data && catalog.data.backups.length > 0 && (
        <table className="mini-table backup-table">
          <thead>
            <tr>
              <th>Backup</th>
              <th>Scope</th>
              <th>Tier</th>
              <th>Finished</th>
              <th>Age</th>
              <th>Size</th>
              <th>Verification</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {newestFirst(catalog.data.backups).map((entry) => (
              <CatalogRow key={entry.id} entry={entry} destination={destination} connection={connection} />
            ))}
          </tbody>
        </table>
      )}
      {catalog.data && catalog.data.incomplete.length > 0 && (
        <div data-testid="backup-incomplete">
          <h3>Incomplete folders</h3>
          {/* Runs that failed or are running: no manifest, so not backups. */}
          <p className="muted">Folders without a manifest (a run that failed, or one still running): not backups.</p>
          <ul>
            {catalog.data.incomplete.map((folder) => (
              <li key={folder} className="mono">
                {folder}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
