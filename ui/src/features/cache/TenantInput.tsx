/** The tenant (slug or id) a cache panel works on. */
export function TenantInput({
  testId,
  value,
  onChange,
}: {
  testId: string;
  value: string;
  onChange: (tenant: string) => void;
}) {
  return (
    <label className="find-field cache-field-tenant">
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
