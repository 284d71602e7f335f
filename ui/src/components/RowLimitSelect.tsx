/** Rows a console keeps (the backend's cap is 10,000). */
export const ROW_LIMITS = [100, 500, 1_000, 5_000, 10_000];

/** The "Rows" choice of a query console. */
export function RowLimitSelect({
  value,
  onChange,
  testId,
  className,
}: {
  value: number;
  onChange: (rows: number) => void;
  testId: string;
  className?: string;
}) {
  return (
    <label className={className}>
      <span className="field-caption">Rows</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {ROW_LIMITS.map((n) => (
          <option key={n} value={n}>
            {n.toLocaleString("en-US")}
          </option>
        ))}
      </select>
    </label>
  );
}
