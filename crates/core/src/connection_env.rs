//! A connection described by `STORELENS_*` environment variables, as `scripts/stack env` prints
//! them. Used by `storelens connections add --from-env` and by the integration tests.

use crate::connection::{
    ConnectionDraft, GraphEndpoint, ObjectsEndpoint, PostgresEndpoint, RedisEndpoint, SecretsInput,
    TlsMode,
};
use crate::error::{Error, Result};

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn need(name: &str) -> Result<String> {
    var(name).ok_or_else(|| Error::Config(format!("{name} is not set (see `scripts/stack env`)")))
}

/// Every store from the environment. Passwords inside URLs stay there: `normalize` moves them.
pub fn draft_from_env(
    name: &str,
    profile: &str,
    read_only: bool,
) -> Result<(ConnectionDraft, SecretsInput)> {
    let draft = ConnectionDraft {
        name: name.to_owned(),
        profile: profile.to_owned(),
        read_only,
        postgres: Some(PostgresEndpoint {
            url: need("STORELENS_PG_URL")?,
            tls: TlsMode::Prefer,
        }),
        graph: Some(GraphEndpoint {
            url: need("STORELENS_BOLT_URL")?,
            user: need("STORELENS_BOLT_USER")?,
            database: var("STORELENS_BOLT_DATABASE"),
            scratch_database: var("STORELENS_BOLT_SCRATCH_DATABASE"),
        }),
        redis: Some(RedisEndpoint {
            urls: need("STORELENS_REDIS_URL")?
                .split(',')
                .map(str::to_owned)
                .collect(),
            cluster: var("STORELENS_REDIS_CLUSTER").is_some_and(|v| v == "1" || v == "true"),
            username: None,
            scratch_db: var("STORELENS_REDIS_SCRATCH_DB")
                .map(|v| {
                    v.parse().map_err(|_| {
                        Error::Config(format!("STORELENS_REDIS_SCRATCH_DB {v:?} is not a number"))
                    })
                })
                .transpose()?,
        }),
        objects: Some(ObjectsEndpoint {
            endpoint: need("STORELENS_S3_ENDPOINT")?,
            region: var("STORELENS_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
            bucket: need("STORELENS_S3_BUCKET")?,
            access_key_id: need("STORELENS_S3_ACCESS_KEY")?,
        }),
    };
    let secrets = SecretsInput {
        graph: Some(need("STORELENS_BOLT_PASSWORD")?),
        objects: Some(need("STORELENS_S3_SECRET_KEY")?),
        ..SecretsInput::default()
    };
    Ok((draft, secrets))
}
