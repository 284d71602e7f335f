// Tenant browsing in the real app on the seeded sandbox: open a tenant, see its footprint in all
// four stores, page its atoms, look one of them up across the stores, follow the hit back to
// the tenant, and have the SQL console answer a read and refuse a write.
import assert from "node:assert/strict";
import path from "node:path";
import { OUTPUT_DIR } from "../support/env.js";
import { byTestId, psql } from "../support/dom.js";
import { saveScreenshot } from "../support/screenshot.js";

const STORES = ["postgres", "graph", "redis", "objects"];
const TENANT = "acme";



// Displayed, not only present (support/dom.js waitFor): these steps click what they wait for.
async function waitFor(id, timeout = 30_000) {
  const el = await byTestId(id);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${id} never showed` });
  return el;
}

describe("tenant browsing", () => {
  it("opens a tenant and shows its footprint in all four stores", async () => {
    const row = await waitFor(`tenants-row-${TENANT}`);
    await row.click();
    await waitFor("tenant-detail");
    const states = {};
    try {
      await browser.waitUntil(
        async () => {
          for (const store of STORES) {
            const part = await byTestId(`tenant-footprint-${store}`);
            states[store] = (await part.isExisting()) ? await part.getAttribute("data-state") : "missing";
          }
          return STORES.every((s) => states[s] === "ok");
        },
        { timeout: 60_000, interval: 500 },
      );
    } finally {
      await saveScreenshot(path.join(OUTPUT_DIR, "tenant-footprint.png"));
    }
    assert.deepEqual(states, Object.fromEntries(STORES.map((s) => [s, "ok"])));
  });

  it("pages the tenant's atoms from its entity table", async () => {
    await (await waitFor("entity-tab-atom")).click();
    const count = await byTestId("rows-count");
    await count.waitForExist({ timeout: 30_000, timeoutMsg: "no row count" });
    await browser.waitUntil(async () => /\d/.test(await browser.execute((el) => el.textContent, count)), {
      timeout: 30_000,
      timeoutMsg: "no row count",
    });
    const first = psql(
      `select a.id from atoms a join tenants t on t.id = a.tenant_id where t.slug = '${TENANT}' order by a.id limit 1`,
    );
    // The panel is narrow: widen it and bring the grid into view, as a user would.
    await (await byTestId("tenant-detail-wide")).click();
    const grid = await byTestId("rows-grid");
    await grid.waitForExist({ timeout: 30_000, timeoutMsg: "no rows grid" });
    await grid.scrollIntoView();
    await browser.waitUntil(async () => (await browser.execute((el) => el.textContent, grid)).includes(first), {
      timeout: 30_000,
      timeoutMsg: `the first atom ${first} is not in the grid`,
    });
    await saveScreenshot(path.join(OUTPUT_DIR, "tenant-rows.png"));
  });

  it("looks an atom up across the stores and follows the hit back to its tenant", async () => {
    const atom = psql(
      `select a.id from atoms a join tenants t on t.id = a.tenant_id where t.slug = '${TENANT}' order by a.id limit 1`,
    );
    await (await waitFor("nav-find")).click();
    const input = await waitFor("find-input");
    await input.setValue(atom);
    await (await byTestId("find-submit")).click();
    const hit = await $(`[data-testid="find-hit"][data-tenant="${TENANT}"]`);
    await hit.waitForDisplayed({ timeout: 30_000, timeoutMsg: `no hit for ${atom} in ${TENANT}` });
    const text = await hit.getText();
    for (const word of ["PostgreSQL", "graph", "cache"]) {
      assert.ok(text.toLowerCase().includes(word.toLowerCase()), `the hit shows no ${word} section: ${text}`);
    }
    assert.ok(text.includes(atom), "the hit names the atom");
    await saveScreenshot(path.join(OUTPUT_DIR, "find-atom.png"));
    await (await hit.$('[data-testid="find-open-tenant"]')).click();
    await waitFor("tenant-detail");
    const title = await (await byTestId("tenant-detail")).getAttribute("aria-label");
    assert.equal(title, `Tenant ${TENANT}`);
  });
});

/** Replaces the console editor's text by typing, as a user does. */
async function typeStatement(text) {
  const input = await waitFor("console-input");
  await input.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Backspace"]);
  await input.addValue(text);
}

describe("read-only console", () => {
  it("answers a read in the tenant's schema and refuses a write", async () => {
    await (await waitFor("nav-console")).click();
    await (await waitFor("console-language-sql")).click();
    const tenant = await waitFor("console-tenant");
    await tenant.setValue("tyrell");
    await typeStatement("select count(*) as n from atoms");
    await (await byTestId("console-run")).click();
    const expected = psql("select count(*) from tenant_tyrell.atoms");
    const results = await waitFor("console-results");
    await browser.waitUntil(async () => (await browser.execute((el) => el.textContent, results)).includes(expected), {
      timeout: 30_000,
      timeoutMsg: `the console never showed ${expected}`,
    });
    const meta = await browser.execute((el) => el.textContent, await byTestId("console-meta"));
    assert.ok(meta.includes("tenant_tyrell"), `the statement ran in tyrell's schema: ${meta}`);

    await typeStatement("delete from atoms");
    await (await byTestId("console-run")).click();
    const error = await waitFor("console-error");
    assert.equal(await error.getAttribute("data-code"), "read_only");
    await saveScreenshot(path.join(OUTPUT_DIR, "console-refused.png"));
    assert.equal(psql("select count(*) from tenant_tyrell.atoms"), expected, "nothing was deleted");
  });
});
