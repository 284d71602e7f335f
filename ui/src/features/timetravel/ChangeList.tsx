import type { PathChange } from "../../backend";
import { compactValue, formatChange, showPath } from "./format";

/** Characters of a value in a change's tooltip. */
const TITLE_CHARS = 2_000;

/** One line per change: `+ /path = value`, `- /path (was …)`, `~ /path: old → new`. */
export function ChangeList({
  changes,
  testId,
  empty,
  label,
}: {
  changes: readonly PathChange[];
  testId: string;
  /** Shown when there is no change. */
  empty: string;
  label: string;
}) {
  return (
    <div className="tt-changes" data-testid={testId} data-count={changes.length}>
      {changes.length === 0 ? (
        <p className="muted tt-changes-empty">{empty}</p>
      ) : (
        <ul className="mono" aria-label={label}>
          {changes.map((c, i) => (
            <li
              key={`${c.op}:${c.path}:${i}`}
              className={`tt-change tt-change-${c.op}`}
              data-op={c.op}
              data-path={c.path}
              title={`${showPath(c.path)}\n${c.op === "changed" ? `${compactValue(c.old, TITLE_CHARS)} → ${compactValue(c.new, TITLE_CHARS)}` : compactValue(c.op === "added" ? c.value : c.old, TITLE_CHARS)}`}
            >
              {formatChange(c)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
