import type { ReportFormat } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { useAuditExport } from "./queries";

const LABELS: Record<ReportFormat, string> = { html: "Export HTML", json: "Export JSON" };

/** Saves the report as a file in the exports folder (once per format: the file then exists), and says where. */
function ExportButton({ id, format }: { id: string; format: ReportFormat }) {
  const save = useAuditExport();
  return (
    <span className="audit-export">
      <button
        type="button"
        className="button small"
        data-testid={`audit-export-${format}`}
        disabled={save.isPending || save.isSuccess}
        title={save.isSuccess ? "Saved: the file is in the exports folder" : undefined}
        onClick={() => save.mutate({ id, format })}
      >
        <Icon name="download" size={12} />
        {LABELS[format]}
      </button>
      {save.isSuccess && (
        <span className="audit-small" data-testid={`audit-export-${format}-saved`}>
          Saved to{" "}
          <code className="mono" data-testid={`audit-export-${format}-path`}>
            {save.data.path}
          </code>
        </span>
      )}
      {save.isError && <ErrorMessage error={save.error} testId={`audit-export-${format}-error`} />}
    </span>
  );
}

/** Export HTML (self-contained, for a ticket) and Export JSON of the report `id`. */
export function ExportButtons({ id }: { id: string }) {
  return (
    <div className="audit-exports" data-testid="audit-exports">
      <ExportButton id={id} format="html" />
      <ExportButton id={id} format="json" />
    </div>
  );
}
