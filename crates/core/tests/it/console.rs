//! The read-only consoles against the real servers: statements run in the tenant's space and
//! agree with plain queries; every way of writing is refused and nothing changes.

use storelens_core::console::{ConsoleRequest, ConsoleResult, QueryLanguage};
use storelens_core::{ErrorCode, Result};

use crate::support::{sandbox_fixture, Fixture};

async fn run(
    f: &Fixture,
    language: QueryLanguage,
    text: &str,
    tenant: Option<&str>,
) -> Result<ConsoleResult> {
    f.app
        .run_console(
            "sandbox",
            ConsoleRequest {
                language,
                text: text.into(),
                tenant: tenant.map(Into::into),
                max_rows: None,
            },
        )
        .await
}

async fn sql(f: &Fixture, text: &str, tenant: Option<&str>) -> Result<ConsoleResult> {
    run(f, QueryLanguage::Sql, text, tenant).await
}

fn only_cell(r: &ConsoleResult) -> &str {
    assert_eq!(r.rows.len(), 1, "{r:?}");
    r.rows[0][0].as_deref().expect("a value")
}

async fn plain_count(f: &Fixture, sql: &str, bind: &str) -> i64 {
    let platform = f.app.platform("sandbox").await.expect("open");
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(platform.postgres().expect("pg").pool())
        .await
        .expect("plain count")
}

#[tokio::test]
async fn sql_runs_in_the_tenant_space_of_each_tier() {
    let f = sandbox_fixture("sandbox").await;
    let r = sql(&f, "select count(*) from atoms", Some("tyrell"))
        .await
        .expect("schema tier");
    assert_eq!(
        only_cell(&r),
        plain_count(
            &f,
            "select count(*) from tenant_tyrell.atoms where $1 <> ''",
            "x"
        )
        .await
        .to_string()
    );
    assert!(r.scope.contains("tenant_tyrell"), "{}", r.scope);

    let r = sql(&f, "select current_database()", Some("aperture"))
        .await
        .expect("database tier");
    assert_eq!(only_cell(&r), "storelens_tenant_aperture");

    let acme = f.app.get_tenant("sandbox", "acme").await.expect("acme");
    let r = sql(
        &f,
        "select count(*) from atoms where tenant_id::text = current_setting('storelens.tenant_id');",
        Some("acme"),
    )
    .await
    .expect("row tier");
    assert_eq!(
        only_cell(&r),
        plain_count(
            &f,
            "select count(*) from public.atoms where tenant_id::text = $1",
            &acme.id
        )
        .await
        .to_string()
    );

    // Every type as PostgreSQL prints it, in statement order.
    let r = sql(
        &f,
        "select 9007199254740993::bigint as big, '{\"a\": [1, 2]}'::jsonb as doc, \
         null::text as nothing, '\\xff00'::bytea as raw, true as yes",
        None,
    )
    .await
    .expect("types");
    assert_eq!(r.columns, ["big", "doc", "nothing", "raw", "yes"]);
    assert_eq!(
        r.rows[0],
        vec![
            Some("9007199254740993".into()),
            Some("{\"a\": [1, 2]}".into()),
            None,
            Some("\\xff00".into()),
            Some("t".into()),
        ]
    );

    let r = run(
        &f,
        QueryLanguage::Sql,
        "select generate_series(1, 100) as n",
        None,
    )
    .await
    .expect("series");
    assert_eq!(r.rows.len(), 100);
    let capped = f
        .app
        .run_console(
            "sandbox",
            ConsoleRequest {
                language: QueryLanguage::Sql,
                text: "select generate_series(1, 100) as n".into(),
                tenant: None,
                max_rows: Some(10),
            },
        )
        .await
        .expect("capped");
    assert_eq!((capped.rows.len(), capped.more), (10, true));

    let empty = sql(&f, "select id, name from atoms where false", Some("acme"))
        .await
        .expect("empty");
    assert_eq!(
        (empty.columns.as_slice(), empty.rows.len()),
        (&["id".to_owned(), "name".to_owned()][..], 0)
    );

    let plan = sql(&f, "explain select * from atoms", Some("tyrell"))
        .await
        .expect("explain");
    assert_eq!(plan.columns, ["QUERY PLAN"]);
    assert!(only_cell(&plan).to_lowercase().contains("scan"), "{plan:?}");
}

#[tokio::test]
async fn sql_writes_are_refused_and_change_nothing() {
    let f = sandbox_fixture("sandbox").await;
    let before = plain_count(
        &f,
        "select count(*) from tenant_tyrell.atoms where $1 <> ''",
        "x",
    )
    .await;
    for (statement, code) in [
        ("delete from atoms", ErrorCode::ReadOnly),
        (
            "insert into atoms (id) values (gen_random_uuid())",
            ErrorCode::ReadOnly,
        ),
        ("update atoms set name = 'x'", ErrorCode::ReadOnly),
        ("create table storelens_probe (x int)", ErrorCode::ReadOnly),
        ("truncate atoms", ErrorCode::ReadOnly),
        ("select 1; delete from atoms", ErrorCode::Query),
        ("commit; delete from atoms", ErrorCode::Query),
        (
            "with d as (delete from atoms returning *) select * from d",
            ErrorCode::Query,
        ),
        (
            "select pg_terminate_backend(pg_backend_pid())",
            ErrorCode::ReadOnly,
        ),
        ("", ErrorCode::InvalidInput),
    ] {
        let e = sql(&f, statement, Some("tyrell"))
            .await
            .expect_err(statement);
        assert_eq!(e.code(), code, "{statement}: {e}");
    }
    // A setting changed by one statement does not outlive it.
    sql(
        &f,
        "set default_transaction_read_only = off",
        Some("tyrell"),
    )
    .await
    .expect("a set runs, then is rolled back");
    sql(
        &f,
        "select set_config('default_transaction_read_only', 'off', false)",
        Some("tyrell"),
    )
    .await
    .expect("set_config runs, then is rolled back");
    let e = sql(&f, "delete from atoms", Some("tyrell"))
        .await
        .expect_err("still read-only");
    assert_eq!(e.code(), ErrorCode::ReadOnly);
    assert_eq!(
        plain_count(
            &f,
            "select count(*) from tenant_tyrell.atoms where $1 <> ''",
            "x"
        )
        .await,
        before
    );
}

