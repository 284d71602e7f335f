//! Point-in-time reconstruction against the seeded sandbox: the fold of every aggregate's events
//! is its read-model row (the sandbox derives rows from events), except where a lagging row was
//! planted, which equals the state one event earlier; stores are in sync, lagging or drifting;
//! a tenant reconstructed at a time; the timeline's pages, filters and chains; shared ids need a
//! tenant; hostile ids are refused.

use serde_json::Value;
use storelens_core::timetravel::compare::same_json;
use storelens_core::{ErrorCode, StoreKind};
use storelens_sandbox::{planted_faults, FaultKind, SeedOptions};

use crate::support::{sandbox_fixture, Fixture};

/// The read-model row of an aggregate as JSON (`to_jsonb`), from the profile table of its
/// type in the tenant's space.
async fn row(f: &Fixture, slug: &str, aggregate_type: &str, id: &str) -> Value {
    let tenant = f.app.get_tenant("sandbox", slug).await.expect("tenant");
    let platform = f.app.platform("sandbox").await.expect("open");
    let space = platform.tenant_space(&tenant).expect("space");
    let entity = platform
        .profile
        .entity(aggregate_type)
        .expect("entity type");
    let sql = format!(
        "select to_jsonb(a) from {} a where a.id::text = $1",
        space.table(&entity.table)
    );
    sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_one(space.postgres.pool())
        .await
        .expect("row")
}

async fn atom_ids(f: &Fixture, slug: &str) -> Vec<String> {
    let tenant = f.app.get_tenant("sandbox", slug).await.expect("tenant");
    let platform = f.app.platform("sandbox").await.expect("open");
    let space = platform.tenant_space(&tenant).expect("space");
    let sql = format!(
        "select a.id::text from {}.atoms a where a.tenant_id::text = $1 order by a.id",
        space.schema.pg()
    );
    sqlx::query_scalar(&sql)
        .bind(&tenant.id)
        .fetch_all(space.postgres.pool())
        .await
        .expect("ids")
}

/// Every member of the folded state has the row's value in the column of that name.
fn matches_row(state: &Value, row: &Value) -> bool {
    state
        .as_object()
        .expect("an object state")
        .iter()
        .all(|(k, v)| row.get(k).is_some_and(|r| same_json(v, r)))
}

#[tokio::test]
async fn the_fold_of_each_aggregate_is_its_row_in_every_tier() {
    let f = sandbox_fixture("sandbox").await;
    for slug in ["hooli", "soylent", "blackmesa"] {
        for id in atom_ids(&f, slug).await {
            let h = f
                .app
                .event_history("sandbox", &id, Some(slug), 0, 1_000)
                .await
                .expect("history");
            assert_eq!(h.anomaly_count, 0, "{slug} {id}");
            assert_eq!(h.steps.len() as u32, h.total_events);
            let state = h.state.as_ref().expect("a live atom");
            let row = row(&f, slug, "atom", &id).await;
            assert!(matches_row(state, &row), "{slug} {id}: {state} vs {row}");
            assert_eq!(row["version"], Value::from(h.total_events), "{slug} {id}");
            // The first step creates the state (one change at the root), the others change it.
            let first = serde_json::to_value(&h.steps[0].changes).expect("json");
            assert_eq!(first[0]["op"], "added", "{slug} {id}: {first}");
            assert_eq!(first[0]["path"], "", "{slug} {id}: {first}");
        }
    }
}

