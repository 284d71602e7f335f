use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use storelens_core::health::{HealthReport, StoreState};
use storelens_core::{ErrorCode, StoreKind};

use crate::support::{fixture, sandbox, sandbox_fixture, TIMEOUT};

fn state(report: &HealthReport, store: StoreKind) -> StoreState {
    report
        .stores
        .iter()
        .find(|s| s.store == store)
        .map(|s| s.state)
        .expect("store in report")
}

fn code(report: &HealthReport, store: StoreKind) -> Option<ErrorCode> {
    report
        .stores
        .iter()
        .find(|s| s.store == store)
        .and_then(|s| s.error.as_ref())
        .map(|e| e.code)
}

#[tokio::test]
async fn sandbox_has_four_healthy_stores() {
    let f = sandbox_fixture("sandbox").await;
    let report = f.app.check_health("sandbox").await.expect("health");
    for s in &report.stores {
        assert_eq!(s.state, StoreState::Up, "{:?}", s);
        assert!(s.latency_ms.is_some(), "{:?}", s);
        assert!(s.read_only, "{:?} should be read-only", s);
        assert!(
            s.endpoint
                .as_deref()
                .is_some_and(|e| e.starts_with("127.0.0.1:")),
            "{:?}",
            s
        );
    }
    let pg = report
        .stores
        .iter()
        .find(|s| s.store == StoreKind::Postgres)
        .expect("pg");
    assert!(
        pg.version
            .as_deref()
            .is_some_and(|v| v.starts_with("PostgreSQL 15")),
        "{pg:?}"
    );
    let redis = report
        .stores
        .iter()
        .find(|s| s.store == StoreKind::Redis)
        .expect("redis");
    assert!(
        redis
            .version
            .as_deref()
            .is_some_and(|v| v.starts_with("Redis 7")),
        "{redis:?}"
    );
}

/// A port nobody listens on: refused at once.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[tokio::test]
async fn a_refused_store_is_down_and_the_others_stay_up() {
    let f = fixture();
    let (mut draft, secrets) = sandbox("partial");
    let port = closed_port();
    draft.graph.as_mut().expect("graph").url = format!("bolt://127.0.0.1:{port}");
    f.app.save_connection(draft, secrets).await.expect("save");
    let started = Instant::now();
    let report = f.app.check_health("partial").await.expect("health");
    assert!(
        started.elapsed() < TIMEOUT + Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(state(&report, StoreKind::Graph), StoreState::Down);
    assert!(matches!(
        code(&report, StoreKind::Graph),
        Some(ErrorCode::Unavailable | ErrorCode::Timeout)
    ));
    for store in [StoreKind::Postgres, StoreKind::Redis, StoreKind::Objects] {
        assert_eq!(
            state(&report, store),
            StoreState::Up,
            "{store:?}: {report:?}"
        );
    }
}

#[tokio::test]
async fn a_hanging_store_times_out_without_delaying_the_others() {
    // Accepts connections and never answers: the worst kind of outage.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let _hold = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(16).flatten() {
            held.push(stream);
        }
    });
    let f = fixture();
    let (mut draft, secrets) = sandbox("hanging");
    draft.postgres.as_mut().expect("pg").url = format!("postgres://storelens@127.0.0.1:{port}/x");
    f.app.save_connection(draft, secrets).await.expect("save");
    let started = Instant::now();
    let report = f.app.check_health("hanging").await.expect("health");
    let took = started.elapsed();
    assert!(
        took >= TIMEOUT && took < TIMEOUT + Duration::from_secs(2),
        "took {took:?}"
    );
    assert_eq!(state(&report, StoreKind::Postgres), StoreState::Down);
    assert!(matches!(
        code(&report, StoreKind::Postgres),
        Some(ErrorCode::Timeout | ErrorCode::Unavailable)
    ));
    for store in [StoreKind::Graph, StoreKind::Redis, StoreKind::Objects] {
        assert_eq!(
            state(&report, store),
            StoreState::Up,
            "{store:?}: {report:?}"
        );
    }
}

#[tokio::test]
async fn wrong_passwords_are_auth_errors() {
    let f = fixture();
    let (draft, mut secrets) = sandbox("wrong");
    secrets.postgres = Some("not-the-password".into());
    secrets.graph = Some("not-the-password".into());
    secrets.redis = Some("not-the-password".into());
    f.app.save_connection(draft, secrets).await.expect("save");
    let report = f.app.check_health("wrong").await.expect("health");
    for store in [StoreKind::Postgres, StoreKind::Graph, StoreKind::Redis] {
        assert_eq!(state(&report, store), StoreState::Down, "{store:?}");
        assert_eq!(
            code(&report, store),
            Some(ErrorCode::Auth),
            "{store:?}: {report:?}"
        );
        let message = &report
            .stores
            .iter()
            .find(|s| s.store == store)
            .and_then(|s| s.error.clone())
            .expect("error")
            .message;
        assert!(
            !message.contains("not-the-password"),
            "password in error: {message}"
        );
    }
}

/// A real Redis server of our own, stopped while the app holds a connection to it, then started
/// again on the same port: down while stopped, up again without reopening anything.
#[tokio::test]
async fn a_stopped_server_is_down_and_recovers_when_restarted() {
    let port = closed_port();
    let dir = tempfile::tempdir().expect("tempdir");
    let start = || {
        Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is installed by scripts/stack")
    };
    let wait_until = |up: bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() != up {
            assert!(
                Instant::now() < deadline,
                "redis on {port} never became {}",
                if up { "up" } else { "down" }
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let mut server = start();
    wait_until(true);

    let f = fixture();
    let (mut draft, mut secrets) = sandbox("own-redis");
    draft.redis.as_mut().expect("redis").urls = vec![format!("redis://127.0.0.1:{port}")];
    secrets.redis = Some(String::new());
    f.app.save_connection(draft, secrets).await.expect("save");
    let report = f.app.check_health("own-redis").await.expect("health");
    assert_eq!(
        state(&report, StoreKind::Redis),
        StoreState::Up,
        "{report:?}"
    );

    server.kill().expect("stop redis");
    server.wait().expect("reap redis");
    wait_until(false);
    let started = Instant::now();
    let report = f.app.check_health("own-redis").await.expect("health");
    assert!(
        started.elapsed() < TIMEOUT + Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        state(&report, StoreKind::Redis),
        StoreState::Down,
        "{report:?}"
    );
    for store in [StoreKind::Postgres, StoreKind::Graph, StoreKind::Objects] {
        assert_eq!(
            state(&report, store),
            StoreState::Up,
            "{store:?}: {report:?}"
        );
    }

    let mut server = start();
    wait_until(true);
    // The connection manager reconnects on its own; give it a couple of probes.
    let mut recovered = false;
    for _ in 0..20 {
        let report = f.app.check_health("own-redis").await.expect("health");
        if state(&report, StoreKind::Redis) == StoreState::Up {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    server.kill().ok();
    server.wait().ok();
    assert!(
        recovered,
        "Redis did not come back after the server restarted"
    );
}
