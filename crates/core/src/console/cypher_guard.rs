//! Refuses Cypher that could write, before it is sent. Bolt READ access mode is requested too,
//! but a server may not enforce it (ArcadeDB runs `CREATE` in a READ session), so Storelens
//! reads the statement itself: updating clauses and administration commands are refused, and
//! `CALL` may only name a known read procedure (or open a `CALL { ... }` subquery, whose
//! clauses are checked like the rest).
//!
//! The scan skips string literals, comments and backtick-quoted names, and words used as names
//! (`n.set`, `:Create`, `{delete: 1}`, `$merge`), so reading data that contains these words is
//! not refused.

use crate::error::{Error, Result};

/// Clauses and commands that change data, schema or the server.
const REFUSED: &[&str] = &[
    "CREATE",
    "MERGE",
    "SET",
    "DELETE",
    "DETACH",
    "REMOVE",
    "DROP",
    "FOREACH",
    "LOAD",
    "ALTER",
    "RENAME",
    "GRANT",
    "DENY",
    "REVOKE",
    "START",
    "STOP",
    "TERMINATE",
    "ENABLE",
    "DEALLOCATE",
    "REALLOCATE",
];

/// Procedures that only read (names compared case-insensitively).
const READ_PROCEDURES: &[&str] = &[
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.schema.visualization",
    "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties",
    "db.indexes",
    "db.constraints",
    "db.info",
    "db.ping",
    "dbms.components",
    "dbms.procedures",
    "dbms.functions",
];

#[derive(Debug, PartialEq, Eq)]
enum Token {
    /// A bare word, with whether it is used as a name (after `.`, `:` or `$`, before `:`).
    Word {
        text: String,
        name: bool,
    },
    Punct(char),
}

/// Refuses `statement` when it contains an updating clause or an unknown procedure call.
pub fn check_read_only(statement: &str) -> Result<()> {
    let tokens = tokenize(statement)?;
    for (i, token) in tokens.iter().enumerate() {
        let Token::Word { text, name: false } = token else {
            continue;
        };
        let upper = text.to_ascii_uppercase();
        if REFUSED.contains(&upper.as_str()) {
            return Err(Error::ReadOnly(format!(
                "the Cypher console is read-only: {upper} is not allowed"
            )));
        }
        if upper == "CALL" {
            if matches!(tokens.get(i + 1), Some(Token::Punct('{' | '('))) {
                continue;
            }
            let procedure = procedure_name(&tokens[i + 1..]);
            if !READ_PROCEDURES.contains(&procedure.to_ascii_lowercase().as_str()) {
                return Err(Error::ReadOnly(format!(
                    "the Cypher console is read-only: procedure {} is not on the read list",
                    if procedure.is_empty() {
                        "(none)"
                    } else {
                        &procedure
                    }
                )));
            }
        }
    }
    Ok(())
}

/// `db.schema.visualization` from the words and dots after `CALL`.
fn procedure_name(tokens: &[Token]) -> String {
    let mut name = String::new();
    for t in tokens {
        match t {
            Token::Word { text, .. } if name.is_empty() || name.ends_with('.') => {
                name.push_str(text)
            }
            Token::Punct('.') if !name.is_empty() && !name.ends_with('.') => name.push('.'),
            _ => break,
        }
    }
    name
}

fn tokenize(s: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = s.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let unterminated =
        |what: &str| Error::InvalidInput(format!("unterminated {what} in the Cypher statement"));
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                loop {
                    if i + 1 >= chars.len() {
                        return Err(unterminated("comment"));
                    }
                    if chars[i] == '*' && chars[i + 1] == '/' {
                        i += 2;
                        break;
                    }
                    i += 1;
                }
            }
            '\'' | '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(unterminated("string")),
                        Some('\\') => i += 2,
                        Some(&q) if q == c => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                tokens.push(Token::Punct('"'));
            }
            '`' => {
                i += 1;
                while chars.get(i) != Some(&'`') {
                    if i >= chars.len() {
                        return Err(unterminated("quoted name"));
                    }
                    i += 1;
                }
                i += 1;
                tokens.push(Token::Word {
                    text: String::new(),
                    name: true,
                });
            }
            _ if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let before = tokens.last();
                let after = chars[i..].iter().find(|c| !c.is_whitespace());
                let name = matches!(before, Some(Token::Punct('.' | ':' | '$')))
                    || after == Some(&':')
                        && !matches!(before, None | Some(Token::Punct('(')))
                        && inside_map(&tokens);
                tokens.push(Token::Word { text, name });
            }
            _ => {
                tokens.push(Token::Punct(c));
                i += 1;
            }
        }
    }
    Ok(tokens)
}

/// Whether the next word is inside `{ ... }` (a map key), by the open braces so far.
fn inside_map(tokens: &[Token]) -> bool {
    let mut depth = 0i32;
    for t in tokens {
        match t {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(statement: &str, allowed: bool) {
        assert_eq!(
            check_read_only(statement).is_ok(),
            allowed,
            "{statement}: {:?}",
            check_read_only(statement)
        );
    }

    #[test]
    fn reads_pass_and_writes_are_refused() {
        check("MATCH (n:Atom {tenantId: $tenant}) RETURN n LIMIT 10", true);
        check(
            "MATCH (n) WHERE n.set = 1 AND n.`create` = 2 RETURN n.delete",
            true,
        );
        check("MATCH (n:Create)-[:MERGE]->(m) RETURN n", true);
        check(
            "RETURN 'CREATE (x)' AS text, \"DELETE\" AS t2 // SET in a comment",
            true,
        );
        check("MATCH (n) RETURN {set: 1, remove: n.id} AS m", true);
        check("CALL db.labels() YIELD label RETURN label", true);
        check("CALL { MATCH (n) RETURN n } RETURN count(*)", true);
        check("CALL dbms.components()", true);
        check("CREATE (n:Atom {id: 'x'})", false);
        check("match (n) detach delete n", false);
        check("MATCH (n) SET n.x = 1", false);
        check("MATCH (n) SET n:Label", false);
        check("MERGE (n:A {id: 1})", false);
        check("MATCH (n) REMOVE n.x", false);
        check("MATCH (n) FOREACH (x IN [1] | CREATE ())", false);
        check("CALL { CREATE (n) } RETURN 1", false);
        check("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", false);
        check("CALL apoc.create.node(['A'], {})", false);
        check("CALL db.createLabel('X')", false);
        check("DROP INDEX x", false);
        check("MATCH (n) RETURN n /* unterminated", false);
        check("RETURN 'unterminated", false);
    }
}
