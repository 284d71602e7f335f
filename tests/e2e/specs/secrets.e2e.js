// Passwords typed into the connection editor go to the OS keychain and nowhere else: after a
// save (and after a restart of the app), no file the app can write contains them, while the
// config file does describe the connection and a fresh app process reads them back from the
// keychain.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { APP_DIR, APP_ENV, CLI_BINARY, OUTPUT_DIR } from "../support/env.js";
import { saveScreenshot } from "../support/screenshot.js";

const NAME = "e2e-secret";
const PASSWORD = `E2E-${Date.now()}-${crypto.randomBytes(6).toString("hex")}-pw`;
const EDITOR = '//form[@data-testid="connection-editor"]';

function need(variable) {
  const value = process.env[variable];
  assert.ok(value, `${variable} is not set: eval "$(scripts/stack env)" before the suite`);
  return value;
}

/** A URL without its password: the editor takes passwords only in the password fields. */
function withoutPassword(url) {
  return url.replace(/^([a-z0-9+.-]+:\/\/)([^:@/]*)(:[^@/]*)?@/i, (_, scheme, user) =>
    user ? `${scheme}${user}@` : scheme,
  );
}

/** The form control labelled `label` (exact text) inside the XPath scope. */
async function field(scope, label) {
  const caption = await $(`${scope}//label[normalize-space(.)="${label}"]`);
  const id = await caption.getAttribute("for");
  assert.ok(id, `the label "${label}" in ${scope} is not tied to a control`);
  return $(`//*[@id="${id}"]`);
}

const section = (store) => `//fieldset[@data-testid="section-${store}"]`;

/** Replaces the control's value the way a user does, and checks React kept it. */
async function fill(control, value) {
  if ((await control.getValue()) !== value) {
    if ((await control.getValue()) !== "") {
      // Select the old text and delete it with a key press, so React sees the change.
      await browser.execute((el) => {
        el.focus();
        el.select();
      }, control);
      await browser.keys("Backspace");
    }
    await control.addValue(value);
  }
  assert.equal(await control.getValue(), value);
}

/** Every file under dir, recursively. */
function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/** Asserts that no file the app may write contains the password (as UTF-8 or UTF-16). */
function assertPasswordInNoFile() {
  const needles = [Buffer.from(PASSWORD, "utf8"), Buffer.from(PASSWORD, "utf16le")];
  const dirs = [APP_ENV.STORELENS_CONFIG_DIR, APP_ENV.STORELENS_DATA_DIR, APP_ENV.STORELENS_LOG_DIR, APP_DIR];
  const files = [...new Set(dirs.flatMap(filesUnder))];
  assert.ok(files.length > 0, `no files at all under ${APP_DIR}`);
  const leaks = files.filter((file) => {
    const bytes = fs.readFileSync(file);
    return needles.some((needle) => bytes.includes(needle));
  });
  assert.deepEqual(leaks, [], `the password was written to ${leaks.join(", ")}`);
  return files.length;
}

function assertConfigDescribesConnection() {
  const file = path.join(APP_ENV.STORELENS_CONFIG_DIR, "connections.toml");
  assert.ok(fs.existsSync(file), `${file} was not written`);
  const text = fs.readFileSync(file, "utf8");
  assert.ok(text.includes(NAME), `${file} does not mention the connection ${NAME}:\n${text}`);
  assert.ok(text.includes(need("STORELENS_S3_BUCKET")), `${file} lacks the bucket of ${NAME}:\n${text}`);
}

async function openConnectionsScreen() {
  await (await $('[data-testid="nav-connections"]')).click();
  await (await $('[data-testid="screen-connections"]')).waitForDisplayed();
}

async function waitForStoredBadges() {
  for (const store of ["postgres", "objects"]) {
    await (await $(`[data-testid="secret-stored-${store}"]`)).waitForDisplayed({
      timeout: 15_000,
      timeoutMsg: `the editor does not show the ${store} password as stored in the keychain`,
    });
  }
}

function cli(...args) {
  return spawnSync(CLI_BINARY, args, { env: process.env, encoding: "utf8", timeout: 60_000 });
}

