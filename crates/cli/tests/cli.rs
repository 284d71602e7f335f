//! The `storelens` binary against the real servers of `scripts/stack` (their `STORELENS_*`
//! variables must be set, as `scripts/test` does), with a throwaway config dir per test.
//!
//! Modules (inline below): health over JSON, a store down, error codes and exit codes, tenants,
//! footprint and find, entity rows, exports, the read-only consoles, the event log folds, and
//! the cache (scan, keys, get, audit with its exit code), the graph (search, expand, path) and
//! backups (run, list, verify with its exit code; a whole store; a restore into scratch and
//! over live data, each only once unlocked; a destination that fills up), and the tenant audit
//! (its report, HTML file and severity gate).

use std::net::TcpListener;
use std::process::{Command, Output};

use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_storelens"))
            .args(args)
            .env("STORELENS_CONFIG_DIR", self.dir.path().join("config"))
            .env("STORELENS_DATA_DIR", self.dir.path().join("data"))
            .env("STORELENS_STORE_TIMEOUT_MS", "2000")
            .output()
            .expect("run storelens")
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.run(args);
        let text = String::from_utf8_lossy(&out.stdout);
        let value = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{args:?} printed no JSON ({e}): {text} / {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), value)
    }

    /// Runs `args`, expecting exit 2 with the error `expect_code` and a message; the answer.
    fn expect_error(&self, args: &[&str], expect_code: &str) -> Value {
        let (code, value) = self.json(args);
        assert_eq!(code, 2, "{args:?}: {value}");
        assert_eq!(value["error"]["code"], expect_code, "{args:?}: {value}");
        assert!(
            value["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{value}"
        );
        value
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run `eval \"$(scripts/stack env)\"` or scripts/test")
    })
}

