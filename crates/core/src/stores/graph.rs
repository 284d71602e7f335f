//! The graph over Bolt (neo4rs). Reads run in Bolt READ access mode (`mode: "r"`), so a
//! cluster routes them to readers and a server that enforces access modes refuses writes.

use std::time::Duration;

use neo4rs::{query, ConfigBuilder, Graph as BoltGraph};

use super::Probe;
use crate::connection::GraphEndpoint;
use crate::error::{chain, redact, Error, Result, StoreKind};

const STORE: StoreKind = StoreKind::Graph;

#[derive(Clone)]
pub struct Graph {
    bolt: BoltGraph,
    read_only: bool,
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph")
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl Graph {
    /// Builds the pool; no connection is made until the first query.
    pub fn open(
        endpoint: &GraphEndpoint,
        password: Option<&str>,
        profile_database: &str,
        read_only: bool,
        timeout: Duration,
    ) -> Result<Self> {
        let mut config = ConfigBuilder::default()
            .uri(endpoint.url.as_str())
            .user(endpoint.user.as_str())
            .password(password.unwrap_or_default())
            .fetch_size(1000)
            .max_connections(8)
            .connection_timeout(timeout);
        let database = endpoint
            .database
            .as_deref()
            .filter(|d| !d.is_empty())
            .or(Some(profile_database).filter(|d| !d.is_empty()));
        if let Some(db) = database {
            config = config.db(db);
        }
        let config = config.build().map_err(|e| {
            Error::InvalidInput(format!("Bolt configuration: {}", redact(&e.to_string())))
        })?;
        let bolt = BoltGraph::connect(config).map_err(map_error)?;
        Ok(Self { bolt, read_only })
    }

    pub fn bolt(&self) -> &BoltGraph {
        &self.bolt
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `RETURN 1` in READ mode (a wrong password only shows at the first query), then asks
    /// for the server version where the server offers `dbms.components()`.
    pub async fn probe(&self) -> Result<Probe> {
        let mut rows = self
            .bolt
            .execute_read(query("RETURN 1 AS ok"))
            .await
            .map_err(map_error)?;
        let row = rows
            .next()
            .await
            .map_err(map_error)?
            .ok_or_else(|| Error::query(STORE, "RETURN 1 gave no row"))?;
        let one: i64 = row.get("ok").map_err(|e| Error::query(STORE, e))?;
        if one != 1 {
            return Err(Error::query(STORE, format!("RETURN 1 gave {one}")));
        }
        Ok(Probe {
            version: self.version().await,
            server_read_only: None,
        })
    }

    async fn version(&self) -> Option<String> {
        let q = query("CALL dbms.components() YIELD name, versions RETURN name, versions");
        let mut rows = self.bolt.execute_read(q).await.ok()?;
        let row = rows.next().await.ok()??;
        let name: String = row.get("name").ok()?;
        let versions: Vec<String> = row.get("versions").ok()?;
        Some(format!("{name} {}", versions.join(", ")))
    }
}

pub fn map_error(e: neo4rs::Error) -> Error {
    use neo4rs::Error as E;
    match &e {
        E::AuthenticationError(m) => Error::Auth {
            store: STORE,
            message: redact(m),
        },
        E::Neo4j(n) if n.code().contains("Security") => Error::Auth {
            store: STORE,
            message: redact(n.message()),
        },
        E::Neo4j(n) if n.code().contains("AccessMode") || n.code().contains("Forbidden") => {
            Error::ReadOnly(format!("the graph refused a write: {}", n.message()))
        }
        E::IOError { .. }
        | E::ConnectionError
        | E::ServerUnavailableError(_)
        | E::ProtocolMismatch(_)
        | E::UnsupportedVersion(..) => Error::unavailable(STORE, chain(&e)),
        E::UrlParseError(_) | E::UnsupportedScheme(_) | E::InvalidDnsName(_) | E::InvalidConfig => {
            Error::InvalidInput(format!("Bolt URL: {}", redact(&e.to_string())))
        }
        _ => Error::query(STORE, chain(&e)),
    }
}
