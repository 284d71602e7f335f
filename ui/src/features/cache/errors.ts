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
