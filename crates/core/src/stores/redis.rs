//! Redis, single node or cluster, behind one clonable handle. A single node uses a lazily
//! connecting `ConnectionManager` (it reconnects by itself after an outage); a cluster connects
//! on first use and is kept once connected. Every command goes through `command`, which applies
//! the read-only allowlist first.

use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
use redis::{Cmd, IntoConnectionInfo, Pipeline, RedisFuture, Value};
use tokio::sync::OnceCell;

use super::redis_guard::check_read_only;
use super::Probe;
use crate::connection::RedisEndpoint;
use crate::error::{chain, redact, Error, Result, StoreKind};

const STORE: StoreKind = StoreKind::Redis;

/// A connection to either topology; cheap to clone and shared by every caller.
#[derive(Clone)]
pub enum RedisConn {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for RedisConn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Single(c) => c.req_packed_command(cmd),
            Self::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Single(c) => c.req_packed_commands(pipeline, offset, count),
            Self::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Single(c) => c.get_db(),
            Self::Cluster(c) => c.get_db(),
        }
    }
}

enum Topology {
    /// The client too: a monitor opens connections of its own (pub/sub, blocking reads).
    Single(ConnectionManager, redis::Client),
    Cluster(Box<ClusterTopology>),
}

struct ClusterTopology {
    client: ClusterClient,
    conn: OnceCell<ClusterConnection>,
    /// A seed node, for pub/sub (classic pub/sub messages reach every node of a cluster).
    seed: redis::Client,
}

