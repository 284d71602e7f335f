import type { AnomalyKind } from "../../backend";

/** What each anomaly is, in a few words (the backend's message says the rest). */
export const ANOMALY_LABELS: Record<AnomalyKind, string> = {
  bad_payload: "Payload is not JSON",
  no_live_state: "No live state",
  create_over_live: "Created while live",
  duplicate_sequence: "Duplicate sequence",
  out_of_order: "Out of order",
  unknown_type: "Unknown event type",
};
