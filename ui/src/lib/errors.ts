import { toBackendError, type ErrorCode, type StoreKind } from "../backend";
import { STORE_LABELS } from "./stores";

/** What each error code means to an administrator. Keyed by code only. */
export const ERROR_TITLES: Record<ErrorCode, string> = {
  invalid_input: "Invalid input",
  not_found: "Not found",
  profile: "Profile error",
  config: "Configuration error",
  secret: "Keychain unavailable",
  unavailable: "Store unavailable",
  timeout: "Timed out",
  auth: "Authentication failed",
  read_only: "Blocked by read-only mode",
  cancelled: "Cancelled",
  query: "Query failed",
  internal: "Internal error",
};

/** "Keychain unavailable: <backend message>" and the like. */
export function describeError(error: unknown): { code: ErrorCode; title: string; text: string } {
  const e = toBackendError(error);
  const title = ERROR_TITLES[e.code];
  return { code: e.code, title, text: e.message ? `${title}: ${e.message}` : title };
}

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
