import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useBackend } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { connectionsQuery, UNLOCK_MINUTES, useUnlockWrites, writeAccessQuery } from "./queries";

/**
 * A guarded backup write (a restore into scratch, or over live data) refused
 * with `read_only`: why, and "Unlock writes" for some minutes as the cache
 * screen has it; once unlocked, "Try again". A read-only connection cannot be
 * unlocked (the backend refuses that too, by the same code).
 */
export function WritesLocked({
  connection,
  what,
  onRetry,
  testId,
}: {
  connection: string;
  /** What needed the writes, e.g. "A restore into scratch targets". */
  what: string;
  onRetry: () => void;
  testId: string;
}) {
  const backend = useBackend();
  const connections = useQuery(connectionsQuery(backend));
  const readOnly = connections.data?.find((c) => c.name === connection)?.readOnly ?? false;
  const access = useQuery(writeAccessQuery(backend, connection));
  const unlock = useUnlockWrites(connection);
  const [minutes, setMinutes] = useState(String(UNLOCK_MINUTES));
  const parsed = /^\d+$/.test(minutes.trim()) ? Number(minutes.trim()) : NaN;
  const valid = Number.isInteger(parsed) && parsed >= 1 && parsed <= 240;
  const unlocked = (access.data?.unlockedForSeconds ?? 0) > 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (valid) unlock.mutate(parsed);
  }

  return (
    <div className="backup-locked" data-testid={testId} data-code="read_only" data-unlocked={unlocked}>
      <div className="error-message" role="alert">
        <Icon name="lock" size={13} />
        <span>
          <strong>Refused: writes are locked on {connection}.</strong> {what} writes, so it needs a read-write connection whose
          writes are unlocked; every write is entered in the write log first.
          {readOnly && <> This connection is saved as read-only: save it as read-write under Connections to allow it.</>}
        </span>
      </div>
      {unlocked ? (
        <p className="backup-unlocked" role="status">
          <Icon name="unlock" size={13} /> Writes unlocked for {Math.ceil((access.data?.unlockedForSeconds ?? 0) / 60)} min.{" "}
          <button type="button" className="button small" data-testid={`${testId}-retry`} onClick={onRetry}>
            Try again
          </button>
        </p>
      ) : (
        <form className="backup-unlock" onSubmit={submit} aria-label="Unlock writes">
          <label>
            <span className="field-caption">Unlock for</span>{" "}
            <input
              data-testid={`${testId}-minutes`}
              className="mono"
              inputMode="numeric"
              size={4}
              value={minutes}
              aria-invalid={!valid || undefined}
              onChange={(e) => setMinutes(e.target.value)}
            />{" "}
            min
          </label>
          <button
            type="submit"
            className="button small"
            data-testid={`${testId}-unlock`}
            disabled={!valid || unlock.isPending}
            title={valid ? "Allow writes on this connection for that long" : "Minutes is a whole number from 1 to 240"}
          >
            <Icon name="unlock" size={12} />
            {unlock.isPending ? "Unlocking…" : "Unlock writes"}
          </button>
        </form>
      )}
      {unlock.isError && <ErrorMessage error={unlock.error} testId={`${testId}-unlock-error`} />}
    </div>
  );
}
