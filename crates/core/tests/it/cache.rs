//! Cache inspection against real Redis: the sandbox's single node for namespace counts, key
//! pages, values by type and the audit; throwaway servers (`temp_redis`) for odd keys, a server
//! stopped mid-scan, and a three-master cluster.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use storelens_core::cache::browse::{KeyEntry, KeyPageRequest};
use storelens_core::cache::scan::{KeyScan, ScanRequest};
use storelens_core::cache::value::{ValueRequest, ValueView};
use storelens_core::cache::KeyName;
use storelens_core::findings::FindingKind;
use storelens_core::{ErrorCode, Result, Storelens};
use storelens_sandbox::{planted_faults, FaultKind, SeedOptions};

use crate::support::{fixture, sandbox, sandbox_fixture, Fixture};
use crate::temp_redis::{self, TempRedis};

fn task() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("it-cache-{}", N.fetch_add(1, Ordering::Relaxed))
}

async fn scan(app: &Storelens, request: ScanRequest) -> Result<KeyScan> {
    app.cache_scan("sandbox", request, &task(), |_| {}).await
}

fn text(name: &str) -> KeyName {
    KeyName {
        text: name.to_owned(),
        hex: None,
    }
}

/// A fixture whose `sandbox` connection has `server` as its Redis (no password).
async fn with_redis(server: &TempRedis) -> Fixture {
    let f = fixture();
    let (mut draft, mut secrets) = sandbox("sandbox");
    draft.redis = Some(server.endpoint());
    secrets.redis = None;
    f.app.save_connection(draft, secrets).await.expect("save");
    f
}

/// The stack's Redis, for reference counts (test code may use KEYS; the product never does).
fn stack_redis() -> redis::Connection {
    let url = std::env::var("STORELENS_REDIS_URL").expect("STORELENS_REDIS_URL");
    let first = url.split(',').next().unwrap_or_default().to_owned();
    redis::Client::open(first)
        .and_then(|c| c.get_connection())
        .expect("stack redis")
}

fn keys_like(pattern: &str) -> BTreeSet<Vec<u8>> {
    redis::cmd("KEYS")
        .arg(pattern)
        .query::<Vec<Vec<u8>>>(&mut stack_redis())
        .expect("KEYS")
        .into_iter()
        .collect()
}

/// Every key under `prefix`, following the pages' `next` tokens, `limit` a page.
async fn every_key_under(app: &Storelens, prefix: &str, limit: u32) -> Vec<KeyEntry> {
    let (mut keys, mut after) = (Vec::new(), None);
    loop {
        let page = app
            .cache_keys(
                "sandbox",
                KeyPageRequest {
                    prefix: text(prefix),
                    pattern: None,
                    after: after.take(),
                    limit: Some(limit),
                },
            )
            .await
            .expect("page");
        keys.extend(page.keys);
        match page.next {
            Some(n) => after = Some(n),
            None => return keys,
        }
    }
}

async fn tenant_id(app: &Storelens, slug: &str) -> String {
    app.get_tenant("sandbox", slug).await.expect("tenant").id
}

#[tokio::test]
async fn the_scan_counts_every_key_of_a_tenant_by_namespace() {
    let f = sandbox_fixture("sandbox").await;
    let id = tenant_id(&f.app, "globex").await;
    let all = keys_like(&format!("tenant:{id}:*"));
    let atoms = keys_like(&format!("tenant:{id}:atom:*"));
    assert!(atoms.len() > 10, "the sandbox caches globex's atoms");

    let s = scan(
        &f.app,
        ScanRequest {
            tenant: Some("globex".into()),
            count: Some(7),
            ..ScanRequest::default()
        },
    )
    .await
    .expect("scan");
    assert_eq!(s.keys, all.len().to_string());
    let folder = |prefix: &str| {
        s.namespaces
            .iter()
            .find(|n| n.prefix.text == prefix)
            .unwrap_or_else(|| panic!("no folder {prefix} in {:?}", s.namespaces))
    };
    assert_eq!(folder(&format!("tenant:{id}:")).keys, all.len().to_string());
    assert_eq!(
        folder(&format!("tenant:{id}:atom:")).keys,
        atoms.len().to_string()
    );
    assert_eq!(
        folder(&format!("tenant:{id}:atom:")).own_keys,
        atoms.len().to_string()
    );
    assert_eq!(
        s.namespaces[0].keys,
        all.len().to_string(),
        "the root holds every key"
    );

    // A pattern applies after the tenant's prefix; the same count by id as by slug.
    let only_atoms = scan(
        &f.app,
        ScanRequest {
            tenant: Some(id.clone()),
            pattern: Some("atom:*".into()),
            ..ScanRequest::default()
        },
    )
    .await
    .expect("scan atoms");
    assert_eq!(only_atoms.keys, atoms.len().to_string());

    for bad in [
        ScanRequest {
            count: Some(0),
            ..ScanRequest::default()
        },
        ScanRequest {
            pattern: Some(String::new()),
            ..ScanRequest::default()
        },
        ScanRequest {
            tenant: Some("no-such-tenant".into()),
            ..ScanRequest::default()
        },
    ] {
        let e = scan(&f.app, bad).await.expect_err("refused");
        assert!(
            matches!(e.code(), ErrorCode::InvalidInput | ErrorCode::NotFound),
            "{e}"
        );
    }
}

