// The live monitor's messages as the screen keeps them: a bounded buffer of
// the last MONITOR_BUFFER, oldest dropped; while paused, new messages are
// held (and counted) instead of shown, and on resume they are appended,
// subject to the same bound. Batches of another run are ignored.
import type { Cell, MonitorBatch, MonitorMessage } from "../../backend";

/** Messages shown at most. */
export const MONITOR_BUFFER = 1_000;

export interface MonitorRow {
  /** 1, 2, 3, ... in the order the run received them. */
  seq: number;
  /** When its batch arrived (ms since the epoch). */
  at: number;
  message: MonitorMessage;
}

export interface MonitorState {
  /** The run the state is of (null before the first). */
  taskId: string | null;
  /** The first batch arrived: subscribed and positioned. */
  listening: boolean;
  /** The last {@link MONITOR_BUFFER} messages shown, oldest first. */
  rows: MonitorRow[];
  paused: boolean;
  /** Received while paused, not shown yet (only the last {@link MONITOR_BUFFER}: older ones would be dropped anyway). */
  held: MonitorRow[];
  /** How many were received while paused. */
  heldCount: number;
  /** Messages received in the run's batches. */
  received: number;
  /** Messages the backend left out of its batches (the sum of their `dropped`). */
  leftOut: number;
}

export type MonitorAction =
  | { type: "start"; taskId: string }
  | { type: "batch"; taskId: string; batch: MonitorBatch; at: number }
  | { type: "pause" }
  | { type: "resume" };

export const INITIAL_MONITOR: MonitorState = {
  taskId: null,
  listening: false,
  rows: [],
  paused: false,
  held: [],
  heldCount: 0,
  received: 0,
  leftOut: 0,
};

/** The last `max` of `rows` (the array itself when it fits). */
const lastOf = <T>(rows: T[], max: number) => (rows.length > max ? rows.slice(rows.length - max) : rows);

export function monitorReducer(state: MonitorState, action: MonitorAction): MonitorState {
  switch (action.type) {
    case "start":
      return { ...INITIAL_MONITOR, taskId: action.taskId };
    case "batch": {
      if (action.taskId !== state.taskId) return state;
      const { messages, dropped } = action.batch;
      const arrived = messages.map((message, i) => ({ seq: state.received + i + 1, at: action.at, message }));
      const next = { ...state, listening: true, received: state.received + messages.length, leftOut: state.leftOut + dropped };
      if (arrived.length === 0) return next;
      return state.paused
        ? { ...next, held: lastOf([...state.held, ...arrived], MONITOR_BUFFER), heldCount: state.heldCount + arrived.length }
        : { ...next, rows: lastOf([...state.rows, ...arrived], MONITOR_BUFFER) };
    }
    case "pause":
      return state.paused ? state : { ...state, paused: true };
    case "resume":
      return state.paused
        ? { ...state, paused: false, rows: lastOf([...state.rows, ...state.held], MONITOR_BUFFER), held: [], heldCount: 0 }
        : state;
  }
}

/** Received messages no longer shown: the oldest, dropped to keep the bound (held ones are not counted). */
export const trimmedCount = (state: MonitorState) => state.received - state.heldCount - state.rows.length;

/** What a row shows: where the message came from, and its payload or fields. */
export function describeMessage(message: MonitorMessage): { where: string; whereTitle: string; parts: { name: Cell | null; value: Cell }[] } {
  return message.source === "pubsub"
    ? { where: message.channel, whereTitle: `channel ${message.channel}`, parts: [{ name: null, value: message.payload }] }
    : {
        where: message.id,
        whereTitle: `stream ${message.key}, entry ${message.id}`,
        parts: message.fields.map(([name, value]) => ({ name, value })),
      };
}

/** The row's payload or fields as one line of text (for its tooltip). */
export function messageText(message: MonitorMessage): string {
  return describeMessage(message)
    .parts.map(({ name, value }) => (name ? `${name.text}=${value.text}` : value.text))
    .join("  ");
}

/** `09:41:07.250`, local time. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}
