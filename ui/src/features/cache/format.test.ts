import { describe, expect, it } from "vitest";
import type { Namespace } from "../../backend";
import { commonFolder, folderMemory, formatCountdown, formatLength, formatTtl, hexLines, keyInFolder, plural, sameKey } from "./format";

describe("cache format", () => {
  it("says a TTL in its two largest units", () => {
    expect(formatTtl(null)).toBe("no TTL");
    expect(formatTtl("850")).toBe("850 ms");
    expect(formatTtl("12000")).toBe("12 s");
    expect(formatTtl("12999")).toBe("12 s");
    expect(formatTtl("60000")).toBe("1m");
    expect(formatTtl("312000")).toBe("5m 12s");
    expect(formatTtl(String(3 * 3_600_000 + 4 * 60_000 + 59_000))).toBe("3h 4m");
    expect(formatTtl(String(3 * 86_400_000 + 4 * 3_600_000 + 7))).toBe("3d 4h");
    expect(formatTtl(String(2 * 86_400_000))).toBe("2d");
    // Wider than 2^53 still reads (it crosses as text).
    expect(formatTtl("900719925474099300")).toMatch(/^\d+d \d+h$/);
    expect(formatTtl("soon")).toBe("soon");
  });

  it("says a length by the value's type", () => {
    expect(formatLength("string", "1536")).toBe("1.5 KiB");
    expect(formatLength("hash", "1")).toBe("1 field");
    expect(formatLength("zset", "1200")).toBe("1,200 members");
    expect(formatLength("stream", "12")).toBe("12 entries");
    expect(formatLength("list", null)).toBeNull();
    expect(plural("1", "key")).toBe("1 key");
    expect(plural(2, "entity", "entities")).toBe("2 entities");
  });

  it("lists a key by its part under the folder, and compares keys by their bytes", () => {
    expect(keyInFolder({ text: "tenant:a:atom:1" }, { text: "tenant:a:" })).toBe("atom:1");
    expect(keyInFolder({ text: "tenant:a:" }, { text: "tenant:a:" })).toBe("tenant:a:");
    expect(keyInFolder({ text: "x" }, { text: "" })).toBe("x");
    expect(sameKey({ text: "k\\xff", hex: "6bff" }, { text: "k\\xff", hex: "6bff" })).toBe(true);
    expect(sameKey({ text: "k\\xff", hex: "6bff" }, { text: "k\\xff" })).toBe(false);
    expect(sameKey({ text: "k" }, { text: "k", hex: null })).toBe(true);
  });

  it("shows bytes as hex lines with offsets", () => {
    expect(hexLines("89504e470d0a1a0a0000000d4948445201")).toBe("00000000  8950 4e47 0d0a 1a0a 0000 000d 4948 4452\n00000010  01");
  });

  it("says a folder's memory, ~ before an estimate", () => {
    const ns = (keys: number, sampledKeys: number, bytes: string | null): Namespace => ({
      prefix: { text: "a:" },
      depth: 1,
      keys: String(keys),
      ownKeys: "0",
      hiddenFolders: 0,
      sampledKeys,
      bytes,
    });
    expect(folderMemory(ns(4, 4, "1536"), 1)).toMatchObject({ text: "1.5 KiB", estimated: false });
    // A key gone since SCAN was not sized.
    expect(folderMemory(ns(4, 3, "1536"), 1)).toMatchObject({ text: "~1.5 KiB", estimated: true });
    expect(folderMemory(ns(4, 4, "1536"), 8)).toMatchObject({ text: "~1.5 KiB", estimated: true });
    expect(folderMemory(ns(4, 1, "2048"), 8)!.title).toBe("about 2.0 KiB: the average of 1 sized key times 4 keys");
    expect(folderMemory(ns(4, 0, null), 8)).toBeNull();
  });

  it("counts down as a clock", () => {
    expect(formatCountdown(900)).toBe("15:00");
    expect(formatCountdown(65)).toBe("1:05");
    expect(formatCountdown(4 * 3_600)).toBe("4:00:00");
    expect(formatCountdown(-3)).toBe("0:00");
  });

  it("finds the folder keys share", () => {
    const k = (text: string) => ({ text });
    expect(commonFolder([k("t:a:atom:1"), k("t:a:flags")], ":")).toBe("t:a:");
    expect(commonFolder([k("t:a:atom:1"), k("t:a:atom:2")], ":")).toBe("t:a:atom:");
    expect(commonFolder([k("t:ab:1"), k("t:ac:1")], ":")).toBe("t:");
    expect(commonFolder([k("a:1"), k("b:1")], ":")).toBe("");
    expect(commonFolder([], ":")).toBe("");
  });
});
