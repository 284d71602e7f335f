import { describe, expect, it } from "vitest";
import { addToHistory, clearHistory, HISTORY_LIMIT, historyKey, readHistory } from "./history";

describe("console history", () => {
  it("keeps the last 50 distinct statements per language, newest first", () => {
    expect(readHistory("sql")).toEqual([]);
    addToHistory("sql", "select 1");
    addToHistory("sql", "  select 2 ");
    addToHistory("sql", "select 1");
    addToHistory("sql", "   ");
    expect(readHistory("sql")).toEqual(["select 1", "select 2"]);
    expect(readHistory("cypher")).toEqual([]);
    for (let i = 0; i < 60; i++) addToHistory("redis", `GET k${i}`);
    const redis = readHistory("redis");
    expect(redis).toHaveLength(HISTORY_LIMIT);
    expect(redis[0]).toBe("GET k59");
    expect(redis.at(-1)).toBe("GET k10");
    clearHistory("redis");
    expect(readHistory("redis")).toEqual([]);
  });

  it("ignores what it cannot read", () => {
    window.localStorage.setItem(historyKey("sql"), "{not json");
    expect(readHistory("sql")).toEqual([]);
    window.localStorage.setItem(historyKey("sql"), JSON.stringify(["ok", 3, null]));
    expect(readHistory("sql")).toEqual(["ok"]);
  });
});
