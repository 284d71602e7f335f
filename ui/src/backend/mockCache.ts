// The cache commands of the mock backend over mockCacheKeyspace.ts, with the
// core's rules: the namespace tree counted like cache/tree.rs, SCAN pages
// with progress and cancel, key pages by a `<node>:<cursor>` token, values a
// page at a time (strings cut at 256 KiB, cells at 4 KiB), and the audit's
// findings worded as cache/audit.rs words them. Memory as cache/scan.rs
// measures it: MEMORY USAGE of one key in `memorySampleEvery` (by a hash of
// the key), each folder's the sampled average times its keys.
import { BackendError } from "./errors";
import { keyId, valueBytes, type MockCacheKey, type MockCacheValue } from "./mockCacheKeyspace";
import { mockCount, sleep } from "./mockIds";
import type {
  BigKey,
  CacheAudit,
  CacheAuditProgress,
  Cell,
  Finding,
  JsonValue,
  KeyEntry,
  KeyPage,
  KeyPageRequest,
  KeyScan,
  KeyValue,
  Namespace,
  ScanProgress,
  ScanRequest,
  Tenant,
  ValueRequest,
  ValueView,
} from "./types";

const DELIMITER = ":";
const MAX_STRING_BYTES = 256 * 1024;
const MAX_CELL_BYTES = 4 * 1024;
/** The profile's keys that must carry a TTL, after the tenant's prefix. */
const TTL_MANDATORY = ["atom:*", "session:*"];
/** The largest sampled keys a scan reports. */
const BIG_KEYS = 20;

/** Where the mock cache runs: its nodes, and the pace of long runs. */
export interface MockCacheContext {
  /** `single node`, or each master's `host:port`. */
  nodes: string[];
  /** Pause before each SCAN page, in ms. Cancelling ends it at once. */
  delayMs: number;
  signal: AbortSignal;
  /** One key in this many is sized with MEMORY USAGE (1: every key). */
  memorySampleEvery: number;
}

/** Escapes MATCH's glob characters so that `literal` matches itself. */
export const escapeGlob = (literal: string) => literal.replace(/[*?[\]\\]/g, "\\$&");

/** A Redis glob (`*`, `?`, `[...]`, `\x`) as a regular expression over the key's text. */
export function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        const body = pattern.slice(i + 1, end);
        re += `[${body.startsWith("^") ? `^${escapeClass(body.slice(1))}` : escapeClass(body)}]`;
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}
const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const escapeClass = (body: string) => body.replace(/[\\\]^]/g, "\\$&");

/** The folders of a key's text (`a:`, `a:b:` for `a:b:c`), at most `maxDepth`. */
function foldersOf(text: string, maxDepth: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (out.length < maxDepth) {
    const at = text.indexOf(DELIMITER, from);
    if (at < 0) break;
    from = at + DELIMITER.length;
    out.push(text.slice(0, from));
  }
  return out;
}

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;
const roundUp8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * What MEMORY USAGE says of a key, near enough to Redis's own sizes: the key
 * and its object, plus each element with its per-element overhead. Null for
 * a key gone since the scan.
 */
export function mockMemoryUsage(key: MockCacheKey): number | null {
  const v = key.value;
  const sum = <T>(items: T[], size: (item: T) => number) => items.reduce((n, item) => n + size(item), 0);
  let body: number;
  switch (v.kind) {
    case "gone":
      return null;
    case "string":
    case "binary":
      body = valueBytes(v) + 16;
      break;
    case "hash":
      body = 64 + sum(v.fields, ([f, x]) => byteLength(f) + byteLength(x) + 24);
      break;
    case "list":
      body = 32 + sum(v.items, (item) => byteLength(item) + 12);
      break;
    case "set":
      body = 64 + sum(v.members, (m) => byteLength(m) + 16);
      break;
    case "zset":
      body = 128 + sum(v.members, ([m]) => byteLength(m) + 32);
      break;
    case "stream":
      body = 600 + sum(v.entries, (e) => 40 + sum(e.fields, ([f, x]) => byteLength(f) + byteLength(x) + 4));
      break;
  }
  const keyBytes = key.name.hex ? key.name.hex.length / 2 : byteLength(key.name.text);
  return roundUp8(56 + keyBytes + body);
}

