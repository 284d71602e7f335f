//! A tenant's restore over its live data, in a test binary of its own: it damages and restores
//! a sandbox tenant (umbrella, read by no other test), and tests that count every node or
//! compare every tenant's totals must not run beside it.

#[path = "it/support.rs"]
#[allow(dead_code)]
mod support;

use storelens_core::api::backups::RestoreRequest;
use storelens_core::backup::manifest::Manifest;
use storelens_core::backup::run::BackupRequest;
use storelens_core::{ErrorCode, Storelens};

use support::read_write_sandbox;

async fn backup(app: &Storelens, tenant: &str, dest: &std::path::Path) -> Manifest {
    let request = BackupRequest {
        tenant: Some(tenant.into()),
        store: None,
        destination: Some(dest.display().to_string()),
    };
    let task = format!("restore-test-backup-{}", uuid::Uuid::new_v4());
    app.backup_run("sandbox", request, &task, |_| {})
        .await
        .expect("backup")
        .manifest
}

#[tokio::test]
async fn a_tenant_restore_brings_back_what_was_lost_and_is_logged() {
    // umbrella is read by no other test: its live data may be damaged and restored here.
    let f = read_write_sandbox("sandbox").await;
    let dest = tempfile::tempdir().expect("tempdir");
    let platform = f.app.platform("sandbox").await.expect("platform");
    let tenant = f
        .app
        .get_tenant("sandbox", "umbrella")
        .await
        .expect("tenant");
    let spec = platform.profile.graph_spec().expect("graph");
    let bolt = platform.graph().expect("graph").bolt();
    let typed = TypedProbe::set(bolt, &spec.tenant_property.cypher(), &tenant.id).await;
    let before = backup(&f.app, "umbrella", dest.path()).await;
    let entity = &platform.profile.entities[0];
    let deleted = sqlx::query(&format!(
        "delete from {} where {}::text = $1 and {} in (select {} from {} where {}::text = $1 limit 3)",
        entity.table.pg(),
        "tenant_id",
        entity.id_column.pg(),
        entity.id_column.pg(),
        entity.table.pg(),
        "tenant_id",
    ))
    .bind(&tenant.id)
    .execute(platform.postgres().expect("pg").pool())
    .await
    .expect("delete rows")
    .rows_affected();
    assert_eq!(deleted, 3);
    bolt.run(
        neo4rs::query(&format!(
            "MATCH (n) WHERE n.{} = $t WITH n LIMIT 5 DETACH DELETE n",
            spec.tenant_property.cypher()
        ))
        .param("t", tenant.id.as_str()),
    )
    .await
    .expect("delete nodes");
    let redis = platform.redis().expect("redis");
    let prefix = storelens_core::profile::fill_pattern(
        &platform.profile.cache_spec().expect("cache").tenant_prefix,
        &tenant.vars(),
    )
    .expect("prefix");
    let node = redis.scan_nodes().await.expect("nodes").remove(0);
    let mut cursor = 0;
    let key = loop {
        let (next, page) = redis
            .scan_page(&node, cursor, format!("{prefix}*").as_bytes(), 1000)
            .await
            .expect("scan");
        if let Some(k) = page.into_iter().next() {
            break k;
        }
        assert_ne!(next, 0, "umbrella has keys");
        cursor = next;
    };
    redis.command(&[b"UNLINK", &key]).await.expect("unlink");
    let objects = platform.objects().expect("objects");
    let at = objects
        .tenant_objects(platform.profile.objects_spec().expect("spec"), &tenant)
        .expect("objects");
    {
        use futures::TryStreamExt;
        use object_store::ObjectStore;
        let first = at
            .store
            .list(at.list_from.as_ref())
            .try_next()
            .await
            .expect("list")
            .expect("an object");
        at.store
            .delete(&first.location)
            .await
            .expect("delete object");
    }

    // The damage shows in every store.
    let damaged = backup(&f.app, "umbrella", dest.path()).await;
    for (a, b) in before.parts.iter().zip(&damaged.parts) {
        assert_ne!(a.measures[0], b.measures[0], "{} damaged", a.store);
    }

    let request = || RestoreRequest {
        id: before.id.clone(),
        destination: Some(dest.path().display().to_string()),
    };
    let e = f
        .app
        .backup_restore("sandbox", request(), "it-restore-locked", |_| {})
        .await
        .expect_err("locked");
    assert_eq!(e.code(), ErrorCode::ReadOnly, "{e}");
    f.app.unlock_writes("sandbox", 5).await.expect("unlock");
    let report = f
        .app
        .backup_restore("sandbox", request(), "it-restore", |_| {})
        .await
        .expect("restore");
    f.app.lock_writes("sandbox");
    assert!(report.passed, "{report:#?}");
    assert_eq!(report.parts.len(), 4);
    assert_eq!(report.log_entries.len(), 4);
    assert!(report
        .log_entries
        .iter()
        .all(|e| e.action == "backup.restore"));
    // Every key has its TTL back: none where it had none, at most what was left at the backup
    // (and not much less) where it had one.
    let backed_up = std::fs::read_to_string(dest.path().join(&before.id).join("redis/keys.jsonl"))
        .expect("keys file");
    let mut with_ttl = 0;
    for line in backed_up.lines() {
        let key: serde_json::Value = serde_json::from_str(line).expect("json");
        let name = storelens_core::cache::key_name::parse_hex(key["key"].as_str().expect("hex"))
            .expect("hex");
        let was = key["ttl_ms"].as_i64().expect("ttl");
        let now = match redis.command(&[b"PTTL", &name]).await.expect("pttl") {
            redis::Value::Int(n) => n,
            other => panic!("{other:?}"),
        };
        if was < 0 {
            assert_eq!(now, -1, "{line}");
        } else {
            with_ttl += 1;
            assert!(
                now > 0 && now <= was && now > was - 120_000,
                "{now} of {was}: {line}"
            );
        }
    }
    assert!(with_ttl > 0, "umbrella has keys with a TTL");
    // A new backup holds exactly what the first one did.
    let after = backup(&f.app, "umbrella", dest.path()).await;
    for (a, b) in before.parts.iter().zip(&after.parts) {
        assert_eq!(a.measures, b.measures, "{}", a.store);
    }
    assert_eq!(before.event_position, after.event_position);
    // Every node and relationship was recreated from the backup's JSON: typed values kept
    // their Bolt type.
    typed.check_and_remove(bolt).await;
}

