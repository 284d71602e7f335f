// Guarded writes: the connection's write access with its countdown, unlock
// and lock, and a key's deletion with what it must read again afterwards.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useBackend, type KeyName } from "../../backend";
import { cacheQueryKeys, writeAccessQuery } from "./queries";

/**
 * The connection's write access and the seconds left, counted down between
 * the backend's answers; when the count reaches zero the backend is asked
 * again (it alone says whether writes are still unlocked).
 */
export function useWriteAccess(connection: string) {
  const backend = useBackend();
  const access = useQuery(writeAccessQuery(backend, connection));
  const [now, setNow] = useState(() => Date.now());
  const told = access.data?.unlockedForSeconds ?? 0;
  const since = Math.max(0, Math.floor((now - access.dataUpdatedAt) / 1_000));
  const secondsLeft = Math.max(0, told - since);

  useEffect(() => {
    if (told <= 0) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [told, access.dataUpdatedAt]);

  const { refetch } = access;
  const ranOut = told > 0 && secondsLeft === 0;
  useEffect(() => {
    if (ranOut) void refetch();
  }, [ranOut, refetch]);

  return { access, secondsLeft, unlocked: secondsLeft > 0 };
}

/** Unlock for some minutes; the answer is the new write access. */
export function useUnlockWrites(connection: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (minutes: number) => backend.unlockWrites(connection, minutes),
    onSuccess: (access) => queryClient.setQueryData(cacheQueryKeys.writeAccess(connection), access),
  });
}

/** Lock again at once. */
export function useLockWrites(connection: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => backend.lockWrites(connection),
    onSuccess: (access) => queryClient.setQueryData(cacheQueryKeys.writeAccess(connection), access),
  });
}

/**
 * Deletes one key. Afterwards the key lists and the key's value are read
 * again, and so is the write log (it has the deletion's entry); a refusal
 * reads the write access again (the unlock may have run out).
 */
export function useDeleteKey(connection: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: KeyName) => backend.cacheDelete(connection, [key]),
    onSuccess: async (_deletion, key) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: cacheQueryKeys.allKeys(connection) }),
        queryClient.invalidateQueries({ queryKey: cacheQueryKeys.valueOf(connection, key) }),
        queryClient.invalidateQueries({ queryKey: cacheQueryKeys.writeLog() }),
      ]);
    },
    onError: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: cacheQueryKeys.writeAccess(connection) }),
        queryClient.invalidateQueries({ queryKey: cacheQueryKeys.writeLog() }),
      ]);
    },
  });
}
