// The Audit screen in the real app on the seeded sandbox: audit globex (the tenant the sandbox
// plants faults in) with progress per check, find the planted faults in the report (a read-model
// row lagging its events, stale cache entries, a relationship to another tenant's node), open
// findings and follow their links into Time travel, Cache and Graph (each showing the finding's
// subject), come back to the same report, and export it as HTML into the exports folder.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { APP_ENV, OUTPUT_DIR } from "../support/env.js";
import { byTestId, psql, text, waitFor } from "../support/dom.js";
import { saveScreenshot } from "../support/screenshot.js";

const TENANT = "globex";
const KINDS = ["read_model_lag", "cache_stale", "cross_tenant_relationship"];

/** The first finding of a kind in the report (folded or not). */
async function findingOf(kind) {
  const finding = await $(`[data-testid="audit-finding"][data-kind="${kind}"]`);
  await finding.waitForExist({ timeout: 30_000, timeoutMsg: `no ${kind} finding in the report` });
  return finding;
}

/** Unfolds a finding: its message, evidence and remedy, and its link. */
async function unfold(finding) {
  if ((await finding.getAttribute("data-open")) !== "true") {
    const toggle = await finding.$('[data-testid="audit-finding-toggle"]');
    await toggle.scrollIntoView();
    await toggle.click();
  }
  const body = await finding.$('[data-testid="audit-finding-body"]');
  await body.waitForExist({ timeout: 10_000, timeoutMsg: "the finding did not unfold" });
  return body;
}

/** Follows an unfolded finding's link; what it opens (the key, the id). */
async function follow(finding, to) {
  const link = await finding.$('[data-testid="audit-finding-link"]');
  assert.equal(await link.getAttribute("data-to"), to, `the ${await finding.getAttribute("data-kind")} finding links to ${to}`);
  const target = await link.getAttribute("data-target");
  await link.scrollIntoView();
  await link.click();
  return target;
}

/** Back on the Audit screen: the same report as before the link was followed. */
async function backToReport(id) {
  await (await byTestId("nav-audit")).click();
  const report = await waitFor("audit-report");
  assert.equal(await report.getAttribute("data-id"), id, "the Audit screen shows the same report again");
}

