//! Tenant backups on the seeded sandbox, one tenant of each tier: every part's counts agree
//! with the stores read another way (the footprint, plain SQL and Cypher), the event position
//! is the tenant's last sequence, and the checksums verify; a changed, missing or extra file
//! fails verification; an unwritable destination, a store that is down and a cancel each end
//! the run with a clear error and leave nothing that could pass for a backup. Every tier
//! round-trips through the scratch targets with equal counts and content hashes, and emptied
//! scratch targets after; each whole store is backed up on its own. (The restore over live
//! data is in `tests/live_restore.rs`.)

use std::path::Path;

use storelens_core::api::backups::VerifyRequest;
use storelens_core::backup::manifest::Manifest;
use storelens_core::backup::run::BackupRequest;
use storelens_core::backup::verify::Verification;
use storelens_core::console::{ConsoleRequest, QueryLanguage};
use storelens_core::{ErrorCode, StoreKind, Storelens};

use crate::support::{
    read_write_sandbox, sandbox_database_tables, sandbox_fixture, sandbox_with_closed_graph_port,
    scratch_targets,
};

async fn backup(app: &Storelens, tenant: &str, dest: &Path) -> storelens_core::Result<Manifest> {
    let request = BackupRequest {
        tenant: Some(tenant.into()),
        store: None,
        destination: Some(dest.display().to_string()),
    };
    let task = format!("it-backup-{tenant}-{}", uuid::Uuid::new_v4());
    app.backup_run("sandbox", request, &task, |_| {})
        .await
        .map(|s| s.manifest)
}

/// A backup of one whole store.
async fn backup_store(
    app: &Storelens,
    store: StoreKind,
    dest: &Path,
) -> storelens_core::Result<Manifest> {
    let request = BackupRequest {
        tenant: None,
        store: Some(store),
        destination: Some(dest.display().to_string()),
    };
    let task = format!("it-backup-{store}-{}", uuid::Uuid::new_v4());
    app.backup_run("sandbox", request, &task, |_| {})
        .await
        .map(|s| s.manifest)
}

async fn verify(
    app: &Storelens,
    id: &str,
    dest: &Path,
    restore: bool,
) -> storelens_core::Result<Verification> {
    let request = VerifyRequest {
        id: id.into(),
        destination: Some(dest.display().to_string()),
        restore,
    };
    let task = format!("it-verify-{}", uuid::Uuid::new_v4());
    app.backup_verify("sandbox", request, &task, |_| {}).await
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
        let v = verify(&f.app, &m.id, dest.path(), false)
            .await
            .expect("verify");
        assert!(v.passed, "{v:#?}");
    }
    // globex holds the planted cross-tenant relationship.
    let list = f
        .app
        .backup_list(None, Some(dest.path().display().to_string()))
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
    let v = verify(&f.app, &m.id, dest.path(), false)
        .await
        .expect("verify");
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
    let v = verify(&f.app, &m.id, dest.path(), false)
        .await
        .expect("verify");
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
    let list = f.app.backup_list(None, d).await.expect("list");
    assert!(list.backups[0]
        .verification
        .as_ref()
        .is_some_and(|v| !v.passed));
    // Ids are folder names, nothing else.
    let e = verify(&f.app, "../etc", dest.path(), false)
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
        tenant: Some("globex".into()),
        store: None,
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