describe("connection secrets", () => {
  before(() => {
    // The config dir is throwaway, the keychain is not: an aborted earlier run may have left
    // e2e-secret entries there. Register a bare e2e-secret and remove it, which purges them all.
    const add = cli("connections", "add", NAME, "--replace", "--pg-url", "postgres://e2e@127.0.0.1:9/e2e");
    assert.equal(add.status, 0, `storelens connections add ${NAME} failed: ${add.stderr}`);
    const remove = cli("connections", "remove", NAME);
    assert.equal(remove.status, 0, `storelens connections remove ${NAME} failed: ${remove.stderr}`);
  });

  after(() => {
    // Drop the keychain entries this spec made.
    const run = cli("connections", "remove", NAME);
    if (run.status !== 0) console.warn(`[e2e] could not remove ${NAME}: ${run.stderr}`);
  });

  it("keeps typed passwords out of every file", async () => {
    await openConnectionsScreen();
    await (await $('[data-testid="connection-new"]')).click();
    const heading = await $(`${EDITOR}//h2`);
    await browser.waitUntil(async () => (await heading.getText()) === "New connection", {
      timeoutMsg: "the editor did not open on a new connection",
    });

    await fill(await field(EDITOR, "Name"), NAME);
    await fill(await field(section("postgres"), "URL"), withoutPassword(need("STORELENS_PG_URL")));
    await fill(await field(section("graph"), "URL"), need("STORELENS_BOLT_URL"));
    await fill(await field(section("graph"), "User"), need("STORELENS_BOLT_USER"));
    await fill(await field(section("redis"), "URLs"), withoutPassword(need("STORELENS_REDIS_URL").split(",")[0]));
    await fill(await field(section("objects"), "Endpoint"), need("STORELENS_S3_ENDPOINT"));
    await fill(await field(section("objects"), "Region"), process.env.STORELENS_S3_REGION || "us-east-1");
    await fill(await field(section("objects"), "Bucket"), need("STORELENS_S3_BUCKET"));
    await fill(await field(section("objects"), "Access key ID"), need("STORELENS_S3_ACCESS_KEY"));
    await fill(await $('[data-testid="secret-postgres"]'), PASSWORD);
    await fill(await $('[data-testid="secret-objects"]'), PASSWORD);
    await saveScreenshot(path.join(OUTPUT_DIR, "secrets-editor-filled.png"));

    await (await $('[data-testid="editor-save"]')).click();
    await browser.waitUntil(
      async () => (await heading.getText()) === NAME || (await $('[data-testid="editor-error"]').isExisting()),
      { timeout: 15_000, timeoutMsg: "saving the connection did not finish within 15 s" },
    );
    const error = await $('[data-testid="editor-error"]');
    assert.ok(!(await error.isExisting()), `saving failed: ${await error.getText().catch(() => "")}`);
    await waitForStoredBadges();
    await browser.execute((el) => el.scrollIntoView({ block: "start" }), await $('[data-testid="section-postgres"]'));
    await saveScreenshot(path.join(OUTPUT_DIR, "secrets-editor.png"));

    // The UI dropped its copies of the passwords.
    for (const store of ["postgres", "objects"]) {
      assert.equal(await (await $(`[data-testid="secret-${store}"]`)).getValue(), "");
    }
    const inDom = await browser.execute((pw) => document.documentElement.outerHTML.includes(pw), PASSWORD);
    assert.equal(inDom, false, "the password is still in the DOM after saving");

    assertConfigDescribesConnection();
    const scanned = assertPasswordInNoFile();
    console.log(`[e2e] password found in none of ${scanned} files under ${APP_DIR}`);
  });

  it("reads them back from the keychain after a restart, still in no file", async () => {
    // A new session is a new app process: it can only know the passwords from the keychain.
    await browser.reloadSession();
    await openConnectionsScreen();
    const entry = await $(`//ul[@aria-label="Saved connections"]//button[.//*[normalize-space(.)="${NAME}"]]`);
    await entry.waitForDisplayed({ timeoutMsg: `${NAME} is not listed after a restart` });
    await entry.click();
    await browser.waitUntil(async () => (await $(`${EDITOR}//h2`).getText()) === NAME, {
      timeoutMsg: `the editor did not open ${NAME}`,
    });
    await waitForStoredBadges();
    assert.equal(
      await (await $('[data-testid="secret-stored-graph"]')).isExisting(),
      false,
      "no graph password was typed, yet one is shown as stored",
    );

    assertConfigDescribesConnection();
    const scanned = assertPasswordInNoFile();
    console.log(`[e2e] after the restart, password found in none of ${scanned} files under ${APP_DIR}`);
  });
});
