// WebdriverIO config for the Storelens desktop app: WebdriverIO -> tauri-driver (port 4444) ->
// WebKitWebDriver (port 4445) -> target/debug/storelens-app, one fresh app per spec file.
//
// Run it as scripts/test does: with DISPLAY set, inside `run_in_desktop_session` (a session bus
// with an unlocked Secret Service, so the OS keychain works) and with `scripts/stack env`
// exported:   cd tests/e2e && npm test
//
// The launcher (onPrepare) makes throwaway STORELENS_CONFIG_DIR / _DATA_DIR / _LOG_DIR (and XDG
// dirs for the webview's own storage) under output/run-<timestamp>/app/, registers the
// `sandbox` connection with the CLI, and starts tauri-driver; onComplete stops it. The workers
// and the app inherit the environment, so the app and the CLI see the same files and keychain.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { SevereServiceError } from "webdriverio";
import { APP_BINARY, APP_ENV, CLI_BINARY, REPO_ROOT, RUN_DIR } from "./support/env.js";
import { saveScreenshot } from "./support/screenshot.js";

const DRIVER_PORT = 4444;
const NATIVE_PORT = 4445;
const HOST = "127.0.0.1";
const DRIVER_LOG = path.join(RUN_DIR, "tauri-driver.log");

let driver = null;

function fail(message) {
  // Only a SevereServiceError thrown from onPrepare stops the launcher (non-zero exit); any other
  // error is logged and the run goes on.
  throw new SevereServiceError(`[e2e] ${message}`);
}

function findTauriDriver() {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const cargoHome = process.env.CARGO_HOME ?? path.join(process.env.HOME ?? "/root", ".cargo");
  dirs.push(path.join(cargoHome, "bin"));
  for (const dir of dirs) {
    const candidate = path.join(dir, "tauri-driver");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return fail("tauri-driver not found on PATH or in ~/.cargo/bin: run `cargo install tauri-driver --version 2.1.0 --locked` (scripts/lib/toolchain.sh ensure_test_deps)");
}

function findNativeDriver() {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).concat("/usr/bin")) {
    const candidate = path.join(dir, "WebKitWebDriver");
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return fail("WebKitWebDriver not found: install the Debian package webkit2gtk-driver");
}

function portAcceptsConnections(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function checkPrerequisites() {
  for (const [binary, what] of [
    [APP_BINARY, "the app"],
    [CLI_BINARY, "the CLI"],
  ]) {
    if (!fs.existsSync(binary)) {
      fail(`${what} is not built: ${binary} does not exist. Run cargo build -p storelens-app -p storelens-cli first (after npm run build in ui/).`);
    }
  }
  const dist = path.join(REPO_ROOT, "ui", "dist", "index.html");
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs > fs.statSync(APP_BINARY).mtimeMs) {
    console.warn(`[e2e] warning: ui/dist is newer than ${APP_BINARY}; the app embeds ui/dist at compile time, so it may show an older UI (rebuild it with cargo build -p storelens-app)`);
  }
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    fail("no DISPLAY: start Xvfb first (scripts/lib/session.sh ensure_display)");
  }
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    fail("no D-Bus session bus, so no keychain: run the suite inside scripts/lib/session.sh run_in_desktop_session");
  }
  if (!process.env.STORELENS_PG_URL) {
    fail("the sandbox endpoints are not set: eval \"$(scripts/stack env)\" first (and scripts/stack up)");
  }
}