#[tokio::test]
async fn a_lagging_row_is_the_state_one_event_earlier() {
    let f = sandbox_fixture("sandbox").await;
    let lagging: Vec<_> = planted_faults(&SeedOptions::default())
        .into_iter()
        .filter(|p| p.kind == FaultKind::ReadModelLag)
        .collect();
    assert!(!lagging.is_empty());
    for fault in lagging {
        let (slug, id) = (fault.tenant_slug.as_str(), fault.subject.as_str());
        let h = f
            .app
            .event_history("sandbox", id, Some(slug), 0, 1_000)
            .await
            .expect("history");
        let row = row(&f, slug, h.aggregate_type.as_deref().expect("type"), id).await;
        let now = h.state.as_ref().expect("live");
        assert!(
            !matches_row(now, &row),
            "{slug} {id}: the row should lag its log"
        );
        // At the event before the last one, the fold is the row.
        let second_last = &h.steps[h.steps.len() - 2];
        let seq = second_last.event.sequence.as_deref().expect("sequence");
        let earlier = f
            .app
            .state_at("sandbox", id, Some(slug), seq)
            .await
            .expect("state at the second-last event");
        assert_eq!(earlier.version, h.total_events - 1);
        assert!(
            matches_row(earlier.state.as_ref().expect("live"), &row),
            "{slug} {id}: {:?} vs {row}",
            earlier.state
        );
        // And the diff between the two points is the last event's change.
        let last = h.steps.last().expect("steps");
        let d = f
            .app
            .state_diff(
                "sandbox",
                id,
                Some(slug),
                seq,
                last.event.sequence.as_deref().expect("seq"),
            )
            .await
            .expect("diff");
        assert_eq!(
            serde_json::to_value(&d.changes).expect("json"),
            serde_json::to_value(&last.changes).expect("json")
        );
    }
}

#[tokio::test]
async fn shared_ids_need_a_tenant_and_hostile_ids_are_refused() {
    let f = sandbox_fixture("sandbox").await;
    let initech = atom_ids(&f, "initech").await;
    let tyrell = atom_ids(&f, "tyrell").await;
    let shared = initech
        .iter()
        .find(|id| tyrell.contains(id))
        .expect("a shared atom id");
    let e = f
        .app
        .event_history("sandbox", shared, None, 0, 10)
        .await
        .expect_err("ambiguous");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(
        e.to_string().contains("initech") && e.to_string().contains("tyrell"),
        "{e}"
    );
    for slug in ["initech", "tyrell"] {
        let h = f
            .app
            .event_history("sandbox", shared, Some(slug), 0, 10)
            .await
            .expect("history");
        assert_eq!(h.tenant.slug, slug);
        let row = row(&f, slug, "atom", shared).await;
        assert!(matches_row(h.state.as_ref().expect("live"), &row), "{slug}");
    }
    for hostile in ["' or 1=1 --", "*", "../../etc/passwd", "\u{0}"] {
        let e = f
            .app
            .event_history("sandbox", hostile, Some("hooli"), 0, 10)
            .await
            .expect_err(hostile);
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{hostile:?}: {e}");
    }
    let e = f
        .app
        .state_at("sandbox", shared, Some("initech"), "9999999999")
        .await
        .expect_err("no such sequence");
    assert_eq!(e.code(), ErrorCode::NotFound);
}

fn verdict(c: &storelens_core::timetravel::Comparison, store: StoreKind) -> Value {
    let s = c.stores.iter().find(|s| s.store == store).expect("store");
    serde_json::to_value(s).expect("json")
}

#[tokio::test]
async fn stores_are_in_sync_lagging_or_drifting_against_the_fold() {
    let f = sandbox_fixture("sandbox").await;
    // A clean tenant: every store holds the current fold.
    for id in atom_ids(&f, "hooli").await.iter().take(5) {
        let c = f
            .app
            .compare_stores("sandbox", id, Some("hooli"))
            .await
            .expect("compare");
        for store in [StoreKind::Postgres, StoreKind::Graph, StoreKind::Redis] {
            assert_eq!(
                verdict(&c, store)["verdict"],
                "in_sync",
                "hooli {id} {store}: {c:?}"
            );
        }
    }
    // Planted faults: a row and a cached value one event behind.
    for fault in planted_faults(&SeedOptions::default()) {
        let store = match fault.kind {
            FaultKind::ReadModelLag => StoreKind::Postgres,
            FaultKind::StaleCache => StoreKind::Redis,
            _ => continue,
        };
        let id = match store {
            StoreKind::Redis => fault.subject.rsplit(':').next().expect("id").to_owned(),
            _ => fault.subject.clone(),
        };
        let c = f
            .app
            .compare_stores("sandbox", &id, Some(&fault.tenant_slug))
            .await
            .expect("compare");
        let v = verdict(&c, store);
        assert_eq!(v["verdict"], "lag", "{:?} {id}: {v}", fault.kind);
        assert_eq!(v["behind"], 1, "{:?} {id}: {v}", fault.kind);
        assert!(!v["differences"].as_array().expect("differences").is_empty());
    }
}

