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
    folders: HashMap<Vec<u8>, Tally>,
    /// The root's tally (every key).
    root: Tally,
}

/// Keys of a folder, and the memory of those of its keys that were sized.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    keys: u64,
    sampled: u32,
    sampled_bytes: u64,
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
    /// Keys of it sized with MEMORY USAGE.
    pub sampled_keys: u32,
    /// Its memory: the sampled keys' average times its keys (exact when every key was
    /// sampled); `None` when none was sampled.
    pub bytes: Option<String>,
}

impl NamespaceCounter {
    pub fn new(delimiter: &str, max_depth: usize) -> Self {
        Self {
            delimiter: delimiter.as_bytes().to_vec(),
            max_depth,
            folders: HashMap::new(),
            root: Tally::default(),
        }
    }

    pub fn keys(&self) -> u64 {
        self.root.keys
    }

    pub fn add(&mut self, key: &[u8]) {
        self.each_folder(key, |t| t.keys += 1);
    }

    /// Counts the measured memory of a key already added.
    pub fn add_sample(&mut self, key: &[u8], bytes: u64) {
        self.each_folder(key, |t| {
            t.sampled += 1;
            t.sampled_bytes += bytes;
        });
    }

    /// Applies `f` to the root and to every folder of `key` down to `max_depth`.
    fn each_folder(&mut self, key: &[u8], mut f: impl FnMut(&mut Tally)) {
        f(&mut self.root);
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
                Some(t) => f(t),
                None => f(self.folders.entry(key[..end].to_vec()).or_default()),
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
        let mut children: HashMap<Vec<u8>, Vec<(Vec<u8>, Tally)>> = HashMap::new();
        for (prefix, tally) in &self.folders {
            let parent = parent_of(prefix, d, &self.delimiter);
            children
                .entry(parent.to_vec())
                .or_default()
                .push((prefix.clone(), *tally));
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| b.1.keys.cmp(&a.1.keys).then_with(|| a.0.cmp(&b.0)));
        }
        let mut out = Vec::new();
        let mut stack = vec![(Vec::new(), self.root, 0u32)];
        while let Some((prefix, tally, depth)) = stack.pop() {
            let subfolders = children.remove(&prefix).unwrap_or_default();
            let in_subfolders: u64 = subfolders.iter().map(|(_, t)| t.keys).sum();
            let hidden = subfolders.len().saturating_sub(max_children);
            let bytes = (tally.sampled > 0).then(|| {
                // f64 is exact far beyond any key count or size here.
                (tally.sampled_bytes as f64 / f64::from(tally.sampled) * tally.keys as f64)
                    .round()
                    .to_string()
            });
            out.push(Namespace {
                prefix: KeyName::from_bytes(&prefix),
                depth,
                keys: tally.keys.to_string(),
                own_keys: tally.keys.saturating_sub(in_subfolders).to_string(),
                hidden_folders: u32::try_from(hidden).unwrap_or(u32::MAX),
                sampled_keys: tally.sampled,
                bytes,
            });
            // Reversed so that the largest is popped (and listed) first.
            for (child, t) in subfolders.into_iter().take(max_children).rev() {
                stack.push((child, t, depth + 1));
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
    fn memory_is_the_sampled_average_times_the_keys() {
        let mut c = NamespaceCounter::new(":", 8);
        for k in ["a:1", "a:2", "a:3", "a:4", "b:1"] {
            c.add(k.as_bytes());
        }
        c.add_sample(b"a:1", 100);
        c.add_sample(b"a:2", 300);
        let got: Vec<(String, u32, Option<String>)> = c
            .into_namespaces(10)
            .into_iter()
            .map(|n| (n.prefix.text, n.sampled_keys, n.bytes))
            .collect();
        assert_eq!(
            got,
            [
                (String::new(), 2, Some("1000".into())),
                ("a:".into(), 2, Some("800".into())),
                ("b:".into(), 0, None),
            ]
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
