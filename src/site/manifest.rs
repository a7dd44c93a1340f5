//! The manifest: every file of a finished build, with the [`Fingerprint`] of what it was made
//! from and the size and modification time the build left it with.
//!
//! A build after one edit reads two of them (the output's and the spare's, 31,597 files each
//! for a site of 10,000 releases) and writes one, so the file is laid out to be read with one
//! `read` and searched where it lies, without a string made per file:
//!
//! ```text
//! hemasite build manifest 4\n          the format, as text, so that `head` tells what it is
//! tree <dev>:<ino>:<born>\n            the folder it describes (see `output::tree_id`)
//! count: u32, names: u32               little-endian: files, bytes of their paths
//! check: u32                           CRC-32 of everything after it
//! count × { fingerprint: [u8; 32], len: u64, modified_ns: u128, end: u32 }
//! names                                every path, in byte order, one after another; each
//!                                      record's `end` is where its path ends
//! ```
//!
//! Anything wrong with a file (another version's, another folder's, truncated, a bit flipped,
//! paths out of order) makes it an empty manifest, which means "build everything": never a
//! panic, and never a file kept on the word of a damaged record.

use std::cmp::Ordering;
use std::path::Path;

use rayon::prelude::*;

use super::fingerprint::Fingerprint;
use super::staging::write_atomically;
use crate::diagnostics::Diagnostic;

/// The first line; the number changes with the layout.
pub const HEADER: &str = "hemasite build manifest 4";

/// Bytes after the two lines, before the records: count, names, check.
const FIXED: usize = 12;

/// Bytes of one record: fingerprint, size, time, end of its path.
const RECORD: usize = 32 + 8 + 16 + 4;

/// One output file as the build left it. The size and modification time let the next build
/// notice a file changed by someone else, which is then made again rather than kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Entry {
    pub fingerprint: Fingerprint,
    pub len: u64,
    pub modified_ns: u128,
}

/// What a build wrote: every file, relative to the output folder, with what it was made from.
/// Sorted by path, so that a lookup is a binary search and the file is written as it is held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Every path, in order, one after another.
    names: String,
    /// In path order: each file's entry and where its path ends in `names`.
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    entry: Entry,
    /// Where its path is in `names`.
    start: usize,
    end: usize,
}

impl Manifest {
    /// The manifest of `files`; of two entries for one path, the later one counts.
    pub fn from_entries(mut files: Vec<(String, Entry)>) -> Manifest {
        // Stable, so that the later of two entries for a path stays the later.
        files.par_sort_by(|(a, _), (b, _)| a.cmp(b));
        let mut manifest = Manifest {
            names: String::with_capacity(files.iter().map(|(path, _)| path.len()).sum()),
            slots: Vec::with_capacity(files.len()),
        };
        let mut files = files.into_iter().peekable();
        while let Some((path, entry)) = files.next() {
            if files.peek().is_some_and(|(next, _)| *next == path) {
                continue;
            }
            manifest.push(&path, entry);
        }
        manifest
    }

    /// Adds a file whose path sorts after every path already in.
    fn push(&mut self, path: &str, entry: Entry) {
        let start = self.names.len();
        self.names.push_str(path);
        self.slots.push(Slot {
            entry,
            start,
            end: self.names.len(),
        });
    }

