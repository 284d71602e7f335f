import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import {
  toBackendError,
  useBackend,
  type Backend,
  type BackendError,
  type ConnectionDraft,
  type ConnectionSummary,
  type SecretsInput,
} from "../../backend";
import { queryKeys } from "../../lib/queryKeys";

export function connectionsQuery(backend: Backend) {
  return queryOptions({
    queryKey: queryKeys.connections.list(),
    queryFn: () => backend.listConnections(),
  });
}

/** Details hold only whether each password is stored, never the password. */
export function connectionQuery(backend: Backend, name: string) {
  return queryOptions({
    queryKey: queryKeys.connections.detail(name),
    queryFn: () => backend.getConnection(name),
  });
}

export function appInfoQuery(backend: Backend) {
  return queryOptions({
    queryKey: queryKeys.appInfo(),
    queryFn: () => backend.appInfo(),
    staleTime: Infinity,
  });
}

/**
 * Saves a connection. Deliberately NOT a `useMutation`: TanStack Query keeps
 * a mutation's variables in its MutationCache (and on the hook's result), and
 * these variables contain passwords. Here the secrets live only in the call's
 * arguments and are gone once it returns.
 */
export function useSaveConnection() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);

  const save = useCallback(
    async (draft: ConnectionDraft, secrets: SecretsInput): Promise<ConnectionSummary | null> => {
      setPending(true);
      setError(null);
      try {
        const summary = await backend.saveConnection(draft, secrets);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: queryKeys.connections.all() }),
          queryClient.invalidateQueries({ queryKey: queryKeys.health.of(summary.name) }),
          // The connection may now name another profile.
          queryClient.invalidateQueries({ queryKey: queryKeys.profile(summary.name) }),
        ]);
        return summary;
      } catch (e) {
        setError(toBackendError(e));
        return null;
      } finally {
        setPending(false);
      }
    },
    [backend, queryClient],
  );

  const reset = useCallback(() => setError(null), []);
  return { save, pending, error, reset };
}

export function useDeleteConnection() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => backend.deleteConnection(name),
    onSuccess: async (_data, name) => {
      queryClient.removeQueries({ queryKey: queryKeys.connections.detail(name) });
      queryClient.removeQueries({ queryKey: queryKeys.health.of(name) });
      queryClient.removeQueries({ queryKey: queryKeys.profile(name) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.connections.list() });
    },
  });
}

/** "Test": a health check whose report also feeds the status bar's cache. */
export function useTestConnection() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => backend.checkHealth(name),
    onSuccess: (report, name) => {
      queryClient.setQueryData(queryKeys.health.of(name), report);
    },
  });
}
