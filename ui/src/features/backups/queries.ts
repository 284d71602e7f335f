import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { Backend, BackupRequest, StoreKind } from "../../backend";
import { useBackend } from "../../backend";
import { queryKeys } from "../../lib/queryKeys";

// A catalog is a folder's (or an S3 prefix's, reached through the connection's object storage).
// A run, a verification and a restore all change it, so all invalidate ["backups"].
export const backupQueryKeys = {
  all: () => ["backups"] as const,
  catalog: (connection: string | null, destination: string | null) =>
    ["backups", "catalog", connection, destination] as const,
};

/** The backups of a destination (null: the data folder's), newest first, with the incomplete folders. */
export function catalogQuery(backend: Backend, connection: string | null, destination: string | null) {
  return queryOptions({
    queryKey: backupQueryKeys.catalog(connection, destination),
    queryFn: () => backend.backupList(connection, destination),
  });
}

/** The saved connections (the same list the connection picker reads): which stores each has, and whether it is read-only. */
export function connectionsQuery(backend: Backend) {
  return queryOptions({
    queryKey: queryKeys.connections.list(),
    queryFn: () => backend.listConnections(),
  });
}

/** How long the connection's writes stay unlocked (shared with the cache screen's guarded delete). */
export function writeAccessQuery(backend: Backend, connection: string) {
  return queryOptions({
    queryKey: queryKeys.writeAccess(connection),
    queryFn: () => backend.writeAccess(connection),
    staleTime: 10_000,
  });
}

/** Minutes a restore's unlock lasts unless changed. */
export const UNLOCK_MINUTES = 15;

/** Unlock writes for some minutes; the answer is the new write access. */
export function useUnlockWrites(connection: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (minutes: number) => backend.unlockWrites(connection, minutes),
    onSuccess: (access) => queryClient.setQueryData(queryKeys.writeAccess(connection), access),
  });
}

/** After a guarded write (or its refusal): the catalog, the write log and the write access are read again. */
export function afterGuardedWrite(queryClient: ReturnType<typeof useQueryClient>, connection: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: backupQueryKeys.all() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.writeLog() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.writeAccess(connection) }),
  ]);
}

/** What a run backs up, as chosen in the form. */
export type BackupScopeChoice = { kind: "tenant"; tenant: string } | { kind: "store"; store: StoreKind | "" };

/** The request of a scope choice (exactly one of tenant or store), or why it cannot be sent yet. */
export function buildBackupRequest(
  scope: BackupScopeChoice,
  destination: string,
): { request: BackupRequest } | { blocked: string } {
  const dest = destinationOrNull(destination);
  if (scope.kind === "tenant") {
    const tenant = scope.tenant.trim();
    if (tenant === "") return { blocked: "Fill in the tenant first" };
    return { request: { tenant, store: null, destination: dest } };
  }
  if (scope.store === "") return { blocked: "Choose a store first" };
  return { request: { tenant: null, store: scope.store, destination: dest } };
}

/** A blank destination means the backend's default folder. */
export const destinationOrNull = (value: string): string | null => (value.trim() === "" ? null : value.trim());
