import { useQuery } from "@tanstack/react-query";
import { useBackend, type ChainCheck } from "../../backend";
import { Icon } from "../../components/Icon";
import { CacheError } from "./CacheError";
import { formatWhen, plural } from "./format";
import { writeLogQuery } from "./queries";

/** Entries listed at most (the newest). */
export const WRITE_LOG_SHOWN = 200;

function ChainStatus({ chain }: { chain: ChainCheck }) {
  return chain.intact ? (
    <span className="cache-chain intact" data-testid="cache-write-log-chain" data-intact="true">
      <Icon name="check" size={12} /> Chain intact · {plural(chain.entries, "entry", "entries")}
    </span>
  ) : (
    <span className="cache-chain broken" data-testid="cache-write-log-chain" data-intact="false" role="alert">
      <Icon name="alert" size={12} /> Chain broken{chain.brokenAt !== null ? ` at entry ${chain.brokenAt}` : ""}
      {chain.problem ? `: ${chain.problem}` : ""} · writes are refused
    </span>
  );
}

/**
 * The write log, every connection's writes newest first (sequence, time,
 * connection, action, targets), and whether its hash chain is intact.
 */
export function WriteLogPanel() {
  const backend = useBackend();
  const log = useQuery(writeLogQuery(backend));
  const entries = log.data ? [...log.data.entries].reverse().slice(0, WRITE_LOG_SHOWN) : [];

  return (
    <section className="cache-write-log" data-testid="cache-write-log" aria-labelledby="cache-write-log-title">
      <header className="cache-write-log-head">
        <h2 id="cache-write-log-title" className="cache-section-title">
          Write log
        </h2>
        {log.data && <ChainStatus chain={log.data.chain} />}
        <span className="spacer" />
        <button
          type="button"
          className="icon-button"
          data-testid="cache-write-log-reload"
          aria-label="Read the write log again"
          title="Read the write log again"
          disabled={log.isFetching}
          onClick={() => void log.refetch()}
        >
          <Icon name="refresh" size={13} className={log.isFetching ? "spin" : undefined} />
        </button>
      </header>
      {log.isPending && <p className="muted cache-note">Reading the write log…</p>}
      {log.isError && <CacheError error={log.error} testId="cache-write-log-error" onRetry={() => void log.refetch()} />}
      {log.data && log.data.entries.length === 0 && (
        <p className="muted cache-note" data-testid="cache-write-log-empty">
          No writes yet. Every write Storelens makes is entered here first.
        </p>
      )}
      {entries.length > 0 && (
        <div className="cache-write-log-body">
          <table className="mini-table cache-write-log-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Time</th>
                <th>Connection</th>
                <th>Action</th>
                <th>Targets</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq} data-testid="cache-write-log-entry" data-seq={e.seq} title={e.detail}>
                  <td className="mono">{e.seq}</td>
                  <td className="mono" title={e.at}>
                    {formatWhen(e.at)}
                  </td>
                  <td>{e.connection}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td className="mono cache-write-log-targets">{e.targets.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {log.data!.entries.length > entries.length && (
            <p className="muted cache-note">
              The newest {WRITE_LOG_SHOWN.toLocaleString("en-US")} of {plural(log.data!.entries.length, "entry", "entries")} are listed.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
