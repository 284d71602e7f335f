//! The ids of a tenant's rows, per entity table, read once (ids only, streamed) and shared by
//! the checks that compare rows with the log, the graph and the objects.

use std::collections::HashSet;

use futures::TryStreamExt;
use tokio_util::sync::CancellationToken;

use crate::cache::audit::normalize_id;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::profile::EntitySpec;
use crate::stores::postgres::map_error;
use crate::tenant_space::TenantSpace;
use crate::tenants::Tenant;

/// Per entity of the profile, in its order: the ids, or why they could not be read.
pub(crate) struct RowIds(Vec<std::result::Result<HashSet<String>, String>>);

impl RowIds {
    pub async fn read(platform: &Platform, tenant: &Tenant, cancel: &CancellationToken) -> Self {
        let space = match platform.tenant_space(tenant) {
            Ok(s) => s,
            Err(e) => {
                let why = e.to_string();
                return Self(
                    platform
                        .profile
                        .entities
                        .iter()
                        .map(|_| Err(why.clone()))
                        .collect(),
                );
            }
        };
        let mut out = Vec::new();
        for entity in &platform.profile.entities {
            if cancel.is_cancelled() {
                out.push(Err("cancelled".into()));
                continue;
            }
            out.push(ids(&space, entity).await.map_err(|e| e.to_string()));
        }
        Self(out)
    }

    /// The ids of entity `i`.
    pub fn of(&self, i: usize) -> Result<&HashSet<String>> {
        match self.0.get(i) {
            Some(Ok(ids)) => Ok(ids),
            Some(Err(why)) => Err(Error::unavailable(
                StoreKind::Postgres,
                format!("the row ids could not be read: {why}"),
            )),
            None => Err(Error::Internal(format!("no entity {i}"))),
        }
    }

    /// Every entity's ids, in profile order.
    pub fn all(&self) -> Result<Vec<&HashSet<String>>> {
        (0..self.0.len()).map(|i| self.of(i)).collect()
    }
}

/// The tenant's ids of one entity table, normalized as the other checks spell them.
async fn ids(space: &TenantSpace, entity: &EntitySpec) -> Result<HashSet<String>> {
    let sql = format!(
        "select x.{}::text from {} x where true{}",
        entity.id_column.pg(),
        space.table(&entity.table),
        space.and_tenant("x.", 1)
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    if let Some((_, tenant_id)) = &space.row_filter {
        q = q.bind(tenant_id);
    }
    let mut rows = q.fetch(space.postgres.pool());
    let mut out = HashSet::new();
    while let Some(id) = rows.try_next().await.map_err(map_error)? {
        out.insert(normalize_id(&id));
    }
    Ok(out)
}
