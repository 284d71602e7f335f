//! A tenant's entity tables: keyset pages cover every row once in every tier and show nothing
//! of another tenant; filters are typed and literal; exports are complete or absent.

use std::collections::BTreeSet;
use std::sync::Arc;

use sqlx::PgPool;
use storelens_core::rows::export::ExportFormat;
use storelens_core::rows::{ColumnFilter, FilterOp, RowPage, RowQuery};
use storelens_core::ErrorCode;
use storelens_sandbox::tenants::SHARED_ATOM_IDS;

use crate::support::{sandbox_fixture, Fixture};

async fn pool(f: &Fixture) -> PgPool {
    let platform = f.app.platform("sandbox").await.expect("open");
    platform.postgres().expect("pg").pool().clone()
}

/// Ids of a tenant's table by plain SQL, in id order, from where its tier keeps them.
async fn plain_ids(f: &Fixture, slug: &str, table: &str) -> Vec<String> {
    let tenant = f.app.get_tenant("sandbox", slug).await.expect("tenant");
    let platform = f.app.platform("sandbox").await.expect("open");
    let space = platform.tenant_space(&tenant).expect("space");
    let sql = match &space.row_filter {
        Some(_) => {
            format!("select id::text from public.{table} where tenant_id::text = $1 order by id")
        }
        None => format!(
            "select id::text from {}.{table} where $1 <> '' order by id",
            space.schema.pg()
        ),
    };
    sqlx::query_scalar(&sql)
        .bind(&tenant.id)
        .fetch_all(space.postgres.pool())
        .await
        .expect("plain ids")
}

fn query(entity: &str, limit: u32) -> RowQuery {
    RowQuery {
        entity: entity.into(),
        limit: Some(limit),
        ..Default::default()
    }
}

/// Every page of `query`, following `nextAfter`.
async fn all_pages(f: &Fixture, tenant: &str, mut q: RowQuery) -> Vec<RowPage> {
    let mut pages = Vec::new();
    loop {
        let page = f
            .app
            .tenant_rows("sandbox", tenant, q.clone())
            .await
            .expect("page");
        let next = page.next_after.clone();
        pages.push(page);
        match next {
            Some(n) => q.after = Some(n),
            None => return pages,
        }
    }
}

fn column(page: &RowPage, name: &str) -> usize {
    page.columns
        .iter()
        .position(|c| c.name == name)
        .expect(name)
}

fn ids(pages: &[RowPage]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| {
            let id = column(p, "id");
            p.rows.iter().map(move |r| r[id].clone().expect("id"))
        })
        .collect()
}

#[tokio::test]
async fn keyset_pages_cover_each_tier_exactly() {
    let f = sandbox_fixture("sandbox").await;
    for (slug, entity, table) in [
        ("acme", "atom", "atoms"),
        ("tyrell", "molecule", "molecules"),
        ("aperture", "atom", "atoms"),
        ("initech", "document", "documents"),
    ] {
        let expected = plain_ids(&f, slug, table).await;
        assert!(!expected.is_empty(), "{slug} has {table}");
        let pages = all_pages(&f, slug, query(entity, 7)).await;
        assert_eq!(ids(&pages), expected, "{slug} {table} ascending");
        assert!(pages.iter().all(|p| p.rows.len() <= 7));
        assert!(pages[0].columns.iter().any(|c| c.id && c.name == "id"));

        let mut desc = query(entity, 9);
        desc.descending = true;
        let mut reversed = expected.clone();
        reversed.reverse();
        assert_eq!(
            ids(&all_pages(&f, slug, desc).await),
            reversed,
            "{slug} descending"
        );
    }
}

