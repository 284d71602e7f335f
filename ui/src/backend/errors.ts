import type { ErrorCode, ErrorPayload } from "./types";

const ERROR_CODES: readonly ErrorCode[] = [
  "invalid_input",
  "not_found",
  "profile",
  "config",
  "secret",
  "unavailable",
  "timeout",
  "auth",
  "read_only",
  "cancelled",
  "query",
  "internal",
];

/** An error result of a backend command. Branch on `code`, never on `message`. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "BackendError";
    this.code = code;
  }

  static fromPayload(payload: ErrorPayload): BackendError {
    return new BackendError(payload.code, payload.message);
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === "string" &&
    (ERROR_CODES as readonly string[]).includes(v.code) &&
    typeof v.message === "string"
  );
}

/**
 * Anything a command can reject with, as a BackendError. Tauri itself rejects
 * with a bare string (e.g. "command foo not found") when the IPC layer fails
 * before our command runs; those become `internal`.
 */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (isErrorPayload(error)) return BackendError.fromPayload(error);
  if (error instanceof Error) return new BackendError("internal", error.message);
  return new BackendError("internal", typeof error === "string" ? error : JSON.stringify(error));
}
