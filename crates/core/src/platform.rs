//! An opened connection: the profile plus one shared handle per configured store. Handles are
//! built without connecting, so a store that is down never delays the others; each call has its
//! own timeout.

use std::sync::Arc;
use std::time::Duration;

use crate::connection::ConnectionDraft;
use crate::error::{Error, Result, StoreKind};
use crate::profile::Profile;
use crate::secrets::SecretStore;
use crate::stores::{graph::Graph, objects::Objects, postgres::Postgres, redis::Redis};
use crate::tenant_space::{TenantPools, TenantSpace};
use crate::tenants::Tenant;

/// How long one store call may take before it counts as down.
pub fn default_timeout() -> Duration {
    let millis = std::env::var("STORELENS_STORE_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(5_000);
    Duration::from_millis(millis)
}

#[derive(Debug)]
pub struct Platform {
    pub connection: ConnectionDraft,
    pub profile: Arc<Profile>,
    pub timeout: Duration,
    /// Each store opens on its own: a bad URL for one leaves the others usable.
    pub postgres: Option<Result<Postgres>>,
    pub graph: Option<Result<Graph>>,
    pub redis: Option<Result<Redis>>,
    pub objects: Option<Result<Objects>>,
    /// The scratch graph database and Redis index that backup verification restores into.
    pub graph_scratch: Option<Result<Graph>>,
    pub redis_scratch: Option<Result<Redis>>,
    /// Pools of database-tier tenants, opened on first use.
    pub tenant_pools: TenantPools,
}

impl Platform {
    /// Reads the keychain (blocking: call from `spawn_blocking`) and builds the handles.
    pub fn open(
        connection: ConnectionDraft,
        secrets: &dyn SecretStore,
        timeout: Duration,
    ) -> Result<Self> {
        let profile = Arc::new(connection.load_profile()?);
        let name = connection.name.clone();
        let ro = connection.read_only;
        let secret = |store: StoreKind| secrets.get(&name, store);
        let postgres = connection.postgres.as_ref().map(|ep| {
            secret(StoreKind::Postgres)
                .and_then(|pw| Postgres::open(ep, pw.as_deref(), ro, timeout))
        });
        let graph_db = profile
            .graph
            .as_ref()
            .map(|g| g.database.clone())
            .unwrap_or_default();
        let graph = connection.graph.as_ref().map(|ep| {
            secret(StoreKind::Graph)
                .and_then(|pw| Graph::open(ep, pw.as_deref(), &graph_db, ro, timeout))
        });
        let graph_scratch = connection.graph.as_ref().and_then(|ep| {
            let db = ep.scratch_database.clone()?;
            let scratch = crate::connection::GraphEndpoint {
                database: Some(db),
                ..ep.clone()
            };
            Some(
                secret(StoreKind::Graph)
                    .and_then(|pw| Graph::open(&scratch, pw.as_deref(), "", ro, timeout)),
            )
        });
        let redis_scratch = connection.redis.as_ref().and_then(|ep| {
            let db = ep.scratch_db?;
            Some(
                secret(StoreKind::Redis)
                    .and_then(|pw| Redis::open_db(ep, pw.as_deref(), ro, timeout, Some(db))),
            )
        });
        let redis = connection.redis.as_ref().map(|ep| {
            secret(StoreKind::Redis).and_then(|pw| Redis::open(ep, pw.as_deref(), ro, timeout))
        });
        let objects = connection.objects.as_ref().map(|ep| {
            secret(StoreKind::Objects).and_then(|pw| Objects::open(ep, pw.as_deref(), ro, timeout))
        });
        Ok(Self {
            connection,
            profile,
            timeout,
            postgres,
            graph,
            redis,
            objects,
            graph_scratch,
            redis_scratch,
            tenant_pools: TenantPools::default(),
        })
    }

    pub fn name(&self) -> &str {
        &self.connection.name
    }

    /// Where a tenant's tables are: its schema, its own database, or shared rows.
    pub fn tenant_space(&self, tenant: &Tenant) -> Result<TenantSpace> {
        self.tenant_pools.space(self.postgres()?, tenant)
    }

    /// The PostgreSQL handle, or why there is none.
    pub fn postgres(&self) -> Result<&Postgres> {
        usable(&self.postgres, StoreKind::Postgres, self.name())
    }

    pub fn graph(&self) -> Result<&Graph> {
        usable(&self.graph, StoreKind::Graph, self.name())
    }

    pub fn redis(&self) -> Result<&Redis> {
        usable(&self.redis, StoreKind::Redis, self.name())
    }

    pub fn objects(&self) -> Result<&Objects> {
        usable(&self.objects, StoreKind::Objects, self.name())
    }

    /// The scratch graph database backup verification restores into.
    pub fn graph_scratch(&self) -> Result<&Graph> {
        if self.graph_scratch.is_none() {
            return Err(Error::Config(format!(
                "connection {:?} names no scratch graph database to restore into",
                self.name()
            )));
        }
        usable(&self.graph_scratch, StoreKind::Graph, self.name())
    }

    /// The scratch Redis database index backup verification restores into.
    pub fn redis_scratch(&self) -> Result<&Redis> {
        if self.redis_scratch.is_none() {
            return Err(Error::Config(format!(
                "connection {:?} names no scratch Redis database index to restore into",
                self.name()
            )));
        }
        usable(&self.redis_scratch, StoreKind::Redis, self.name())
    }
}

fn usable<'a, T>(slot: &'a Option<Result<T>>, store: StoreKind, connection: &str) -> Result<&'a T> {
    match slot {
        Some(Ok(handle)) => Ok(handle),
        Some(Err(e)) => Err(Error::Config(format!(
            "{store} of connection {connection:?} cannot be used: {e}"
        ))),
        None => Err(Error::NotFound(format!(
            "connection {connection:?} has no {store} configured"
        ))),
    }
}
