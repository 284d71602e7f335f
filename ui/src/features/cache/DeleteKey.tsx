import { useState } from "react";
import type { KeyName } from "../../backend";
import { Icon } from "../../components/Icon";
import { CacheError } from "./CacheError";
import { cacheWriteError } from "./errors";
import { useDeleteKey, useWriteAccess } from "./writes";

/**
 * "Delete key": only while the connection's writes are unlocked (else
 * disabled, saying why), after a confirmation; then the write log entry it
 * was entered as, or the refusal worded by its code.
 */
export function DeleteKey({ connection, keyName, exists }: { connection: string; keyName: KeyName; exists: boolean }) {
  const { unlocked } = useWriteAccess(connection);
  const remove = useDeleteKey(connection);
  const [confirming, setConfirming] = useState(false);
  const why = !unlocked ? "Unlock writes (at the top of the screen) to delete keys." : !exists ? "The key no longer exists." : null;
  const done = remove.isSuccess ? remove.data : null;

  return (
    <div className="cache-value-actions">
      {confirming ? (
        <span className="confirm" role="group" aria-label="Confirm deletion">
          <span>
            Delete <code className="mono">{keyName.text}</code>? It is entered in the write log first; it cannot be undone.
          </span>
          <button
            type="button"
            className="button small danger"
            data-testid="cache-delete-confirm"
            disabled={remove.isPending || why !== null}
            onClick={() => remove.mutate(keyName, { onSettled: () => setConfirming(false) })}
          >
            {remove.isPending ? "Deleting…" : "Delete"}
          </button>
          <button type="button" className="button small" data-testid="cache-delete-cancel" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <>
          <button
            type="button"
            className="button small danger-outline"
            data-testid="cache-delete"
            disabled={why !== null || remove.isPending}
            title={why ?? "Delete this key (UNLINK), entered in the write log first"}
            onClick={() => {
              remove.reset();
              setConfirming(true);
            }}
          >
            <Icon name="close" size={12} />
            Delete key
          </button>
          {why !== null && !done && (
            <span className="muted cache-note" data-testid="cache-delete-why">
              {why}
            </span>
          )}
        </>
      )}
      {done && (
        <p className="cache-delete-done" data-testid="cache-delete-done" role="status">
          <Icon name="check" size={12} />
          {done.deleted > 0 ? "Deleted" : "Nothing deleted (the key was already gone)"} · write log entry{" "}
          <strong className="mono" data-testid="cache-delete-entry">
            #{done.logEntry.seq}
          </strong>
          <span className="muted">(the tree keeps the last scan's counts)</span>
        </p>
      )}
      {remove.isError && <CacheError error={remove.error} testId="cache-delete-error" describe={cacheWriteError} />}
    </div>
  );
}
