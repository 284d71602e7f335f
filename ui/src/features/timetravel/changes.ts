// Rebuilding states from the steps' diffs: a PathChange list applied to a
// JSON value. Pure, and never changes its input: the containers along a
// change's path are copied, everything else is shared with the previous state.
import type { HistoryStep, JsonValue, PathChange } from "../../backend";

/** An aggregate's state; null is "no state" (not created yet, or deleted). */
export type State = JsonValue | null;

type JsonObject = { [key: string]: JsonValue };

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 6901: `/a~1b/c~0d` → `["a/b", "c~d"]`; `""` (the whole value) → `[]`. */
export function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new Error(`not a JSON pointer: ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** An array index token (`0`, `12`; `-` is one past the end). */
function arrayIndex(token: string, length: number): number | null {
  if (token === "-") return length;
  return /^(0|[1-9]\d*)$/.test(token) ? Number(token) : null;
}

/**
 * `value` with `change` applied under it at `tokens`. Objects are entered by
 * key (a missing one is created as `{}` on the way to an `added` value);
 * arrays by index, where `added` inserts and `removed` takes the element out.
 */
function applyAt(value: JsonValue | undefined, tokens: string[], change: PathChange): JsonValue | undefined {
  if (tokens.length === 0) return change.op === "removed" ? undefined : change.op === "added" ? change.value : change.new;
  const [head, ...rest] = tokens as [string, ...string[]];
  if (Array.isArray(value)) {
    const i = arrayIndex(head, value.length);
    if (i === null || i > value.length) return value;
    const out = [...value];
    if (rest.length === 0 && change.op === "added") out.splice(i, 0, change.value);
    else if (rest.length === 0 && change.op === "removed") out.splice(i, 1);
    else {
      const child = applyAt(out[i], rest, change);
      if (child === undefined) out.splice(i, 1);
      else out[i] = child;
    }
    return out;
  }
  if (!isObject(value)) {
    // Nothing to enter: only an addition creates the way to it.
    if (change.op !== "added") return value;
    value = {};
  }
  const out: JsonObject = { ...value };
  const child = applyAt(out[head], rest, change);
  if (child === undefined) delete out[head];
  else out[head] = child;
  return out;
}

/** `state` after one change. A change at `""` replaces (or, removed, deletes) the whole state. */
export function applyChange(state: State, change: PathChange): State {
  const next = applyAt(state === null ? undefined : state, parsePointer(change.path), change);
  return next === undefined ? null : next;
}

/** `state` after every change, in order. */
export function applyChanges(state: State, changes: readonly PathChange[]): State {
  return changes.reduce(applyChange, state);
}

/** The state after each step, from `base` (the state before the first step). */
export function statesAfter(base: State, steps: readonly Pick<HistoryStep, "changes">[]): State[] {
  const out: State[] = [];
  let state = base;
  for (const step of steps) {
    state = applyChanges(state, step.changes);
    out.push(state);
  }
  return out;
}

/** Equal as data: key order aside, numbers by value. */
export function sameState(a: State | undefined, b: State | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameState(x, b[i]));
  if (isObject(a ?? undefined) && isObject(b ?? undefined)) {
    const x = a as JsonObject;
    const y = b as JsonObject;
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => k in y && sameState(x[k], y[k]));
  }
  return false;
}
