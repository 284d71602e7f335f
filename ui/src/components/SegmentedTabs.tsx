/** A row of tabs of which one is current (a screen's modes, a console's languages). */
export function SegmentedTabs<T extends string>({
  label,
  options,
  current,
  onSelect,
  testIdPrefix,
  className,
}: {
  label: string;
  options: readonly { id: T; label: string }[];
  current: T;
  onSelect: (id: T) => void;
  /** Each tab's test id is this prefix and its id. */
  testIdPrefix: string;
  className?: string;
}) {
  return (
    <div className={className ? `segmented ${className}` : "segmented"} role="tablist" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.id}
          type="button"
          role="tab"
          aria-selected={o.id === current}
          className={`segment${o.id === current ? " current" : ""}`}
          data-testid={`${testIdPrefix}${o.id}`}
          onClick={() => onSelect(o.id)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
