import { Fragment } from "react";
import { Icon } from "../../../components/Icon";
import type { PathStep } from "../model/pathSteps";
import { MAX_PATH_HOPS, type PathForm } from "../model/requests";

/** Shortest path between two nodes of the tenant (ids typed, or picked in the inspector). */
export function PathPanel({
  form,
  steps,
  paths,
  busy,
  onChange,
  onRun,
  onUnhighlight,
  onSelectNode,
}: {
  form: PathForm;
  /** The first highlighted path, step by step. */
  steps: PathStep[];
  /** Paths highlighted. */
  paths: number;
  busy: boolean;
  onChange: (form: PathForm) => void;
  onRun: () => void;
  onUnhighlight: () => void;
  onSelectNode: (key: string) => void;
}) {
  return (
    <section className="graph-panel" aria-labelledby="graph-path-title">
      <h2 id="graph-path-title" className="graph-panel-title">
        Shortest path
      </h2>
      <label className="find-field">
        <span className="field-caption">From (id)</span>
        <input data-testid="graph-path-from" className="mono" value={form.from} spellCheck={false} onChange={(e) => onChange({ ...form, from: e.target.value })} />
      </label>
      <label className="find-field">
        <span className="field-caption">To (id)</span>
        <input data-testid="graph-path-to" className="mono" value={form.to} spellCheck={false} onChange={(e) => onChange({ ...form, to: e.target.value })} />
      </label>
      <div className="graph-inline-form">
        <label className="find-field graph-limit">
          <span className="field-caption">Max hops</span>
          <input
            data-testid="graph-path-max-hops"
            className="mono"
            inputMode="numeric"
            title={`1 to ${MAX_PATH_HOPS}`}
            value={form.maxHops}
            onChange={(e) => onChange({ ...form, maxHops: e.target.value })}
          />
        </label>
        <label className="check graph-path-all">
          <input type="checkbox" data-testid="graph-path-all" checked={form.all} onChange={(e) => onChange({ ...form, all: e.target.checked })} />
          all shortest paths
        </label>
      </div>
      <div className="graph-inline-form">
        <button type="button" className="button primary small" data-testid="graph-path-run" disabled={busy} onClick={onRun}>
          <Icon name="search" size={13} className={busy ? "spin" : undefined} />
          Find path
        </button>
        {paths > 0 && (
          <button type="button" className="button small" data-testid="graph-path-clear" onClick={onUnhighlight}>
            Clear highlight
          </button>
        )}
      </div>
      {paths > 0 && (
        <div className="graph-path-result" data-testid="graph-path-result" data-paths={paths} data-hops={Math.max(0, steps.length - 1)}>
          <p className="graph-small">
            {paths === 1 ? "1 path" : `${paths} paths`} highlighted{paths > 1 ? "; the first:" : ":"}
          </p>
          <ol className="graph-path-steps">
            {steps.map((s, i) => (
              <Fragment key={`${s.nodeKey}/${i}`}>
                {s.edge && (
                  <li className={`graph-path-edge${s.edge.breach ? " breach" : ""}`} data-testid="graph-path-edge">
                    {s.edge.forward ? `─${s.edge.type}→` : `←${s.edge.type}─`}
                  </li>
                )}
                <li>
                  <button type="button" className="link-button" data-testid="graph-path-node" data-key={s.nodeKey} onClick={() => onSelectNode(s.nodeKey)}>
                    {s.caption}
                  </button>
                </li>
              </Fragment>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
