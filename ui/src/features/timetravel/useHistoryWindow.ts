import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useBackend } from "../../backend";
import { sameState, statesAfter, type State } from "./changes";
import { historyWindowQuery, stateAtQuery, type AggregateRequest } from "./queries";

/** Why the states of a page could not be rebuilt exactly. */
export type BaseIssue =
  /** The step before the page has no sequence to read the base state at. */
  | "no_sequence"
  /** The base state read does not end where the page starts (e.g. duplicate sequences). */
  | "mismatch";

/**
 * A page of an aggregate's history with the state after each of its steps,
 * rebuilt here by applying the steps' changes in order: from nothing on the
 * first page, else from the state at the step before the page.
 */
export function useHistoryWindow(connection: string, request: AggregateRequest, offset: number, size: number) {
  const backend = useBackend();
  const history = useQuery(historyWindowQuery(backend, connection, request, offset, size));
  const data = history.data;
  // Paging keeps the previous page on screen until the new one arrives.
  const current = data && data.offset === offset ? data : undefined;
  const baseAt = current?.before?.event.sequence ?? null;
  const base = useQuery({
    ...stateAtQuery(backend, connection, request, baseAt ?? ""),
    enabled: baseAt !== null,
  });

  let issue: BaseIssue | null = null;
  let baseState: State | undefined;
  if (current && current.before === null) baseState = null;
  else if (current?.before && baseAt === null) issue = "no_sequence";
  else if (base.data) {
    baseState = base.data.state;
    if (base.data.eventsBefore !== offset) issue = "mismatch";
  }

  const states = useMemo(
    () => (current && baseState !== undefined ? statesAfter(baseState, current.steps) : null),
    [current, baseState],
  );
  // On the last page the rebuilt state must be the backend's final state.
  const end = current && current.offset + current.steps.length === current.totalEvents;
  const lastState = states && states.length > 0 ? states[states.length - 1] : undefined;
  const mismatch = Boolean(end && lastState !== undefined && !sameState(lastState, current.state));

  return { history, page: current, base, states, issue, mismatch };
}