    /// Adds or replaces the entries of `other`.
    pub fn extend(&mut self, other: Manifest) {
        let mut merged = Manifest {
            names: String::with_capacity(self.names.len() + other.names.len()),
            slots: Vec::with_capacity(self.slots.len() + other.slots.len()),
        };
        let old = std::mem::take(self);
        let (mut mine, mut theirs) = (old.iter().peekable(), other.iter().peekable());
        loop {
            let order = match (mine.peek(), theirs.peek()) {
                (Some((a, _)), Some((b, _))) => a.cmp(b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            let next = match order {
                Ordering::Less => mine.next(),
                Ordering::Greater => theirs.next(),
                Ordering::Equal => {
                    mine.next();
                    theirs.next()
                }
            };
            if let Some((path, entry)) = next {
                merged.push(path, *entry);
            }
        }
        *self = merged;
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        let index = self
            .slots
            .binary_search_by(|slot| self.name_at(slot).cmp(path))
            .ok()?;
        Some(&self.slots[index].entry)
    }

    /// Every file with its entry, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.slots
            .iter()
            .map(|slot| (self.name_at(slot), &slot.entry))
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn name_at(&self, slot: &Slot) -> &str {
        &self.names[slot.start..slot.end]
    }

    /// Reads the manifest of the folder whose identity is `tree`; an absent, unreadable or
    /// damaged one, or one written for another folder, is empty, which means "build
    /// everything".
    pub fn read(path: &Path, tree: Option<&str>) -> Manifest {
        let Some(tree) = tree else {
            return Manifest::default();
        };
        std::fs::read(path)
            .ok()
            .and_then(|bytes| parse(bytes, tree))
            .unwrap_or_default()
    }

    /// Writes the manifest of the folder whose identity is `tree` through a temporary file and
    /// a rename, so that it is never half written.
    pub fn write(&self, path: &Path, tree: &str) -> Result<(), Diagnostic> {
        let (Ok(count), Ok(names)) = (
            u32::try_from(self.slots.len()),
            u32::try_from(self.names.len()),
        ) else {
            return Err(Diagnostic::general(format!(
                "{}: the site has too many files for a manifest ({}); build into several \
                 output folders",
                path.display(),
                self.slots.len()
            )));
        };
        let mut bytes = Vec::with_capacity(
            HEADER.len() + tree.len() + 2 + FIXED + self.slots.len() * RECORD + self.names.len(),
        );
        bytes.extend_from_slice(HEADER.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(tree.as_bytes());
        bytes.push(b'\n');
        let head = bytes.len();
        bytes.extend_from_slice(&count.to_le_bytes());
        bytes.extend_from_slice(&names.to_le_bytes());
        bytes.extend_from_slice(&[0; 4]);
        for slot in &self.slots {
            let entry = &slot.entry;
            bytes.extend_from_slice(entry.fingerprint.as_bytes());
            bytes.extend_from_slice(&entry.len.to_le_bytes());
            bytes.extend_from_slice(&entry.modified_ns.to_le_bytes());
            // Below `names`, which fits in a u32.
            bytes.extend_from_slice(&(slot.end as u32).to_le_bytes());
        }
        bytes.extend_from_slice(self.names.as_bytes());
        let check = crc32fast::hash(&bytes[head + FIXED..]);
        bytes[head + 8..head + FIXED].copy_from_slice(&check.to_le_bytes());
        write_atomically(path, &bytes)
    }
}

/// The manifest in `bytes` when it is whole, of this version and of the folder `tree`.
fn parse(mut bytes: Vec<u8>, tree: &str) -> Option<Manifest> {
    let head = first_lines(&bytes, tree)?;
    let fixed = bytes.get(head..head + FIXED)?;
    let number = |at: usize| fixed[at..at + 4].try_into().ok().map(u32::from_le_bytes);
    let (count, names_len, check) = (number(0)? as usize, number(4)? as usize, number(8)?);
    let records = head + FIXED;
    let names_at = records.checked_add(count.checked_mul(RECORD)?)?;
    if names_at.checked_add(names_len)? != bytes.len()
        || crc32fast::hash(&bytes[records..]) != check
    {
        return None;
    }
    let mut start = 0;
    let mut slots = Vec::with_capacity(count);
    for record in bytes[records..names_at].chunks_exact(RECORD) {
        let (entry, end) = record_of(record)?;
        slots.push(Slot { entry, start, end });
        start = end;
    }
    let names = String::from_utf8(bytes.split_off(names_at)).ok()?;
    let manifest = Manifest { names, slots };
    manifest.is_well_formed().then_some(manifest)
}

/// Where the binary part of a manifest starts: after its two lines, when they are this
/// version's header and `tree`.
fn first_lines(bytes: &[u8], tree: &str) -> Option<usize> {
    let rest = bytes.strip_prefix(HEADER.as_bytes())?.strip_prefix(b"\n")?;
    rest.strip_prefix(tree.as_bytes())?.strip_prefix(b"\n")?;
    Some(HEADER.len() + tree.len() + 2)
}

/// Whether the manifest at `path` is of this version and names the folder `tree`, read from
/// its first two lines only.
pub fn names_tree(path: &Path, tree: &str) -> bool {
    use std::io::Read;
    let mut head = vec![0; HEADER.len() + tree.len() + 2];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut head))
        .is_ok_and(|()| first_lines(&head, tree).is_some())
}

/// A record's entry and where its path ends.
fn record_of(record: &[u8]) -> Option<(Entry, usize)> {
    let fingerprint = Fingerprint::from_bytes(record[..32].try_into().ok()?);
    let len = u64::from_le_bytes(record[32..40].try_into().ok()?);
    let modified_ns = u128::from_le_bytes(record[40..56].try_into().ok()?);
    let end = u32::from_le_bytes(record[56..60].try_into().ok()?) as usize;
    let entry = Entry {
        fingerprint,
        len,
        modified_ns,
    };
    Some((entry, end))
}

impl Manifest {
    /// Whether every path is a non-empty piece of `names` on character boundaries, the last
    /// ending at its end, and the paths are in strictly increasing order: what lookups rely
    /// on.
    fn is_well_formed(&self) -> bool {
        let mut previous: Option<&str> = None;
        for slot in &self.slots {
            // `get` is `None` past the end or off a character boundary.
            let Some(name) = self.names.get(slot.start..slot.end) else {
                return false;
            };
            if name.is_empty() || previous.is_some_and(|previous| previous >= name) {
                return false;
            }
            previous = Some(name);
        }
        self.slots.last().map_or(0, |slot| slot.end) == self.names.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = "tree 1:2:3";

    fn entry(byte: &str) -> Entry {
        Entry {
            fingerprint: Fingerprint::of(byte).finish(),
            len: 3,
            modified_ns: 1_700_000_000_123_456_789,
        }
    }

    fn sample() -> Manifest {
        Manifest::from_entries(vec![
            ("static/a file.css".into(), entry("b")),
            ("index.html".into(), entry("a")),
            ("releases/é/index.html".into(), entry("c")),
        ])
    }

    #[test]
    fn a_manifest_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public-manifest");
        let manifest = sample();
        manifest.write(&path, TREE).unwrap();
        let read = Manifest::read(&path, Some(TREE));
        assert_eq!(read, manifest);
        assert_eq!(read.get("index.html"), Some(&entry("a")));
        assert_eq!(read.get("releases/é/index.html"), Some(&entry("c")));
        assert_eq!(read.get("static/a file.cs"), None);
        assert!(
            Manifest::read(&path, Some("tree 1:2:4")).is_empty(),
            "a manifest describes one folder only"
        );
        assert!(names_tree(&path, TREE) && !names_tree(&path, "tree 1:2:4"));
    }

