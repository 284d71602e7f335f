//! A tenant's footprint in each store.

use crate::error::{Result, StoreKind};
use crate::footprint::{self, TenantFootprint};
use crate::stores::with_timeout;
use crate::tenants;

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
        let pg = platform.postgres()?;
        let tenant = with_timeout(
            StoreKind::Postgres,
            platform.timeout,
            tenants::get(pg, &platform.profile, tenant),
        )
        .await?;
        Ok(footprint::measure(&platform, tenant, exact).await)
    }
}
