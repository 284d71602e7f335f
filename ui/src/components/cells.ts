// Cell values as the backend sends them: PostgreSQL's (or the store's) text,
// null for NULL, JSON text for JSON columns, cut at 4,096 characters.

/** Characters the backend keeps of a cell; longer ones are cut and listed. */
export const CELL_CHARS = 4_096;
export const CUT_NOTE = `… cut at ${CELL_CHARS.toLocaleString("en-US")} characters`;

/** `[row, col]` pairs as a lookup set. */
export function cutSet(cells: readonly (readonly [number, number])[]): Set<string> {
  return new Set(cells.map(([r, c]) => `${r}:${c}`));
}

export const isCut = (cut: Set<string>, row: number, col: number) => cut.has(`${row}:${col}`);

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** One-line JSON (`{"a":1}`); the text as it came when it does not parse (e.g. a cut cell). */
export function compactJson(text: string): string {
  const p = parse(text);
  return p.ok ? JSON.stringify(p.value) : text;
}

/** Indented JSON; the text as it came when it does not parse. */
export function prettyJson(text: string): string {
  const p = parse(text);
  return p.ok ? JSON.stringify(p.value, null, 2) : text;
}

/** A cell of a column without a type (console results) that holds a JSON object or array. */
export function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return (t.startsWith("{") || t.startsWith("[")) && parse(text).ok;
}
