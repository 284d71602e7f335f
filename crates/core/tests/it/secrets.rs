use std::path::Path;

use storelens_core::secrets::Keychain;
use storelens_core::secrets::SecretStore;
use storelens_core::StoreKind;

use crate::support::{fixture_with, real_keychain, sandbox};

#[test]
fn keychain_round_trip() {
    let Some(_) = real_keychain() else { return };
    let name = format!("it-{}", std::process::id());
    let k = Keychain;
    k.set(&name, StoreKind::Redis, "round-trip-secret")
        .expect("set");
    assert_eq!(
        k.get(&name, StoreKind::Redis).expect("get").as_deref(),
        Some("round-trip-secret")
    );
    k.delete(&name, StoreKind::Redis).expect("delete");
    assert_eq!(k.get(&name, StoreKind::Redis).expect("get"), None);
}

fn files_containing(root: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

/// A password typed in the editor (and one pasted inside a URL) ends up in the keychain and
/// in no file under the config, data or log dirs, even after it was used.
#[tokio::test]
async fn passwords_reach_no_file() {
    let Some(keychain) = real_keychain() else {
        return;
    };
    let f = fixture_with(keychain.clone());
    let _log = storelens_core::logging::init_file_logging(&f.app.dirs().logs).expect("logging");
    let (mut draft, secrets) = sandbox("leak-check");
    draft.name = format!("leak-check-{}", std::process::id());
    // Typed into the editor's S3 secret field (it must be the real one for the store to be up).
    let typed = secrets.objects.clone().expect("the stack's S3 secret");
    let pasted = "storelens-demo"; // the sandbox PostgreSQL password, inside the URL
    assert!(
        draft
            .postgres
            .as_ref()
            .is_some_and(|p| p.url.contains(pasted)),
        "the stack URL carries the password"
    );
    f.app
        .save_connection(draft.clone(), secrets)
        .await
        .expect("save");
    let report = f.app.check_health(&draft.name).await.expect("health");
    assert!(report.all_up(), "{report:?}");
    let details = f.app.get_connection(&draft.name).await.expect("details");
    assert!(details.secrets.objects && details.secrets.postgres);
    drop(_log);
    let leaks: Vec<String> = [typed.as_str(), pasted]
        .iter()
        .flat_map(|n| files_containing(f.dir.path(), n))
        .collect();
    f.app.delete_connection(&draft.name).await.expect("delete");
    assert!(leaks.is_empty(), "secrets written to {leaks:?}");
    assert_eq!(
        keychain.get(&draft.name, StoreKind::Objects).expect("get"),
        None,
        "delete removes keychain entries"
    );
}
