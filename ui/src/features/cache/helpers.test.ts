import { describe, expect, it } from "vitest";
import type { Finding, KeyValue } from "../../backend";
import { findingKey, groupBySeverity } from "./findings";
import { buildScanRequest, DEFAULT_SCAN_FORM } from "./queries";
import { mergeValuePages, shownCount } from "./value";

const cell = (text: string) => ({ text, bytes: String(text.length), truncated: false });
const page = (value: KeyValue["value"], next: string | null = null): KeyValue => ({
  key: { text: "k" },
  kind: value.kind,
  ttlMs: null,
  length: "4",
  memoryBytes: null,
  value,
  next,
});
const finding = (kind: Finding["kind"], severity: Finding["severity"], redis: string | null): Finding => ({
  kind,
  severity,
  stores: ["redis"],
  subject: "s",
  entityType: null,
  message: "m",
  evidence:
    redis === null
      ? [{ store: "postgres", location: "t id 1", value: null, key: null }]
      : [{ store: "redis", location: redis, value: null, key: null }],
  remedy: "r",
});

describe("cache helpers", () => {
  it("builds the scan request, blank fields left to the backend's defaults", () => {
    expect(buildScanRequest(DEFAULT_SCAN_FORM)).toEqual({
      request: { tenant: null, pattern: null, count: 1000, pauseMs: 0, maxDepth: null, maxChildren: null },
    });
    expect(buildScanRequest({ tenant: " globex ", pattern: "atom:* ", count: "", pauseMs: "" })).toEqual({
      request: { tenant: "globex", pattern: "atom:* ", count: null, pauseMs: null, maxDepth: null, maxChildren: null },
    });
    expect(buildScanRequest({ ...DEFAULT_SCAN_FORM, pauseMs: "61000" })).toEqual({ invalid: "The pause is a whole number from 0 to 60,000" });
    expect(buildScanRequest({ ...DEFAULT_SCAN_FORM, count: "1.5" })).toHaveProperty("invalid");
  });

  it("joins value pages, positions kept", () => {
    const list = mergeValuePages([
      page({ kind: "list", offset: "0", items: [cell("a"), cell("b")] }, "2"),
      page({ kind: "list", offset: "2", items: [cell("c")] }),
    ]);
    expect(list).toEqual({ kind: "list", items: ["a", "b", "c"].map((t, index) => ({ index, item: cell(t) })) });
    expect(shownCount(list)).toBe(3);
    const zset = mergeValuePages([page({ kind: "zset", offset: "5", members: [{ member: cell("m"), score: "1.5" }] })]);
    expect(zset).toEqual({ kind: "zset", members: [{ index: 5, member: cell("m"), score: "1.5" }] });
    // A page of another type (the key was replaced meanwhile) is left out.
    const hash = mergeValuePages([page({ kind: "hash", fields: [[cell("f"), cell("v")]] }, "1"), page({ kind: "set", members: [cell("x")] })]);
    expect(shownCount(hash)).toBe(1);
    expect(mergeValuePages([page({ kind: "other", type_name: "ReJSON-RL" })])).toEqual({ kind: "other", typeName: "ReJSON-RL" });
    expect(shownCount(mergeValuePages([page({ kind: "missing" })]))).toBeNull();
  });

  it("groups findings most severe first, and finds the key a finding is about", () => {
    const groups = groupBySeverity([
      finding("cache_missing_ttl", "medium", "k1"),
      finding("cache_stale", "high", "k2"),
      finding("cache_orphaned", "medium", null),
    ]);
    expect(groups.map((g) => [g.severity, g.findings.length])).toEqual([
      ["high", 1],
      ["medium", 2],
    ]);
    expect(findingKey(groups[0]!.findings[0]!)).toEqual({ text: "k2" });
    expect(findingKey(groups[1]!.findings[1]!)).toBeNull();
  });

  it("opens a binary key from a finding by its exact bytes, not its escaped text", () => {
    const binary = { text: "t:\\xff", hex: "743aff" };
    const f = finding("cache_missing_ttl", "medium", binary.text);
    f.evidence[0]!.key = binary;
    expect(findingKey(f)).toEqual(binary);
  });
});
