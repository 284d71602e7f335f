/** FNV-1a over a string: stable across runs, so colours and placements are too. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A number in [0, 1) from a string, the same every time. */
export const stableFraction = (text: string) => stableHash(text) / 0x1_0000_0000;
