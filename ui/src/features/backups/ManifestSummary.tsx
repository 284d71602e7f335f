import type { BackupSummary } from "../../backend";
import { formatCount } from "../../lib/format";
import { formatMeasure } from "./format";

/** What a finished run wrote: where, up to which event, and each store's part as the manifest counts it. */
export function ManifestSummary({ summary }: { summary: BackupSummary }) {
  const { manifest } = summary;
  return (
    <section className="backup-summary" data-testid="backup-summary" aria-label="Backup written">
      <dl className="backup-facts">
        <dt>Backup</dt>
        <dd className="mono" data-testid="backup-summary-id">
          {manifest.id}
        </dd>
        <dt>Folder</dt>
        <dd className="mono" data-testid="backup-summary-path">
          {summary.path}
        </dd>
        <dt>Event position</dt>
        <dd className="mono" data-testid="backup-summary-position">
          {/* Null when the tenant has no events: every part then reflects an empty log. */}
          {manifest.eventPosition === null ? "no events" : formatCount(manifest.eventPosition)}
        </dd>
      </dl>
      <table className="mini-table backup-parts">
        <thead>
          <tr>
            <th>Store</th>
            <th>Method</th>
            <th>Files</th>
            <th>Took</th>
            <th>Measures</th>
          </tr>
        </thead>
        <tbody>
          {manifest.parts.map((part) => (
            <tr key={part.store} data-testid="backup-summary-part" data-store={part.store}>
              <td>{part.store}</td>
              <td className="mono">{part.method}</td>
              <td>{part.artifacts.length}</td>
              <td>{(part.elapsedMs / 1000).toFixed(1)} s</td>
              <td>{part.measures.map(formatMeasure).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
