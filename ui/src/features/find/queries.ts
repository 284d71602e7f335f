import { queryOptions } from "@tanstack/react-query";
import type { Backend } from "../../backend";

export interface FindRequest {
  needle: string;
  /** Tenant id or slug to narrow the lookup to; null searches every tenant. */
  tenant: string | null;
}

/** The request the backend gets: trimmed, the tenant null when blank. */
export function buildFindRequest(needle: string, tenant: string): FindRequest {
  const t = tenant.trim();
  return { needle: needle.trim(), tenant: t === "" ? null : t };
}

export const findKeys = {
  all: () => ["find"] as const,
  of: (connection: string, request: FindRequest) => ["find", connection, request] as const,
};

export function findQuery(backend: Backend, connection: string, request: FindRequest) {
  return queryOptions({
    queryKey: findKeys.of(connection, request),
    queryFn: () => backend.find(connection, request.needle, request.tenant),
    // A lookup is a snapshot: asking again (Find, or Enter) always runs it again.
    staleTime: 0,
  });
}
