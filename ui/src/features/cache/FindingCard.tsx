import type { Finding, KeyName } from "../../backend";
import { Icon } from "../../components/Icon";
import { FindingEvidence } from "../../components/FindingEvidence";
import { FINDING_LABELS, findingKey } from "./findings";

/**
 * One finding: what is wrong, what each store holds, and what to do. One
 * with a Redis key opens that key in the viewer when clicked.
 */
export function FindingCard({ finding, onOpenKey }: { finding: Finding; onOpenKey: (key: KeyName) => void }) {
  const key = findingKey(finding);
  return (
    <article
      className={`cache-finding severity-${finding.severity}${key ? " openable" : ""}`}
      data-testid="cache-finding"
      data-kind={finding.kind}
      data-severity={finding.severity}
      aria-label={`${FINDING_LABELS[finding.kind]}: ${finding.subject}`}
      onClick={
        key
          ? () => {
              // Selecting evidence text to copy it is not opening the key.
              if (!window.getSelection()?.toString()) onOpenKey(key);
            }
          : undefined
      }
    >
      <header className="cache-finding-head">
        <span className={`tag cache-severity severity-${finding.severity}`}>{finding.severity}</span>
        <strong>{FINDING_LABELS[finding.kind]}</strong>
        <code className="muted">{finding.kind}</code>
        {finding.entityType && <span className="tag">{finding.entityType}</span>}
        <span className="mono truncate cache-finding-subject" title={finding.subject}>
          {finding.subject}
        </span>
        <span className="spacer" />
        {key && (
          <button
            type="button"
            className="button small"
            data-testid="cache-finding-open"
            title={`Open ${key.text} in the value viewer`}
            onClick={(e) => {
              e.stopPropagation();
              onOpenKey(key);
            }}
          >
            <Icon name="key" size={12} />
            Open key
          </button>
        )}
      </header>
      <p className="cache-finding-message">{finding.message}</p>
      <FindingEvidence finding={finding} testId="cache" />
    </article>
  );
}