describe("audit", () => {
  let reportId;

  before(() => {
    assert.ok(psql(`select id from tenants where slug = '${TENANT}'`), `the sandbox has a tenant ${TENANT}`);
  });

  it("audits a tenant with progress per check and shows the planted faults, worst first", async () => {
    await (await waitFor("nav-audit")).click();
    await (await waitFor("audit-tenant")).setValue(TENANT);

    // Progress may pass quickly: record every report the screen shows as it shows it.
    await browser.execute(() => {
      window.__auditProgress = [];
      const seen = () => {
        const p = document.querySelector('[data-testid="audit-progress"]');
        if (!p) return;
        const done = p.querySelector('[data-testid="audit-progress-done"]')?.textContent ?? "";
        const checks = p.querySelector('[data-testid="audit-progress-checks"]')?.textContent ?? "";
        const message = p.querySelector('[data-testid="audit-progress-message"]')?.textContent ?? "";
        const last = window.__auditProgress.at(-1);
        if (!last || last.done !== done || last.message !== message) window.__auditProgress.push({ done, checks, message });
      };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const started = Date.now();
    await (await byTestId("audit-run")).click();

    const report = await waitFor("audit-report", 300_000);
    console.log(`[audit] the audit of ${TENANT} took ${Date.now() - started} ms in the UI`);
    reportId = await report.getAttribute("data-id");
    assert.match(reportId, new RegExp(`^${TENANT}-`), `the report's id names the tenant: ${reportId}`);
    assert.equal(await text(await byTestId("audit-report-tenant")), TENANT);

    const shown = await browser.execute(() => window.__auditProgress);
    const all = JSON.stringify(shown);
    const reports = shown.filter((p) => p.message !== "");
    assert.ok(reports.length >= 2, `the run's progress was shown as it went: ${all}`);
    assert.ok(reports.every((p) => p.checks === "8"), `every report counts eight checks: ${all}`);
    const done = reports.map((p) => Number(p.done));
    assert.ok(done.every((d, i) => i === 0 || d >= done[i - 1]), `the checks done only go up: ${all}`);

    // Eight checks, each with a status; none failed on the sandbox's healthy stores.
    const checks = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="audit-check"]')].map((c) => [c.getAttribute("data-check"), c.getAttribute("data-status")]),
    );
    assert.equal(checks.length, 8, `eight checks: ${JSON.stringify(checks)}`);
    assert.ok(!checks.some(([, s]) => s === "failed"), `no check failed: ${JSON.stringify(checks)}`);
    assert.deepEqual(
      checks.filter(([c]) => ["read_model", "cross_tenant_relationships", "cache"].includes(c)).map(([, s]) => s),
      ["findings", "findings", "findings"],
      `the read model, graph and cache checks found something: ${JSON.stringify(checks)}`,
    );

    const kinds = await browser.execute(() => [...document.querySelectorAll('[data-testid="audit-finding"]')].map((f) => f.getAttribute("data-kind")));
    for (const kind of KINDS) assert.ok(kinds.includes(kind), `a ${kind} finding is shown: ${[...new Set(kinds)].join(", ")}`);

    // Grouped worst first: the cross-tenant relationship is critical, and the summary counts it.
    const groups = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="audit-severity-group"]')].map((g) => g.getAttribute("data-severity")),
    );
    assert.equal(groups[0], "critical", `critical findings come first: ${groups.join(", ")}`);
    const critical = Number(await (await byTestId("audit-summary-critical")).getAttribute("data-count"));
    assert.ok(critical >= 1, "the summary counts the critical findings");
    const total = Number(await (await byTestId("audit-summary")).getAttribute("data-total"));
    assert.equal(total, kinds.length, "the summary counts every finding shown");
    await saveScreenshot(path.join(OUTPUT_DIR, "audit-report.png"));
  });

  it("opens the lagging row's finding and follows it into Time travel", async () => {
    const lag = await findingOf("read_model_lag");
    const subject = await lag.getAttribute("data-subject");
    const body = await unfold(lag);
    assert.match(await text(await body.$('[data-testid="audit-finding-message"]')), /later events? (is|are) not applied/);
    const evidence = await body.$$('[data-testid="audit-evidence"]');
    assert.ok(evidence.length >= 2, "the row and the fold, side by side");
    assert.match(await text(await body.$('[data-testid="audit-finding-remedy"]')), /replay|catch up/);

    const target = await follow(lag, "timetravel");
    assert.equal(target, subject);
    await waitFor("screen-timetravel");
    assert.equal(await (await byTestId("tt-aggregate")).getValue(), subject, "Time travel opens the aggregate");
    const slug = await waitFor("tt-tenant-slug", 60_000);
    await browser.waitUntil(async () => (await text(slug)) === TENANT, { timeout: 30_000, timeoutMsg: "Time travel did not load globex's aggregate" });
  });

  it("comes back to the report and follows a stale cache entry into Cache", async () => {
    await backToReport(reportId);
    const stale = await findingOf("cache_stale");
    const subject = await stale.getAttribute("data-subject");
    await unfold(stale);
    const key = await follow(stale, "cache");
    assert.ok(key.includes(subject), `the key ${key} caches ${subject}`);
    await waitFor("screen-cache");
    const shown = await waitFor("cache-value-key");
    assert.equal(await text(shown), key, "Cache opens the key in the value viewer");
    const value = await waitFor("cache-value");
    await browser.waitUntil(async () => (await value.getAttribute("data-kind")) === "string", {
      timeout: 30_000,
      timeoutMsg: "the stale entry's value never loaded",
    });
  });

  it("comes back and follows the cross-tenant relationship to its node in Graph", async () => {
    await backToReport(reportId);
    const crossing = await findingOf("cross_tenant_relationship");
    const subject = await crossing.getAttribute("data-subject");
    const body = await unfold(crossing);
    assert.match(await text(await body.$('[data-testid="audit-finding-message"]')), /of (tenant|no tenant)/);
    await follow(crossing, "graph");
    await waitFor("screen-graph");
    assert.equal(await (await byTestId("graph-tenant")).getValue(), TENANT);
    assert.equal(await (await byTestId("graph-search-input")).getValue(), subject);
    const hit = await $(`[data-testid="graph-hit"][data-id="${subject}"]`);
    await hit.waitForExist({ timeout: 30_000, timeoutMsg: `Graph found no node ${subject} in ${TENANT}` });
  });

  it("exports the report as HTML into the exports folder", async () => {
    await backToReport(reportId);
    await (await byTestId("audit-export-html")).click();
    const saved = await waitFor("audit-export-html-path", 60_000);
    const file = (await text(saved)).trim();
    assert.ok(file.endsWith(".html"), `an HTML file: ${file}`);
    assert.equal(path.dirname(file), APP_ENV.STORELENS_EXPORT_DIR, `in the exports folder: ${file}`);
    assert.ok(fs.existsSync(file), `the file exists: ${file}`);
    const html = fs.readFileSync(file, "utf8");
    assert.ok(html.includes(TENANT), "the report names the tenant");
    assert.ok(html.includes("cross_tenant_relationship") || html.includes("Relationship"), "and lists its findings");
    assert.equal(await (await byTestId("audit-export-html")).isEnabled(), false, "saved once: the button says so");
  });
});
