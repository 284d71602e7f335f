// The app opens on the `sandbox` connection (appInfo().defaultConnection; wdio.conf.js registered
// it from `scripts/stack env`) and its status bar reports all four stores of the real servers up.
import assert from "node:assert/strict";
import path from "node:path";
import { OUTPUT_DIR } from "../support/env.js";
import { saveScreenshot } from "../support/screenshot.js";

const STORES = ["postgres", "graph", "redis", "objects"];
const CHIPS = '[data-testid^="store-health-"]';

/** [{ store, state, title }] of every store chip in the status bar. */
function readChips() {
  return browser.execute(
    (selector) =>
      Array.from(document.querySelectorAll(selector), (el) => ({
        store: el.getAttribute("data-testid").replace("store-health-", ""),
        state: el.getAttribute("data-state"),
        title: el.getAttribute("title"),
      })),
    CHIPS,
  );
}

describe("store health", () => {
  it("opens on the sandbox connection", async () => {
    assert.equal(await browser.getTitle(), "Storelens");
    const picker = await $('[data-testid="connection-picker"]');
    await browser.waitUntil(async () => (await picker.getValue()) === "sandbox", {
      timeout: 15_000,
      timeoutMsg: "the connection picker never selected `sandbox`",
    });
  });

  it("shows the four sandbox stores up", async () => {
    let chips = [];
    try {
      await browser.waitUntil(
        async () => {
          chips = await readChips();
          return chips.length === STORES.length && chips.every((c) => c.state === "up");
        },
        { timeout: 30_000, interval: 500 },
      );
    } catch {
      // Fall through to the assertions below, which say which store is not up and why.
    } finally {
      await saveScreenshot(path.join(OUTPUT_DIR, "health.png"));
    }
    const summary = chips.map((c) => `${c.store}=${c.state} (${c.title?.replace(/\n/g, "; ")})`).join(", ");
    assert.deepEqual(
      chips.map((c) => c.store),
      STORES,
      `the status bar should show ${STORES.join(", ")}; it shows: ${summary || "no store chips"}`,
    );
    for (const chip of chips) {
      assert.equal(chip.state, "up", `store ${chip.store} should be up within 30 s; status bar: ${summary}`);
    }
  });
});
