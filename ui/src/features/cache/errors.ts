import { toBackendError, type ErrorCode } from "../../backend";
import { storeErrorTitle } from "../../lib/errors";

// Every cache command talks to Redis, so most failures are about that store;
// worded by code only, never by the message (which follows as the detail).
const CACHE_TITLES: Partial<Record<ErrorCode, string>> = {
  unavailable: "Redis is unavailable",
  invalid_input: "The request was refused",
  profile: "The profile has no usable cache section",
  query: "Redis refused the command",
  cancelled: "Cancelled",
};

export interface CacheFailure {
  code: ErrorCode;
  title: string;
  detail: string;
}

export function cacheError(error: unknown): CacheFailure {
  const e = toBackendError(error);
  return { code: e.code, title: CACHE_TITLES[e.code] ?? storeErrorTitle("redis", e.code), detail: e.message };
}

// A write is refused for reasons of its own, worded apart from the store's.
const WRITE_TITLES: Partial<Record<ErrorCode, string>> = {
  read_only: "Refused: writes are locked or the connection is read-only",
  config: "Refused: the write log is not intact; writes are refused",
};

/** A failed write (unlock, delete): its refusals by code, anything else as {@link cacheError}. */
export function cacheWriteError(error: unknown): CacheFailure {
  const failure = cacheError(error);
  const title = WRITE_TITLES[failure.code];
  return title ? { ...failure, title } : failure;
}
