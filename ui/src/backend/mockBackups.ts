// The backup commands for the mock backend: an in-memory catalog per
// destination. A run reports its four parts and adds a backup; verifying
// passes, except for one seeded backup whose Redis dump no longer matches its
// manifest (so the UI's failing path can be looked at and tested).
import { BackendError } from "./errors";
import { mockUuid, sleep } from "./mockIds";
import { STORE_KINDS } from "./stores";
import type {
  BackupProgress,
  BackupSummary,
  Catalog,
  CatalogEntry,
  Manifest,
  Part,
  StoreKind,
  Tenant,
  TenantRef,
  Verification,
} from "./types";

export const MOCK_BACKUPS_DIR = "/home/admin/.local/share/storelens/backups";
/** The seeded backup whose verification fails (its Redis dump was edited after the run). */
export const MOCK_CORRUPT_BACKUP = "20260110T020000Z-tenant-globex-c0ffee";
/** The seeded backup that verifies. */
export const MOCK_GOOD_BACKUP = "20260109T020000Z-tenant-acme-5eed01";
export const MOCK_CORRUPT_PROBLEM = "redis/keys.jsonl: SHA-256 differs from the manifest";

const METHODS: Record<StoreKind, string> = {
  postgres: "copy_csv",
  graph: "graph_jsonl",
  redis: "redis_dump",
  objects: "objects_copy",
};

const ref = (t: Tenant): TenantRef => ({ id: t.id, slug: t.slug, tier: t.tier });

function part(store: StoreKind, tenant: TenantRef): Part {
  const file = (name: string, bytes: number) => ({
    path: `${store}/${name}`,
    bytes: String(bytes),
    sha256: mockUuid(`${tenant.slug}/${store}/${name}`).replace(/-/g, "").repeat(2),
  });
  const measures: Record<StoreKind, [string, string][]> = {
    postgres: [["rows of atoms", "400"], ["rows of molecules", "120"]],
    graph: [["nodes", "520"], ["relationships", "1310"]],
    redis: [["keys", "86"]],
    objects: [["objects", "60"]],
  };
  const artifacts: Record<StoreKind, Part["artifacts"]> = {
    postgres: [file("atoms.csv", 48_213), file("molecules.csv", 12_904)],
    graph: [file("nodes.jsonl", 96_120), file("relationships.jsonl", 140_002)],
    redis: [file("keys.jsonl", 21_733)],
    objects: [file("objects/manifest.jsonl", 8_110), file("objects/data.tar", 3_145_728)],
  };
  return {
    store,
    method: METHODS[store],
    artifacts: artifacts[store],
    measures: measures[store].map(([what, count]) => ({ what, count, hash: null })),
    source: `${store} of tenant ${tenant.slug}`,
    elapsedMs: 1_200,
  };
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");

function manifest(id: string, connection: string, tenant: TenantRef, started: Date, finished: Date): Manifest {
  return {
    format: 1,
    id,
    connection,
    profile: "sandbox",
    scope: { tenant, store: null },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    eventPosition: String(4_000 + (tenant.slug.length * 37) % 500),
    parts: STORE_KINDS.map((s) => part(s, tenant)),
    tools: [{ name: "storelens", version: "0.1.0-mock" }],
    servers: [{ name: "PostgreSQL", version: "16.4" }],
  };
}

interface Stored {
  manifest: Manifest;
  path: string;
  verification: Verification | null;
  /** Files that no longer match the manifest, per store. */
  damaged: Partial<Record<StoreKind, string[]>>;
}

export function createMockBackups(tenants: Tenant[], options: { delayMs: number }) {
  /** Per destination folder, its backups by id. */
  const folders = new Map<string, Map<string, Stored>>();
  /** Per destination, the folders of runs in progress (not backups yet). */
  const running = new Map<string, Set<string>>();
  const folder = (dest: string) => folders.get(dest) ?? folders.set(dest, new Map()).get(dest)!;

  function seed(id: string, tenant: Tenant | undefined, at: number, damaged: Stored["damaged"]) {
    if (!tenant) return;
    const m = manifest(id, "alpha", ref(tenant), new Date(at), new Date(at + 95_000));
    folder(MOCK_BACKUPS_DIR).set(id, { manifest: m, path: `${MOCK_BACKUPS_DIR}/${id}`, verification: null, damaged });
  }
  seed(MOCK_GOOD_BACKUP, tenants[0], Date.UTC(2026, 0, 9, 2), {});
  seed(MOCK_CORRUPT_BACKUP, tenants[1], Date.UTC(2026, 0, 10, 2), { redis: [MOCK_CORRUPT_PROBLEM] });

  function destinationOf(destination: string | null): string {
    const dest = destination?.trim() || MOCK_BACKUPS_DIR;
    // The backend takes local folders as absolute paths only.
    if (!dest.startsWith("/")) throw new BackendError("invalid_input", `destination ${dest} is not an absolute path`);
    return dest.replace(/\/+$/, "");
  }

  async function run(
    connection: string,
    tenant: Tenant,
    destination: string | null,
    onProgress: (p: BackupProgress) => void,
    signal: AbortSignal,
  ): Promise<BackupSummary> {
    const dest = destinationOf(destination);
    const started = new Date();
    const id = `${stamp(started)}-tenant-${tenant.slug}-${mockUuid(`${started.getTime()}/${Math.random()}`).slice(0, 6)}`;
    const inProgress = running.get(dest) ?? running.set(dest, new Set()).get(dest)!;
    inProgress.add(id);
    try {
      const parts = STORE_KINDS.length;
      for (const [i, store] of STORE_KINDS.entries()) {
        onProgress({ store, partsDone: i, parts, message: `${METHODS[store]} of ${store}` });
        await sleep(options.delayMs, signal);
        if (signal.aborted) throw new BackendError("cancelled", "backup cancelled");
      }
      onProgress({ store: "objects", partsDone: parts, parts, message: "manifest written" });
      const m = manifest(id, connection, ref(tenant), started, new Date());
      const path = `${dest}/${id}`;
      folder(dest).set(id, { manifest: m, path, verification: null, damaged: {} });
      return { path, manifest: structuredClone(m) };
    } finally {
      inProgress.delete(id);
    }
  }

  function list(destination: string | null): Catalog {
    const dest = destinationOf(destination);
    const now = Date.now();
    const backups: CatalogEntry[] = [...folder(dest).values()]
      .map((b) => ({
        id: b.manifest.id,
        path: b.path,
        scope: b.manifest.scope,
        startedAt: b.manifest.startedAt,
        finishedAt: b.manifest.finishedAt,
        ageSeconds: String(Math.max(0, Math.floor((now - Date.parse(b.manifest.finishedAt)) / 1000))),
        bytes: String(b.manifest.parts.flatMap((p) => p.artifacts).reduce((n, a) => n + Number(a.bytes), 0)),
        eventPosition: b.manifest.eventPosition,
        verification: b.verification,
      }))
      .sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
    return structuredClone({ destination: dest, backups, incomplete: [...(running.get(dest) ?? [])] });
  }

  function verify(id: string, destination: string | null): Verification {
    const b = folder(destinationOf(destination)).get(id);
    if (!b) throw new BackendError("not_found", `no backup ${id}`);
    const parts = b.manifest.parts.map((p) => {
      const problems = b.damaged[p.store] ?? [];
      return { store: p.store, passed: problems.length === 0, files: p.artifacts.length, problems: [...problems] };
    });
    b.verification = { backup: id, checkedAt: new Date().toISOString(), passed: parts.every((p) => p.passed), parts };
    return structuredClone(b.verification);
  }

  return { run, list, verify };
}
