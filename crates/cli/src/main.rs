//! `storelens`: every Storelens capability from a shell, for incident runbooks and tests.
//! Human output by default, `--json` for scripts. Exit codes: 0 ok, 1 a check found a problem
//! (e.g. a store down), 2 an error (printed as `{code, message}` with `--json`).

mod commands;
mod output;

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use storelens_core::paths::Dirs;
use storelens_core::secrets::{EnvThen, Keychain};
use storelens_core::Storelens;

#[derive(Parser)]
#[command(
    name = "storelens",
    version,
    about = "Storelens: one tenant across PostgreSQL, the graph, Redis and S3"
)]
struct Cli {
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
enum Command {
    /// Manage named connections (secrets go to the OS keychain).
    #[command(subcommand)]
    Connections(commands::connections::ConnectionsCommand),
    /// Check every store of a connection with a real query.
    Health(commands::health::HealthArgs),
    /// Tenants of a connection's platform.
    Tenants {
        /// The connection; defaults to `sandbox`, or the only connection there is.
        #[arg(long, short)]
        connection: Option<String>,
        #[command(subcommand)]
        command: commands::tenants::TenantsCommand,
    },
    /// Everything that refers to an entity id, a cache key or an object key, in every store.
    Find(commands::find::FindArgs),
    /// An aggregate's event log folded into its state at any point (time travel).
    #[command(subcommand)]
    Events(commands::events::EventsCommand),
    /// The cache: namespace tree, keys, values, and a tenant's cache audit.
    #[command(subcommand)]
    Cache(commands::cache::CacheCommand),
    /// Backups of a tenant across every store or of a whole store: run, list, verify, restore.
    #[command(subcommand)]
    Backup(commands::backup::BackupCommand),
    /// Audit a tenant across every store: one report of everything wrong with it. Exit code 1
    /// when a finding at or above --fail-on exists.
    Audit(commands::audit::AuditArgs),
    /// The graph: a tenant's nodes, their neighbourhood, and paths between them.
    #[command(subcommand)]
    Graph(commands::graph::GraphCommand),
    /// The log of every write Storelens made (hash-chained): its entries and whether it is intact.
    /// Exit code 1 when the chain is broken.
    WriteLog,
    /// A read-only SQL, Cypher or Redis statement, in a tenant's space.
    Query(commands::query::QueryArgs),
    /// The sandbox platform (demo and tests).
    #[command(subcommand)]
    Sandbox(commands::sandbox::SandboxCommand),
}

fn main() -> ExitCode {
    storelens_core::memory::fix_malloc_thresholds();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("storelens: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    let out = output::Output { json: cli.json };
    let dirs = match Dirs::from_env() {
        Ok(d) => d,
        Err(e) => return out.error(&e),
    };
    let _log_guard = storelens_core::logging::init_file_logging(&dirs.logs).ok();
    let app = Storelens::new(dirs, Arc::new(EnvThen(Keychain)));
    let result = match cli.command {
        Command::Connections(c) => commands::connections::run(&app, c, &out).await,
        Command::Health(a) => commands::health::run(&app, a, &out).await,
        Command::Tenants {
            connection,
            command,
        } => match app.resolve_name(connection.as_deref()) {
            Ok(name) => commands::tenants::run(&app, &name, command, &out).await,
            Err(e) => Err(e),
        },
        Command::Find(a) => commands::find::run(&app, a, &out).await,
        Command::Query(a) => commands::query::run(&app, a, &out).await,
        Command::Events(c) => commands::events::run(&app, c, &out).await,
        Command::Cache(c) => commands::cache::run(&app, c, &out).await,
        Command::Backup(c) => commands::backup::run(&app, c, &out).await,
        Command::Audit(a) => commands::audit::run(&app, a, &out).await,
        Command::Graph(c) => commands::graph::run(&app, c, &out).await,
        Command::WriteLog => commands::write_log::run(&app, &out).await,
        Command::Sandbox(c) => commands::sandbox::run(c, &out).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => out.error(&e),
    }
}
