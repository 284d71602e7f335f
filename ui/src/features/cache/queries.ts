import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { Backend, KeyName, KeyPage, KeyValue, ScanRequest } from "../../backend";
import { queryKeys } from "../../lib/queryKeys";

/** Keys one page of a folder asks for (the backend's default; at most 5,000). */
export const KEY_PAGE = 200;
/** Elements one page of a value asks for (the backend's default; at most 1,000). */
export const VALUE_PAGE = 100;

/** How often the write access is asked again while writes are unlocked (the countdown ticks between). */
export const WRITE_ACCESS_REFRESH_MS = 30_000;
const WRITE_ACCESS_STALE_MS = 10_000;

// What the key space holds sits under ["cache", connection]: a new scan drops
// it all at once. Write access and the write log are not the key space's:
// they sit apart, and a scan leaves them be.
export const cacheQueryKeys = {
  of: (connection: string) => ["cache", connection] as const,
  /** Every key listing of the connection (a deletion reads them again). */
  allKeys: (connection: string) => ["cache", connection, "keys"] as const,
  keys: (connection: string, prefix: KeyName, pattern: string | null, limit: number) =>
    ["cache", connection, "keys", prefix.text, prefix.hex ?? null, pattern, limit] as const,
  /** A key's value, whatever its page size. */
  valueOf: (connection: string, key: KeyName) => ["cache", connection, "value", key.text, key.hex ?? null] as const,
  value: (connection: string, key: KeyName, limit: number) =>
    ["cache", connection, "value", key.text, key.hex ?? null, limit] as const,
  // Shared with the backups screen's guarded restores: one unlock state, one write log.
  writeAccess: queryKeys.writeAccess,
  writeLog: queryKeys.writeLog,
};

/** The scan form as typed. */
export interface ScanForm {
  tenant: string;
  pattern: string;
  count: string;
  pauseMs: string;
}

export const DEFAULT_SCAN_FORM: ScanForm = { tenant: "", pattern: "", count: "1000", pauseMs: "0" };

const orNull = (v: string) => (v.trim() === "" ? null : v.trim());

/** A whole number in `[min, max]`, or null when blank; anything else is an error message. */
function whole(value: string, name: string, min: number, max: number): number | null | string {
  const t = value.trim();
  if (t === "") return null;
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) {
    return `${name} is a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`;
  }
  return Number(t);
}

/** The request the backend gets (blank fields take its defaults), or why the form is not valid. */
export function buildScanRequest(form: ScanForm): { request: ScanRequest } | { invalid: string } {
  const count = whole(form.count, "COUNT", 1, 100_000);
  if (typeof count === "string") return { invalid: count };
  const pauseMs = whole(form.pauseMs, "The pause", 0, 60_000);
  if (typeof pauseMs === "string") return { invalid: pauseMs };
  // A pattern keeps its spaces (they are part of the glob) unless it is nothing else.
  const pattern = form.pattern.trim() === "" ? null : form.pattern;
  return { request: { tenant: orNull(form.tenant), pattern, count, pauseMs, maxDepth: null, maxChildren: null } };
}

/** A folder's keys (matching `pattern` after its prefix), page after page over `next`. */
export function folderKeysQuery(backend: Backend, connection: string, prefix: KeyName, pattern: string | null, limit = KEY_PAGE) {
  return infiniteQueryOptions({
    queryKey: cacheQueryKeys.keys(connection, prefix, pattern, limit),
    queryFn: ({ pageParam }): Promise<KeyPage> => backend.cacheKeys(connection, { prefix, pattern, after: pageParam, limit }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: KeyPage) => last.next,
    // A listing is a snapshot: a new scan (or Reload) reads it again.
    staleTime: Infinity,
  });
}

/** A key's value, page after page over `next` (the first page brings type, TTL and length). */
export function keyValueQuery(backend: Backend, connection: string, key: KeyName, limit = VALUE_PAGE) {
  return infiniteQueryOptions({
    queryKey: cacheQueryKeys.value(connection, key, limit),
    queryFn: ({ pageParam }): Promise<KeyValue> => backend.cacheValue(connection, { key, after: pageParam, limit }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: KeyValue) => last.next,
    staleTime: Infinity,
  });
}

/** How long the connection's writes stay unlocked; asked again now and then while they are. */
export function writeAccessQuery(backend: Backend, connection: string) {
  return queryOptions({
    queryKey: cacheQueryKeys.writeAccess(connection),
    queryFn: () => backend.writeAccess(connection),
    // Only this app unlocks its connections: opening another key need not ask again.
    staleTime: WRITE_ACCESS_STALE_MS,
    refetchInterval: (query) => ((query.state.data?.unlockedForSeconds ?? 0) > 0 ? WRITE_ACCESS_REFRESH_MS : false),
  });
}

/** The write log (every connection's writes) and its chain check. */
export function writeLogQuery(backend: Backend) {
  return queryOptions({
    queryKey: cacheQueryKeys.writeLog(),
    queryFn: () => backend.writeLog(),
  });
}

/** Minutes an unlock lasts unless changed, and the backend's bounds. */
export const DEFAULT_UNLOCK_MINUTES = "15";
export const MAX_UNLOCK_MINUTES = 240;

/** The unlock's minutes as typed, or why they are not valid. */
export function unlockMinutes(value: string): { minutes: number } | { invalid: string } {
  const m = whole(value, "Minutes", 1, MAX_UNLOCK_MINUTES);
  if (m === null) return { invalid: `Minutes is a whole number from 1 to ${MAX_UNLOCK_MINUTES}` };
  return typeof m === "string" ? { invalid: m } : { minutes: m };
}
