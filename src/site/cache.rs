//! The parsed releases, kept between runs of `hemasite build` in the folder `.public-cache`
//! beside the output (next to the manifest), so that a new process after one edit parses one
//! release, not ten thousand.
//!
//! Each release is kept with the size and modification time its file had and the digest of
//! its path and text (the release's file [`Fingerprint`]); a release is taken from the cache only
//! when all three are its file's now, so an edit that keeps the size and the time is still seen
//! (every file is read and digested; only the parsing is saved). The releases are spread over
//! [`SHARDS`] files by their path, so that a build after one edit writes one small file again,
//! not the whole cache (31 MB for the 10,000 synthetic releases, with their search terms). Each
//! file carries the identity of the hemasite program that wrote it ([`fingerprint::hemasite`])
//! and the CRC-32 of its contents: a file written by another build of hemasite, truncated,
//! damaged or not a cache at all is ignored, and its releases are parsed again. Each is written
//! through a temporary file and a rename, never half. What a build makes does not depend on the
//! cache: a release from it equals the one parsed from its file
//! (`the_cache_gives_back_the_releases_it_was_given`).
//!
//! The interface is two calls: [`ReleaseCache::load`] before the releases are read, and
//! [`ReleaseCache::store`] after.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::fingerprint::{self, Fingerprint};
use super::meta::{ReleaseFingerprints, ReleaseMeta};
use super::output::beside;
use super::search::SearchEntry;
use super::staging::{io_error, write_atomically};
use crate::diagnostics::Diagnostic;
use crate::model::file::{body_of, scan_lines};
use crate::model::{FrontMatter, Release};

/// The first line of a cache file; the number changes with the layout of its records.
const HEADER: &str = "hemasite release cache 3";

/// How many files the cache is spread over: `00` to `3f`.
pub const SHARDS: usize = 64;

/// One release as its file was parsed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    path: String,
    len: u64,
    modified_ns: u128,
    /// The release's file fingerprint: the digest of its path and text.
    digest: Fingerprint,
    /// The front matter as parsed; the body is the file's text after it, taken from the file
    /// read to check the digest (the same text, since the digest is the same).
    front: FrontMatter,
    slug: String,
    /// The fingerprints of its parts: listing, events, people, figures, filing.
    parts: [Fingerprint; 5],
    /// The plain-text summary the lists show.
    summary: String,
    /// Its terms and summary for the search index.
    search: SearchEntry,
}

/// What decides whether a record is still its file's: the size, the time, the digest.
type Key = (u64, u128, Fingerprint);

/// A record as loaded: its key, and the record until a build takes it (moved out rather than
/// copied, since each release is read once). Boxed, so that the map of 10,000 slots stays
/// small and growing it moves no records.
struct Slot {
    key: Key,
    record: Mutex<Option<Box<Record>>>,
}

/// A release the cache gives back: what parsing its file would give.
pub struct Cached {
    pub release: Release,
    pub fingerprints: ReleaseFingerprints,
    pub summary: String,
    pub search: SearchEntry,
}

/// The releases of the last build, by file; empty when there was no usable cache.
#[derive(Default)]
pub struct ReleaseCache {
    records: HashMap<PathBuf, Slot>,
    /// How many releases were taken from it, to tell whether it needs writing again.
    hits: AtomicUsize,
}

impl ReleaseCache {
    /// The cache folder beside the output folder `output`: `.<name>-cache`.
    pub fn path_for(output: &Path) -> PathBuf {
        beside(output, "cache")
    }

    /// Reads the cache in the folder `dir`. A file with anything wrong (missing, another
    /// hemasite's, truncated, damaged) counts as empty: its releases are then parsed.
    pub fn load(dir: &Path) -> ReleaseCache {
        let shards: Vec<Vec<Record>> = (0..SHARDS)
            .into_par_iter()
            .map(|shard| {
                std::fs::read(shard_path(dir, shard))
                    .ok()
                    .and_then(|bytes| parse(&bytes))
                    .unwrap_or_default()
            })
            .collect();
        let mut records = HashMap::with_capacity(shards.iter().map(Vec::len).sum());
        for record in shards.into_iter().flatten() {
            let key = (record.len, record.modified_ns, record.digest);
            let path = PathBuf::from(&record.path);
            let record = Mutex::new(Some(Box::new(record)));
            records.insert(path, Slot { key, record });
        }
        ReleaseCache {
            records,
            hits: AtomicUsize::new(0),
        }
    }

