// The backup commands for the mock backend: an in-memory catalog per
// destination. A run (a tenant's four parts, or one whole store) reports its
// parts and adds a backup; verifying passes, except for one seeded backup
// whose Redis dump no longer matches its manifest (so the UI's failing path
// can be looked at and tested). A restore (into scratch targets, or over the
// tenant's live data) is a guarded write as api/backups.rs has it: writes
// unlocked, entered in the write log first, part by part with progress.
import { BackendError } from "./errors";
import { mockHash, type MockWrites } from "./mockCacheWrites";
import { mockUuid, sleep } from "./mockIds";
import { STORE_KINDS } from "./stores";
import type {
  BackupProgress,
  BackupSummary,
  Catalog,
  CatalogEntry,
  Manifest,
  MeasureCheck,
  Part,
  PartCheck,
  RestoreCheck,
  RestoreReport,
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

/** Measures without a content hash (a restore compares their counts only). */
const UNHASHED = new Set(["relationships"]);

function measure(seed: string, what: string, count: string) {
  return { what, count, hash: UNHASHED.has(what) ? null : mockHash(`${seed}/${what}/${count}`) };
}

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
    measures: measures[store].map(([what, count]) => measure(tenant.slug, what, count)),
    source: `${store} of tenant ${tenant.slug}`,
    elapsedMs: 1_200,
  };
}

/** How a whole store is taken: the database by pg_dump, Redis by BGSAVE, the graph and bucket whole. */
const WHOLE_STORE: Record<StoreKind, { method: string; files: [string, number][]; measures: [string, string][]; source: string }> = {
  postgres: {
    method: "pg_dump_directory",
    files: [["dump/toc.dat", 402_113], ["dump/3412.dat.gz", 9_811_204]],
    measures: [["rows public.events", "10236"], ["rows public.atoms", "400"], ["rows tenant_tyrell.atoms", "120"]],
    source: "database storelens_sandbox",
  },
  graph: {
    method: "graph_jsonl",
    files: [["nodes.jsonl", 24_120_775], ["relationships.jsonl", 51_300_410]],
    measures: [["nodes", "131072"], ["relationships", "327680"]],
    source: "the whole graph",
  },
  redis: {
    method: "redis_bgsave",
    files: [["dump.rdb", 7_340_032]],
    measures: [["keys", "21500"]],
    source: "Redis (RDB at /var/lib/redis/dump.rdb)",
  },
  objects: {
    method: "objects_copy",
    files: [["objects/index.jsonl", 1_204_331], ["objects/data.tar", 268_435_456]],
    measures: [["objects", "15000"]],
    source: "bucket knowledge-os",
  },
};

function wholeStorePart(store: StoreKind): Part {
  const w = WHOLE_STORE[store];
  return {
    store,
    method: w.method,
    artifacts: w.files.map(([name, bytes]) => ({
      path: `${store}/${name}`,
      bytes: String(bytes),
      sha256: mockUuid(`store/${store}/${name}`).replace(/-/g, "").repeat(2),
    })),
    measures: w.measures.map(([what, count]) => measure(`store/${store}`, what, count)),
    source: w.source,
    elapsedMs: 4_800,
  };
}

/** What a run backs up: a tenant in every store, or one whole store. */
export type MockBackupScope = { tenant: Tenant } | { store: StoreKind };

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");

