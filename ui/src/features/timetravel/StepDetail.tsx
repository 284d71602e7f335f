import type { HistoryStep } from "../../backend";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { ANOMALY_LABELS } from "./anomalies";
import type { State } from "./changes";
import { ChangeList } from "./ChangeList";
import { formatWhen } from "./format";

/** How the state after the step stands: rebuilt, still loading its base, or not to be had. */
export type StepState =
  | { status: "ready"; state: State }
  | { status: "loading" }
  | { status: "error"; error: unknown }
  | { status: "unknown"; why: string };

function StateView({ state }: { state: StepState }) {
  switch (state.status) {
    case "ready":
      return state.state === null ? (
        <p className="tt-no-state muted" data-testid="tt-state" data-empty="true">
          No state: the aggregate does not exist after this step (not created yet, or deleted).
        </p>
      ) : (
        <pre className="json-block mono tt-state" data-testid="tt-state">
          {JSON.stringify(state.state, null, 2)}
        </pre>
      );
    case "loading":
      return (
        <p className="muted" data-testid="tt-state" data-loading="true">
          Reading the state before this page…
        </p>
      );
    case "error":
      return (
        <div data-testid="tt-state" data-empty="true">
          <ErrorMessage error={state.error} testId="tt-state-error" />
        </div>
      );
    case "unknown":
      return (
        <p className="muted" data-testid="tt-state" data-empty="true">
          {state.why}
        </p>
      );
  }
}

function Payload({ step }: { step: HistoryStep }) {
  const { payload, payloadText } = step.event;
  if (payload !== null) {
    return (
      <pre className="json-block mono" data-testid="tt-payload" data-json="true">
        {JSON.stringify(payload, null, 2)}
      </pre>
    );
  }
  if (payloadText !== null) {
    return (
      <div className="tt-raw-payload">
        <span className="tag tag-warn" data-testid="tt-payload-not-json">
          not JSON
        </span>
        <pre className="json-block mono" data-testid="tt-payload" data-json="false">
          {payloadText}
        </pre>
      </div>
    );
  }
  return (
    <p className="muted" data-testid="tt-payload" data-json="none">
      No payload.
    </p>
  );
}

/** One step in full: the event, its anomalies, the state after it, its diff and its payload. */
export function StepDetail({
  step,
  state,
  causeIndex,
  correlationFilter,
  onSelect,
  onFilterCorrelation,
}: {
  step: HistoryStep;
  state: StepState;
  /** The index of the causing event when it is among the loaded steps. */
  causeIndex: number | null;
  correlationFilter: string | null;
  onSelect: (index: number) => void;
  onFilterCorrelation: (correlation: string) => void;
}) {
  const e = step.event;
  return (
    <section className="tt-detail" data-testid="tt-detail" data-index={step.index} aria-label={`Step ${step.index}`}>
      <header className="tt-detail-head">
        <span className="mono tt-step-index">#{step.index}</span>
        <strong className="mono">{e.eventType}</strong>
        <span className={`tag tt-kind-tag tt-kind-tag-${step.kind}`}>{step.kind}</span>
        {!step.applied && <span className="tag tag-warn">skipped</span>}
        <span className="spacer" />
        <span className="mono muted">v{step.version}</span>
      </header>
      <dl className="detail-fields tt-event-fields">
        <dt>Time</dt>
        <dd className="mono">{formatWhen(e.time)}</dd>
        <dt>Sequence</dt>
        <dd className="mono">{e.sequence ?? "—"}</dd>
        <dt>Actor</dt>
        <dd className="mono">{e.actor ?? "—"}</dd>
        <dt>Event id</dt>
        <dd className="mono tt-id">
          {e.id ?? "—"}
          {e.id && <CopyButton value={e.id} label="Copy the event id" />}
        </dd>
        <dt>Causation</dt>
        <dd className="mono tt-id">
          {e.causation === null ? (
            "—"
          ) : causeIndex !== null ? (
            <button
              type="button"
              className="link-button mono"
              data-testid="tt-causation"
              title={`Go to the causing event (step #${causeIndex})`}
              onClick={() => onSelect(causeIndex)}
            >
              {e.causation}
            </button>
          ) : (
            <span data-testid="tt-causation" title="The causing event is not among the loaded steps">
              {e.causation}
            </span>
          )}
        </dd>
        <dt>Correlation</dt>
        <dd className="mono tt-id">
          {e.correlation === null ? (
            "—"
          ) : (
            <button
              type="button"
              className="link-button mono"
              data-testid="tt-correlation"
              aria-pressed={correlationFilter === e.correlation}
              title="Show only the steps with this correlation id"
              onClick={() => onFilterCorrelation(e.correlation!)}
            >
              {e.correlation}
            </button>
          )}
        </dd>
      </dl>
      {step.anomalies.length > 0 && (
        <ul className="tt-detail-anomalies" aria-label="Anomalies">
          {step.anomalies.map((a, i) => (
            <li key={i} className="tt-anomaly" data-kind={a.kind}>
              <Icon name="alert" size={12} />
              <strong>{ANOMALY_LABELS[a.kind]}</strong>
              <span>{a.message}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="tt-detail-grid">
        <section className="tt-detail-section" aria-label="State after the step">
          <h3>State after</h3>
          <StateView state={state} />
        </section>
        <section className="tt-detail-section">
          <h3>Changes of this step</h3>
          <ChangeList
            changes={step.changes}
            testId="tt-step-diff"
            label="Changes of this step"
            empty={step.applied ? "No change." : "No change: the event was skipped."}
          />
          <h3>Payload</h3>
          <Payload step={step} />
        </section>
      </div>
    </section>
  );
}