/** Whether the scan sizes this key: one in `every`, by a hash of the key. */
export const isSampled = (key: MockCacheKey, every: number) => every <= 1 || mockCount(`memory/${keyId(key.name)}`, 0, every) === 0;

/**
 * The namespace tree of `keys`, as cache/tree.rs lists it (parents first,
 * largest siblings first). `sizes` holds the sampled keys' memory (by key
 * text): each folder's is their average times its keys.
 */
export function mockNamespaces(
  keys: string[],
  maxDepth: number,
  maxChildren: number,
  sizes: ReadonlyMap<string, number> = new Map(),
): Namespace[] {
  const counts = new Map<string, number>();
  for (const k of keys) for (const f of foldersOf(k, maxDepth)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const sampled = new Map<string, { keys: number; bytes: number }>();
  for (const [k, bytes] of sizes) {
    for (const f of ["", ...foldersOf(k, maxDepth)]) {
      const t = sampled.get(f) ?? { keys: 0, bytes: 0 };
      sampled.set(f, { keys: t.keys + 1, bytes: t.bytes + bytes });
    }
  }
  const children = new Map<string, [string, number][]>();
  for (const [prefix, n] of counts) {
    const body = prefix.slice(0, -DELIMITER.length);
    const at = body.lastIndexOf(DELIMITER);
    const parent = at < 0 ? "" : prefix.slice(0, at + DELIMITER.length);
    children.set(parent, [...(children.get(parent) ?? []), [prefix, n]]);
  }
  for (const list of children.values()) list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const out: Namespace[] = [];
  const stack: [string, number, number][] = [["", keys.length, 0]];
  while (stack.length > 0) {
    const [prefix, n, depth] = stack.pop()!;
    const subfolders = children.get(prefix) ?? [];
    const inSubfolders = subfolders.reduce((sum, [, k]) => sum + k, 0);
    const sample = sampled.get(prefix);
    out.push({
      prefix: { text: prefix },
      depth,
      keys: String(n),
      ownKeys: String(n - inSubfolders),
      hiddenFolders: Math.max(0, subfolders.length - maxChildren),
      sampledKeys: sample?.keys ?? 0,
      bytes: sample ? String(Math.round((sample.bytes / sample.keys) * n)) : null,
    });
    for (const [child, k] of subfolders.slice(0, maxChildren).reverse()) stack.push([child, k, depth + 1]);
  }
  return out;
}

function nodeOf(key: MockCacheKey, nodes: number): number {
  return nodes > 1 ? mockCount(keyId(key.name), 0, nodes) : 0;
}

/** The tree of the keys matching the request; progress after every page of `count` keys. */
export async function mockCacheScan(
  keys: MockCacheKey[],
  tenantPrefix: string | null,
  request: ScanRequest,
  onProgress: (progress: ScanProgress) => void,
  ctx: MockCacheContext,
): Promise<KeyScan> {
  const started = Date.now();
  const count = request.count ?? 1_000;
  if (count < 1 || count > 100_000) throw new BackendError("invalid_input", `COUNT ${count} is outside 1..=100000`);
  const pauseMs = request.pauseMs ?? 0;
  if (pauseMs > 60_000) throw new BackendError("invalid_input", `a pause of ${pauseMs} ms between pages is more than a minute`);
  if (request.pattern !== null && (request.pattern.length === 0 || request.pattern.length > 1_024)) {
    throw new BackendError("invalid_input", "a key pattern has 1 to 1024 bytes");
  }
  const pattern = (tenantPrefix === null ? "" : escapeGlob(tenantPrefix)) + (request.pattern ?? "*");
  const match = globRegExp(pattern);
  const found: MockCacheKey[] = [];
  const nodes = ctx.nodes.length;
  for (let node = 0; node < nodes; node++) {
    const report = () => onProgress({ keys: String(found.length), node: ctx.nodes[node]!, nodesDone: node, nodes });
    report();
    const onNode = keys.filter((k) => nodeOf(k, nodes) === node);
    for (let from = 0; from < onNode.length; from += count) {
      await sleep(ctx.delayMs + pauseMs, ctx.signal);
      if (ctx.signal.aborted) throw new BackendError("cancelled", "cancelled");
      found.push(...onNode.slice(from, from + count).filter((k) => match.test(k.name.text)));
      report();
    }
  }
  onProgress({ keys: String(found.length), node: ctx.nodes.at(-1) ?? "", nodesDone: nodes, nodes });
  // A key gone since SCAN has no size: it counts as a key, not as a sample.
  const sized = found
    .filter((k) => isSampled(k, ctx.memorySampleEvery))
    .map((k) => ({ key: k, bytes: mockMemoryUsage(k) }))
    .filter((s): s is { key: MockCacheKey; bytes: number } => s.bytes !== null);
  const bigKeys: BigKey[] = [...sized]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, BIG_KEYS)
    .map((s) => ({ key: structuredClone(s.key.name), bytes: String(s.bytes) }));
  return {
    pattern,
    delimiter: DELIMITER,
    nodes: [...ctx.nodes],
    keys: String(found.length),
    duplicates: "0",
    count,
    pauseMs,
    namespaces: mockNamespaces(
      found.map((k) => k.name.text),
      Math.min(Math.max(request.maxDepth ?? 6, 1), 64),
      Math.min(Math.max(request.maxChildren ?? 200, 1), 10_000),
      new Map(sized.map((s) => [s.key.name.text, s.bytes])),
    ),
    memorySampleEvery: ctx.memorySampleEvery,
    bigKeys,
    elapsedMs: Date.now() - started,
  };
}

