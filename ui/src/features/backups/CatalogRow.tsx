import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useBackend, type CatalogEntry } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatBytes } from "../../lib/format";
import { formatAge, verificationState } from "./format";
import { backupQueryKeys } from "./queries";
import { VerificationResult } from "./VerificationResult";

/** One backup of the catalog, with its Verify button and, once verified here, the result under it. */
export function CatalogRow({ entry, destination }: { entry: CatalogEntry; destination: string | null }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const verify = useMutation({
    mutationFn: () => backend.backupVerify(entry.id, destination),
    // The backend records the result: the catalog's state column changes with it.
    onSettled: () => queryClient.invalidateQueries({ queryKey: backupQueryKeys.all() }),
  });
  const tenant = entry.scope.tenant;
  const state = verificationState(entry);
  return (
    <>
      <tr data-testid="backup-row" data-id={entry.id}>
        <td className="mono">{entry.id}</td>
        <td>{tenant ? tenant.slug : "—"}</td>
        <td>{tenant ? tenant.tier : "—"}</td>
        <td title={entry.finishedAt}>{new Date(entry.finishedAt).toLocaleString()}</td>
        <td>{formatAge(entry.ageSeconds)}</td>
        <td title={`${entry.bytes} bytes`}>{formatBytes(entry.bytes)}</td>
        <td data-testid="backup-state" data-state={state}>
          {state}
        </td>
        <td>
          <button
            type="button"
            className="button small"
            data-testid="backup-verify"
            disabled={verify.isPending}
            onClick={() => verify.mutate()}
          >
            {verify.isPending ? "Verifying…" : "Verify"}
          </button>
        </td>
      </tr>
      {(verify.isSuccess || verify.isError) && (
        <tr className="backup-row-detail">
          <td colSpan={8}>
            {verify.isSuccess && <VerificationResult verification={verify.data} />}
            {verify.isError && <ErrorMessage error={verify.error} testId="backup-error" />}
          </td>
        </tr>
      )}
    </>
  );
}
