//! Reading profile patterns backwards: `tenant:{tenant_id}:atom:{id}` against a pasted key gives
//! the placeholder values (`tenant_id`, `id`). The inverse of [`crate::profile::fill_pattern`],
//! driven only by the profile's pattern text.
//!
//! Matching rules: literals match exactly; `{tenant_id}` and `{tenant_slug}` are tokens that end
//! at the first occurrence of the literal after them (so `tenant-/x/y` names no tenant);
//! `{id}` and `{type}` match one or more characters, the fewest that let the rest match; a
//! placeholder used twice must capture the same text. Two placeholders with no literal between
//! them are ambiguous and never match. A trailing placeholder takes the rest of the text.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    TenantId,
    TenantSlug,
    Id,
    Type,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Var(Var),
}

/// A parsed profile pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Part>,
}

/// What the placeholders of a matched pattern captured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captures {
    pub tenant_id: Option<String>,
    pub tenant_slug: Option<String>,
    pub id: Option<String>,
    pub entity_type: Option<String>,
}

impl Captures {
    fn slot(&mut self, var: Var) -> &mut Option<String> {
        match var {
            Var::TenantId => &mut self.tenant_id,
            Var::TenantSlug => &mut self.tenant_slug,
            Var::Id => &mut self.id,
            Var::Type => &mut self.entity_type,
        }
    }

    /// The tenant the captures name: its id when the pattern has one, else its slug.
    pub fn tenant(&self) -> Option<&str> {
        self.tenant_id.as_deref().or(self.tenant_slug.as_deref())
    }
}

/// Backtracking is bounded: a pathological pattern gives up (no match) instead of spinning.
const STEP_BUDGET: usize = 100_000;

impl Pattern {
    pub fn parse(pattern: &str) -> Result<Self> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(start) = rest.find('{') {
            if start > 0 {
                parts.push(Part::Lit(rest[..start].to_owned()));
            }
            let after = &rest[start + 1..];
            let end = after.find('}').ok_or_else(|| {
                Error::Profile(format!("unclosed placeholder in pattern {pattern:?}"))
            })?;
            let var = match &after[..end] {
                "tenant_id" => Var::TenantId,
                "tenant_slug" => Var::TenantSlug,
                "id" => Var::Id,
                "type" => Var::Type,
                other => {
                    return Err(Error::Profile(format!(
                        "unknown placeholder {{{other}}} in pattern {pattern:?}"
                    )))
                }
            };
            parts.push(Part::Var(var));
            rest = &after[end + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_owned()));
        }
        Ok(Self { parts })
    }

    pub fn has(&self, var: Var) -> bool {
        self.parts.contains(&Part::Var(var))
    }

    /// Whether the pattern names a tenant (so a match says whose the text is).
    pub fn names_tenant(&self) -> bool {
        self.has(Var::TenantId) || self.has(Var::TenantSlug)
    }

    /// The whole text matches the pattern.
    pub fn match_full(&self, text: &str) -> Option<Captures> {
        self.run(text, true).map(|(c, _)| c)
    }

    /// The text starts with the pattern; returns the captures and the rest of the text.
    pub fn match_prefix<'t>(&self, text: &'t str) -> Option<(Captures, &'t str)> {
        self.run(text, false).map(|(c, end)| (c, &text[end..]))
    }

    fn run(&self, text: &str, full: bool) -> Option<(Captures, usize)> {
        let adjacent = self
            .parts
            .windows(2)
            .any(|w| matches!(w, [Part::Var(_), Part::Var(_)]));
        if adjacent {
            return None;
        }
        let mut caps = Captures::default();
        let mut budget = STEP_BUDGET;
        let end = step(&self.parts, text, 0, full, &mut caps, &mut budget)?;
        Some((caps, end))
    }
}