const entryOf = (k: MockCacheKey): KeyEntry => ({
  key: structuredClone(k.name),
  kind: k.value.kind === "gone" ? "none" : k.value.kind === "binary" ? "string" : k.value.kind,
  ttlMs: k.value.kind === "gone" || k.ttlMs === null ? null : String(k.ttlMs),
});

/** A page of the keys under `request.prefix`; the token is `0:<offset>`. */
export function mockCacheKeys(keys: MockCacheKey[], request: KeyPageRequest): KeyPage {
  const limit = Math.min(Math.max(request.limit ?? 200, 1), 5_000);
  const match = globRegExp(escapeGlob(request.prefix.text) + (request.pattern ?? "*"));
  let offset = 0;
  if (request.after !== null) {
    const m = /^\d+:(\d+)$/.exec(request.after);
    if (!m) throw new BackendError("invalid_input", `${JSON.stringify(request.after)} is not a key page token`);
    offset = Number(m[1]);
  }
  const under = keys.filter((k) => match.test(k.name.text));
  const page = under.slice(offset, offset + limit);
  return { keys: page.map(entryOf), next: offset + limit < under.length ? `0:${offset + limit}` : null };
}

/** One element cut to 4 KiB, with its whole size. */
export function mockCell(text: string): Cell {
  const bytes = encoder.encode(text);
  if (bytes.length <= MAX_CELL_BYTES) return { text, bytes: String(bytes.length), truncated: false };
  const kept = new TextDecoder().decode(bytes.slice(0, MAX_CELL_BYTES)).replace(/\uFFFD$/, "");
  return { text: kept, bytes: String(bytes.length), truncated: true };
}

function lengthOf(value: MockCacheValue): number | null {
  switch (value.kind) {
    case "string":
    case "binary":
      return valueBytes(value);
    case "hash":
      return value.fields.length;
    case "list":
      return value.items.length;
    case "set":
    case "zset":
      return value.members.length;
    case "stream":
      return value.entries.length;
    case "gone":
      return null;
  }
}