/// Everything the scratch targets hold: graph nodes, Redis keys, scratch databases and schemas,
/// scratch objects. All zero between restores.
async fn scratch_contents(app: &Storelens) -> (i64, i64, i64, usize) {
    let platform = app.platform("sandbox").await.expect("platform");
    let mut rows = platform
        .graph_scratch()
        .expect("scratch graph")
        .bolt()
        .execute(neo4rs::query("MATCH (n) RETURN count(n) AS n"))
        .await
        .expect("count");
    let nodes: i64 = rows
        .next()
        .await
        .expect("row")
        .expect("a row")
        .get("n")
        .expect("n");
    let keys = match platform
        .redis_scratch()
        .expect("scratch redis")
        .command(&[b"DBSIZE"])
        .await
        .expect("dbsize")
    {
        redis::Value::Int(n) => n,
        other => panic!("{other:?}"),
    };
    let pg: i64 = sqlx::query_scalar(
        "select (select count(*) from pg_database where datname like 'storelens_scratch_%') \
              + (select count(*) from pg_namespace where nspname like 'storelens_scratch_%')",
    )
    .fetch_one(platform.postgres().expect("pg").pool())
    .await
    .expect("scratch databases");
    let objects = {
        use futures::TryStreamExt;
        use object_store::ObjectStore;
        let prefix = object_store::path::Path::from("storelens-scratch");
        platform
            .objects()
            .expect("objects")
            .default_bucket()
            .list(Some(&prefix))
            .try_collect::<Vec<_>>()
            .await
            .expect("list")
            .len()
    };
    (nodes, keys, pg, objects)
}

#[tokio::test]
async fn every_tier_round_trips_through_scratch_targets_unchanged() {
    let _scratch = scratch_targets().await;
    let f = read_write_sandbox("sandbox").await;
    let dest = tempfile::tempdir().expect("tempdir");
    // Locked writes: no restore, not even into scratch.
    let m = backup(&f.app, "globex", dest.path()).await.expect("backup");
    let e = verify(&f.app, &m.id, dest.path(), true)
        .await
        .expect_err("locked");
    assert_eq!(e.code(), ErrorCode::ReadOnly, "{e}");
    f.app.unlock_writes("sandbox", 5).await.expect("unlock");
    assert_eq!(scratch_contents(&f.app).await, (0, 0, 0, 0), "empty before");
    for slug in ["globex", "tyrell", "aperture"] {
        let m = backup(&f.app, slug, dest.path()).await.expect("backup");
        let v = verify(&f.app, &m.id, dest.path(), true)
            .await
            .expect("verify");
        assert!(v.passed && v.restored, "{slug}: {v:#?}");
        assert_eq!(v.parts.len(), 4, "{slug}");
        for (part, check) in m.parts.iter().zip(&v.parts) {
            let r = check.restore.as_ref().expect("restored");
            assert!(r.passed && !r.skipped, "{slug} {}: {r:#?}", part.store);
            // Every measure of the manifest was measured again, hashes included.
            assert_eq!(r.measures.len(), part.measures.len(), "{slug}");
            for (want, got) in part.measures.iter().zip(&r.measures) {
                assert_eq!((&want.what, &want.count), (&got.what, &got.found));
                assert_eq!(got.same_content, want.hash.as_ref().map(|_| true), "{slug}");
            }
        }
        assert_eq!(
            scratch_contents(&f.app).await,
            (0, 0, 0, 0),
            "{slug}: scratch emptied"
        );
    }
    let log = f.app.write_log().await.expect("log");
    assert!(log.chain.intact, "{log:#?}");
    assert_eq!(
        log.entries
            .iter()
            .filter(|e| e.action == "backup.verify_restore")
            .count(),
        12,
        "three backups, four stores each"
    );

    // A backup whose files agree with a doctored manifest: only the restore sees the loss.
    let m = backup(&f.app, "globex", dest.path()).await.expect("backup");
    let dir = dest.path().join(&m.id);
    let keys_file = dir.join("redis/keys.jsonl");
    let text = std::fs::read_to_string(&keys_file).expect("keys");
    let kept: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    std::fs::write(&keys_file, &kept).expect("write");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
            .expect("json");
    for part in manifest["parts"].as_array_mut().expect("parts") {
        for a in part["artifacts"].as_array_mut().expect("artifacts") {
            if a["path"] == "redis/keys.jsonl" {
                use sha2::Digest;
                a["bytes"] = kept.len().to_string().into();
                a["sha256"] =
                    storelens_core::cache::key_name::hex(&sha2::Sha256::digest(kept.as_bytes()))
                        .into();
            }
        }
    }
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).expect("manifest");
    let v = verify(&f.app, &m.id, dest.path(), true)
        .await
        .expect("verify");
    assert!(!v.passed, "{v:#?}");
    let redis = v
        .parts
        .iter()
        .find(|p| p.store == StoreKind::Redis)
        .expect("redis");
    assert!(redis.problems.is_empty(), "the checksums agree: {redis:#?}");
    let keys = &redis.restore.as_ref().expect("restored").measures[0];
    assert_eq!(keys.what, "keys");
    assert!(!keys.passed, "{keys:#?}");
    assert_eq!(
        keys.found.parse::<u64>().expect("n") + 1,
        keys.expected.parse::<u64>().expect("n")
    );
    assert_eq!(
        scratch_contents(&f.app).await,
        (0, 0, 0, 0),
        "scratch emptied"
    );
}

