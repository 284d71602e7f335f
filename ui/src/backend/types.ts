// The contract with the Rust backend. The types come from the generated
// bindings; everything outside `src/backend` imports them from here, so a
// regenerated bindings.ts is the only place the shape can change.
export type {
  AppInfo,
  ConnectionDetails,
  ConnectionDraft,
  ConnectionSummary,
  ErrorCode,
  ErrorPayload,
  GraphEndpoint,
  HealthReport,
  ObjectsEndpoint,
  PostgresEndpoint,
  RedisEndpoint,
  SecretsInput,
  StoreHealth,
  StoreKind,
  StoreState,
  StoredSecrets,
  TlsMode,
} from "../bindings";

import type {
  AppInfo,
  ConnectionDetails,
  ConnectionDraft,
  ConnectionSummary,
  HealthReport,
  SecretsInput,
} from "../bindings";

/**
 * One method per backend command. Every method resolves with the command's
 * data, or rejects with a {@link BackendError} carrying the backend's error
 * code. Components never see the `{ status, data | error }` envelope.
 */
export interface Backend {
  listConnections(): Promise<ConnectionSummary[]>;
  getConnection(name: string): Promise<ConnectionDetails>;
  /**
   * `secrets` per store: `null` keeps the stored password, `""` removes it,
   * any other string replaces it. Passwords travel only through this argument.
   */
  saveConnection(draft: ConnectionDraft, secrets: SecretsInput): Promise<ConnectionSummary>;
  deleteConnection(name: string): Promise<null>;
  checkHealth(name: string): Promise<HealthReport>;
  appInfo(): Promise<AppInfo>;
}
