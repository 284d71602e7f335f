//! The committed TypeScript bindings must match the commands. A changed signature without
//! regenerated bindings fails here; regenerate with
//! `STORELENS_UPDATE_BINDINGS=1 cargo test -p storelens-app --test bindings`.

use specta_typescript::Typescript;

const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");

#[test]
fn bindings_are_up_to_date() {
    let fresh = tempfile_path();
    storelens_app_lib::specta_builder()
        .export(Typescript::default(), &fresh)
        .expect("export bindings");
    let generated = std::fs::read_to_string(&fresh).expect("read generated bindings");
    let _ = std::fs::remove_file(&fresh);
    if std::env::var_os("STORELENS_UPDATE_BINDINGS").is_some() {
        std::fs::write(BINDINGS, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(BINDINGS).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/bindings.ts is stale: a command or DTO changed. Regenerate with \
         `STORELENS_UPDATE_BINDINGS=1 cargo test -p storelens-app --test bindings` and commit it."
    );
}

fn tempfile_path() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("storelens-bindings-{}.ts", std::process::id()))
}
