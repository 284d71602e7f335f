import type { LegendEntry } from "../model/styling";
import { EDGE_COLOR, PATH_COLOR, WARNING_COLOR } from "../model/styling";

/** What the colours mean: one per label, then the warning and path styles. */
export function Legend({ labels, foreign, paths }: { labels: LegendEntry[]; foreign: number; paths: boolean }) {
  if (labels.length === 0 && foreign === 0) return null;
  return (
    <ul className="graph-legend" data-testid="graph-legend" aria-label="Legend">
      {labels.map((l) => (
        <li key={l.label} data-testid="graph-legend-item" data-label={l.label}>
          <span className="graph-swatch" style={{ background: l.color }} />
          {l.label} <span className="muted">{l.count.toLocaleString("en-US")}</span>
        </li>
      ))}
      {foreign > 0 && (
        <li data-testid="graph-legend-item" data-label="(another tenant)">
          <span className="graph-swatch" style={{ background: WARNING_COLOR }} />
          another tenant <span className="muted">{foreign.toLocaleString("en-US")}</span>
        </li>
      )}
      <li>
        <span className="graph-swatch graph-swatch-line" style={{ background: EDGE_COLOR }} />
        relationship
      </li>
      <li>
        <span className="graph-swatch graph-swatch-line thick" style={{ background: WARNING_COLOR }} />
        across tenants
      </li>
      {paths && (
        <li>
          <span className="graph-swatch graph-swatch-line thick" style={{ background: PATH_COLOR }} />
          path
        </li>
      )}
    </ul>
  );
}