/// Typed property values (a date-time, a date, bytes) on every umbrella node and on the
/// relationships leaving them, which the graph part must write and restore with their type.
struct TypedProbe {
    tenant_property: String,
    tenant: String,
    /// What the server gave back before the backup (ArcadeDB keeps a date-time without its
    /// offset, as a local date-time in UTC), by node id and by relationship.
    stored: Vec<(String, String)>,
}

impl TypedProbe {
    async fn set(bolt: &neo4rs::Graph, tenant_property: &str, tenant: &str) -> Self {
        let at = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05.123+01:00").expect("at");
        let on = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).expect("date");
        let bytes = neo4rs::BoltType::Bytes(neo4rs::BoltBytes::new(vec![0_u8, 7, 255].into()));
        bolt.run(
            neo4rs::query(&format!(
                "MATCH (n) WHERE n.{tenant_property} = $t SET n.probeAt = $at, n.probeBytes = $bytes"
            ))
            .param("t", tenant)
            .param("at", at)
            .param("bytes", bytes),
        )
        .await
        .expect("set typed node properties");
        bolt.run(
            neo4rs::query(&format!(
                "MATCH (n)-[r]->() WHERE n.{tenant_property} = $t SET r.probeOn = $on"
            ))
            .param("t", tenant)
            .param("on", on),
        )
        .await
        .expect("set typed relationship properties");
        let mut probe = Self {
            tenant_property: tenant_property.to_owned(),
            tenant: tenant.to_owned(),
            stored: Vec::new(),
        };
        probe.stored = probe.read(bolt).await;
        assert!(!probe.stored.is_empty(), "umbrella has nodes");
        for (_, values) in &probe.stored {
            assert!(!values.contains("String("), "typed, not text: {values}");
        }
        probe
    }

    /// Every probe value with its Bolt type, in a fixed order.
    async fn read(&self, bolt: &neo4rs::Graph) -> Vec<(String, String)> {
        let t = &self.tenant_property;
        let mut out = Vec::new();
        for cypher in [
            format!("MATCH (n) WHERE n.{t} = $t RETURN n.id AS k, [n.probeAt, n.probeBytes] AS v"),
            format!(
                "MATCH (n)-[r]->(m) WHERE n.{t} = $t RETURN n.id + '>' + m.id AS k, [r.probeOn] AS v"
            ),
        ] {
            let mut rows = bolt
                .execute(neo4rs::query(&cypher).param("t", self.tenant.as_str()))
                .await
                .expect("read typed properties");
            while let Some(row) = rows.next().await.expect("row") {
                let k: neo4rs::BoltType = row.get("k").expect("k");
                let v: neo4rs::BoltType = row.get("v").expect("v");
                out.push((format!("{k:?}"), format!("{v:?}")));
            }
        }
        out.sort();
        out
    }

    async fn check_and_remove(self, bolt: &neo4rs::Graph) {
        let now = self.read(bolt).await;
        assert_eq!(
            now.len(),
            self.stored.len(),
            "nodes and relationships with probes"
        );
        if let Some((was, is)) = self.stored.iter().zip(&now).find(|(a, b)| a != b) {
            panic!("a probe changed in the restore: {was:?} became {is:?}");
        }
        // The sandbox as seeded again.
        let t = &self.tenant_property;
        for cypher in [
            format!("MATCH (n) WHERE n.{t} = $t REMOVE n.probeAt, n.probeBytes"),
            format!("MATCH (n)-[r]->() WHERE n.{t} = $t REMOVE r.probeOn"),
        ] {
            bolt.run(neo4rs::query(&cypher).param("t", self.tenant.as_str()))
                .await
                .expect("remove the probes");
        }
    }
}
