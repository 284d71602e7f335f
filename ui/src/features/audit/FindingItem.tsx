import { useState } from "react";
import type { Finding } from "../../backend";
import { Icon } from "../../components/Icon";
import { FINDING_LABELS, SEVERITY_LABELS } from "../../lib/findings";
import { FindingEvidence } from "../../components/FindingEvidence";
import { STORE_LABELS } from "../../lib/stores";
import { findingLink, LINK_LABELS, linkTarget, type AuditLink } from "./links";

/** One finding, folded to a line; unfolded: its message, evidence per store, remedy and a link to where it shows. */
export function FindingItem({ finding, tenant, onOpen }: { finding: Finding; tenant: string; onOpen: (link: AuditLink) => void }) {
  const [open, setOpen] = useState(false);
  const link = findingLink(finding, tenant);
  return (
    <li
      className={`audit-finding severity-${finding.severity}`}
      data-testid="audit-finding"
      data-kind={finding.kind}
      data-severity={finding.severity}
      data-subject={finding.subject}
      data-open={open}
    >
      <button
        type="button"
        className="audit-finding-head"
        data-testid="audit-finding-toggle"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="chevronRight" size={12} className="audit-chevron" />
        <span className={`tag audit-severity severity-${finding.severity}`}>{SEVERITY_LABELS[finding.severity]}</span>
        <strong>{FINDING_LABELS[finding.kind]}</strong>
        {finding.entityType && <span className="tag">{finding.entityType}</span>}
        <span className="mono truncate audit-finding-subject" title={finding.subject}>
          {finding.subject}
        </span>
      </button>
      {open && (
        <div className="audit-finding-body" data-testid="audit-finding-body">
          <p className="audit-finding-message" data-testid="audit-finding-message">
            {finding.message}
          </p>
          <p className="audit-small muted">
            <code>{finding.kind}</code> · {finding.stores.map((s) => STORE_LABELS[s]).join(", ")}
          </p>
          <FindingEvidence finding={finding} testId="audit" />
          <p>
            <button
              type="button"
              className="button small"
              data-testid="audit-finding-link"
              data-to={link.to}
              data-target={linkTarget(link)}
              title={linkTarget(link)}
              onClick={() => onOpen(link)}
            >
              <Icon name="search" size={12} />
              {LINK_LABELS[link.to]}
            </button>
          </p>
        </div>
      )}
    </li>
  );
}
