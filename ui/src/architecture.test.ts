// Layering rules, checked on the source text:
// - a feature imports no other feature (only backend/, components/, lib/);
// - shared layers (backend/, components/, lib/) import no feature and not app/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));
const FEATURES = join(SRC, "features");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier: static imports/exports (incl. `import type`), dynamic import(), vi.mock(). */
export function importSpecifiers(code: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\bvi\.mock\s*\(\s*["']([^"']+)["']/g,
  ];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
}

/** The top-level area (features/<x>, backend, app, ...) a file or import target belongs to. */
function areaOf(absPath: string): string | null {
  const rel = relative(SRC, absPath).split(sep);
  if (rel[0] === "..") return null;
  if (rel[0] === "features") return rel.length > 1 ? `features/${rel[1]}` : "features";
  return rel.length > 1 ? rel[0]! : null;
}

function violations(files: string[], allowed: (from: string, to: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of files) {
    const from = areaOf(file)!;
    for (const spec of importSpecifiers(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue; // packages
      const to = areaOf(resolve(dirname(file), spec));
      if (to !== null && !allowed(from, to)) found.push(`${relative(SRC, file)} -> ${spec} (${to})`);
    }
  }
  return found;
}

describe("architecture", () => {
  it("finds the imports it checks", () => {
    expect(
      importSpecifiers(`
        import { a } from "../x/a";
        import type { B } from '../../features/y/b';
        export { c } from "./c";
        import "./side-effect.css";
        const m = await import("../lazy");
        import {
          d,
        } from "../../features/z/d";
      `),
    ).toEqual(["../x/a", "../../features/y/b", "./c", "../../features/z/d", "./side-effect.css", "../lazy"]);
    const features = readdirSync(FEATURES);
    expect(features).toEqual(
      expect.arrayContaining(["connections", "health", "tenants", "graph", "cache", "timetravel", "backups"]),
    );
    expect(sourceFiles(FEATURES).flatMap((f) => importSpecifiers(readFileSync(f, "utf8"))).length).toBeGreaterThan(20);
  });

  it("no feature imports from another feature", () => {
    const bad = violations(sourceFiles(FEATURES), (from, to) => !to.startsWith("features/") || to === from);
    expect(bad).toEqual([]);
  });

  it("features import only backend/, components/, lib/, test/ and themselves", () => {
    const bad = violations(sourceFiles(FEATURES), (from, to) =>
      ["backend", "components", "lib", "test", from].includes(to),
    );
    expect(bad).toEqual([]);
  });

  it("shared layers import no feature and not the app", () => {
    const shared = ["backend", "components", "lib"].flatMap((d) => sourceFiles(join(SRC, d)));
    const bad = violations(shared, (_from, to) => !to.startsWith("features") && to !== "app");
    expect(bad).toEqual([]);
  });

  it("only src/backend talks to Tauri", () => {
    const outside = sourceFiles(SRC).filter((f) => areaOf(f) !== "backend" && !f.endsWith("bindings.ts"));
    const bad = outside.filter((f) =>
      importSpecifiers(readFileSync(f, "utf8")).some((s) => s.startsWith("@tauri-apps/") || s.endsWith("/bindings")),
    );
    expect(bad.map((f) => relative(SRC, f))).toEqual([]);
  });
});
