//! Integration tests of storelens-core against real servers. They need the endpoints of
//! `scripts/stack` in the environment (`eval "$(scripts/stack env)"`, or run `scripts/test`);
//! without them they fail, they do not skip.
//!
//! Modules:
//! - `support`: the shared fixture (endpoints, a Storelens over a temp dir).
//! - `backup`: a tenant backup of each tier agrees with the stores read another way and
//!   verifies; changed, missing and extra files fail verification; an unwritable destination,
//!   a store that is down and a cancel leave nothing behind; every tier round-trips through
//!   the scratch targets unchanged; each whole store is backed up on its own.
//!
//! (`tests/live_restore.rs` is a binary of its own: it changes a tenant's live data.)
//! - `cache`: the namespace tree's counts, key pages and values by type on the sandbox; odd
//!   keys (not UTF-8, glob characters, 100 MB, deleted meanwhile) and a server stopped mid-scan
//!   on throwaway servers (`temp_redis`); a three-master cluster; the cache audit finds exactly
//!   the planted stale entries and missing TTLs.
//! - `console`: the read-only SQL, Cypher and Redis consoles: the tenant's space per tier,
//!   values as text, caps; every way of writing refused and nothing changed.
//! - `footprint`: a tenant's rows, events, nodes, keys and objects per tier; counts match plain
//!   SQL; one store down fails only its part.
//! - `graph`: traversal checked against plain Cypher: one hop is exactly a node's
//!   relationships, a supernode's pages add up to its neighbours, wide hops hold supernodes
//!   back, filters hold, the planted cross-tenant relationship is flagged and never followed,
//!   paths stay inside the tenant, Cypher answers become graphs, hostile input is refused.
//! - `health`: four stores up; a stopped, refused or hanging store is down within its timeout
//!   while the others stay up; wrong passwords are `auth`.
//! - `lookup`: the cross-store lookup: an id, a cache key or an object key resolves to its
//!   tenants and entity in every store and tier; hostile input is literal or refused; a store
//!   down is reported while the others answer.
//! - `malformed_events`: a small platform of its own (schema `it_malformed`, text payloads)
//!   whose log has bad JSON, an update before a create, a duplicate and an out-of-order
//!   sequence: each reported in place with its event id, the rest folded.
//! - `overview`: the tenant list with footprints (each store read once) agrees with every
//!   tenant's own exact footprint; a store down empties only its columns.
//! - `read_only`: writes are refused by the backend (PostgreSQL session setting, Redis allowlist);
//!   every PostgreSQL session starts with its settings (read only, a statement limit, no JIT).
//! - `row_hash`: a table's rows hash alike in any order and without dropped columns, differ when
//!   a value changes; a `json` column falls back to md5 inside a transaction that goes on.
//! - `rows`: a tenant's entity tables by keyset pages in every tier, isolation of tenants that
//!   share ids, typed and literal filters, whole-or-nothing CSV/JSON exports and cancel.
//! - `second_platform`: the "orgs" fixture platform (seeded by the test through the sandbox
//!   crate), reached through `profiles/orgs.toml` alone: every org and tier, get by handle or
//!   id, each org's rows, graph nodes, keys and objects, and no sandbox name anywhere.
//! - `secrets`: the real OS keychain round trip, and no password in any file we write.
//! - `timetravel`: the fold of every aggregate's events is its row in every tier; a planted
//!   lagging row is the state one event earlier; shared ids need a tenant; hostile ids refused.
//! - `temp_redis`: throwaway `redis-server`s (single or a cluster) on fixed loopback ports.
//! - `tenants`: the tenant list of the seeded sandbox, tiers resolved through the profile,
//!   literal search.

mod audit;
mod backup;
mod cache;
mod console;
mod footprint;
mod graph;
mod health;
mod lookup;
mod malformed_events;
mod overview;
mod read_only;
mod row_hash;
mod rows;
mod second_platform;
mod secrets;
mod support;
mod temp_redis;
mod tenants;
mod timetravel;
