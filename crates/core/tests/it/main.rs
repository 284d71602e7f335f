//! Integration tests of storelens-core against real servers. They need the endpoints of
//! `scripts/stack` in the environment (`eval "$(scripts/stack env)"`, or run `scripts/test`);
//! without them they fail, they do not skip.
//!
//! Modules:
//! - `support`: the shared fixture (endpoints, a Storelens over a temp dir).
//! - `health`: four stores up; a stopped, refused or hanging store is down within its timeout
//!   while the others stay up; wrong passwords are `auth`.
//! - `read_only`: writes are refused by the backend (PostgreSQL session setting, Redis allowlist).
//! - `secrets`: the real OS keychain round trip, and no password in any file we write.
//! - `tenants`: the tenant list of the seeded sandbox, tiers resolved through the profile,
//!   literal search.

mod health;
mod read_only;
mod secrets;
mod support;
mod tenants;
