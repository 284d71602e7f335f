import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Icon } from "../../components/Icon";
import { ScreenHeader } from "../../components/Screen";
import { AggregateView } from "./AggregateView";
import { buildAggregateRequest, MAX_STEPS, timeTravelKeys, type AggregateRequest } from "./queries";

/** An aggregate to open the screen on (from another screen, through the app). */
export interface TimeTravelTarget {
  aggregateId: string;
  /** Tenant id or slug; null when the id alone tells. */
  tenant: string | null;
}

/** An aggregate's event log folded step by step: its state at any point, and against the stores. */
export function TimeTravelScreen({
  connection,
  initial = null,
  pageSize = MAX_STEPS,
}: {
  connection: string | null;
  /** Loaded at once, e.g. from a Find hit. */
  initial?: TimeTravelTarget | null;
  /** Steps per page (the backend returns at most 5,000 per call). */
  pageSize?: number;
}) {
  const queryClient = useQueryClient();
  const [idInput, setIdInput] = useState(initial?.aggregateId ?? "");
  const [tenantInput, setTenantInput] = useState(initial?.tenant ?? "");
  const [request, setRequest] = useState<AggregateRequest | null>(() =>
    initial && initial.aggregateId.trim() !== "" ? buildAggregateRequest(initial.aggregateId, initial.tenant ?? "") : null,
  );
  // Each Load starts over: first page, last step, no filter, fresh data.
  const [loads, setLoads] = useState(0);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = buildAggregateRequest(idInput, tenantInput);
    if (next.aggregateId === "" || connection === null) return;
    void queryClient.invalidateQueries({ queryKey: timeTravelKeys.of(connection, next), refetchType: "none" });
    setRequest(next);
    setLoads((n) => n + 1);
  }

  return (
    <section className="screen tt-screen" data-testid="screen-timetravel" aria-labelledby="timetravel-title">
      <ScreenHeader
        id="timetravel-title"
        title="Time travel"
        description="Fold an aggregate's event log step by step: its state after any event, what each event changed, and whether the stores hold the current state."
      />
      <form className="find-form" onSubmit={submit} aria-label="Load an aggregate">
        <label className="find-field find-needle">
          <span className="field-caption">Aggregate id</span>
          <input
            data-testid="tt-aggregate"
            className="mono"
            placeholder="the entity's id, e.g. 7c540f9d-d4c6-5812-…"
            value={idInput}
            spellCheck={false}
            autoComplete="off"
            autoFocus={initial === null}
            disabled={connection === null}
            onChange={(e) => setIdInput(e.target.value)}
          />
        </label>
        <label className="find-field find-tenant">
          <span className="field-caption">Tenant (optional)</span>
          <input
            data-testid="tt-tenant"
            className="mono"
            placeholder="id or slug"
            value={tenantInput}
            spellCheck={false}
            autoComplete="off"
            disabled={connection === null}
            onChange={(e) => setTenantInput(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button primary"
          data-testid="tt-load"
          disabled={connection === null || idInput.trim() === ""}
        >
          <Icon name="timetravel" size={14} />
          Load
        </button>
      </form>
      {connection === null && <p className="muted">Choose a connection first.</p>}
      {connection !== null && request !== null && (
        <AggregateView
          key={`${connection}/${loads}`}
          connection={connection}
          request={request}
          pageSize={Math.min(Math.max(1, pageSize), MAX_STEPS)}
        />
      )}
    </section>
  );
}