/// Matches `parts` against `text[pos..]`; returns where the match ends.
fn step(
    parts: &[Part],
    text: &str,
    pos: usize,
    full: bool,
    caps: &mut Captures,
    budget: &mut usize,
) -> Option<usize> {
    *budget = budget.checked_sub(1)?;
    let Some((first, rest)) = parts.split_first() else {
        return (!full || pos == text.len()).then_some(pos);
    };
    let here = &text[pos..];
    match first {
        Part::Lit(lit) => here
            .starts_with(lit.as_str())
            .then(|| pos + lit.len())
            .and_then(|next| step(rest, text, next, full, caps, budget)),
        Part::Var(var) => {
            // Candidate ends: before each occurrence of the next literal, or the end of the text.
            // A tenant id or slug is a plain token: it ends at the first occurrence.
            let token = matches!(var, Var::TenantId | Var::TenantSlug);
            let candidates: Vec<usize> = match rest.first() {
                Some(Part::Lit(next)) if token => here
                    .find(next.as_str())
                    .map(|i| pos + i)
                    .filter(|&end| end > pos)
                    .into_iter()
                    .collect(),
                Some(Part::Lit(next)) => here
                    .match_indices(next.as_str())
                    .map(|(i, _)| pos + i)
                    .filter(|&end| end > pos)
                    .collect(),
                _ => (!here.is_empty())
                    .then_some(text.len())
                    .into_iter()
                    .collect(),
            };
            for end in candidates {
                let value = &text[pos..end];
                let previous = caps.slot(*var).clone();
                if previous.as_deref().is_some_and(|p| p != value) {
                    continue;
                }
                *caps.slot(*var) = Some(value.to_owned());
                if let Some(done) = step(rest, text, end, full, caps, budget) {
                    return Some(done);
                }
                *caps.slot(*var) = previous;
                if *budget == 0 {
                    return None;
                }
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect`: `None` for no match, else `(tenant, id, rest)` with `-` for absent.
    fn check(pattern: &str, text: &str, prefix: bool, expect: Option<(&str, &str, &str)>) {
        let p = Pattern::parse(pattern).expect("pattern");
        let got = if prefix {
            p.match_prefix(text).map(|(c, rest)| (c, rest.to_owned()))
        } else {
            p.match_full(text).map(|c| (c, String::new()))
        };
        let got = got.map(|(c, rest)| {
            (
                c.tenant().unwrap_or("-").to_owned(),
                c.id.unwrap_or_else(|| "-".into()),
                rest,
            )
        });
        let want = expect.map(|(t, i, r)| (t.to_owned(), i.to_owned(), r.to_owned()));
        assert_eq!(got, want, "{pattern} ~ {text:?} (prefix: {prefix})");
    }

    #[test]
    fn captures_placeholders() {
        check(
            "tenant:{tenant_id}:atom:{id}",
            "tenant:T1:atom:42",
            false,
            Some(("T1", "42", "")),
        );
        check(
            "tenant:{tenant_id}:atom:{id}",
            "tenant:T1:atom:a:b",
            false,
            Some(("T1", "a:b", "")),
        );
        check(
            "tenant:{tenant_id}:atom:{id}",
            "tenant:T1:molecule:42",
            false,
            None,
        );
        check(
            "tenant:{tenant_id}:atom:{id}",
            "tenant::atom:42",
            false,
            None,
        );
        check(
            "tenant:{tenant_id}:atom:{id}",
            "tenant:T1:atom:",
            false,
            None,
        );
        check(
            "tenant:{tenant_id}:",
            "tenant:T1:atom:42",
            true,
            Some(("T1", "-", "atom:42")),
        );
        check("tenant:{tenant_id}:", "tenant:T1", true, None);
        check("tenant:{tenant_id}:", "tenant:T1", false, None);
        check(
            "tenant-{tenant_slug}/",
            "tenant-acme/documents/x.md",
            true,
            Some(("acme", "-", "documents/x.md")),
        );
        check(
            "tenant-{tenant_slug}/",
            "tenant-/documents/x.md",
            true,
            None,
        );
        check("tenant-{tenant_slug}/", "../../etc/passwd", true, None);
        check(
            "org_{tenant_slug}",
            "org_acme",
            false,
            Some(("acme", "-", "")),
        );
        check("plain", "plain", false, Some(("-", "-", "")));
        check("plain", "plainer", true, Some(("-", "-", "er")));
    }

    #[test]
    fn later_literals_can_force_a_longer_capture() {
        // The first `:x:` cannot end the tenant id because the rest would not match.
        check(
            "t:{tenant_id}:x:{id}:end",
            "t:a:x:b:x:c:end",
            false,
            Some(("a", "b:x:c", "")),
        );
        check(
            "{tenant_id}.{id}.z",
            "a.b.c.z",
            false,
            Some(("a", "b.c", "")),
        );
        check("{tenant_id}.z", "a.b.z", false, Some(("a.b", "-", "")));
    }

    #[test]
    fn repeated_placeholders_must_agree_and_adjacent_ones_never_match() {
        check(
            "{tenant_id}/{tenant_id}/{id}",
            "a/a/1",
            false,
            Some(("a", "1", "")),
        );
        check("{tenant_id}/{tenant_id}/{id}", "a/b/1", false, None);
        check("{tenant_id}{id}", "ab", false, None);
    }

    #[test]
    fn pathological_input_gives_up() {
        let p = Pattern::parse("{tenant_id}:{id}:{type}:{tenant_slug}:end").expect("pattern");
        let text = ":".repeat(5_000);
        assert!(p.match_full(&text).is_none());
        assert!(Pattern::parse("x{nope}").is_err());
    }
}
