import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useBackend, type KeyName } from "../../backend";
import { CopyButton } from "../../components/CopyButton";
import { Icon } from "../../components/Icon";
import { formatBytes } from "../../lib/format";
import { CacheError } from "./CacheError";
import { DeleteKey } from "./DeleteKey";
import { formatLength, formatTtl, isBinary, plural } from "./format";
import { keyValueQuery } from "./queries";
import { ValueBody } from "./ValueBody";
import { mergeValuePages, shownCount } from "./value";
import { LoadMoreButton } from "../../components/LoadMoreButton";

/**
 * A key's type, TTL, length and memory, and its value by type; long values a
 * page at a time ("Load more"). Reload reads it again (TTLs run down, values
 * change). "Delete key" while writes are unlocked.
 */
export function ValueViewer({ connection, keyName, pageSize }: { connection: string; keyName: KeyName; pageSize: number }) {
  const backend = useBackend();
  const pages = useInfiniteQuery(keyValueQuery(backend, connection, keyName, pageSize));
  const first = pages.data?.pages[0] ?? null;
  const merged = useMemo(() => (pages.data ? mergeValuePages(pages.data.pages) : null), [pages.data]);
  const shown = merged ? shownCount(merged) : null;
  const length = first ? formatLength(first.kind, first.length) : null;

  return (
    <section className="cache-pane cache-value" data-testid="cache-value" data-kind={first?.kind} aria-label="Value">
      <header className="cache-pane-head cache-value-head">
        <span className="mono cache-value-key" data-testid="cache-value-key" title={keyName.hex ? `bytes: ${keyName.hex}` : undefined}>
          {keyName.text}
        </span>
        <CopyButton value={keyName.text} label="Copy the key" testId="cache-value-copy" />
        {isBinary(keyName) && (
          <span className="tag tag-warn" data-testid="cache-value-binary" title="Not UTF-8: other bytes are shown as \xNN">
            binary
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="icon-button"
          data-testid="cache-value-reload"
          aria-label="Read the key again"
          title="Read the key again"
          disabled={pages.isFetching}
          onClick={() => void pages.refetch()}
        >
          <Icon name="refresh" size={13} className={pages.isFetching ? "spin" : undefined} />
        </button>
      </header>
      {first && (
        <dl className="cache-value-facts">
          <dt>type</dt>
          <dd>
            <span className={`tag cache-kind cache-kind-${first.kind}`} data-testid="cache-value-kind">
              {first.kind === "none" ? "gone" : first.kind}
            </span>
          </dd>
          <dt>TTL</dt>
          <dd className="mono" data-testid="cache-value-ttl" data-ttl-ms={first.ttlMs ?? ""}>
            {first.kind === "none" ? "—" : formatTtl(first.ttlMs)}
          </dd>
          {length !== null && (
            <>
              <dt>length</dt>
              <dd data-testid="cache-value-length">{length}</dd>
            </>
          )}
          {first.memoryBytes !== null && (
            <>
              <dt>memory</dt>
              <dd data-testid="cache-value-memory" data-bytes={first.memoryBytes} title="MEMORY USAGE: the key, its value and their overhead">
                {formatBytes(first.memoryBytes)}
              </dd>
            </>
          )}
        </dl>
      )}
      {first && <DeleteKey connection={connection} keyName={keyName} exists={first.kind !== "none"} />}
      <div className="cache-value-body">
        {pages.isPending && <p className="muted">Reading the key…</p>}
        {pages.isError && <CacheError error={pages.error} testId="cache-value-error" onRetry={() => void pages.refetch()} />}
        {merged && first && <ValueBody value={merged} length={first.length} />}
      </div>
      {shown !== null && (
        <footer className="cache-pane-foot">
          <span className="muted" data-testid="cache-value-shown">
            {plural(shown, "element")} shown
          </span>
          <LoadMoreButton pages={pages} testId="cache-value-more" />
        </footer>
      )}
    </section>
  );
}
