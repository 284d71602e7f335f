// The Graph screen in the real app on the seeded sandbox: find a globex atom by name, expand it
// (its molecules) and expand again (theirs), find the shortest path to a globex molecule, inspect
// it, and expand it to meet the relationship the sandbox plants across tenants: that molecule
// REQUIRES acme's supernode atom. What is drawn is read from the DOM and from
// `window.__storelensGraph` (the canvas's probe), never from WebGL pixels.
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import { APP_ENV, OUTPUT_DIR } from "../support/env.js";
import { byTestId, psql, text, waitFor } from "../support/dom.js";
import { saveScreenshot } from "../support/screenshot.js";

const TENANT = "globex";
const ATOM = "0dc9de4e-1087-4cd9-944e-a5e8cac60b0f"; // globex's `tax-limit-0`
const MOLECULE = "6324e281-a86a-4416-b4f4-748aff37fdc1"; // globex's, REQUIRES acme's supernode
const ACME_ATOM = "dc740773-dd75-442a-abfc-6eee0adce3c2"; // acme's supernode atom

/** What the canvas draws (the probe's view of the graphology graph sigma renders). */
const drawn = () => browser.execute(() => window.__storelensGraph?.drawn() ?? { nodes: [], edges: [] });
const drawnCount = async () => Number(await (await byTestId("graph-counts")).getAttribute("data-nodes"));

async function waitForCount(atLeast, what) {
  await browser.waitUntil(async () => (await drawnCount()) >= atLeast, { timeout: 60_000, timeoutMsg: `${what}: fewer than ${atLeast} nodes drawn` });
}

/** The inspector once it shows the node of this id. */
async function inspected(id) {
  const node = await waitFor("graph-inspector-node");
  await browser.waitUntil(async () => (await node.getAttribute("data-id")) === id, { timeout: 30_000, timeoutMsg: `the inspector never showed ${id}` });
  return node;
}

/** Selects a drawn node through "find on the canvas" (the canvas itself is WebGL). */
async function locate(id) {
  await (await byTestId("graph-locate-input")).setValue(id);
  const hit = await $(`[data-testid="graph-locate-hit"][data-id="${id}"]`);
  await hit.waitForExist({ timeout: 10_000, timeoutMsg: `${id} is not on the canvas` });
  await hit.click();
  return inspected(id);
}

