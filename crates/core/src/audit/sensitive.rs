//! Values that look like secrets or personal data: email addresses, JSON Web Tokens, bearer
//! tokens and well-known API key shapes. Used where the profile says a store must hold none.

use std::sync::LazyLock;

use regex::Regex;

/// What a value looks like it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitive {
    Email,
    Jwt,
    BearerToken,
    ApiKey,
    PrivateKey,
}

impl Sensitive {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Email => "an email address",
            Self::Jwt => "a JSON Web Token",
            Self::BearerToken => "a bearer token",
            Self::ApiKey => "an API key",
            Self::PrivateKey => "a private key",
        }
    }
}

static PATTERNS: LazyLock<Vec<(Sensitive, Regex)>> = LazyLock::new(|| {
    [
        (
            Sensitive::Email,
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
        ),
        (
            Sensitive::Jwt,
            r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
        ),
        (Sensitive::BearerToken, r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{20,}"),
        (
            Sensitive::ApiKey,
            r"\b(sk|pk|rk)_(live|test)_[A-Za-z0-9]{16,}|\bgh[pousr]_[A-Za-z0-9]{30,}|\bxox[abpr]-[A-Za-z0-9-]{10,}|\bAKIA[0-9A-Z]{16}\b",
        ),
        (Sensitive::PrivateKey, r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    ]
    .into_iter()
    .map(|(kind, re)| (kind, Regex::new(re).expect("a valid pattern")))
    .collect()
});

/// The first kind of sensitive value `text` holds, with the match masked for evidence
/// (`a***@***.com`): a report must not repeat the secret it warns about.
pub fn find(text: &str) -> Option<(Sensitive, String)> {
    PATTERNS
        .iter()
        .find_map(|(kind, re)| re.find(text).map(|m| (*kind, mask(m.as_str()))))
}

/// Every string inside a JSON value, checked in turn.
pub fn find_in_json(value: &serde_json::Value) -> Option<(Sensitive, String)> {
    match value {
        serde_json::Value::String(s) => find(s),
        serde_json::Value::Array(items) => items.iter().find_map(find_in_json),
        serde_json::Value::Object(map) => map.values().find_map(find_in_json),
        _ => None,
    }
}

/// The first two characters and the shape of the rest.
fn mask(secret: &str) -> String {
    let shown: String = secret.chars().take(2).collect();
    format!("{shown}*** ({} characters)", secret.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Option<Sensitive>) {
        assert_eq!(find(text).map(|(k, _)| k), expect, "{text}");
    }

    #[test]
    fn finds_emails_tokens_and_keys_but_not_ids_or_prose() {
        check("contact: jane.doe+x@example.co.uk", Some(Sensitive::Email));
        check(
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            Some(Sensitive::Jwt),
        );
        check(
            "Authorization: Bearer abcdefghijklmnopqrstuvwxyz123",
            Some(Sensitive::BearerToken),
        );
        check("key=sk_live_abcdefghijklmnop1234", Some(Sensitive::ApiKey));
        check("AKIAIOSFODNN7EXAMPLE", Some(Sensitive::ApiKey));
        check(
            "-----BEGIN RSA PRIVATE KEY-----",
            Some(Sensitive::PrivateKey),
        );
        check("7de3ea97-09eb-4b6d-b33f-1a1150e0ba32", None);
        check("domain_expert started at 2026-01-23T14:45:08+00:00", None);
        check("tenant:acme:atom:1@2", None);
        let (_, masked) = find("x jane@example.com").expect("found");
        assert!(!masked.contains("example"), "{masked}");
    }
}
