//! Cache inspection: the complete namespace tree of a key space (`scan`), pages of keys under
//! a folder (`browse`), a key's value by type, a page at a time (`value`), and a tenant's
//! cache audit against its TTL rules and its read model (`audit`). Keys are bytes and cross
//! the boundary as [`KeyName`]s.

pub mod audit;
pub mod browse;
pub(crate) mod glob;
pub mod key_name;
pub mod monitor;
pub mod scan;
pub mod tree;
pub mod value;

pub use key_name::KeyName;
