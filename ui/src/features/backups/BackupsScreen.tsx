import { useState } from "react";
import { ScreenHeader } from "../../components/Screen";
import { BackupForm } from "./BackupForm";
import { CatalogTable } from "./CatalogTable";
import "./backups.css";

/** Backups: run a tenant's (or a whole store's) backup, list the backups of a folder, verify and restore them. */
export function BackupsScreen({ connection }: { connection: string | null }) {
  // The catalog shows the folder the last run wrote to (null: the default), so a run's backup is in view.
  const [destination, setDestination] = useState<string | null>(null);
  return (
    <section className="screen backups-screen" data-testid="screen-backups" aria-labelledby="screen-backups-title">
      <ScreenHeader
        id="screen-backups-title"
        title="Backups"
        description="Back up a tenant across all four stores (or one whole store) into a consistent snapshot, verify it, restore it into scratch targets or over the tenant's live data."
      />
      <BackupForm connection={connection} onRan={setDestination} />
      <CatalogTable destination={destination} connection={connection} />
    </section>
  );
}
