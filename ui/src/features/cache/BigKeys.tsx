import type { BigKey, KeyName } from "../../backend";
import { formatBytes } from "../../lib/format";
import { commonFolder, isBinary, keyIdentity, keyInFolder, sameKey } from "./format";

/**
 * The largest keys the scan sized, largest first; a click opens one in the
 * value viewer. With a sample, a larger key may have gone unsized. Keys are
 * listed after the folder they all share (a tenant's prefix, typically).
 */
export function BigKeys({
  bigKeys,
  delimiter,
  memorySampleEvery,
  selected,
  onOpen,
}: {
  bigKeys: readonly BigKey[];
  /** The scan's folder delimiter. */
  delimiter: string;
  memorySampleEvery: number;
  selected: KeyName | null;
  onOpen: (key: KeyName) => void;
}) {
  const under = commonFolder(
    bigKeys.map((b) => b.key),
    delimiter,
  );
  return (
    <section className="cache-big-keys" data-testid="cache-big-keys" aria-labelledby="cache-big-keys-title">
      <h3 id="cache-big-keys-title" className="cache-subtitle">
        Biggest keys{" "}
        <span className="muted" title="MEMORY USAGE of the keys the scan sized">
          {memorySampleEvery > 1 ? `of the sampled (1 in ${memorySampleEvery.toLocaleString("en-US")})` : "(every key sized)"}
        </span>
      </h3>
      {under !== "" && (
        <p className="muted mono truncate cache-big-keys-under" data-testid="cache-big-keys-under" title={under}>
          under {under}
        </p>
      )}
      {bigKeys.length === 0 ? (
        <p className="muted cache-note">No key was sized.</p>
      ) : (
        <ol className="cache-big-key-list">
          {bigKeys.map((b) => (
            <li key={keyIdentity(b.key)}>
              <button
                type="button"
                className={`cache-big-key${sameKey(b.key, selected) ? " selected" : ""}`}
                data-testid="cache-big-key"
                data-key={b.key.text}
                data-bytes={b.bytes}
                aria-pressed={sameKey(b.key, selected)}
                title={`Open ${b.key.text} in the value viewer`}
                onClick={() => onOpen(b.key)}
              >
                <span className="mono truncate">{keyInFolder(b.key, { text: under })}</span>
                {isBinary(b.key) && <span className="tag tag-warn">binary</span>}
                <span className="mono cache-big-key-bytes">{formatBytes(b.bytes)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
