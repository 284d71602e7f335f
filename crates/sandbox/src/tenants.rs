//! The sandbox's tenants: 13 named tenants of every tier, plus 1,000 row-tier tenants when large.

use crate::model::{Tenant, TenantShape, Tier, BASE_TIME};
use crate::rng;
use crate::{SeedOptions, SeedSize};

/// The tenant with the supernode (and, when large, the hot aggregate and most of the data).
pub const BIG_TENANT: &str = "acme";
/// Tenants that hold the planted faults; every other tenant is consistent.
pub const FAULTY_ROW_TENANT: &str = "globex";
pub const FAULTY_SCHEMA_TENANT: &str = "cyberdyne";
/// A row-tier and a schema-tier tenant that share their first atom ids (for isolation tests).
pub const SHARED_ID_TENANTS: [&str; 2] = ["initech", "tyrell"];
/// How many atom ids the two tenants above share.
pub const SHARED_ATOM_IDS: usize = 10;
/// Molecules of the big tenant that REQUIRE its supernode atom when small.
pub const SMALL_SUPERNODE_MOLECULES: usize = 2_300;
/// Events of the hot aggregate (large only).
pub const HOT_AGGREGATE_EVENTS: usize = 100_000;
/// Extra row-tier tenants when large.
pub const LARGE_EXTRA_TENANTS: usize = 1_000;
/// A database-tier tenant that is large when the seed is (its backup is benchmarked against
/// plain pg_dump of its database).
pub const LARGE_DATABASE_TENANT: &str = "blackmesa";

const NAMED: [(&str, &str, Tier); 13] = [
    ("acme", "Acme Corporation", Tier::Row),
    ("globex", "Globex Corporation", Tier::Row),
    ("initech", "Initech", Tier::Row),
    ("umbrella", "Umbrella Corporation", Tier::Row),
    ("hooli", "Hooli", Tier::Row),
    ("stark", "Stark Industries", Tier::Row),
    ("wayne", "Wayne Enterprises", Tier::Row),
    ("wonka", "Wonka Industries", Tier::Row),
    ("tyrell", "Tyrell Corporation", Tier::Schema),
    ("cyberdyne", "Cyberdyne Systems", Tier::Schema),
    ("soylent", "Soylent Corporation", Tier::Schema),
    ("aperture", "Aperture Science", Tier::Database),
    ("blackmesa", "Black Mesa", Tier::Database),
];

const SMALL_SHAPE: TenantShape = TenantShape {
    atoms: 40,
    molecules: 12,
    documents: 8,
    annotations: 15,
    sessions: 3,
    supernode: false,
    hot_aggregate_events: 0,
};

fn shape(slug: &str, size: SeedSize) -> TenantShape {
    if slug == LARGE_DATABASE_TENANT && size == SeedSize::Large {
        return TenantShape {
            atoms: 60_000,
            molecules: 8_000,
            documents: 600,
            annotations: 12_000,
            sessions: 600,
            ..SMALL_SHAPE
        };
    }
    match (slug == BIG_TENANT, size) {
        (false, _) => SMALL_SHAPE,
        (true, SeedSize::Small) => TenantShape {
            molecules: SMALL_SUPERNODE_MOLECULES,
            supernode: true,
            ..SMALL_SHAPE
        },
        (true, SeedSize::Large) => TenantShape {
            atoms: 150_000,
            molecules: 20_000,
            documents: 2_000,
            annotations: 30_000,
            sessions: 150_000,
            supernode: true,
            hot_aggregate_events: HOT_AGGREGATE_EVENTS,
        },
    }
}

const EXTRA_SHAPE: TenantShape = TenantShape {
    atoms: 40,
    molecules: 12,
    documents: 3,
    annotations: 10,
    sessions: 700,
    supernode: false,
    hot_aggregate_events: 0,
};

/// All tenants for the options, in a fixed order.
pub fn list(opts: &SeedOptions) -> Vec<Tenant> {
    let mut out: Vec<Tenant> = NAMED
        .iter()
        .enumerate()
        .map(|(i, (slug, name, tier))| Tenant {
            index: i,
            id: rng::derived_uuid(opts.rng_seed, &format!("tenant/{slug}")),
            slug: (*slug).to_owned(),
            name: (*name).to_owned(),
            tier: *tier,
            created_at: BASE_TIME + i as i64 * 3_600,
            shape: shape(slug, opts.size),
        })
        .collect();
    if opts.size == SeedSize::Large {
        for n in 1..=LARGE_EXTRA_TENANTS {
            let slug = format!("org-{n:04}");
            out.push(Tenant {
                index: out.len(),
                id: rng::derived_uuid(opts.rng_seed, &format!("tenant/{slug}")),
                name: format!("Organisation {n:04}"),
                slug,
                tier: Tier::Row,
                created_at: BASE_TIME + NAMED.len() as i64 * 3_600 + n as i64 * 60,
                shape: EXTRA_SHAPE,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_and_sizes() {
        let small = list(&SeedOptions::default());
        assert_eq!(small.len(), 13);
        let count = |t: Tier| small.iter().filter(|x| x.tier == t).count();
        assert_eq!(
            (count(Tier::Row), count(Tier::Schema), count(Tier::Database)),
            (8, 3, 2)
        );
        for slug in [FAULTY_ROW_TENANT, FAULTY_SCHEMA_TENANT, BIG_TENANT] {
            assert!(small.iter().any(|t| t.slug == slug));
        }
        let large = list(&SeedOptions {
            size: SeedSize::Large,
            ..SeedOptions::default()
        });
        assert!(large.len() >= 1_000);
        assert_eq!(
            large[..13],
            small[..13]
                .iter()
                .map(|t| Tenant {
                    shape: shape(&t.slug, SeedSize::Large),
                    ..t.clone()
                })
                .collect::<Vec<_>>()[..]
        );
        let mut ids: Vec<_> = large.iter().map(|t| t.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), large.len());
    }
}
