/** The Cancel button of a running task: "Cancelling…" and disabled once asked. */
export function CancelTaskButton({
  taskId,
  cancelling,
  onCancel,
  testId,
}: {
  taskId: string;
  /** The task a Cancel was asked for, if any. */
  cancelling: string | null;
  onCancel: (taskId: string) => Promise<unknown>;
  testId: string;
}) {
  const asked = cancelling === taskId;
  return (
    <button type="button" className="button small" data-testid={testId} disabled={asked} onClick={() => void onCancel(taskId)}>
      {asked ? "Cancelling…" : "Cancel"}
    </button>
  );
}
