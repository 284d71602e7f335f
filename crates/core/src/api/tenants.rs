//! Tenant browsing: the list and one tenant.

use crate::error::{Result, StoreKind};
use crate::platform::Platform;
use crate::stores::with_timeout;
use crate::tenants::{self, Tenant, TenantPage, TenantQuery};

use super::Storelens;

impl Storelens {
    #[tracing::instrument(skip(self), err)]
    pub async fn list_tenants(&self, connection: &str, query: TenantQuery) -> Result<TenantPage> {
        let platform = self.platform(connection).await?;
        let pg = platform.postgres()?;
        with_timeout(
            StoreKind::Postgres,
            platform.timeout,
            tenants::list(pg, &platform.profile, &query),
        )
        .await
    }

    #[tracing::instrument(skip(self), err)]
    pub async fn get_tenant(&self, connection: &str, tenant: &str) -> Result<Tenant> {
        let platform = self.platform(connection).await?;
        tenant_of(&platform, tenant).await
    }
}

/// A tenant of an opened platform by id or slug; `not_found` when there is none.
pub(super) async fn tenant_of(platform: &Platform, tenant: &str) -> Result<Tenant> {
    with_timeout(
        StoreKind::Postgres,
        platform.timeout,
        tenants::get(platform.postgres()?, &platform.profile, tenant),
    )
    .await
}
