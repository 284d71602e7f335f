//! The tenant audit on the seeded sandbox: every tenant audited, every check run, and the
//! findings are exactly the planted faults (kind and subject), nothing on the clean tenants.

use std::collections::BTreeSet;

use storelens_core::audit::CheckStatus;
use storelens_core::findings::FindingKind;
use storelens_sandbox::{planted_faults, FaultKind, SeedOptions};

use crate::support::sandbox_fixture;

fn expected_kind(kind: FaultKind) -> FindingKind {
    match kind {
        FaultKind::GraphNodeWithoutRow => FindingKind::GraphNodeWithoutRow,
        FaultKind::ReadModelLag => FindingKind::ReadModelLag,
        FaultKind::StaleCache => FindingKind::CacheStale,
        FaultKind::CacheKeyWithoutTtl => FindingKind::CacheMissingTtl,
        FaultKind::CrossTenantRelationship => FindingKind::CrossTenantRelationship,
        FaultKind::ObjectWithoutRow => FindingKind::ObjectWithoutRow,
    }
}

#[tokio::test]
async fn every_planted_fault_is_found_and_nothing_else() {
    let f = sandbox_fixture("sandbox").await;
    let planted: BTreeSet<(String, FindingKind, String)> = planted_faults(&SeedOptions::default())
        .into_iter()
        .map(|p| (p.tenant_slug, expected_kind(p.kind), p.subject))
        .collect();
    let tenants = f
        .app
        .list_tenants("sandbox", Default::default())
        .await
        .expect("tenants");
    let mut found = BTreeSet::new();
    for t in &tenants.tenants {
        let report = f
            .app
            .audit_run("sandbox", &t.slug, &format!("it-audit-{}", t.slug), |_| {})
            .await
            .unwrap_or_else(|e| panic!("audit {}: {e}", t.slug));
        for c in &report.checks {
            assert!(
                matches!(c.status, CheckStatus::Clean | CheckStatus::Findings),
                "{} {:?}: {c:?}",
                t.slug,
                c.check
            );
        }
        for finding in report.findings {
            // Cache findings are planted by key, the others by entity id or object key.
            let subject = match finding.kind {
                FindingKind::CacheStale | FindingKind::CacheMissingTtl => finding
                    .evidence
                    .iter()
                    .find(|e| e.store == storelens_core::StoreKind::Redis)
                    .map(|e| e.location.clone())
                    .expect("a Redis location"),
                _ => finding.subject.clone(),
            };
            found.insert((t.slug.clone(), finding.kind, subject));
        }
    }
    let missing: Vec<_> = planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&planted).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
}
