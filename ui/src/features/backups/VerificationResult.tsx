import type { Verification } from "../../backend";
import { Icon } from "../../components/Icon";

/** A verification's outcome: passed, or each failing part with its problems (file by file). */
export function VerificationResult({ verification }: { verification: Verification }) {
  const failing = verification.parts.filter((p) => !p.passed);
  return (
    <div className="backup-verification" data-testid="backup-verification" data-passed={String(verification.passed)} role="status">
      {verification.passed ? (
        <span>
          <Icon name="check" size={13} /> Passed: every file of {verification.parts.length} parts matches the manifest.
        </span>
      ) : (
        <ul className="backup-problems">
          {failing.map((part) => (
            <li key={part.store} data-testid="backup-verification-part" data-store={part.store}>
              <strong>{part.store}</strong> failed ({part.files} files checked)
              <ul>
                {part.problems.map((problem, i) => (
                  <li key={i} className="mono" data-testid="backup-problem">
                    {problem}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
