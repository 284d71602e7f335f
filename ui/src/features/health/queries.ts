import { queryOptions } from "@tanstack/react-query";
import type { Backend } from "../../backend";
import { queryKeys } from "../../lib/queryKeys";

/** The status bar re-checks the stores this often. */
export const HEALTH_REFRESH_MS = 10_000;

export function healthQuery(backend: Backend, connection: string) {
  return queryOptions({
    queryKey: queryKeys.health.of(connection),
    queryFn: () => backend.checkHealth(connection),
    refetchInterval: HEALTH_REFRESH_MS,
    // A failed check is news for the next tick, not something to hammer.
    retry: false,
  });
}
