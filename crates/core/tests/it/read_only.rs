use storelens_core::stores::postgres::map_error;
use storelens_core::ErrorCode;

use crate::support::sandbox_fixture;

#[tokio::test]
async fn postgres_refuses_writes_in_read_only_mode() {
    let f = sandbox_fixture("ro").await;
    let platform = f.app.platform("ro").await.expect("open");
    let pg = platform.postgres().expect("opened");
    let err = sqlx::query("create temporary table storelens_ro_probe(x int)")
        .execute(pg.pool())
        .await
        .map_err(map_error)
        .expect_err("a write must be refused");
    assert_eq!(err.code(), ErrorCode::ReadOnly, "{err}");
}

#[tokio::test]
async fn redis_refuses_commands_outside_the_allowlist() {
    let f = sandbox_fixture("ro-redis").await;
    let platform = f.app.platform("ro-redis").await.expect("open");
    let redis = platform
        .redis
        .as_ref()
        .expect("configured")
        .as_ref()
        .expect("opened");
    let err = redis
        .command(&[b"SET", b"storelens:probe", b"x"])
        .await
        .expect_err("SET must be refused");
    assert_eq!(err.code(), ErrorCode::ReadOnly);
    let err = redis
        .command(&[b"FLUSHALL"])
        .await
        .expect_err("FLUSHALL must be refused");
    assert_eq!(err.code(), ErrorCode::ReadOnly);
    redis
        .command(&[b"GET", b"storelens:probe"])
        .await
        .expect("GET is a read");
}

#[tokio::test]
async fn postgres_sessions_carry_their_settings_from_the_start() {
    let f = sandbox_fixture("ro-settings").await;
    let platform = f.app.platform("ro-settings").await.expect("open");
    let pg = platform.postgres().expect("opened");
    let (read_only, jit, timeout): (String, String, String) = sqlx::query_as(
        "select current_setting('default_transaction_read_only'), current_setting('jit'), \
         current_setting('statement_timeout')",
    )
    .fetch_one(pg.pool())
    .await
    .expect("settings");
    assert_eq!(read_only, "on");
    // Storelens's scans run once: no plan is worth compiling.
    assert_eq!(jit, "off");
    assert_ne!(timeout, "0", "every statement has a limit");
}
