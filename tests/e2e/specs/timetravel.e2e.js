// Time travel in the real app on the seeded sandbox: load an atom whose read-model row was
// planted one event behind its log, move the slider and see the state and the step diff change,
// and see the lagging row flagged in the store comparison.
import assert from "node:assert/strict";
import path from "node:path";
import { OUTPUT_DIR } from "../support/env.js";
import { byTestId, psql, text, waitFor } from "../support/dom.js";
import { saveScreenshot } from "../support/screenshot.js";


describe("time travel", () => {
  it("steps through an atom's history and flags its lagging row", async () => {
    // An atom of the faulty row tenant whose row has fewer versions than its log has events.
    const atom = psql(
      "select a.id from atoms a join tenants t on t.id = a.tenant_id where t.slug = 'globex' " +
        "and a.version < (select count(*) from knowledge_events e where e.aggregate_id = a.id) order by a.id limit 1",
    );
    assert.ok(atom, "the sandbox plants a lagging atom row in globex");
    await (await waitFor("nav-timetravel")).click();
    await (await waitFor("tt-aggregate")).setValue(atom);
    await (await byTestId("tt-tenant")).setValue("globex");
    await (await byTestId("tt-load")).click();
    await waitFor("tt-timeline");
    const steps = await $$('[data-testid="tt-step"]');
    assert.ok(steps.length >= 2, `the atom has several events, saw ${steps.length}`);

    // The last step is selected: its state and diff; then step back and see both change.
    const state = await waitFor("tt-state");
    const diff = await waitFor("tt-step-diff");
    const lastState = await text(state);
    const lastDiff = await text(diff);
    await (await byTestId("tt-step-back")).click();
    await browser.waitUntil(async () => (await text(state)) !== lastState, {
      timeout: 10_000,
      timeoutMsg: "the state did not change when stepping back",
    });
    assert.notEqual(await text(diff), lastDiff, "the step diff changes with the step");

    // The slider to the first step: the state is the created one.
    const slider = await byTestId("tt-slider");
    await browser.execute((el) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
      setter.call(el, "0");
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }, slider);
    const detail = await byTestId("tt-detail");
    await browser.waitUntil(async () => (await detail.getAttribute("data-index")) === "0", {
      timeout: 10_000,
      timeoutMsg: "the slider did not select the first step",
    });

    // The read model is one event behind: flagged as lag.
    const row = await waitFor("tt-store-postgres");
    await browser.waitUntil(async () => (await row.getAttribute("data-verdict")) === "lag", {
      timeout: 30_000,
      timeoutMsg: "the lagging row was not flagged",
    });
    assert.equal(await row.getAttribute("data-flagged"), "true");
    await (await byTestId("tt-compare")).scrollIntoView();
    await saveScreenshot(path.join(OUTPUT_DIR, "timetravel.png"));
  });
});
