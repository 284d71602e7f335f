//! Health of every store of a connection, checked concurrently by a real query each, each with
//! its own timeout: one store down never delays or hides the others.

use std::future::Future;
use std::time::Instant;

use serde::Serialize;

use crate::error::{ErrorPayload, Result, StoreKind};
use crate::platform::Platform;
use crate::stores::{with_timeout, Probe};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StoreState {
    Up,
    Down,
    NotConfigured,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StoreHealth {
    pub store: StoreKind,
    pub state: StoreState,
    /// Host and port (never credentials).
    pub endpoint: Option<String>,
    pub latency_ms: Option<u32>,
    pub version: Option<String>,
    /// Storelens refuses writes to this store (and the server confirmed it, where it can).
    pub read_only: bool,
    pub error: Option<ErrorPayload>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    pub connection: String,
    pub checked_at: String,
    pub stores: Vec<StoreHealth>,
}

impl HealthReport {
    pub fn all_up(&self) -> bool {
        self.stores.iter().all(|s| s.state == StoreState::Up)
    }
}

#[tracing::instrument(skip(platform), fields(connection = platform.name()))]
pub async fn check(platform: &Platform) -> HealthReport {
    let stores = futures::future::join_all(StoreKind::ALL.map(|s| probe(platform, s))).await;
    HealthReport {
        connection: platform.name().to_owned(),
        checked_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        stores,
    }
}

/// One store's health, by a real query within the connection's timeout.
pub async fn probe(platform: &Platform, store: StoreKind) -> StoreHealth {
    let mut health = match store {
        StoreKind::Postgres => {
            probe_store(platform, store, platform.postgres.as_ref(), |s| s.probe()).await
        }
        StoreKind::Graph => {
            probe_store(platform, store, platform.graph.as_ref(), |s| s.probe()).await
        }
        StoreKind::Redis => {
            probe_store(platform, store, platform.redis.as_ref(), |s| s.probe()).await
        }
        StoreKind::Objects => {
            probe_store(platform, store, platform.objects.as_ref(), |s| s.probe()).await
        }
    };
    // A server that says it is writable overrides what we intended.
    health.read_only = health.read_only && platform.connection.read_only;
    health
}

async fn probe_store<'a, S, F, Fut>(
    platform: &'a Platform,
    store: StoreKind,
    handle: Option<&'a Result<S>>,
    probe: F,
) -> StoreHealth
where
    F: FnOnce(&'a S) -> Fut,
    Fut: Future<Output = Result<Probe>> + 'a,
{
    let endpoint = endpoint_of(platform, store);
    let mut health = StoreHealth {
        store,
        state: StoreState::NotConfigured,
        endpoint,
        latency_ms: None,
        version: None,
        read_only: platform.connection.read_only,
        error: None,
    };
    let Some(handle) = handle else { return health };
    let handle = match handle {
        Ok(h) => h,
        Err(e) => {
            health.state = StoreState::Down;
            health.error = Some(e.into());
            return health;
        }
    };
    let started = Instant::now();
    match with_timeout(store, platform.timeout, probe(handle)).await {
        Ok(p) => {
            health.state = StoreState::Up;
            health.latency_ms = Some(crate::tasks::elapsed_ms(started));
            health.version = p.version;
            if let Some(server_ro) = p.server_read_only {
                health.read_only = server_ro;
            }
        }
        Err(e) => {
            tracing::warn!(store = store.as_str(), error = %e, "store is down");
            health.state = StoreState::Down;
            health.error = Some((&e).into());
        }
    }
    health
}

/// `host:port` of a store, from its configured URL; credentials never appear.
fn endpoint_of(platform: &Platform, store: StoreKind) -> Option<String> {
    let c = &platform.connection;
    let url = match store {
        StoreKind::Postgres => c.postgres.as_ref().map(|p| p.url.clone()),
        StoreKind::Graph => c.graph.as_ref().map(|g| g.url.clone()),
        StoreKind::Redis => c.redis.as_ref().map(|r| r.urls.join(",")),
        StoreKind::Objects => c.objects.as_ref().map(|o| o.endpoint.clone()),
    }?;
    let hosts: Vec<String> = url
        .split(',')
        .filter_map(|u| url::Url::parse(u).ok())
        .map(|u| match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => String::new(),
        })
        .collect();
    Some(hosts.join(","))
}
