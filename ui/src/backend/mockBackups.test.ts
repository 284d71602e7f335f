import { describe, expect, it } from "vitest";
import { mockTenants } from "./mock";
import { createMockBackups, MOCK_BACKUPS_DIR, MOCK_CORRUPT_BACKUP, MOCK_GOOD_BACKUP } from "./mockBackups";

describe("mock backups", () => {
  it("reports four parts, adds the backup newest first, and verifies it", async () => {
    const [acme] = mockTenants(2);
    const backups = createMockBackups(mockTenants(2), { delayMs: 0 });
    const seen: number[] = [];
    const summary = await backups.run("alpha", acme!, null, (p) => seen.push(p.partsDone), new AbortController().signal);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(summary.path).toBe(`${MOCK_BACKUPS_DIR}/${summary.manifest.id}`);
    const catalog = backups.list(null);
    expect(catalog.backups.map((b) => b.id)).toEqual([summary.manifest.id, MOCK_CORRUPT_BACKUP, MOCK_GOOD_BACKUP]);
    expect(catalog.incomplete).toEqual([]);
    expect(backups.verify(summary.manifest.id, null).passed).toBe(true);
    expect(backups.list(null).backups[0]!.verification?.passed).toBe(true);
  });

  it("fails the seeded corrupt backup, and an unknown id with not_found", () => {
    const backups = createMockBackups(mockTenants(2), { delayMs: 0 });
    const v = backups.verify(MOCK_CORRUPT_BACKUP, null);
    expect(v.passed).toBe(false);
    expect(v.parts.filter((p) => !p.passed).map((p) => p.store)).toEqual(["redis"]);
    expect(() => backups.verify("nope", null)).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("stops a cancelled run with `cancelled` and adds nothing", async () => {
    const [acme] = mockTenants(1);
    const backups = createMockBackups(mockTenants(1), { delayMs: 10_000 });
    const controller = new AbortController();
    const run = backups.run("alpha", acme!, "/tmp/b", () => controller.abort(), controller.signal);
    await expect(run).rejects.toMatchObject({ code: "cancelled" });
    expect(backups.list("/tmp/b").backups).toEqual([]);
  });
});
