//! Where the sandbox's servers are, read from the `STORELENS_*` environment variables that
//! `scripts/stack env` prints.

use anyhow::{anyhow, Context, Result};

/// Connection details of the four sandbox stores.
#[derive(Clone)]
pub struct SandboxTargets {
    /// PostgreSQL URL of the main sandbox database (`storelens_sandbox`), superuser.
    pub pg_url: String,
    /// One URL for a single Redis; every seed node in cluster mode.
    pub redis_urls: Vec<String>,
    pub redis_cluster: bool,
    pub bolt_url: String,
    pub bolt_user: String,
    pub bolt_password: String,
    /// Bolt database name; empty uses the server's default.
    pub bolt_database: String,
    /// ArcadeDB's HTTP API (`STORELENS_ARCADEDB_HTTP`), if the Bolt server is ArcadeDB: used only
    /// to empty the graph, which is about 5x faster there than the same Cypher over Bolt.
    pub arcadedb_http: Option<String>,
    pub s3_endpoint: String,
    pub s3_region: String,
    pub s3_bucket: String,
    pub s3_access_key: String,
    pub s3_secret_key: String,
}

impl std::fmt::Debug for SandboxTargets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxTargets")
            .field("pg_url", &redact(&self.pg_url))
            .field(
                "redis_urls",
                &self
                    .redis_urls
                    .iter()
                    .map(|u| redact(u))
                    .collect::<Vec<_>>(),
            )
            .field("redis_cluster", &self.redis_cluster)
            .field("bolt_url", &self.bolt_url)
            .field("bolt_user", &self.bolt_user)
            .field("bolt_database", &self.bolt_database)
            .field("arcadedb_http", &self.arcadedb_http)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_region", &self.s3_region)
            .field("s3_bucket", &self.s3_bucket)
            .finish_non_exhaustive()
    }
}

/// A URL with its password replaced by `***`.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

fn var(name: &str) -> Result<String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
        _ => Err(anyhow!(
            "environment variable {name} is not set (run `eval \"$(scripts/stack env)\"` first)"
        )),
    }
}

fn opt_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

impl SandboxTargets {
    /// Reads STORELENS_PG_URL, STORELENS_REDIS_URL (comma-separated seeds when
    /// STORELENS_REDIS_CLUSTER=1), STORELENS_BOLT_URL/_USER/_PASSWORD (optional
    /// STORELENS_BOLT_DATABASE and STORELENS_ARCADEDB_HTTP), STORELENS_S3_ENDPOINT/_BUCKET/
    /// _ACCESS_KEY/_SECRET_KEY/_REGION.
    pub fn from_env() -> Result<Self> {
        let redis_cluster = matches!(
            opt_var("STORELENS_REDIS_CLUSTER").as_deref(),
            Some("1" | "true" | "yes" | "on")
        );
        let redis_urls: Vec<String> = var("STORELENS_REDIS_URL")?
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let t = SandboxTargets {
            pg_url: var("STORELENS_PG_URL")?,
            redis_urls,
            redis_cluster,
            bolt_url: var("STORELENS_BOLT_URL")?,
            bolt_user: var("STORELENS_BOLT_USER")?,
            bolt_password: var("STORELENS_BOLT_PASSWORD")?,
            bolt_database: opt_var("STORELENS_BOLT_DATABASE").unwrap_or_default(),
            arcadedb_http: opt_var("STORELENS_ARCADEDB_HTTP"),
            s3_endpoint: var("STORELENS_S3_ENDPOINT")?,
            s3_region: opt_var("STORELENS_S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
            s3_bucket: var("STORELENS_S3_BUCKET")?,
            s3_access_key: var("STORELENS_S3_ACCESS_KEY")?,
            s3_secret_key: var("STORELENS_S3_SECRET_KEY")?,
        };
        url::Url::parse(&t.pg_url).context("STORELENS_PG_URL is not a URL")?;
        Ok(t)
    }

    /// `host:port` of the PostgreSQL server, as recorded in `tenant_shards.database_host`.
    pub fn pg_host_port(&self) -> Result<String> {
        let u = url::Url::parse(&self.pg_url).context("STORELENS_PG_URL is not a URL")?;
        let host = u.host_str().unwrap_or("127.0.0.1");
        Ok(format!("{host}:{}", u.port().unwrap_or(5432)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:1/db"),
            "postgres://u:***@h:1/db"
        );
        assert_eq!(redact("redis://127.0.0.1:1"), "redis://127.0.0.1:1");
    }
}
