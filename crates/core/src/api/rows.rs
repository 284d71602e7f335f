//! A tenant's entity tables: pages and exports.

use std::path::PathBuf;

use crate::error::Result;
use crate::rows::export::{self, ExportFormat, ExportProgress, ExportSummary};
use crate::rows::{self, RowPage, RowQuery};

use super::tenants::tenant_of;
use super::Storelens;

impl Storelens {
    /// One keyset page of a tenant's entity table, filtered.
    #[tracing::instrument(skip(self), err)]
    pub async fn tenant_rows(
        &self,
        connection: &str,
        tenant: &str,
        query: RowQuery,
    ) -> Result<RowPage> {
        let platform = self.platform(connection).await?;
        let tenant = tenant_of(&platform, tenant).await?;
        let space = platform.tenant_space(&tenant)?;
        rows::page(&platform, space, &query).await
    }

    /// Every row matching `query` to a file: `dest`, or a new file in the exports folder. Runs
    /// as task `task_id` (cancel it with [`Storelens::cancel_task`]); `progress` hears the rows
    /// written after each page.
    #[tracing::instrument(skip(self, progress), err)]
    #[allow(clippy::too_many_arguments)] // one use case, one call
    pub async fn export_rows(
        &self,
        connection: &str,
        tenant: &str,
        query: RowQuery,
        format: ExportFormat,
        dest: Option<PathBuf>,
        task_id: &str,
        progress: &(dyn Fn(ExportProgress) + Send + Sync),
    ) -> Result<ExportSummary> {
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let tenant = tenant_of(&platform, tenant).await?;
        let space = platform.tenant_space(&tenant)?;
        let dest = dest.unwrap_or_else(|| {
            export::default_path(&self.dirs.exports, &tenant.slug, &query.entity, format)
        });
        let summary = export::export(
            &platform,
            space,
            &query,
            format,
            &dest,
            task.token(),
            progress,
        )
        .await?;
        tracing::info!(path = %summary.path, rows = summary.rows, "rows exported");
        Ok(summary)
    }

    /// Asks a running task to stop; false when no task has that id.
    pub fn cancel_task(&self, task_id: &str) -> bool {
        self.tasks.cancel(task_id)
    }
}
