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
  EventsFootprint,
  FootprintPart,
  GraphEndpoint,
  GraphFootprint,
  HealthReport,
  NameCount,
  NamespaceFootprint,
  ObjectsEndpoint,
  ObjectsFootprint,
  PostgresEndpoint,
  PostgresFootprint,
  PrefixFootprint,
  RedisEndpoint,
  RedisFootprint,
  SecretsInput,
  StoreHealth,
  StoreKind,
  StoreState,
  StoredSecrets,
  TableFootprint,
  Tenant,
  TenantFootprint,
  TenantLocation,
  TenantPage,
  TenantQuery,
  TenantSort,
  Tier,
  TlsMode,
} from "../bindings";

import type {
  AppInfo,
  ConnectionDetails,
  ConnectionDraft,
  ConnectionSummary,
  HealthReport,
  SecretsInput,
  Tenant,
  TenantFootprint,
  TenantPage,
  TenantQuery,
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
  /** One page of the connection's tenants; `search` matches id, slug and name literally. */
  listTenants(connection: string, query: TenantQuery): Promise<TenantPage>;
  /** A tenant by exact id or slug; `not_found` when there is none. */
  getTenant(connection: string, tenant: string): Promise<Tenant>;
  /**
   * How much of each store a tenant (id or slug) occupies. Never fails per
   * store: a store that is down or not configured gives its part an error.
   * `exact` asks for real counts (no planner estimates, every Redis key sized).
   */
  tenantFootprint(connection: string, tenant: string, exact: boolean): Promise<TenantFootprint>;
}
