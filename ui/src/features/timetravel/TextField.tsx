/** One labelled monospace text input of a search form (no spellcheck, no autocomplete). */
export function TextField({
  className,
  caption,
  testId,
  placeholder,
  value,
  disabled,
  autoFocus,
  onChange,
}: {
  /** The label's extra class, after `find-field`. */
  className: string;
  caption: string;
  testId: string;
  placeholder: string;
  value: string;
  disabled: boolean;
  autoFocus?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <label className={`find-field ${className}`}>
      <span className="field-caption">{caption}</span>
      <input
        data-testid={testId}
        className="mono"
        placeholder={placeholder}
        value={value}
        spellCheck={false}
        autoComplete="off"
        autoFocus={autoFocus}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
