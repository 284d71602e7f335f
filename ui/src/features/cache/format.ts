import type { KeyName, Namespace } from "../../backend";
import { formatBytes, formatCount } from "../../lib/format";

/** `1 key`, `1,234 keys`; counts may come as decimal strings. */
export function plural(count: number | string, word: string, many = `${word}s`): string {
  const n = typeof count === "number" ? count.toLocaleString("en-US") : formatCount(count);
  return `${n} ${n === "1" ? word : many}`;
}

const UNITS: [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
];

/**
 * A TTL as people read it: `no TTL`, `850 ms`, `12 s`, `5m 12s`, `3d 4h`
 * (the two largest units, a zero second unit left out).
 */
export function formatTtl(ttlMs: string | null): string {
  if (ttlMs === null) return "no TTL";
  const ms = Number(ttlMs);
  if (!Number.isFinite(ms) || ms < 0) return ttlMs;
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.floor(ms / 1_000)} s`;
  const first = UNITS.findIndex(([, size]) => ms >= size);
  const [unit, size] = UNITS[first]!;
  const [nextUnit, nextSize] = UNITS[first + 1]!;
  const rest = Math.floor((ms % size) / nextSize);
  return `${Math.floor(ms / size)}${unit}${rest > 0 ? ` ${rest}${nextUnit}` : ""}`;
}

const LENGTH_WORDS: Record<string, string> = {
  hash: "field",
  list: "item",
  set: "member",
  zset: "member",
  stream: "entry",
};

/** A value's length by its type: a string's bytes, a hash's fields, a stream's entries... */
export function formatLength(kind: string, length: string | null): string | null {
  if (length === null) return null;
  if (kind === "string") return formatBytes(length);
  const word = LENGTH_WORDS[kind];
  if (!word) return formatCount(length);
  return word === "entry" ? plural(length, "entry", "entries") : plural(length, word);
}

/** A key that is not exactly its text (not UTF-8): shown with `\xNN` escapes and marked. */
export const isBinary = (key: KeyName) => Boolean(key.hex);

/** The same key: by its bytes when the backend gave them, else by its text. */
export const sameKey = (a: KeyName | null, b: KeyName | null) =>
  a !== null && b !== null && a.text === b.text && (a.hex ?? null) === (b.hex ?? null);

/** A key's stable identity (for React keys and query keys). */
export const keyIdentity = (key: KeyName) => (key.hex ? `x:${key.hex}` : `t:${key.text}`);

/** A key as listed under its folder: the part after the folder's prefix. */
export function keyInFolder(key: KeyName, folder: KeyName): string {
  return folder.text !== "" && key.text.startsWith(folder.text) && key.text.length > folder.text.length
    ? key.text.slice(folder.text.length)
    : key.text;
}

/** `3 b2 7f …` → hex in groups of two bytes, 16 bytes a line, like a hex viewer. */
export function hexLines(hex: string): string {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    const line = hex.slice(i, i + 32).match(/.{1,4}/g) ?? [];
    lines.push(`${(i / 2).toString(16).padStart(8, "0")}  ${line.join(" ")}`);
  }
  return lines.join("\n");
}

/** A folder's memory as shown: human bytes, `~` before an estimate; null when nothing was sized. */
export interface FolderMemory {
  text: string;
  /** Not every key of the folder was sized (a sample, or keys gone since SCAN). */
  estimated: boolean;
  /** Says how it was measured. */
  title: string;
}

/**
 * A folder's memory from the scan: exact only when every key was sized (the
 * scan sized every key, and each of the folder's keys answered).
 */
export function folderMemory(ns: Namespace, memorySampleEvery: number): FolderMemory | null {
  if (ns.bytes === null) return null;
  const keys = Number(ns.keys);
  const estimated = memorySampleEvery > 1 || ns.sampledKeys < keys;
  const bytes = formatBytes(ns.bytes);
  return {
    text: estimated ? `~${bytes}` : bytes,
    estimated,
    title: estimated
      ? `about ${bytes}: the average of ${plural(ns.sampledKeys, "sized key")} times ${plural(ns.keys, "key")}`
      : `${bytes}: MEMORY USAGE of every key`,
  };
}

/** Seconds left as a clock: `4:00:00`, `14:59`, `0:05`. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** An RFC 3339 time as local `2025-06-01 09:00:00`; anything else as given. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * The longest folder (a prefix ending with the delimiter) every key is in:
 * `tenant:a:` for `tenant:a:atom:1` and `tenant:a:flags`; "" when none.
 */
export function commonFolder(keys: readonly KeyName[], delimiter: string): string {
  if (keys.length === 0 || delimiter === "") return "";
  let common = keys[0]!.text;
  for (const k of keys) {
    let n = 0;
    while (n < common.length && n < k.text.length && common[n] === k.text[n]) n++;
    common = common.slice(0, n);
  }
  const end = common.lastIndexOf(delimiter);
  return end < 0 ? "" : common.slice(0, end + delimiter.length);
}
