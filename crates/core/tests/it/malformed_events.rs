//! A log with malformed events, on the real PostgreSQL: a third small platform (schema
//! `it_malformed` in the sandbox database, with a text payload column so a payload can be bad
//! JSON) described by a profile written here. Every malformed event is reported in place with
//! its id, and the rest of the history, the timeline and the tenant-wide state still come out.

use std::path::PathBuf;

use serde_json::{json, Value};
use storelens_core::connection_env::draft_from_env;

use crate::support::{fixture, Fixture};

const SCHEMA: &str = "it_malformed";

const PROFILE: &str = r#"
name = "malformed"
[tenants]
schema = "it_malformed"
table = "tenants"
id_column = "id"
slug_column = "slug"
tier_column = "tier"
[tenants.tiers.row]
schema = "it_malformed"
tenant_column = "tenant_id"
[[entities]]
type = "thing"
table = "things"
id_column = "id"
[events]
table = "events"
id_column = "id"
tenant_column = "tenant_id"
aggregate_type_column = "aggregate_type"
aggregate_id_column = "aggregate_id"
event_type_column = "event_type"
payload_column = "payload"
time_column = "occurred_at"
sequence_column = "sequence"
[events.semantics]
create = ["ThingCreated"]
update = ["ThingUpdated"]
delete = ["ThingDeleted"]
"#;

