import type { BackupProgress } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";

/** A running backup task's parts done, its latest message, and Cancel. */
export function PartsProgress({
  testId,
  taskId,
  soFar,
  cancelling,
  onCancel,
  label,
}: {
  testId: string;
  taskId: string;
  soFar: BackupProgress | null;
  cancelling: string | null;
  onCancel: (taskId: string) => Promise<unknown>;
  label: string;
}) {
  return (
    <p className="export-status" data-testid={testId} role="status" aria-live="polite">
      <span className="detail-refreshing" aria-hidden="true" />
      <span>
        {label}: part <span data-testid={`${testId}-done`}>{soFar?.partsDone ?? 0}</span> of{" "}
        <span data-testid={`${testId}-parts`}>{soFar?.parts ?? "…"}</span> done
        {soFar && (
          <>
            {" "}
            · <span data-testid={`${testId}-message`}>{soFar.message}</span>
          </>
        )}
      </span>
      <CancelTaskButton taskId={taskId} cancelling={cancelling} onCancel={onCancel} testId={`${testId}-cancel`} />
    </p>
  );
}
