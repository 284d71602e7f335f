//! A tenant's footprint in each store.

use crate::error::{Error, Result};
use crate::footprint::{self, TenantFootprint};
use crate::overview::{self, OverviewProgress, TenantOverview};

use super::tenants::tenant_of;
use super::Storelens;

impl Storelens {
    /// Rows, events, nodes, keys and objects of one tenant (by id or slug). The tenant is looked
    /// up in PostgreSQL first (its id, slug and tier fill every other pattern); after that each
    /// store's part is measured on its own, and a store that fails only fails its part.
    #[tracing::instrument(skip(self), err)]
    pub async fn tenant_footprint(
        &self,
        connection: &str,
        tenant: &str,
        exact: bool,
    ) -> Result<TenantFootprint> {
        let platform = self.platform(connection).await?;
        let tenant = tenant_of(&platform, tenant).await?;
        Ok(footprint::measure(&platform, tenant, exact).await)
    }
}

impl Storelens {
    /// Every tenant's totals in every store, each store read once (see [`overview`]). Runs as
    /// task `task_id`; `progress` hears each store as it finishes.
    #[tracing::instrument(skip(self, progress), err)]
    pub async fn tenant_overview(
        &self,
        connection: &str,
        exact: bool,
        task_id: &str,
        progress: impl Fn(OverviewProgress) + Send + Sync + 'static,
    ) -> Result<TenantOverview> {
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let token = task.token().clone();
        // A task of its own: it owns everything it uses, so the shells' futures stay `Send`
        // however deep the stores' futures are, and the work goes on on another worker.
        tokio::spawn(async move { overview::measure(&platform, exact, &token, &progress).await })
            .await
            .map_err(|e| Error::Internal(format!("overview worker failed: {e}")))?
    }
}
