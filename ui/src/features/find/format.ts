import type { NeedleKind } from "../../backend";

export const NEEDLE_KINDS: Record<NeedleKind, string> = {
  entity_id: "entity id",
  cache_key: "cache key",
  object_key: "object key",
};

/** A PTTL in ms (decimal text) as `29 d 23 h`, `45 min 10 s`, `12 s`; null is "no TTL". */
export function formatTtl(ms: string | null): string {
  if (ms === null) return "no TTL";
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0) return ms;
  const s = Math.floor(n / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return s > 0 ? `${s} s` : `${n} ms`;
}

/** An RFC 3339 time as `2024-05-01 09:12:00`; anything else as it came. */
export function formatWhen(time: string | null): string {
  if (time === null) return "—";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(time);
  return m ? `${m[1]} ${m[2]}` : time;
}
