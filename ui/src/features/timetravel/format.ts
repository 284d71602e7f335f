import type { JsonValue, PathChange, StepKind, StoreComparison } from "../../backend";

/** Characters of a value shown in one line of a diff. */
export const VALUE_CHARS = 160;

/** A value on one line: compact JSON, cut with `…` past `max` characters. */
export function compactValue(value: JsonValue, max = VALUE_CHARS): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A JSON pointer as shown: `""` (the whole state) is `state`. */
export const showPath = (path: string) => (path === "" ? "state" : path);

/** One line per change: `+ /path = value`, `- /path (was …)`, `~ /path: old → new`. */
export function formatChange(change: PathChange, max = VALUE_CHARS): string {
  const path = showPath(change.path);
  switch (change.op) {
    case "added":
      return `+ ${path} = ${compactValue(change.value, max)}`;
    case "removed":
      return `- ${path} (was ${compactValue(change.old, max)})`;
    case "changed":
      return `~ ${path}: ${compactValue(change.old, max)} → ${compactValue(change.new, max)}`;
  }
}

/** An RFC 3339 time as `2025-03-03 09:14:00.000`; anything else as it came. */
export function formatWhen(time: string | null): string {
  if (time === null) return "—";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(time);
  return m ? `${m[1]} ${m[2]}${m[3] && !/^\.0+$/.test(m[3]) ? m[3].slice(0, 4) : ""}` : time;
}

export const KIND_LABELS: Record<StepKind, string> = {
  create: "create",
  update: "update",
  delete: "delete",
  other: "other",
};

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** A store's verdict in words: `in sync`, `lag: 1 event behind (reflects seq 8242 at …)`, `unknown: why`. */
export function verdictLabel(c: StoreComparison): string {
  switch (c.verdict) {
    case "in_sync":
      return "in sync";
    case "lag": {
      const at = [c.at_sequence !== null ? `seq ${c.at_sequence}` : null, c.at_time !== null ? `at ${formatWhen(c.at_time)}` : null]
        .filter(Boolean)
        .join(" ");
      return `lag: ${plural(c.behind, "event")} behind${at ? ` (reflects ${at})` : ""}`;
    }
    case "drift":
      return "drift";
    case "missing":
      return "missing";
    case "orphaned":
      return "orphaned";
    case "unknown":
      return `unknown: ${c.reason}`;
  }
}

/** What a verdict means, for its tooltip. */
export const VERDICT_HINTS: Record<StoreComparison["verdict"], string> = {
  in_sync: "The store holds the current fold",
  lag: "The store holds the state of an earlier event: the later events explain the difference",
  drift: "The store holds a value no point of the history had",
  missing: "The aggregate is live but the store has nothing of it",
  orphaned: "The aggregate is deleted (or was never created) but the store still has it",
  unknown: "The store could not be read, or the profile gives it nothing of this aggregate type",
};

/** Verdicts that call for a look: flagged in the panel. */
export const isFlagged = (c: StoreComparison) => c.verdict === "lag" || c.verdict === "drift" || c.verdict === "missing" || c.verdict === "orphaned";
