// The contract with the Rust backend. The types come from the generated
// bindings; everything outside `src/backend` imports them from here, so a
// regenerated bindings.ts is the only place the shape can change.
export type {
  AggregateHistory,
  Anomaly,
  AnomalyKind,
  AppInfo,
  Artifact,
  AuditCheck,
  AuditProgress,
  AuditReport,
  BackupProgress,
  BackupRequest,
  BackupSummary,
  BigKey,
  CacheAudit,
  CacheAuditProgress,
  CacheDeletion,
  CacheKeyHit,
  Catalog,
  CatalogEntry,
  Cell,
  ChainCheck,
  CheckError,
  CheckRun,
  CheckStatus,
  ColumnFilter,
  Comparison,
  ConnectionDetails,
  ConnectionDraft,
  ConnectionSummary,
  ConsoleRequest,
  ConsoleResult,
  ConsumerGroup,
  Direction,
  EntityHit,
  EntityRef,
  EntitySummary,
  ErrorCode,
  EventFilter,
  EventPage,
  ErrorPayload,
  EventRef,
  EventView,
  EventsFootprint,
  EventsHit,
  Evidence,
  ExpandRequest,
  ExportFormat,
  ExportProgress,
  ExportSummary,
  FilterOp,
  Finding,
  FindingKind,
  FootprintPart,
  GraphEdge,
  GraphEndpoint,
  GraphFootprint,
  GraphHit,
  GraphNode,
  GraphView,
  HealthReport,
  HistoryStep,
  IndexedAnomaly,
  JsonValue,
  KeyEntry,
  KeyName,
  KeyPage,
  KeyPageRequest,
  KeyScan,
  KeyValue,
  LookupError,
  LookupResult,
  Manifest,
  Measure,
  MeasureCheck,
  MonitorBatch,
  MonitorMessage,
  MonitorSummary,
  NameCount,
  Namespace,
  NamespaceFootprint,
  NeedleKind,
  NeighbourCount,
  NodeRef,
  ObjectHit,
  ObjectsEndpoint,
  ObjectsFootprint,
  OverviewPart,
  OverviewProgress,
  Part,
  PartCheck,
  PathChange,
  PathRequest,
  PostgresEndpoint,
  PostgresFootprint,
  PrefixFootprint,
  ProfileSummary,
  QueryLanguage,
  RedisEndpoint,
  RedisFootprint,
  ReportFormat,
  RestoreCheck,
  RestoreReport,
  RestoreRequest,
  RowColumn,
  RowHit,
  RowPage,
  RowQuery,
  SaveFileRequest,
  SavedFile,
  ScanProgress,
  ScanRequest,
  Scope,
  ScoredMember,
  SearchRequest,
  SecretsInput,
  Severity,
  SeverityCount,
  StateAt,
  StateDiff,
  StepKind,
  StoreComparison,
  StoreHealth,
  StoreKind,
  StoreState,
  StoredSecrets,
  StreamEntry,
  Supernode,
  TableFootprint,
  Tenant,
  TenantFootprint,
  TenantLocation,
  TenantOverview,
  TenantPage,
  TenantQuery,
  TenantRef,
  TenantSort,
  TenantStateProgress,
  TenantStateSummary,
  TenantTotals,
  Tier,
  TimelineEvent,
  TlsMode,
  ValueRequest,
  ValueView,
  Verdict,
  Verification,
  VerifyRequest,
  Version,
  WriteAccess,
  WriteEntry,
  WriteLogReport,
} from "../bindings";

