import type { Verification } from "../../backend";
import { Icon } from "../../components/Icon";
import { STORE_LABELS } from "../../lib/stores";
import { RestoreCheckView } from "./RestoreCheckView";

/**
 * A verification's outcome: per part, its checksums (files checked, problems
 * file by file) and, when it was restored into scratch, the restore's check.
 */
export function VerificationResult({ verification }: { verification: Verification }) {
  const restored = verification.restored ?? false;
  const notes = verification.notes ?? [];
  return (
    <div
      className="backup-verification"
      data-testid="backup-verification"
      data-passed={String(verification.passed)}
      data-restored={String(restored)}
      role="status"
    >
      <p>
        {verification.passed ? (
          <>
            <Icon name="check" size={13} /> Passed: every file of {verification.parts.length} parts matches the manifest
            {restored && ", and every part restored into scratch matches its measures"}.
          </>
        ) : (
          <>
            <Icon name="alert" size={13} /> Failed: see the parts below.
          </>
        )}
      </p>
      {notes.length > 0 && (
        <ul className="backup-notes" data-testid="backup-verification-notes">
          {notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
      <ul className="backup-parts-checked">
        {verification.parts.map((part, i) => (
          <li key={`${part.store}-${i}`} data-testid="backup-verification-part" data-store={part.store} data-passed={String(part.passed)}>
            <strong>{STORE_LABELS[part.store]}</strong>{" "}
            <span data-testid="backup-checksums" data-passed={String(part.problems.length === 0)}>
              checksums {part.problems.length === 0 ? "match" : "differ"} ({part.files} files checked)
            </span>
            {part.problems.length > 0 && (
              <ul className="backup-problems">
                {part.problems.map((problem, j) => (
                  <li key={j} className="mono" data-testid="backup-problem">
                    {problem}
                  </li>
                ))}
              </ul>
            )}
            {part.restore && <RestoreCheckView check={part.restore} />}
          </li>
        ))}
      </ul>
    </div>
  );
}
