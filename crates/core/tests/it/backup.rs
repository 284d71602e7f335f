//! Tenant backups on the seeded sandbox, one tenant of each tier: every part's counts agree
//! with the stores read another way (the footprint, plain SQL and Cypher), the event position
//! is the tenant's last sequence, and the checksums verify; a changed, missing or extra file
//! fails verification; an unwritable destination, a store that is down and a cancel each end
//! the run with a clear error and leave nothing that could pass for a backup.

use std::path::Path;

use storelens_core::backup::manifest::Manifest;
use storelens_core::backup::run::BackupRequest;
use storelens_core::console::{ConsoleRequest, QueryLanguage};
use storelens_core::{ErrorCode, StoreKind, Storelens};

use crate::support::{sandbox_fixture, sandbox_with_closed_graph_port};

async fn backup(app: &Storelens, tenant: &str, dest: &Path) -> storelens_core::Result<Manifest> {
    let request = BackupRequest {
        tenant: tenant.into(),
        destination: Some(dest.display().to_string()),
    };
    let task = format!("it-backup-{tenant}-{}", uuid::Uuid::new_v4());
    app.backup_run("sandbox", request, &task, |_| {})
        .await
        .map(|s| s.manifest)
}

fn measure(m: &Manifest, store: StoreKind, what: &str) -> u64 {
    m.parts
        .iter()
        .find(|p| p.store == store)
        .and_then(|p| p.measures.iter().find(|x| x.what == what))
        .unwrap_or_else(|| panic!("no {what} in the {store} part: {m:#?}"))
        .count
        .parse()
        .expect("a count")
}

#[tokio::test]
async fn each_tier_is_backed_up_whole_and_its_checksums_verify() {
    let f = sandbox_fixture("sandbox").await;
    let dest = tempfile::tempdir().expect("tempdir");
    for (slug, method) in [
        ("globex", "copy_csv"),
        ("tyrell", "pg_dump_directory"),
        ("aperture", "pg_dump_directory"),
    ] {
        let m = backup(&f.app, slug, dest.path()).await.expect("backup");
        let fp = f
            .app
            .tenant_footprint("sandbox", slug, true)
            .await
            .expect("footprint");
        let pg = fp.postgres.value.as_ref().expect("postgres footprint");
        let part = m
            .parts
            .iter()
            .find(|p| p.store == StoreKind::Postgres)
            .expect("pg part");
        assert_eq!(part.method, method, "{slug}");
        for table in &pg.tables {
            let name = table.table.rsplit('.').next().expect("table");
            assert_eq!(
                measure(&m, StoreKind::Postgres, &format!("rows {name}")).to_string(),
                table.rows.clone().expect("exact rows"),
                "{slug} {name}"
            );
        }
        let events = pg.events.as_ref().expect("events");
        let events_table = events.table.rsplit('.').next().expect("table");
        assert_eq!(
            measure(&m, StoreKind::Postgres, &format!("rows {events_table}")).to_string(),
            events.count,
            "{slug} events"
        );
        let graph = fp.graph.value.as_ref().expect("graph footprint");
        assert_eq!(
            measure(&m, StoreKind::Graph, "nodes").to_string(),
            graph.nodes,
            "{slug}"
        );
        let redis = fp.redis.value.as_ref().expect("redis footprint");
        assert_eq!(
            measure(&m, StoreKind::Redis, "keys").to_string(),
            redis.keys,
            "{slug}"
        );
        let objects = fp.objects.value.as_ref().expect("objects footprint");
        assert_eq!(
            measure(&m, StoreKind::Objects, "objects").to_string(),
            objects.objects,
            "{slug}"
        );
        // The position is the tenant's newest event's sequence, read in its own space.
        let max = f
            .app
            .run_console(
                "sandbox",
                ConsoleRequest {
                    language: QueryLanguage::Sql,
                    text: format!(
                        "select max(sequence)::text from knowledge_events where tenant_id::text = '{}'",
                        fp.tenant.id
                    ),
                    tenant: Some(slug.into()),
                    max_rows: None,
                },
            )
            .await
            .expect("max sequence");
        assert_eq!(m.event_position, max.rows[0][0], "{slug}");
        let v = f
            .app
            .backup_verify(&m.id, Some(dest.path().display().to_string()))
            .await
            .expect("verify");
        assert!(v.passed, "{v:#?}");
    }
    // globex holds the planted cross-tenant relationship.
    let list = f
        .app
        .backup_list(Some(dest.path().display().to_string()))
        .await
        .expect("list");
    assert_eq!(list.backups.len(), 3);
    assert!(list.incomplete.is_empty());
    assert!(list
        .backups
        .iter()
        .all(|b| b.verification.as_ref().is_some_and(|v| v.passed)));
}

