import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useBackend } from "../backend";
import { newTaskId } from "./taskId";

/**
 * Which task a Cancel was asked for, and the Cancel itself: `cancel(taskId)`
 * marks it as cancelling, then asks `cancelTask`; a failure to cancel is
 * swallowed (the task's own result says how it ended).
 */
export function useTaskCancel(cancelTask: (taskId: string) => Promise<unknown>) {
  const [cancelling, setCancelling] = useState<string | null>(null);
  async function cancel(taskId: string) {
    setCancelling(taskId);
    try {
      await cancelTask(taskId);
    } catch {
      // The task's own result says how it ended.
    }
  }
  return { cancelling, cancel, resetCancelling: () => setCancelling(null) };
}

/**
 * A cancellable backend task run as a mutation under a fresh task id, with
 * the progress it reports (only the running task's), Cancel, and a cancel
 * when the component goes away (nobody watches the task any more).
 */
export function useCancellableTask<V extends object, R, P>(
  task: (vars: V, taskId: string, onProgress: (value: P) => void) => Promise<R>,
) {
  const backend = useBackend();
  const [progress, setProgress] = useState<{ taskId: string; value: P } | null>(null);
  const { cancelling, cancel, resetCancelling } = useTaskCancel(backend.cancelTask);
  const run = useMutation({
    mutationFn: ({ taskId, ...vars }: V & { taskId: string }) =>
      task(vars as unknown as V, taskId, (value) => setProgress({ taskId, value })),
  });
  const running = run.isPending ? run.variables : undefined;

  const runningId = useRef<string | null>(null);
  runningId.current = running?.taskId ?? null;
  useEffect(
    () => () => {
      if (runningId.current) void backend.cancelTask(runningId.current).catch(() => undefined);
    },
    [backend],
  );

  function start(vars: V) {
    resetCancelling();
    setProgress(null);
    run.mutate({ ...vars, taskId: newTaskId() });
  }

  /** The running task's latest progress, or null before its first report. */
  const soFar = running && progress?.taskId === running.taskId ? progress.value : null;
  return { run, running, soFar, start, cancel, cancelling };
}