    /// The release parsed from `path` when its file still has the size and time `stamp` and
    /// the fingerprint `digest` of its path and `text`.
    pub fn get(
        &self,
        path: &Path,
        stamp: (u64, u128),
        digest: Fingerprint,
        text: &str,
    ) -> Option<Cached> {
        let slot = self.records.get(path)?;
        if slot.key != (stamp.0, stamp.1, digest) {
            return None;
        }
        let body = body_of(text)?;
        let record = *slot.record.lock().ok()?.take()?;
        let [listing, events, people, figures, filing] = record.parts;
        let fingerprints = ReleaseFingerprints {
            file: digest,
            listing,
            events,
            people,
            figures,
            filing,
        };
        self.hits.fetch_add(1, Ordering::Relaxed);
        let lines = scan_lines(text, &record.front, body);
        Some(Cached {
            release: Release {
                front: record.front,
                body: body.to_string(),
                slug: record.slug,
                path: path.to_path_buf(),
                lines,
            },
            fingerprints,
            summary: record.summary,
            search: record.search,
        })
    }

    /// How many releases were taken from the cache.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Whether the cache holds exactly the `releases` the build read, all taken from it, so
    /// that writing it again would write the same.
    pub fn holds_exactly(&self, releases: usize) -> bool {
        self.records.len() == releases && self.hits() == releases
    }

    /// Writes the cache of `releases` (each with its file's size and time when it was read)
    /// into the folder `dir`: the files whose releases differ from the ones this cache was
    /// loaded with, each atomically.
    pub fn store<'a>(
        &self,
        dir: &Path,
        releases: impl IntoIterator<Item = (&'a Release, &'a ReleaseMeta, (u64, u128))>,
    ) -> Result<(), Diagnostic> {
        type Item<'a> = (&'a Release, &'a ReleaseMeta, (u64, u128));
        let mut shards: Vec<Vec<Item>> = vec![Vec::new(); SHARDS];
        for item in releases {
            if let Some(path) = item.0.path.to_str() {
                shards[shard_of(path)].push(item);
            }
        }
        let mut known = vec![0; SHARDS];
        for path in self.records.keys().filter_map(|path| path.to_str()) {
            known[shard_of(path)] += 1;
        }
        let unchanged = |shard: usize, items: &[Item]| {
            known[shard] == items.len()
                && items.iter().all(|(release, meta, (len, modified))| {
                    let key = (*len, *modified, meta.fingerprints.file);
                    self.records
                        .get(&release.path)
                        .is_some_and(|slot| slot.key == key)
                })
        };
        std::fs::create_dir_all(dir).map_err(|err| io_error(dir, "create", err))?;
        shards
            .par_iter()
            .enumerate()
            .filter(|(shard, items)| !unchanged(*shard, items))
            .try_for_each(|(shard, items)| {
                let records: Vec<Record> = items
                    .iter()
                    .filter_map(|(release, meta, stamp)| record_of(release, meta, *stamp))
                    .collect();
                write_shard(&shard_path(dir, shard), &records)
            })
    }
}

/// The record of a release, or `None` for a path that is not UTF-8 (which JSON cannot hold:
/// that release is parsed each time).
fn record_of(
    release: &Release,
    meta: &ReleaseMeta,
    (len, modified_ns): (u64, u128),
) -> Option<Record> {
    let fingerprints = &meta.fingerprints;
    Some(Record {
        path: release.path.to_str()?.to_string(),
        len,
        modified_ns,
        digest: fingerprints.file,
        front: release.front.clone(),
        slug: release.slug.clone(),
        parts: [
            fingerprints.listing,
            fingerprints.events,
            fingerprints.people,
            fingerprints.figures,
            fingerprints.filing,
        ],
        summary: meta.summary.summary.clone(),
        search: meta.search.clone(),
    })
}

fn write_shard(path: &Path, records: &[Record]) -> Result<(), Diagnostic> {
    let mut payload = String::new();
    for record in records {
        // Model types always serialize; a record that did not would only be missing.
        if let Ok(line) = serde_json::to_string(record) {
            payload.push_str(&line);
            payload.push('\n');
        }
    }
    write_sealed(path, HEADER, &payload)
}

