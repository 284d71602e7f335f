import { toBackendError, type ErrorCode } from "../../backend";
import { storeErrorTitle } from "../../lib/errors";

export { storeErrorTitle };

// The tenant list and lookups read the tenant table in PostgreSQL, so most
// of their failures are about that store.
const TENANT_TITLES: Partial<Record<ErrorCode, string>> = {
  profile: "The profile does not match the tenant table",
  query: "The tenant query failed",
};

export function tenantError(error: unknown): { code: ErrorCode; title: string; detail: string } {
  const e = toBackendError(error);
  return { code: e.code, title: TENANT_TITLES[e.code] ?? storeErrorTitle("postgres", e.code), detail: e.message };
}

/** A failed rows page: a refused filter value (`invalid_input`) is the usual one. */
export function rowsError(error: unknown): { code: ErrorCode; title: string; detail: string } {
  const failure = tenantError(error);
  if (failure.code === "invalid_input") return { ...failure, title: "The filter was refused" };
  if (failure.code === "query") return { ...failure, title: "The rows query failed" };
  return failure;
}
