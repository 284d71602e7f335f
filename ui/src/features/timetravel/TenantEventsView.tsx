import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useBackend } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { plural } from "./format";
import { tenantEventsQuery, type TimelineRequest } from "./queries";
import { TenantEventDetail } from "./TenantEventDetail";
import { eventKey, TenantEventList, type ChainActions } from "./TenantEventList";
import { LoadMoreButton } from "../../components/LoadMoreButton";

/** One search of a tenant's timeline: its pages, Load more, and the selected event's payload. */
export function TenantEventsView({
  connection,
  request,
  pageSize,
  actions,
}: {
  connection: string;
  request: TimelineRequest;
  pageSize: number;
  actions: ChainActions;
}) {
  const backend = useBackend();
  const query = useInfiniteQuery(tenantEventsQuery(backend, connection, request, pageSize));
  const [selected, setSelected] = useState<string | null>(null);

  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const chosen = selected === null ? null : (events.find((e, i) => eventKey(e, i) === selected) ?? null);

  if (query.isPending) {
    return (
      <p className="muted" data-testid="tt-tenant-loading">
        Reading the event log…
      </p>
    );
  }
  return (
    <div className="tt-tenant-results">
      {query.isError && <ErrorMessage error={query.error} testId="tt-tenant-error" />}
      {query.data && (
        <>
          <div className="tt-window-bar">
            <span className="muted" data-testid="tt-tenant-count">
              {plural(events.length, "event")}
              {query.hasNextPage ? " loaded, more to come" : ""}
            </span>
            <LoadMoreButton pages={query} testId="tt-tenant-more" />
          </div>
          <div className="tt-tenant-split">
            <TenantEventList
              events={events}
              selected={chosen ? selected : null}
              onSelect={setSelected}
              actions={actions}
              busy={query.isFetching}
            />
            {chosen && <TenantEventDetail item={chosen} />}
          </div>
        </>
      )}
    </div>
  );
}
