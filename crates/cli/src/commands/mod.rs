pub mod connections;
pub mod health;
pub mod sandbox;
pub mod tenants;
