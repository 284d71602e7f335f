import type { KeyName } from "../../backend";

/** The pattern a folder's key list is asked with, and whether it is exactly the scan's keys. */
export interface FolderPattern {
  pattern: string;
  /** False when the list may hold keys the scan did not count (its pattern cannot be narrowed to the folder). */
  exact: boolean;
}

const ANY: FolderPattern = { pattern: "*", exact: false };

/**
 * The scan's MATCH pattern narrowed to a folder: what must follow the
 * folder's prefix for a key to be one the scan counted (a key page matches
 * `prefix + pattern`). `tenant:a:*` under `tenant:a:atom:` is `*`; under
 * `tenant:` it is `a:*`. When a glob character comes before the folder ends
 * (other than a last `*`), no one pattern says it: the list then shows
 * every key under the folder (`exact: false`).
 */
export function folderPattern(scanPattern: string, folder: KeyName): FolderPattern {
  // A binary prefix's text is not its bytes: nothing to compare.
  if (folder.hex) return scanPattern === "*" ? { pattern: "*", exact: true } : ANY;
  const text = folder.text;
  let i = 0;
  for (let j = 0; j < text.length; j++) {
    const c = scanPattern[i];
    if (c === undefined) return ANY;
    if (c === "*") return i === scanPattern.length - 1 ? { pattern: "*", exact: true } : ANY;
    if (c === "?" || c === "[") return ANY;
    const literal = c === "\\" && i + 1 < scanPattern.length ? scanPattern[i + 1] : c;
    if (literal !== text[j]) return ANY;
    i += c === "\\" ? 2 : 1;
  }
  return { pattern: scanPattern.slice(i), exact: true };
}
