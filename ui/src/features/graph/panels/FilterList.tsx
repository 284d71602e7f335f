/** Checkboxes over names (labels or relationship types); none checked means no filter. */
export function FilterList({
  title,
  names,
  checked,
  testId,
  onChange,
}: {
  title: string;
  names: readonly string[];
  checked: readonly string[];
  testId: string;
  onChange: (checked: string[]) => void;
}) {
  const toggle = (name: string) => onChange(checked.includes(name) ? checked.filter((c) => c !== name) : [...checked, name]);
  // A name checked earlier stays listed even if no answer shows it any more.
  const all = [...new Set([...names, ...checked])];
  return (
    <details className="graph-filter" data-testid={testId}>
      <summary>
        {title}: {checked.length === 0 ? "all" : checked.join(", ")}
      </summary>
      {all.length === 0 ? (
        <p className="muted graph-small">None seen yet: expand a node first.</p>
      ) : (
        <ul>
          {all.map((name) => (
            <li key={name}>
              <label className="check">
                <input type="checkbox" data-testid={`${testId}-item`} data-value={name} checked={checked.includes(name)} onChange={() => toggle(name)} />
                <span className="mono">{name}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