    #[test]
    fn later_entries_replace_earlier_ones() {
        let mut manifest = Manifest::from_entries(vec![
            ("a".into(), entry("1")),
            ("b".into(), entry("2")),
            ("a".into(), entry("3")),
        ]);
        assert_eq!(manifest.len(), 2);
        assert_eq!(manifest.get("a"), Some(&entry("3")));
        manifest.extend(Manifest::from_entries(vec![
            ("b".into(), entry("4")),
            ("c".into(), entry("5")),
        ]));
        let files: Vec<(&str, &Entry)> = manifest.iter().collect();
        assert_eq!(
            files,
            [("a", &entry("3")), ("b", &entry("4")), ("c", &entry("5"))]
        );
    }

    #[test]
    fn a_damaged_old_or_foreign_manifest_means_build_everything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public-manifest");
        assert!(Manifest::read(&path, Some(TREE)).is_empty(), "missing");
        sample().write(&path, TREE).unwrap();
        let good = std::fs::read(&path).unwrap();
        // Every byte of the file flipped in turn, and the file cut at every length.
        for at in 0..good.len() {
            let mut bytes = good.clone();
            bytes[at] ^= 0x20;
            std::fs::write(&path, &bytes).unwrap();
            assert!(Manifest::read(&path, Some(TREE)).is_empty(), "byte {at}");
            std::fs::write(&path, &good[..at]).unwrap();
            assert!(Manifest::read(&path, Some(TREE)).is_empty(), "cut at {at}");
        }
        let old = format!(
            "hemasite build manifest 3\n{TREE}\n{} 3 1 index.html\n",
            "0".repeat(64)
        );
        std::fs::write(&path, old).unwrap();
        assert!(Manifest::read(&path, Some(TREE)).is_empty(), "version 3");
        std::fs::write(&path, "<html>not a manifest</html>").unwrap();
        assert!(Manifest::read(&path, Some(TREE)).is_empty(), "foreign");
    }

    /// A file whose check is right but whose paths are out of order (which no build
    /// writes) is refused too: lookups would miss files.
    #[test]
    fn paths_out_of_order_are_refused_even_with_a_good_check() {
        let mut manifest = sample();
        manifest.names = manifest.names.replacen("index.html", "zndex.html", 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public-manifest");
        manifest.write(&path, TREE).unwrap();
        assert!(Manifest::read(&path, Some(TREE)).is_empty());
    }
}
