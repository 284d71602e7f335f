//! The namespace tree of a key space: every key adds one to each folder it sits in, a folder
//! being the key up to and including a delimiter (`tenant:`, `tenant:a:`, `tenant:a:atom:` for
//! `tenant:a:atom:42`). Counts are complete for every folder down to `max_depth`; deeper
//! folders count in their ancestors. Pure, so it is tested without a server.

use std::collections::HashMap;

use serde::Serialize;

use super::key_name::KeyName;

#[derive(Debug)]
pub struct NamespaceCounter {
    delimiter: Vec<u8>,
    max_depth: usize,
    folders: HashMap<Vec<u8>, u64>,
    keys: u64,
}

/// A folder of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// The folder's full prefix, delimiter included.
    pub prefix: KeyName,
    /// Folders above it.
    pub depth: u32,
    /// Keys under it, at any depth.
    pub keys: String,
    /// Keys directly in it (not in a subfolder).
    pub own_keys: String,
    /// Subfolders left out of the result (only the largest are kept per folder).
    pub hidden_folders: u32,
}

impl NamespaceCounter {
    pub fn new(delimiter: &str, max_depth: usize) -> Self {
        Self {
            delimiter: delimiter.as_bytes().to_vec(),
            max_depth,
            folders: HashMap::new(),
            keys: 0,
        }
    }

    pub fn keys(&self) -> u64 {
        self.keys
    }

    pub fn add(&mut self, key: &[u8]) {
        self.keys += 1;
        if self.delimiter.is_empty() {
            return;
        }
        let d = self.delimiter.len();
        let (mut from, mut depth) = (0, 0);
        while depth < self.max_depth {
            let Some(at) = key[from..].windows(d).position(|w| w == self.delimiter) else {
                break;
            };
            let end = from + at + d;
            // Looked up before inserting: no allocation for a folder already counted.
            match self.folders.get_mut(&key[..end]) {
                Some(n) => *n += 1,
                None => {
                    self.folders.insert(key[..end].to_vec(), 1);
                }
            }
            from = end;
            depth += 1;
        }
    }

    /// The folders, parents before children and siblings by key count (largest first); at most
    /// `max_children` subfolders per folder (the others counted in `hidden_folders`, their keys
    /// still in the parent's count). The root (`""`) comes first with every key.
    pub fn into_namespaces(self, max_children: usize) -> Vec<Namespace> {
        let d = self.delimiter.len();
        // parent prefix -> its direct subfolders
        let mut children: HashMap<Vec<u8>, Vec<(Vec<u8>, u64)>> = HashMap::new();
        for (prefix, keys) in &self.folders {
            let parent = parent_of(prefix, d, &self.delimiter);
            children
                .entry(parent.to_vec())
                .or_default()
                .push((prefix.clone(), *keys));
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        let mut out = Vec::new();
        let mut stack = vec![(Vec::new(), self.keys, 0u32)];
        while let Some((prefix, keys, depth)) = stack.pop() {
            let subfolders = children.remove(&prefix).unwrap_or_default();
            let in_subfolders: u64 = subfolders.iter().map(|(_, n)| n).sum();
            let hidden = subfolders.len().saturating_sub(max_children);
            out.push(Namespace {
                prefix: KeyName::from_bytes(&prefix),
                depth,
                keys: keys.to_string(),
                own_keys: keys.saturating_sub(in_subfolders).to_string(),
                hidden_folders: u32::try_from(hidden).unwrap_or(u32::MAX),
            });
            // Reversed so that the largest is popped (and listed) first.
            for (child, n) in subfolders.into_iter().take(max_children).rev() {
                stack.push((child, n, depth + 1));
            }
        }
        out
    }
}

/// `tenant:a:` for `tenant:a:atom:`; `` for `tenant:`.
fn parent_of<'p>(prefix: &'p [u8], d: usize, delimiter: &[u8]) -> &'p [u8] {
    let body = &prefix[..prefix.len() - d];
    match body.windows(d).rposition(|w| w == delimiter) {
        Some(at) => &prefix[..at + d],
        None => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `keys` counted with `:` to `max_depth`; `expect` lines are `prefix keys own hidden`,
    /// indented two spaces per depth.
    fn check(keys: &[&str], max_depth: usize, max_children: usize, expect: &str) {
        let mut c = NamespaceCounter::new(":", max_depth);
        for k in keys {
            c.add(k.as_bytes());
        }
        let got: Vec<String> = c
            .into_namespaces(max_children)
            .iter()
            .map(|n| {
                format!(
                    "{}{} {} {} {}",
                    "  ".repeat(n.depth as usize),
                    if n.prefix.text.is_empty() {
                        "(root)"
                    } else {
                        &n.prefix.text
                    },
                    n.keys,
                    n.own_keys,
                    n.hidden_folders
                )
            })
            .collect();
        assert_eq!(got.join("\n"), expect.trim(), "{keys:?}");
    }

    #[test]
    fn counts_every_folder_and_its_own_keys() {
        check(
            &[
                "t:a:atom:1",
                "t:a:atom:2",
                "t:a:flags",
                "t:b:atom:1",
                "plain",
            ],
            8,
            10,
            "
(root) 5 1 0
  t: 4 0 0
    t:a: 3 1 0
      t:a:atom: 2 2 0
    t:b: 1 0 0
      t:b:atom: 1 1 0",
        );
    }

    #[test]
    fn deeper_folders_count_in_their_ancestors() {
        check(
            &["t:a:x:y:1", "t:a:x:y:2"],
            2,
            10,
            "
(root) 2 0 0
  t: 2 0 0
    t:a: 2 2 0",
        );
    }

    #[test]
    fn only_the_largest_subfolders_are_listed() {
        check(
            &["d:1:a", "d:2:a", "d:2:b", "d:3:a", "d:3:b", "d:3:c"],
            8,
            2,
            "
(root) 6 0 0
  d: 6 0 1
    d:3: 3 3 0
    d:2: 2 2 0",
        );
    }

    #[test]
    fn empty_segments_and_binary_keys_are_folders_too() {
        check(
            &["::x", "a:\u{e9}:1"],
            8,
            10,
            "
(root) 2 0 0
  : 1 0 0
    :: 1 1 0
  a: 1 0 0
    a:\u{e9}: 1 1 0",
        );
    }
}
