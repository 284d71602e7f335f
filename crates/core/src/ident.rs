//! SQL and Cypher identifiers that came from a profile or a user.
//!
//! Values always travel as bound parameters; identifiers cannot, so they are checked against a
//! strict shape on the way in and quoted on the way out. An `Ident` can only hold a safe name.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Ident(String);

impl Ident {
    /// Accepts `[A-Za-z_][A-Za-z0-9_]*`, at most 63 bytes (PostgreSQL's NAMEDATALEN - 1).
    pub fn parse(name: &str) -> Result<Self> {
        let mut chars = name.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if first_ok && rest_ok && name.len() <= 63 {
            Ok(Self(name.to_owned()))
        } else {
            Err(Error::InvalidInput(format!(
                "{name:?} is not a valid identifier (letters, digits and _, not starting with a digit, at most 63 bytes)"
            )))
        }
    }

    /// For names written in this crate's source; panics on a bad literal (a programming error).
    pub(crate) fn new_static(name: &'static str) -> Self {
        Self::parse(name).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `"name"` for PostgreSQL. Safe because the shape excludes quotes.
    pub fn pg(&self) -> String {
        format!("\"{}\"", self.0)
    }

    /// `` `name` `` for Cypher labels, types and property keys.
    pub fn cypher(&self) -> String {
        format!("`{}`", self.0)
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ident::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// `"schema"."table"`.
pub fn qualified(schema: &Ident, table: &Ident) -> String {
    format!("{}.{}", schema.pg(), table.pg())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, ok: bool) {
        assert_eq!(Ident::parse(input).is_ok(), ok, "{input:?}");
    }

    #[test]
    fn accepts_only_plain_names() {
        check("atoms", true);
        check("_tenant_1", true);
        check("Atom", true);
        check("", false);
        check("1abc", false);
        check("a\"b", false);
        check("a`b", false);
        check("a b", false);
        check("atoms;drop", false);
        check("ä", false);
        check(&"x".repeat(64), false);
    }
}