#[tokio::test]
async fn each_whole_store_is_backed_up_on_its_own() {
    let _tables = sandbox_database_tables().await;
    let f = sandbox_fixture("sandbox").await;
    let dest = tempfile::tempdir().expect("tempdir");
    let platform = f.app.platform("sandbox").await.expect("platform");
    for store in StoreKind::ALL {
        let m = backup_store(&f.app, store, dest.path())
            .await
            .unwrap_or_else(|e| panic!("{store}: {e}"));
        assert_eq!(
            (m.scope.tenant.as_ref(), m.scope.store),
            (None, Some(store))
        );
        assert_eq!(m.parts.len(), 1);
        let part = &m.parts[0];
        match store {
            StoreKind::Postgres => {
                assert_eq!(part.method, "pg_dump_directory");
                assert!(part
                    .artifacts
                    .iter()
                    .any(|a| a.path == "postgres/dump/toc.dat"));
                assert!(m.event_position.is_some());
            }
            StoreKind::Graph => {
                // Other tests seed the orgs platform into the same graph: compare with a count
                // taken after the backup, which equals it once nothing else writes.
                let mut rows = platform
                    .graph()
                    .expect("graph")
                    .bolt()
                    .execute(neo4rs::query("MATCH (n) RETURN count(n) AS n"))
                    .await
                    .expect("count");
                let n: i64 = rows
                    .next()
                    .await
                    .expect("row")
                    .expect("a row")
                    .get("n")
                    .expect("n");
                assert!(measure(&m, store, "nodes") <= n as u64);
                assert!(measure(&m, store, "nodes") > 0);
            }
            StoreKind::Redis => {
                assert_eq!(part.method, "redis_bgsave");
                assert!(part.source.contains("dump.rdb"), "{}", part.source);
                assert!(measure(&m, store, "keys") > 0);
            }
            StoreKind::Objects => {
                // Every object of the bucket is in the backup's index (restores into scratch
                // in other tests come and go under storelens-scratch/ meanwhile).
                use futures::TryStreamExt;
                use object_store::ObjectStore;
                let all: Vec<_> = platform
                    .objects()
                    .expect("objects")
                    .default_bucket()
                    .list(None)
                    .try_collect()
                    .await
                    .expect("list");
                let index =
                    std::fs::read_to_string(dest.path().join(&m.id).join("objects/index.jsonl"))
                        .expect("index");
                let backed_up: std::collections::BTreeSet<String> = index
                    .lines()
                    .map(|l| {
                        serde_json::from_str::<serde_json::Value>(l).expect("json")["key"]
                            .as_str()
                            .expect("key")
                            .to_owned()
                    })
                    .collect();
                let stable: Vec<String> = all
                    .iter()
                    .map(|o| o.location.to_string())
                    .filter(|k| !k.starts_with("storelens-scratch/"))
                    .collect();
                assert!(!stable.is_empty());
                for key in &stable {
                    assert!(backed_up.contains(key), "{key} is not in the backup");
                }
                assert_eq!(measure(&m, store, "objects"), backed_up.len() as u64);
            }
        }
        let v = verify(&f.app, &m.id, dest.path(), false)
            .await
            .expect("verify");
        assert!(v.passed, "{v:#?}");
    }
    // A tenant and a store at once, or neither: refused.
    let both = BackupRequest {
        tenant: Some("globex".into()),
        store: Some(StoreKind::Redis),
        destination: Some(dest.path().display().to_string()),
    };
    let e = f
        .app
        .backup_run("sandbox", both, "it-store-both", |_| {})
        .await
        .expect_err("both");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn a_whole_database_round_trips_through_a_scratch_database_table_by_table() {
    let _scratch = scratch_targets().await;
    let _tables = sandbox_database_tables().await;
    let f = read_write_sandbox("sandbox").await;
    let dest = tempfile::tempdir().expect("tempdir");
    let platform = f.app.platform("sandbox").await.expect("platform");
    let pool = platform.postgres().expect("pg").pool().clone();
    let m = backup_store(&f.app, StoreKind::Postgres, dest.path())
        .await
        .expect("backup");
    // Every table is measured, each as the live table counts it (nothing in this test binary
    // writes to the sandbox's own tables).
    let measures = &m.parts[0].measures;
    let events = platform
        .profile
        .events
        .as_ref()
        .expect("events")
        .table
        .as_str();
    assert!(
        measures
            .iter()
            .any(|x| x.what.ends_with(&format!(".{events}"))),
        "{measures:#?}"
    );
    assert!(measures.len() > 3, "{measures:#?}");
    for x in measures {
        let table = x.what.strip_prefix("rows ").expect("a table's rows");
        assert!(!table.contains("storelens_scratch_"), "{table}");
        let live: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(x.count, live.to_string(), "{table}");
        assert!(x.hash.is_some(), "{table}");
    }

    f.app.unlock_writes("sandbox", 5).await.expect("unlock");
    let v = verify(&f.app, &m.id, dest.path(), true)
        .await
        .expect("verify");
    assert!(v.passed && v.restored, "{v:#?}");
    let r = v.parts[0].restore.as_ref().expect("restored");
    assert!(r.target.starts_with("scratch database "), "{r:#?}");
    assert_eq!(r.measures.len(), measures.len());
    assert!(
        r.measures
            .iter()
            .all(|c| c.passed && c.same_content == Some(true)),
        "{r:#?}"
    );
    // A whole database is never restored over the live one.
    let e = f
        .app
        .backup_restore(
            "sandbox",
            storelens_core::api::backups::RestoreRequest {
                id: m.id.clone(),
                destination: Some(dest.path().display().to_string()),
            },
            "it-whole-db-live",
            |_| {},
        )
        .await
        .expect_err("whole store over live");
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");

    // A manifest whose hash of one table disagrees with the dump: the restore finds it.
    let dir = dest.path().join(&m.id);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
            .expect("json");
    let doctored = manifest["parts"][0]["measures"][0]["what"]
        .as_str()
        .expect("what")
        .to_owned();
    manifest["parts"][0]["measures"][0]["hash"] = "record:1".into();
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).expect("manifest");
    let v = verify(&f.app, &m.id, dest.path(), true)
        .await
        .expect("verify");
    assert!(!v.passed, "{v:#?}");
    let failed: Vec<&str> = v.parts[0]
        .restore
        .as_ref()
        .expect("restored")
        .measures
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.what.as_str())
        .collect();
    assert_eq!(failed, [doctored.as_str()]);
    let scratch: i64 = sqlx::query_scalar(
        "select count(*) from pg_database where datname like 'storelens_scratch_%'",
    )
    .fetch_one(&pool)
    .await
    .expect("scratch databases");
    assert_eq!(scratch, 0, "the scratch database is dropped");
}

