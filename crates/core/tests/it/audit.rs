//! The tenant audit on the seeded sandbox: every tenant audited, every check run, and the
//! findings are exactly the planted faults (kind and subject), nothing on the clean tenants;
//! with the graph down, its checks fail with the store's code and the others still report;
//! a cancel ends the audit; a report is exported as JSON and HTML.

use std::collections::BTreeSet;

use storelens_core::audit::CheckStatus;
use storelens_core::findings::FindingKind;
use storelens_sandbox::{planted_faults, FaultKind, SeedOptions};

use crate::support::{sandbox_fixture, sandbox_with_closed_graph_port};
use storelens_core::api::audit::ReportFormat;
use storelens_core::audit::AuditCheck;
use storelens_core::ErrorCode;

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

#[tokio::test]
async fn a_store_down_fails_only_its_checks() {
    let f = sandbox_with_closed_graph_port().await;
    let report = f
        .app
        .audit_run("sandbox", "globex", "it-audit-graph-down", |_| {})
        .await
        .expect("the audit runs");
    for c in &report.checks {
        let graph = matches!(
            c.check,
            AuditCheck::GraphNodes | AuditCheck::CrossTenantRelationships
        );
        if graph {
            assert_eq!(c.status, CheckStatus::Failed, "{c:?}");
            let code = c.error.as_ref().map(|e| e.code);
            assert!(
                matches!(code, Some(ErrorCode::Unavailable | ErrorCode::Timeout)),
                "{c:?}"
            );
        } else {
            assert_ne!(c.status, CheckStatus::Failed, "{c:?}");
        }
    }
    let kinds: BTreeSet<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
    assert!(
        kinds.contains(&FindingKind::ReadModelLag) && kinds.contains(&FindingKind::CacheStale),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_report_is_exported_and_a_cancel_ends_the_audit() {
    let f = sandbox_fixture("sandbox").await;
    let report = f
        .app
        .audit_run("sandbox", "cyberdyne", "it-audit-export", |_| {})
        .await
        .expect("audit");
    let html = f
        .app
        .audit_export(&report.id, ReportFormat::Html)
        .await
        .expect("html");
    let page = std::fs::read_to_string(&html.path).expect("read");
    assert!(
        page.contains("cyberdyne") && page.contains("read_model_lag"),
        "{page}"
    );
    let json = f
        .app
        .audit_export(&report.id, ReportFormat::Json)
        .await
        .expect("json");
    let back: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json.path).expect("read")).expect("json");
    assert_eq!(
        back["findings"].as_array().map(Vec::len),
        Some(report.findings.len())
    );
    let e = f
        .app
        .audit_export("no-such-report", ReportFormat::Html)
        .await
        .expect_err("unknown");
    assert_eq!(e.code(), ErrorCode::NotFound);

    let app = &f.app;
    let (run, ()) = tokio::join!(
        app.audit_run("sandbox", "globex", "it-audit-cancel", |_| {}),
        async {
            while !app.cancel_task("it-audit-cancel") {
                tokio::task::yield_now().await;
            }
        }
    );
    assert_eq!(run.expect_err("cancelled").code(), ErrorCode::Cancelled);
}
