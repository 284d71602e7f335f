import type { Finding, StoreKind } from "../../backend";
import { STORE_KINDS } from "../../backend";
import { groupBySeverity, SEVERITY_LABELS } from "../../lib/findings";
import { STORE_LABELS } from "../../lib/stores";
import { FindingItem } from "./FindingItem";
import type { AuditLink } from "./links";

/** A finding's store for grouping: the first it names (where it was found). */
const storeOf = (f: Finding): StoreKind => f.stores[0] ?? "postgres";

/** The findings by severity (worst first), then by store. */
export function FindingsList({ findings, tenant, onOpen }: { findings: Finding[]; tenant: string; onOpen: (link: AuditLink) => void }) {
  if (findings.length === 0) {
    return (
      <p className="muted" data-testid="audit-no-findings">
        No findings: every check that ran came back clean.
      </p>
    );
  }
  return (
    <div className="audit-findings" data-testid="audit-findings">
      {groupBySeverity(findings).map(({ severity, findings: ofSeverity }) => (
        <section key={severity} className="audit-severity-group" data-testid="audit-severity-group" data-severity={severity}>
          <h3 className={`audit-severity-title severity-${severity}`}>
            {SEVERITY_LABELS[severity]} <span className="muted">({ofSeverity.length})</span>
          </h3>
          {STORE_KINDS.filter((store) => ofSeverity.some((f) => storeOf(f) === store)).map((store) => (
            <div key={store} className="audit-store-group" data-testid="audit-store-group" data-store={store}>
              <h4 className="audit-store-title">{STORE_LABELS[store]}</h4>
              <ul className="audit-finding-list">
                {ofSeverity
                  .filter((f) => storeOf(f) === store)
                  .map((f, i) => (
                    <FindingItem key={`${f.kind}/${f.subject}/${i}`} finding={f} tenant={tenant} onOpen={onOpen} />
                  ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