function stringView(value: MockCacheValue & { kind: "string" | "binary" }): ValueView {
  const full = valueBytes(value);
  if (value.kind === "binary") {
    return { kind: "string", bytes_shown: full, truncated: false, text: null, json: null, hex: value.hex };
  }
  const truncated = full > MAX_STRING_BYTES;
  // The mock's long values are ASCII: bytes and characters agree.
  const text = truncated ? value.text.slice(0, MAX_STRING_BYTES) : value.text;
  // Like the core: only a whole value that is a JSON object or array.
  let json: JsonValue | null = null;
  if (!truncated) {
    try {
      const parsed = JSON.parse(text) as JsonValue;
      if (typeof parsed === "object" && parsed !== null) json = parsed;
    } catch {
      // Not JSON: the text alone.
    }
  }
  return { kind: "string", bytes_shown: Math.min(full, MAX_STRING_BYTES), truncated, text, json, hex: null };
}

function pageOffset(after: string | null): number {
  if (after === null) return 0;
  if (!/^\d+$/.test(after)) throw new BackendError("invalid_input", `${JSON.stringify(after)} is not a page offset`);
  return Number(after);
}

/** A key's value, a page at a time (`after`: an offset, a cursor or a stream id). */
export function mockCacheValue(keys: MockCacheKey[], request: ValueRequest): KeyValue {
  const limit = Math.min(Math.max(request.limit ?? 100, 1), 1_000);
  const found = keys.find((k) => keyId(k.name) === keyId(request.key));
  if (!found || found.value.kind === "gone") {
    return { key: structuredClone(request.key), kind: "none", ttlMs: null, length: null, memoryBytes: null, value: { kind: "missing" }, next: null };
  }
  // MEMORY USAGE is asked with the first page only.
  const memory = request.after === null ? mockMemoryUsage(found) : null;
  const base = {
    key: structuredClone(request.key),
    ttlMs: found.ttlMs === null ? null : String(found.ttlMs),
    memoryBytes: memory === null ? null : String(memory),
  };
  const v = found.value;
  const length = String(lengthOf(v));
  const page = <T>(items: T[]) => {
    const from = pageOffset(request.after);
    return { from, items: items.slice(from, from + limit), next: from + limit < items.length ? String(from + limit) : null };
  };
  switch (v.kind) {
    case "string":
    case "binary":
      return { ...base, kind: "string", length, value: stringView(v), next: null };
    case "hash": {
      const p = page(v.fields);
      return { ...base, kind: "hash", length, value: { kind: "hash", fields: p.items.map(([f, x]) => [mockCell(f), mockCell(x)]) }, next: p.next };
    }
    case "set": {
      const p = page(v.members);
      return { ...base, kind: "set", length, value: { kind: "set", members: p.items.map(mockCell) }, next: p.next };
    }
    case "list": {
      const p = page(v.items);
      return { ...base, kind: "list", length, value: { kind: "list", offset: String(p.from), items: p.items.map(mockCell) }, next: p.next };
    }
    case "zset": {
      const p = page(v.members);
      const members = p.items.map(([m, score]) => ({ member: mockCell(m), score: String(score) }));
      return { ...base, kind: "zset", length, value: { kind: "zset", offset: String(p.from), members }, next: p.next };
    }
    case "stream": {
      if (request.after !== null && !/^\d+-\d+$/.test(request.after)) {
        throw new BackendError("invalid_input", `${JSON.stringify(request.after)} is not a stream entry id`);
      }
      const from = request.after === null ? 0 : v.entries.findIndex((e) => e.id === request.after) + 1;
      const entries = v.entries.slice(from, from + limit).map((e) => ({ id: e.id, fields: e.fields.map(([f, x]): [Cell, Cell] => [mockCell(f), mockCell(x)]) }));
      const next = entries.length === limit ? entries.at(-1)!.id : null;
      const groups = request.after === null ? structuredClone(v.groups) : [];
      return { ...base, kind: "stream", length, value: { kind: "stream", entries, groups }, next };
    }
  }
}

