import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useBackend } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { ScreenHeader } from "../../components/Screen";
import { EntityHitCard } from "./EntityHitCard";
import { LookupSummary } from "./LookupSummary";
import { buildFindRequest, findQuery, type FindRequest } from "./queries";

/** Cross-store lookup: paste an entity id, a cache key or an object key. */
export function FindScreen({
  connection,
  initial = null,
  onOpenTenant,
  onOpenTimeTravel,
}: {
  connection: string | null;
  /** A lookup to start with (another screen asked for it). */
  initial?: { needle: string; tenant: string | null } | null;
  /** Opens a tenant (by id) in the Tenants screen. */
  onOpenTenant?: (tenant: string) => void;
  /** Opens an entity's event history (by id, in its tenant) in the Time travel screen. */
  onOpenTimeTravel?: (aggregateId: string, tenant: string | null) => void;
}) {
  const backend = useBackend();
  const [needle, setNeedle] = useState(initial?.needle ?? "");
  const [tenant, setTenant] = useState(initial?.tenant ?? "");
  const [submitted, setSubmitted] = useState<FindRequest | null>(() =>
    initial ? buildFindRequest(initial.needle, initial.tenant ?? "") : null,
  );
  const lookup = useQuery({
    ...findQuery(backend, connection ?? "", submitted ?? { needle: "", tenant: null }),
    enabled: connection !== null && submitted !== null,
  });
  const result = lookup.data;
  const nothing = result && result.hits.length === 0 && !result.cacheKey?.present && !result.object?.present;

  function submit(event: FormEvent) {
    event.preventDefault();
    const request = buildFindRequest(needle, tenant);
    if (request.needle === "" || connection === null) return;
    if (submitted && submitted.needle === request.needle && submitted.tenant === request.tenant) void lookup.refetch();
    else setSubmitted(request);
  }

  return (
    <section className="screen find-screen" data-testid="screen-find" aria-labelledby="find-title">
      <ScreenHeader
        id="find-title"
        title="Find"
        description="Paste an entity id, a cache key or an object key: every store and tenant that refers to it, side by side."
      />
      <form className="find-form" onSubmit={submit} role="search" aria-label="Find an id or key">
        <label className="find-field find-needle">
          <span className="field-caption">Id or key</span>
          <input
            data-testid="find-input"
            className="mono"
            placeholder="8c1f…-…, tenant:<id>:atom:<id>, tenant-acme/documents/…"
            value={needle}
            spellCheck={false}
            autoComplete="off"
            autoFocus
            disabled={connection === null}
            onChange={(e) => setNeedle(e.target.value)}
          />
        </label>
        <label className="find-field find-tenant">
          <span className="field-caption">Tenant (optional)</span>
          <input
            data-testid="find-tenant"
            className="mono"
            placeholder="id or slug"
            value={tenant}
            spellCheck={false}
            autoComplete="off"
            disabled={connection === null}
            onChange={(e) => setTenant(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button primary"
          data-testid="find-submit"
          disabled={connection === null || needle.trim() === "" || lookup.isFetching}
        >
          <Icon name="search" size={14} className={lookup.isFetching ? "spin" : undefined} />
          Find
        </button>
      </form>

      {connection === null && <p className="muted">Choose a connection first.</p>}
      {lookup.isFetching && !result && (
        <p className="muted" data-testid="find-loading">
          Looking in every store…
        </p>
      )}
      {lookup.isError && <ErrorMessage error={lookup.error} testId="find-error" />}
      {result && (
        <div
          className={`find-result${lookup.isFetching ? " busy" : ""}`}
          data-testid="find-result"
          aria-busy={lookup.isFetching || undefined}
        >
          <LookupSummary result={result} onOpenTenant={onOpenTenant} />
          {nothing && (
            <p className="find-empty" data-testid="find-empty">
              Nothing in {result.errors.length ? "the stores that answered" : "any store"} refers to <code>{result.needle}</code>
              {submitted?.tenant ? (
                <>
                  {" "}
                  in tenant <code>{submitted.tenant}</code>
                </>
              ) : null}
              .
            </p>
          )}
          {result.hits.length > 0 && (
            <>
              <h2 className="find-hits-title">
                {result.hits.length} {result.hits.length === 1 ? "hit" : "hits"}
                {new Set(result.hits.map((h) => h.tenant?.id ?? "")).size > 1 && (
                  <span
                    className="tag tag-warn"
                    data-testid="find-many-tenants"
                    title="The same id is held by more than one tenant"
                  >
                    in several tenants
                  </span>
                )}
              </h2>
              <div className="hit-cards">
                {result.hits.map((hit) => (
                  <EntityHitCard
                    key={`${hit.tenant?.id ?? "?"}/${hit.entityType}/${hit.id}`}
                    hit={hit}
                    onOpenTenant={onOpenTenant}
                    onOpenTimeTravel={onOpenTimeTravel}
                  />
                ))}
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
