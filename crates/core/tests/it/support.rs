use std::sync::Arc;
use std::time::Duration;

use storelens_core::connection::{ConnectionDraft, SecretsInput};
use storelens_core::connection_env::draft_from_env;
use storelens_core::paths::Dirs;
use storelens_core::secrets::{Keychain, MemorySecrets, SecretStore};
use storelens_core::Storelens;

pub const TIMEOUT: Duration = Duration::from_millis(2_000);

/// The sandbox endpoints; panics with a hint when the stack's variables are missing.
pub fn sandbox(name: &str) -> (ConnectionDraft, SecretsInput) {
    draft_from_env(name, "sandbox", true).unwrap_or_else(|e| {
        panic!("{e}: start the servers with `scripts/stack up` and `eval \"$(scripts/stack env)\"`")
    })
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub app: Storelens,
}

pub fn fixture_with(secrets: Arc<dyn SecretStore>) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = Storelens::new(Dirs::under(dir.path()), secrets).with_timeout(TIMEOUT);
    Fixture { dir, app }
}

pub fn fixture() -> Fixture {
    fixture_with(Arc::new(MemorySecrets::default()))
}

/// A fixture with the sandbox saved as connection `name`.
pub async fn sandbox_fixture(name: &str) -> Fixture {
    let f = fixture();
    let (draft, secrets) = sandbox(name);
    f.app
        .save_connection(draft, secrets)
        .await
        .expect("save the sandbox connection");
    f
}

/// A fixture with the sandbox saved as a read-write connection `name` (writes still locked).
pub async fn read_write_sandbox(name: &str) -> Fixture {
    let f = fixture();
    let (draft, secrets) = draft_from_env(name, "sandbox", false).expect("stack variables");
    f.app
        .save_connection(draft, secrets)
        .await
        .expect("save the sandbox connection");
    f
}

/// A fixture whose `sandbox` connection points its graph at a closed port (nothing listens),
/// the other three stores being the real ones.
pub async fn sandbox_with_closed_graph_port() -> Fixture {
    let f = fixture();
    let (mut draft, secrets) = sandbox("sandbox");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    draft.graph.as_mut().expect("graph").url = format!("bolt://127.0.0.1:{port}");
    f.app.save_connection(draft, secrets).await.expect("save");
    f
}

/// The real keychain is required where `scripts/test` provides one (a headless Secret Service);
/// elsewhere the keychain tests say so and stop.
pub fn real_keychain() -> Option<Arc<dyn SecretStore>> {
    let required = std::env::var_os("STORELENS_REQUIRE_KEYCHAIN").is_some();
    let probe = Keychain.get("storelens-probe", storelens_core::StoreKind::Postgres);
    match probe {
        Ok(_) => Some(Arc::new(Keychain)),
        Err(e) if required => panic!("the OS keychain is required here but failed: {e}"),
        Err(e) => {
            eprintln!(
                "no OS keychain in this environment ({e}); run under scripts/test to include it"
            );
            None
        }
    }
}

/// Held by each test that restores into the sandbox's scratch targets: they are shared, and
/// each such test checks that they are empty before and after.
pub async fn scratch_targets() -> tokio::sync::MutexGuard<'static, ()> {
    static SCRATCH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    SCRATCH.lock().await
}

/// Held by a test that changes which tables the sandbox's own database has (creates or drops a
/// schema) and by each test that backs that database up whole: a table dropped between a
/// backup's listing and its lock fails the backup (as it fails pg_dump), and rows written
/// meanwhile would not match the counts a test compares.
pub async fn sandbox_database_tables() -> tokio::sync::MutexGuard<'static, ()> {
    static TABLES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TABLES.lock().await
}