/** The schema-qualified table of a tenant's atoms, as the core writes it. */
const atomsTable = (tenant: Tenant) => `"${tenant.location.schema}"."atoms"`;

/** The cached value as evidence: its JSON, else its text. */
function cachedJson(value: MockCacheValue): JsonValue {
  if (value.kind !== "string") return null;
  try {
    return JSON.parse(value.text) as JsonValue;
  } catch {
    return value.text;
  }
}

/** The tenant's keys without a mandatory TTL, and its stale and orphaned atom keys. */
export async function mockCacheAudit(
  keys: MockCacheKey[],
  tenant: Tenant,
  prefix: string,
  onProgress: (progress: CacheAuditProgress) => void,
  ctx: MockCacheContext,
): Promise<CacheAudit> {
  const started = Date.now();
  const match = globRegExp(`${escapeGlob(prefix)}*`);
  const mandatory = TTL_MANDATORY.map((p) => globRegExp(escapeGlob(prefix) + p));
  const mine: MockCacheKey[] = [];
  for (let from = 0; from < keys.length; from += 20) {
    await sleep(ctx.delayMs, ctx.signal);
    if (ctx.signal.aborted) throw new BackendError("cancelled", "cancelled");
    mine.push(...keys.slice(from, from + 20).filter((k) => match.test(k.name.text)));
    onProgress({ keysScanned: String(mine.length), checked: "0" });
  }
  const live = mine.filter((k) => k.value.kind !== "gone");
  const needTtl = live.filter((k) => mandatory.some((m) => m.test(k.name.text)));
  const findings: Finding[] = needTtl
    .filter((k) => k.ttlMs === null)
    .map((k) => ({
      kind: "cache_missing_ttl",
      severity: "medium",
      stores: ["redis"],
      subject: k.name.text,
      entityType: null,
      message: "the key has no TTL, and the profile says keys like it must expire",
      evidence: [{ store: "redis", location: k.name.text, value: "no TTL", key: k.name }],
      remedy: "set a TTL on the key (EXPIRE), or delete it so it is cached again with one",
    }));
  const atoms = live.filter((k) => k.atom);
  const table = atomsTable(tenant);
  for (const k of atoms) {
    const planted = k.atom!.planted;
    if (!planted) continue;
    const key = k.name.text;
    const redis = { store: "redis" as const, location: key, value: cachedJson(k.value), key: k.name };
    const postgres = { store: "postgres" as const, location: `${table} id ${k.atom!.id}`, key: null };
    findings.push(
      planted.fault === "orphaned"
        ? {
            kind: "cache_orphaned",
            severity: "medium",
            stores: ["redis", "postgres"],
            subject: k.atom!.id,
            entityType: "atom",
            message: `${key} caches a atom that has no row in ${table}`,
            evidence: [redis, { ...postgres, value: null }],
            remedy: "delete the cache key",
          }
        : {
            kind: "cache_stale",
            severity: "high",
            stores: ["redis", "postgres"],
            subject: k.atom!.id,
            entityType: "atom",
            message: `${key} differs from its row in ${table} (${planted.differing.join(", ")})`,
            evidence: [redis, { ...postgres, value: structuredClone(planted.row) }],
            remedy: "invalidate the cache key so it is read again from the read model",
          },
    );
  }
  onProgress({ keysScanned: String(mine.length), checked: String(atoms.length) });
  return {
    tenant: { id: tenant.id, slug: tenant.slug, tier: tenant.tier },
    prefix,
    keysScanned: String(mine.length),
    ttlChecked: String(needTtl.length),
    entitiesChecked: String(atoms.length),
    findings,
    elapsedMs: Date.now() - started,
  };
}

