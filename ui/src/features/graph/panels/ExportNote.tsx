import { CopyButton } from "../../../components/CopyButton";
import { graphError } from "../errors";

export type ExportOutcome = { saved: string } | { failed: unknown };

/** Where an export was saved (the exports folder), or why it was not. */
export function ExportNote({ outcome }: { outcome: ExportOutcome }) {
  if ("saved" in outcome) {
    return (
      <p className="graph-small graph-export-note" data-testid="graph-export-saved" role="status">
        Saved to <code className="mono">{outcome.saved}</code> <CopyButton value={outcome.saved} label="Copy the path" />
      </p>
    );
  }
  const f = graphError(outcome.failed);
  return (
    <p className="error-message graph-small" data-testid="graph-export-failed" data-code={f.code} role="alert">
      Not saved ({f.code}): {f.detail}
    </p>
  );
}