import type {
  AggregateHistory,
  AppInfo,
  AuditProgress,
  AuditReport,
  BackupProgress,
  BackupRequest,
  BackupSummary,
  CacheAudit,
  CacheAuditProgress,
  CacheDeletion,
  Catalog,
  Comparison,
  ConnectionDetails,
  ConnectionDraft,
  ConnectionSummary,
  ConsoleRequest,
  ConsoleResult,
  EventFilter,
  EventPage,
  ExportFormat,
  ExportProgress,
  ExportSummary,
  ExpandRequest,
  GraphView,
  HealthReport,
  KeyPage,
  KeyPageRequest,
  KeyScan,
  KeyName,
  KeyValue,
  LookupResult,
  MonitorBatch,
  MonitorSummary,
  OverviewProgress,
  PathRequest,
  ProfileSummary,
  ReportFormat,
  RestoreReport,
  RestoreRequest,
  RowPage,
  RowQuery,
  SaveFileRequest,
  SavedFile,
  ScanProgress,
  ScanRequest,
  SearchRequest,
  SecretsInput,
  StateAt,
  StateDiff,
  Tenant,
  TenantFootprint,
  TenantOverview,
  TenantPage,
  TenantQuery,
  TenantStateProgress,
  TenantStateSummary,
  ValueRequest,
  Verification,
  VerifyRequest,
  WriteAccess,
  WriteLogReport,
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
  /**
   * Every tenant's totals per store at once, each store read once (the tenant
   * list with footprints). A store that fails or is not configured leaves its
   * counts null and says why in its `parts` entry; the call itself fails only
   * when the tenant list cannot be read. `onProgress` hears each store as it
   * finishes (and Redis every 100k keys scanned); {@link cancelTask} with the
   * same `taskId` stops it (it then rejects with `cancelled`). `exact` asks for
   * real row counts instead of planner estimates (key bytes stay estimated).
   */
  tenantOverview(
    connection: string,
    exact: boolean,
    taskId: string,
    onProgress: (progress: OverviewProgress) => void,
  ): Promise<TenantOverview>;
  /**
   * Cross-store lookup of an entity id, a cache key or an object key, in every
   * tenant or in `tenant` (id or slug) only. A store that fails is listed in
   * the result's `errors`; the call itself fails only on bad input or an
   * unknown tenant.
   */
  find(connection: string, needle: string, tenant: string | null): Promise<LookupResult>;
  /** The connection's platform profile: entity types and the names queries use. */
  profileSummary(connection: string): Promise<ProfileSummary>;
  /**
   * One keyset page of a tenant's entity table. `query.after` is the previous
   * page's `nextAfter`; a bad filter value rejects with `invalid_input`.
   */
  tenantRows(connection: string, tenant: string, query: RowQuery): Promise<RowPage>;
  /**
   * Every row matching `query` (its `after` and `limit` are ignored) to a CSV
   * or JSON file: `path`, or a new file in the exports folder when null.
   * `onProgress` hears the rows written after each page; {@link cancelTask}
   * with the same `taskId` stops it (the export then rejects with `cancelled`).
   */
  exportRows(
    connection: string,
    tenant: string,
    query: RowQuery,
    format: ExportFormat,
    path: string | null,
    taskId: string,
    onProgress: (progress: ExportProgress) => void,
  ): Promise<ExportSummary>;
  /** Cancels a running task; false when no task has that id (any more). */
  cancelTask(taskId: string): Promise<boolean>;
  /**
   * One statement in the read-only SQL, Cypher or Redis console. A write is
   * refused with `read_only`; a bad statement fails with `invalid_input` or `query`.
   */
  runConsole(connection: string, request: ConsoleRequest): Promise<ConsoleResult>;
  /**
   * An aggregate's history: the steps `offset .. offset + limit` (at most
   * 5,000) of its event log in (time, sequence) order, each with its diff and
   * anomalies, and the final state. The backend folds every event anyway.
   * `tenant` (id or slug) may be null when one tenant alone has events of the
   * id; several such tenants reject with `invalid_input`, none with `not_found`.
   */
  eventHistory(
    connection: string,
    aggregateId: string,
    tenant: string | null,
    offset: number,
    limit: number,
  ): Promise<AggregateHistory>;
  /**
   * The aggregate's state at a point: `at` is a sequence number (as text) or
   * a time (RFC 3339, `2026-02-21 14:30`, `2026-02-21`). A point that is
   * neither rejects with `invalid_input`; a sequence the aggregate has no
   * event of, with `not_found`.
   */
  stateAt(connection: string, aggregateId: string, tenant: string | null, at: string): Promise<StateAt>;
  /** The states at two points (as {@link stateAt}) and the changes from one to the other. */
  stateDiff(connection: string, aggregateId: string, tenant: string | null, from: string, to: string): Promise<StateDiff>;
  /**
   * The current fold against the read-model row, the graph node and the
   * cached value: per store in sync, lagging (by how many events), drifting,
   * missing, orphaned or unknown (with why).
   */
  compareStores(connection: string, aggregateId: string, tenant: string | null): Promise<Comparison>;
  /**
   * One keyset page of a tenant's (id or slug) event log in (time, sequence)
   * order. Every filter field is matched exactly; null means no filter.
   * `filter.after` is the previous page's `nextAfter`; `filter.limit` defaults
   * to 100 (at most 1,000). `nextAfter` is null on the last page.
   */
  tenantEvents(connection: string, tenant: string, filter: EventFilter): Promise<EventPage>;
  /**
   * Every aggregate of a tenant (or of `aggregateType` only) folded up to `at`
   * (RFC 3339), written as JSON Lines to `path`, or to a new file in the
   * exports folder when null. `onProgress` hears the events folded and the
   * aggregates seen; {@link cancelTask} with the same `taskId` stops it (it
   * then rejects with `cancelled` and leaves no file).
   */
  tenantState(
    connection: string,
    tenant: string,
    at: string,
    aggregateType: string | null,
    path: string | null,
    taskId: string,
    onProgress: (progress: TenantStateProgress) => void,
  ): Promise<TenantStateSummary>;
  /**
   * The namespace tree of the key space (or of a tenant's keys, or of a
   * pattern's) with complete counts: SCAN to the end on every master, with
   * `request.pauseMs` between pages. `onProgress` hears the keys counted and
   * the nodes done; {@link cancelTask} with the same `taskId` stops it (it then
   * rejects with `cancelled`). A bad COUNT, pause or pattern rejects with
   * `invalid_input`.
   */
  cacheScan(
    connection: string,
    request: ScanRequest,
    taskId: string,
    onProgress: (progress: ScanProgress) => void,
  ): Promise<KeyScan>;
  /**
   * A page of the keys under a folder (`request.prefix`, sent back as the scan
   * gave it), each with its type and TTL. `request.after` is the previous
   * page's `next`; a key gone since SCAN has kind `none`.
   */
  cacheKeys(connection: string, request: KeyPageRequest): Promise<KeyPage>;
  /**
   * A key's type, TTL, length and a page of its value: a string's first
   * 256 KiB, a hash's or set's fields by cursor, a list's or sorted set's
   * elements by offset, a stream's entries from an id (with its consumer
   * groups on the first page). `next` is the following page's `after`.
   */
  cacheValue(connection: string, request: ValueRequest): Promise<KeyValue>;
  /**
   * A tenant's (id or slug) cache audit: keys without a mandatory TTL, and
   * entity keys stale against or orphaned from the read model, as findings.
   * `onProgress` hears the keys scanned and the entities checked;
   * {@link cancelTask} with the same `taskId` stops it.
   */
  cacheAudit(
    connection: string,
    tenant: string,
    taskId: string,
    onProgress: (progress: CacheAuditProgress) => void,
  ): Promise<CacheAudit>;
  /**
   * Watches a tenant's (id or slug) pub/sub channel and update stream (the
   * profile's `pubsub_channel` and `update_stream`) until {@link cancelTask}
   * with the same `taskId`; it then resolves with the totals (a cancel is how
   * it ends, not an error). `onBatch` hears the messages at most every 250 ms,
   * at most 200 a batch (`dropped` counts the ones left out); the first batch
   * is empty and means "listening". A profile without either rejects with `profile`.
   */
  cacheMonitor(
    connection: string,
    tenant: string,
    taskId: string,
    onBatch: (batch: MonitorBatch) => void,
  ): Promise<MonitorSummary>;
  /**
   * Unlocks writes on a read-write connection for `minutes` (1 to 240). A
   * read-only connection rejects with `read_only`.
   */
  unlockWrites(connection: string, minutes: number): Promise<WriteAccess>;
  /** Locks the connection's writes again. */
  lockWrites(connection: string): Promise<WriteAccess>;
  /** How long the connection's writes stay unlocked (0 seconds: locked). */
  writeAccess(connection: string): Promise<WriteAccess>;
  /**
   * Deletes cache keys (1 to 10,000, named as the backend named them): a
   * guarded write, entered in the write log before it is sent. Locked writes
   * or a read-only connection reject with `read_only`; a write log whose chain
   * is broken with `config` (writes are refused until it is looked at).
   */
  cacheDelete(connection: string, keys: KeyName[]): Promise<CacheDeletion>;
  /** The write log's entries (oldest first) and whether its hash chain is intact. */
  writeLog(): Promise<WriteLogReport>;
  /**
   * A tenant's (id or slug) graph nodes whose id is `request.text` exactly, or
   * whose search properties contain it (case-insensitive), exact ids first; at
   * most `limit` (default 50, at most 500). An unknown `label` rejects with
   * `invalid_input`.
   */
  graphSearch(connection: string, request: SearchRequest): Promise<GraphView>;
  /**
   * The neighbourhood of a tenant's nodes, `hops` (1 to 4) hop by hop, at most
   * `limit` (1 to 5,000) relationships per hop. Another tenant's neighbours are
   * drawn `foreign` with `breach` relationships and never expanded; a node of
   * more than `supernodeDegree` relationships is listed in `supernodes` with its
   * neighbour counts instead of expanded by a wide hop. `skip` pages one node's
   * neighbours (one start node, one hop). Labels and types that are not in the
   * graph reject with `invalid_input`; a start node the tenant lacks with `not_found`.
   */
  graphExpand(connection: string, request: ExpandRequest): Promise<GraphView>;
  /**
   * The shortest path (or all of them, up to 50) of at most `maxHops` (1 to 12)
   * between two of a tenant's nodes, through the tenant's nodes only; when there
   * is none, a path through other tenants' nodes is drawn and a note says so.
   */
  graphPath(connection: string, request: PathRequest): Promise<GraphView>;
  /**
   * Saves a file the UI made (a graph view as PNG or JSON) as a new file in
   * the exports folder: `text`, or `base64` (a `data:` URL prefix allowed),
   * not both. A name that is not a plain file name, or that exists already,
   * rejects with `invalid_input`.
   */
  saveFile(request: SaveFileRequest): Promise<SavedFile>;
  /**
   * Backs up a tenant (`request.tenant`, id or slug) in every store, or one
   * whole store (`request.store`; exactly one of the two, else
   * `invalid_input`), into a new folder of `request.destination` (default: `backups` in the data folder),
   * with a manifest written last. `onProgress` hears each part as it starts
   * and ends; {@link cancelTask} with the same `taskId` stops it (it then
   * rejects with `cancelled`).
   */
  backupRun(
    connection: string,
    request: BackupRequest,
    taskId: string,
    onProgress: (progress: BackupProgress) => void,
  ): Promise<BackupSummary>;
  /**
   * The backups of a destination (default: the data folder's), newest first,
   * each with its last verification; folders without a manifest are listed
   * apart as `incomplete`.
   */
  backupList(connection: string | null, destination: string | null): Promise<Catalog>;
  /**
   * Checks a backup's files against its manifest (and records the result); an
   * unknown id rejects with `not_found`. With `request.restore` it also
   * restores the backup into scratch targets and compares each part with the
   * manifest's measures: a guarded write (the connection must be read-write
   * and its writes unlocked, else `read_only`), long, reporting each part on
   * `onProgress`; {@link cancelTask} with the same `taskId` stops it (it then
   * rejects with `cancelled`). Of a whole-store backup only a database (into
   * a scratch database, table by table) and a graph (into the scratch graph)
   * are restored; a whole Redis or bucket comes back skipped.
   */
  backupVerify(
    connection: string,
    request: VerifyRequest,
    taskId: string,
    onProgress: (progress: BackupProgress) => void,
  ): Promise<Verification>;
  /**
   * Restores a tenant's backup over its live data in every store, part by part
   * (a failing part stops it): a guarded write (writes unlocked, else
   * `read_only`), entered in the write log first. A whole-store backup, one of
   * another connection or one whose files do not match its manifest rejects
   * with `invalid_input`. Progress and cancel as {@link backupRun}.
   */
  backupRestore(
    connection: string,
    request: RestoreRequest,
    taskId: string,
    onProgress: (progress: BackupProgress) => void,
  ): Promise<RestoreReport>;
  /**
   * Audits a tenant (id or slug) across the stores: eight checks in turn
   * (read model, graph nodes, cross-tenant relationships, cache, objects,
   * isolation, sensitive cached values, backups), each clean, with findings,
   * skipped or failed (with its error's code; the others go on). The report's
   * findings are worst first. `onProgress` hears each check as it starts;
   * {@link cancelTask} with the same `taskId` stops it (it then rejects with
   * `cancelled`). An unknown tenant rejects with `not_found`. The report is
   * kept for {@link auditExport}.
   */
  auditRun(
    connection: string,
    tenant: string,
    taskId: string,
    onProgress: (progress: AuditProgress) => void,
  ): Promise<AuditReport>;
  /**
   * Saves a kept report (by its `id`) as a new file in the exports folder:
   * JSON, or self-contained HTML. A report no longer kept rejects with
   * `not_found`; a file that exists already with `invalid_input`.
   */
  auditExport(id: string, format: ReportFormat): Promise<SavedFile>;
}
