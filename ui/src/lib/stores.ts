import type { StoreKind, StoreState } from "../backend";

export const STORE_LABELS: Record<StoreKind, string> = {
  postgres: "PostgreSQL",
  graph: "Graph",
  redis: "Redis",
  objects: "Objects",
};

export const STORE_STATE_LABELS: Record<StoreState | "unknown", string> = {
  up: "up",
  down: "down",
  not_configured: "not configured",
  unknown: "unknown",
};
