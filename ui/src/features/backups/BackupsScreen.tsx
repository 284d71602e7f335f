import { useState } from "react";
import { ScreenHeader } from "../../components/Screen";
import { BackupForm } from "./BackupForm";
import { CatalogTable } from "./CatalogTable";
import "./backups.css";

/** Backups: run a tenant's backup across the four stores, and list and verify the backups of a folder. */
export function BackupsScreen({ connection }: { connection: string | null }) {
  // The catalog shows the folder the last run wrote to (null: the default), so a run's backup is in view.
  const [destination, setDestination] = useState<string | null>(null);
  return (
    <section className="screen backups-screen" data-testid="screen-backups" aria-labelledby="screen-backups-title">
      <ScreenHeader
        id="screen-backups-title"
        title="Backups"
        description="Export a single tenant's data across all four stores into a consistent snapshot, and verify it."
      />
      <BackupForm connection={connection} onRan={setDestination} />
      <CatalogTable destination={destination} />
    </section>
  );
}
