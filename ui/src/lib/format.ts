export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(undefined, { hour12: false });
}

export function formatLatency(ms: number | null): string | null {
  if (ms === null) return null;
  return ms < 10 ? `${ms.toFixed(ms % 1 === 0 ? 0 : 1)} ms` : `${Math.round(ms)} ms`;
}
