import { toBackendError, type ErrorCode, type StoreKind } from "../../backend";
import { ERROR_TITLES } from "../../lib/errors";
import { STORE_LABELS } from "../../lib/stores";

/** A failed store, worded by code only (never by message): "Graph is down". */
export function storeErrorTitle(store: StoreKind, code: ErrorCode): string {
  const label = STORE_LABELS[store];
  switch (code) {
    case "unavailable":
      return `${label} is down`;
    case "timeout":
      return `${label} did not answer in time`;
    case "auth":
      return `${label} rejected the credentials`;
    case "config":
      return `${label} cannot be used with this connection`;
    case "secret":
      return `The ${label} password could not be read from the keychain`;
    default:
      return ERROR_TITLES[code];
  }
}

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