/** Keeps the run dirs of the last few runs (for their logs), deletes older ones. */
function pruneOldRuns(keep = 3) {
  const parent = path.dirname(RUN_DIR);
  if (!fs.existsSync(parent)) return;
  const runs = fs
    .readdirSync(parent)
    .filter((name) => name.startsWith("run-") && path.join(parent, name) !== RUN_DIR)
    .sort();
  for (const name of runs.slice(0, Math.max(0, runs.length - keep))) {
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function registerSandboxConnection() {
  const run = spawnSync(CLI_BINARY, ["connections", "add", "sandbox", "--from-env", "--replace"], {
    env: process.env,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.status !== 0) {
    fail(`\`storelens connections add sandbox --from-env --replace\` failed (status ${run.status ?? run.signal}):\n${run.stderr}${run.stdout}${run.error ?? ""}`);
  }
  console.log(`[e2e] ${run.stdout.trim()}`);
}

async function startTauriDriver() {
  for (const port of [DRIVER_PORT, NATIVE_PORT]) {
    if (await portAcceptsConnections(port)) {
      fail(`port ${port} is already in use (another tauri-driver or WebKitWebDriver still running?)`);
    }
  }
  const log = fs.openSync(DRIVER_LOG, "a");
  // Its own process group: stopTauriDriver can then also reach WebKitWebDriver and the app.
  driver = spawn(
    findTauriDriver(),
    ["--port", String(DRIVER_PORT), "--native-port", String(NATIVE_PORT), "--native-driver", findNativeDriver()],
    { stdio: ["ignore", log, log], detached: true, env: process.env },
  );
  fs.closeSync(log);
  let exited = null;
  driver.once("exit", (code, signal) => {
    exited = signal ?? code;
  });
  const deadline = Date.now() + 15_000;
  while (!(await portAcceptsConnections(DRIVER_PORT))) {
    if (exited !== null) {
      // It may have left its WebKitWebDriver behind (e.g. when it could not bind its port).
      signal(-driver.pid, "SIGKILL");
      driver = null;
      fail(`tauri-driver exited (${exited}) before listening on ${DRIVER_PORT}; see ${DRIVER_LOG}:\n${fs.readFileSync(DRIVER_LOG, "utf8")}`);
    }
    if (Date.now() > deadline) {
      await stopTauriDriver();
      fail(`tauri-driver did not listen on ${DRIVER_PORT} within 15 s; see ${DRIVER_LOG}`);
    }
    await sleep(100);
  }
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM to tauri-driver (it then kills its WebKitWebDriver, which closes an app it still runs),
 * then SIGKILL to whatever is left of its process group (an app orphaned by a killed
 * WebKitWebDriver). Waits for tauri-driver's exit so that it is reaped, not left a zombie.
 */
async function stopTauriDriver() {
  if (!driver) return;
  const child = driver;
  driver = null;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once("exit", resolve));
  signal(child.pid, "SIGTERM");
  await Promise.race([exited, sleep(5_000)]);
  signal(-child.pid, "SIGKILL");
  await Promise.race([exited, sleep(1_000)]);
}

/** The same, for the process "exit" handler (synchronous: no waiting, no reaping). */
function killTauriDriverNow() {
  if (!driver) return;
  const pid = driver.pid;
  driver = null;
  signal(pid, "SIGTERM");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  signal(-pid, "SIGKILL");
}

export const config = {
  runner: "local",
  specs: ["./specs/**/*.e2e.js"],
  maxInstances: 1,
  hostname: HOST,
  port: DRIVER_PORT,
  capabilities: [
    {
      maxInstances: 1,
      "tauri:options": { application: APP_BINARY },
      // WebKitWebDriver speaks classic WebDriver only (no BiDi).
      "wdio:enforceWebDriverClassic": true,
    },
  ],
  logLevel: "warn",
  bail: 0,
  waitforTimeout: 10_000,
  connectionRetryTimeout: 60_000,
  connectionRetryCount: 1,
  framework: "mocha",
  reporters: ["spec"],
  mochaOpts: { ui: "bdd", timeout: 120_000 },

  onPrepare: async () => {
    checkPrerequisites();
    pruneOldRuns();
    for (const dir of Object.values(APP_ENV)) fs.mkdirSync(dir, { recursive: true });
    Object.assign(process.env, APP_ENV);
    console.log(`[e2e] run dir: ${RUN_DIR}`);
    registerSandboxConnection();
    process.once("exit", killTauriDriverNow);
    await startTauriDriver();
  },

  // A failed test leaves a picture of the app behind: output/run-*/failures/<spec> - <test>.png.
  afterTest: async (test, _context, { passed }) => {
    if (passed) return;
    const name = `${path.basename(test.file ?? "spec", ".e2e.js")} - ${test.title}`.replace(/[^\w .-]+/g, "_");
    const file = path.join(RUN_DIR, "failures", `${name}.png`);
    try {
      await saveScreenshot(file);
      console.log(`[e2e] screenshot of the failure: ${file}`);
    } catch (e) {
      console.warn(`[e2e] no screenshot of the failure: ${e.message}`);
    }
  },

  onComplete: async () => {
    await stopTauriDriver();
  },
};

