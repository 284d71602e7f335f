import type { Finding } from "../backend";
import { STORE_LABELS } from "../lib/stores";

/**
 * A finding's evidence (each store's location and value) and its remedy, the same wherever a
 * finding is shown. `testId` prefixes the test ids (`<testId>-evidence`, `-evidence-location`,
 * `-evidence-value`, `-finding-remedy`).
 */
export function FindingEvidence({ finding, testId }: { finding: Finding; testId: string }) {
  return (
    <>
      {finding.evidence.length > 0 && (
        <ul className="finding-evidence" aria-label="Evidence">
          {finding.evidence.map((e, i) => (
            <li key={i} data-testid={`${testId}-evidence`} data-store={e.store}>
              <span className="finding-evidence-where">
                <span className="tag">{STORE_LABELS[e.store]}</span>{" "}
                <span className="mono" data-testid={`${testId}-evidence-location`}>
                  {e.location}
                </span>
              </span>
              {e.value === null ? (
                <span className="muted">nothing there</span>
              ) : (
                <pre className="json-block mono" data-testid={`${testId}-evidence-value`}>
                  {JSON.stringify(e.value, null, 2)}
                </pre>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="finding-remedy" data-testid={`${testId}-finding-remedy`}>
        <strong>Remedy:</strong> {finding.remedy}
      </p>
    </>
  );
}
