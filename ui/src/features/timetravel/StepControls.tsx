import type { KeyboardEvent } from "react";
import { Icon } from "../../components/Icon";

/** The slider over a page's step indexes, with a step back and a step forward. */
export function StepControls({
  first,
  last,
  selected,
  total,
  canBack,
  canForward,
  onSelect,
  onStep,
  onKeyDown,
}: {
  /** The page's first and last step index. */
  first: number;
  last: number;
  selected: number;
  /** Events in the whole history. */
  total: number;
  /** Whether a shown step lies before (after) the selected one. */
  canBack: boolean;
  canForward: boolean;
  onSelect: (index: number) => void;
  /** One step back (-1) or forward (1). */
  onStep: (direction: -1 | 1) => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}) {
  return (
    <div className="tt-controls">
      <button
        type="button"
        className="icon-button tt-step-button"
        data-testid="tt-step-back"
        aria-label="Step back"
        title="Step back (←)"
        disabled={!canBack}
        onClick={() => onStep(-1)}
      >
        <Icon name="chevronLeft" size={15} />
      </button>
      <input
        type="range"
        className="tt-slider"
        data-testid="tt-slider"
        aria-label="Step"
        aria-valuetext={`step ${selected} of ${total} events`}
        min={first}
        max={last}
        step={1}
        value={selected}
        onChange={(e) => onSelect(Number(e.target.value))}
        // The arrows move like everywhere else on the screen (by the shown steps).
        onKeyDown={onKeyDown}
      />
      <button
        type="button"
        className="icon-button tt-step-button"
        data-testid="tt-step-forward"
        aria-label="Step forward"
        title="Step forward (→)"
        disabled={!canForward}
        onClick={() => onStep(1)}
      >
        <Icon name="chevronRight" size={15} />
      </button>
      <span className="mono tt-position" data-testid="tt-position">
        #{selected} <span className="muted">of #{first}–#{last}</span>
      </span>
    </div>
  );
}
