import { useQuery } from "@tanstack/react-query";
import { useState, type KeyboardEvent } from "react";
import { toBackendError, useBackend } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { ComparePanel } from "./ComparePanel";
import { DiffPanel } from "./DiffPanel";
import { plural } from "./format";
import { HistorySummary } from "./HistorySummary";
import { compareQuery, type AggregateRequest } from "./queries";
import { StepControls } from "./StepControls";
import { StepDetail, type StepState } from "./StepDetail";
import { Timeline } from "./Timeline";
import { useHistoryWindow } from "./useHistoryWindow";

const PAGE_KEYS: Record<string, number> = { PageUp: -10, PageDown: 10 };

/** One aggregate's history: the timeline, a step in full, diffs between points, and the stores. */
export function AggregateView({
  connection,
  request,
  pageSize,
}: {
  connection: string;
  request: AggregateRequest;
  /** Steps per page (at most the backend's 5,000). */
  pageSize: number;
}) {
  const backend = useBackend();
  const [offset, setOffset] = useState(0);
  const [wanted, setWanted] = useState<number | null>(null);
  const [correlation, setCorrelation] = useState<string | null>(null);
  const { history, page, base, states, issue, mismatch } = useHistoryWindow(connection, request, offset, pageSize);
  // Loaded with the history (the same call would fail the same way: shown once the history is).
  const compare = useQuery(compareQuery(backend, connection, request));

  if (history.isError && !page) {
    const error = toBackendError(history.error);
    return (
      <div className="tt-failed">
        <ErrorMessage error={error} testId="tt-error" />
        {error.code === "invalid_input" && request.tenant === null && (
          <p className="tt-hint" data-testid="tt-tenant-hint">
            <Icon name="tenants" size={14} />
            When the id has events in several tenants, fill in the tenant (id or slug) and load again.
          </p>
        )}
      </div>
    );
  }
  const shown = page ?? history.data;
  if (!shown) {
    return (
      <p className="muted" data-testid="tt-loading">
        Folding the event log…
      </p>
    );
  }

  const steps = shown.steps;
  const first = steps[0]?.index ?? shown.offset;
  const last = steps[steps.length - 1]?.index ?? shown.offset;
  const selected = wanted !== null && wanted >= first && wanted <= last ? wanted : last;
  const visible = correlation === null ? steps : steps.filter((s) => s.event.correlation === correlation);
  const step = steps[selected - first] ?? null;
  const end = shown.offset + steps.length;

  const select = (index: number) => setWanted(Math.min(Math.max(index, first), last));
  /** The next shown step before or after the selected one (by `by` steps). */
  const neighbour = (by: number): number | null => {
    const before = visible.filter((s) => s.index < selected);
    const after = visible.filter((s) => s.index > selected);
    if (by < 0) return before.length ? before[Math.max(0, before.length + by)]!.index : null;
    return after.length ? after[Math.min(after.length, by) - 1]!.index : null;
  };
  const move = (by: number) => {
    const to = neighbour(by);
    if (to !== null) select(to);
  };
  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const by =
      event.key === "ArrowLeft" || event.key === "ArrowUp"
        ? -1
        : event.key === "ArrowRight" || event.key === "ArrowDown"
          ? 1
          : event.key === "Home"
            ? -Infinity
            : event.key === "End"
              ? Infinity
              : PAGE_KEYS[event.key];
    if (by === undefined) return;
    event.preventDefault();
    if (by === -Infinity) select(visible[0]?.index ?? first);
    else if (by === Infinity) select(visible[visible.length - 1]?.index ?? last);
    else move(by);
  }

  const causeIndex = step?.event.causation ? (steps.find((s) => s.event.id === step.event.causation)?.index ?? null) : null;
  let stepState: StepState;
  if (states && step) stepState = { status: "ready", state: states[selected - first] ?? null };
  else if (issue === "no_sequence") {
    stepState = { status: "unknown", why: "The step before this page has no sequence: its state cannot be read, so the states of this page are not shown." };
  } else if (base.isError) stepState = { status: "error", error: base.error };
  else stepState = { status: "loading" };

  return (
    <>
      <HistorySummary history={shown} />
      {mismatch && (
        <p className="tt-warning" data-testid="tt-state-mismatch" role="status">
          <Icon name="alert" size={14} />
          The state rebuilt from the steps' changes differs from the backend's final state.
        </p>
      )}
      {issue === "mismatch" && (
        <p className="tt-warning" data-testid="tt-base-mismatch" role="status">
          <Icon name="alert" size={14} />
          The state read before this page does not end where the page starts (duplicate sequences?): the states shown
          may be off.
        </p>
      )}
      <div className="tt-explorer" data-testid="tt-explorer">
        <div className="tt-timeline-column">
          <div className="tt-window-bar">
            <button
              type="button"
              className="button small"
              data-testid="tt-load-earlier"
              disabled={shown.offset === 0 || history.isFetching}
              onClick={() => {
                setOffset(Math.max(0, shown.offset - pageSize));
                setWanted(shown.offset - 1);
              }}
            >
              Load earlier
            </button>
            <span className="muted tt-window" data-testid="tt-window">
              {steps.length === 0
                ? `no steps of ${plural(shown.totalEvents, "event")}`
                : `#${first}–#${last} of ${plural(shown.totalEvents, "event")}`}
            </span>
            <button
              type="button"
              className="button small"
              data-testid="tt-load-later"
              disabled={end >= shown.totalEvents || history.isFetching}
              onClick={() => {
                setOffset(end);
                setWanted(end);
              }}
            >
              Load later
            </button>
          </div>
          {correlation !== null && (
            <div className="tt-filter" data-testid="tt-filter">
              <span className="muted">correlation</span>
              <span className="mono truncate" title={correlation}>
                {correlation}
              </span>
              <span className="muted">{plural(visible.length, "step")}</span>
              <button
                type="button"
                className="icon-button"
                data-testid="tt-filter-clear"
                aria-label="Show every step"
                title="Show every step"
                onClick={() => setCorrelation(null)}
              >
                <Icon name="close" size={13} />
              </button>
            </div>
          )}
          <Timeline steps={visible} selected={selected} onSelect={select} onKeyDown={onKeyDown} busy={history.isFetching} />
        </div>
        <div className="tt-detail-column">
          {step && (
            <>
              <StepControls
                first={first}
                last={last}
                selected={selected}
                total={shown.totalEvents}
                canBack={neighbour(-1) !== null}
                canForward={neighbour(1) !== null}
                onSelect={select}
                onStep={move}
                onKeyDown={onKeyDown}
              />
              <StepDetail
                step={step}
                state={stepState}
                causeIndex={causeIndex}
                correlationFilter={correlation}
                onSelect={(index) => {
                  // The causing event may be hidden by the filter: show everything again.
                  if (!visible.some((s) => s.index === index)) setCorrelation(null);
                  select(index);
                }}
                onFilterCorrelation={(id) => setCorrelation((c) => (c === id ? null : id))}
              />
            </>
          )}
        </div>
      </div>
      <DiffPanel connection={connection} request={request} selected={step} />
      <ComparePanel query={compare} />
    </>
  );
}