function manifest(id: string, connection: string, scope: MockBackupScope, started: Date, finished: Date): Manifest {
  const tenant = "tenant" in scope ? ref(scope.tenant) : null;
  return {
    format: 1,
    id,
    connection,
    profile: "sandbox",
    scope: { tenant, store: "store" in scope ? scope.store : null },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    eventPosition: tenant ? String(4_000 + (tenant.slug.length * 37) % 500) : null,
    parts: tenant ? STORE_KINDS.map((s) => part(s, tenant)) : [wholeStorePart((scope as { store: StoreKind }).store)],
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

/** Where a restore writes: the connection, and whether it has scratch targets for the graph and Redis. */
export interface MockRestoreTarget {
  connection: string;
  /** The scratch graph database and Redis index a connection names (a Redis cluster has none). */
  scratch: { graph: boolean; redis: boolean };
}

export function createMockBackups(tenants: Tenant[], options: { delayMs: number; writes: MockWrites }) {
  const { writes } = options;
  /** Per destination folder, its backups by id. */
  const folders = new Map<string, Map<string, Stored>>();
  /** Per destination, the folders of runs in progress (not backups yet). */
  const running = new Map<string, Set<string>>();
  const folder = (dest: string) => folders.get(dest) ?? folders.set(dest, new Map()).get(dest)!;

  function seed(id: string, tenant: Tenant | undefined, at: number, damaged: Stored["damaged"]) {
    if (!tenant) return;
    const m = manifest(id, "alpha", { tenant }, new Date(at), new Date(at + 95_000));
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
    scope: MockBackupScope,
    destination: string | null,
    onProgress: (p: BackupProgress) => void,
    signal: AbortSignal,
  ): Promise<BackupSummary> {
    const dest = destinationOf(destination);
    const started = new Date();
    const label = "tenant" in scope ? `tenant-${scope.tenant.slug}` : `store-${scope.store}`;
    const id = `${stamp(started)}-${label}-${mockUuid(`${started.getTime()}/${Math.random()}`).slice(0, 6)}`;
    const inProgress = running.get(dest) ?? running.set(dest, new Set()).get(dest)!;
    inProgress.add(id);
    try {
      const stores = "tenant" in scope ? STORE_KINDS : [scope.store];
      const parts = stores.length;
      const method = (store: StoreKind) => ("tenant" in scope ? METHODS[store] : WHOLE_STORE[store].method);
      for (const [i, store] of stores.entries()) {
        onProgress({ store, partsDone: i, parts, message: `${method(store)} of ${store}` });
        await sleep(options.delayMs, signal);
        if (signal.aborted) throw new BackendError("cancelled", "backup cancelled");
      }
      onProgress({ store: stores.at(-1)!, partsDone: parts, parts, message: "manifest written" });
      const m = manifest(id, connection, scope, started, new Date());
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

  function backupOf(id: string, destination: string | null): Stored {
    const b = folder(destinationOf(destination)).get(id);
    if (!b) throw new BackendError("not_found", `no backup ${id} in ${destinationOf(destination)}`);
    return b;
  }

  function checkFiles(b: Stored): PartCheck[] {
    return b.manifest.parts.map((p) => {
      const problems = b.damaged[p.store] ?? [];
      return { store: p.store, passed: problems.length === 0, files: p.artifacts.length, problems: [...problems], restore: null };
    });
  }

  /** A restore's tenant, null for a whole store (writes unlocked first, as restore_target has it). */
  function restoreTenant(b: Stored, connection: string): Tenant | null {
    writes.requireUnlocked(connection);
    const scope = b.manifest.scope.tenant;
    if (scope === null) return null;
    const tenant = tenants.find((t) => t.id === scope.id);
    if (!tenant) throw new BackendError("not_found", `no tenant with id or slug "${scope.id}"`);
    return tenant;
  }

  /** One write log entry per store the restore writes to, before it writes. */
  /** One write log entry per store the restore writes to (`stores`), before it writes. */
  function logRestore(b: Stored, connection: string, stores: StoreKind[], action: string, how: string) {
    const { tenant, store } = b.manifest.scope;
    const of = tenant ? `tenant ${tenant.slug}` : store ? `whole ${store}` : "nothing";
    return stores.map((s) => writes.append(connection, s, action, [b.manifest.id], `restore of ${of} from backup ${b.manifest.id} ${how}`));
  }

  /** Every part restored (into scratch or live) and compared with the manifest, part by part. */
  async function restoreParts(
    b: Stored,
    tenant: Tenant | null,
    to: "scratch" | "live",
    target: MockRestoreTarget,
    onProgress: (p: BackupProgress) => void,
    signal: AbortSignal,
  ): Promise<RestoreCheck[]> {
    const parts = b.manifest.parts;
    const checks: RestoreCheck[] = [];
    for (const [i, p] of parts.entries()) {
      if (signal.aborted) throw new BackendError("cancelled", "restore cancelled");
      onProgress({ store: p.store, partsDone: i, parts: parts.length, message: `${p.store}: restoring` });
      const skipped = to === "scratch" ? whySkipped(p.store, tenant, target) : null;
      if (skipped !== null) {
        checks.push({ store: p.store, target: "", passed: false, skipped: true, measures: [], notes: [skipped], elapsedMs: 0 });
        continue;
      }
      await sleep(options.delayMs, signal);
      if (signal.aborted) throw new BackendError("cancelled", "restore cancelled");
      const measures: MeasureCheck[] = p.measures.map((m) => ({
        what: m.what,
        expected: m.count,
        found: m.count,
        sameContent: m.hash === null ? null : true,
        passed: true,
      }));
      checks.push({
        store: p.store,
        target: targetName(p.store, tenant, to, b.manifest.id),
        passed: true,
        skipped: false,
        measures,
        notes: notesOf(p.store, to),
        elapsedMs: Math.max(1, options.delayMs),
      });
    }
    onProgress({ store: parts.at(-1)!.store, partsDone: parts.length, parts: parts.length, message: "compared with the manifest" });
    return checks;
  }

  /** Why a part is not restored into scratch, as missing_scratch has it. */
  function whySkipped(store: StoreKind, tenant: Tenant | null, target: MockRestoreTarget): string | null {
    if (tenant === null && store !== "postgres" && store !== "graph") {
      return `not restored: of a whole store, only a database or a graph is restored into scratch; the ${store} part is checked by its files' checksums`;
    }
    if ((store === "graph" || store === "redis") && !target.scratch[store]) {
      const what = store === "graph" ? "graph database" : "Redis database index (a cluster has none)";
      return `not restored: connection ${target.connection} names no scratch ${what} to restore into`;
    }
    return null;
  }

  async function verify(
    request: { id: string; destination: string | null; restore: boolean },
    restore: { target: MockRestoreTarget; onProgress: (p: BackupProgress) => void; signal: AbortSignal } | null,
  ): Promise<Verification> {
    const b = backupOf(request.id, request.destination);
    const restoring = request.restore && restore !== null;
    const tenant = restoring ? restoreTenant(b, restore.target.connection) : null;
    if (restoring) {
      // Parts without a scratch target are skipped: nothing is written for them.
      const written = b.manifest.parts.map((p) => p.store).filter((s) => whySkipped(s, tenant, restore.target) === null);
      logRestore(b, restore.target.connection, written, "backup.verify_restore", "into scratch targets");
    }
    const parts = checkFiles(b);
    const notes: string[] = [];
    let restored = false;
    if (restoring) {
      if (parts.every((p) => p.passed)) {
        const checks = await restoreParts(b, tenant, "scratch", restore.target, restore.onProgress, restore.signal);
        for (const check of checks) {
          const p = parts.find((x) => x.store === check.store);
          if (!p) continue;
          p.passed &&= check.passed || check.skipped;
          p.restore = check;
        }
        restored = true;
      } else {
        notes.push("not restored: its files do not match the manifest");
      }
    }
    b.verification = {
      backup: b.manifest.id,
      checkedAt: new Date().toISOString(),
      passed: parts.every((p) => p.passed),
      restored,
      parts,
      notes,
    };
    return structuredClone(b.verification);
  }

  async function restoreLive(
    request: { id: string; destination: string | null },
    target: MockRestoreTarget,
    onProgress: (p: BackupProgress) => void,
    signal: AbortSignal,
  ): Promise<RestoreReport> {
    const b = backupOf(request.id, request.destination);
    const tenant = restoreTenant(b, target.connection);
    const { id } = b.manifest;
    if (tenant === null) {
      throw new BackendError(
        "invalid_input",
        `backup ${id} is of a whole store; Storelens restores tenant backups over live data (a whole database or graph is only restored into scratch, by verify --restore)`,
      );
    }
    if (b.manifest.connection !== target.connection) {
      throw new BackendError(
        "invalid_input",
        `backup ${id} was taken on connection ${b.manifest.connection}; restore it there, not on ${target.connection}`,
      );
    }
    if (!checkFiles(b).every((p) => p.passed)) {
      throw new BackendError("invalid_input", `backup ${id} does not match its manifest; it is not restored (see its verification)`);
    }
    const stores = b.manifest.parts.map((p) => p.store);
    const logEntries = logRestore(b, target.connection, stores, "backup.restore", "over the tenant's live data");
    const parts = await restoreParts(b, tenant, "live", target, onProgress, signal);
    return {
      backup: id,
      tenant: ref(tenant),
      passed: parts.length === b.manifest.parts.length && parts.every((p) => p.passed),
      parts,
      logEntries,
    };
  }

  return { run, list, verify, restore: restoreLive };
}

function targetName(store: StoreKind, tenant: Tenant | null, to: "scratch" | "live", id: string): string {
  const scratch = `storelens_scratch_${mockUuid(id).slice(0, 6)}`;
  if (to === "scratch" || tenant === null) {
    return {
      postgres: tenant === null || tenant.tier !== "row" ? `scratch database ${scratch}` : `scratch schema ${scratch}`,
      graph: "scratch graph database",
      redis: "scratch Redis database",
      objects: `scratch prefix knowledge-os/${scratch}/`,
    }[store];
  }
  return {
    postgres: `tenant ${tenant.slug} (live rows)`,
    graph: `tenant ${tenant.slug} (live graph)`,
    redis: `tenant ${tenant.slug} (live keys under t:${tenant.slug}:)`,
    objects: `tenant ${tenant.slug} (live objects under tenants/${tenant.slug}/)`,
  }[store];
}

function notesOf(store: StoreKind, to: "scratch" | "live"): string[] {
  if (store === "postgres" && to === "live") return ["12 events the log lacked were added; the rest were kept"];
  if (store === "redis") return ["TTLs restored as they were left at the backup"];
  return [];
}
