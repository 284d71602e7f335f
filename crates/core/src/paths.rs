//! Where Storelens keeps its files: config (connections, no secrets), data (audit log), logs,
//! and where exports go (the user's Downloads folder).
//!
//! The OS directories by default; `STORELENS_CONFIG_DIR`, `STORELENS_DATA_DIR`,
//! `STORELENS_LOG_DIR` and `STORELENS_EXPORT_DIR` override them (tests and throwaway sessions).

use std::path::PathBuf;

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
    pub logs: PathBuf,
    pub exports: PathBuf,
}

impl Dirs {
    pub fn from_env() -> Result<Self> {
        let project = directories::ProjectDirs::from("dev", "storelens", "storelens");
        let pick = |var: &str, default: Option<PathBuf>| -> Result<PathBuf> {
            match std::env::var_os(var) {
                Some(v) if !v.is_empty() => Ok(PathBuf::from(v)),
                _ => default
                    .ok_or_else(|| Error::Config(format!("no home directory found; set {var}"))),
            }
        };
        let config = pick(
            "STORELENS_CONFIG_DIR",
            project.as_ref().map(|p| p.config_dir().to_owned()),
        )?;
        let data = pick(
            "STORELENS_DATA_DIR",
            project.as_ref().map(|p| p.data_dir().to_owned()),
        )?;
        let logs = pick("STORELENS_LOG_DIR", Some(data.join("logs")))?;
        let downloads = directories::UserDirs::new()
            .and_then(|u| u.download_dir().map(|d| d.join("storelens")));
        let exports = pick(
            "STORELENS_EXPORT_DIR",
            Some(downloads.unwrap_or_else(|| data.join("exports"))),
        )?;
        Ok(Self {
            config,
            data,
            logs,
            exports,
        })
    }

    /// All three under one root; for tests.
    pub fn under(root: &std::path::Path) -> Self {
        Self {
            config: root.join("config"),
            data: root.join("data"),
            logs: root.join("logs"),
            exports: root.join("exports"),
        }
    }

    pub fn connections_file(&self) -> PathBuf {
        self.config.join("connections.toml")
    }
}
