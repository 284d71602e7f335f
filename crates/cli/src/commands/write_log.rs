//! `storelens write-log`: every write Storelens made, and whether the hash chain is intact.

use std::process::ExitCode;

use storelens_core::{Result, Storelens};

use crate::output::Output;

pub async fn run(app: &Storelens, out: &Output) -> Result<ExitCode> {
    let report = app.write_log().await?;
    let intact = report.chain.intact;
    out.print(&report, |r| {
        let mut lines: Vec<String> = r
            .entries
            .iter()
            .map(|e| {
                format!(
                    "{:>4} {} {} {} {}: {}",
                    e.seq,
                    e.at,
                    e.connection,
                    e.action,
                    e.detail,
                    e.targets.join(" ")
                )
            })
            .collect();
        lines.push(match &r.chain.problem {
            None => format!("{} entries, chain intact", r.chain.entries),
            Some(p) => format!("CHAIN BROKEN: {p}"),
        });
        lines.join("\n")
    });
    Ok(if intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
