//! Core errors. Every error has a stable [`ErrorCode`] that crosses IPC and the CLI's `--json`
//! output; callers match codes, never messages. Messages never contain secrets: connection
//! strings are redacted before they are put in an error (see `redact`).

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("profile: {0}")]
    Profile(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("keychain: {0}")]
    Secret(String),
    #[error("{store} is unavailable: {message}")]
    Unavailable { store: StoreKind, message: String },
    #[error("{store} did not answer within {millis} ms")]
    Timeout { store: StoreKind, millis: u64 },
    #[error("{store} refused the credentials: {message}")]
    Auth { store: StoreKind, message: String },
    #[error("read-only: {0}")]
    ReadOnly(String),
    #[error("cancelled")]
    Cancelled,
    #[error("{store} query failed: {message}")]
    Query { store: StoreKind, message: String },
    #[error("internal: {0}")]
    Internal(String),
}

/// The stable, machine-matchable part of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    Profile,
    Config,
    Secret,
    Unavailable,
    Timeout,
    Auth,
    ReadOnly,
    Cancelled,
    Query,
    Internal,
}

/// The four kinds of store a platform has.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    Postgres,
    Graph,
    Redis,
    Objects,
}

impl StoreKind {
    pub const ALL: [StoreKind; 4] = [Self::Postgres, Self::Graph, Self::Redis, Self::Objects];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Postgres => "postgres",
            Self::Graph => "graph",
            Self::Redis => "redis",
            Self::Objects => "objects",
        }
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Postgres => "PostgreSQL",
            Self::Graph => "Graph (Bolt)",
            Self::Redis => "Redis",
            Self::Objects => "Object storage",
        })
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidInput(_) => ErrorCode::InvalidInput,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Profile(_) => ErrorCode::Profile,
            Self::Config(_) => ErrorCode::Config,
            Self::Secret(_) => ErrorCode::Secret,
            Self::Unavailable { .. } => ErrorCode::Unavailable,
            Self::Timeout { .. } => ErrorCode::Timeout,
            Self::Auth { .. } => ErrorCode::Auth,
            Self::ReadOnly(_) => ErrorCode::ReadOnly,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::Query { .. } => ErrorCode::Query,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn unavailable(store: StoreKind, err: impl std::fmt::Display) -> Self {
        Self::Unavailable {
            store,
            message: redact(&err.to_string()),
        }
    }

    /// The same error (same code) with `what` in front of its message, e.g. how far a scan got
    /// before its store went away.
    pub fn context(self, what: impl std::fmt::Display) -> Self {
        let with = |m: String| format!("{what}: {m}");
        match self {
            Self::InvalidInput(m) => Self::InvalidInput(with(m)),
            Self::NotFound(m) => Self::NotFound(with(m)),
            Self::Profile(m) => Self::Profile(with(m)),
            Self::Config(m) => Self::Config(with(m)),
            Self::Secret(m) => Self::Secret(with(m)),
            Self::Unavailable { store, message } => Self::Unavailable {
                store,
                message: with(message),
            },
            Self::Auth { store, message } => Self::Auth {
                store,
                message: with(message),
            },
            Self::ReadOnly(m) => Self::ReadOnly(with(m)),
            Self::Query { store, message } => Self::Query {
                store,
                message: with(message),
            },
            Self::Internal(m) => Self::Internal(with(m)),
            e @ (Self::Timeout { .. } | Self::Cancelled) => e,
        }
    }

    pub fn query(store: StoreKind, err: impl std::fmt::Display) -> Self {
        Self::Query {
            store,
            message: redact(&err.to_string()),
        }
    }
}

/// The `{code, message}` pair that crosses IPC and `--json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// An error with its sources, `outer: inner: innermost`: drivers often put the useful part last.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// Removes the password part of any `scheme://user:password@host` in a driver's message.
/// Drivers sometimes echo the URL they were given; secrets must never reach a log or the UI.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(scheme_end) = rest.find("://") {
        let authority_start = scheme_end + 3;
        out.push_str(&rest[..authority_start]);
        let tail = &rest[authority_start..];
        let authority_end = tail
            .find(['/', ' ', '\'', '"', '?', '#'])
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at), Some(colon)) if colon < at => {
                out.push_str(&authority[..colon]);
                out.push_str(":***");
                out.push_str(&authority[at..]);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(redact(input), expect);
    }

    #[test]
    fn redacts_passwords_in_urls() {
        check(
            "postgres://u:s3cret@h:5432/db failed",
            "postgres://u:***@h:5432/db failed",
        );
        check("redis://:pw@127.0.0.1:6379", "redis://:***@127.0.0.1:6379");
        check("no url here", "no url here");
        check("http://host:80/x", "http://host:80/x");
        check(
            "a bolt://n:p@x and s3://k:v@y/z",
            "a bolt://n:***@x and s3://k:***@y/z",
        );
    }
}
