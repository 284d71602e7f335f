// The mock backend's fold of an aggregate's events, the same semantics as the
// core's `timetravel::fold`: a create sets the state to its payload (merged
// into `{}`), an update applies its payload as an RFC 7396 merge patch, a
// delete leaves no state. What cannot be applied is reported as an anomaly on
// its step and skipped. Pure: no I/O.
import type { Anomaly, AnomalyKind, EventView, JsonValue, PathChange, StepKind } from "./types";

/** One event as the log holds it: the payload is the column's raw text. */
export interface MockEvent {
  id: string | null;
  sequence: number | null;
  /** RFC 3339, UTC, milliseconds. */
  time: string;
  eventType: string;
  actor: string | null;
  causation: string | null;
  correlation: string | null;
  payload: string | null;
}

/** A state: `undefined` is "no state" (before the create, after a delete). */
export type MockState = JsonValue | undefined;

export interface MockStep {
  kind: StepKind;
  applied: boolean;
  anomalies: Anomaly[];
  /** Events applied up to and including this one. */
  version: number;
  /** The state after the event. */
  state: MockState;
}

type JsonObject = { [key: string]: JsonValue };

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** The sandbox profile's semantics: `*Created`, `*Updated`, `*Deleted`. */
export function classify(eventType: string): StepKind {
  if (eventType.endsWith("Created")) return "create";
  if (eventType.endsWith("Updated")) return "update";
  if (eventType.endsWith("Deleted")) return "delete";
  return "other";
}

/** RFC 7396: `patch` applied to `target` (a new value; neither is changed). */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Equal as data (key order aside). */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return false;
}

/** RFC 6901: `~` is `~0`, `/` is `~1`. */
export const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** The changes from `old` to `next` by JSON path: objects key by key, anything else as a whole. */
export function diffStates(old: MockState, next: MockState): PathChange[] {
  if (old === undefined && next === undefined) return [];
  if (old === undefined) return [{ op: "added", path: "", value: structuredClone(next!) }];
  if (next === undefined) return [{ op: "removed", path: "", old: structuredClone(old) }];
  const out: PathChange[] = [];
  diffValues("", old, next, out);
  return out;
}

function diffValues(path: string, old: JsonValue, next: JsonValue, out: PathChange[]) {
  if (isObject(old) && isObject(next)) {
    for (const [key, ov] of Object.entries(old)) {
      const child = `${path}/${escapePointer(key)}`;
      if (key in next) diffValues(child, ov, next[key]!, out);
      else out.push({ op: "removed", path: child, old: structuredClone(ov) });
    }
    for (const [key, nv] of Object.entries(next)) {
      if (!(key in old)) out.push({ op: "added", path: `${path}/${escapePointer(key)}`, value: structuredClone(nv) });
    }
    return;
  }
  if (!sameJson(old, next)) out.push({ op: "changed", path, old: structuredClone(old), new: structuredClone(next) });
}

function parsePayload(text: string | null): { ok: true; value: JsonValue } | { ok: false; error: string } {
  if (text === null) return { ok: false, error: "the payload is missing; skipped" };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `the payload is not JSON (${reason}); skipped` };
  }
}

/** The fold in progress. */
export class MockFolder {
  state: MockState = undefined;
  version = 0;
  private lastSequence: number | null = null;
  private readonly sequences = new Set<number>();

  apply(event: MockEvent): MockStep {
    const anomalies: Anomaly[] = [];
    const note = (kind: AnomalyKind, message: string) => anomalies.push({ kind, message });
    const seq = event.sequence;
    if (seq !== null) {
      if (this.sequences.has(seq)) note("duplicate_sequence", `sequence ${seq} was already seen for this aggregate`);
      this.sequences.add(seq);
      if (this.lastSequence !== null && seq < this.lastSequence) {
        note("out_of_order", `sequence ${seq} comes after sequence ${this.lastSequence} by time (${event.time})`);
      }
      this.lastSequence = this.lastSequence === null ? seq : Math.max(this.lastSequence, seq);
    }
    const kind = classify(event.eventType);
    const step = (applied: boolean): MockStep => {
      if (applied) this.version += 1;
      return { kind, applied, anomalies, version: this.version, state: this.state };
    };
    if (kind === "create" || kind === "update") {
      const payload = parsePayload(event.payload);
      if (!payload.ok) {
        note("bad_payload", payload.error);
        return step(false);
      }
      if (kind === "create") {
        if (this.state !== undefined) note("create_over_live", "created again while live: the state starts over");
        this.state = mergePatch({}, payload.value);
        return step(true);
      }
      if (this.state === undefined) {
        note("no_live_state", "an update with no live state (before any create, or after a delete); skipped");
        return step(false);
      }
      this.state = mergePatch(this.state, payload.value);
      return step(true);
    }
    if (kind === "delete") {
      if (this.state === undefined) {
        note("no_live_state", "a delete with no live state");
        return step(false);
      }
      this.state = undefined;
      return step(true);
    }
    note("unknown_type", `${event.eventType} is not a create, update or delete type of the profile; no change`);
    return step(false);
  }
}

/** The event as the backend shows it: the payload parsed when it is JSON, else its raw text. */
export function eventView(e: MockEvent): EventView {
  const parsed = e.payload === null ? null : parsePayload(e.payload);
  return {
    id: e.id,
    sequence: e.sequence === null ? null : String(e.sequence),
    time: e.time,
    eventType: e.eventType,
    actor: e.actor,
    causation: e.causation,
    correlation: e.correlation,
    payload: parsed?.ok ? parsed.value : null,
    payloadText: parsed && !parsed.ok ? e.payload : null,
  };
}
