pub mod connections;
pub mod find;
pub mod health;
pub mod sandbox;
pub mod tenants;
