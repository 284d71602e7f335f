import { Channel } from "@tauri-apps/api/core";
import { commands } from "../bindings";
import { toBackendError } from "./errors";
import type {
  AuditProgress,
  Backend,
  BackupProgress,
  CacheAuditProgress,
  ErrorPayload,
  ExportProgress,
  MonitorBatch,
  OverviewProgress,
  ScanProgress,
  TenantStateProgress,
} from "./types";

/** The result shape every generated command resolves to. */
type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

function unwrap<T>(result: Result<T, ErrorPayload>): T {
  if (result.status === "ok") return result.data;
  throw toBackendError(result.error);
}

async function call<T>(run: () => Promise<Result<T, ErrorPayload>>): Promise<T> {
  let result: Result<T, ErrorPayload>;
  try {
    result = await run();
  } catch (e) {
    // The bindings rethrow JS `Error`s (IPC failures); normalise them too.
    throw toBackendError(e);
  }
  return unwrap(result);
}

/** The real backend: Tauri commands through the generated bindings. */
export const tauriBackend: Backend = {
  listConnections: () => call(() => commands.listConnections()),
  getConnection: (name) => call(() => commands.getConnection(name)),
  saveConnection: (draft, secrets) => call(() => commands.saveConnection(draft, secrets)),
  deleteConnection: (name) => call(() => commands.deleteConnection(name)),
  checkHealth: (name) => call(() => commands.checkHealth(name)),
  appInfo: () => call(() => commands.appInfo()),
  listTenants: (connection, query) => call(() => commands.listTenants(connection, query)),
  getTenant: (connection, tenant) => call(() => commands.getTenant(connection, tenant)),
  tenantFootprint: (connection, tenant, exact) => call(() => commands.tenantFootprint(connection, tenant, exact)),
  tenantOverview: (connection, exact, taskId, onProgress) => {
    // Each store's progress arrives on its own channel while the command runs.
    const channel = new Channel<OverviewProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.tenantOverview(connection, exact, taskId, channel));
  },
  find: (connection, needle, tenant) => call(() => commands.find(connection, needle, tenant)),
  profileSummary: (connection) => call(() => commands.profileSummary(connection)),
  tenantRows: (connection, tenant, query) => call(() => commands.tenantRows(connection, tenant, query)),
  exportRows: (connection, tenant, query, format, path, taskId, onProgress) => {
    // Progress arrives on its own channel while the command runs.
    const channel = new Channel<ExportProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.exportRows(connection, tenant, query, format, path, taskId, channel));
  },
  cancelTask: (taskId) => call(() => commands.cancelTask(taskId)),
  runConsole: (connection, request) => call(() => commands.runConsole(connection, request)),
  eventHistory: (connection, aggregateId, tenant, offset, limit) =>
    call(() => commands.eventHistory(connection, aggregateId, tenant, offset, limit)),
  stateAt: (connection, aggregateId, tenant, at) => call(() => commands.stateAt(connection, aggregateId, tenant, at)),
  stateDiff: (connection, aggregateId, tenant, from, to) =>
    call(() => commands.stateDiff(connection, aggregateId, tenant, from, to)),
  compareStores: (connection, aggregateId, tenant) => call(() => commands.compareStores(connection, aggregateId, tenant)),
  tenantEvents: (connection, tenant, filter) => call(() => commands.tenantEvents(connection, tenant, filter)),
  tenantState: (connection, tenant, at, aggregateType, path, taskId, onProgress) => {
    // Progress arrives on its own channel while the command runs.
    const channel = new Channel<TenantStateProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.tenantState(connection, tenant, at, aggregateType, path, taskId, channel));
  },
  cacheScan: (connection, request, taskId, onProgress) => {
    // Progress arrives on its own channel while the command runs.
    const channel = new Channel<ScanProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.cacheScan(connection, request, taskId, channel));
  },
  cacheKeys: (connection, request) => call(() => commands.cacheKeys(connection, request)),
  cacheValue: (connection, request) => call(() => commands.cacheValue(connection, request)),
  cacheAudit: (connection, tenant, taskId, onProgress) => {
    // Progress arrives on its own channel while the command runs.
    const channel = new Channel<CacheAuditProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.cacheAudit(connection, tenant, taskId, channel));
  },
  cacheMonitor: (connection, tenant, taskId, onBatch) => {
    // The batches arrive on their own channel while the command runs.
    const channel = new Channel<MonitorBatch>();
    channel.onmessage = onBatch;
    return call(() => commands.cacheMonitor(connection, tenant, taskId, channel));
  },
  unlockWrites: (connection, minutes) => call(() => commands.unlockWrites(connection, minutes)),
  lockWrites: (connection) => call(() => commands.lockWrites(connection)),
  writeAccess: (connection) => call(() => commands.writeAccess(connection)),
  cacheDelete: (connection, keys) => call(() => commands.cacheDelete(connection, keys)),
  writeLog: () => call(() => commands.writeLog()),
  graphSearch: (connection, request) => call(() => commands.graphSearch(connection, request)),
  graphExpand: (connection, request) => call(() => commands.graphExpand(connection, request)),
  graphPath: (connection, request) => call(() => commands.graphPath(connection, request)),
  saveFile: (request) => call(() => commands.saveFile(request)),
  backupRun: (connection, request, taskId, onProgress) => {
    // Each part's progress arrives on its own channel while the command runs.
    const channel = new Channel<BackupProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.backupRun(connection, request, taskId, channel));
  },
  backupList: (connection, destination) => call(() => commands.backupList(connection, destination)),
  backupVerify: (connection, request, taskId, onProgress) => {
    // A restore into scratch reports each part on its own channel while the command runs.
    const channel = new Channel<BackupProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.backupVerify(connection, request, taskId, channel));
  },
  backupRestore: (connection, request, taskId, onProgress) => {
    // Each part's progress arrives on its own channel while the command runs.
    const channel = new Channel<BackupProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.backupRestore(connection, request, taskId, channel));
  },  auditRun: (connection, tenant, taskId, onProgress) => {
    // Each check's progress arrives on its own channel while the command runs.
    const channel = new Channel<AuditProgress>();
    channel.onmessage = onProgress;
    return call(() => commands.auditRun(connection, tenant, taskId, channel));
  },
  auditExport: (id, format) => call(() => commands.auditExport(id, format)),
};

/** True inside the Tauri webview (the IPC bridge is injected before our code runs). */
export function isTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}