#[tokio::test]
async fn a_changed_missing_or_extra_file_fails_verification() {
    let f = sandbox_fixture("sandbox").await;
    let dest = tempfile::tempdir().expect("tempdir");
    let m = backup(&f.app, "globex", dest.path()).await.expect("backup");
    let dir = dest.path().join(&m.id);
    let d = Some(dest.path().display().to_string());
    // One byte changed in the middle of the events file.
    let events = dir.join("postgres/knowledge_events.csv");
    let mut bytes = std::fs::read(&events).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::write(&events, &bytes).expect("write");
    let v = f.app.backup_verify(&m.id, d.clone()).await.expect("verify");
    assert!(!v.passed);
    let pg = v
        .parts
        .iter()
        .find(|p| p.store == StoreKind::Postgres)
        .expect("pg");
    assert!(
        !pg.passed
            && pg
                .problems
                .iter()
                .any(|p| p.contains("knowledge_events.csv")),
        "{pg:#?}"
    );
    assert!(v
        .parts
        .iter()
        .filter(|p| p.store != StoreKind::Postgres)
        .all(|p| p.passed));
    // Missing and extra files.
    std::fs::remove_file(dir.join("redis/keys.jsonl")).expect("remove");
    std::fs::write(dir.join("graph/stray.jsonl"), b"{}\n").expect("extra");
    let v = f.app.backup_verify(&m.id, d.clone()).await.expect("verify");
    let problems: Vec<&String> = v.parts.iter().flat_map(|p| &p.problems).collect();
    assert!(
        problems.iter().any(|p| p.starts_with("redis/keys.jsonl")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("graph/stray.jsonl: not in the manifest")),
        "{problems:?}"
    );
    let list = f.app.backup_list(d).await.expect("list");
    assert!(list.backups[0]
        .verification
        .as_ref()
        .is_some_and(|v| !v.passed));
    // Ids are folder names, nothing else.
    let e = f
        .app
        .backup_verify("../etc", Some(dest.path().display().to_string()))
        .await
        .expect_err("path");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn failed_and_cancelled_runs_leave_nothing_that_passes_for_a_backup() {
    // A destination that cannot be a folder.
    let f = sandbox_fixture("sandbox").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").expect("file");
    let e = backup(&f.app, "globex", &file)
        .await
        .expect_err("not a folder");
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    assert!(e.to_string().contains("cannot write"), "{e}");

    // The graph is down: the run fails on its graph part and removes its folder.
    let down = sandbox_with_closed_graph_port().await;
    let dest = tempfile::tempdir().expect("tempdir");
    let e = backup(&down.app, "globex", dest.path())
        .await
        .expect_err("graph down");
    assert_eq!(e.code(), ErrorCode::Unavailable, "{e}");
    assert_eq!(
        std::fs::read_dir(dest.path()).expect("dir").count(),
        0,
        "nothing left"
    );

    // Cancelled as it starts.
    let request = BackupRequest {
        tenant: "globex".into(),
        destination: Some(dest.path().display().to_string()),
    };
    let app = &f.app;
    let (run, ()) = tokio::join!(
        app.backup_run("sandbox", request, "it-backup-cancel", |_| {}),
        async {
            while !app.cancel_task("it-backup-cancel") {
                tokio::task::yield_now().await;
            }
        }
    );
    assert_eq!(run.expect_err("cancelled").code(), ErrorCode::Cancelled);
    assert_eq!(
        std::fs::read_dir(dest.path()).expect("dir").count(),
        0,
        "nothing left"
    );
}