fn states(report: &Value) -> Vec<(String, String)> {
    report["stores"]
        .as_array()
        .expect("stores")
        .iter()
        .map(|s| {
            (
                s["store"].as_str().unwrap_or("").to_owned(),
                s["state"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn health_json_reports_four_stores_up_with_latency_and_version() {
    let cli = Cli::new();
    let (code, _) = cli.json(&["connections", "add", "sandbox", "--from-env", "--json"]);
    assert_eq!(code, 0);
    // `sandbox` is the default connection when it exists.
    let (code, report) = cli.json(&["health", "--json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        states(&report),
        [
            ("postgres", "up"),
            ("graph", "up"),
            ("redis", "up"),
            ("objects", "up")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    for s in report["stores"].as_array().expect("stores") {
        assert!(s["latencyMs"].is_u64(), "{s}");
        assert!(s["version"].as_str().is_some_and(|v| !v.is_empty()), "{s}");
        assert_eq!(s["readOnly"], true, "{s}");
    }
}

#[test]
fn a_store_down_is_reported_and_the_others_are_up() {
    let cli = Cli::new();
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let out = cli.run(&[
        "connections",
        "add",
        "partial",
        "--pg-url",
        &env("STORELENS_PG_URL"),
        "--bolt-url",
        &env("STORELENS_BOLT_URL"),
        "--bolt-user",
        &env("STORELENS_BOLT_USER"),
        "--redis-url",
        &format!("redis://127.0.0.1:{port}"),
        "--s3-endpoint",
        &env("STORELENS_S3_ENDPOINT"),
        "--s3-bucket",
        &env("STORELENS_S3_BUCKET"),
        "--s3-access-key",
        &env("STORELENS_S3_ACCESS_KEY"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, report) = cli.json(&["health", "--connection", "partial", "--json"]);
    assert_eq!(code, 1, "a store down exits 1: {report}");
    let states = states(&report);
    assert!(
        states.contains(&("redis".into(), "down".into())),
        "{states:?}"
    );
    for store in ["postgres", "graph", "objects"] {
        assert!(
            states.contains(&(store.into(), "up".into())),
            "{store}: {states:?}"
        );
    }
    let redis = report["stores"]
        .as_array()
        .expect("stores")
        .iter()
        .find(|s| s["store"] == "redis")
        .expect("redis");
    assert_eq!(redis["error"]["code"], "unavailable", "{redis}");
}

fn check_error(args: &[&str], expect_code: &str) {
    Cli::new().expect_error(args, expect_code);
}

#[test]
fn bad_input_gets_a_clear_error_code() {
    check_error(&["health", "--connection", "nope", "--json"], "not_found");
    check_error(&["health", "--json"], "not_found");
    check_error(
        &[
            "connections",
            "add",
            "x",
            "--pg-url",
            "mysql://u:secret@h/db",
            "--json",
        ],
        "invalid_input",
    );
    check_error(
        &[
            "connections",
            "add",
            "../../etc",
            "--pg-url",
            "postgres://h/db",
            "--json",
        ],
        "invalid_input",
    );
    check_error(
        &[
            "connections",
            "add",
            "x",
            "--profile",
            "/nonexistent/profile.toml",
            "--json",
        ],
        "profile",
    );
}

#[test]
fn a_password_in_a_url_never_reaches_stdout_or_the_config_file() {
    let cli = Cli::new();
    let out = cli.run(&[
        "connections",
        "add",
        "x",
        "--pg-url",
        "postgres://u:TopSecret1@127.0.0.1:1/db",
        "--json",
    ]);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains("TopSecret1"), "{printed}");
    let config =
        std::fs::read_to_string(cli.dir.path().join("config/connections.toml")).unwrap_or_default();
    assert!(!config.contains("TopSecret1"), "{config}");
    let _ = cli.run(&["connections", "remove", "x"]);
}

fn sandbox_cli() -> Cli {
    let cli = Cli::new();
    let (code, value) = cli.json(&["connections", "add", "sandbox", "--from-env", "--json"]);
    assert_eq!(code, 0, "{value}");
    cli
}

#[test]
fn tenants_footprint_and_find_are_scriptable() {
    let cli = sandbox_cli();
    let (code, page) = cli.json(&["tenants", "list", "--json"]);
    assert_eq!(code, 0, "{page}");
    let tiers: Vec<&str> = page["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .filter_map(|t| t["tier"].as_str())
        .collect();
    for tier in ["row", "schema", "database"] {
        assert!(tiers.contains(&tier), "no {tier} tenant in {tiers:?}");
    }

    let (code, footprint) = cli.json(&["tenants", "show", "acme", "--footprint", "--json"]);
    assert_eq!(code, 0, "{footprint}");
    for part in ["postgres", "graph", "redis", "objects"] {
        assert!(
            footprint[part]["error"].is_null(),
            "{part}: {}",
            footprint[part]
        );
    }

    // An atom of acme, read with plain psql, then looked up across all stores.
    let sql = "select a.id from atoms a join tenants t on t.id = a.tenant_id where t.slug = 'acme' order by a.id limit 1";
    let psql = Command::new("psql")
        .args([&env("STORELENS_PG_URL"), "-Atc", sql])
        .output()
        .expect("psql");
    let atom = String::from_utf8_lossy(&psql.stdout).trim().to_owned();
    assert!(
        !atom.is_empty(),
        "no atom: {}",
        String::from_utf8_lossy(&psql.stderr)
    );
    let (code, lookup) = cli.json(&["find", &atom, "--json"]);
    assert_eq!(code, 0, "{lookup}");
    let hits = lookup["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{lookup}");
    assert_eq!(hits[0]["tenant"]["slug"], "acme", "{lookup}");
    let (_, nothing) = cli.json(&["find", "00000000-0000-0000-0000-000000000000", "--json"]);
    assert_eq!(
        nothing["hits"].as_array().map(Vec::len),
        Some(0),
        "{nothing}"
    );
    cli.expect_error(
        &["tenants", "show", "no-such-tenant", "--json"],
        "not_found",
    );
}

#[test]
fn rows_pages_exports_and_consoles_are_scriptable() {
    let cli = sandbox_cli();
    // Walk tyrell's atoms page by page with the printed cursor; compare with plain psql.
    let plain = Command::new("psql")
        .args([
            &env("STORELENS_PG_URL"),
            "-Atc",
            "select id from tenant_tyrell.atoms order by id",
        ])
        .output()
        .expect("psql");
    let expected: Vec<String> = String::from_utf8_lossy(&plain.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(!expected.is_empty());
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut args = vec![
            "tenants", "rows", "tyrell", "atom", "--limit", "10", "--json",
        ];
        if let Some(a) = &after {
            args.extend(["--after", a.as_str()]);
        }
        let (code, page) = cli.json(&args);
        assert_eq!(code, 0, "{page}");
        let id = page["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .position(|c| c["name"] == "id")
            .expect("id column");
        for row in page["rows"].as_array().expect("rows") {
            seen.push(row[id].as_str().expect("id").to_owned());
        }
        match page["nextAfter"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, expected);

    cli.expect_error(
        &[
            "tenants",
            "rows",
            "tyrell",
            "atom",
            "--filter",
            "id=' or 1=1",
            "--json",
        ],
        "invalid_input",
    );

    let out = cli.dir.path().join("tyrell.csv");
    let out_text = out.display().to_string();
    let (code, summary) = cli.json(&[
        "tenants", "export", "tyrell", "atom", "--format", "csv", "--out", &out_text, "--json",
    ]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["rows"].as_u64(), Some(expected.len() as u64));
    let lines = std::fs::read_to_string(&out).expect("csv").lines().count();
    assert!(lines > expected.len(), "a header and every row: {lines}");

    let (code, count) = cli.json(&[
        "query",
        "sql",
        "select count(*) as n from atoms",
        "-t",
        "tyrell",
        "--json",
    ]);
    assert_eq!(code, 0, "{count}");
    assert_eq!(
        count["rows"][0][0].as_str(),
        Some(expected.len().to_string().as_str())
    );
    for (language, statement) in [
        ("sql", "delete from atoms"),
        ("cypher", "MATCH (n) DETACH DELETE n"),
        ("redis", "FLUSHALL"),
    ] {
        cli.expect_error(
            &["query", language, statement, "-t", "tyrell", "--json"],
            "read_only",
        );
    }
}

#[test]
fn events_history_state_and_diff_are_scriptable() {
    let cli = sandbox_cli();
    let psql = Command::new("psql")
        .args([
            &env("STORELENS_PG_URL"),
            "-Atc",
            "select a.id, a.version from atoms a join tenants t on t.id = a.tenant_id where t.slug = 'hooli' and a.version > 2 order by a.id limit 1",
        ])
        .output()
        .expect("psql");
    let line = String::from_utf8_lossy(&psql.stdout).trim().to_owned();
    let (atom, version) = line.split_once('|').expect("id|version");
    let (code, history) = cli.json(&["events", "history", atom, "--json"]);
    assert_eq!(code, 0, "{history}");
    assert_eq!(history["totalEvents"].to_string(), version, "{history}");
    let steps = history["steps"].as_array().expect("steps");
    let first_seq = steps[0]["event"]["sequence"]
        .as_str()
        .expect("sequence")
        .to_owned();
    let last_seq = steps.last().expect("a step")["event"]["sequence"]
        .as_str()
        .expect("sequence")
        .to_owned();

    let (code, first) = cli.json(&["events", "state", atom, "--at", &first_seq, "--json"]);
    assert_eq!(code, 0, "{first}");
    assert_eq!(first["version"], 1, "{first}");
    let (code, diff) = cli.json(&[
        "events", "diff", atom, "--from", &first_seq, "--to", &last_seq, "--json",
    ]);
    assert_eq!(code, 0, "{diff}");
    assert!(
        !diff["changes"].as_array().expect("changes").is_empty(),
        "{diff}"
    );
    assert_eq!(diff["to"]["state"], history["state"]);

    cli.expect_error(
        &["events", "state", atom, "--at", "not a time", "--json"],
        "invalid_input",
    );
    cli.expect_error(
        &[
            "events",
            "history",
            "00000000-0000-0000-0000-000000000000",
            "--json",
        ],
        "not_found",
    );
}

#[test]
fn cache_scan_get_and_audit_are_scriptable() {
    let cli = sandbox_cli();
    let (code, scan) = cli.json(&["cache", "scan", "--tenant", "globex", "--json"]);
    assert_eq!(code, 0, "{scan}");
    let keys: u64 = scan["keys"]
        .as_str()
        .and_then(|k| k.parse().ok())
        .expect("keys");
    assert!(keys > 10, "{scan}");
    let atoms = scan["namespaces"]
        .as_array()
        .expect("namespaces")
        .iter()
        .find(|n| {
            n["prefix"]["text"]
                .as_str()
                .is_some_and(|p| p.ends_with(":atom:"))
        })
        .expect("an atom folder")["prefix"]["text"]
        .as_str()
        .expect("text")
        .to_owned();

    let (code, page) = cli.json(&["cache", "keys", &atoms, "--limit", "1", "--json"]);
    assert_eq!(code, 0, "{page}");
    let key = page["keys"][0]["key"]["text"]
        .as_str()
        .expect("a key")
        .to_owned();
    let (code, value) = cli.json(&["cache", "get", &key, "--json"]);
    assert_eq!(code, 0, "{value}");
    assert_eq!(value["kind"], "string", "{value}");
    assert!(value["value"]["json"].is_object(), "{value}");

    // The faulty tenant has findings: exit code 1 so a runbook can stop on it.
    let (code, audit) = cli.json(&["cache", "audit", "globex", "--json"]);
    assert_eq!(code, 1, "{audit}");
    let kinds: Vec<&str> = audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"cache_stale") && kinds.contains(&"cache_missing_ttl"),
        "{audit}"
    );
    let (code, clean) = cli.json(&["cache", "audit", "acme", "--json"]);
    assert_eq!(
        (code, clean["findings"].as_array().map(Vec::len)),
        (0, Some(0)),
        "{clean}"
    );

    // The sandbox connection is read-only: even --unlock writes nothing, and the log is empty.
    cli.expect_error(
        &["cache", "delete", &key, "--unlock", "--json"],
        "read_only",
    );
    let (code, still) = cli.json(&["cache", "get", &key, "--json"]);
    assert_eq!(
        (code, &still["kind"]),
        (0, &Value::from("string")),
        "{still}"
    );
    let (code, log) = cli.json(&["write-log", "--json"]);
    assert_eq!(
        (
            code,
            log["chain"]["intact"].as_bool(),
            log["entries"].as_array().map(Vec::len)
        ),
        (0, Some(true), Some(0)),
        "{log}"
    );

    cli.expect_error(&["cache", "get", "--hex", "xyz", "--json"], "invalid_input");
}

#[test]
fn graph_expand_path_and_search_are_scriptable() {
    let cli = sandbox_cli();
    let supernode =
        storelens_sandbox::generate::supernode_id(storelens_sandbox::DEFAULT_RNG_SEED).to_string();
    // Two hops from acme's supernode, 1,000 relationships per hop: the supernode is paged.
    let (code, view) = cli.json(&[
        "graph", "expand", &supernode, "--tenant", "acme", "--hops", "2", "--limit", "1000",
        "--json",
    ]);
    assert_eq!(code, 0, "{view}");
    let edges = view["edges"].as_array().expect("edges");
    assert!(
        edges.len() > 1_000 && edges.len() <= 2_000,
        "{}",
        edges.len()
    );
    let paged = &view["supernodes"][0];
    assert_eq!(paged["shown"], 1000, "{paged}");
    assert_eq!(paged["nextSkip"], 1000, "{paged}");
    assert!(view["truncated"].as_bool().expect("truncated"));

    // globex's molecule that requires the supernode: one breach, flagged in JSON and text.
    let (code, found) = cli.json(&[
        "graph",
        "search",
        "gst-policy-rule-7",
        "--tenant",
        "globex",
        "--json",
    ]);
    assert_eq!(code, 0, "{found}");
    let molecule = found["nodes"][0]["id"]
        .as_str()
        .expect("a molecule")
        .to_owned();
    let (code, view) = cli.json(&["graph", "expand", &molecule, "--tenant", "globex", "--json"]);
    assert_eq!(code, 0, "{view}");
    let breaches: Vec<&Value> = view["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["breach"] == true)
        .collect();
    assert_eq!(breaches.len(), 1, "{view}");
    let text = cli.run(&["graph", "expand", &molecule, "--tenant", "globex"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.matches("BREACH").count(), 1, "{text}");

    // A path from one of the molecule's atoms back to it.
    let atom = view["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["labels"][0] == "Atom" && n["foreign"] == false)
        .expect("an atom of globex")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (code, path) = cli.json(&[
        "graph", "path", &atom, &molecule, "--tenant", "globex", "--json",
    ]);
    assert_eq!(code, 0, "{path}");
    assert_eq!(path["paths"][0].as_array().map(Vec::len), Some(1), "{path}");

    // Hostile input: a clear code, exit 2.
    cli.expect_error(
        &[
            "graph",
            "expand",
            &molecule,
            "--tenant",
            "globex",
            "--type",
            "REQUIRES]-() DELETE r //",
            "--json",
        ],
        "invalid_input",
    );
    cli.expect_error(
        &[
            "graph", "expand", &supernode, "--tenant", "globex", "--json",
        ],
        "not_found",
    );
}

#[test]
fn backup_run_list_and_verify_are_scriptable() {
    let cli = sandbox_cli();
    let dest = cli.dir.path().join("backups");
    let dest = dest.to_str().expect("utf-8 path");
    let (code, summary) = cli.json(&[
        "backup", "run", "--tenant", "tyrell", "--dest", dest, "--json",
    ]);
    assert_eq!(code, 0, "{summary}");
    let id = summary["manifest"]["id"].as_str().expect("id").to_owned();
    let stores: Vec<&str> = summary["manifest"]["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["store"].as_str().expect("store"))
        .collect();
    assert_eq!(
        stores,
        ["postgres", "graph", "redis", "objects"],
        "{summary}"
    );
    assert_eq!(
        summary["manifest"]["parts"][0]["method"],
        "pg_dump_directory"
    );

    let (code, list) = cli.json(&["backup", "list", "--dest", dest, "--json"]);
    assert_eq!(code, 0, "{list}");
    assert_eq!(list["backups"][0]["id"], id.as_str(), "{list}");

    let (code, v) = cli.json(&["backup", "verify", &id, "--dest", dest, "--json"]);
    assert_eq!((code, v["passed"].as_bool()), (0, Some(true)), "{v}");
    // A changed file: verification fails with exit code 1, naming it.
    let keys = std::path::Path::new(dest)
        .join(&id)
        .join("redis/keys.jsonl");
    std::fs::write(&keys, b"{}\n").expect("overwrite");
    let (code, v) = cli.json(&["backup", "verify", &id, "--dest", dest, "--json"]);
    assert_eq!((code, v["passed"].as_bool()), (1, Some(false)), "{v}");
    assert!(v.to_string().contains("redis/keys.jsonl"), "{v}");
    cli.expect_error(
        &[
            "backup",
            "verify",
            "no-such-backup",
            "--dest",
            dest,
            "--json",
        ],
        "not_found",
    );
}

#[test]
fn backup_restores_whole_stores_and_full_destinations_are_scriptable() {
    let cli = Cli::new();
    let (code, value) = cli.json(&[
        "connections",
        "add",
        "sandbox",
        "--from-env",
        "--read-write",
        "--json",
    ]);
    assert_eq!(code, 0, "{value}");
    let dest = cli.dir.path().join("backups");
    let dest = dest.to_str().expect("utf-8 path");

    // A whole store: Redis by BGSAVE, the RDB file's place reported.
    let (code, summary) = cli.json(&[
        "backup", "run", "--store", "redis", "--dest", dest, "--json",
    ]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["manifest"]["parts"][0]["method"], "redis_bgsave");
    assert!(
        summary["manifest"]["parts"][0]["source"]
            .as_str()
            .is_some_and(|s| s.contains("dump.rdb")),
        "{summary}"
    );

    // A new backup of `scope` (e.g. `--tenant aperture`), by id.
    let backup = |scope: &[&str]| {
        let mut args = vec!["backup", "run"];
        args.extend(scope);
        args.extend(["--dest", dest, "--json"]);
        let (code, summary) = cli.json(&args);
        assert_eq!(code, 0, "{summary}");
        summary["manifest"]["id"].as_str().expect("id").to_owned()
    };
    fn verify_restore<'a>(id: &'a str, dest: &'a str, unlock: bool) -> Vec<&'a str> {
        let mut args = vec![
            "backup",
            "verify",
            id,
            "--dest",
            dest,
            "--restore",
            "--json",
        ];
        args.extend(unlock.then_some("--unlock"));
        args
    }

    // Of a whole store, a database is restored into a scratch database and compared table by
    // table; Redis's part is skipped (its RDB file stays on the server), not passed off.
    let whole_verify = |store: &str| {
        let id = backup(&["--store", store]);
        let (code, v) = cli.json(&verify_restore(&id, dest, true));
        assert_eq!((code, v["passed"].as_bool()), (0, Some(true)), "{v}");
        v["parts"][0]["restore"].clone()
    };
    let database = whole_verify("postgres");
    assert_eq!(
        (database["passed"].as_bool(), database["skipped"].as_bool()),
        (Some(true), Some(false)),
        "{database}"
    );
    assert!(
        database["target"]
            .as_str()
            .is_some_and(|t| t.starts_with("scratch database ")),
        "{database}"
    );
    assert!(
        database["measures"]
            .as_array()
            .is_some_and(|m| m.len() > 3 && m.iter().all(|m| m["sameContent"] == true)),
        "{database}"
    );
    let redis = whole_verify("redis");
    assert_eq!(redis["skipped"].as_bool(), Some(true), "{redis}");

    // A restore into scratch targets needs the unlock; with it every part restores whole.
    let id = backup(&["--tenant", "aperture"]);
    cli.expect_error(&verify_restore(&id, dest, false), "read_only");
    let (code, v) = cli.json(&verify_restore(&id, dest, true));
    assert_eq!(
        (code, v["passed"].as_bool(), v["restored"].as_bool()),
        (0, Some(true), Some(true)),
        "{v}"
    );
    assert!(
        v["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .all(|p| p["restore"]["passed"] == true),
        "{v}"
    );

    // A tenant restored over its live data (umbrella: read by no other CLI test) from a fresh
    // backup: every part equal to the manifest, one write log entry per store.
    let id = backup(&["--tenant", "umbrella"]);
    cli.expect_error(
        &["backup", "restore", &id, "--dest", dest, "--json"],
        "read_only",
    );
    let (code, report) = cli.json(&[
        "backup", "restore", &id, "--dest", dest, "--unlock", "--json",
    ]);
    assert_eq!(
        (code, report["passed"].as_bool()),
        (0, Some(true)),
        "{report}"
    );
    assert_eq!(
        report["logEntries"].as_array().map(Vec::len),
        Some(4),
        "{report}"
    );

    // A destination that fills up (a 64 KiB tmpfs in a mount namespace of its own): a clear
    // error, and nothing left behind.
    let full = cli.dir.path().join("full");
    std::fs::create_dir(&full).expect("mount point");
    let out = Command::new("unshare")
        .args(["-rm", "sh", "-c"])
        .arg(
            "mount -t tmpfs -o size=64k tmpfs \"$1\" || exit 99; \
             \"$2\" backup run --tenant globex --dest \"$1\" --json; code=$?; \
             echo \"left: $(ls -A \"$1\")\" >&2; exit $code",
        )
        .args([
            "sh",
            full.to_str().expect("path"),
            env!("CARGO_BIN_EXE_storelens"),
        ])
        .env("STORELENS_CONFIG_DIR", cli.dir.path().join("config"))
        .env("STORELENS_DATA_DIR", cli.dir.path().join("data"))
        .env("STORELENS_STORE_TIMEOUT_MS", "2000")
        .output()
        .expect("run unshare");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(99),
        "tmpfs could not be mounted: {stderr}"
    );
    assert_eq!(out.status.code(), Some(2), "{stdout} {stderr}");
    let e: Value = serde_json::from_str(&stdout).expect("an error as JSON");
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("the destination is full")),
        "{e}"
    );
    assert!(
        stderr.contains("left: \n") || stderr.trim_end().ends_with("left:"),
        "{stderr}"
    );
}

#[test]
fn audit_reports_writes_html_and_gates_on_severity() {
    let cli = sandbox_cli();
    let html = cli.dir.path().join("globex.html");
    let html = html.to_str().expect("utf-8 path");
    let (code, report) = cli.json(&["audit", "globex", "--html", html, "--json"]);
    assert_eq!(code, 1, "findings at medium or above: {report}");
    let kinds: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["kind"].as_str().expect("kind"))
        .collect();
    for kind in [
        "read_model_lag",
        "cache_stale",
        "cache_missing_ttl",
        "graph_node_without_row",
        "cross_tenant_relationship",
        "object_without_row",
    ] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
    let page = std::fs::read_to_string(html).expect("the HTML report");
    assert!(
        page.starts_with("<!doctype html>") && page.contains("globex"),
        "{page}"
    );
    assert!(!page.contains("<script"), "self-contained, no script");
    // A gate above every finding passes; the clean tenant passes the default gate.
    let (code, _) = cli.json(&["audit", "globex", "--fail-on", "critical", "--json"]);
    assert_eq!(code, 1, "the cross-tenant relationship is critical");
    let (code, clean) = cli.json(&["audit", "hooli", "--json"]);
    assert_eq!(
        (code, clean["findings"].as_array().map(Vec::len)),
        (0, Some(0)),
        "{clean}"
    );
    cli.expect_error(&["audit", "no-such-tenant", "--json"], "not_found");
    let out = cli.run(&["audit", "globex", "--fail-on", "urgent"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad severity is a usage error"
    );
}
