//! Tauri commands: each one unpacks its arguments, calls the core and turns a core error into
//! the `{code, message}` payload the UI matches on.

use storelens_core::api::audit::ReportFormat;
use storelens_core::api::backups::{BackupSummary, RestoreReport, RestoreRequest, VerifyRequest};
use storelens_core::api::exports::{SaveFileRequest, SavedFile};
use storelens_core::api::writes::{CacheDeletion, WriteAccess};
use storelens_core::api::AppInfo;
use storelens_core::audit::{AuditProgress, AuditReport};
use storelens_core::backup::catalog::Catalog;
use storelens_core::backup::run::{BackupProgress, BackupRequest};
use storelens_core::backup::verify::Verification;
use storelens_core::cache::audit::{CacheAudit, CacheAuditProgress};
use storelens_core::cache::browse::{KeyPage, KeyPageRequest};
use storelens_core::cache::monitor::{MonitorBatch, MonitorSummary};
use storelens_core::cache::scan::{KeyScan, ScanProgress, ScanRequest};
use storelens_core::cache::value::{KeyValue, ValueRequest};
use storelens_core::cache::KeyName;
use storelens_core::connection::{
    ConnectionDetails, ConnectionDraft, ConnectionSummary, SecretsInput,
};
use storelens_core::console::{ConsoleRequest, ConsoleResult};
use storelens_core::footprint::TenantFootprint;
use storelens_core::graph::expand::ExpandRequest;
use storelens_core::graph::path::PathRequest;
use storelens_core::graph::search::SearchRequest;
use storelens_core::graph::GraphView;
use storelens_core::health::HealthReport;
use storelens_core::lookup::LookupResult;
use storelens_core::overview::{OverviewProgress, TenantOverview};
use storelens_core::profile::ProfileSummary;
use storelens_core::rows::export::{ExportFormat, ExportProgress, ExportSummary};
use storelens_core::rows::{RowPage, RowQuery};
use storelens_core::tenants::{Tenant, TenantPage, TenantQuery};
use storelens_core::timetravel::tenant_state::{TenantStateProgress, TenantStateSummary};
use storelens_core::timetravel::timeline::{EventFilter, EventPage};
use storelens_core::timetravel::{AggregateHistory, Comparison, StateAt, StateDiff};
use storelens_core::write_log::WriteLogReport;
use storelens_core::ErrorPayload;
use tauri::ipc::Channel;
use tauri::State;

use crate::AppState;

type IpcResult<T> = Result<T, ErrorPayload>;

fn ipc<T>(result: storelens_core::Result<T>) -> IpcResult<T> {
    result.map_err(|e| ErrorPayload::from(&e))
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    Ok(state.core.app_info(&state.log_file))
}

#[tauri::command]
#[specta::specta]
pub async fn list_connections(state: State<'_, AppState>) -> IpcResult<Vec<ConnectionSummary>> {
    ipc(state.core.list_connections())
}