pub struct Redis {
    topology: Topology,
    read_only: bool,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis")
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl Redis {
    pub fn open(
        endpoint: &RedisEndpoint,
        password: Option<&str>,
        read_only: bool,
        timeout: Duration,
    ) -> Result<Self> {
        Self::open_db(endpoint, password, read_only, timeout, None)
    }

    /// The same server with another database index (a single node: a cluster has only 0).
    pub fn open_db(
        endpoint: &RedisEndpoint,
        password: Option<&str>,
        read_only: bool,
        timeout: Duration,
        db: Option<u32>,
    ) -> Result<Self> {
        if db.is_some() && endpoint.cluster {
            return Err(Error::InvalidInput(
                "a Redis cluster has only database 0: there is no scratch database index".into(),
            ));
        }
        let infos = endpoint
            .urls
            .iter()
            .map(|url| {
                let mut info = url.as_str().into_connection_info().map_err(|e| {
                    Error::InvalidInput(format!("Redis URL {:?}: {e}", redact(url)))
                })?;
                let mut settings = info.redis_settings().clone();
                if let Some(pw) = password {
                    settings = settings.set_password(pw);
                }
                if let Some(user) = &endpoint.username {
                    settings = settings.set_username(user);
                }
                if let Some(db) = db {
                    settings = settings.set_db(i64::from(db));
                }
                info = info.set_redis_settings(settings);
                Ok(info)
            })
            .collect::<Result<Vec<_>>>()?;
        let seed = infos
            .first()
            .cloned()
            .ok_or_else(|| Error::InvalidInput("no Redis URL".into()))
            .and_then(|info| redis::Client::open(info).map_err(map_error))?;
        let topology = if endpoint.cluster {
            let client = ClusterClient::builder(infos)
                .connection_timeout(timeout)
                .response_timeout(timeout)
                .retries(1)
                .build()
                .map_err(|e| {
                    Error::InvalidInput(format!("Redis cluster: {}", redact(&e.to_string())))
                })?;
            Topology::Cluster(Box::new(ClusterTopology {
                client,
                conn: OnceCell::new(),
                seed,
            }))
        } else {
            let client = seed;
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(timeout))
                .set_response_timeout(Some(timeout))
                .set_number_of_retries(1)
                .set_max_delay(Duration::from_secs(2));
            Topology::Single(
                ConnectionManager::new_lazy_with_config(client.clone(), config)
                    .map_err(map_error)?,
                client,
            )
        };
        Ok(Self {
            topology,
            read_only,
        })
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    pub fn is_cluster(&self) -> bool {
        matches!(self.topology, Topology::Cluster(_))
    }

    /// The shared connection. A cluster that could not be reached is tried again next time.
    pub async fn conn(&self) -> Result<RedisConn> {
        match &self.topology {
            Topology::Single(m, _) => Ok(RedisConn::Single(m.clone())),
            Topology::Cluster(cluster) => {
                let c = cluster
                    .conn
                    .get_or_try_init(|| async {
                        cluster
                            .client
                            .get_async_connection()
                            .await
                            .map_err(map_error)
                    })
                    .await?;
                Ok(RedisConn::Cluster(c.clone()))
            }
        }
    }

    /// A connection of its own, for blocking reads (XREAD BLOCK) that must not hold up the
    /// shared one; `response_timeout` must exceed the longest BLOCK sent on it.
    pub async fn dedicated(&self, response_timeout: Duration) -> Result<RedisConn> {
        match &self.topology {
            Topology::Single(_, client) => {
                let config = ConnectionManagerConfig::new()
                    .set_number_of_retries(1)
                    .set_response_timeout(Some(response_timeout));
                ConnectionManager::new_with_config(client.clone(), config)
                    .await
                    .map(RedisConn::Single)
                    .map_err(map_error)
            }
            Topology::Cluster(c) => c
                .client
                .get_async_connection()
                .await
                .map(RedisConn::Cluster)
                .map_err(map_error),
        }
    }

    /// Subscribes to `channel` on a connection of its own.
    pub async fn subscribe(&self, channel: &[u8]) -> Result<redis::aio::PubSubStream> {
        let client = match &self.topology {
            Topology::Single(_, client) => client,
            Topology::Cluster(c) => &c.seed,
        };
        let mut pubsub = client.get_async_pubsub().await.map_err(map_error)?;
        pubsub.subscribe(channel).await.map_err(map_error)?;
        Ok(pubsub.into_on_message())
    }

    /// Sends one command on `conn` (e.g. a dedicated one) after the read-only check.
    pub async fn command_on(&self, conn: &mut RedisConn, args: &[&[u8]]) -> Result<Value> {
        send_on(conn, args, self.read_only).await
    }

    /// Sends one command after the read-only check. `args[0]` is the command name.
    pub async fn command(&self, args: &[&[u8]]) -> Result<Value> {
        // Refused before connecting: a write never waits for a connection to be refused.
        if self.read_only {
            check_read_only(args)?;
        }
        let mut conn = self.conn().await?;
        self.command_on(&mut conn, args).await
    }

    /// `MEMORY USAGE key SAMPLES 0` (every element of a collection counted); `None` for a key
    /// that no longer exists.
    pub async fn memory_usage(&self, key: &[u8]) -> Result<Option<u64>> {
        match self
            .command(&[b"MEMORY", b"USAGE", key, b"SAMPLES", b"0"])
            .await?
        {
            Value::Int(n) => Ok(Some(u64::try_from(n).unwrap_or(0))),
            Value::Nil => Ok(None),
            other => Err(Error::query(
                StoreKind::Redis,
                format!("MEMORY USAGE answered {other:?}"),
            )),
        }
    }

    /// The nodes a keyspace SCAN must visit: the single node, or every master of a cluster
    /// (from `CLUSTER NODES`; replicas hold the same keys and are skipped).
    pub async fn scan_nodes(&self) -> Result<Vec<ScanNode>> {
        if !self.is_cluster() {
            return Ok(vec![ScanNode(None)]);
        }
        let nodes = self.command(&[b"CLUSTER", b"NODES"]).await?;
        let text =
            first_text(&nodes).ok_or_else(|| Error::query(STORE, "CLUSTER NODES gave no text"))?;
        // Sorted: CLUSTER NODES lists nodes in the answering node's order, and page tokens
        // name a node by its place in this list.
        let mut masters = parse_cluster_masters(&text);
        masters.sort();
        if masters.is_empty() {
            return Err(Error::query(
                STORE,
                "CLUSTER NODES lists no reachable master",
            ));
        }
        Ok(masters.into_iter().map(|m| ScanNode(Some(m))).collect())
    }

    /// One `SCAN cursor MATCH pattern COUNT count` on `node`, after the read-only check.
    /// Returns the next cursor (0 when the node is done) and the keys of this page.
    pub async fn scan_page(
        &self,
        node: &ScanNode,
        cursor: u64,
        pattern: &[u8],
        count: u32,
    ) -> Result<(u64, Vec<Vec<u8>>)> {
        let cursor_text = cursor.to_string();
        let count_text = count.to_string();
        let args: [&[u8]; 6] = [
            b"SCAN",
            cursor_text.as_bytes(),
            b"MATCH",
            pattern,
            b"COUNT",
            count_text.as_bytes(),
        ];
        let value = self.node_command(node, &args).await?;
        redis::from_redis_value::<(u64, Vec<Vec<u8>>)>(value)
            .map_err(|e| Error::query(STORE, format!("SCAN answered in an unexpected shape: {e}")))
    }

    /// One command on one node (a cluster's master, or the single node), after the read-only
    /// check.
    pub async fn node_command(&self, node: &ScanNode, args: &[&[u8]]) -> Result<Value> {
        if self.read_only {
            check_read_only(args)?;
        }
        let Some((name, rest)) = args.split_first() else {
            return Err(Error::InvalidInput("an empty Redis command".into()));
        };
        let mut cmd = redis::cmd(&String::from_utf8_lossy(name));
        for a in rest {
            cmd.arg(*a);
        }
        Ok(match (self.conn().await?, &node.0) {
            (RedisConn::Cluster(mut c), Some((host, port))) => {
                let routing = RoutingInfo::SingleNode(SingleNodeRoutingInfo::ByAddress {
                    host: host.clone(),
                    port: *port,
                });
                c.route_command(cmd, routing).await.map_err(map_error)?
            }
            (mut conn, _) => cmd
                .query_async::<Value>(&mut conn)
                .await
                .map_err(map_error)?,
        })
    }

    /// PING, then INFO server for the version.
    pub async fn probe(&self) -> Result<Probe> {
        match self.command(&[b"PING"]).await? {
            Value::SimpleString(s) if s == "PONG" => {}
            other => return Err(Error::query(STORE, format!("PING answered {other:?}"))),
        }
        let info = self.command(&[b"INFO", b"server"]).await?;
        let version = first_text(&info).and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("redis_version:"))
                .map(|v| format!("Redis {}", v.trim()))
        });
        let version = match (&version, self.is_cluster()) {
            (Some(v), true) => Some(format!("{v} (cluster)")),
            _ => version,
        };
        Ok(Probe {
            version,
            server_read_only: None,
        })
    }
}

