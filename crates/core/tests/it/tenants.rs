use storelens_core::tenants::{TenantLocation, TenantQuery, Tier};
use storelens_core::ErrorCode;

use crate::support::{sandbox_fixture, Fixture};

/// Every sandbox tenant on one page.
async fn all_tenants(f: &Fixture) -> storelens_core::tenants::TenantPage {
    let query = TenantQuery {
        page_size: Some(1_000),
        ..Default::default()
    };
    f.app.list_tenants("sandbox", query).await.expect("list")
}

#[tokio::test]
async fn lists_tenants_of_every_tier_with_their_location() {
    let f = sandbox_fixture("sandbox").await;
    let page = all_tenants(&f).await;
    assert!(
        page.total >= 3 && page.tenants.len() as u32 == page.total.min(1_000),
        "{page:?}"
    );
    for tier in [Tier::Row, Tier::Schema, Tier::Database] {
        let t = page
            .tenants
            .iter()
            .find(|t| t.tier == tier)
            .unwrap_or_else(|| panic!("no {tier:?} tenant"));
        match (&t.tier, &t.location) {
            (Tier::Row, TenantLocation::Row { tenant_column, .. }) => {
                assert_eq!(tenant_column, "tenant_id")
            }
            (Tier::Schema, TenantLocation::Schema { schema }) => {
                assert_eq!(schema, &format!("tenant_{}", t.slug))
            }
            (Tier::Database, TenantLocation::Database { database, host, .. }) => {
                assert_eq!(database, &format!("storelens_tenant_{}", t.slug));
                assert!(
                    host.is_some(),
                    "the sandbox shard table names the host: {t:?}"
                );
            }
            other => panic!("tier and location disagree: {other:?}"),
        }
    }
    let slugs: Vec<&str> = page.tenants.iter().map(|t| t.slug.as_str()).collect();
    let mut sorted = slugs.clone();
    sorted.sort_unstable();
    assert_eq!(slugs, sorted, "sorted by slug");
}

#[tokio::test]
async fn finds_a_tenant_by_slug_or_id_and_refuses_unknown_ones() {
    let f = sandbox_fixture("sandbox").await;
    let first = f
        .app
        .list_tenants("sandbox", TenantQuery::default())
        .await
        .expect("list")
        .tenants
        .remove(0);
    let by_slug = f
        .app
        .get_tenant("sandbox", &first.slug)
        .await
        .expect("by slug");
    let by_id = f.app.get_tenant("sandbox", &first.id).await.expect("by id");
    assert_eq!(
        (by_slug.id.as_str(), by_id.slug.as_str()),
        (first.id.as_str(), first.slug.as_str())
    );
    let err = f
        .app
        .get_tenant("sandbox", "no-such-tenant")
        .await
        .expect_err("unknown");
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn search_input_is_matched_literally_never_executed() {
    let f = sandbox_fixture("sandbox").await;
    let all = f
        .app
        .list_tenants("sandbox", TenantQuery::default())
        .await
        .expect("list")
        .total;
    for hostile in [
        "%",
        "_",
        "' or '1'='1",
        "'; drop table tenants; --",
        "\\",
        "tenant:*",
        "../../etc/passwd",
        "\u{0}",
    ] {
        let query = TenantQuery {
            search: Some(hostile.into()),
            ..Default::default()
        };
        match f.app.list_tenants("sandbox", query).await {
            Ok(page) => assert_eq!(page.total, 0, "{hostile:?} matched {page:?}"),
            Err(e) => assert_eq!(e.code(), ErrorCode::InvalidInput, "{hostile:?}: {e}"),
        }
    }
    assert_eq!(
        f.app
            .list_tenants("sandbox", TenantQuery::default())
            .await
            .expect("list")
            .total,
        all,
        "nothing was dropped"
    );
}

/// Each tier's tenant space reaches that tenant's rows and only those: the shared ids of the
/// seeded isolation pair never leak across.
#[tokio::test]
async fn every_tier_reaches_its_own_rows() {
    let f = sandbox_fixture("sandbox").await;
    let platform = f.app.platform("sandbox").await.expect("open");
    let atoms = platform
        .profile
        .entity("atom")
        .expect("atom entity")
        .clone();
    let page = all_tenants(&f).await;
    for tier in [Tier::Row, Tier::Schema, Tier::Database] {
        let tenant = page
            .tenants
            .iter()
            .find(|t| t.tier == tier)
            .expect("tenant of tier");
        let space = platform.tenant_space(tenant).expect("space");
        let sql = format!(
            "select count(*) as total, count(*) filter (where x.\"tenant_id\"::text <> $1) as foreign_rows from {} x where true{}",
            space.table(&atoms.table),
            space.and_tenant("x.", 1)
        );
        let (total, foreign): (i64, i64) = sqlx::query_as(&sql)
            .bind(&tenant.id)
            .fetch_one(space.postgres.pool())
            .await
            .expect("count");
        assert!(total > 0, "{tier:?} tenant {} has no atoms", tenant.slug);
        assert_eq!(
            foreign, 0,
            "{tier:?} tenant {} sees other tenants' rows",
            tenant.slug
        );
    }
}
