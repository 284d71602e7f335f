//! `storelens audit <tenant>`: every check of a tenant across the stores, one report; `--html`
//! writes it as a self-contained HTML file. Exit code 1 when a finding at or above `--fail-on`
//! (default: medium) exists, so a runbook can gate on it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use storelens_core::api::audit::{render, ReportFormat};
use storelens_core::audit::{AuditReport, CheckStatus};
use storelens_core::findings::Severity;
use storelens_core::{Error, Result, Storelens};

use super::cache::ConnectionArg;
use crate::output::Output;

#[derive(Args)]
pub struct AuditArgs {
    /// Tenant id or slug.
    tenant: String,
    /// Also write the report as a self-contained HTML file here (replaced if it exists).
    #[arg(long)]
    html: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity exists: info, low, medium, high,
    /// critical.
    #[arg(long, default_value = "medium", value_parser = parse_severity)]
    fail_on: Severity,
    #[command(flatten)]
    connection: ConnectionArg,
}

fn parse_severity(text: &str) -> std::result::Result<Severity, String> {
    Severity::parse(text)
        .ok_or_else(|| format!("{text:?} is not info, low, medium, high or critical"))
}

pub async fn run(app: &Storelens, args: AuditArgs, out: &Output) -> Result<ExitCode> {
    let name = app.resolve_name(args.connection.connection.as_deref())?;
    let task = format!("cli-audit-{}", std::process::id());
    let report = app
        .audit_run(&name, &args.tenant, &task, |p| {
            eprintln!("… [{}/{}] {}", p.checks_done, p.checks, p.message);
        })
        .await?;
    if let Some(path) = &args.html {
        let (html, _) = render(&report, ReportFormat::Html)?;
        write_replacing(path, html.as_bytes())?;
        eprintln!("HTML report: {}", path.display());
    }
    out.print(&report, human);
    Ok(if report.has_at_least(args.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn human(r: &AuditReport) -> String {
    let mut lines = vec![format!(
        "audit of {} ({:?} tier) on {}: {} findings in {} ms",
        r.tenant.slug,
        r.tenant.tier,
        r.connection,
        r.findings.len(),
        r.elapsed_ms
    )];
    for c in &r.checks {
        let status = match c.status {
            CheckStatus::Clean => "clean".to_owned(),
            CheckStatus::Findings => format!("{} findings", c.findings),
            CheckStatus::Skipped => "skipped".to_owned(),
            CheckStatus::Failed => format!(
                "FAILED ({})",
                c.error.as_ref().map(|e| e.message.as_str()).unwrap_or("")
            ),
        };
        lines.push(format!(
            "  {:<55} {:>9} checked  {status}",
            c.check.describe(),
            c.checked
        ));
        lines.extend(c.notes.iter().map(|n| format!("      {n}")));
    }
    for f in &r.findings {
        let subject = if f.message.contains(&f.subject) {
            String::new()
        } else {
            format!(" [{}]", f.subject)
        };
        lines.push(format!(
            "{:<8} {:<28} {}{subject}",
            format!("{:?}", f.severity).to_uppercase(),
            serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            f.message
        ));
    }
    lines.join("\n")
}

/// Writes `bytes` to `path` through a temporary file beside it, so a reader never sees half.
fn write_replacing(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::InvalidInput(format!("cannot write {}: {e}", path.display()))
        })
}
