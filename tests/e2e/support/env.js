// Paths shared by wdio.conf.js (launcher) and the specs (workers).
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(HERE, "..");
export const REPO_ROOT = path.resolve(E2E_DIR, "../..");
const TARGET_DIR = process.env.CARGO_TARGET_DIR
  ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
  : path.join(REPO_ROOT, "target");
export const APP_BINARY = path.join(TARGET_DIR, "debug", "storelens-app");
export const CLI_BINARY = path.join(TARGET_DIR, "debug", "storelens");
/** Screenshots land here (git-ignored). */
export const OUTPUT_DIR = path.join(E2E_DIR, "output");

// Evaluated in the launcher first: the workers inherit the variable and reuse the same run dir.
process.env.STORELENS_E2E_RUN_DIR ??= path.join(
  OUTPUT_DIR,
  `run-${new Date().toISOString().replace(/[:.]/g, "-")}`,
);
export const RUN_DIR = process.env.STORELENS_E2E_RUN_DIR;

/**
 * Everything the app may write, under RUN_DIR/app. The secrets spec scans all of it for the typed
 * password; the tauri-driver log (which may echo what was typed) stays outside, in RUN_DIR.
 */
export const APP_DIR = path.join(RUN_DIR, "app");
export const APP_ENV = {
  STORELENS_CONFIG_DIR: path.join(APP_DIR, "config"),
  STORELENS_DATA_DIR: path.join(APP_DIR, "data"),
  STORELENS_LOG_DIR: path.join(APP_DIR, "logs"),
  // Exports (CSV/JSON) land in the run dir, never in the real Downloads folder.
  STORELENS_EXPORT_DIR: path.join(APP_DIR, "exports"),
  // The webview's localStorage, caches and GTK settings: throwaway too (not HOME: the toolchains
  // and tauri-driver live there).
  XDG_CONFIG_HOME: path.join(APP_DIR, "xdg-config"),
  XDG_DATA_HOME: path.join(APP_DIR, "xdg-data"),
  XDG_CACHE_HOME: path.join(APP_DIR, "xdg-cache"),
};
