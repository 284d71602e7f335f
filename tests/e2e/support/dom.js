// What every spec uses to reach the app's DOM and to check it against plain psql.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

/** One value by plain psql, to check the app against. */
export function psql(sql) {
  const url = process.env.STORELENS_PG_URL;
  assert.ok(url, 'STORELENS_PG_URL is not set: eval "$(scripts/stack env)" before the suite');
  const run = spawnSync("psql", [url, "-Atc", sql], { encoding: "utf8" });
  assert.equal(run.status, 0, `psql failed: ${run.stderr}`);
  return run.stdout.trim();
}

export const byTestId = (id) => $(`[data-testid="${id}"]`);

/** textContent, not getText: getText of an element scrolled out of view is "". */
export const text = (el) => browser.execute((node) => node.textContent, el);

/** The element once it exists (displayed or not). */
export async function waitFor(id, timeout = 30_000) {
  const el = await byTestId(id);
  await el.waitForExist({ timeout, timeoutMsg: `${id} never showed` });
  return el;
}
