//! The tenant audit: run every check on a tenant; export a report (the last few are kept) as
//! JSON or as a self-contained HTML file.

use std::sync::Arc;

use serde::Deserialize;

use crate::audit::{self, AuditProgress, AuditReport};
use crate::error::{Error, Result};

use super::exports::{SaveFileRequest, SavedFile};
use super::tenants::tenant_of;
use super::Storelens;

/// Reports kept for export.
const KEPT_REPORTS: usize = 16;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Json,
    Html,
}

impl Storelens {
    /// Audits a tenant across the stores (task `task_id`, progress per check).
    #[tracing::instrument(skip(self, progress), err)]
    pub async fn audit_run(
        &self,
        connection: &str,
        tenant: &str,
        task_id: &str,
        progress: impl Fn(AuditProgress) + Send + Sync + 'static,
    ) -> Result<AuditReport> {
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let tenant = tenant_of(&platform, tenant).await?;
        let backups = self.dirs.data.join("backups");
        let token = task.token().clone();
        // Its own task: it owns what it uses, and a long audit stays off the IPC worker.
        let report = tokio::spawn(async move {
            audit::audit(&platform, &tenant, backups, &token, &progress).await
        })
        .await
        .map_err(|e| Error::Internal(format!("the audit task failed: {e}")))??;
        drop(task);
        let mut kept = self
            .audits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.push_back(Arc::new(report.clone()));
        while kept.len() > KEPT_REPORTS {
            kept.pop_front();
        }
        Ok(report)
    }

    /// A kept report as a file in the exports folder.
    #[tracing::instrument(skip(self), err)]
    pub async fn audit_export(&self, id: &str, format: ReportFormat) -> Result<SavedFile> {
        let report = self
            .audits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|r| r.id == id)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("no audit report {id}: run the audit again")))?;
        let (text, extension) = render(&report, format)?;
        self.save_file(SaveFileRequest {
            file_name: format!(
                "audit-{}.{extension}",
                crate::rows::export::safe_name(&report.id)
            ),
            text: Some(text),
            base64: None,
        })
        .await
    }
}

/// The report as text in `format`, with its file extension.
pub fn render(report: &AuditReport, format: ReportFormat) -> Result<(String, &'static str)> {
    Ok(match format {
        ReportFormat::Json => (
            serde_json::to_string_pretty(report)
                .map_err(|e| Error::Internal(format!("encoding the report: {e}")))?,
            "json",
        ),
        ReportFormat::Html => (audit::html::render(report), "html"),
    })
}