#[tokio::test]
async fn tenants_sharing_ids_see_only_their_own_rows() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let initech = f
        .app
        .get_tenant("sandbox", "initech")
        .await
        .expect("initech");
    let initech_ids: BTreeSet<String> = ids(&all_pages(&f, "initech", query("atom", 1000)).await)
        .into_iter()
        .collect();
    let tyrell_ids: BTreeSet<String> = ids(&all_pages(&f, "tyrell", query("atom", 1000)).await)
        .into_iter()
        .collect();
    let shared = initech_ids.intersection(&tyrell_ids).count();
    assert_eq!(shared, SHARED_ATOM_IDS, "the fixture's shared ids");

    // Every row of initech's pages carries initech's tenant id, none of another row tenant.
    let pages = all_pages(&f, "initech", query("atom", 1000)).await;
    let tenant_col = column(&pages[0], "tenant_id");
    for row in pages.iter().flat_map(|p| &p.rows) {
        assert_eq!(row[tenant_col].as_deref(), Some(initech.id.as_str()));
    }
    let others: i64 = sqlx::query_scalar(
        "select count(*) from public.atoms where tenant_id::text <> $1 and id::text = any($2)",
    )
    .bind(&initech.id)
    .bind(initech_ids.iter().cloned().collect::<Vec<_>>())
    .fetch_one(&pg)
    .await
    .expect("count");
    assert_eq!(others, 0, "initech's ids are not other row tenants' rows");
}

#[tokio::test]
async fn filters_are_typed_and_literal() {
    let f = sandbox_fixture("sandbox").await;
    let all = ids(&all_pages(&f, "acme", query("atom", 1000)).await);
    let one = &all[3];
    let filtered = |filters: Vec<ColumnFilter>| RowQuery {
        filters,
        ..query("atom", 1000)
    };
    let eq = |column: &str, value: &str| ColumnFilter {
        column: column.into(),
        op: FilterOp::Equals,
        value: Some(value.into()),
    };

    let page = f
        .app
        .tenant_rows(
            "sandbox",
            "acme",
            filtered(vec![eq("id", &one.to_uppercase())]),
        )
        .await
        .expect("by id");
    assert_eq!(ids(&[page]), vec![one.clone()], "a UUID in any case");

    let greater = f
        .app
        .tenant_rows(
            "sandbox",
            "acme",
            filtered(vec![ColumnFilter {
                column: "id".into(),
                op: FilterOp::Greater,
                value: Some(one.clone()),
            }]),
        )
        .await
        .expect("greater");
    assert_eq!(ids(&[greater]), all[4..].to_vec());

    let not_null = f
        .app
        .tenant_rows(
            "sandbox",
            "acme",
            filtered(vec![ColumnFilter {
                column: "name".into(),
                op: FilterOp::NotNull,
                value: None,
            }]),
        )
        .await
        .expect("not null");
    assert_eq!(not_null.rows.len(), all.len());

    // Literal matching: wildcards and quotes match themselves (no atom name has them).
    for hostile in ["%", "_", "' or '1'='1", "\\", "*"] {
        let page = f
            .app
            .tenant_rows(
                "sandbox",
                "acme",
                filtered(vec![ColumnFilter {
                    column: "name".into(),
                    op: FilterOp::Contains,
                    value: Some(hostile.into()),
                }]),
            )
            .await
            .expect("contains");
        assert!(
            page.rows.is_empty(),
            "{hostile:?} matched {} rows",
            page.rows.len()
        );
    }

    // Refused before any query: unknown or hostile columns, values of the wrong type.
    for (filter, code) in [
        (eq("id; drop table atoms", "x"), ErrorCode::InvalidInput),
        (eq("nope", "x"), ErrorCode::InvalidInput),
        (eq("id", "' or 1=1 --"), ErrorCode::InvalidInput),
        (eq("version", "1 or 1=1"), ErrorCode::InvalidInput),
        (eq("created_at", "yesterday"), ErrorCode::InvalidInput),
        (eq("name", "\u{0}"), ErrorCode::InvalidInput),
    ] {
        let e = f
            .app
            .tenant_rows("sandbox", "acme", filtered(vec![filter.clone()]))
            .await
            .expect_err("refused");
        assert_eq!(e.code(), code, "{filter:?}: {e}");
    }
    let e = f
        .app
        .tenant_rows("sandbox", "acme", query("atoms; --", 10))
        .await
        .expect_err("unknown entity");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let e = f
        .app
        .tenant_rows("sandbox", "no-such-tenant", query("atom", 10))
        .await
        .expect_err("unknown tenant");
    assert_eq!(e.code(), ErrorCode::NotFound);
    let mut bad_cursor = query("atom", 10);
    bad_cursor.after = Some("not-a-uuid".into());
    let e = f
        .app
        .tenant_rows("sandbox", "acme", bad_cursor)
        .await
        .expect_err("bad cursor");
    assert_eq!(e.code(), ErrorCode::InvalidInput);

    let count: i64 = sqlx::query_scalar("select count(*) from public.atoms")
        .fetch_one(&pool(&f).await)
        .await
        .expect("count");
    assert!(count > 0, "nothing was dropped");
}

