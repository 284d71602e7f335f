export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(undefined, { hour12: false });
}

export function formatLatency(ms: number | null): string | null {
  if (ms === null) return null;
  return ms < 10 ? `${ms.toFixed(ms % 1 === 0 ? 0 : 1)} ms` : `${Math.round(ms)} ms`;
}

/** `1234567` → `1,234,567`. Counts cross IPC as decimal strings (they may exceed 2^53). */
export function formatCount(count: string): string {
  return /^\d+$/.test(count) ? count.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : count;
}

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: string): string {
  const n = Number(bytes);
  if (!Number.isFinite(n)) return `${bytes} B`;
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