#[tokio::test]
async fn cypher_reads_with_the_tenant_bound_and_refuses_writes() {
    let f = sandbox_fixture("sandbox").await;
    let acme = f.app.get_tenant("sandbox", "acme").await.expect("acme");
    let r = run(
        &f,
        QueryLanguage::Cypher,
        "MATCH (n:Atom) WHERE n.tenantId = $tenant RETURN n.tenantId AS tenant, count(n) AS atoms",
        Some("acme"),
    )
    .await
    .expect("cypher");
    assert_eq!(r.columns, ["tenant", "atoms"]);
    assert_eq!(r.rows[0][0].as_deref(), Some(acme.id.as_str()));
    let atoms: i64 = r.rows[0][1]
        .as_deref()
        .expect("count")
        .parse()
        .expect("number");
    assert_eq!(
        atoms,
        plain_count(
            &f,
            "select count(*) from public.atoms where tenant_id::text = $1",
            &acme.id
        )
        .await,
        "every acme atom has its node"
    );

    let node = run(
        &f,
        QueryLanguage::Cypher,
        "MATCH (n:Atom) WHERE n.tenantId = $tenant RETURN n LIMIT 1",
        Some("acme"),
    )
    .await
    .expect("a node");
    let value: serde_json::Value = serde_json::from_str(only_cell(&node)).expect("node as JSON");
    assert_eq!(value["labels"][0], "Atom");
    assert_eq!(value["properties"]["tenantId"], acme.id.as_str());

    for statement in [
        "CREATE (n:StorelensProbe {x: 1})",
        "MATCH (n:Atom) WHERE n.tenantId = $tenant SET n.touched = true",
        "MATCH (n:Atom) WHERE n.tenantId = $tenant DETACH DELETE n",
        "MERGE (n:StorelensProbe {x: 1})",
        "CALL apoc.create.node(['StorelensProbe'], {})",
    ] {
        let e = run(&f, QueryLanguage::Cypher, statement, Some("acme"))
            .await
            .expect_err(statement);
        assert_eq!(e.code(), ErrorCode::ReadOnly, "{statement}: {e}");
    }
    let probes = run(
        &f,
        QueryLanguage::Cypher,
        "MATCH (n:StorelensProbe) RETURN count(n) AS c",
        None,
    )
    .await
    .expect("count probes");
    assert_eq!(only_cell(&probes), "0");
    let touched = run(
        &f,
        QueryLanguage::Cypher,
        "MATCH (n:Atom) WHERE n.touched = true RETURN count(n) AS c",
        None,
    )
    .await
    .expect("count touched");
    assert_eq!(only_cell(&touched), "0");
}

#[tokio::test]
async fn redis_commands_pass_the_allowlist_or_are_refused() {
    let f = sandbox_fixture("sandbox").await;
    let acme = f.app.get_tenant("sandbox", "acme").await.expect("acme");
    let scan = run(
        &f,
        QueryLanguage::Redis,
        &format!("SCAN 0 MATCH \"tenant:{}:atom:*\" COUNT 10000", acme.id),
        Some("acme"),
    )
    .await
    .expect("scan");
    assert_eq!(scan.columns, ["#", "value"]);
    let key = scan
        .rows
        .iter()
        .find(|r| r[0].as_deref() == Some("2.1"))
        .and_then(|r| r[1].clone())
        .expect("an atom key");
    assert!(key.starts_with(&format!("tenant:{}:atom:", acme.id)));
    assert!(scan.scope.contains(&acme.id), "{}", scan.scope);

    let value = run(&f, QueryLanguage::Redis, &format!("GET {key}"), None)
        .await
        .expect("get");
    serde_json::from_str::<serde_json::Value>(only_cell(&value)).expect("a JSON value");
    let ttl = run(&f, QueryLanguage::Redis, &format!("TTL {key}"), None)
        .await
        .expect("ttl");
    assert!(only_cell(&ttl).parse::<i64>().expect("seconds") > 0);

    for command in [
        format!("SET {key} x"),
        format!("DEL {key}"),
        "FLUSHALL".to_owned(),
        "CONFIG SET dir /tmp".to_owned(),
        "EVAL \"return redis.call('del', KEYS[1])\" 1 x".to_owned(),
    ] {
        let e = run(&f, QueryLanguage::Redis, &command, None)
            .await
            .expect_err(&command);
        assert_eq!(e.code(), ErrorCode::ReadOnly, "{command}: {e}");
    }
    let e = run(&f, QueryLanguage::Redis, "GET \"unbalanced", None)
        .await
        .expect_err("quotes");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let still = run(&f, QueryLanguage::Redis, &format!("GET {key}"), None)
        .await
        .expect("get again");
    assert_eq!(still.rows, value.rows, "the key is unchanged");
}