/// Exports tyrell's atoms (pages of 3, so many pages) to `path`.
async fn export_tyrell_atoms(
    f: &Fixture,
    format: ExportFormat,
    path: &std::path::Path,
) -> storelens_core::Result<storelens_core::rows::export::ExportSummary> {
    let task = format!("export-{}", path.display());
    f.app
        .export_rows(
            "sandbox",
            "tyrell",
            query("atom", 3),
            format,
            Some(path.to_owned()),
            &task,
            &|_| {},
        )
        .await
}

#[tokio::test]
async fn exports_are_whole_files_in_table_order() {
    let f = sandbox_fixture("sandbox").await;
    let expected = plain_ids(&f, "tyrell", "atoms").await;
    let dir = f.dir.path().join("out");

    let csv_path = dir.join("tyrell-atoms.csv");
    let summary = export_tyrell_atoms(&f, ExportFormat::Csv, &csv_path)
        .await
        .expect("csv export");
    assert_eq!(summary.rows as usize, expected.len());
    let mut reader = csv::Reader::from_path(&csv_path).expect("read csv");
    let headers = reader.headers().expect("headers").clone();
    let id = headers.iter().position(|h| h == "id").expect("id column");
    let got: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[id].to_owned())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        summary.bytes,
        std::fs::metadata(&csv_path)
            .expect("size")
            .len()
            .to_string()
    );

    let json_path = dir.join("tyrell-atoms.json");
    export_tyrell_atoms(&f, ExportFormat::Json, &json_path)
        .await
        .expect("json export");
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json_path).expect("read json")).expect("json");
    assert_eq!(rows.len(), expected.len());
    assert!(
        rows.iter()
            .any(|r| r["json_value"].is_object() || r["json_value"].is_array()),
        "jsonb columns are embedded as JSON"
    );

    // An existing file is never overwritten.
    let before = std::fs::read(&csv_path).expect("read");
    let e = export_tyrell_atoms(&f, ExportFormat::Csv, &csv_path)
        .await
        .expect_err("exists");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert_eq!(std::fs::read(&csv_path).expect("read"), before);
}

#[tokio::test]
async fn a_cancelled_export_leaves_no_file() {
    let f = Arc::new(sandbox_fixture("sandbox").await);
    let path = f.dir.path().join("cancelled.csv");
    let app = f.clone();
    let summary = f
        .app
        .export_rows(
            "sandbox",
            "acme",
            query("atom", 1),
            ExportFormat::Csv,
            Some(path.clone()),
            "cancel-me",
            // The first page's progress cancels the run.
            &move |_| {
                app.app.cancel_task("cancel-me");
            },
        )
        .await;
    let e = summary.expect_err("cancelled");
    assert_eq!(e.code(), ErrorCode::Cancelled);
    assert!(!path.exists());
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("cancelled"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(!f.app.cancel_task("cancel-me"), "the task is gone");
}
