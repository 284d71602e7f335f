import { useState, type FormEvent } from "react";
import type { ScanProgress, ScanRequest } from "../../backend";
import { CancelTaskButton } from "../../components/CancelTaskButton";
import { Icon } from "../../components/Icon";
import { formatCount } from "../../lib/format";
import { buildScanRequest, DEFAULT_SCAN_FORM, type ScanForm } from "./queries";

const FIELDS: { name: keyof ScanForm; caption: string; placeholder: string; className: string; title: string }[] = [
  { name: "tenant", caption: "Tenant (optional)", placeholder: "slug or id", className: "cache-field-tenant", title: "Only this tenant's keys (its prefix comes from the profile)" },
  { name: "pattern", caption: "Pattern", placeholder: "*", className: "cache-field-pattern", title: "A Redis glob (*, ?, [..]); with a tenant, after its prefix" },
  { name: "count", caption: "COUNT", placeholder: "1000", className: "cache-field-number", title: "SCAN's COUNT hint: keys asked per page (1 to 100,000)" },
  { name: "pauseMs", caption: "Pause (ms)", placeholder: "0", className: "cache-field-number", title: "Pause between SCAN pages, to spare a busy server (0 to 60,000)" },
];

/** The scan form, and while a scan runs its progress and Cancel. */
export function ScanToolbar({
  running,
  progress,
  cancelling,
  onCancel,
  onScan,
}: {
  /** The running scan's task id. */
  running: string | null;
  progress: ScanProgress | null;
  cancelling: string | null;
  onCancel: (taskId: string) => Promise<unknown>;
  onScan: (request: ScanRequest) => void;
}) {
  const [form, setForm] = useState<ScanForm>(DEFAULT_SCAN_FORM);
  const built = buildScanRequest(form);
  const invalid = "invalid" in built ? built.invalid : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if ("request" in built && running === null) onScan(built.request);
  }

  return (
    <div className="cache-toolbar">
      <form className="find-form cache-scan-form" onSubmit={submit} aria-label="Scan the key space">
        {FIELDS.map((f) => (
          <label key={f.name} className={`find-field ${f.className}`} title={f.title}>
            <span className="field-caption">{f.caption}</span>
            <input
              data-testid={`cache-scan-${f.name === "pauseMs" ? "pause" : f.name}`}
              className="mono"
              placeholder={f.placeholder}
              value={form[f.name]}
              spellCheck={false}
              autoComplete="off"
              inputMode={f.className === "cache-field-number" ? "numeric" : undefined}
              aria-invalid={invalid !== null && f.className === "cache-field-number" ? true : undefined}
              onChange={(e) => setForm({ ...form, [f.name]: e.target.value })}
            />
          </label>
        ))}
        <button
          type="submit"
          className="button primary"
          data-testid="cache-scan-button"
          disabled={running !== null || invalid !== null}
          title={invalid ?? undefined}
        >
          <Icon name="search" size={13} />
          Scan
        </button>
      </form>
      {invalid && (
        <p className="cache-invalid" data-testid="cache-scan-invalid" role="status">
          {invalid}
        </p>
      )}
      {running !== null && (
        <p className="export-status" data-testid="cache-scan-progress" role="status" aria-live="polite">
          <span className="detail-refreshing" aria-hidden="true" />
          <span>
            Scanned <span data-testid="cache-scan-progress-keys">{formatCount(progress?.keys ?? "0")}</span> keys
            {progress && progress.nodes > 0 && (
              <>
                {" "}
                · nodes done <span data-testid="cache-scan-progress-nodes">{`${progress.nodesDone}/${progress.nodes}`}</span>
                {progress.nodesDone < progress.nodes && <span className="muted mono"> ({progress.node})</span>}
              </>
            )}
          </span>
          <CancelTaskButton taskId={running} cancelling={cancelling} onCancel={onCancel} testId="cache-scan-cancel" />
        </p>
      )}
    </div>
  );
}
