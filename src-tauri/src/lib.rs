//! The Tauri shell: state, command registration and startup. Every command is a short async
//! delegation to `storelens_core::Storelens` (see `commands.rs`); no logic lives here.

mod commands;

use std::sync::Arc;

use storelens_core::paths::Dirs;
use storelens_core::secrets::Keychain;
use storelens_core::Storelens;
use tauri_specta::{collect_commands, Builder};

/// What every command gets: the one core API and where the log goes.
pub struct AppState {
    pub core: Arc<Storelens>,
    pub log_file: String,
}

/// The typed command set; also used by the bindings test to export TypeScript.
pub fn specta_builder() -> Builder<tauri::Wry> {
    // One TypeScript type per DTO (not separate serialize/deserialize phases): the shapes agree.
    Builder::<tauri::Wry>::new()
        .disable_serde_phases()
        .commands(collect_commands![
            commands::app_info,
            commands::list_connections,
            commands::get_connection,
            commands::save_connection,
            commands::delete_connection,
            commands::check_health,
            commands::list_tenants,
            commands::get_tenant,
            commands::find,
            commands::tenant_footprint,
            commands::tenant_overview,
            commands::profile_summary,
            commands::tenant_rows,
            commands::export_rows,
            commands::cancel_task,
            commands::run_console,
            commands::event_history,
            commands::state_at,
            commands::state_diff,
            commands::compare_stores,
            commands::tenant_events,
            commands::tenant_state,
            commands::cache_scan,
            commands::cache_keys,
            commands::cache_value,
            commands::cache_audit,
            commands::cache_delete,
            commands::cache_monitor,
            commands::unlock_writes,
            commands::lock_writes,
            commands::write_access,
            commands::write_log,
            commands::graph_search,
            commands::graph_expand,
            commands::graph_path,
            commands::save_file,
            commands::backup_run,
            commands::backup_list,
            commands::backup_verify,
            commands::backup_restore,
            commands::audit_run,
            commands::audit_export,
        ])
}

pub fn run() {
    let dirs = match Dirs::from_env() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("storelens: {e}");
            std::process::exit(2);
        }
    };
    let (_log_guard, log_file) = match storelens_core::logging::init_file_logging(&dirs.logs) {
        Ok((guard, path)) => (Some(guard), path.display().to_string()),
        Err(e) => {
            eprintln!("storelens: logging disabled: {e}");
            (None, String::new())
        }
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        "storelens app starting"
    );
    let state = AppState {
        core: Arc::new(Storelens::new(dirs, Arc::new(Keychain))),
        log_file,
    };
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the app stopped with an error");
        eprintln!("storelens: {e}");
        std::process::exit(1);
    }
}
