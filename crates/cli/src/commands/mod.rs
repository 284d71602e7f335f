pub mod cache;
pub mod connections;
pub mod events;
pub mod find;
pub mod health;
pub mod query;
pub mod sandbox;
pub mod tenants;
