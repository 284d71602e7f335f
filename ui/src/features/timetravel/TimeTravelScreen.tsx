import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Icon } from "../../components/Icon";
import { ScreenHeader } from "../../components/Screen";
import { AggregateView } from "./AggregateView";
import { buildAggregateRequest, MAX_STEPS, TIMELINE_PAGE, timeTravelKeys, type AggregateRequest } from "./queries";
import { TenantTimeline } from "./TenantTimeline";
import { TextField } from "./TextField";
import { SegmentedTabs } from "../../components/SegmentedTabs";

type Mode = "aggregate" | "tenant";

const MODES: { id: Mode; label: string }[] = [
  { id: "aggregate", label: "Aggregate" },
  { id: "tenant", label: "Tenant timeline" },
];

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
  timelinePageSize = TIMELINE_PAGE,
}: {
  connection: string | null;
  /** Loaded at once, e.g. from a Find hit. */
  initial?: TimeTravelTarget | null;
  /** Steps per page (the backend returns at most 5,000 per call). */
  pageSize?: number;
  /** Events per page of the tenant timeline (the backend returns at most 1,000 per call). */
  timelinePageSize?: number;
}) {
  const queryClient = useQueryClient();
  const [idInput, setIdInput] = useState(initial?.aggregateId ?? "");
  const [tenantInput, setTenantInput] = useState(initial?.tenant ?? "");
  const [request, setRequest] = useState<AggregateRequest | null>(() =>
    initial && initial.aggregateId.trim() !== "" ? buildAggregateRequest(initial.aggregateId, initial.tenant ?? "") : null,
  );
  // Each Load starts over: first page, last step, no filter, fresh data.
  const [loads, setLoads] = useState(0);
  const [mode, setMode] = useState<Mode>("aggregate");
  // The tenant mode is built when first opened, then kept (its search survives a visit to an aggregate).
  const [tenantOpened, setTenantOpened] = useState(false);

  function load(next: AggregateRequest) {
    if (next.aggregateId === "" || connection === null) return;
    void queryClient.invalidateQueries({ queryKey: timeTravelKeys.of(connection, next), refetchType: "none" });
    setRequest(next);
    setLoads((n) => n + 1);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    load(buildAggregateRequest(idInput, tenantInput));
  }

  /** From the tenant timeline: the aggregate and its tenant, loaded in the aggregate mode. */
  function openAggregate(aggregateId: string, tenant: string) {
    setIdInput(aggregateId);
    setTenantInput(tenant);
    setMode("aggregate");
    load(buildAggregateRequest(aggregateId, tenant));
  }

  return (
    <section className="screen tt-screen" data-testid="screen-timetravel" aria-labelledby="timetravel-title">
      <ScreenHeader
        id="timetravel-title"
        title="Time travel"
        description="Fold an aggregate's event log step by step: its state after any event, what each event changed, and whether the stores hold the current state. Or follow a tenant's events across aggregates, and rebuild the whole tenant at a time."
      />
      <SegmentedTabs
        label="Mode"
        options={MODES}
        current={mode}
        testIdPrefix="tt-mode-"
        className="tt-modes"
        onSelect={(id) => {
          setMode(id);
          if (id === "tenant") setTenantOpened(true);
        }}
      />
      {tenantOpened && (
        <div hidden={mode !== "tenant"} data-testid="tt-tenant-panel">
          <TenantTimeline
            connection={connection}
            initialTenant={initial?.tenant ?? ""}
            onOpenAggregate={openAggregate}
            pageSize={timelinePageSize}
          />
        </div>
      )}
      <div hidden={mode !== "aggregate"} data-testid="tt-aggregate-panel">
        <form className="find-form" onSubmit={submit} aria-label="Load an aggregate">
          <TextField
            className="find-needle"
            caption="Aggregate id"
            testId="tt-aggregate"
            placeholder="the entity's id, e.g. 7c540f9d-d4c6-5812-…"
            value={idInput}
            autoFocus={initial === null}
            disabled={connection === null}
            onChange={setIdInput}
          />
          <TextField
            className="find-tenant"
            caption="Tenant (optional)"
            testId="tt-tenant"
            placeholder="id or slug"
            value={tenantInput}
            disabled={connection === null}
            onChange={setTenantInput}
          />
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
      </div>
    </section>
  );
}
