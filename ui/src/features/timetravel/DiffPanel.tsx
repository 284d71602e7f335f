import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useBackend, type HistoryStep, type StateAt } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { ChangeList } from "./ChangeList";
import { plural } from "./format";
import { stateDiffQuery, type AggregateRequest } from "./queries";

/** A step as a point: its sequence, else its time. */
export const pointOf = (step: HistoryStep) => step.event.sequence ?? step.event.time;

function PointSummary({ label, point }: { label: string; point: StateAt }) {
  return (
    <div className="tt-diff-point">
      <span className="field-caption">{label}</span>
      <strong className="mono">{point.at}</strong>
      <span className="muted">
        {plural(point.eventsBefore, "event")} of {point.totalEvents.toLocaleString("en-US")}, version {point.version}
        {point.state === null ? ", no state" : ""}
      </span>
    </div>
  );
}

/** The changes between two points of the history (sequence numbers or times). */
export function DiffPanel({
  connection,
  request,
  selected,
}: {
  connection: string;
  request: AggregateRequest;
  /** The step the explorer shows, offered as either point. */
  selected: HistoryStep | null;
}) {
  const backend = useBackend();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [submitted, setSubmitted] = useState<{ from: string; to: string } | null>(null);
  const diff = useQuery({
    ...stateDiffQuery(backend, connection, request, submitted?.from ?? "", submitted?.to ?? ""),
    enabled: submitted !== null,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = { from: from.trim(), to: to.trim() };
    if (next.from === "" || next.to === "") return;
    if (submitted && submitted.from === next.from && submitted.to === next.to) void diff.refetch();
    else setSubmitted(next);
  }

  const selectedLink = (set: (value: string) => void) =>
    selected && (
      <button
        type="button"
        className="link-button"
        title={`Use step #${selected.index} (${pointOf(selected)})`}
        onClick={() => set(pointOf(selected))}
      >
        selected step
      </button>
    );

  return (
    <section className="tt-panel tt-diff" aria-labelledby="tt-diff-title">
      <h2 id="tt-diff-title">Diff between two points</h2>
      <form className="tt-diff-form" onSubmit={submit}>
        <label className="find-field">
          <span className="field-caption">From (sequence or time) {selectedLink(setFrom)}</span>
          <input
            data-testid="tt-diff-from"
            className="mono"
            placeholder="48211 or 2025-03-03T09:14:00Z"
            value={from}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="find-field">
          <span className="field-caption">To (sequence or time) {selectedLink(setTo)}</span>
          <input
            data-testid="tt-diff-to"
            className="mono"
            placeholder="53856 or 2025-03-26"
            value={to}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button"
          data-testid="tt-diff-run"
          disabled={from.trim() === "" || to.trim() === "" || diff.isFetching}
        >
          <Icon name="play" size={13} className={diff.isFetching ? "spin" : undefined} />
          Diff
        </button>
      </form>
      {diff.isError && <ErrorMessage error={diff.error} testId="tt-diff-error" />}
      {diff.data && !diff.isError && (
        <div className={`tt-diff-result${diff.isFetching ? " busy" : ""}`} data-testid="tt-diff-result">
          <div className="tt-diff-points">
            <PointSummary label="From" point={diff.data.from} />
            <Icon name="chevronRight" size={14} />
            <PointSummary label="To" point={diff.data.to} />
          </div>
          <ChangeList
            changes={diff.data.changes}
            testId="tt-diff-changes"
            label="Changes between the two points"
            empty="No difference: the state is the same at both points."
          />
        </div>
      )}
    </section>
  );
}
