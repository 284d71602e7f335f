// A key's value pages as one view: the first page's header and string, the
// elements of every page in order (list and sorted-set positions kept).
import type { Cell, ConsumerGroup, KeyValue, StreamEntry, ValueView } from "../../backend";

export type MergedValue =
  | { kind: "missing" }
  | Extract<ValueView, { kind: "string" }>
  | { kind: "other"; typeName: string }
  | { kind: "hash"; fields: [Cell, Cell][] }
  | { kind: "list"; items: { index: number; item: Cell }[] }
  | { kind: "set"; members: Cell[] }
  | { kind: "zset"; members: { index: number; member: Cell; score: string }[] }
  | { kind: "stream"; entries: StreamEntry[]; groups: ConsumerGroup[] };

/** The pages' elements together. A page of another type (the key was replaced meanwhile) is left out. */
export function mergeValuePages(pages: readonly KeyValue[]): MergedValue {
  const first = pages[0]!.value;
  const same = pages.map((p) => p.value).filter((v) => v.kind === first.kind);
  switch (first.kind) {
    case "missing":
    case "string":
      return first;
    case "other":
      return { kind: "other", typeName: first.type_name };
    case "hash":
      return { kind: "hash", fields: same.flatMap((v) => (v.kind === "hash" ? v.fields : [])) };
    case "set":
      return { kind: "set", members: same.flatMap((v) => (v.kind === "set" ? v.members : [])) };
    case "list":
      return {
        kind: "list",
        items: same.flatMap((v) => (v.kind === "list" ? v.items.map((item, i) => ({ index: Number(v.offset) + i, item })) : [])),
      };
    case "zset":
      return {
        kind: "zset",
        members: same.flatMap((v) =>
          v.kind === "zset" ? v.members.map((m, i) => ({ index: Number(v.offset) + i, member: m.member, score: m.score })) : [],
        ),
      };
    case "stream":
      return {
        kind: "stream",
        entries: same.flatMap((v) => (v.kind === "stream" ? v.entries : [])),
        // Only the first page carries the groups.
        groups: first.groups,
      };
  }
}

/** How many elements the pages hold (null for a string or a missing key). */
export function shownCount(value: MergedValue): number | null {
  switch (value.kind) {
    case "hash":
      return value.fields.length;
    case "list":
      return value.items.length;
    case "set":
    case "zset":
      return value.members.length;
    case "stream":
      return value.entries.length;
    default:
      return null;
  }
}
