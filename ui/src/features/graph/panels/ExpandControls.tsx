import type { Direction } from "../../../backend";
import { MAX_HOPS, MAX_LIMIT, type ExpandForm } from "../model/requests";
import { FilterList } from "./FilterList";

const DIRECTIONS: { id: Direction; label: string }[] = [
  { id: "both", label: "both" },
  { id: "outgoing", label: "outgoing →" },
  { id: "incoming", label: "← incoming" },
];

/** How an expansion reads: hops, direction, cap per hop, neighbour labels and relationship types. */
export function ExpandControls({
  form,
  labels,
  types,
  frontier,
  busy,
  onChange,
  onExpandFrontier,
}: {
  form: ExpandForm;
  labels: readonly string[];
  types: readonly string[];
  /** Nodes the last answer added that can be expanded. */
  frontier: number;
  busy: boolean;
  onChange: (form: ExpandForm) => void;
  onExpandFrontier: () => void;
}) {
  return (
    <section className="graph-panel" aria-labelledby="graph-expand-title">
      <h2 id="graph-expand-title" className="graph-panel-title">
        Expansion
      </h2>
      <div className="graph-inline-form">
        <label className="find-field graph-hops">
          <span className="field-caption">Hops</span>
          <select data-testid="graph-expand-hops" value={form.hops} onChange={(e) => onChange({ ...form, hops: Number(e.target.value) })}>
            {Array.from({ length: MAX_HOPS }, (_, i) => i + 1).map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label className="find-field graph-direction">
          <span className="field-caption">Direction</span>
          <select
            data-testid="graph-expand-direction"
            value={form.direction}
            onChange={(e) => onChange({ ...form, direction: e.target.value as Direction })}
          >
            {DIRECTIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label className="find-field graph-limit">
          <span className="field-caption" title={`Relationships read per hop, at most ${MAX_LIMIT.toLocaleString("en-US")}`}>
            Cap per hop
          </span>
          <input
            data-testid="graph-expand-limit"
            className="mono"
            inputMode="numeric"
            value={form.limit}
            onChange={(e) => onChange({ ...form, limit: e.target.value })}
          />
        </label>
      </div>
      <FilterList title="Neighbour labels" names={labels} checked={form.labels} testId="graph-filter-labels" onChange={(l) => onChange({ ...form, labels: l })} />
      <FilterList title="Relationship types" names={types} checked={form.types} testId="graph-filter-types" onChange={(t) => onChange({ ...form, types: t })} />
      <button
        type="button"
        className="button small"
        data-testid="graph-expand-new"
        disabled={busy || frontier === 0}
        title="Expand every node the last answer added (at most 100)"
        onClick={onExpandFrontier}
      >
        Expand the {frontier} new {frontier === 1 ? "node" : "nodes"}
      </button>
    </section>
  );
}
