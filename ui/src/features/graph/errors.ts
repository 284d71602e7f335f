import { toBackendError, type BackendError, type ErrorCode } from "../../backend";
import { storeErrorTitle } from "../../lib/errors";

// Worded by code only, never by the message (which follows as the detail).
const GRAPH_TITLES: Partial<Record<ErrorCode, string>> = {
  not_found: "Not found: no such tenant, or no such node in the tenant",
  invalid_input: "The request was refused",
  read_only: "Refused: the graph screen's Cypher is read-only",
  query: "The graph refused the query",
  profile: "The profile has no usable graph section",
};

export interface GraphFailure {
  code: ErrorCode;
  title: string;
  detail: string;
}

export function graphError(error: unknown): GraphFailure {
  const e: BackendError = toBackendError(error);
  return { code: e.code, title: GRAPH_TITLES[e.code] ?? storeErrorTitle("graph", e.code), detail: e.message };
}
