//! `storelens backup run|list|verify|restore`: a tenant's backup of every store with a
//! manifest, the backups of a destination, a backup's checksums against its manifest and its
//! restore into scratch targets (exit 1 when a check fails), and a tenant's restore.

use std::process::ExitCode;

use clap::Subcommand;
use storelens_core::api::backups::{RestoreRequest, VerifyRequest};
use storelens_core::backup::restore::RestoreCheck;
use storelens_core::backup::run::{BackupProgress, BackupRequest};
use storelens_core::{Result, StoreKind, Storelens};

use super::cache::ConnectionArg;
use crate::output::Output;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Back up a tenant: its rows or schema or database and events, graph nodes and
    /// relationships, cache keys (DUMP with TTL) and objects, with a manifest. Or a whole
    /// store: the database (pg_dump), the graph (JSONL), Redis (BGSAVE on the server) or the
    /// bucket.
    #[command(group(clap::ArgGroup::new("scope").required(true).args(["tenant", "store"])))]
    Run {
        #[arg(long, short)]
        tenant: Option<String>,
        #[arg(long, value_enum)]
        store: Option<StoreArg>,
        /// A local folder (default: `backups` in the data folder) or s3://bucket/prefix on the
        /// connection's object storage (not the platform's own bucket).
        #[arg(long)]
        dest: Option<String>,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// The backups of a destination, newest first.
    List {
        /// A folder or s3://bucket/prefix (default: `backups` in the data folder).
        #[arg(long)]
        dest: Option<String>,
        /// For an S3 destination: the connection whose object storage holds it.
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// Check every file of a backup against its manifest and, with --restore, restore it into
    /// scratch targets and compare counts and content hashes. Exit code 1 when a check fails.
    Verify {
        id: String,
        #[arg(long)]
        dest: Option<String>,
        /// Restore into scratch targets (a scratch database or schema, the connection's scratch
        /// graph database and Redis index, a scratch bucket prefix): a guarded write.
        #[arg(long)]
        restore: bool,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Restore a tenant's backup over its live data in every store (a guarded write: rows,
    /// graph, keys and objects replaced; events the log lacks added). Exit code 1 when a part
    /// does not match the manifest afterwards.
    Restore {
        id: String,
        #[arg(long)]
        dest: Option<String>,
        #[command(flatten)]
        write: WriteArgs,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum StoreArg {
    Postgres,
    Graph,
    Redis,
    Objects,
}

impl From<StoreArg> for StoreKind {
    fn from(s: StoreArg) -> Self {
        match s {
            StoreArg::Postgres => StoreKind::Postgres,
            StoreArg::Graph => StoreKind::Graph,
            StoreArg::Redis => StoreKind::Redis,
            StoreArg::Objects => StoreKind::Objects,
        }
    }
}

/// A connection and the unlock a guarded write needs.
#[derive(clap::Args)]
pub struct WriteArgs {
    /// Unlock writes on the (read-write) connection for this command.
    #[arg(long)]
    unlock: bool,
    #[command(flatten)]
    connection: ConnectionArg,
}

impl WriteArgs {
    /// The connection's name, unlocked when asked (for an hour: restores can be long).
    async fn unlocked(&self, app: &Storelens) -> Result<String> {
        let name = app.resolve_name(self.connection.connection.as_deref())?;
        if self.unlock {
            app.unlock_writes(&name, 60).await?;
        }
        Ok(name)
    }
}

fn progress(p: BackupProgress) {
    eprintln!("… [{}/{}] {}", p.parts_done, p.parts, p.message);
}

fn task_id(what: &str) -> String {
    format!("cli-{what}-{}", std::process::id())
}

/// A restore check's lines: where, pass or fail, each measure, each note.
fn restore_lines(r: &RestoreCheck) -> Vec<String> {
    let mut lines = vec![format!(
        "    restore into {}: {}",
        if r.target.is_empty() { "-" } else { &r.target },
        if r.skipped {
            "SKIPPED"
        } else if r.passed {
            "ok"
        } else {
            "FAILED"
        }
    )];
    for m in &r.measures {
        let content = match m.same_content {
            Some(true) => ", same content",
            Some(false) => ", DIFFERENT content",
            None => "",
        };
        lines.push(format!(
            "      {:<34} {} expected, {} found{content}{}",
            m.what,
            m.expected,
            m.found,
            if m.passed { "" } else { "  FAILED" }
        ));
    }
    lines.extend(r.notes.iter().map(|n| format!("      {n}")));
    lines
}

pub async fn run(app: &Storelens, command: BackupCommand, out: &Output) -> Result<ExitCode> {
    match command {
        BackupCommand::Run {
            tenant,
            store,
            dest,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let request = BackupRequest {
                tenant,
                store: store.map(StoreKind::from),
                destination: dest,
            };
            let summary = app
                .backup_run(&name, request, &task_id("backup"), progress)
                .await?;
            out.print(&summary, |s| {
                let mut lines = vec![format!("backup {} complete: {}", s.manifest.id, s.path)];
                for p in &s.manifest.parts {
                    let measures: Vec<String> = p
                        .measures
                        .iter()
                        .map(|m| format!("{} {}", m.count, m.what))
                        .collect();
                    lines.push(format!(
                        "  {:<15} {:<18} {} files  {}",
                        p.store.to_string(),
                        p.method,
                        p.artifacts.len(),
                        measures.join(", ")
                    ));
                    lines.push(format!("    from {}", p.source));
                }
                if let Some(pos) = &s.manifest.event_position {
                    lines.push(format!("  event log position: {pos}"));
                }
                lines.join("\n")
            });
            Ok(ExitCode::SUCCESS)
        }
        BackupCommand::List { dest, connection } => {
            let name = app.resolve_name(connection.connection.as_deref()).ok();
            let catalog = app.backup_list(name.as_deref(), dest).await?;
            out.print(&catalog, |c| {
                let mut lines = vec![format!("{} backups in {}", c.backups.len(), c.destination)];
                for b in &c.backups {
                    let verified = match &b.verification {
                        Some(v) if v.passed => format!("verified {}", v.checked_at),
                        Some(v) => format!("FAILED verification {}", v.checked_at),
                        None => "not verified".into(),
                    };
                    lines.push(format!(
                        "  {}  {} bytes  {} s old  {verified}",
                        b.id, b.bytes, b.age_seconds
                    ));
                }
                if !c.incomplete.is_empty() {
                    lines.push(format!(
                        "incomplete (not backups): {}",
                        c.incomplete.join(", ")
                    ));
                }
                lines.join("\n")
            });
            Ok(ExitCode::SUCCESS)
        }
        BackupCommand::Verify {
            id,
            dest,
            restore,
            write,
        } => {
            let name = write.unlocked(app).await?;
            let request = VerifyRequest {
                id,
                destination: dest,
                restore,
            };
            let v = app
                .backup_verify(&name, request, &task_id("verify"), progress)
                .await;
            app.lock_writes(&name);
            let v = v?;
            out.print(&v, |v| {
                let skipped: Vec<String> = v
                    .parts
                    .iter()
                    .filter(|p| p.restore.as_ref().is_some_and(|r| r.skipped))
                    .map(|p| p.store.to_string())
                    .collect();
                let verdict = match (v.passed, v.restored, skipped.is_empty()) {
                    (false, ..) => "FAILED".to_owned(),
                    (true, false, _) => "every file matches its manifest".to_owned(),
                    (true, true, true) => {
                        "every file matches its manifest, and it restores whole".to_owned()
                    }
                    (true, true, false) => format!(
                        "every file matches its manifest, and what was restored matches \
                         (not restored: {})",
                        skipped.join(", ")
                    ),
                };
                let mut lines = vec![format!("backup {}: {verdict}", v.backup)];
                for p in &v.parts {
                    lines.push(format!(
                        "  {:<15} {} files  {}",
                        p.store.to_string(),
                        p.files,
                        if p.passed { "ok" } else { "FAILED" }
                    ));
                    lines.extend(p.problems.iter().map(|x| format!("    {x}")));
                    if let Some(r) = &p.restore {
                        lines.extend(restore_lines(r));
                    }
                }
                lines.extend(v.notes.iter().map(|n| format!("  {n}")));
                lines.join("\n")
            });
            Ok(if v.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        BackupCommand::Restore { id, dest, write } => {
            let name = write.unlocked(app).await?;
            let request = RestoreRequest {
                id,
                destination: dest,
            };
            let report = app
                .backup_restore(&name, request, &task_id("restore"), progress)
                .await;
            app.lock_writes(&name);
            let report = report?;
            out.print(&report, |r| {
                let mut lines = vec![format!(
                    "tenant {} restored from {}: {}",
                    r.tenant.slug,
                    r.backup,
                    if r.passed {
                        "every part matches the manifest"
                    } else {
                        "FAILED"
                    }
                )];
                for p in &r.parts {
                    lines.push(format!("  {}", p.store));
                    lines.extend(restore_lines(p));
                }
                lines.push(format!(
                    "  write log entries: {}",
                    r.log_entries
                        .iter()
                        .map(|e| e.seq.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                lines.join("\n")
            });
            Ok(if report.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
