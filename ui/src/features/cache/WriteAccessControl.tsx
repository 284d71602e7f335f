import { useState, type FormEvent } from "react";
import { Icon } from "../../components/Icon";
import { CacheError } from "./CacheError";
import { cacheWriteError } from "./errors";
import { formatCountdown } from "./format";
import { DEFAULT_UNLOCK_MINUTES, unlockMinutes } from "./queries";
import { useLockWrites, useUnlockWrites, useWriteAccess } from "./writes";

/**
 * Writes of the connection: locked, with "Unlock writes" for some minutes; or
 * unlocked, with the time left and "Lock". A read-only connection refuses the
 * unlock (by code: `read_only`).
 */
export function WriteAccessControl({ connection }: { connection: string }) {
  const { access, secondsLeft, unlocked } = useWriteAccess(connection);
  const unlock = useUnlockWrites(connection);
  const lock = useLockWrites(connection);
  const [minutes, setMinutes] = useState(DEFAULT_UNLOCK_MINUTES);
  const parsed = unlockMinutes(minutes);
  const invalid = "invalid" in parsed ? parsed.invalid : null;
  const failed = unlock.isError ? unlock.error : lock.isError ? lock.error : access.isError ? access.error : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if ("minutes" in parsed) {
      lock.reset();
      unlock.mutate(parsed.minutes);
    }
  }

  return (
    <div className="cache-writes" data-testid="cache-write-access" data-unlocked={unlocked}>
      {unlocked ? (
        <p className="cache-writes-state unlocked" role="status">
          <Icon name="unlock" size={13} />
          <span>
            Writes unlocked · <span className="mono" data-testid="cache-unlocked-left">{formatCountdown(secondsLeft)}</span> left
          </span>
          <button
            type="button"
            className="button small"
            data-testid="cache-lock"
            disabled={lock.isPending}
            onClick={() => {
              unlock.reset();
              lock.mutate();
            }}
          >
            <Icon name="lock" size={12} />
            Lock
          </button>
        </p>
      ) : (
        <form className="cache-writes-state" onSubmit={submit} aria-label="Unlock writes">
          <Icon name="lock" size={13} />
          <span className="muted">Writes locked</span>
          <label className="cache-unlock-minutes" title="How long writes stay unlocked (1 to 240 minutes)">
            <input
              data-testid="cache-unlock-minutes"
              className="mono"
              inputMode="numeric"
              value={minutes}
              aria-invalid={invalid !== null || undefined}
              onChange={(e) => setMinutes(e.target.value)}
            />
            <span>min</span>
          </label>
          <button
            type="submit"
            className="button small"
            data-testid="cache-unlock"
            disabled={invalid !== null || unlock.isPending || access.isPending}
            title={invalid ?? "Allow deleting keys on this connection for that long; every write is entered in the write log"}
          >
            <Icon name="unlock" size={12} />
            {unlock.isPending ? "Unlocking…" : "Unlock writes"}
          </button>
        </form>
      )}
      {failed !== null && <CacheError error={failed} testId="cache-unlock-error" describe={cacheWriteError} />}
    </div>
  );
}
