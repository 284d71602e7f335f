/** The tenant (slug or id) a screen works on, typed in. */
export function TenantInput({
  testId,
  value,
  onChange,
  className = "find-field",
}: {
  testId: string;
  value: string;
  onChange: (tenant: string) => void;
  className?: string;
}) {
  return (
    <label className={className}>
      <span className="field-caption">Tenant</span>
      <input
        data-testid={testId}
        className="mono"
        placeholder="slug or id"
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
