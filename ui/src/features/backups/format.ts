import type { CatalogEntry, Measure } from "../../backend";
import { formatCount } from "../../lib/format";

export type VerificationState = "verified" | "failed" | "not verified";

/** What the catalog says of a backup's last verification. */
export function verificationState(entry: Pick<CatalogEntry, "verification">): VerificationState {
  if (entry.verification === null) return "not verified";
  return entry.verification.passed ? "verified" : "failed";
}

/** Newest first by when the run finished (the backend sorts too; a copy keeps it so whatever the source). */
export function newestFirst(entries: readonly CatalogEntry[]): CatalogEntry[] {
  return [...entries].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
}

/** `90` → `1 min`, `7200` → `2 h`, `172800` → `2 d`: an age at a glance (seconds cross IPC as text). */
export function formatAge(seconds: string): string {
  const s = Number(seconds);
  if (!Number.isFinite(s)) return seconds;
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** `1234 rows of atoms`: a measure as the manifest counts it. */
export function formatMeasure(measure: Measure): string {
  return `${formatCount(measure.count)} ${measure.what}`;
}
