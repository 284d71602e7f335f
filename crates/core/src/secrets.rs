//! Secrets live only in the OS keychain. Nothing else in Storelens writes a password anywhere:
//! connection files carry none, errors redact URLs, DTOs only say whether a secret is stored.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result, StoreKind};

/// The keychain service name under which every Storelens secret is filed.
pub const KEYCHAIN_SERVICE: &str = "storelens";

pub trait SecretStore: Send + Sync + std::fmt::Debug {
    fn get(&self, connection: &str, store: StoreKind) -> Result<Option<String>>;
    fn set(&self, connection: &str, store: StoreKind, secret: &str) -> Result<()>;
    fn delete(&self, connection: &str, store: StoreKind) -> Result<()>;
}

fn account(connection: &str, store: StoreKind) -> String {
    format!("{connection}/{}", store.as_str())
}

/// The OS keychain through `keyring` (Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows). Calls block briefly on D-Bus; they are few and user-initiated.
#[derive(Debug, Default)]
pub struct Keychain;

impl Keychain {
    fn entry(connection: &str, store: StoreKind) -> Result<keyring::Entry> {
        keyring::Entry::new(KEYCHAIN_SERVICE, &account(connection, store)).map_err(keychain_error)
    }
}

fn keychain_error(e: keyring::Error) -> Error {
    // keyring's messages name the platform failure, never the secret itself.
    Error::Secret(e.to_string())
}

impl SecretStore for Keychain {
    fn get(&self, connection: &str, store: StoreKind) -> Result<Option<String>> {
        match Self::entry(connection, store)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, connection: &str, store: StoreKind, secret: &str) -> Result<()> {
        Self::entry(connection, store)?
            .set_password(secret)
            .map_err(keychain_error)
    }

    fn delete(&self, connection: &str, store: StoreKind) -> Result<()> {
        match Self::entry(connection, store)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// An in-process stand-in for the keychain, for unit tests only (the real keychain is tested
/// in `tests/keychain.rs` under a headless Secret Service).
#[derive(Debug, Default)]
pub struct MemorySecrets(Mutex<HashMap<String, String>>);

impl MemorySecrets {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, connection: &str, store: StoreKind) -> Result<Option<String>> {
        Ok(self.map().get(&account(connection, store)).cloned())
    }

    fn set(&self, connection: &str, store: StoreKind, secret: &str) -> Result<()> {
        self.map()
            .insert(account(connection, store), secret.to_owned());
        Ok(())
    }

    fn delete(&self, connection: &str, store: StoreKind) -> Result<()> {
        self.map().remove(&account(connection, store));
        Ok(())
    }
}

/// Secrets from environment variables first, then another store. For scripts and runbooks:
/// `STORELENS_SECRET_<CONNECTION>_<STORE>` (upper case, non-alphanumerics as `_`), e.g.
/// `STORELENS_SECRET_PROD_EU_POSTGRES`. Writes go to the inner store.
#[derive(Debug)]
pub struct EnvThen<S>(pub S);

pub fn env_var_name(connection: &str, store: StoreKind) -> String {
    let conn: String = connection
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "STORELENS_SECRET_{conn}_{}",
        store.as_str().to_ascii_uppercase()
    )
}

impl<S: SecretStore> SecretStore for EnvThen<S> {
    fn get(&self, connection: &str, store: StoreKind) -> Result<Option<String>> {
        match std::env::var(env_var_name(connection, store)) {
            Ok(v) if !v.is_empty() => Ok(Some(v)),
            _ => self.0.get(connection, store),
        }
    }

    fn set(&self, connection: &str, store: StoreKind, secret: &str) -> Result<()> {
        self.0.set(connection, store, secret)
    }

    fn delete(&self, connection: &str, store: StoreKind) -> Result<()> {
        self.0.delete(connection, store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_are_shell_safe() {
        assert_eq!(
            env_var_name("prod-eu.1", StoreKind::Postgres),
            "STORELENS_SECRET_PROD_EU_1_POSTGRES"
        );
        assert_eq!(
            env_var_name("sandbox", StoreKind::Objects),
            "STORELENS_SECRET_SANDBOX_OBJECTS"
        );
    }

    #[test]
    fn memory_store_round_trips() {
        let s = MemorySecrets::default();
        s.set("c", StoreKind::Redis, "pw").expect("set");
        assert_eq!(
            s.get("c", StoreKind::Redis).expect("get").as_deref(),
            Some("pw")
        );
        assert_eq!(s.get("c", StoreKind::Graph).expect("get"), None);
        s.delete("c", StoreKind::Redis).expect("delete");
        assert_eq!(s.get("c", StoreKind::Redis).expect("get"), None);
    }
}
