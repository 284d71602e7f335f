// Guarded writes of the mock backend, as api/writes.rs and write_log.rs keep
// them: unlocks per read-write connection for 1 to 240 minutes, and a write
// log in memory whose entries are chained by a hash (a stand-in for SHA-256,
// deterministic and synchronous). A test may tamper with an entry: the chain
// then says where it breaks, and every write is refused with `config`.
import { BackendError } from "./errors";
import type { ChainCheck, StoreKind, WriteAccess, WriteEntry, WriteLogReport } from "./types";

const MAX_UNLOCK_MINUTES = 240;
/** The hash before the first entry. */
const GENESIS = "0".repeat(64);

/** 64 hex digits from the text: four FNV-1a rounds, each seeded by the one before. */
export function mockHash(text: string): string {
  let out = "";
  let h = 0x811c9dc5;
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= round;
    h = Math.imul(h, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out;
}

const hashOf = (entry: WriteEntry) => mockHash(JSON.stringify({ ...entry, hash: "" }));

/** The chain check of write_log.rs: each entry follows the one before, matches its hash and its place. */
export function checkChain(entries: readonly WriteEntry[]): ChainCheck {
  let prev = GENESIS;
  for (const [i, e] of entries.entries()) {
    const line = i + 1;
    const problem =
      e.prev !== prev
        ? "it does not follow the entry before it (removed or reordered entries)"
        : e.hash !== hashOf(e)
          ? "its content does not match its hash (edited)"
          : e.seq !== line
            ? "its sequence number is not its place"
            : null;
    if (problem !== null) return { entries: entries.length, intact: false, brokenAt: line, problem: `entry ${line}: ${problem}` };
    prev = e.hash;
  }
  return { entries: entries.length, intact: true, brokenAt: null, problem: null };
}

export interface MockWrites {
  unlock(connection: string, readOnly: boolean, minutes: number): WriteAccess;
  lock(connection: string): WriteAccess;
  access(connection: string): WriteAccess;
  /** Refuses unless the connection's writes are unlocked (`read_only`). */
  requireUnlocked(connection: string): void;
  /** Enters a write; refused with `config` when the chain is broken. */
  append(connection: string, store: StoreKind, action: string, targets: string[], detail: string): WriteEntry;
  report(): WriteLogReport;
  /** Edits entry `seq` without its hash, as a hand in the file would (for tests). */
  tamper(seq: number): void;
}

/** Unlocks and a write log, in memory; `now` is the clock (ms). */
export function createMockWrites(now: () => number = Date.now): MockWrites {
  const unlocked = new Map<string, number>();
  const entries: WriteEntry[] = [];

  function access(connection: string): WriteAccess {
    const until = unlocked.get(connection) ?? 0;
    return { connection, unlockedForSeconds: Math.max(0, Math.floor((until - now()) / 1_000)) };
  }

  return {
    unlock(connection, readOnly, minutes) {
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_UNLOCK_MINUTES) {
        throw new BackendError("invalid_input", `writes unlock for 1 to ${MAX_UNLOCK_MINUTES} minutes`);
      }
      if (readOnly) {
        throw new BackendError("read_only", `connection ${connection} is read-only; save it as read-write to allow writes`);
      }
      unlocked.set(connection, now() + minutes * 60_000);
      return access(connection);
    },
    lock(connection) {
      unlocked.delete(connection);
      return access(connection);
    },
    access,
    requireUnlocked(connection) {
      if (access(connection).unlockedForSeconds === 0) {
        throw new BackendError("read_only", `writes on ${connection} are locked; unlock them first`);
      }
    },
    append(connection, store, action, targets, detail) {
      const check = checkChain(entries);
      if (!check.intact) {
        throw new BackendError(
          "config",
          `the write log /home/admin/.local/share/storelens/write-log.jsonl is not intact (${check.problem}); writes are refused until it is looked at`,
        );
      }
      const last = entries.at(-1);
      const entry: WriteEntry = {
        seq: (last?.seq ?? 0) + 1,
        at: new Date(now()).toISOString(),
        connection,
        store,
        action,
        targets: [...targets],
        detail,
        prev: last?.hash ?? GENESIS,
        hash: "",
      };
      entry.hash = hashOf(entry);
      entries.push(entry);
      return structuredClone(entry);
    },
    report: () => ({ entries: structuredClone(entries), chain: checkChain(entries) }),
    tamper(seq) {
      const e = entries.find((x) => x.seq === seq);
      if (!e) throw new Error(`the mock write log has no entry ${seq}`);
      e.detail = `${e.detail} (edited)`;
    },
  };
}
