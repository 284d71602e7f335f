import { queryOptions } from "@tanstack/react-query";
import type { Backend } from "../../backend";
import { queryKeys } from "../../lib/queryKeys";

/** The connection's profile: names for the example statements. */
export function profileQuery(backend: Backend, connection: string) {
  return queryOptions({
    queryKey: queryKeys.profile(connection),
    queryFn: () => backend.profileSummary(connection),
    staleTime: 5 * 60_000,
  });
}

/** The tenant the console's tenant field names (id or slug). */
export function consoleTenantQuery(backend: Backend, connection: string, tenant: string) {
  return queryOptions({
    queryKey: ["console", connection, "tenant", tenant] as const,
    queryFn: () => backend.getTenant(connection, tenant),
    staleTime: 60_000,
  });
}
