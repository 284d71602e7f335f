import { useQuery } from "@tanstack/react-query";
import { useBackend } from "../../backend";
import { Icon } from "../../components/Icon";
import { describeError } from "../../lib/errors";
import { connectionsQuery } from "./queries";

/** The header's connection switcher. Which one is active is the caller's state. */
export function ConnectionPicker({
  value,
  onChange,
  onManage,
}: {
  value: string | null;
  onChange: (name: string) => void;
  onManage: () => void;
}) {
  const backend = useBackend();
  const list = useQuery(connectionsQuery(backend));
  const connections = list.data ?? [];
  const active = connections.find((c) => c.name === value);

  return (
    <div className="connection-picker">
      <label htmlFor="connection-picker" className="picker-label">
        Connection
      </label>
      <select
        id="connection-picker"
        data-testid="connection-picker"
        value={active ? active.name : ""}
        disabled={connections.length === 0}
        onChange={(e) => onChange(e.target.value)}
      >
        {connections.length === 0 && (
          <option value="">{list.isPending ? "Loading…" : "No connections"}</option>
        )}
        {connections.length > 0 && !active && (
          <option value="" disabled>
            Choose…
          </option>
        )}
        {connections.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
      {active &&
        (active.readOnly ? (
          <span className="mode-badge mode-ro" data-testid="active-mode" title="This connection refuses writes">
            <Icon name="lock" size={12} />
            read-only
          </span>
        ) : (
          <span className="mode-badge mode-rw" data-testid="active-mode" title="Writes are allowed on this connection">
            <Icon name="unlock" size={12} />
            writes enabled
          </span>
        ))}
      {active && <span className="picker-profile mono" title="Platform profile">{active.profile}</span>}
      {list.isError && (
        <span className="status-error" role="alert" data-testid="connections-error" title={describeError(list.error).text}>
          <Icon name="alert" size={12} />
          {describeError(list.error).title}
        </span>
      )}
      {list.isSuccess && connections.length === 0 && (
        <button type="button" className="link-button" onClick={onManage}>
          Add a connection
        </button>
      )}
    </div>
  );
}
