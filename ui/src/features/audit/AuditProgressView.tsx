import type { AuditProgress } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { AUDIT_CHECKS, CHECK_LABELS } from "./format";

/** A running audit: each check done, running or waiting, the latest message, and Cancel. */
export function AuditProgressView({
  taskId,
  soFar,
  cancelling,
  onCancel,
}: {
  taskId: string;
  soFar: AuditProgress | null;
  cancelling: string | null;
  onCancel: (taskId: string) => Promise<unknown>;
}) {
  const done = soFar?.checksDone ?? 0;
  const total = soFar?.checks ?? AUDIT_CHECKS.length;
  return (
    <div className="audit-progress" data-testid="audit-progress" role="status" aria-live="polite">
      <p className="export-status">
        <span className="detail-refreshing" aria-hidden="true" />
        <span>
          Check <span data-testid="audit-progress-done">{done}</span> of <span data-testid="audit-progress-checks">{total}</span> done
          {soFar && (
            <>
              {" "}
              · <span data-testid="audit-progress-message">{soFar.message}</span>
            </>
          )}
        </span>
        <CancelTaskButton taskId={taskId} cancelling={cancelling} onCancel={onCancel} testId="audit-cancel" />
      </p>
      <ol className="audit-progress-checks">
        {AUDIT_CHECKS.map((check, i) => {
          const state = i < done ? "done" : soFar && soFar.check === check ? "running" : "waiting";
          return (
            <li key={check} data-testid="audit-progress-check" data-check={check} data-state={state} className={`audit-step ${state}`}>
              <span className="audit-step-mark" aria-hidden="true">
                {state === "done" ? "✓" : state === "running" ? "…" : "·"}
              </span>
              {CHECK_LABELS[check]}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
