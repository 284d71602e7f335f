import { describe, expect, it } from "vitest";
import type { MonitorBatch, MonitorMessage } from "../../backend";
import { describeMessage, INITIAL_MONITOR, MONITOR_BUFFER, monitorReducer, trimmedCount, type MonitorAction, type MonitorState } from "./monitor";

const cell = (text: string, truncated = false) => ({ text, bytes: String(text.length), truncated });
const pubsub = (n: number): MonitorMessage => ({ source: "pubsub", channel: "c", payload: cell(`m${n}`) });
const batch = (n: number, from = 0, dropped = 0): MonitorBatch => ({ messages: Array.from({ length: n }, (_, k) => pubsub(from + k)), dropped });
const run = (actions: MonitorAction[], from: MonitorState = INITIAL_MONITOR) => actions.reduce(monitorReducer, from);
const at = 1_000;

describe("monitor buffer", () => {
  it("listens at the first (empty) batch, and counts what arrives and what was left out", () => {
    const s = run([
      { type: "start", taskId: "t" },
      { type: "batch", taskId: "t", batch: batch(0), at },
      { type: "batch", taskId: "t", batch: batch(3, 0, 5), at },
    ]);
    expect(s).toMatchObject({ listening: true, received: 3, leftOut: 5 });
    expect(s.rows.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it("ignores another run's batches, and starts over on start", () => {
    const s = run([
      { type: "start", taskId: "t1" },
      { type: "batch", taskId: "t1", batch: batch(2), at },
      { type: "start", taskId: "t2" },
      { type: "batch", taskId: "t1", batch: batch(4), at },
    ]);
    expect(s).toEqual({ ...INITIAL_MONITOR, taskId: "t2" });
  });

  it("keeps the last 1,000, and holds back (counted) while paused", () => {
    const s = run([{ type: "start", taskId: "t" }, ...Array.from({ length: 6 }, (_, b): MonitorAction => ({ type: "batch", taskId: "t", batch: batch(200, b * 200), at }))]);
    expect(s.rows).toHaveLength(MONITOR_BUFFER);
    expect(s.rows[0]!.seq).toBe(201);
    expect(trimmedCount(s)).toBe(200);
    const paused = run([{ type: "pause" }, { type: "batch", taskId: "t", batch: batch(200, 1_200), at }, { type: "batch", taskId: "t", batch: batch(1_000, 1_400), at }], s);
    expect(paused.rows).toBe(s.rows);
    expect(paused.heldCount).toBe(1_200);
    expect(paused.held).toHaveLength(MONITOR_BUFFER);
    expect(trimmedCount(paused)).toBe(200);
    const resumed = monitorReducer(paused, { type: "resume" });
    expect(resumed.rows).toHaveLength(MONITOR_BUFFER);
    expect(resumed.rows[0]!.seq).toBe(1_401);
    expect(resumed.rows.at(-1)!.seq).toBe(2_400);
    expect(trimmedCount(resumed)).toBe(1_400);
    expect(monitorReducer(resumed, { type: "resume" })).toBe(resumed);
  });

  it("shows a pub/sub message by its channel, a stream entry by its id and fields", () => {
    expect(describeMessage(pubsub(1))).toEqual({ where: "c", whereTitle: "channel c", parts: [{ name: null, value: cell("m1") }] });
    const entry: MonitorMessage = { source: "stream", key: "s", id: "1-0", fields: [[cell("type"), cell("x", true)]] };
    expect(describeMessage(entry)).toEqual({ where: "1-0", whereTitle: "stream s, entry 1-0", parts: [{ name: cell("type"), value: cell("x", true) }] });
  });
});
