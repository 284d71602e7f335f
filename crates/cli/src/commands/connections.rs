use std::process::ExitCode;

use clap::{Args, Subcommand};
use storelens_core::connection::{
    ConnectionDraft, GraphEndpoint, ObjectsEndpoint, PostgresEndpoint, RedisEndpoint, SecretsInput,
    TlsMode,
};
use storelens_core::connection_env::draft_from_env;
use storelens_core::{Error, Result, Storelens};

use crate::output::Output;

#[derive(Subcommand)]
pub enum ConnectionsCommand {
    /// List the named connections.
    List,
    /// Add (or with --replace, overwrite) a connection. Passwords found in URLs or in the
    /// *_PASSWORD / *_SECRET_KEY variables go to the OS keychain, never to the config file.
    Add(Box<AddArgs>),
    /// Check every store of a connection (same as `storelens health`).
    Test { name: Option<String> },
    /// Remove a connection and its keychain entries.
    Remove { name: String },
}

#[derive(Args)]
pub struct AddArgs {
    pub name: String,
    /// Take every endpoint from STORELENS_PG_URL, STORELENS_BOLT_URL, STORELENS_BOLT_USER,
    /// STORELENS_BOLT_PASSWORD, STORELENS_REDIS_URL (comma-separated), STORELENS_REDIS_CLUSTER,
    /// STORELENS_S3_ENDPOINT, STORELENS_S3_REGION, STORELENS_S3_BUCKET, STORELENS_S3_ACCESS_KEY,
    /// STORELENS_S3_SECRET_KEY, STORELENS_BOLT_SCRATCH_DATABASE, STORELENS_REDIS_SCRATCH_DB (as
    /// printed by `scripts/stack env`).
    #[arg(long)]
    pub from_env: bool,
    /// Overwrite a connection of the same name.
    #[arg(long)]
    pub replace: bool,
    /// `sandbox` (built in) or a path to a profile TOML file.
    #[arg(long, default_value = "sandbox")]
    pub profile: String,
    /// Allow writes (guarded operations still need an explicit unlock).
    #[arg(long)]
    pub read_write: bool,
    #[arg(long)]
    pub pg_url: Option<String>,
    #[arg(long, value_enum, default_value = "prefer")]
    pub pg_tls: TlsArg,
    #[arg(long)]
    pub bolt_url: Option<String>,
    #[arg(long)]
    pub bolt_user: Option<String>,
    #[arg(long)]
    pub bolt_database: Option<String>,
    /// An empty graph database that `backup verify --restore` restores into.
    #[arg(long)]
    pub bolt_scratch_database: Option<String>,
    /// Repeat for cluster seed nodes.
    #[arg(long)]
    pub redis_url: Vec<String>,
    #[arg(long)]
    pub redis_cluster: bool,
    /// An empty database index that `backup verify --restore` restores into.
    #[arg(long)]
    pub redis_scratch_db: Option<u32>,
    #[arg(long)]
    pub s3_endpoint: Option<String>,
    #[arg(long, default_value = "us-east-1")]
    pub s3_region: String,
    #[arg(long)]
    pub s3_bucket: Option<String>,
    #[arg(long)]
    pub s3_access_key: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum TlsArg {
    Disable,
    Prefer,
    Require,
}

pub async fn run(app: &Storelens, command: ConnectionsCommand, out: &Output) -> Result<ExitCode> {
    match command {
        ConnectionsCommand::List => {
            let list = app.list_connections()?;
            out.print(&list, |list| {
                if list.is_empty() {
                    return "no connections (add one with `storelens connections add`)".into();
                }
                list.iter()
                    .map(|c| {
                        let stores: Vec<&str> = c.stores.iter().map(|s| s.as_str()).collect();
                        let mode = if c.read_only {
                            "read-only"
                        } else {
                            "read-write"
                        };
                        format!(
                            "{:<20} {:<10} {:<10} {}",
                            c.name,
                            c.profile,
                            mode,
                            stores.join(",")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(ExitCode::SUCCESS)
        }
        ConnectionsCommand::Add(args) => {
            if !args.replace && app.list_connections()?.iter().any(|c| c.name == args.name) {
                return Err(Error::InvalidInput(format!(
                    "a connection named {:?} exists (use --replace to overwrite it)",
                    args.name
                )));
            }
            let (draft, secrets) = if args.from_env {
                from_env(&args)?
            } else {
                from_flags(&args)
            };
            let summary = app.save_connection(draft, secrets).await?;
            out.print(&summary, |s| {
                format!("saved connection {} ({} stores)", s.name, s.stores.len())
            });
            Ok(ExitCode::SUCCESS)
        }
        ConnectionsCommand::Test { name } => {
            let args = super::health::HealthArgs { connection: name };
            super::health::run(app, args, out).await
        }
        ConnectionsCommand::Remove { name } => {
            app.delete_connection(&name).await?;
            out.print(&serde_json::json!({ "removed": name }), |_| {
                format!("removed connection {name}")
            });
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn tls(arg: TlsArg) -> TlsMode {
    match arg {
        TlsArg::Disable => TlsMode::Disable,
        TlsArg::Prefer => TlsMode::Prefer,
        TlsArg::Require => TlsMode::Require,
    }
}

fn from_flags(a: &AddArgs) -> (ConnectionDraft, SecretsInput) {
    let draft = ConnectionDraft {
        name: a.name.clone(),
        profile: a.profile.clone(),
        read_only: !a.read_write,
        postgres: a.pg_url.clone().map(|url| PostgresEndpoint {
            url,
            tls: tls(a.pg_tls),
        }),
        graph: a.bolt_url.clone().map(|url| GraphEndpoint {
            url,
            user: a.bolt_user.clone().unwrap_or_else(|| "neo4j".into()),
            database: a.bolt_database.clone(),
            scratch_database: a.bolt_scratch_database.clone(),
        }),
        redis: (!a.redis_url.is_empty()).then(|| RedisEndpoint {
            urls: a.redis_url.clone(),
            cluster: a.redis_cluster,
            username: None,
            scratch_db: a.redis_scratch_db,
        }),
        objects: a.s3_endpoint.clone().map(|endpoint| ObjectsEndpoint {
            endpoint,
            region: a.s3_region.clone(),
            bucket: a.s3_bucket.clone().unwrap_or_default(),
            access_key_id: a.s3_access_key.clone().unwrap_or_default(),
        }),
    };
    let secrets = SecretsInput {
        graph: var("STORELENS_BOLT_PASSWORD"),
        objects: var("STORELENS_S3_SECRET_KEY"),
        ..SecretsInput::default()
    };
    (draft, secrets)
}

fn from_env(a: &AddArgs) -> Result<(ConnectionDraft, SecretsInput)> {
    let (mut draft, secrets) = draft_from_env(&a.name, &a.profile, !a.read_write)?;
    if let Some(pg) = &mut draft.postgres {
        pg.tls = tls(a.pg_tls);
    }
    Ok((draft, secrets))
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
