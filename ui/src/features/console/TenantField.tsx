import { useQuery } from "@tanstack/react-query";
import { toBackendError, useBackend, type Tenant } from "../../backend";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { consoleTenantQuery } from "./queries";

const LOOKUP_DEBOUNCE_MS = 300;

/** The tenant (id or slug) a statement runs for, with what it resolves to. */
export function useConsoleTenant(connection: string | null, input: string) {
  const backend = useBackend();
  const wanted = useDebouncedValue(input.trim(), LOOKUP_DEBOUNCE_MS);
  const lookup = useQuery({
    ...consoleTenantQuery(backend, connection ?? "", wanted),
    enabled: connection !== null && wanted !== "",
  });
  return { wanted, lookup };
}

export function TenantField({
  value,
  onChange,
  resolved,
  error,
  disabled,
}: {
  value: string;
  onChange: (value: string) => void;
  /** The tenant the value names, once looked up. */
  resolved: Tenant | null;
  /** Why the lookup failed (`not_found`: no such tenant). */
  error: unknown;
  disabled: boolean;
}) {
  const failure = error ? toBackendError(error) : null;
  let note = "main database, no tenant";
  if (value.trim() !== "") {
    if (resolved) note = `${resolved.slug} · ${resolved.tier} tier`;
    else if (failure) note = failure.code === "not_found" ? "no such tenant" : failure.message;
    else note = "looking up…";
  }
  return (
    <label className="console-tenant">
      <span className="field-caption">Tenant</span>
      <input
        data-testid="console-tenant"
        className="mono"
        placeholder="id or slug (optional)"
        value={value}
        spellCheck={false}
        autoComplete="off"
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
      <span
        className={`console-tenant-status${failure ? " failed" : ""}`}
        data-testid="console-tenant-status"
        data-state={value.trim() === "" ? "none" : resolved ? "resolved" : failure ? "error" : "pending"}
        title={resolved?.id}
      >
        {note}
      </span>
    </label>
  );
}
