import { describe, expect, it } from "vitest";
import { folderPattern } from "./pattern";

describe("folder pattern", () => {
  it("narrows the scan's pattern to a folder", () => {
    expect(folderPattern("*", { text: "tenant:a:atom:" })).toEqual({ pattern: "*", exact: true });
    expect(folderPattern("tenant:a:*", { text: "tenant:" })).toEqual({ pattern: "a:*", exact: true });
    expect(folderPattern("tenant:a:*", { text: "tenant:a:atom:" })).toEqual({ pattern: "*", exact: true });
    expect(folderPattern("tenant:a:atom:*", { text: "" })).toEqual({ pattern: "tenant:a:atom:*", exact: true });
    expect(folderPattern("tenant:a:*:x", { text: "tenant:a:" })).toEqual({ pattern: "*:x", exact: true });
  });

  it("reads escaped glob characters as themselves", () => {
    expect(folderPattern("k\\*:x:*", { text: "k*:" })).toEqual({ pattern: "x:*", exact: true });
    expect(folderPattern("k\\*:x:*", { text: "kz:" })).toEqual({ pattern: "*", exact: false });
  });

  it("lists every key under the folder when no one pattern says it", () => {
    expect(folderPattern("tenant:*:atom:*", { text: "tenant:a:" })).toEqual({ pattern: "*", exact: false });
    expect(folderPattern("tenant:?:*", { text: "tenant:a:" })).toEqual({ pattern: "*", exact: false });
    expect(folderPattern("session:*", { text: "tenant:" })).toEqual({ pattern: "*", exact: false });
    expect(folderPattern("*", { text: "bin:\\xff:", hex: "62696e3aff3a" })).toEqual({ pattern: "*", exact: true });
    expect(folderPattern("bin:*", { text: "bin:\\xff:", hex: "62696e3aff3a" })).toEqual({ pattern: "*", exact: false });
  });
});