#[tokio::test]
async fn a_whole_graph_round_trips_through_the_scratch_graph() {
    let _scratch = scratch_targets().await;
    let f = read_write_sandbox("sandbox").await;
    let dest = tempfile::tempdir().expect("tempdir");
    let m = backup_store(&f.app, StoreKind::Graph, dest.path())
        .await
        .expect("backup");
    f.app.unlock_writes("sandbox", 5).await.expect("unlock");
    assert_eq!(scratch_contents(&f.app).await, (0, 0, 0, 0), "empty before");
    let v = verify(&f.app, &m.id, dest.path(), true)
        .await
        .expect("verify");
    assert!(v.passed && v.restored, "{v:#?}");
    let r = v.parts[0].restore.as_ref().expect("restored");
    assert_eq!(r.target, "scratch graph database");
    assert!(!r.skipped && r.notes.is_empty(), "{r:#?}");
    let measured: Vec<(&str, Option<bool>)> = r
        .measures
        .iter()
        .map(|c| (c.what.as_str(), c.same_content))
        .collect();
    assert_eq!(
        measured,
        [
            ("nodes", Some(true)),
            ("relationships", Some(true)),
            ("relationships to another tenant", None)
        ]
    );
    assert!(measure(&m, StoreKind::Graph, "relationships") > 1_000);
    assert_eq!(
        scratch_contents(&f.app).await,
        (0, 0, 0, 0),
        "scratch emptied"
    );

    // A whole bucket is not restored into scratch: skipped, and (nothing being written) not in
    // the write log, where the graph's restore is.
    let m = backup_store(&f.app, StoreKind::Objects, dest.path())
        .await
        .expect("backup");
    let v = verify(&f.app, &m.id, dest.path(), true)
        .await
        .expect("verify");
    let r = v.parts[0].restore.as_ref().expect("a restore check");
    assert!(v.passed && r.skipped && !r.passed, "{v:#?}");
    let log = f.app.write_log().await.expect("log");
    let logged: Vec<(StoreKind, &str)> = log
        .entries
        .iter()
        .map(|e| (e.store, e.action.as_str()))
        .collect();
    assert_eq!(logged, [(StoreKind::Graph, "backup.verify_restore")]);
}

