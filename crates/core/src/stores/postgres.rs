//! PostgreSQL: a lazily connecting `PgPool`. In read-only mode every session starts with
//! `default_transaction_read_only = on`, so the server itself refuses writes.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgSslMode};
use sqlx::Row;

use super::Probe;
use crate::connection::{PostgresEndpoint, TlsMode};
use crate::error::{redact, Error, Result, StoreKind};

#[derive(Clone)]
pub struct Postgres {
    pool: PgPool,
    /// Holds the password: never printed (see `Debug` below).
    options: PgConnectOptions,
    /// For client tools (pg_dump), which get it in their environment only.
    password: Option<String>,
    read_only: bool,
    timeout: Duration,
}

/// sqlx's `PgConnectOptions` prints its password in `Debug`; this one does not.
impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("host", &self.options.get_host())
            .field("port", &self.options.get_port())
            .field("database", &self.options.get_database())
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl Postgres {
    pub fn open(
        endpoint: &PostgresEndpoint,
        password: Option<&str>,
        read_only: bool,
        timeout: Duration,
    ) -> Result<Self> {
        let mut options = PgConnectOptions::from_str(&endpoint.url).map_err(|e| {
            Error::InvalidInput(format!("PostgreSQL URL {:?}: {e}", redact(&endpoint.url)))
        })?;
        if let Some(pw) = password {
            options = options.password(pw);
        }
        options = options
            .application_name("storelens")
            .ssl_mode(match endpoint.tls {
                TlsMode::Disable => PgSslMode::Disable,
                TlsMode::Prefer => PgSslMode::Prefer,
                TlsMode::Require => PgSslMode::Require,
            });
        let statement_timeout = format!("{}", timeout.as_millis().max(1000) * 6);
        // No JIT: Storelens's reads are scans run once (hashes, folds, audits), where compiling a
        // plan costs a tenth of a second or more per statement and gains less than that.
        let mut settings = vec![
            ("statement_timeout", statement_timeout),
            ("jit", "off".into()),
        ];
        if read_only {
            settings.push(("default_transaction_read_only", "on".into()));
        }
        options = options.options(settings);
        let pool = Self::pool_for(&options, timeout);
        Ok(Self {
            pool,
            options,
            password: password.map(str::to_owned),
            read_only,
            timeout,
        })
    }

    fn pool_for(options: &PgConnectOptions, timeout: Duration) -> PgPool {
        PgPoolOptions::new()
            .max_connections(8)
            .min_connections(0)
            .acquire_timeout(timeout)
            .idle_timeout(Some(Duration::from_secs(120)))
            .connect_lazy_with(options.clone())
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The database this pool connects to, when the URL names one.
    pub fn database(&self) -> Option<&str> {
        self.options.get_database()
    }

    /// A pool on another database of the same server (database-tier tenants), same settings.
    pub fn for_database(&self, database: &str, host: Option<(&str, u16)>) -> Self {
        let mut options = self.options.clone().database(database);
        if let Some((h, p)) = host {
            options = options.host(h).port(p);
        }
        Self {
            pool: Self::pool_for(&options, self.timeout),
            options,
            password: self.password.clone(),
            read_only: self.read_only,
            timeout: self.timeout,
        }
    }

    /// A command line for a libpq client tool (`pg_dump`) on this pool's database: host, port,
    /// user and database as arguments, the password and TLS mode in its environment only.
    pub fn client_command(&self, program: &str) -> tokio::process::Command {
        let o = &self.options;
        let mut cmd = tokio::process::Command::new(program);
        cmd.arg("--host")
            .arg(o.get_host())
            .arg("--port")
            .arg(o.get_port().to_string())
            .arg("--username")
            .arg(o.get_username())
            .arg("--no-password")
            .env("PGAPPNAME", "storelens")
            .env(
                "PGSSLMODE",
                match o.get_ssl_mode() {
                    PgSslMode::Disable => "disable",
                    PgSslMode::Allow => "allow",
                    PgSslMode::Prefer => "prefer",
                    PgSslMode::Require => "require",
                    PgSslMode::VerifyCa => "verify-ca",
                    PgSslMode::VerifyFull => "verify-full",
                },
            )
            .env_remove("PGPASSWORD");
        if let Some(db) = o.get_database() {
            cmd.arg("--dbname").arg(db);
        }
        if let Some(pw) = &self.password {
            cmd.env("PGPASSWORD", pw);
        }
        cmd.kill_on_drop(true);
        cmd
    }

    pub async fn probe(&self) -> Result<Probe> {
        let row = sqlx::query(
            "select current_setting('server_version') as version, \
             current_setting('transaction_read_only') as read_only",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(map_error)?;
        let version: String = row.try_get("version").map_err(map_error)?;
        let read_only: String = row.try_get("read_only").map_err(map_error)?;
        // `15.20 (Debian 15.20-0+deb12u1)`: the number is what an admin compares.
        let number = version.split_whitespace().next().unwrap_or(&version);
        Ok(Probe {
            version: Some(format!("PostgreSQL {number}")),
            server_read_only: Some(read_only == "on"),
        })
    }
}

/// Sorts a driver error into the codes the UI matches on.
pub fn map_error(e: sqlx::Error) -> Error {
    const STORE: StoreKind = StoreKind::Postgres;
    match &e {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01" | "28000") => Error::Auth {
                store: STORE,
                message: redact(db.message()),
            },
            Some("25006") => {
                Error::ReadOnly(format!("PostgreSQL refused a write: {}", db.message()))
            }
            Some("3D000") => Error::NotFound(redact(db.message())),
            // Data exceptions (a value that is not a number, a time, ...): the input was wrong.
            Some(c) if c.starts_with("22") => Error::InvalidInput(db.message().to_owned()),
            Some("57014") => Error::Timeout {
                store: STORE,
                millis: 0,
            },
            _ => Error::query(STORE, db.message()),
        },
        sqlx::Error::PoolTimedOut
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Error::unavailable(STORE, &e),
        _ => Error::query(STORE, &e),
    }
}