/// Writes `payload` as a file of the cache (atomically): after the `header` line, the identity
/// of this hemasite program and the CRC-32 of the payload, which [`unsealed`] checks.
pub(super) fn write_sealed(path: &Path, header: &str, payload: &str) -> Result<(), Diagnostic> {
    let text = format!(
        "{header}\n{}\n{}\n{payload}",
        fingerprint::hemasite().to_hex(),
        check_of(payload.as_bytes())
    );
    write_atomically(path, text.as_bytes())
}

/// The payload of a file [`write_sealed`] wrote with `header`, or `None` when it is not one
/// this hemasite wrote whole (another version's or program's, truncated, damaged, foreign).
pub(super) fn unsealed<'a>(bytes: &'a [u8], header: &str) -> Option<&'a str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (first, rest) = text.split_once('\n')?;
    let (program, rest) = rest.split_once('\n')?;
    let (check, payload) = rest.split_once('\n')?;
    (first == header
        && program == fingerprint::hemasite().to_hex()
        && check == check_of(payload.as_bytes()))
    .then_some(payload)
}

/// Which file of the cache holds the release at `path`.
fn shard_of(path: &str) -> usize {
    let digest = Sha256::digest(path.as_bytes());
    usize::from(digest[0]) % SHARDS
}

fn shard_path(dir: &Path, shard: usize) -> PathBuf {
    dir.join(format!("{shard:02x}"))
}

/// The records of a cache file, or `None` when it is not one this hemasite wrote whole.
fn parse(bytes: &[u8]) -> Option<Vec<Record>> {
    unsealed(bytes, HEADER)?
        .lines()
        .map(|line| serde_json::from_str(line).ok())
        .collect()
}