#[tokio::test]
async fn a_backup_to_s3_is_listed_verified_and_its_corruption_caught() {
    let f = sandbox_fixture("sandbox").await;
    let prefix = format!("it-{}", uuid::Uuid::new_v4().simple());
    let dest = format!("s3://storelens-backups/{prefix}");
    let request = BackupRequest {
        tenant: Some("tyrell".into()),
        store: None,
        destination: Some(dest.clone()),
    };
    let summary = f
        .app
        .backup_run("sandbox", request, "it-s3-backup", |_| {})
        .await
        .expect("backup to s3");
    let id = summary.manifest.id.clone();
    assert_eq!(summary.path, format!("{dest}/{id}"));
    // Nothing stays behind on this machine.
    let staging = f.dir.path().join("data/backups-staging");
    assert_eq!(
        std::fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0),
        0,
        "staging emptied"
    );
    let list = f
        .app
        .backup_list(Some("sandbox"), Some(dest.clone()))
        .await
        .expect("list");
    assert_eq!(list.backups.len(), 1);
    assert_eq!(list.backups[0].id, id);
    assert_eq!(list.backups[0].bytes, summary.manifest.bytes().to_string());
    let check = |restore| VerifyRequest {
        id: id.clone(),
        destination: Some(dest.clone()),
        restore,
    };
    let v = f
        .app
        .backup_verify("sandbox", check(false), "it-s3-verify", |_| {})
        .await
        .expect("verify");
    assert!(v.passed, "{v:#?}");
    let list = f
        .app
        .backup_list(Some("sandbox"), Some(dest.clone()))
        .await
        .expect("list");
    assert!(
        list.backups[0]
            .verification
            .as_ref()
            .is_some_and(|v| v.passed),
        "the verification is kept beside the manifest"
    );
    // One object of the backup changed in the bucket: caught.
    let platform = f.app.platform("sandbox").await.expect("platform");
    let bucket = platform
        .objects()
        .expect("objects")
        .bucket("storelens-backups")
        .expect("bucket");
    {
        use object_store::ObjectStore;
        let key = object_store::path::Path::from(format!("{prefix}/{id}/redis/keys.jsonl"));
        bucket
            .put(&key, b"{}\n".to_vec().into())
            .await
            .expect("overwrite");
    }
    let v = f
        .app
        .backup_verify("sandbox", check(false), "it-s3-verify-2", |_| {})
        .await
        .expect("verify");
    assert!(!v.passed);
    assert!(
        v.parts
            .iter()
            .flat_map(|p| &p.problems)
            .any(|p| p.starts_with("redis/keys.jsonl")),
        "{v:#?}"
    );
    // Never into the platform's own bucket; never without a connection.
    let own = BackupRequest {
        tenant: Some("tyrell".into()),
        store: None,
        destination: Some("s3://knowledge-os/backups".into()),
    };
    let e = f
        .app
        .backup_run("sandbox", own, "it-s3-own", |_| {})
        .await
        .expect_err("own bucket");
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    let e = f
        .app
        .backup_list(None, Some(dest))
        .await
        .expect_err("no connection");
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
}

