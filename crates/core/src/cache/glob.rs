//! Redis glob patterns (`*`, `?`, `[abc]`, `[^a-z]`, `\x`) matched here, with the semantics of
//! Redis' own `stringmatchlen`, so that a profile's patterns (e.g. which keys must carry a TTL)
//! are checked on keys that one SCAN already brought back, instead of one SCAN per pattern.

/// Whether `key` matches the Redis glob `pattern`.
pub fn matches(pattern: &[u8], key: &[u8]) -> bool {
    let (mut p, mut k) = (0, 0);
    // Where the last `*` was and which key position it stands for, to backtrack to.
    let mut star: Option<(usize, usize)> = None;
    while k < key.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p, k));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    k += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = class(pattern, p, key[k]) {
                        if matched {
                            p = next;
                            k += 1;
                            continue;
                        }
                    }
                }
                b'\\' if p + 1 < pattern.len() => {
                    if pattern[p + 1] == key[k] {
                        p += 2;
                        k += 1;
                        continue;
                    }
                }
                c => {
                    if c == key[k] {
                        p += 1;
                        k += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, sk)) => {
                p = sp + 1;
                k = sk + 1;
                star = Some((sp, sk + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// The `[...]` class at `pattern[start]` against `c`: whether it matches and where the pattern
/// goes on. An unclosed class runs to the end of the pattern, as in Redis.
fn class(pattern: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = pattern.get(i) == Some(&b'^');
    if negate {
        i += 1;
    }
    let mut matched = false;
    while i < pattern.len() && pattern[i] != b']' {
        if pattern[i] == b'\\' && i + 1 < pattern.len() {
            matched |= pattern[i + 1] == c;
            i += 2;
        } else if i + 2 < pattern.len() && pattern[i + 1] == b'-' && pattern[i + 2] != b']' {
            let (lo, hi) = (
                pattern[i].min(pattern[i + 2]),
                pattern[i].max(pattern[i + 2]),
            );
            matched |= (lo..=hi).contains(&c);
            i += 3;
        } else {
            matched |= pattern[i] == c;
            i += 1;
        }
    }
    let next = (i + 1).min(pattern.len());
    Some((matched != negate, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, key: &str, expect: bool) {
        assert_eq!(
            matches(pattern.as_bytes(), key.as_bytes()),
            expect,
            "{pattern} ~ {key}"
        );
    }

    #[test]
    fn matches_like_redis() {
        check("tenant:a:atom:*", "tenant:a:atom:42", true);
        check("tenant:a:atom:*", "tenant:a:atoms", false);
        check("tenant:a:atom:*", "tenant:a:atom:", true);
        check("*", "", true);
        check("", "", true);
        check("", "x", false);
        check("h?llo", "hello", true);
        check("h?llo", "hllo", false);
        check("h[ae]llo", "hallo", true);
        check("h[ae]llo", "hillo", false);
        check("h[^e]llo", "hallo", true);
        check("h[^e]llo", "hello", false);
        check("h[a-b]llo", "hbllo", true);
        check("h[b-a]llo", "hallo", true);
        check("a\\*b", "a*b", true);
        check("a\\*b", "axb", false);
        check("*:session:*", "tenant:x:session:1", true);
        check("a*b*c", "axxbyyc", true);
        check("a*b*c", "axxbyy", false);
        check("**x", "abx", true);
        check("[", "a", false);
    }
}
