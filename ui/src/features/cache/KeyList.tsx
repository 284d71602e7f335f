import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useState, type CSSProperties } from "react";
import { useBackend, type KeyEntry, type KeyName, type Namespace } from "../../backend";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { useVirtualRows } from "../../lib/useVirtualRows";
import { CacheError } from "./CacheError";
import { formatTtl, isBinary, keyIdentity, keyInFolder, plural, sameKey } from "./format";
import { folderPattern } from "./pattern";
import { folderKeysQuery } from "./queries";
import { ROOT_LABEL } from "./tree";
import { LoadMoreButton } from "../../components/LoadMoreButton";

/** Row height in px (`.cache-key-row` matches). */
const KEY_ROW_HEIGHT = 26;
/** Lists longer than this render only the rows in view. */
export const KEYS_VIRTUALIZE_ABOVE = 100;
const FILTER_DEBOUNCE_MS = 250;

function KeyRow({
  entry,
  folder,
  selected,
  style,
  onSelect,
}: {
  entry: KeyEntry;
  folder: KeyName;
  selected: boolean;
  style: CSSProperties | undefined;
  onSelect: () => void;
}) {
  const binary = isBinary(entry.key);
  return (
    <div
      role="row"
      tabIndex={0}
      aria-selected={selected}
      className={`cache-key-row${selected ? " selected" : ""}`}
      data-testid="cache-key-row"
      data-key={entry.key.text}
      data-kind={entry.kind}
      data-ttl-ms={entry.ttlMs ?? ""}
      data-binary={binary || undefined}
      style={style}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onSelect();
        }
      }}
    >
      <span role="cell" className="cache-key-name" title={entry.key.text}>
        <span className="mono truncate">{keyInFolder(entry.key, folder)}</span>
        {binary && (
          <span className="tag tag-warn" data-testid="cache-key-binary" title="Not UTF-8: other bytes are shown as \xNN">
            binary
          </span>
        )}
      </span>
      <span role="cell">
        <span className={`tag cache-kind cache-kind-${entry.kind}`}>{entry.kind === "none" ? "gone" : entry.kind}</span>
      </span>
      <span role="cell" className={`mono cache-key-ttl${entry.ttlMs === null ? " muted" : ""}`} data-testid="cache-key-ttl">
        {entry.kind === "none" ? "—" : formatTtl(entry.ttlMs)}
      </span>
    </div>
  );
}

/**
 * The keys under a folder, a page at a time ("Load more"), each with its type
 * and TTL; long lists render only the rows in view. Keys are handed on as the
 * backend named them (a binary key's bytes travel in its `hex`).
 */
export function KeyList({
  connection,
  folder,
  scanPattern,
  selected,
  onSelect,
  pageSize,
}: {
  connection: string;
  folder: Namespace;
  /** The scan's MATCH pattern: the list shows the keys it counted. */
  scanPattern: string;
  selected: KeyName | null;
  onSelect: (key: KeyName) => void;
  pageSize: number;
}) {
  const backend = useBackend();
  const [filter, setFilter] = useState("");
  const typed = useDebouncedValue(filter, FILTER_DEBOUNCE_MS).trim();
  const narrowed = folderPattern(scanPattern, folder.prefix);
  const pattern = typed !== "" ? typed : narrowed.pattern;
  const pages = useInfiniteQuery(folderKeysQuery(backend, connection, folder.prefix, pattern, pageSize));
  const entries = useMemo(() => pages.data?.pages.flatMap((p) => p.keys) ?? [], [pages.data]);
  const { scrollRef, virtual, indexes, bodyStyle, rowStyle } = useVirtualRows({
    count: entries.length,
    rowHeight: KEY_ROW_HEIGHT,
    virtualizeAbove: KEYS_VIRTUALIZE_ABOVE,
    scrollKey: `${keyIdentity(folder.prefix)}|${pattern}`,
    getItemKey: (i) => keyIdentity(entries[i]!.key),
  });

  return (
    <section className="cache-pane cache-keys" data-testid="cache-keys" aria-label="Keys">
      <header className="cache-pane-head">
        <span className="mono truncate cache-pane-title" title={folder.prefix.text}>
          {folder.prefix.text || ROOT_LABEL}
        </span>
        <span className="muted">{plural(folder.keys, "key")}</span>
      </header>
      <label className="find-field cache-key-filter">
        <span className="visually-hidden">Filter the folder's keys</span>
        <input
          data-testid="cache-keys-filter"
          className="mono"
          placeholder="filter: a glob after the folder, e.g. *42*"
          value={filter}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setFilter(e.target.value)}
        />
      </label>
      {typed === "" && !narrowed.exact && (
        <p className="muted cache-note" data-testid="cache-keys-approximate">
          The scan's pattern does not narrow to this folder: every key under it is listed.
        </p>
      )}
      {pages.isError ? (
        <CacheError error={pages.error} testId="cache-keys-error" onRetry={() => void pages.refetch()} />
      ) : (
        <div
          ref={scrollRef}
          className={`cache-key-list${pages.isFetching && !pages.isFetchingNextPage ? " busy" : ""}`}
          role="table"
          aria-label="Keys of the folder"
          aria-busy={pages.isFetching || undefined}
        >
          <div role="rowgroup" className={`cache-key-body${virtual ? " virtual" : ""}`} style={bodyStyle}>
            {indexes.map((i) => {
              const entry = entries[i]!;
              return (
                <KeyRow
                  key={keyIdentity(entry.key)}
                  entry={entry}
                  folder={folder.prefix}
                  selected={sameKey(entry.key, selected)}
                  style={rowStyle(i)}
                  onSelect={() => onSelect(entry.key)}
                />
              );
            })}
          </div>
          {pages.isPending && <p className="muted cache-empty">Listing keys…</p>}
          {pages.isSuccess && entries.length === 0 && !pages.hasNextPage && (
            <p className="muted cache-empty" data-testid="cache-keys-empty">
              No keys here match.
            </p>
          )}
        </div>
      )}
      <footer className="cache-pane-foot">
        <span className="muted" data-testid="cache-keys-count">
          {plural(entries.length, "key")} listed
        </span>
        <LoadMoreButton pages={pages} testId="cache-keys-more" />
      </footer>
    </section>
  );
}