/// The check that a file is whole: its CRC-32, as 8 hex digits.
fn check_of(bytes: &[u8]) -> String {
    format!("{:08x}", crc32fast::hash(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::content::read;
    use crate::site::fingerprint::stamp;

    /// Release files of every shape the project has: the demo's, and the corpus goldens' front
    /// matter (statements, events, per-share figures, subtitles) with a body of Markdown.
    fn release_files(dir: &Path) -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Release::files_in(&root.join("content/releases")).unwrap();
        let goldens = std::fs::read_dir(root.join("tests/golden/corpus")).unwrap();
        for (index, golden) in goldens.filter_map(Result::ok).enumerate() {
            let Ok(yaml) = std::fs::read_to_string(golden.path()) else {
                continue;
            };
            let Some(front) = yaml.strip_suffix("---\n") else {
                continue;
            };
            let text = format!("{front}---\nA *body* with \"quotes\", a\ttab and é.\n");
            let path = dir.join(format!("2020-01-01-golden-{index}.md"));
            std::fs::write(&path, text).unwrap();
            files.push(path);
        }
        files
    }

    fn stored(files: &[PathBuf], cache_path: &Path) -> Vec<(Release, ReleaseMeta)> {
        let parsed: Vec<(Release, ReleaseMeta, (u64, u128))> = files
            .iter()
            .filter_map(|path| read(path, &ReleaseCache::default()).ok())
            .collect();
        let with_stamps = parsed
            .iter()
            .map(|(release, meta, stamp)| (release, meta, *stamp));
        ReleaseCache::default()
            .store(cache_path, with_stamps)
            .unwrap();
        parsed
            .into_iter()
            .map(|(release, meta, _)| (release, meta))
            .collect()
    }

    #[test]
    fn the_cache_gives_back_the_releases_it_was_given() {
        let (_dir, cache_path, parsed) = a_cache();
        assert!(parsed.len() > 10, "only {} releases parsed", parsed.len());
        let cache = ReleaseCache::load(&cache_path);
        for (release, meta) in &parsed {
            let path = &release.path;
            let (again, again_meta, _) = read(path, &cache).unwrap();
            assert_eq!(&again, release, "{}", path.display());
            assert_eq!(again_meta.fingerprints, meta.fingerprints);
            assert_eq!(again_meta.summary.summary, meta.summary.summary);
            assert_eq!(again_meta.filing, meta.filing);
            assert_eq!(again_meta.source, meta.source);
            assert_eq!(again_meta.search, meta.search);
        }
        assert!(
            cache.holds_exactly(parsed.len()),
            "every release from the cache"
        );
    }

    /// A cache of every release of [`release_files`] in a new folder: the folder (kept while
    /// it lives), the cache's path and what was parsed.
    fn a_cache() -> (tempfile::TempDir, PathBuf, Vec<(Release, ReleaseMeta)>) {
        let dir = tempfile::tempdir().unwrap();
        let files = release_files(dir.path());
        let cache_path = dir.path().join(".public-cache");
        let parsed = stored(&files, &cache_path);
        (dir, cache_path, parsed)
    }

    /// The files of the cache at `cache_path`, in name order.
    fn shard_files(cache_path: &Path) -> Vec<PathBuf> {
        let mut shards: Vec<PathBuf> = std::fs::read_dir(cache_path)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        shards.sort();
        shards
    }

    #[test]
    fn a_damaged_truncated_old_or_foreign_cache_is_empty() {
        let (_dir, cache_path, _) = a_cache();
        let shards: Vec<(PathBuf, Vec<u8>)> = shard_files(&cache_path)
            .into_iter()
            .map(|path| (path.clone(), std::fs::read(path).unwrap()))
            .collect();
        assert!(shards.len() > 1, "the releases are spread over files");
        assert!(!ReleaseCache::load(&cache_path).records.is_empty());
        type Damage = fn(&[u8]) -> Vec<u8>;
        let damages: [(&str, Damage); 6] = [
            ("with one bit flipped", |good| {
                let mut bytes = good.to_vec();
                bytes[good.len() * 2 / 3] ^= 1;
                bytes
            }),
            ("truncated", |good| good[..good.len() - 10].to_vec()),
            ("empty", |_| Vec::new()),
            ("of an older layout", |good| {
                String::from_utf8_lossy(good)
                    .replacen(HEADER, "hemasite release cache 0", 1)
                    .into_bytes()
            }),
            ("written by another hemasite", |good| {
                let other = Fingerprint::of("another hemasite").finish().to_hex();
                String::from_utf8_lossy(good)
                    .replacen(&fingerprint::hemasite().to_hex(), &other, 1)
                    .into_bytes()
            }),
            ("not a cache", |_| b"\x00\xff not json\n".to_vec()),
        ];
        for (what, damage) in damages {
            for (path, good) in &shards {
                std::fs::write(path, damage(good)).unwrap();
            }
            assert!(
                ReleaseCache::load(&cache_path).records.is_empty(),
                "a cache {what} was trusted"
            );
        }
    }

    #[test]
    fn a_build_after_one_edit_writes_one_file_of_the_cache_again() {
        let (_dir, cache_path, parsed) = a_cache();
        let cache = ReleaseCache::load(&cache_path);
        let times = || -> Vec<std::time::SystemTime> {
            let modified = |path: &PathBuf| std::fs::metadata(path).unwrap().modified().unwrap();
            shard_files(&cache_path).iter().map(modified).collect()
        };
        let before = times();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let edited = parsed.iter().map(|(release, meta)| {
            let (len, modified) = stamp(&release.path).unwrap();
            let first = release.path == parsed[0].0.path;
            (release, meta, (len + u64::from(first), modified))
        });
        cache.store(&cache_path, edited).unwrap();
        let after = times();
        let written = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        assert_eq!(written, 1, "{before:?} {after:?}");
    }

    #[test]
    fn a_release_changed_with_the_same_size_and_time_is_not_taken_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2003-05-19-board.md");
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "content/releases/2003-05-19-hemacare-adds-new-members-to-its-board-of-directors.md",
        );
        let text = std::fs::read_to_string(demo).unwrap();
        std::fs::write(&path, &text).unwrap();
        let cache_path = dir.path().join(".public-cache");
        stored(std::slice::from_ref(&path), &cache_path);
        let before = stamp(&path).unwrap();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, text.replacen("HemaCare", "HemaCore", 1)).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_eq!(stamp(&path).unwrap(), before, "same size and time");
        let cache = ReleaseCache::load(&cache_path);
        let (release, _, _) = read(&path, &cache).unwrap();
        assert_eq!(cache.hits(), 0, "the digest caught the change");
        assert!(release.body.contains("HemaCore") || release.front.title.contains("HemaCore"));
    }
}