#[tokio::test]
async fn key_pages_cover_a_folder_and_values_show_by_type() {
    let f = sandbox_fixture("sandbox").await;
    let id = tenant_id(&f.app, "globex").await;
    let prefix = format!("tenant:{id}:");
    let all = keys_like(&format!("{prefix}*"));

    let mut listed = BTreeSet::new();
    for k in every_key_under(&f.app, &prefix, 7).await {
        assert!(k.kind != "none", "{} listed as gone", k.key.text);
        listed.insert(k.key.to_bytes().expect("bytes"));
    }
    assert_eq!(listed, all, "the pages list every key of the folder once");

    let value = |key: String| {
        let app = &f.app;
        async move {
            app.cache_value(
                "sandbox",
                ValueRequest {
                    key: text(&key),
                    after: None,
                    limit: Some(3),
                },
            )
            .await
            .expect("value")
        }
    };
    let atom = keys_like(&format!("{prefix}atom:*"))
        .into_iter()
        .next()
        .expect("an atom key");
    let atom = value(String::from_utf8(atom).expect("utf-8")).await;
    match &atom.value {
        ValueView::String {
            json: Some(j),
            truncated: false,
            ..
        } => assert!(j.get("id").is_some(), "{j}"),
        other => panic!("an atom is a JSON string: {other:?}"),
    }
    let session = keys_like(&format!("{prefix}session:*"))
        .into_iter()
        .next()
        .expect("a session");
    let session = value(String::from_utf8(session).expect("utf-8")).await;
    assert!(session.ttl_ms.is_some(), "sessions expire");
    assert!(matches!(&session.value, ValueView::Hash { fields } if !fields.is_empty()));

    let recent = value(format!("{prefix}recent:atoms")).await;
    let ValueView::Zset { members, .. } = &recent.value else {
        panic!("recent atoms are a sorted set: {recent:?}")
    };
    assert_eq!(members.len(), 3, "a page of 3");
    assert_eq!(
        recent.next.as_deref(),
        Some("3"),
        "the next page starts at 3"
    );

    let log = value(format!("{prefix}updates:log")).await;
    let ValueView::Stream { entries, .. } = &log.value else {
        panic!("the update log is a stream: {log:?}")
    };
    assert!(!entries.is_empty() && entries[0].id.contains('-'));
    if let Some(after) = &log.next {
        let more = f
            .app
            .cache_value(
                "sandbox",
                ValueRequest {
                    key: text(&format!("{prefix}updates:log")),
                    after: Some(after.clone()),
                    limit: Some(3),
                },
            )
            .await
            .expect("next entries");
        let ValueView::Stream { entries: next, .. } = &more.value else {
            panic!()
        };
        assert!(
            next.iter().all(|e| e.id != entries[0].id),
            "pages do not repeat entries"
        );
    }

    let missing = value(format!("{prefix}no-such-key")).await;
    assert_eq!(missing.value, ValueView::Missing);

    let e = f
        .app
        .cache_value(
            "sandbox",
            ValueRequest {
                key: KeyName {
                    text: String::new(),
                    hex: Some("zz".into()),
                },
                after: None,
                limit: None,
            },
        )
        .await
        .expect_err("bad hex");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn odd_keys_and_huge_values_are_shown_clearly() {
    let server = TempRedis::start(false);
    let mut c = server.client().get_connection().expect("connect");
    let big = vec![b'x'; 100 * 1024 * 1024];
    redis::pipe()
        .set(b"bin:\xff\xfe".as_slice(), "binary key")
        .set("glob:*[x]?", "glob key")
        .set("glob:abc", "plain key")
        .set("big", big.as_slice())
        .set(b"val:bin".as_slice(), b"\x00\xff\x10".as_slice())
        .set("gone", "soon deleted")
        .exec(&mut c)
        .expect("seed");
    drop(big);
    let f = with_redis(&server).await;

    let page = |prefix: KeyName| {
        let app = &f.app;
        async move {
            app.cache_keys(
                "sandbox",
                KeyPageRequest {
                    prefix,
                    pattern: None,
                    after: None,
                    limit: None,
                },
            )
            .await
            .expect("page")
        }
    };
    // Glob characters in a prefix are literal.
    let globbed = page(text("glob:*[")).await;
    let names: Vec<&str> = globbed.keys.iter().map(|k| k.key.text.as_str()).collect();
    assert_eq!(names, ["glob:*[x]?"]);

    // A key that is not UTF-8 is listed with its bytes, and read back through them.
    let binary = page(text("bin:")).await;
    assert_eq!(binary.keys.len(), 1);
    let key = binary.keys[0].key.clone();
    assert_eq!(key.text, "bin:\\xff\\xfe");
    assert_eq!(key.hex.as_deref(), Some("62696e3afffe"));
    let v = f
        .app
        .cache_value(
            "sandbox",
            ValueRequest {
                key,
                after: None,
                limit: None,
            },
        )
        .await
        .expect("binary key's value");
    assert!(matches!(&v.value, ValueView::String { text: Some(t), .. } if t == "binary key"));

    // A binary value shows as hex; a 100 MB value is read only in part, and says so.
    let read = |name: &str| {
        let app = &f.app;
        let key = text(name);
        async move {
            app.cache_value(
                "sandbox",
                ValueRequest {
                    key,
                    after: None,
                    limit: None,
                },
            )
            .await
            .expect("value")
        }
    };
    let hexed = read("val:bin").await;
    assert!(
        matches!(&hexed.value, ValueView::String { hex: Some(h), text: None, .. } if h == "00ff10")
    );
    let huge = read("big").await;
    assert_eq!(huge.length.as_deref(), Some("104857600"));
    let memory: u64 = huge
        .memory_bytes
        .as_deref()
        .and_then(|b| b.parse().ok())
        .expect("MEMORY USAGE");
    assert!(memory >= 100 * 1024 * 1024, "{memory}");
    match &huge.value {
        ValueView::String {
            bytes_shown,
            truncated: true,
            json: None,
            ..
        } => {
            assert_eq!(
                *bytes_shown as usize,
                storelens_core::cache::value::MAX_STRING_BYTES
            )
        }
        other => panic!("a cut string: {other:?}"),
    }

    // Deleted between the scan and the read: shown as gone, not as an error.
    let listed = page(text("gone")).await;
    assert_eq!(listed.keys.len(), 1);
    redis::cmd("DEL").arg("gone").exec(&mut c).expect("del");
    assert_eq!(read("gone").await.value, ValueView::Missing);

    let s = scan(&f.app, ScanRequest::default()).await.expect("scan");
    assert_eq!(s.keys, "5");
    // A small key space has every key sized; the 100 MB value is the biggest.
    assert_eq!(s.memory_sample_every, 1);
    assert_eq!(s.big_keys[0].key.text, "big");
    let root_bytes: u64 = s.namespaces[0]
        .bytes
        .as_deref()
        .and_then(|b| b.parse().ok())
        .expect("bytes");
    assert!(root_bytes >= 100 * 1024 * 1024, "{root_bytes}");
    let prefixes: Vec<&str> = s
        .namespaces
        .iter()
        .map(|n| n.prefix.text.as_str())
        .collect();
    assert!(
        prefixes.contains(&"bin:") && prefixes.contains(&"glob:"),
        "{prefixes:?}"
    );
}

#[tokio::test]
async fn a_redis_stopped_mid_scan_ends_the_scan_clearly_and_browsing_recovers() {
    let mut server = TempRedis::start(false);
    let fill = |server: &TempRedis, n: usize| {
        let mut c = server.client().get_connection().expect("connect");
        for chunk in (0..n).collect::<Vec<_>>().chunks(1_000) {
            let mut p = redis::pipe();
            for i in chunk {
                p.set(format!("k:{}:{i}", i % 10), i);
            }
            p.exec(&mut c).expect("fill");
        }
    };
    fill(&server, 20_000);
    let f = with_redis(&server).await;

    let app = std::sync::Arc::new(f.app);
    let running = {
        let app = app.clone();
        tokio::spawn(async move {
            let request = ScanRequest {
                count: Some(10),
                pause_ms: Some(5),
                ..ScanRequest::default()
            };
            app.cache_scan("sandbox", request, "it-cache-stopped", |_| {})
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    server.stop();
    let e = running.await.expect("join").expect_err("the scan fails");
    assert!(
        matches!(e.code(), ErrorCode::Unavailable | ErrorCode::Timeout),
        "{e}"
    );
    assert!(
        e.to_string().contains("Redis")
            && (e.to_string().contains("stopped after") || e.code() == ErrorCode::Timeout),
        "says where it stopped: {e}"
    );

    server.restart();
    fill(&server, 300);
    // The same app (same connection handle) browses again once Redis is back.
    let mut last = None;
    for _ in 0..20 {
        match app
            .cache_scan("sandbox", ScanRequest::default(), &task(), |_| {})
            .await
        {
            Ok(s) => {
                last = Some(s);
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(250)).await,
        }
    }
    let s = last.expect("the scan works again without a new app");
    assert_eq!(s.keys, "300");
}

#[tokio::test]
async fn a_cluster_scan_visits_every_master() {
    let nodes = temp_redis::cluster();
    let client =
        redis::cluster::ClusterClient::new(nodes.iter().map(TempRedis::url).collect::<Vec<_>>())
            .expect("cluster client");
    let mut c = client.get_connection().expect("cluster connection");
    for i in 0..3_000 {
        redis::cmd("SET")
            .arg(format!("c:{}:{i}", i % 3))
            .arg(i)
            .exec(&mut c)
            .expect("set");
    }
    let f = fixture();
    let (mut draft, mut secrets) = sandbox("sandbox");
    draft.redis = Some(storelens_core::connection::RedisEndpoint {
        urls: nodes.iter().map(TempRedis::url).collect(),
        cluster: true,
        username: None,
        scratch_db: None,
    });
    secrets.redis = None;
    f.app.save_connection(draft, secrets).await.expect("save");

    let s = scan(&f.app, ScanRequest::default()).await.expect("scan");
    assert_eq!(s.nodes.len(), 3, "every master: {:?}", s.nodes);
    assert_eq!(s.keys, "3000");
    let c0 = s
        .namespaces
        .iter()
        .find(|n| n.prefix.text == "c:0:")
        .expect("c:0:");
    assert_eq!(c0.keys, "1000");

    let listed: BTreeSet<String> = every_key_under(&f.app, "c:1:", 400)
        .await
        .into_iter()
        .map(|k| k.key.text)
        .collect();
    assert_eq!(listed.len(), 1000, "the pages cross every master");
    let v = f
        .app
        .cache_value(
            "sandbox",
            ValueRequest {
                key: text("c:2:5"),
                after: None,
                limit: None,
            },
        )
        .await
        .expect("value on its node");
    assert!(matches!(&v.value, ValueView::String { text: Some(t), .. } if t == "5"));
}

#[tokio::test]
async fn the_cache_audit_finds_exactly_the_planted_faults() {
    let f = sandbox_fixture("sandbox").await;
    let planted: BTreeSet<(String, &str, String)> = planted_faults(&SeedOptions::default())
        .into_iter()
        .filter_map(|p| match p.kind {
            FaultKind::StaleCache => Some((p.tenant_slug, "stale", p.subject)),
            FaultKind::CacheKeyWithoutTtl => Some((p.tenant_slug, "no_ttl", p.subject)),
            _ => None,
        })
        .collect();
    assert!(planted.len() >= 4, "{planted:?}");
    let mut found = BTreeSet::new();
    for slug in ["globex", "cyberdyne", "acme", "initech", "tyrell"] {
        let audit = f
            .app
            .cache_audit("sandbox", slug, &task(), |_| {})
            .await
            .unwrap_or_else(|e| panic!("audit {slug}: {e}"));
        assert!(
            audit.entities_checked.parse::<u32>().expect("count") > 0,
            "{slug}"
        );
        for finding in audit.findings {
            let kind = match finding.kind {
                FindingKind::CacheStale => "stale",
                FindingKind::CacheMissingTtl => "no_ttl",
                FindingKind::CacheOrphaned => "orphaned",
                other => panic!("the cache audit found {other:?}"),
            };
            let key = finding
                .evidence
                .iter()
                .find(|e| e.store == storelens_core::StoreKind::Redis)
                .map(|e| e.location.clone())
                .expect("a Redis location");
            found.insert((slug.to_owned(), kind, key));
        }
    }
    assert_eq!(
        found, planted,
        "found exactly what was planted, nothing else"
    );
}

#[tokio::test]
async fn deleting_keys_needs_a_read_write_connection_an_unlock_and_a_log_entry() {
    let server = TempRedis::start(false);
    let mut c = server.client().get_connection().expect("connect");
    redis::pipe()
        .set("doomed", 1)
        .set("kept", 1)
        .exec(&mut c)
        .expect("seed");
    let f = fixture();
    let (mut draft, mut secrets) = sandbox("sandbox");
    draft.redis = Some(server.endpoint());
    secrets.redis = None;
    let mut read_only = draft.clone();
    read_only.name = "ro".into();
    draft.read_only = false;
    f.app
        .save_connection(draft, secrets.clone())
        .await
        .expect("save");
    f.app
        .save_connection(read_only, secrets)
        .await
        .expect("save ro");
    let exists = |c: &mut redis::Connection, k: &str| -> bool {
        redis::cmd("EXISTS").arg(k).query::<i64>(c).expect("exists") == 1
    };

    let e = f
        .app
        .cache_delete("sandbox", vec![text("doomed")])
        .await
        .expect_err("locked");
    assert_eq!(e.code(), ErrorCode::ReadOnly, "{e}");
    let e = f
        .app
        .unlock_writes("ro", 5)
        .await
        .expect_err("read-only connection");
    assert_eq!(e.code(), ErrorCode::ReadOnly, "{e}");
    assert!(exists(&mut c, "doomed"));

    let access = f.app.unlock_writes("sandbox", 5).await.expect("unlock");
    assert!(access.unlocked_for_seconds > 0);
    let done = f
        .app
        .cache_delete("sandbox", vec![text("doomed"), text("never-there")])
        .await
        .expect("delete");
    assert_eq!((done.requested, done.deleted), (2, 1));
    assert!(!exists(&mut c, "doomed") && exists(&mut c, "kept"));
    let storelens_core::write_log::WriteLogReport { entries, chain } =
        f.app.write_log().await.expect("log");
    assert!(chain.intact, "{chain:?}");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].targets, ["doomed", "never-there"]);
    assert_eq!(entries[0], done.log_entry);

    // A log edited afterwards is caught, and no write is made until it is looked at.
    let path = f.dir.path().join("data").join("writes.jsonl");
    let log = std::fs::read_to_string(&path).expect("log file");
    std::fs::write(&path, log.replace("doomed", "harmless")).expect("tamper");
    let chain = f.app.write_log().await.expect("log").chain;
    assert_eq!(
        (chain.intact, chain.broken_at),
        (false, Some(1)),
        "{chain:?}"
    );
    let e = f
        .app
        .cache_delete("sandbox", vec![text("kept")])
        .await
        .expect_err("refused");
    assert_eq!(e.code(), ErrorCode::Config, "{e}");
    assert!(exists(&mut c, "kept"));

    f.app.lock_writes("sandbox");
    let e = f
        .app
        .cache_delete("sandbox", vec![text("kept")])
        .await
        .expect_err("locked again");
    assert_eq!(e.code(), ErrorCode::ReadOnly);
}

/// Waits until the batches hold (or count as left out) `n` messages.
async fn wait_for_messages(
    batches: &std::sync::Mutex<Vec<storelens_core::cache::monitor::MonitorBatch>>,
    n: usize,
) {
    let start = std::time::Instant::now();
    loop {
        let seen: usize = batches
            .lock()
            .expect("lock")
            .iter()
            .map(|b| b.messages.len() + b.dropped as usize)
            .sum();
        if seen >= n {
            return;
        }
        assert!(
            start.elapsed().as_secs() < 15,
            "{seen} of {n} messages arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_monitor_hands_on_a_tenants_messages_in_bounded_batches() {
    use std::sync::{Arc, Mutex};
    use storelens_core::cache::monitor::{MonitorBatch, MonitorMessage, BATCH_MAX};

    let server = TempRedis::start(false);
    let f = std::sync::Arc::new(with_redis(&server).await);
    let id = tenant_id(&f.app, "acme").await;
    let (channel, stream) = (
        format!("tenant:{id}:updates"),
        format!("tenant:{id}:updates:log"),
    );
    let mut c = server.client().get_connection().expect("connect");
    // An entry from before the monitor starts is not news.
    redis::cmd("XADD")
        .arg(&stream)
        .arg("*")
        .arg("old")
        .arg("1")
        .exec(&mut c)
        .expect("xadd");

    let batches: Arc<Mutex<Vec<MonitorBatch>>> = Arc::default();
    let running = {
        let (f, batches) = (f.clone(), batches.clone());
        tokio::spawn(async move {
            f.app
                .cache_monitor("sandbox", "acme", "it-cache-monitor", move |b| {
                    batches.lock().expect("lock").push(b)
                })
                .await
        })
    };
    // The first (empty) batch says the monitor listens.
    let start = std::time::Instant::now();
    while batches.lock().expect("lock").is_empty() {
        assert!(
            start.elapsed().as_secs() < 10,
            "the monitor never said it listens"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    for i in 0..3 {
        redis::cmd("PUBLISH")
            .arg(&channel)
            .arg(format!("m{i}"))
            .exec(&mut c)
            .expect("publish");
    }
    redis::cmd("PUBLISH")
        .arg("tenant:other:updates")
        .arg("not acme's")
        .exec(&mut c)
        .expect("publish");
    for i in 0..2 {
        redis::cmd("XADD")
            .arg(&stream)
            .arg("*")
            .arg("n")
            .arg(i)
            .exec(&mut c)
            .expect("xadd");
    }
    wait_for_messages(&batches, 5).await;
    // A burst: more than a batch holds arrives within one interval.
    let mut burst = redis::pipe();
    for i in 0..1_000 {
        burst.cmd("PUBLISH").arg(&channel).arg(i).ignore();
    }
    burst.exec(&mut c).expect("burst");
    wait_for_messages(&batches, 1_005).await;
    let cancelled = f.app.cancel_task("it-cache-monitor");
    if !cancelled {
        panic!("the monitor ended by itself: {:?}", running.await);
    }
    let summary = running.await.expect("join").expect("monitor");

    let batches = batches.lock().expect("lock");
    let messages: Vec<&MonitorMessage> = batches.iter().flat_map(|b| &b.messages).collect();
    let pubsub: Vec<&str> = messages
        .iter()
        .filter_map(|m| match m {
            MonitorMessage::Pubsub {
                channel: c,
                payload,
            } if *c == channel => Some(payload.text.as_str()),
            MonitorMessage::Pubsub { channel: c, .. } => panic!("another channel's message: {c}"),
            _ => None,
        })
        .collect();
    assert_eq!(&pubsub[..3], ["m0", "m1", "m2"]);
    let entries: Vec<&MonitorMessage> = messages
        .iter()
        .copied()
        .filter(|m| matches!(m, MonitorMessage::Stream { .. }))
        .collect();
    assert_eq!(
        entries.len(),
        2,
        "only the entries added while watching: {entries:?}"
    );
    assert!(batches.iter().all(|b| b.messages.len() <= BATCH_MAX));
    let dropped: u32 = batches.iter().map(|b| b.dropped).sum();
    assert!(dropped > 0, "a burst larger than a batch leaves some out");
    assert_eq!(summary.received, "1005");
    assert_eq!(
        messages.len() as u64 + u64::from(dropped),
        1005,
        "every message is shown or counted as left out"
    );
    assert_eq!(summary.dropped, dropped.to_string());
}
