//! The Redis console: a command line split like `redis-cli` splits it (quotes, `\xHH`
//! escapes), checked against the read-only allowlist whatever the connection's mode, then sent.
//! The reply becomes rows: one per element of an array (nested arrays numbered `2.1`, `2.2`,
//! like `redis-cli`), one per field of a map, or one for a single value. Bytes that are not
//! UTF-8 are shown escaped (`\xff`), never lost.

use redis::Value;

use super::Grid;
use crate::error::StoreKind;
use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::profile::fill_pattern;
use crate::stores::redis_guard::check_read_only;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

pub(super) async fn run(
    platform: &Platform,
    text: &str,
    tenant: Option<&Tenant>,
    cap: usize,
) -> Result<(Grid, String)> {
    let args = split_command_line(text)?;
    let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
    check_read_only(&refs)?;
    let redis = platform.redis()?;
    let value = with_timeout(StoreKind::Redis, platform.timeout * 5, redis.command(&refs)).await?;
    let scope = match (tenant, platform.profile.cache.as_ref()) {
        (Some(t), Some(cache)) => format!(
            "Redis; the tenant's keys start with {}",
            fill_pattern(&cache.tenant_prefix, &t.vars())?
        ),
        _ => "Redis".to_owned(),
    };
    Ok((grid_of(&value, cap), scope))
}

/// The reply as rows.
fn grid_of(value: &Value, cap: usize) -> Grid {
    match value {
        Value::Array(items) | Value::Set(items) => {
            let mut grid = Grid::new(vec!["#".into(), "value".into()], cap);
            flatten(items, "", &mut grid);
            grid
        }
        Value::Map(pairs) => {
            let mut grid = Grid::new(vec!["field".into(), "value".into()], cap);
            for (k, v) in pairs {
                if !grid.push(vec![display(k), display(v)]) {
                    break;
                }
            }
            grid
        }
        other => {
            let mut grid = Grid::new(vec!["value".into()], cap);
            grid.push(vec![display(other)]);
            grid
        }
    }
}

fn flatten(items: &[Value], prefix: &str, grid: &mut Grid) -> bool {
    for (i, item) in items.iter().enumerate() {
        let label = format!("{prefix}{}", i + 1);
        let more = match item {
            Value::Array(inner) | Value::Set(inner) if !inner.is_empty() => {
                flatten(inner, &format!("{label}."), grid)
            }
            other => grid.push(vec![Some(label), display(other)]),
        };
        if !more {
            return false;
        }
    }
    true
}

/// One value as text; `None` for nil.
fn display(value: &Value) -> Option<String> {
    Some(match value {
        Value::Nil => return None,
        Value::Int(n) => n.to_string(),
        Value::Double(d) => d.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::BulkString(bytes) => escape_bytes(bytes),
        Value::SimpleString(s) => s.clone(),
        Value::Okay => "OK".to_owned(),
        Value::VerbatimString { text, .. } => text.clone(),
        Value::BigNumber(n) => n.to_string(),
        Value::ServerError(e) => format!("(error) {}", e.details().unwrap_or_default()),
        Value::Array(items) | Value::Set(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|v| display(v).unwrap_or_else(|| "(nil)".into()))
                .collect();
            format!("[{}]", inner.join(", "))
        }
        other => format!("{other:?}"),
    })
}

/// UTF-8 as it is; otherwise `redis-cli`'s escaping (`\xff`, `\n`, `\\`).
pub fn escape_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() * 2);
            for &b in bytes {
                match b {
                    b'\\' => out.push_str("\\\\"),
                    b'\n' => out.push_str("\\n"),
                    b'\r' => out.push_str("\\r"),
                    b'\t' => out.push_str("\\t"),
                    0x20..=0x7e => out.push(b as char),
                    _ => out.push_str(&format!("\\x{b:02x}")),
                }
            }
            out
        }
    }
}

/// Splits a command line into arguments like `redis-cli`: spaces separate; `"..."` takes
/// `\"`, `\\`, `\n`, `\r`, `\t` and `\xHH` escapes; `'...'` takes only `\'`.
pub fn split_command_line(line: &str) -> Result<Vec<Vec<u8>>> {
    let bad = |why: &str| Error::InvalidInput(format!("Redis command line: {why}"));
    let mut args = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut arg = Vec::new();
        if first == '"' || first == '\'' {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(bad("unbalanced quotes")),
                    Some(c) if c == first => break,
                    Some('\\') if first == '\'' => match chars.next() {
                        Some('\'') => arg.push(b'\''),
                        Some(c) => {
                            arg.push(b'\\');
                            push_char(&mut arg, c);
                        }
                        None => return Err(bad("unbalanced quotes")),
                    },
                    Some('\\') => match chars.next() {
                        Some('n') => arg.push(b'\n'),
                        Some('r') => arg.push(b'\r'),
                        Some('t') => arg.push(b'\t'),
                        Some('x') => {
                            let hex: String = chars.by_ref().take(2).collect();
                            let byte = u8::from_str_radix(&hex, 16)
                                .map_err(|_| bad("\\x needs two hex digits"))?;
                            arg.push(byte);
                        }
                        Some(c) => push_char(&mut arg, c),
                        None => return Err(bad("unbalanced quotes")),
                    },
                    Some(c) => push_char(&mut arg, c),
                }
            }
            if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                return Err(bad("a closing quote must be followed by a space"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                push_char(&mut arg, c);
                chars.next();
            }
        }
        args.push(arg);
    }
    if args.is_empty() {
        return Err(bad("no command"));
    }
    Ok(args)
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expect: Option<&[&[u8]]>) {
        let got = split_command_line(line).ok();
        let expect = expect.map(|e| e.iter().map(|a| a.to_vec()).collect::<Vec<_>>());
        assert_eq!(got, expect, "{line}");
    }

    #[test]
    fn splits_like_redis_cli() {
        check("GET key", Some(&[b"GET", b"key"]));
        check("  get   a:b  ", Some(&[b"get", b"a:b"]));
        check(r#"GET "a b""#, Some(&[b"GET", b"a b"]));
        check(r#"GET "bin\xff\x00""#, Some(&[b"GET", b"bin\xff\x00"]));
        check(r#"GET 'it\'s'"#, Some(&[b"GET", b"it's"]));
        check(
            r#"SCAN 0 MATCH "tenant:*\"*""#,
            Some(&[b"SCAN", b"0", b"MATCH", b"tenant:*\"*"]),
        );
        check(r#"GET "unterminated"#, None);
        check(r#"GET "a"b"#, None);
        check(r#"GET "\xZZ""#, None);
        check("   ", None);
    }

    #[test]
    fn replies_become_rows() {
        let scan = Value::Array(vec![
            Value::BulkString(b"0".to_vec()),
            Value::Array(vec![
                Value::BulkString(b"k1".to_vec()),
                Value::BulkString(b"\xffk".to_vec()),
            ]),
        ]);
        let grid = grid_of(&scan, 10);
        assert_eq!(grid.columns, ["#", "value"]);
        let rows: Vec<Vec<Option<String>>> = grid.rows;
        assert_eq!(
            rows,
            vec![
                vec![Some("1".into()), Some("0".into())],
                vec![Some("2.1".into()), Some("k1".into())],
                vec![Some("2.2".into()), Some("\\xffk".into())],
            ]
        );
        let capped = grid_of(&scan, 2);
        assert!(capped.more);
        assert_eq!(capped.rows.len(), 2);
        assert_eq!(grid_of(&Value::Nil, 5).rows, vec![vec![None]]);
    }
}