/// Sends one command on `conn`, after the allowlist when `read_only`. For tasks that own a
/// dedicated connection (and so cannot borrow the [`Redis`]).
pub async fn send_on(conn: &mut RedisConn, args: &[&[u8]], read_only: bool) -> Result<Value> {
    if read_only {
        check_read_only(args)?;
    }
    let (name, rest) = args
        .split_first()
        .ok_or_else(|| Error::InvalidInput("empty Redis command".into()))?;
    let mut cmd = redis::cmd(&String::from_utf8_lossy(name));
    for a in rest {
        cmd.arg(*a);
    }
    cmd.query_async(conn).await.map_err(map_error)
}

/// A node a SCAN runs on: `None` for a single node, a master's `host:port` in a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanNode(pub Option<(String, u16)>);

impl std::fmt::Display for ScanNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some((host, port)) => write!(f, "{host}:{port}"),
            None => f.write_str("single node"),
        }
    }
}

/// The masters of `CLUSTER NODES` that serve slots and are not failing, as `(host, port)`.
/// A line is `id host:port@cport[,hostname] flags master ping pong epoch link slot...`.
fn parse_cluster_masters(text: &str) -> Vec<(String, u16)> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let flags = fields.get(2)?;
            let serving = flags.split(',').any(|f| f == "master")
                && !flags.contains("fail")
                && fields.len() > 8;
            if !serving {
                return None;
            }
            let address = fields.get(1)?.split(['@', ',']).next()?;
            let (host, port) = address.rsplit_once(':')?;
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() {
                return None;
            }
            Some((host.to_owned(), port.parse().ok()?))
        })
        .collect()
}

/// INFO answers with text on a single node and with a map of node -> text from a cluster.
fn first_text(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::VerbatimString { text, .. } => Some(text.clone()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Map(pairs) => pairs.iter().find_map(|(_, v)| first_text(v)),
        Value::Array(items) => items.iter().find_map(first_text),
        _ => None,
    }
}

pub fn map_error(e: redis::RedisError) -> Error {
    let text = redact(&chain(&e));
    if e.kind() == redis::ErrorKind::AuthenticationFailed
        || text.contains("WRONGPASS")
        || text.contains("NOAUTH")
    {
        Error::Auth {
            store: STORE,
            message: text,
        }
    } else if e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
    {
        Error::Unavailable {
            store: STORE,
            message: text,
        }
    } else {
        Error::Query {
            store: STORE,
            message: text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(nodes: &str, expect: &[(&str, u16)]) {
        let got = parse_cluster_masters(nodes);
        let got: Vec<(&str, u16)> = got.iter().map(|(h, p)| (h.as_str(), *p)).collect();
        assert_eq!(got, expect, "{nodes}");
    }

    #[test]
    fn finds_the_serving_masters_of_a_cluster() {
        check(
            "a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460\n\
             b2 127.0.0.1:7001@17001,node-b master - 0 1 2 connected 5461-10922\n\
             c3 127.0.0.1:7003@17003 slave a1 0 1 1 connected\n\
             d4 127.0.0.1:7002@17002 master,fail - 0 1 3 disconnected 10923-16383\n\
             e5 :0@0 master,noaddr - 0 0 0 disconnected\n\
             f6 ::1:7004@17004 master - 0 1 4 connected 10923-16383",
            &[("127.0.0.1", 7000), ("127.0.0.1", 7001), ("::1", 7004)],
        );
        check("", &[]);
    }
}
