// The key space of the mock cache: a few tenants' cached atoms (JSON strings
// with a TTL), sessions (hashes), a document's annotations (a hash with a
// field longer than a cell), recent atoms (a sorted set), an update stream
// with consumer groups, rate limits without a TTL, and a few shared keys.
// Planted in acme: a binary key, a 300 KB string (read cut), a key gone
// since the scan. Planted in globex (the sandbox's faulty tenant): a stale
// atom, an orphaned atom and an atom without its mandatory TTL.
import { mockCount, mockUuid } from "./mockIds";
import { mockCachePrefix } from "./mockProfile";
import type { ConsumerGroup, JsonValue, KeyName, Tenant } from "./types";

export type MockCacheValue =
  | { kind: "string"; text: string }
  /** Bytes that are not UTF-8, in hex. */
  | { kind: "binary"; hex: string }
  | { kind: "hash"; fields: [string, string][] }
  | { kind: "list"; items: string[] }
  | { kind: "set"; members: string[] }
  | { kind: "zset"; members: [string, number][] }
  | { kind: "stream"; entries: { id: string; fields: [string, string][] }[]; groups: ConsumerGroup[] }
  /** Counted by the scan, expired before anything else reads it. */
  | { kind: "gone" };

/** What the audit plants on an atom key. */
export type MockCacheFault =
  | { fault: "stale"; row: JsonValue; differing: string[] }
  | { fault: "orphaned" };

export interface MockCacheKey {
  name: KeyName;
  ttlMs: number | null;
  value: MockCacheValue;
  /** The atom a key caches (for the audit). */
  atom?: { id: string; planted?: MockCacheFault };
}

/** Bytes a string value has in Redis (its UTF-8 length, or its hex halved). */
export function valueBytes(value: MockCacheValue & { kind: "string" | "binary" }): number {
  return value.kind === "string" ? new TextEncoder().encode(value.text).length : value.hex.length / 2;
}

/** How a key is found again: by its bytes (hex) when its text is not exactly the key. */
export const keyId = (name: KeyName) => (name.hex ? `x:${name.hex.toLowerCase()}` : `t:${name.text}`);