describe("graph", () => {
  let globexId;
  let acmeId;
  before(() => {
    globexId = psql(`select id from tenants where slug = '${TENANT}'`);
    acmeId = psql("select id from tenants where slug = 'acme'");
    assert.ok(globexId && acmeId, "the sandbox has tenants globex and acme");
  });

  it("finds an atom by name, expands it twice, and the layout settles", async () => {
    await (await waitFor("nav-graph")).click();
    await (await waitFor("graph-tenant")).setValue(TENANT);
    await (await byTestId("graph-search-input")).setValue("tax-limit-0");
    await (await byTestId("graph-search-button")).click();
    const hit = await $(`[data-testid="graph-hit"][data-id="${ATOM}"]`);
    await hit.waitForExist({ timeout: 30_000, timeoutMsg: "tax-limit-0 was not found" });
    await hit.click();
    await inspected(ATOM);
    await browser.waitUntil(async () => (await drawn()).nodes.some((n) => n.id === ATOM), { timeoutMsg: "the atom is not drawn" });

    // Its molecules...
    await (await byTestId("graph-expand")).click();
    await waitForCount(2, "first expansion");
    // The count shows the new nodes a frame before the renderer holds their relationships.
    await browser.waitUntil(async () => (await drawn()).edges.length >= 1, { timeout: 30_000, timeoutMsg: "the atom's relationships are drawn" });
    const first = await drawn();
    assert.ok(first.edges.length >= 1, "the atom's relationships are drawn");
    assert.ok(first.nodes.every((n) => !n.foreign), "an atom's own molecules are all globex's");
    // ...then theirs.
    const again = await byTestId("graph-expand-new");
    assert.match(await text(again), /Expand the \d+ new nodes?/);
    await again.click();
    await waitForCount(first.nodes.length + 1, "second expansion");
    assert.match(await text(await byTestId("graph-notes")), /Expansion: \d+ nodes/);

    // The worker lays it out and says when it settled.
    await browser.waitUntil(async () => (await browser.execute(() => window.__storelensGraph?.layoutSettledMs ?? null)) !== null, {
      timeout: 60_000,
      timeoutMsg: "the layout never settled",
    });
    const probe = await browser.execute(() => {
      const p = window.__storelensGraph;
      return { nodes: p.nodes, frames: p.frames, settledBy: p.settledBy, lastRenderMs: p.lastRenderMs };
    });
    assert.equal(probe.nodes, await drawnCount(), "sigma draws every node the screen counts");
    assert.ok(probe.frames > 0 && probe.lastRenderMs !== null, "sigma rendered frames");
    assert.ok(["displacement", "budget"].includes(probe.settledBy));
  });

  it("finds the shortest path from the atom to a molecule and highlights it", async () => {
    await locate(ATOM);
    await (await byTestId("graph-path-from-here")).click();
    await (await byTestId("graph-path-to")).setValue(MOLECULE);
    await (await byTestId("graph-path-run")).click();
    const result = await waitFor("graph-path-result", 60_000);
    const hops = Number(await result.getAttribute("data-hops"));
    assert.ok(hops >= 1, `a path was found: ${hops} hops`);
    const steps = await browser.execute(() => [...document.querySelectorAll('[data-testid="graph-path-node"]')].map((b) => b.textContent));
    assert.equal(steps[0], "tax-limit-0", `the path starts at the atom: ${steps.join(" / ")}`);
    const g = await drawn();
    assert.equal(g.edges.filter((e) => e.onPath).length, hops, "the path's relationships are highlighted on the canvas");
    assert.ok(g.nodes.some((n) => n.id === MOLECULE && n.onPath), "the molecule is drawn, on the path");
    await saveScreenshot(path.join(OUTPUT_DIR, "graph-path.png"));
  });

  it("inspects the molecule and, expanded, flags the relationship to acme's atom", async () => {
    const node = await locate(MOLECULE);
    assert.equal(await node.getAttribute("data-foreign"), "false");
    const idRow = await browser.execute(
      (el) => el.querySelector('[data-testid="graph-inspector-property"][data-name="id"] td')?.textContent,
      node,
    );
    assert.equal(idRow, MOLECULE, "the inspector lists the node's properties");

    await (await byTestId("graph-expand")).click();
    const notice = await waitFor("graph-breaches", 60_000);
    const foreign = await $(`[data-testid="graph-foreign-node"][data-id="${ACME_ATOM}"]`);
    await foreign.waitForExist({ timeout: 30_000, timeoutMsg: "acme's atom is not listed as another tenant's node" });
    assert.ok((await text(notice)).includes(`${globexId} → ${acmeId}`), "the breach names both tenants");
    const g = await drawn();
    const acmeAtom = g.nodes.find((n) => n.id === ACME_ATOM);
    assert.ok(acmeAtom?.foreign, "acme's atom is drawn as foreign");
    assert.ok(
      g.edges.some((e) => e.breach && e.type === "REQUIRES" && e.target === acmeAtom.key),
      "the REQUIRES relationship to it is drawn as a breach",
    );
    await (await byTestId("graph-notes")).scrollIntoView();
    await saveScreenshot(path.join(OUTPUT_DIR, "graph-breach.png"));

    // Another tenant's node is never expanded.
    await foreign.click();
    const inspector = await inspected(ACME_ATOM);
    assert.equal(await inspector.getAttribute("data-foreign"), "true");
    assert.equal(await (await byTestId("graph-expand")).isEnabled(), false, "its Expand button is disabled");
    assert.match(await text(await byTestId("graph-expand-reason")), /Another tenant's node/);
  });
  it("exports the view as PNG and JSON into the exports folder", async () => {
    const exportDir = APP_ENV.STORELENS_EXPORT_DIR;
    for (const [button, ext] of [["graph-export-json", ".json"], ["graph-export-png", ".png"]]) {
      await (await byTestId(button)).click();
      const saved = await waitFor("graph-export-saved", 30_000);
      await browser.waitUntil(async () => (await text(saved)).includes(ext), { timeout: 30_000, timeoutMsg: `no ${ext} saved: ${await text(saved)}` });
    }
    const files = fs.readdirSync(exportDir);
    const json = files.find((f) => f.endsWith(".json"));
    const png = files.find((f) => f.endsWith(".png"));
    assert.ok(json && png, `both files are in ${exportDir}: ${files.join(", ")}`);
    const view = JSON.parse(fs.readFileSync(path.join(exportDir, json), "utf8"));
    const g = await drawn();
    assert.equal(view.nodes.length, g.nodes.length, "the JSON holds every drawn node");
    assert.ok(view.edges.some((e) => e.breach), "and the breach");
    const header = fs.readFileSync(path.join(exportDir, png)).subarray(0, 8);
    assert.deepEqual([...header], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG file");
  });
  it("follows the molecule's link to its row and events in Find", async () => {
    await locate(MOLECULE);
    await (await byTestId("graph-open-find")).click();
    await waitFor("screen-find");
    const hit = await $(`[data-testid="find-hit"][data-tenant="${TENANT}"]`);
    await hit.waitForExist({ timeout: 30_000, timeoutMsg: "Find shows no hit of globex for the molecule" });
    assert.match(await text(await hit.$('[data-testid="find-row"]')), /molecules/, "its read-model row");
    assert.match(await text(await hit.$('[data-testid="find-events"]')), /Events/, "its events");
  });
});
