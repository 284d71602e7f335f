use sqlx::{Connection, PgConnection};
use storelens_core::backup::row_hash::{measure_rows, RowHash};

async fn connect() -> PgConnection {
    let url =
        std::env::var("STORELENS_PG_URL").expect("STORELENS_PG_URL: eval \"$(scripts/stack env)\"");
    PgConnection::connect(&url).await.expect("connect")
}

/// (count, hash) of a table's rows, hashed `how`.
async fn measure(conn: &mut PgConnection, table: &str, how: Option<RowHash>) -> (String, String) {
    let m = measure_rows(conn, "rows".into(), table, "", how)
        .await
        .expect("measured");
    (m.count, m.hash.expect("a hash"))
}

async fn run(conn: &mut PgConnection, sql: &str) {
    sqlx::raw_sql(sql).execute(conn).await.expect(sql);
}

#[tokio::test]
async fn equal_rows_hash_equal_in_any_order_and_a_changed_value_does_not() {
    let mut conn = connect().await;
    run(
        &mut conn,
        "create temp table rh_a (id int, gone text, doc jsonb, at timestamptz, n numeric);
         insert into rh_a values (1, 'x', '{\"b\": 1, \"a\": [1, 2]}', '2026-01-01T00:00:00Z', 1.5),
                                 (2, null, null, null, null), (3, 'y', '{}', now(), -2);
         alter table rh_a drop column gone;
         create temp table rh_b (like rh_a);
         insert into rh_b select * from rh_a order by id desc;",
    )
    .await;
    let (count, a) = measure(&mut conn, "rh_a", None).await;
    assert_eq!(count, "3");
    assert_eq!(RowHash::of(&a), RowHash::Record, "{a}");
    // Another order, and no dropped column: the same rows.
    assert_eq!(measure(&mut conn, "rh_b", None).await.1, a);
    assert_eq!(measure(&mut conn, "rh_b", Some(RowHash::Record)).await.1, a);

    let md5 = measure(&mut conn, "rh_a", Some(RowHash::Md5)).await.1;
    assert_eq!(RowHash::of(&md5), RowHash::Md5, "{md5}");
    assert_eq!(measure(&mut conn, "rh_b", Some(RowHash::Md5)).await.1, md5);

    run(&mut conn, "update rh_b set doc = '{\"b\": 2}' where id = 1").await;
    assert_ne!(measure(&mut conn, "rh_b", None).await.1, a);
    assert_ne!(measure(&mut conn, "rh_b", Some(RowHash::Md5)).await.1, md5);
}

#[tokio::test]
async fn a_column_without_a_hash_function_falls_back_to_md5_and_the_transaction_goes_on() {
    let mut conn = connect().await;
    run(
        &mut conn,
        "create temp table rh_json (id int, doc json, at point);
         insert into rh_json values (1, '{\"a\": 1}', point(1, 2)), (2, '[]', null);",
    )
    .await;
    let mut tx = conn.begin().await.expect("begin");
    let (count, hash) = measure(&mut tx, "rh_json", None).await;
    assert_eq!(
        (count.as_str(), RowHash::of(&hash)),
        ("2", RowHash::Md5),
        "{hash}"
    );
    let still: i32 = sqlx::query_scalar("select 1")
        .fetch_one(&mut *tx)
        .await
        .expect("the transaction is still usable after the fallback");
    assert_eq!(still, 1);
    tx.rollback().await.expect("rollback");
    // Asked for `record` (a backup that took it so), the failure is an error, not a silent md5.
    assert!(measure_rows(
        &mut conn,
        "rows".into(),
        "rh_json",
        "",
        Some(RowHash::Record)
    )
    .await
    .is_err());
}
