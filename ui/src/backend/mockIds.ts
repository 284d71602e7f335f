// Deterministic building blocks of the mock backend's fake data.

/** A deterministic UUID-shaped id (FNV-1a over the seed, stretched). */
export function mockUuid(seed: string): string {
  let h = 0x811c9dc5;
  let hex = "";
  for (let round = 0; hex.length < 32; round++) {
    for (const ch of `${seed}/${round}`) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    hex += h.toString(16).padStart(8, "0");
  }
  const v = `5${hex.slice(13, 16)}`;
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${v}-${variant}-${hex.slice(20, 32)}`;
}

/** A deterministic number in [min, max) from a seed. */
export function mockCount(seed: string, min: number, max: number): number {
  let h = 0x811c9dc5;
  for (const ch of seed) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return min + (h % (max - min));
}

/** `timestamptz::text`, as PostgreSQL renders it. */
export function pgTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "+00");
}

export type MockJson = null | boolean | number | string | MockJson[] | { [key: string]: MockJson };

/** `jsonb::text`, as PostgreSQL renders it (`{"a": 1, "b": [1, 2]}`). */
export function pgJson(value: MockJson): string {
  if (Array.isArray(value)) return `[${value.map(pgJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pgJson(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
