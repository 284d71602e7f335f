//! `storelens backup run|list|verify`: a tenant's backup of every store with a manifest, the
//! backups of a destination, and a backup's checksums against its manifest (exit 1 when a
//! check fails).

use std::process::ExitCode;

use clap::Subcommand;
use storelens_core::backup::run::BackupRequest;
use storelens_core::{Result, Storelens};

use super::cache::ConnectionArg;
use crate::output::Output;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Back up a tenant: its rows or schema or database and events, graph nodes and
    /// relationships, cache keys (DUMP with TTL) and objects, with a manifest.
    Run {
        #[arg(long, short)]
        tenant: String,
        /// A local folder (default: `backups` in the data folder).
        #[arg(long)]
        dest: Option<String>,
        #[command(flatten)]
        connection: ConnectionArg,
    },
    /// The backups of a destination, newest first.
    List {
        #[arg(long)]
        dest: Option<String>,
    },
    /// Check every file of a backup against its manifest. Exit code 1 when one fails.
    Verify {
        id: String,
        #[arg(long)]
        dest: Option<String>,
    },
}

pub async fn run(app: &Storelens, command: BackupCommand, out: &Output) -> Result<ExitCode> {
    match command {
        BackupCommand::Run {
            tenant,
            dest,
            connection,
        } => {
            let name = app.resolve_name(connection.connection.as_deref())?;
            let task = format!("cli-backup-{}", std::process::id());
            let request = BackupRequest {
                tenant,
                destination: dest,
            };
            let summary = app
                .backup_run(&name, request, &task, |p| {
                    eprintln!("… [{}/{}] {}", p.parts_done, p.parts, p.message);
                })
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
                }
                if let Some(pos) = &s.manifest.event_position {
                    lines.push(format!("  event log position: {pos}"));
                }
                lines.join("\n")
            });
            Ok(ExitCode::SUCCESS)
        }
        BackupCommand::List { dest } => {
            let catalog = app.backup_list(dest).await?;
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
        BackupCommand::Verify { id, dest } => {
            let v = app.backup_verify(&id, dest).await?;
            out.print(&v, |v| {
                let mut lines = vec![format!(
                    "backup {}: {}",
                    v.backup,
                    if v.passed {
                        "every file matches its manifest"
                    } else {
                        "FAILED"
                    }
                )];
                for p in &v.parts {
                    lines.push(format!(
                        "  {:<15} {} files  {}",
                        p.store.to_string(),
                        p.files,
                        if p.passed { "ok" } else { "FAILED" }
                    ));
                    lines.extend(p.problems.iter().map(|x| format!("    {x}")));
                }
                lines.join("\n")
            });
            Ok(if v.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