/// (id, sequence, minute, type, payload) of aggregate `a1`, in time order.
const EVENTS: &[(&str, i64, i64, &str, &str)] = &[
    ("e1", 1, 1, "ThingUpdated", r#"{"name":"too early"}"#),
    ("e2", 2, 2, "ThingCreated", r#"{"name":"x","size":1}"#),
    ("e3", 3, 3, "ThingUpdated", "{not json"),
    ("e4", 3, 4, "ThingUpdated", r#"{"size":2}"#),
    ("e5", 5, 5, "ThingUpdated", r#"{"color":"red"}"#),
    ("e6", 4, 6, "ThingUpdated", r#"{"name":"y"}"#),
];

/// Writes the platform (through a writable pool of its own) and a connection to it.
async fn malformed_platform() -> (Fixture, tempfile::TempDir) {
    let url =
        std::env::var("STORELENS_PG_URL").expect("STORELENS_PG_URL: eval \"$(scripts/stack env)\"");
    let admin = sqlx::PgPool::connect(&url).await.expect("connect");
    // Its schema is dropped and made again in the sandbox's database.
    let _tables = crate::support::sandbox_database_tables().await;
    let mut setup = vec![
        format!("drop schema if exists {SCHEMA} cascade"),
        format!("create schema {SCHEMA}"),
        format!("create table {SCHEMA}.tenants (id text primary key, slug text, tier text)"),
        format!("create table {SCHEMA}.things (id text primary key, tenant_id text, name text, size int, color text)"),
        format!(
            "create table {SCHEMA}.events (id text primary key, tenant_id text, aggregate_type text, \
             aggregate_id text, event_type text, payload text, occurred_at timestamptz, sequence bigint)"
        ),
        format!("insert into {SCHEMA}.tenants values ('t1', 'one', 'row'), ('t2', 'two', 'row')"),
        format!("insert into {SCHEMA}.things values ('a1', 't1', 'y', 2, 'red')"),
        // Another aggregate of the tenant, well formed, and one of another tenant.
        format!(
            "insert into {SCHEMA}.events values \
             ('b1', 't1', 'thing', 'b', 'ThingCreated', '{{\"name\":\"b\"}}', '2026-01-01 00:00:00+00', 100), \
             ('c1', 't2', 'thing', 'a1', 'ThingCreated', '{{\"name\":\"other tenant\"}}', '2026-01-01 00:00:00+00', 200)"
        ),
    ];
    for (id, seq, minute, ty, payload) in EVENTS {
        setup.push(format!(
            "insert into {SCHEMA}.events values ('{id}', 't1', 'thing', 'a1', '{ty}', '{}', \
             '2026-01-01 00:00:00+00'::timestamptz + interval '{minute} minutes', {seq})",
            payload.replace('\'', "''")
        ));
    }
    for sql in setup {
        sqlx::query(&sql)
            .execute(&admin)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let profile: PathBuf = dir.path().join("malformed.toml");
    std::fs::write(&profile, PROFILE).expect("profile");
    let f = fixture();
    let (draft, secrets) =
        draft_from_env("malformed", &profile.display().to_string(), true).expect("draft");
    f.app.save_connection(draft, secrets).await.expect("save");
    (f, dir)
}

#[tokio::test]
async fn malformed_events_are_reported_in_place_and_the_rest_folds() {
    let (f, _dir) = malformed_platform().await;
    let h = f
        .app
        .event_history("malformed", "a1", Some("one"), 0, 100)
        .await
        .expect("history");
    assert_eq!(
        h.total_events, 6,
        "the other tenant's a1 is not in one's history"
    );
    let anomalies: Vec<(String, Vec<String>)> = h
        .steps
        .iter()
        .filter(|s| !s.anomalies.is_empty())
        .map(|s| {
            (
                s.event.id.clone().expect("id"),
                s.anomalies
                    .iter()
                    .map(|a| {
                        serde_json::to_value(a.kind)
                            .expect("json")
                            .as_str()
                            .unwrap_or("")
                            .to_owned()
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        anomalies,
        vec![
            ("e1".to_owned(), vec!["no_live_state".to_owned()]),
            ("e3".to_owned(), vec!["bad_payload".to_owned()]),
            ("e4".to_owned(), vec!["duplicate_sequence".to_owned()]),
            ("e6".to_owned(), vec!["out_of_order".to_owned()]),
        ]
    );
    assert_eq!(h.anomaly_count, 4);
    let bad = h
        .steps
        .iter()
        .find(|s| s.event.id.as_deref() == Some("e3"))
        .expect("e3");
    assert_eq!(
        bad.event.payload_text.as_deref(),
        Some("{not json"),
        "the raw text is shown"
    );
    assert!(!bad.applied);
    assert_eq!(
        h.state,
        Some(json!({"name": "y", "size": 2, "color": "red"}))
    );

    // The same anomalies at a point, and the comparison with the row still answers.
    let at = f
        .app
        .state_at("malformed", "a1", Some("one"), "4")
        .await
        .expect("state at seq 4");
    assert_eq!(
        at.state,
        Some(json!({"name": "y", "size": 2, "color": "red"}))
    );
    let c = f
        .app
        .compare_stores("malformed", "a1", Some("one"))
        .await
        .expect("compare");
    let pg = serde_json::to_value(&c.stores[0]).expect("json");
    assert_eq!(pg["verdict"], "in_sync", "{pg}");

    // Without a tenant the id is ambiguous (t1 and t2 both have an a1).
    let e = f
        .app
        .event_history("malformed", "a1", None, 0, 10)
        .await
        .expect_err("two tenants");
    assert_eq!(e.code(), storelens_core::ErrorCode::InvalidInput);

    // The tenant-wide state comes out whole, with the anomalies on their aggregate's line.
    let out = f.dir.path().join("one.jsonl");
    let summary = f
        .app
        .tenant_state(
            "malformed",
            "one",
            "2100-01-01T00:00:00Z",
            None,
            Some(out.clone()),
            "malformed-state",
            |_| {},
        )
        .await
        .expect("tenant state");
    assert_eq!((summary.aggregates, summary.with_anomalies), (2, 1));
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .expect("jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("line"))
        .collect();
    let a1 = lines.iter().find(|l| l["aggregateId"] == "a1").expect("a1");
    assert_eq!(a1["state"], json!({"name": "y", "size": 2, "color": "red"}));
    assert_eq!(a1["anomalies"].as_array().map(Vec::len), Some(4));
}
