import type { UseQueryResult } from "@tanstack/react-query";
import type { Comparison, StoreComparison } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { STORE_LABELS } from "../../lib/stores";
import { ChangeList } from "./ChangeList";
import { isFlagged, plural, verdictLabel, VERDICT_HINTS } from "./format";

function StoreRow({ store }: { store: StoreComparison }) {
  const flagged = isFlagged(store);
  return (
    <li
      className={`tt-store tt-store-${store.verdict}${flagged ? " flagged" : ""}`}
      data-testid={`tt-store-${store.store}`}
      data-verdict={store.verdict}
      data-flagged={flagged}
    >
      <div className="tt-store-line">
        <strong className="tt-store-name">{STORE_LABELS[store.store]}</strong>
        <span className={`tt-verdict tt-verdict-${store.verdict}`} data-testid="tt-verdict" title={VERDICT_HINTS[store.verdict]}>
          {verdictLabel(store)}
        </span>
        <span className="mono muted truncate tt-store-location" title={store.location}>
          {store.location}
        </span>
      </div>
      {store.differences.length > 0 && (
        <ChangeList
          changes={store.differences}
          testId={`tt-store-diff-${store.store}`}
          label={`From the fold to ${STORE_LABELS[store.store]}`}
          empty=""
        />
      )}
    </li>
  );
}

/** The current fold against what each store holds of the aggregate. */
export function ComparePanel({ query }: { query: UseQueryResult<Comparison> }) {
  const c = query.data;
  return (
    <section className="tt-panel tt-compare" data-testid="tt-compare" aria-labelledby="tt-compare-title" aria-busy={query.isFetching || undefined}>
      <h2 id="tt-compare-title">
        Compare with the stores
        {c && (
          <span className="muted tt-panel-note">
            the fold: version {c.version} after {plural(c.totalEvents, "event")}
            {c.state === null ? ", no state" : ""}
          </span>
        )}
      </h2>
      {query.isPending && <p className="muted">Reading the stores…</p>}
      {query.isError && <ErrorMessage error={query.error} testId="tt-compare-error" />}
      {c && (
        <>
          <p className="muted tt-compare-legend">Differences read from the fold (old) to the store (new).</p>
          <ul className="tt-stores">
            {c.stores.map((s) => (
              <StoreRow key={s.store} store={s} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
