//! The newest verified backup of the tenant in the local backup folder: its age always goes in
//! the notes; a finding when the profile requires one this recent and there is none.

use super::{AuditContext, Outcome};
use crate::error::Result;
use crate::findings::{Finding, FindingKind};

pub(super) async fn check(cx: &AuditContext<'_>) -> Result<Outcome> {
    let catalog = crate::backup::catalog::list(cx.backups).await?;
    let mine: Vec<_> = catalog
        .backups
        .iter()
        .filter(|b| {
            b.scope
                .tenant
                .as_ref()
                .is_some_and(|t| t.id == cx.tenant.id)
        })
        .collect();
    let newest_verified = mine
        .iter()
        .filter(|b| b.verification.as_ref().is_some_and(|v| v.passed))
        .min_by_key(|b| b.age_seconds.parse::<u64>().unwrap_or(u64::MAX));
    let age_hours = newest_verified.map(|b| b.age_seconds.parse::<u64>().unwrap_or(0) / 3_600);
    let mut out = Outcome {
        checked: mine.len() as u64,
        ..Outcome::default()
    };
    out.notes.push(match newest_verified {
        Some(b) => format!(
            "newest verified backup: {} ({} h old) of {} in {}",
            b.id,
            age_hours.unwrap_or(0),
            mine.len(),
            catalog.destination
        ),
        None => format!(
            "no verified backup among {} of the tenant in {}",
            mine.len(),
            catalog.destination
        ),
    });
    let Some(max) = cx.platform.profile.audit.backup_max_age_hours else {
        out.notes
            .push("the profile sets no maximum backup age: nothing is required".into());
        return Ok(out);
    };
    let problem = match age_hours {
        None => Some(format!(
            "the tenant has no verified backup (the profile requires one at most {max} h old)"
        )),
        Some(h) if h > u64::from(max) => Some(format!(
            "the newest verified backup is {h} h old; the profile allows {max} h"
        )),
        Some(_) => None,
    };
    if let Some(message) = problem {
        out.findings.push(
            Finding::new(FindingKind::BackupMissingOrOld, cx.tenant.slug.clone(), message)
                .remedy("take a backup of the tenant and verify it (storelens backup run, backup verify --restore)"),
        );
    }
    Ok(out)
}
