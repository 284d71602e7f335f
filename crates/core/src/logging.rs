//! Logs go to a daily file in the data dir through `tracing`. Nothing logs a secret: secrets
//! are never in a struct that derives `Debug` without redaction, and URLs are redacted.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, EnvFilter};

use crate::error::{Error, Result};

pub const LOG_FILE_PREFIX: &str = "storelens.log";

/// Installs the global subscriber writing to `<logs>/storelens.log.<date>`. Keep the guard alive
/// for the life of the process so buffered lines are flushed.
pub fn init_file_logging(logs: &Path) -> Result<(WorkerGuard, PathBuf)> {
    std::fs::create_dir_all(logs)
        .map_err(|e| Error::Config(format!("cannot create log dir {}: {e}", logs.display())))?;
    let appender = tracing_appender::rolling::daily(logs, LOG_FILE_PREFIX);
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("STORELENS_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,neo4rs=warn"));
    fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok();
    let today = chrono::Utc::now().format("%Y-%m-%d");
    Ok((guard, logs.join(format!("{LOG_FILE_PREFIX}.{today}"))))
}
