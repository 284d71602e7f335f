import { useQuery } from "@tanstack/react-query";
import { STORE_KINDS, useBackend, type StoreHealth, type StoreKind } from "../../backend";
import { Icon } from "../../components/Icon";
import { StateDot } from "../../components/StateDot";
import { describeError } from "../../lib/errors";
import { formatLatency, formatTime } from "../../lib/format";
import { STORE_LABELS, STORE_STATE_LABELS } from "../../lib/stores";
import { healthQuery } from "./queries";

function chipTitle(store: StoreKind, h: StoreHealth | undefined): string {
  const label = STORE_LABELS[store];
  if (!h) return `${label}: not checked yet`;
  const lines = [`${label}: ${STORE_STATE_LABELS[h.state]}`];
  if (h.error) lines.push(describeError(h.error).text);
  if (h.endpoint) lines.push(h.endpoint);
  if (h.version) lines.push(h.version);
  if (h.readOnly) lines.push("read-only session");
  return lines.join("\n");
}

function StoreChip({ store, health }: { store: StoreKind; health: StoreHealth | undefined }) {
  const state = health?.state ?? "unknown";
  const latency = health && health.state === "up" ? formatLatency(health.latencyMs) : null;
  return (
    <li
      className={`store-chip chip-${state}`}
      data-testid={`store-health-${store}`}
      data-state={state}
      title={chipTitle(store, health)}
    >
      <StateDot state={state} />
      <span className="chip-label">{STORE_LABELS[store]}</span>
      {state === "down" && <span className="chip-state">down</span>}
      {state === "not_configured" && <span className="chip-state">not configured</span>}
      {latency && <span className="chip-value mono">{latency}</span>}
      {health?.version && state === "up" && (
        <span className="chip-value chip-version mono">{health.version}</span>
      )}
      {health?.readOnly && state !== "not_configured" && (
        <span className="chip-ro">
          <Icon name="lock" size={11} />
          <span className="visually-hidden">read-only</span>
        </span>
      )}
    </li>
  );
}

export function StatusBar({ connection }: { connection: string | null }) {
  const backend = useBackend();
  const health = useQuery({ ...healthQuery(backend, connection ?? ""), enabled: connection !== null });
  // After a failed check, stale "up" chips would mislead: show them as unknown.
  const report = health.isError ? undefined : health.data;
  const byStore = new Map(report?.stores.map((s) => [s.store, s]));

  return (
    <footer className="status-bar" data-testid="status-bar">
      {connection === null ? (
        <span className="status-note">No connection selected</span>
      ) : (
        <ul className="store-chips" aria-label={`Store health for ${connection}`}>
          {STORE_KINDS.map((store) => (
            <StoreChip key={store} store={store} health={byStore.get(store)} />
          ))}
        </ul>
      )}
      <div className="status-right">
        {health.isError && (
          <span className="status-error" role="alert" data-testid="health-error" title={describeError(health.error).text}>
            <Icon name="alert" size={12} />
            {describeError(health.error).title}
          </span>
        )}
        {health.data && (
          <span className="status-note mono" title={health.data.checkedAt}>
            checked {formatTime(health.data.checkedAt)}
          </span>
        )}
        <button
          type="button"
          className="icon-button"
          data-testid="health-refresh"
          aria-label="Refresh store health"
          title="Refresh store health (auto every 10 s)"
          disabled={connection === null}
          onClick={() => void health.refetch()}
        >
          <Icon name="refresh" size={14} className={health.isFetching ? "spin" : undefined} />
        </button>
      </div>
    </footer>
  );
}