const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** A key of text and raw bytes, named as the backend names it (`\xNN` escapes plus hex). */
function binaryName(text: string, raw: number[]): KeyName {
  const bytes = [...new TextEncoder().encode(text), ...raw];
  const shown = raw.map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`));
  return { text: text + shown.join(""), hex: toHex(new Uint8Array(bytes)) };
}

/** Cached atoms per tenant, in tenant order (the rest of the tenants have none). */
const ATOMS = [40, 24, 12];
const PERSONAS = ["domain_expert", "developer", "product_owner"];
const BASE_MS = Date.UTC(2025, 4, 1, 8, 0, 0);
/** A bit over 300 KB: more than the 256 KiB a value read keeps. */
export const MOCK_BIG_VALUE_BYTES = 300_000;

export const mockAtomId = (slug: string, i: number) => mockUuid(`cache/${slug}/atom/${i}`);

function atomRow(t: Tenant, i: number, version: number): { [key: string]: JsonValue } {
  return {
    id: mockAtomId(t.slug, i),
    tenant_id: t.id,
    title: `Atom ${i + 1} of ${t.slug}`,
    kind: ["concept", "definition", "fact"][i % 3]!,
    version,
    updated_at: new Date(BASE_MS + i * 3_600_000).toISOString(),
  };
}

/** The long annotation layer: one JSON array of more than 4 KiB (a cut cell). */
function annotationLayer(doc: string, count: number): string {
  const items = Array.from({ length: count }, (_, k) => ({
    id: mockUuid(`${doc}/annotation/${k}`),
    start: k * 40,
    end: k * 40 + 25,
    knowledge_type: "atom",
  }));
  return JSON.stringify(items);
}

function tenantKeys(t: Tenant, n: number): MockCacheKey[] {
  const p = mockCachePrefix(t.id);
  const keys: MockCacheKey[] = [];
  const add = (name: string | KeyName, ttlMs: number | null, value: MockCacheValue, atom?: MockCacheKey["atom"]) =>
    keys.push({ name: typeof name === "string" ? { text: name } : name, ttlMs, value, ...(atom ? { atom } : {}) });
  const faulty = t.slug === "globex";

  const atoms = ATOMS[n] ?? 0;
  for (let i = 0; i < atoms; i++) {
    const id = mockAtomId(t.slug, i);
    const version = 1 + (i % 5);
    let cached = atomRow(t, i, version);
    let planted: MockCacheFault | undefined;
    let ttl: number | null = mockCount(`${id}/ttl`, 60_000, 30 * 86_400_000);
    if (faulty && i === 0) {
      // The cache holds the version before the row's last update.
      cached = { ...atomRow(t, i, version + 1), title: `Atom ${i + 1} of ${t.slug} (draft)`, version };
      planted = { fault: "stale", row: atomRow(t, i, version + 1), differing: ["title", "version"] };
    } else if (faulty && i === 1) {
      planted = { fault: "orphaned" };
    } else if (faulty && i === 2) {
      ttl = null;
    }
    add(`${p}atom:${id}`, ttl, { kind: "string", text: JSON.stringify(cached) }, { id, ...(planted ? { planted } : {}) });
  }
  for (let i = 0; i < 3; i++) {
    const sid = mockUuid(`cache/${t.slug}/session/${i}`);
    add(`${p}session:${sid}`, 1_800_000 - i * 60_000, {
      kind: "hash",
      fields: [
        ["user_id", mockUuid(`${t.slug}/user/${i}`)],
        ["persona", PERSONAS[i % PERSONAS.length]!],
        ["started_at", new Date(BASE_MS + i * 86_400_000).toISOString()],
      ],
    });
  }
  const doc = mockUuid(`cache/${t.slug}/document/0`);
  add(`${p}document:${doc}:annotations`, null, {
    kind: "hash",
    fields: [
      ["layer:atom", annotationLayer(doc, 80)],
      ["layer:molecule", annotationLayer(`${doc}/m`, 2)],
    ],
  });
  if (atoms > 0) {
    add(`${p}recent:atoms`, null, {
      kind: "zset",
      members: Array.from({ length: atoms }, (_, i): [string, number] => [mockAtomId(t.slug, i), (BASE_MS + i * 3_600_000) / 1000]),
    });
  }
  add(`${p}updates:log`, null, {
    kind: "stream",
    entries: Array.from({ length: 12 }, (_, k) => ({
      id: `${BASE_MS + k * 60_000}-0`,
      fields: [
        ["type", k % 3 === 0 ? "atom.created" : "atom.updated"],
        ["aggregate_id", mockAtomId(t.slug, k % Math.max(1, atoms))],
      ],
    })),
    groups: [
      { name: "indexer", consumers: "2", pending: "1", lastDeliveredId: `${BASE_MS + 11 * 60_000}-0` },
      { name: "notifier", consumers: "1", pending: "0", lastDeliveredId: `${BASE_MS + 8 * 60_000}-0` },
    ],
  });
  for (const route of ["atoms", "search"]) {
    add(`${p}ratelimit:${route}`, null, { kind: "string", text: String(mockCount(`${t.slug}/${route}`, 0, 500)) });
  }
  add(`${p}queue:jobs`, null, {
    kind: "list",
    items: Array.from({ length: 5 }, (_, k) => JSON.stringify({ job: "reindex", document: doc, attempt: k + 1 })),
  });
  add(`${p}flags`, null, { kind: "set", members: ["beta-editor", "bulk-export"] });
  if (t.slug === "acme") {
    add(binaryName(`${p}blob:`, [0xff, 0xfe, 0x00, 0x6b]), 86_400_000, { kind: "binary", hex: "89504e470d0a1a0a0000000d49484452" });
    add(`${p}export:last`, 3_600_000, {
      kind: "string",
      text: `{"rows":"${"0123456789abcdef".repeat(Math.ceil(MOCK_BIG_VALUE_BYTES / 16)).slice(0, MOCK_BIG_VALUE_BYTES - 11)}"}`,
    });
    add(`${p}lock:import`, null, { kind: "gone" });
  }
  return keys;
}

/** Every key, tenants first (in `tenants` order), then the shared ones. */
export function mockCacheKeyspace(tenants: Tenant[]): MockCacheKey[] {
  const keys = tenants.slice(0, ATOMS.length).flatMap((t, n) => tenantKeys(t, n));
  keys.push(
    { name: { text: "config:flags" }, ttlMs: null, value: { kind: "hash", fields: [["maintenance", "false"]] } },
    { name: { text: "config:limits:default" }, ttlMs: null, value: { kind: "string", text: '{"rps":50}' } },
    { name: { text: "healthcheck" }, ttlMs: 30_000, value: { kind: "string", text: "ok" } },
  );
  return keys;
}

/** The planted keys, for tests. */
export const mockCacheKeys = {
  atom: (t: Tenant, i: number) => `${mockCachePrefix(t.id)}atom:${mockAtomId(t.slug, i)}`,
  big: (t: Tenant) => `${mockCachePrefix(t.id)}export:last`,
  binary: (t: Tenant) => binaryName(`${mockCachePrefix(t.id)}blob:`, [0xff, 0xfe, 0x00, 0x6b]),
  gone: (t: Tenant) => `${mockCachePrefix(t.id)}lock:import`,
  annotations: (t: Tenant) => `${mockCachePrefix(t.id)}document:${mockUuid(`cache/${t.slug}/document/0`)}:annotations`,
  stream: (t: Tenant) => `${mockCachePrefix(t.id)}updates:log`,
};
