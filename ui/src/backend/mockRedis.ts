// The Redis part of the mock console: a small fake keyspace of the sandbox's
// cache keys, the read-only allowlist, and replies as console rows.
import { BackendError } from "./errors";
import { mockCount, mockUuid } from "./mockIds";
import { mockCachePrefix } from "./mockProfile";
import { mockRowCount, mockRowId } from "./mockRows";
import type { Tenant } from "./types";

/** A reply: a value, nil, or a (nested) array. */
export type RedisReply = string | null | RedisReply[];

const READ_COMMANDS = new Set([
  "GET", "MGET", "EXISTS", "TYPE", "TTL", "PTTL", "STRLEN", "HGET", "HGETALL", "HKEYS", "HLEN", "LRANGE",
  "LLEN", "SMEMBERS", "SCARD", "ZRANGE", "ZCARD", "SCAN", "KEYS", "DBSIZE", "INFO", "PING", "ECHO", "TIME",
  "MEMORY", "OBJECT", "XLEN", "XRANGE",
]);
const READ_SUBCOMMANDS: Record<string, string[]> = {
  MEMORY: ["USAGE", "STATS", "DOCTOR"],
  OBJECT: ["ENCODING", "FREQ", "IDLETIME", "REFCOUNT"],
};

/** Splits a command line like redis-cli: whitespace, with "double" and 'single' quotes. */
export function splitCommandLine(text: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    args.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]!));
  }
  if ((text.replace(/\\./g, "").match(/"/g)?.length ?? 0) % 2 === 1) {
    throw new BackendError("invalid_input", "Redis command line: unbalanced quotes");
  }
  return args;
}

export function checkRedisReadOnly(args: string[]): void {
  const name = args[0]?.toUpperCase();
  if (!name) throw new BackendError("invalid_input", "empty Redis command");
  if (!READ_COMMANDS.has(name)) {
    throw new BackendError("read_only", `Redis command ${name} is not allowed in read-only mode`);
  }
  const subs = READ_SUBCOMMANDS[name];
  const sub = args[1]?.toUpperCase() ?? "";
  if (subs && !subs.includes(sub)) {
    throw new BackendError("read_only", `Redis command ${name} ${sub} is not allowed in read-only mode`);
  }
}

interface FakeKey {
  type: "hash" | "string" | "stream";
  ttlMs: number | null;
  value: Record<string, string> | string;
}

/** The keyspace: cached atoms, sessions and the update stream of the given tenants. */
export function mockKeyspace(tenants: Tenant[]): Map<string, FakeKey> {
  const keys = new Map<string, FakeKey>();
  for (const t of tenants) {
    const prefix = mockCachePrefix(t.id);
    const atoms = mockRowCount(t, "atom");
    for (let i = 0; i < atoms; i++) {
      const id = mockRowId(t, "atom", i);
      if (mockCount(`${id}/cached`, 0, 3) === 0) continue;
      keys.set(`${prefix}atom:${id}`, {
        type: "hash",
        ttlMs: mockCount(`${id}/ttl`, 60_000, 2_592_000_000),
        value: { id, title: `atom ${i + 1}`, version: String(mockCount(`${id}/v`, 1, 12)) },
      });
    }
    for (let i = 0; i < mockCount(`${t.id}/sessions`, 2, 9); i++) {
      const sid = mockUuid(`${t.slug}/session/${i}`);
      // Every 4th session lacks the mandatory TTL: a planted fault.
      keys.set(`${prefix}session:${sid}`, { type: "string", ttlMs: i % 4 === 3 ? null : 1_800_000, value: `{"user":"u-${i}"}` });
    }
    keys.set(`${prefix}updates:log`, { type: "stream", ttlMs: null, value: "" });
  }
  return keys;
}

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((a, k) => k > 0 && a.toUpperCase() === name);
  return i > 0 ? args[i + 1] : undefined;
}

/** The reply to an allowed command. */
export function redisReply(args: string[], keys: Map<string, FakeKey>): RedisReply {
  const name = args[0]!.toUpperCase();
  const key = args[1] ?? "";
  const found = keys.get(key);
  switch (name) {
    case "PING":
      return args[1] ?? "PONG";
    case "ECHO":
      return key;
    case "DBSIZE":
      return String(keys.size);
    case "TIME": {
      const now = Date.now();
      return [String(Math.floor(now / 1000)), String((now % 1000) * 1000)];
    }
    case "INFO":
      return `# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n# Keyspace\r\ndb0:keys=${keys.size},expires=${[...keys.values()].filter((k) => k.ttlMs !== null).length}`;
    case "EXISTS":
      return String(args.slice(1).filter((k) => keys.has(k)).length);
    case "TYPE":
      return found?.type ?? "none";
    case "TTL":
    case "PTTL":
      if (!found) return "-2";
      if (found.ttlMs === null) return "-1";
      return String(name === "TTL" ? Math.floor(found.ttlMs / 1000) : found.ttlMs);
    case "GET":
      return found && typeof found.value === "string" ? found.value : null;
    case "MGET":
      return args.slice(1).map((k) => {
        const v = keys.get(k)?.value;
        return typeof v === "string" ? v : null;
      });
    case "HGETALL":
      return found && typeof found.value === "object" ? Object.entries(found.value).flat() : [];
    case "HGET":
      return found && typeof found.value === "object" ? (found.value[args[2] ?? ""] ?? null) : null;
    case "HKEYS":
      return found && typeof found.value === "object" ? Object.keys(found.value) : [];
    case "MEMORY":
      return keys.has(args[2] ?? "") ? String(mockCount(`${args[2]}/mem`, 90, 2_400)) : null;
    case "KEYS": {
      const re = glob(key || "*");
      return [...keys.keys()].filter((k) => re.test(k)).sort();
    }
    case "SCAN": {
      const cursor = Number(key) || 0;
      const count = Math.max(1, Number(option(args, "COUNT") ?? 10) || 10);
      const re = glob(option(args, "MATCH") ?? "*");
      const all = [...keys.keys()];
      const slice = all.slice(cursor, cursor + count).filter((k) => re.test(k));
      const next = cursor + count >= all.length ? 0 : cursor + count;
      return [String(next), slice];
    }
    default:
      return null;
  }
}
