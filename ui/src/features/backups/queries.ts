import { queryOptions } from "@tanstack/react-query";
import type { Backend } from "../../backend";

// The catalog is local files, not a connection's: keyed by destination only.
// A run and a verification both change it, so both invalidate ["backups"].
export const backupQueryKeys = {
  all: () => ["backups"] as const,
  catalog: (destination: string | null) => ["backups", "catalog", destination] as const,
};

/** The backups of a destination (null: the data folder's), newest first, with the incomplete folders. */
export function catalogQuery(backend: Backend, destination: string | null) {
  return queryOptions({
    queryKey: backupQueryKeys.catalog(destination),
    queryFn: () => backend.backupList(destination),
  });
}

/** A blank destination means the backend's default folder. */
export const destinationOrNull = (value: string): string | null => (value.trim() === "" ? null : value.trim());
