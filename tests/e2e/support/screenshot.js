// Screenshots that show the current DOM. Under Xvfb the first WebKitWebDriver screenshot of a
// session returns an older frame (the compositor catches up on that first snapshot), so wait for
// the next frames and throw one snapshot away before saving.
import fs from "node:fs";
import path from "node:path";

const nextFrames = () =>
  browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));

/** Saves a PNG of the app window to file (its directory is created). */
export async function saveScreenshot(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await nextFrames();
  await browser.takeScreenshot();
  await nextFrames();
  await browser.saveScreenshot(file);
}
