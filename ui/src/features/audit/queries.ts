import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useBackend, type AuditProgress, type AuditReport, type ReportFormat } from "../../backend";
import { useCancellableTask } from "../../lib/useCancellableTask";

// A run is a task (progress, Cancel); its report is kept in the query cache
// per connection, so the screen shows it again after a visit to a finding's
// link. An export is a mutation of the report the backend keeps.
export const auditQueryKeys = {
  all: () => ["audit"] as const,
  last: (connection: string | null) => ["audit", "last", connection] as const,
};

/** The last report made on `connection` in this session (null before the first). */
export function lastReportQuery(connection: string | null) {
  return queryOptions<AuditReport | null>({
    queryKey: auditQueryKeys.last(connection),
    // Only a run fills it (setQueryData); there is nothing to fetch.
    queryFn: () => null,
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

/** A tenant's audit on `connection`, under a fresh task id, with its progress and Cancel; the report is kept. */
export function useAuditRun(connection: string | null) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const last = useQuery(lastReportQuery(connection));
  const task = useCancellableTask(async (v: { tenant: string }, taskId: string, onProgress: (p: AuditProgress) => void) => {
    if (connection === null) throw new Error("no connection");
    const report = await backend.auditRun(connection, v.tenant, taskId, onProgress);
    queryClient.setQueryData(auditQueryKeys.last(connection), report);
    return report;
  });
  return { ...task, last: last.data ?? null };
}

/** Saves the kept report `id` as JSON or HTML into the exports folder. */
export function useAuditExport() {
  const backend = useBackend();
  return useMutation({
    mutationFn: ({ id, format }: { id: string; format: ReportFormat }) => backend.auditExport(id, format),
  });
}
