import { toBackendError, useBackend, type ExportFormat, type ExportProgress, type RowQuery } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { CopyButton } from "../../components/CopyButton";
import { Icon } from "../../components/Icon";
import { ERROR_TITLES } from "../../lib/errors";
import { formatBytes } from "../../lib/format";
import { useCancellableTask } from "../../lib/useCancellableTask";

interface ExportRun {
  format: ExportFormat;
  query: RowQuery;
}

const FORMAT_LABELS: Record<ExportFormat, string> = { csv: "CSV", json: "JSON" };

/**
 * Export CSV / Export JSON of everything the current filters and order match,
 * into a new file in the exports folder, with live progress and Cancel.
 */
export function ExportButtons({
  connection,
  tenantId,
  query,
  disabled = false,
}: {
  connection: string;
  tenantId: string;
  /** The rows view's query (its cursor and limit are ignored by the export). */
  query: RowQuery;
  disabled?: boolean;
}) {
  const backend = useBackend();
  // Leaving the table (another tab, another tenant) stops an export nobody watches.
  const { run, running, soFar, start: startRun, cancel, cancelling } = useCancellableTask(
    ({ format, query: q }: ExportRun, taskId: string, onProgress: (p: ExportProgress) => void) =>
      backend.exportRows(connection, tenantId, q, format, null, taskId, onProgress),
  );

  function start(format: ExportFormat) {
    startRun({ format, query: { ...query, after: null, limit: null } });
  }

  const rowsSoFar = soFar?.rows ?? 0;
  const error = run.isError ? toBackendError(run.error) : null;

  return (
    <div className="export-bar">
      {(["csv", "json"] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button small"
          data-testid={`export-${format}`}
          disabled={disabled || running !== undefined}
          title={`Export every matching row to a ${FORMAT_LABELS[format]} file in the exports folder`}
          onClick={() => start(format)}
        >
          <Icon name="download" size={13} />
          Export {FORMAT_LABELS[format]}
        </button>
      ))}
      {running && (
        <span className="export-status" data-testid="export-progress" role="status" aria-live="polite">
          <span className="detail-refreshing" aria-hidden="true" />
          Exporting {FORMAT_LABELS[running.format]}: {rowsSoFar.toLocaleString("en-US")} rows so far
          <CancelTaskButton taskId={running.taskId} cancelling={cancelling} onCancel={cancel} testId="export-cancel" />
        </span>
      )}
      {run.isSuccess && (
        <span className="export-status export-done" data-testid="export-result" role="status">
          <Icon name="check" size={13} />
          <span>
            {run.data.rows.toLocaleString("en-US")} {run.data.rows === 1 ? "row" : "rows"} ({formatBytes(run.data.bytes)}) saved
            to <span className="mono export-path">{run.data.path}</span>
          </span>
          <CopyButton value={run.data.path} label="Copy the file's path" testId="export-copy-path" />
        </span>
      )}
      {error && (
        <span className="export-status export-failed" data-testid="export-error" data-code={error.code} role="alert">
          <Icon name="alert" size={13} />
          {error.code === "cancelled" ? (
            <span>Export cancelled: no complete file was written.</span>
          ) : (
            <span>
              {ERROR_TITLES[error.code]} <code>{error.code}</code>: {error.message}
            </span>
          )}
        </span>
      )}
    </div>
  );
}
