// The Cache screen in the real app on the seeded sandbox: scan globex's keys, open its atom
// folder in the namespace tree, read a cached atom (JSON and a TTL), then audit globex's cache
// and find the stale entries the sandbox plants there, and open one of them in the viewer.
import assert from "node:assert/strict";
import path from "node:path";
import { OUTPUT_DIR } from "../support/env.js";
import { byTestId, psql, text, waitFor } from "../support/dom.js";
import { saveScreenshot } from "../support/screenshot.js";

const TENANT = "globex";


/** Selects a folder of the tree (a click opens a folder, never closes it). */
async function openFolder(prefix) {
  const row = await $(`[data-testid="cache-folder"][data-prefix="${prefix}"]`);
  await row.waitForExist({ timeout: 30_000, timeoutMsg: `folder ${prefix} is not in the tree` });
  await row.scrollIntoView();
  // The label, not the row's middle: the chevron at the left only folds.
  await (await row.$(".cache-folder-label")).click();
  await browser.waitUntil(async () => (await row.getAttribute("aria-selected")) === "true", {
    timeout: 10_000,
    timeoutMsg: `folder ${prefix} was not selected`,
  });
}

describe("cache", () => {
  // The sandbox profile's tenant prefix: `tenant:{tenant_id}:`.
  let prefix;
  before(() => {
    const tenantId = psql(`select id from tenants where slug = '${TENANT}'`);
    assert.ok(tenantId, `the sandbox has a tenant ${TENANT}`);
    prefix = `tenant:${tenantId}:`;
  });

  it("scans a tenant's keys and shows a cached atom's JSON and TTL", async () => {
    await (await waitFor("nav-cache")).click();
    await (await waitFor("cache-scan-tenant")).setValue(TENANT);
    await (await byTestId("cache-scan-button")).click();
    const summary = await waitFor("cache-scan-summary", 60_000);
    assert.ok((await text(summary)).includes(`${prefix}*`), `the scan matched the tenant's prefix: ${await text(summary)}`);

    for (const folder of ["tenant:", prefix, `${prefix}atom:`]) await openFolder(folder);
    const atoms = await $(`[data-testid="cache-folder"][data-prefix="${prefix}atom:"]`);
    assert.ok(Number(await atoms.getAttribute("data-keys")) > 0, "globex has cached atoms");

    // The first listed atom that has a TTL (the sandbox plants a few without one).
    await (await byTestId("cache-key-row")).waitForExist({ timeout: 30_000, timeoutMsg: "no keys listed" });
    const key = await browser.execute(() => {
      const rows = [...document.querySelectorAll('[data-testid="cache-key-row"]')];
      const withTtl = rows.find((r) => r.getAttribute("data-ttl-ms") !== "" && r.getAttribute("data-kind") === "string");
      return withTtl ? withTtl.getAttribute("data-key") : null;
    });
    assert.ok(key && key.startsWith(`${prefix}atom:`), `an atom key with a TTL is listed: ${key}`);
    const row = await $(`[data-testid="cache-key-row"][data-key="${key}"]`);
    await row.scrollIntoView();
    await row.click();

    const value = await waitFor("cache-value");
    await browser.waitUntil(async () => (await value.getAttribute("data-kind")) === "string", {
      timeout: 30_000,
      timeoutMsg: "the atom's value was not read",
    });
    assert.equal(await text(await byTestId("cache-value-key")), key);
    const json = JSON.parse(await text(await waitFor("cache-value-json")));
    assert.equal(json.id, key.slice(`${prefix}atom:`.length), "the cached JSON is the atom the key names");
    const ttl = await text(await byTestId("cache-value-ttl"));
    assert.match(ttl, /^\d+( ms| s|[dhm]( \d+[hms])?)$/, `a TTL is shown: ${ttl}`);
    await (await byTestId("cache-value")).scrollIntoView();
    await saveScreenshot(path.join(OUTPUT_DIR, "cache-value.png"));
  });

  it("audits the tenant's cache and finds its stale entries", async () => {
    await (await waitFor("cache-mode-audit")).click();
    await (await waitFor("cache-audit-tenant")).setValue(TENANT);
    await (await byTestId("cache-audit-button")).click();
    const stale = await $('[data-testid="cache-finding"][data-kind="cache_stale"]');
    await stale.waitForExist({ timeout: 90_000, timeoutMsg: "no stale cache finding for globex" });
    await stale.scrollIntoView();
    await saveScreenshot(path.join(OUTPUT_DIR, "cache-audit.png"));

    // The finding names a cached atom of globex whose row exists.
    const where = await browser.execute((el) => {
      const redis = el.querySelector('[data-testid="cache-evidence"][data-store="redis"] [data-testid="cache-evidence-location"]');
      return redis ? redis.textContent : null;
    }, stale);
    assert.ok(where && where.startsWith(`${prefix}atom:`), `the stale finding names globex's atom key: ${where}`);
    const atom = where.slice(`${prefix}atom:`.length);
    assert.equal(psql(`select count(*) from atoms where id = '${atom}'`), "1", "the stale atom has a row");

    // Opening it shows the key in the viewer.
    await (await stale.$('[data-testid="cache-finding-open"]')).click();
    await browser.waitUntil(async () => (await text(await byTestId("cache-value-key"))) === where, {
      timeout: 30_000,
      timeoutMsg: "the finding's key did not open in the viewer",
    });
  });
});
