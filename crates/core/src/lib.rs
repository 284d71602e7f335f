//! Storelens core: every capability of Storelens, with no UI. The Tauri shell and the CLI are
//! thin layers over [`api::Storelens`]. See ARCHITECTURE.md for the map and the invariants.

pub mod api;
pub mod audit;
pub mod backup;
pub mod cache;
pub mod connection;
pub mod connection_env;
pub mod console;
pub mod error;
pub mod findings;
pub mod footprint;
pub mod graph;
pub mod health;
pub mod ident;
pub mod logging;
pub mod lookup;
pub mod memory;
pub(crate) mod output_file;
pub mod overview;
pub mod paths;
pub(crate) mod pg_types;
pub mod platform;
pub mod profile;
pub mod rows;
pub mod secrets;
pub mod stores;
pub mod tasks;
pub mod tenant_space;
pub mod tenants;
pub mod timetravel;
pub mod write_log;

pub use api::Storelens;
pub use error::{Error, ErrorCode, ErrorPayload, Result, StoreKind};
