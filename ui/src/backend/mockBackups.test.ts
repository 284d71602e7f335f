import { describe, expect, it } from "vitest";
import { fixtures } from "../test/render";
import { createMockBackend, mockTenants } from "./mock";
import { createMockBackups, MOCK_BACKUPS_DIR, MOCK_CORRUPT_BACKUP, MOCK_GOOD_BACKUP, type MockRestoreTarget } from "./mockBackups";
import { createMockWrites } from "./mockCacheWrites";
import type { BackupProgress, StoreKind } from "./types";

const signal = () => new AbortController().signal;
const ALPHA: MockRestoreTarget = { connection: "alpha", scratch: { graph: true, redis: true } };

function setup(delayMs = 0, count = 2) {
  const tenants = mockTenants(count);
  const writes = createMockWrites();
  return { tenants, writes, backups: createMockBackups(tenants, { delayMs, writes }) };
}

describe("mock backups", () => {
  it("reports four parts, adds the backup newest first, and verifies it", async () => {
    const { tenants, backups } = setup();
    const seen: number[] = [];
    const summary = await backups.run("alpha", { tenant: tenants[0]! }, null, (p) => seen.push(p.partsDone), signal());
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(summary.path).toBe(`${MOCK_BACKUPS_DIR}/${summary.manifest.id}`);
    const catalog = backups.list(null);
    expect(catalog.backups.map((b) => b.id)).toEqual([summary.manifest.id, MOCK_CORRUPT_BACKUP, MOCK_GOOD_BACKUP]);
    expect(catalog.incomplete).toEqual([]);
    const v = await backups.verify({ id: summary.manifest.id, destination: null, restore: false }, null);
    expect(v).toMatchObject({ passed: true, restored: false, notes: [] });
    expect(v.parts.every((p) => p.restore === null)).toBe(true);
    expect(backups.list(null).backups[0]!.verification?.passed).toBe(true);
  });

  it("backs up one whole store as a single part with the store's method", async () => {
    const { backups } = setup();
    const seen: BackupProgress[] = [];
    const summary = await backups.run("alpha", { store: "redis" }, "/tmp/w", (p) => seen.push(p), signal());
    expect(summary.manifest.scope).toEqual({ tenant: null, store: "redis" });
    expect(summary.manifest.id).toMatch(/-store-redis-/);
    expect(summary.manifest.parts.map((p) => [p.store, p.method])).toEqual([["redis", "redis_bgsave"]]);
    expect(seen.map((p) => [p.partsDone, p.parts])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it("fails the seeded corrupt backup, and an unknown id with not_found", async () => {
    const { backups } = setup();
    const v = await backups.verify({ id: MOCK_CORRUPT_BACKUP, destination: null, restore: false }, null);
    expect(v.passed).toBe(false);
    expect(v.parts.filter((p) => !p.passed).map((p) => p.store)).toEqual(["redis"]);
    await expect(backups.verify({ id: "nope", destination: null, restore: false }, null)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("restores into scratch only with writes unlocked, logging each store first, with per-part checks", async () => {
    const { backups, writes } = setup();
    const request = { id: MOCK_GOOD_BACKUP, destination: null, restore: true };
    const restore = { target: ALPHA, onProgress: () => undefined, signal: signal() };
    await expect(backups.verify(request, restore)).rejects.toMatchObject({ code: "read_only" });
    expect(writes.report().entries).toEqual([]);

    writes.unlock("alpha", false, 5);
    const seen: BackupProgress[] = [];
    const v = await backups.verify(request, { ...restore, onProgress: (p) => seen.push(p) });
    expect(v).toMatchObject({ passed: true, restored: true });
    expect(seen.map((p) => p.partsDone)).toEqual([0, 1, 2, 3, 4]);
    const postgres = v.parts[0]!.restore!;
    expect(postgres).toMatchObject({ store: "postgres", passed: true, skipped: false });
    expect(postgres.target).toMatch(/^scratch schema storelens_scratch_/);
    expect(postgres.measures[0]).toEqual({ what: "rows of atoms", expected: "400", found: "400", sameContent: true, passed: true });
    // Relationships carry no hash: compared by count only.
    expect(v.parts[1]!.restore!.measures.find((m) => m.what === "relationships")!.sameContent).toBeNull();
    expect(writes.report().entries.map((e) => [e.store, e.action])).toEqual([
      ["postgres", "backup.verify_restore"],
      ["graph", "backup.verify_restore"],
      ["redis", "backup.verify_restore"],
      ["objects", "backup.verify_restore"],
    ]);
  });

  it("skips a store without a scratch target, and does not restore files that fail their checksums", async () => {
    const { backups, writes } = setup();
    writes.unlock("alpha", false, 5);
    const cluster = { target: { ...ALPHA, scratch: { graph: true, redis: false } }, onProgress: () => undefined, signal: signal() };
    const v = await backups.verify({ id: MOCK_GOOD_BACKUP, destination: null, restore: true }, cluster);
    const redis = v.parts.find((p) => p.store === "redis")!;
    expect(redis.restore).toMatchObject({ skipped: true, passed: false, measures: [] });
    expect(redis.restore!.notes[0]).toMatch(/names no scratch Redis database index/);
    expect(redis.passed).toBe(true);
    expect(v.passed).toBe(true);

    const corrupt = await backups.verify({ id: MOCK_CORRUPT_BACKUP, destination: null, restore: true }, cluster);
    expect(corrupt).toMatchObject({ passed: false, restored: false, notes: ["not restored: its files do not match the manifest"] });
  });

  it("restores a tenant over its live data: unlocked, same connection, sound files, tenant backups only", async () => {
    const { tenants, backups, writes } = setup();
    const request = { id: MOCK_GOOD_BACKUP, destination: null };
    await expect(backups.restore(request, ALPHA, () => undefined, signal())).rejects.toMatchObject({ code: "read_only" });
    writes.unlock("alpha", false, 5);
    writes.unlock("beta", false, 5);
    const beta = { ...ALPHA, connection: "beta" };
    await expect(backups.restore(request, beta, () => undefined, signal())).rejects.toMatchObject({ code: "invalid_input" });
    await expect(backups.restore({ id: MOCK_CORRUPT_BACKUP, destination: null }, ALPHA, () => undefined, signal())).rejects.toMatchObject({
      code: "invalid_input",
    });
    const whole = await backups.run("alpha", { store: "graph" }, null, () => undefined, signal());
    await expect(backups.restore({ id: whole.manifest.id, destination: null }, ALPHA, () => undefined, signal())).rejects.toMatchObject({
      code: "invalid_input",
    });

    const report = await backups.restore(request, ALPHA, () => undefined, signal());
    expect(report).toMatchObject({ backup: MOCK_GOOD_BACKUP, tenant: { slug: tenants[0]!.slug }, passed: true });
    expect(report.parts.map((p) => p.target)).toEqual([
      `tenant ${tenants[0]!.slug} (live rows)`,
      `tenant ${tenants[0]!.slug} (live graph)`,
      expect.stringContaining("live keys"),
      expect.stringContaining("live objects"),
    ]);
    expect(report.logEntries.map((e) => e.action)).toEqual(Array(4).fill("backup.restore"));
    expect(report.logEntries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it("stops a cancelled run or restore with `cancelled` and adds nothing", async () => {
    const { tenants, backups, writes } = setup(10_000, 1);
    const controller = new AbortController();
    const run = backups.run("alpha", { tenant: tenants[0]! }, "/tmp/b", () => controller.abort(), controller.signal);
    await expect(run).rejects.toMatchObject({ code: "cancelled" });
    expect(backups.list("/tmp/b").backups).toEqual([]);

    writes.unlock("alpha", false, 5);
    const again = new AbortController();
    const restore = backups.restore({ id: MOCK_GOOD_BACKUP, destination: null }, ALPHA, () => again.abort(), again.signal);
    await expect(restore).rejects.toMatchObject({ code: "cancelled" });
  });
});

describe("mock backend's backup commands", () => {
  it("backs up exactly one of a tenant or a configured store", async () => {
    const backend = createMockBackend(fixtures());
    const run = (request: { tenant: string | null; store: StoreKind | null }) =>
      backend.backupRun("beta", { ...request, destination: null }, `t-${Math.random()}`, () => undefined);
    await expect(run({ tenant: null, store: null })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(run({ tenant: "acme", store: "graph" })).rejects.toMatchObject({ code: "invalid_input" });
    // beta has PostgreSQL only.
    await expect(run({ tenant: null, store: "graph" })).rejects.toMatchObject({ code: "config" });
    await expect(run({ tenant: null, store: "postgres" })).resolves.toMatchObject({
      manifest: { scope: { tenant: null, store: "postgres" } },
    });
  });

  it("refuses a restore on a read-only connection with read_only: it cannot be unlocked", async () => {
    const backend = createMockBackend(fixtures());
    const verify = { id: MOCK_GOOD_BACKUP, destination: null, restore: true };
    await expect(backend.backupVerify("alpha", verify, "t-1", () => undefined)).rejects.toMatchObject({ code: "read_only" });
    await expect(backend.unlockWrites("alpha", 5)).rejects.toMatchObject({ code: "read_only" });
    await expect(backend.backupRestore("alpha", { id: MOCK_GOOD_BACKUP, destination: null }, "t-2", () => undefined)).rejects.toMatchObject({
      code: "read_only",
    });
    // Checksums alone need no unlock.
    await expect(backend.backupVerify("alpha", { ...verify, restore: false }, "t-3", () => undefined)).resolves.toMatchObject({ passed: true });
  });
});