#[tokio::test]
async fn a_tenant_reconstructed_at_a_time_is_every_aggregate_folded() {
    let f = sandbox_fixture("sandbox").await;
    let path = f.dir.path().join("hooli.jsonl");
    let summary = f
        .app
        .tenant_state(
            "sandbox",
            "hooli",
            "2100-01-01T00:00:00Z",
            None,
            Some(path.clone()),
            "hooli-state",
            |_| {},
        )
        .await
        .expect("tenant state");
    let lines: Vec<Value> = std::fs::read_to_string(&path)
        .expect("jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len() as u32, summary.aggregates);
    let tenant = f.app.get_tenant("sandbox", "hooli").await.expect("hooli");
    let platform = f.app.platform("sandbox").await.expect("open");
    let (aggregates, events): (i64, i64) = sqlx::query_as(
        "select count(distinct aggregate_id), count(*) from public.knowledge_events where tenant_id::text = $1",
    )
    .bind(&tenant.id)
    .fetch_one(platform.postgres().expect("pg").pool())
    .await
    .expect("plain counts");
    assert_eq!(i64::from(summary.aggregates), aggregates);
    assert_eq!(summary.events, events.to_string());
    let atoms = atom_ids(&f, "hooli").await;
    for line in lines.iter().filter(|l| l["aggregateType"] == "atom") {
        let id = line["aggregateId"].as_str().expect("id");
        if line["deleted"] == true {
            assert!(
                !atoms.iter().any(|a| a == id),
                "a deleted atom has no row: {id}"
            );
            continue;
        }
        let row = row(&f, "hooli", "atom", id).await;
        assert!(matches_row(&line["state"], &row), "{id}: {line} vs {row}");
    }

    // Early in the log, fewer aggregates exist and fewer events are folded.
    let early = f.dir.path().join("hooli-early.jsonl");
    let first: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "select min(occurred_at) + interval '1 day' from public.knowledge_events where tenant_id::text = $1",
    )
    .bind(&tenant.id)
    .fetch_one(platform.postgres().expect("pg").pool())
    .await
    .expect("first time");
    let at = first.to_rfc3339();
    let before = f
        .app
        .tenant_state(
            "sandbox",
            "hooli",
            &at,
            Some("atom"),
            Some(early.clone()),
            "hooli-early",
            |_| {},
        )
        .await
        .expect("early state");
    assert!(before.aggregates < summary.aggregates, "{before:?}");
    assert!(before.events.parse::<u64>().expect("n") < events as u64);

    // The file is never overwritten; a sequence is not a tenant-wide point.
    let e = f
        .app
        .tenant_state(
            "sandbox",
            "hooli",
            &at,
            None,
            Some(early),
            "hooli-again",
            |_| {},
        )
        .await
        .expect_err("exists");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let e = f
        .app
        .tenant_state("sandbox", "hooli", "1234", None, None, "hooli-seq", |_| {})
        .await
        .expect_err("a sequence");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn the_timeline_pages_filters_and_follows_chains() {
    use storelens_core::timetravel::timeline::EventFilter;
    let f = sandbox_fixture("sandbox").await;
    let tenant = f
        .app
        .get_tenant("sandbox", "soylent")
        .await
        .expect("soylent");
    let platform = f.app.platform("sandbox").await.expect("open");
    let space = platform.tenant_space(&tenant).expect("space");
    let plain: Vec<i64> = sqlx::query_scalar(&format!(
        "select sequence from {}.knowledge_events order by occurred_at, sequence",
        space.schema.pg()
    ))
    .fetch_all(space.postgres.pool())
    .await
    .expect("plain");
    let mut seen = Vec::new();
    let mut filter = EventFilter {
        limit: Some(37),
        ..Default::default()
    };
    loop {
        let page = f
            .app
            .tenant_events("sandbox", "soylent", filter.clone())
            .await
            .expect("page");
        seen.extend(page.events.iter().map(|e| {
            e.event
                .sequence
                .clone()
                .expect("seq")
                .parse::<i64>()
                .expect("n")
        }));
        match page.next_after {
            Some(n) => filter.after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, plain, "every event once, in (time, sequence) order");

    // An event's effects are the events whose causation is its id, and they share a
    // conversation with it when the log says so.
    let first = f
        .app
        .tenant_events(
            "sandbox",
            "soylent",
            EventFilter {
                limit: Some(1),
                ..Default::default()
            },
        )
        .await
        .expect("first")
        .events
        .remove(0);
    let caused = f
        .app
        .tenant_events(
            "sandbox",
            "soylent",
            EventFilter {
                causation: first.event.id.clone(),
                ..Default::default()
            },
        )
        .await
        .expect("caused");
    assert!(
        !caused.events.is_empty(),
        "the sandbox's first event causes others"
    );
    for e in &caused.events {
        assert_eq!(e.event.causation, first.event.id);
        let cause = f
            .app
            .tenant_events(
                "sandbox",
                "soylent",
                EventFilter {
                    event_id: e.event.causation.clone(),
                    ..Default::default()
                },
            )
            .await
            .expect("cause");
        assert_eq!(cause.events.len(), 1);
        assert_eq!(cause.events[0].event.id, first.event.id);
    }
    let updates = f
        .app
        .tenant_events(
            "sandbox",
            "soylent",
            EventFilter {
                event_type: Some("AtomUpdated".into()),
                limit: Some(1_000),
                ..Default::default()
            },
        )
        .await
        .expect("updates");
    assert!(!updates.events.is_empty());
    assert!(updates
        .events
        .iter()
        .all(|e| e.event.event_type == "AtomUpdated"));

    for hostile in ["' or 1=1 --", "%", "*"] {
        let page = f
            .app
            .tenant_events(
                "sandbox",
                "soylent",
                EventFilter {
                    actor: Some(hostile.into()),
                    ..Default::default()
                },
            )
            .await
            .expect("a literal match");
        assert!(page.events.is_empty(), "{hostile:?}");
    }
    let e = f
        .app
        .tenant_events(
            "sandbox",
            "soylent",
            EventFilter {
                after: Some("yesterday|1".into()),
                ..Default::default()
            },
        )
        .await
        .expect_err("bad cursor");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn a_fold_and_an_event_view_take_turns_on_the_same_connections() {
    // The audit's read-model check folds through the event cursor reading the actor, causation
    // and correlation columns as null text; an event view reads them as their own types (UUIDs
    // here). Both fetch with the same statement text on pooled connections: each fetch must be
    // described anew, not decoded as the other's columns (an E2E run caught "event column 4:
    // invalid utf-8").
    let f = sandbox_fixture("sandbox").await;
    let id = atom_ids(&f, "globex").await.remove(0);
    for i in 0..3 {
        f.app
            .audit_run("sandbox", "globex", &format!("turns-audit-{i}"), |_| {})
            .await
            .expect("audit");
        let h = f
            .app
            .event_history("sandbox", &id, Some("globex"), 0, 10)
            .await
            .unwrap_or_else(|e| panic!("history after audit {i}: {e}"));
        assert!(!h.steps.is_empty());
    }
}