#[tokio::test]
async fn a_redis_stopped_mid_backup_fails_the_run_and_leaves_nothing() {
    let mut server = crate::temp_redis::TempRedis::start(false);
    let f = crate::support::fixture();
    let (mut draft, mut secrets) = crate::support::sandbox("sandbox");
    draft.redis = Some(server.endpoint());
    secrets.redis = None;
    f.app.save_connection(draft, secrets).await.expect("save");
    let globex = f.app.get_tenant("sandbox", "globex").await.expect("tenant");
    {
        let mut c = server.client().get_connection().expect("connect");
        for chunk in (0..30_000).collect::<Vec<u32>>().chunks(1_000) {
            let mut p = redis::pipe();
            for i in chunk {
                p.set(format!("tenant:{}:filler:{i}", globex.id), i);
            }
            p.exec(&mut c).expect("fill");
        }
    }
    let dest = tempfile::tempdir().expect("tempdir");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let request = BackupRequest {
        tenant: Some("globex".into()),
        store: None,
        destination: Some(dest.path().display().to_string()),
    };
    let app = &f.app;
    let run = app.backup_run("sandbox", request, "it-redis-stopped", move |p| {
        // Once some keys are written, the server goes away.
        if p.message.starts_with("redis:") && p.message.contains(" of ") {
            let _ = tx.send(());
        }
    });
    let (result, ()) = tokio::join!(run, async {
        rx.recv().await;
        server.stop();
    });
    let e = result.expect_err("the backup fails");
    assert!(
        matches!(e.code(), ErrorCode::Unavailable | ErrorCode::Timeout),
        "{e}"
    );
    assert!(e.to_string().contains("Redis"), "names the store: {e}");
    assert_eq!(
        std::fs::read_dir(dest.path()).expect("dir").count(),
        0,
        "nothing left"
    );
}

#[tokio::test]
async fn a_whole_redis_backup_waits_for_a_save_already_running() {
    let server = crate::temp_redis::TempRedis::start(false);
    let f = crate::support::fixture();
    let (mut draft, mut secrets) = crate::support::sandbox("sandbox");
    draft.redis = Some(server.endpoint());
    secrets.redis = None;
    f.app.save_connection(draft, secrets).await.expect("save");
    {
        let mut c = server.client().get_connection().expect("connect");
        let mut p = redis::pipe();
        for i in 0..20 {
            p.set(format!("k:{i}"), i);
        }
        p.exec(&mut c).expect("fill");
        // 50 ms a key: a save of the 20 keys takes about a second.
        redis::cmd("CONFIG")
            .arg(&["SET", "rdb-key-save-delay", "50000"])
            .exec(&mut c)
            .expect("slow saves");
        redis::cmd("BGSAVE")
            .exec(&mut c)
            .expect("a save of its own");
    }
    let dest = tempfile::tempdir().expect("tempdir");
    let m = backup_store(&f.app, StoreKind::Redis, dest.path())
        .await
        .expect("the backup waits for the running save, then takes its own");
    assert_eq!(measure(&m, StoreKind::Redis, "keys"), 20);
    // Its own save came after the running one: two saves, both done and good.
    let info = server.cli(&["INFO", "persistence"]);
    for line in [
        "rdb_saves:2",
        "rdb_bgsave_in_progress:0",
        "rdb_last_bgsave_status:ok",
    ] {
        assert!(info.contains(line), "{line} in {info}");
    }
}
