// The Backups screen in the real app on the seeded sandbox: back up globex across the four stores,
// watch its parts' progress, see the manifest it wrote (and its folder on disk), find the backup in
// the catalog, verify its checksums and see the verification recorded in the catalog. The E2E
// connection is read-only, so there is no restore into scratch targets here (the restores are
// covered by the core's live restore tests and the UI's component tests).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { APP_ENV, OUTPUT_DIR } from "../support/env.js";
import { byTestId, psql, text, waitFor } from "../support/dom.js";
import { saveScreenshot } from "../support/screenshot.js";

const TENANT = "globex";
const STORES = ["postgres", "graph", "redis", "objects"];

/** The catalog row of a backup, once listed. */
async function rowOf(id) {
  const row = await $(`[data-testid="backup-row"][data-id="${id}"]`);
  await row.waitForExist({ timeout: 30_000, timeoutMsg: `backup ${id} is not in the catalog` });
  return row;
}

describe("backups", () => {
  let backupId;

  before(() => {
    assert.ok(psql(`select id from tenants where slug = '${TENANT}'`), `the sandbox has a tenant ${TENANT}`);
  });

  it("backs up a tenant with per-part progress and shows the manifest it wrote", async () => {
    await (await waitFor("nav-backups")).click();
    const tenantScope = await waitFor("backup-scope-tenant");
    assert.equal(await tenantScope.isSelected(), true, "a tenant is the default scope");
    await (await byTestId("backup-tenant")).setValue(TENANT);

    // Progress may pass quickly: record every progress report the screen shows as it shows it.
    await browser.execute(() => {
      window.__backupProgress = [];
      const seen = () => {
        const p = document.querySelector('[data-testid="backup-progress"]');
        if (!p) return;
        const parts = p.querySelector('[data-testid="backup-progress-parts"]')?.textContent ?? "";
        const done = p.querySelector('[data-testid="backup-progress-done"]')?.textContent ?? "";
        const message = p.querySelector('[data-testid="backup-progress-message"]')?.textContent ?? "";
        const last = window.__backupProgress.at(-1);
        if (!last || last.parts !== parts || last.done !== done || last.message !== message) {
          window.__backupProgress.push({ parts, done, message });
        }
      };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const run = await byTestId("backup-run");
    assert.equal(await run.isEnabled(), true, "Run is enabled once a tenant is typed");
    await run.click();

    const summary = await waitFor("backup-summary", 300_000);
    backupId = await text(await byTestId("backup-summary-id"));
    assert.match(backupId, new RegExp(`-${TENANT}-`), `the backup's id names the tenant: ${backupId}`);

    // Before the first report the screen shows "Part 0 of …"; every report counts four parts,
    // and the parts done only go up, to all four.
    const shown = await browser.execute(() => window.__backupProgress);
    const reports = shown.filter((p) => p.message !== "");
    const all = JSON.stringify(shown);
    assert.ok(reports.length >= 2, `the run's progress was shown as it went: ${all}`);
    assert.ok(reports.every((p) => p.parts === "4"), `every report counts four parts: ${all}`);
    const done = reports.map((p) => Number(p.done));
    assert.ok(done.every((d, i) => i === 0 || d >= done[i - 1]), `the parts done only go up: ${all}`);
    assert.equal(done.at(-1), 4, `the last report has all four parts done: ${all}`);
    assert.equal(await (await byTestId("backup-progress")).isExisting(), false, "the progress is gone once the run ended");

    const parts = await browser.execute(
      (el) => [...el.querySelectorAll('[data-testid="backup-summary-part"]')].map((p) => p.getAttribute("data-store")),
      summary,
    );
    assert.deepEqual(parts, STORES, "the manifest has a part per store");
    const folder = await text(await byTestId("backup-summary-path"));
    assert.ok(
      folder.startsWith(path.join(APP_ENV.STORELENS_DATA_DIR, "backups")),
      `the backup is in the data folder's backups: ${folder}`,
    );
    assert.ok(fs.existsSync(path.join(folder, "manifest.json")), `the backup's folder has its manifest: ${folder}`);
  });

  it("finds the backup in the catalog, verifies its checksums and records the result", async () => {
    const row = await rowOf(backupId);
    const state = await row.$('[data-testid="backup-state"]');
    assert.equal(await state.getAttribute("data-state"), "not verified");
    assert.equal(await text(await row.$('[data-testid="backup-scope-cell"]')), TENANT);
    // Checksums only: the E2E connection is read-only, so no restore into scratch targets.
    assert.equal(await (await row.$('[data-testid="backup-verify-restore"]')).isSelected(), false);

    await (await row.$('[data-testid="backup-verify"]')).click();
    const detail = await $(`[data-testid="backup-row-detail"][data-id="${backupId}"]`);
    await detail.waitForExist({ timeout: 30_000, timeoutMsg: "the verification's detail never showed" });
    const result = await detail.$('[data-testid="backup-verification"]');
    await result.waitForExist({ timeout: 120_000, timeoutMsg: "the verification never finished" });
    assert.equal(await result.getAttribute("data-passed"), "true", `the backup verifies: ${await text(result)}`);
    assert.equal(await result.getAttribute("data-restored"), "false");
    const checked = await browser.execute(
      (el) =>
        [...el.querySelectorAll('[data-testid="backup-verification-part"]')].map((p) => [
          p.getAttribute("data-store"),
          p.querySelector('[data-testid="backup-checksums"]')?.getAttribute("data-passed"),
        ]),
      result,
    );
    assert.deepEqual(
      checked,
      STORES.map((s) => [s, "true"]),
      "every part's checksums match",
    );

    // The catalog reads the recorded verification back.
    await browser.waitUntil(async () => (await state.getAttribute("data-state")) === "verified", {
      timeout: 30_000,
      timeoutMsg: "the catalog never showed the backup as verified",
    });
    await saveScreenshot(path.join(OUTPUT_DIR, "backups-verified.png"));
  });
});