#[tauri::command]
#[specta::specta]
pub async fn get_connection(
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<ConnectionDetails> {
    ipc(state.core.get_connection(&name).await)
}

#[tauri::command]
#[specta::specta]
pub async fn save_connection(
    state: State<'_, AppState>,
    draft: ConnectionDraft,
    secrets: SecretsInput,
) -> IpcResult<ConnectionSummary> {
    ipc(state.core.save_connection(draft, secrets).await)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_connection(state: State<'_, AppState>, name: String) -> IpcResult<()> {
    ipc(state.core.delete_connection(&name).await)
}

#[tauri::command]
#[specta::specta]
pub async fn check_health(state: State<'_, AppState>, name: String) -> IpcResult<HealthReport> {
    ipc(state.core.check_health(&name).await)
}

#[tauri::command]
#[specta::specta]
pub async fn list_tenants(
    state: State<'_, AppState>,
    connection: String,
    query: TenantQuery,
) -> IpcResult<TenantPage> {
    ipc(state.core.list_tenants(&connection, query).await)
}

#[tauri::command]
#[specta::specta]
pub async fn get_tenant(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
) -> IpcResult<Tenant> {
    ipc(state.core.get_tenant(&connection, &tenant).await)
}

#[tauri::command]
#[specta::specta]
pub async fn tenant_footprint(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    exact: bool,
) -> IpcResult<TenantFootprint> {
    ipc(state
        .core
        .tenant_footprint(&connection, &tenant, exact)
        .await)
}

#[tauri::command]
#[specta::specta]
pub async fn find(
    state: State<'_, AppState>,
    connection: String,
    needle: String,
    tenant: Option<String>,
) -> IpcResult<LookupResult> {
    ipc(state
        .core
        .find(&connection, &needle, tenant.as_deref())
        .await)
}

#[tauri::command]
#[specta::specta]
pub async fn profile_summary(
    state: State<'_, AppState>,
    connection: String,
) -> IpcResult<ProfileSummary> {
    ipc(state.core.profile_summary(&connection).await)
}

#[tauri::command]
#[specta::specta]
pub async fn tenant_rows(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    query: RowQuery,
) -> IpcResult<RowPage> {
    ipc(state.core.tenant_rows(&connection, &tenant, query).await)
}

/// `path`: where to write; `None` writes a new file in the exports folder.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)] // the IPC signature is the use case's
pub async fn export_rows(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    query: RowQuery,
    format: ExportFormat,
    path: Option<String>,
    task_id: String,
    on_progress: Channel<ExportProgress>,
) -> IpcResult<ExportSummary> {
    let progress = move |p: ExportProgress| {
        // A closed window only stops the progress reports, not the export.
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .export_rows(
            &connection,
            &tenant,
            query,
            format,
            path.map(Into::into),
            &task_id,
            &progress,
        )
        .await)
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_task(state: State<'_, AppState>, task_id: String) -> IpcResult<bool> {
    Ok(state.core.cancel_task(&task_id))
}

#[tauri::command]
#[specta::specta]
pub async fn run_console(
    state: State<'_, AppState>,
    connection: String,
    request: ConsoleRequest,
) -> IpcResult<ConsoleResult> {
    ipc(state.core.run_console(&connection, request).await)
}

/// Every tenant's totals per store; progress per store on `on_progress`; cancel by `task_id`.
#[tauri::command]
#[specta::specta]
pub async fn tenant_overview(
    state: State<'_, AppState>,
    connection: String,
    exact: bool,
    task_id: String,
    on_progress: Channel<OverviewProgress>,
) -> IpcResult<TenantOverview> {
    let progress = move |p: OverviewProgress| {
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .tenant_overview(&connection, exact, &task_id, progress)
        .await)
}

/// An aggregate's steps `offset .. offset + limit` with their diffs, and its final state.
#[tauri::command]
#[specta::specta]
pub async fn event_history(
    state: State<'_, AppState>,
    connection: String,
    aggregate_id: String,
    tenant: Option<String>,
    offset: u32,
    limit: u32,
) -> IpcResult<AggregateHistory> {
    ipc(state
        .core
        .event_history(&connection, &aggregate_id, tenant.as_deref(), offset, limit)
        .await)
}

/// The aggregate's state at a time (RFC 3339) or sequence number.
#[tauri::command]
#[specta::specta]
pub async fn state_at(
    state: State<'_, AppState>,
    connection: String,
    aggregate_id: String,
    tenant: Option<String>,
    at: String,
) -> IpcResult<StateAt> {
    ipc(state
        .core
        .state_at(&connection, &aggregate_id, tenant.as_deref(), &at)
        .await)
}

#[tauri::command]
#[specta::specta]
pub async fn state_diff(
    state: State<'_, AppState>,
    connection: String,
    aggregate_id: String,
    tenant: Option<String>,
    from: String,
    to: String,
) -> IpcResult<StateDiff> {
    ipc(state
        .core
        .state_diff(&connection, &aggregate_id, tenant.as_deref(), &from, &to)
        .await)
}

/// The current fold against the read model, the graph node and the cached value.
#[tauri::command]
#[specta::specta]
pub async fn compare_stores(
    state: State<'_, AppState>,
    connection: String,
    aggregate_id: String,
    tenant: Option<String>,
) -> IpcResult<Comparison> {
    ipc(state
        .core
        .compare_stores(&connection, &aggregate_id, tenant.as_deref())
        .await)
}

/// A page of a tenant's event timeline, filtered.
#[tauri::command]
#[specta::specta]
pub async fn tenant_events(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    filter: EventFilter,
) -> IpcResult<EventPage> {
    ipc(state.core.tenant_events(&connection, &tenant, filter).await)
}

/// Every aggregate of a tenant as of `at`, as JSON Lines (`path`: where; `None`: a new file in
/// the exports folder); progress on `on_progress`; cancel by `task_id`.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)] // the IPC signature is the use case's
pub async fn tenant_state(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    at: String,
    aggregate_type: Option<String>,
    path: Option<String>,
    task_id: String,
    on_progress: Channel<TenantStateProgress>,
) -> IpcResult<TenantStateSummary> {
    let progress = move |p: TenantStateProgress| {
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .tenant_state(
            &connection,
            &tenant,
            &at,
            aggregate_type.as_deref(),
            path.map(Into::into),
            &task_id,
            progress,
        )
        .await)
}

/// The namespace tree of the key space (or a tenant's, or a pattern's) with complete counts;
/// progress on `on_progress`; cancel by `task_id`.
#[tauri::command]
#[specta::specta]
pub async fn cache_scan(
    state: State<'_, AppState>,
    connection: String,
    request: ScanRequest,
    task_id: String,
    on_progress: Channel<ScanProgress>,
) -> IpcResult<KeyScan> {
    let progress = move |p: ScanProgress| {
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .cache_scan(&connection, request, &task_id, progress)
        .await)
}

#[tauri::command]
#[specta::specta]
pub async fn cache_keys(
    state: State<'_, AppState>,
    connection: String,
    request: KeyPageRequest,
) -> IpcResult<KeyPage> {
    ipc(state.core.cache_keys(&connection, request).await)
}

#[tauri::command]
#[specta::specta]
pub async fn cache_value(
    state: State<'_, AppState>,
    connection: String,
    request: ValueRequest,
) -> IpcResult<KeyValue> {
    ipc(state.core.cache_value(&connection, request).await)
}

/// A tenant's cache audit (no TTL, stale, orphaned); progress on `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn cache_audit(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    task_id: String,
    on_progress: Channel<CacheAuditProgress>,
) -> IpcResult<CacheAudit> {
    let progress = move |p: CacheAuditProgress| {
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .cache_audit(&connection, &tenant, &task_id, progress)
        .await)
}

/// Unlocks writes on a read-write connection for `minutes`.
#[tauri::command]
#[specta::specta]
pub async fn unlock_writes(
    state: State<'_, AppState>,
    connection: String,
    minutes: u32,
) -> IpcResult<WriteAccess> {
    ipc(state.core.unlock_writes(&connection, minutes).await)
}

#[tauri::command]
#[specta::specta]
pub async fn lock_writes(state: State<'_, AppState>, connection: String) -> IpcResult<WriteAccess> {
    Ok(state.core.lock_writes(&connection))
}

#[tauri::command]
#[specta::specta]
pub async fn write_access(
    state: State<'_, AppState>,
    connection: String,
) -> IpcResult<WriteAccess> {
    Ok(state.core.write_access(&connection))
}

/// Deletes keys: a guarded write (unlocked connection, write log entry first).
#[tauri::command]
#[specta::specta]
pub async fn cache_delete(
    state: State<'_, AppState>,
    connection: String,
    keys: Vec<KeyName>,
) -> IpcResult<CacheDeletion> {
    ipc(state.core.cache_delete(&connection, keys).await)
}

/// The write log's entries and whether its chain is intact.
#[tauri::command]
#[specta::specta]
pub async fn write_log(state: State<'_, AppState>) -> IpcResult<WriteLogReport> {
    ipc(state.core.write_log().await)
}

/// Watches a tenant's pub/sub channel and update stream until `task_id` is cancelled; the
/// messages arrive in batches on `on_batch`.
#[tauri::command]
#[specta::specta]
pub async fn cache_monitor(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    task_id: String,
    on_batch: Channel<MonitorBatch>,
) -> IpcResult<MonitorSummary> {
    let send = move |b: MonitorBatch| {
        let _ = on_batch.send(b);
    };
    ipc(state
        .core
        .cache_monitor(&connection, &tenant, &task_id, send)
        .await)
}

/// A tenant's graph nodes by exact id or part of a search property.
#[tauri::command]
#[specta::specta]
pub async fn graph_search(
    state: State<'_, AppState>,
    connection: String,
    request: SearchRequest,
) -> IpcResult<GraphView> {
    ipc(state.core.graph_search(&connection, request).await)
}

/// The neighbourhood of a tenant's nodes, hop by hop, supernodes listed with their counts.
#[tauri::command]
#[specta::specta]
pub async fn graph_expand(
    state: State<'_, AppState>,
    connection: String,
    request: ExpandRequest,
) -> IpcResult<GraphView> {
    ipc(state.core.graph_expand(&connection, request).await)
}

/// Shortest path(s) between two of a tenant's nodes, inside the tenant.
#[tauri::command]
#[specta::specta]
pub async fn graph_path(
    state: State<'_, AppState>,
    connection: String,
    request: PathRequest,
) -> IpcResult<GraphView> {
    ipc(state.core.graph_path(&connection, request).await)
}

/// Saves a file the UI made (a graph view as PNG or JSON) into the exports folder.
#[tauri::command]
#[specta::specta]
pub async fn save_file(
    state: State<'_, AppState>,
    request: SaveFileRequest,
) -> IpcResult<SavedFile> {
    ipc(state.core.save_file(request).await)
}

/// Backs up a tenant in every store; progress per part on `on_progress`; cancel by `task_id`.
#[tauri::command]
#[specta::specta]
pub async fn backup_run(
    state: State<'_, AppState>,
    connection: String,
    request: BackupRequest,
    task_id: String,
    on_progress: Channel<BackupProgress>,
) -> IpcResult<BackupSummary> {
    let progress = move |p: BackupProgress| {
        // A closed window only stops the progress reports, not the backup.
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .backup_run(&connection, request, &task_id, progress)
        .await)
}

/// The backups of a destination (default: the data folder's; `s3://bucket/prefix` through the
/// connection's object storage), newest first.
#[tauri::command]
#[specta::specta]
pub async fn backup_list(
    state: State<'_, AppState>,
    connection: Option<String>,
    destination: Option<String>,
) -> IpcResult<Catalog> {
    ipc(state
        .core
        .backup_list(connection.as_deref(), destination)
        .await)
}

/// Checks a backup's files against its manifest and, when asked, restores it into scratch
/// targets and compares (a guarded write); progress on `on_progress`; cancel by `task_id`.
#[tauri::command]
#[specta::specta]
pub async fn backup_verify(
    state: State<'_, AppState>,
    connection: String,
    request: VerifyRequest,
    task_id: String,
    on_progress: Channel<BackupProgress>,
) -> IpcResult<Verification> {
    let progress = move |p: BackupProgress| {
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .backup_verify(&connection, request, &task_id, progress)
        .await)
}

/// Restores a tenant's backup over its live data (a guarded write).
#[tauri::command]
#[specta::specta]
pub async fn backup_restore(
    state: State<'_, AppState>,
    connection: String,
    request: RestoreRequest,
    task_id: String,
    on_progress: Channel<BackupProgress>,
) -> IpcResult<RestoreReport> {
    let progress = move |p: BackupProgress| {
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .backup_restore(&connection, request, &task_id, progress)
        .await)
}

/// Audits a tenant across the stores; progress per check on `on_progress`; cancel by `task_id`.
#[tauri::command]
#[specta::specta]
pub async fn audit_run(
    state: State<'_, AppState>,
    connection: String,
    tenant: String,
    task_id: String,
    on_progress: Channel<AuditProgress>,
) -> IpcResult<AuditReport> {
    let progress = move |p: AuditProgress| {
        let _ = on_progress.send(p);
    };
    ipc(state
        .core
        .audit_run(&connection, &tenant, &task_id, progress)
        .await)
}

/// Saves a kept audit report into the exports folder as JSON or self-contained HTML.
#[tauri::command]
#[specta::specta]
pub async fn audit_export(
    state: State<'_, AppState>,
    id: String,
    format: ReportFormat,
) -> IpcResult<SavedFile> {
    ipc(state.core.audit_export(&id, format).await)
}
