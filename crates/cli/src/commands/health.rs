use std::process::ExitCode;

use clap::Args;
use storelens_core::health::{HealthReport, StoreState};
use storelens_core::{Result, Storelens};

use crate::output::Output;

#[derive(Args)]
pub struct HealthArgs {
    /// The connection; defaults to `sandbox`, or the only connection there is.
    #[arg(long, short)]
    pub connection: Option<String>,
}

pub async fn run(app: &Storelens, args: HealthArgs, out: &Output) -> Result<ExitCode> {
    let name = app.resolve_name(args.connection.as_deref())?;
    let report = app.check_health(&name).await?;
    out.print(&report, render);
    let any_down = report.stores.iter().any(|s| s.state == StoreState::Down);
    Ok(if any_down {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn render(report: &HealthReport) -> String {
    let mut lines = vec![format!(
        "connection {} at {}",
        report.connection, report.checked_at
    )];
    for s in &report.stores {
        let state = match s.state {
            StoreState::Up => "up",
            StoreState::Down => "DOWN",
            StoreState::NotConfigured => "not configured",
        };
        let mut line = format!("  {:<15} {:<14}", s.store.to_string(), state);
        if let Some(ms) = s.latency_ms {
            line.push_str(&format!(" {ms:>5} ms"));
        }
        if let Some(v) = &s.version {
            line.push_str(&format!("  {v}"));
        }
        if s.state == StoreState::Up {
            line.push_str(if s.read_only {
                "  read-only"
            } else {
                "  WRITABLE"
            });
        }
        if let Some(e) = &s.error {
            line.push_str(&format!("  {}", e.message));
        }
        lines.push(line);
    }
    lines.join("\n")
}
