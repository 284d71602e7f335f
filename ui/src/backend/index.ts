export { BackendProvider, useBackend } from "./context";
export { BackendError, isErrorPayload, toBackendError } from "./errors";
export type * from "./types";
export { STORE_KINDS } from "./stores";
