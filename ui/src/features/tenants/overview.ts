// The tenant list with footprints: what each totals cell of the tenant table
// shows, from the connection's tenant overview.
import type { ErrorCode, OverviewPart, StoreKind, Tenant, TenantOverview, TenantTotals } from "../../backend";
import { formatBytes, formatCount } from "../../lib/format";

/** The totals columns of the tenant table, in order. */
export const TOTALS_COLUMNS = ["rows", "events", "nodes", "relationships", "keys", "objects"] as const;
export type TotalsColumn = (typeof TOTALS_COLUMNS)[number];

export const TOTALS_HEADERS: Record<TotalsColumn, string> = {
  rows: "Rows",
  events: "Events",
  nodes: "Nodes",
  relationships: "Rels",
  keys: "Keys",
  objects: "Objects",
};

export const TOTALS_DESCRIPTIONS: Record<TotalsColumn, string> = {
  rows: "Rows over all entity tables (PostgreSQL)",
  events: "Events in the event log (PostgreSQL)",
  nodes: "Graph nodes with the tenant's property",
  relationships: "Relationships leaving the tenant's nodes",
  keys: "Redis keys under the tenant's prefix",
  objects: "Objects under the tenant's prefix or bucket",
};

/** The store each column comes from. */
export const COLUMN_STORE: Record<TotalsColumn, StoreKind> = {
  rows: "postgres",
  events: "postgres",
  nodes: "graph",
  relationships: "graph",
  keys: "redis",
  objects: "objects",
};

/** The overview as the table reads it. */
export interface OverviewView {
  /** `idle`: nothing asked (no connection); `failed`: no overview to show (`error` says why). */
  state: "idle" | "loading" | "ready" | "failed";
  byId: ReadonlyMap<string, TenantTotals>;
  parts: Partial<Record<StoreKind, OverviewPart>>;
  error: { code: ErrorCode; message: string } | null;
  measuredAt: string | null;
  capped: boolean;
  tenantCount: number;
}

export const IDLE_OVERVIEW: OverviewView = {
  state: "idle",
  byId: new Map(),
  parts: {},
  error: null,
  measuredAt: null,
  capped: false,
  tenantCount: 0,
};

export function overviewView(
  data: TenantOverview | undefined,
  status: { enabled: boolean; pending: boolean; error: { code: ErrorCode; message: string } | null },
): OverviewView {
  if (!status.enabled) return IDLE_OVERVIEW;
  if (data) {
    return {
      state: "ready",
      byId: new Map(data.tenants.map((t) => [t.id, t])),
      parts: Object.fromEntries(data.parts.map((p) => [p.store, p])),
      error: null,
      measuredAt: data.measuredAt,
      capped: data.capped,
      tenantCount: data.tenants.length,
    };
  }
  if (status.error && !status.pending) return { ...IDLE_OVERVIEW, state: "failed", error: status.error };
  return { ...IDLE_OVERVIEW, state: "loading" };
}

/** A part whose error means the store is not configured (rather than failing). */
export const notConfigured = (part: OverviewPart | undefined): boolean => part?.error?.code === "not_found";

export interface TotalsCell {
  /** `wait`: loading; `none`: nothing to count (not configured, no event log); `unknown`: the store failed. */
  state: "empty" | "wait" | "ok" | "none" | "unknown";
  text: string;
  title?: string;
}

/** `2024-01-15T09:12:00Z … 2025-06-01T17:45:12Z`, or one end when the other is missing. */
function eventSpan(t: TenantTotals): string | undefined {
  if (t.firstEventAt === null && t.lastEventAt === null) return undefined;
  return `${t.firstEventAt ?? "?"} … ${t.lastEventAt ?? "?"}`;
}

/** What one tenant's cell of a totals column shows. */
export function totalsCell(view: OverviewView, tenant: Pick<Tenant, "id">, column: TotalsColumn): TotalsCell {
  switch (view.state) {
    case "idle":
      return { state: "empty", text: "" };
    case "loading":
      return { state: "wait", text: "…", title: "Measuring…" };
    case "failed":
      return {
        state: "unknown",
        text: "?",
        title: view.error?.code === "cancelled" ? "The footprints were cancelled" : view.error?.message,
      };
    case "ready":
      break;
  }
  const totals = view.byId.get(tenant.id);
  if (!totals) {
    return {
      state: "unknown",
      text: "?",
      title: view.capped
        ? `Not measured: the overview covers the first ${view.tenantCount.toLocaleString("en-US")} tenants`
        : "Not in the overview: refresh it",
    };
  }
  const value = totals[column];
  if (value !== null) {
    switch (column) {
      case "rows":
        return totals.rowsEstimated
          ? { state: "ok", text: `~${formatCount(value)}`, title: "planner estimate" }
          : { state: "ok", text: formatCount(value) };
      case "events":
        return { state: "ok", text: formatCount(value), title: eventSpan(totals) };
      case "keys":
        return {
          state: "ok",
          text: formatCount(value),
          title: totals.keyBytes === null ? undefined : `≈ ${formatBytes(totals.keyBytes)} (estimated from a sample of keys)`,
        };
      case "objects":
        return {
          state: "ok",
          text: formatCount(value),
          title: totals.objectBytes === null ? undefined : formatBytes(totals.objectBytes),
        };
      default:
        return { state: "ok", text: formatCount(value) };
    }
  }
  const part = view.parts[COLUMN_STORE[column]];
  if (part?.error) {
    return notConfigured(part)
      ? { state: "none", text: "—", title: part.error.message }
      : { state: "unknown", text: "?", title: part.error.message };
  }
  // PostgreSQL answered: no events beside rows means no event log (in the profile, or readable).
  if (column === "events" && totals.rows !== null) {
    return { state: "none", text: "—", title: "No event log (none in the profile, or it could not be read)" };
  }
  return {
    state: "unknown",
    text: "?",
    title: part?.detail ? `Could not be measured: ${part.detail}` : "Could not be measured",
  };
}
