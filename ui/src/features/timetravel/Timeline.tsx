import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent } from "react";
import type { HistoryStep } from "../../backend";
import { Icon } from "../../components/Icon";
import { ANOMALY_LABELS } from "./anomalies";
import { formatWhen } from "./format";

/** Timelines longer than this render only the rows in view. */
export const TIMELINE_VIRTUALIZE_ABOVE = 100;
const ROW_HEIGHT = 30;
const ANOMALY_HEIGHT = 22;

export const stepRowId = (index: number) => `tt-step-${index}`;

function StepRow({ step, selected, onSelect }: { step: HistoryStep; selected: boolean; onSelect: (index: number) => void }) {
  const e = step.event;
  const anomalous = step.anomalies.length > 0;
  return (
    <div
      id={stepRowId(step.index)}
      role="option"
      aria-selected={selected}
      className={`tt-step${selected ? " selected" : ""}${anomalous ? " anomalous" : ""}${step.applied ? "" : " skipped"}`}
      data-testid="tt-step"
      data-index={step.index}
      data-kind={step.kind}
      data-anomaly={anomalous ? "true" : undefined}
      onClick={() => onSelect(step.index)}
    >
      <div className="tt-step-line">
        <span className="tt-step-index mono">#{step.index}</span>
        <span className="mono tt-step-time" title={e.time}>
          {formatWhen(e.time)}
        </span>
        <span className="mono muted tt-step-seq" title="Sequence">
          {e.sequence ?? "—"}
        </span>
        <span className="tt-step-type truncate">
          <span className={`tt-kind tt-kind-${step.kind}`} aria-hidden="true" />
          <span className="mono truncate">{e.eventType}</span>
        </span>
        <span className="muted truncate tt-step-actor" title={e.actor ?? undefined}>
          {e.actor ?? "—"}
        </span>
        <span className="mono tt-step-version" title="Events applied up to here">
          v{step.version}
        </span>
        {!step.applied && (
          <span className="tag tag-warn" title="The event did not change the state">
            skipped
          </span>
        )}
      </div>
      {step.anomalies.map((a, i) => (
        <div key={i} className="tt-anomaly" data-testid="tt-anomaly" data-kind={a.kind}>
          <Icon name="alert" size={12} />
          <strong>{ANOMALY_LABELS[a.kind]}</strong>
          <span className="truncate" title={a.message}>
            {a.message}
          </span>
          {e.id && <span className="mono muted tt-anomaly-event">event {e.id}</span>}
        </div>
      ))}
    </div>
  );
}

/**
 * The steps in order, oldest first; the selected one highlighted and kept in
 * view. Long lists render only the rows in view. Arrow keys move the selection
 * (handled by the caller's `onKeyDown`).
 */
export function Timeline({
  steps,
  selected,
  onSelect,
  onKeyDown,
  busy,
}: {
  steps: readonly HistoryStep[];
  selected: number | null;
  onSelect: (index: number) => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  busy: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = steps.length > TIMELINE_VIRTUALIZE_ABOVE;
  const virtualizer = useVirtualizer({
    count: steps.length,
    enabled: virtual,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => ROW_HEIGHT + (steps[i]?.anomalies.length ?? 0) * ANOMALY_HEIGHT,
    getItemKey: (i) => steps[i]?.index ?? i,
    overscan: 12,
  });

  // Keep the selected step in view.
  const position = selected === null ? -1 : steps.findIndex((s) => s.index === selected);
  useEffect(() => {
    if (position < 0) return;
    if (virtual) virtualizer.scrollToIndex(position, { align: "auto" });
    else scrollRef.current?.querySelector<HTMLElement>(`#${stepRowId(selected!)}`)?.scrollIntoView?.({ block: "nearest" });
  }, [position, virtual]);

  const rows = virtual
    ? virtualizer.getVirtualItems().map((item) => (
        <div
          key={item.key}
          ref={virtualizer.measureElement}
          data-index={item.index}
          className="tt-virtual-row"
          style={{ transform: `translateY(${item.start}px)` }}
        >
          <StepRow step={steps[item.index]!} selected={steps[item.index]!.index === selected} onSelect={onSelect} />
        </div>
      ))
    : steps.map((s) => <StepRow key={s.index} step={s} selected={s.index === selected} onSelect={onSelect} />);

  return (
    <div
      ref={scrollRef}
      className={`tt-timeline${busy ? " busy" : ""}`}
      data-testid="tt-timeline"
      role="listbox"
      aria-label="Steps"
      aria-activedescendant={selected !== null && position >= 0 ? stepRowId(selected) : undefined}
      aria-busy={busy || undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {steps.length === 0 ? (
        <p className="muted tt-timeline-empty">No steps.</p>
      ) : virtual ? (
        <div className="tt-virtual" style={{ height: virtualizer.getTotalSize() }}>
          {rows}
        </div>
      ) : (
        rows
      )}
    </div>
  );
}
