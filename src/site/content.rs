//! The releases of `content/releases/`, read again only when their file changed.
//!
//! `hemasite serve` keeps one [`ReleaseStore`] for its whole run, so a rebuild after an edit
//! parses one file, not ten thousand, and updates the sorted list in place; `hemasite build`
//! starts with an empty one. Each release comes with its [`ReleaseMeta`]: the summary that
//! lists show and the fingerprints of the parts of it that other pages depend on.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::cache::ReleaseCache;
use super::fingerprint::{Fingerprint, stamp, stamp_of};
pub use super::meta::{ReleaseFingerprints, ReleaseMeta};
use super::search::SearchEntry;
use super::summary::ReleaseSummary;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::Release;
use crate::urls;

/// Releases by file, with the size and time each was read at.
#[derive(Debug, Default)]
pub struct ReleaseStore {
    stamps: HashMap<PathBuf, (u64, u128)>,
    /// Newest first, as the site lists them; `meta` in the same order.
    releases: Arc<Vec<Release>>,
    meta: Arc<Vec<ReleaseMeta>>,
    /// Where each file's release is in `releases`.
    positions: HashMap<PathBuf, usize>,
}

/// The releases of one build: shared with the store, so that a build that changed nothing
/// copies nothing.
pub type Releases = (Arc<Vec<Release>>, Arc<Vec<ReleaseMeta>>);

impl ReleaseStore {
    /// Every release of `folder`, newest first (same day: by slug, so that the order is
    /// stable). A missing folder is a site without news yet. All broken files are reported at
    /// once, each with its file and line; the store is then left as it was. A release whose
    /// file `cache` holds as it is now is taken from there rather than parsed.
    pub fn load(&mut self, folder: &Path, cache: &ReleaseCache) -> Result<Releases, Diagnostic> {
        let paths = if folder.is_dir() {
            Release::files_in(folder)?
        } else {
            Vec::new()
        };
        // The first build reads every file, and takes each one's size and time from the file
        // it opened: a look at each path first would only cost a system call more per file.
        let stale: Vec<&PathBuf> = if self.stamps.is_empty() {
            paths.iter().collect()
        } else {
            let stamps: Vec<(u64, u128)> = paths
                .par_iter()
                .map(|path| stamp(path).unwrap_or_default())
                .collect();
            paths
                .iter()
                .zip(stamps)
                .filter(|(path, stamp)| self.stamps.get(*path) != Some(stamp))
                .map(|(path, _)| path)
                .collect()
        };
        // Every file listed that the store knows was counted as known: none went away.
        let known = paths.len()
            - stale
                .iter()
                .filter(|path| !self.stamps.contains_key(**path))
                .count();
        let mut gone: HashSet<PathBuf> = if known == self.stamps.len() {
            HashSet::new()
        } else {
            let listed: HashSet<&PathBuf> = paths.iter().collect();
            self.stamps
                .keys()
                .filter(|path| !listed.contains(path))
                .cloned()
                .collect()
        };
        if stale.is_empty() && gone.is_empty() {
            return Ok((Arc::clone(&self.releases), Arc::clone(&self.meta)));
        }
        let read: Vec<Result<Read, Diagnostic>> =
            stale.par_iter().map(|path| read(path, cache)).collect();
        let errors: Vec<String> = read
            .iter()
            .filter_map(|result| result.as_ref().err().map(ToString::to_string))
            .collect();
        if !errors.is_empty() {
            return Err(Diagnostic::general(format!(
                "{}\nfix the release files above and build again",
                errors.join("\n")
            )));
        }
        gone.extend(stale.iter().map(|path| path.to_path_buf()));
        let mut fresh = Vec::with_capacity(read.len());
        let mut stamps = Vec::with_capacity(read.len());
        for (release, meta, stamp) in read.into_iter().filter_map(Result::ok) {
            stamps.push((release.path.clone(), stamp));
            fresh.push((release, meta));
        }
        self.replace(&gone, fresh);
        for path in &gone {
            self.stamps.remove(path);
        }
        self.stamps.extend(stamps);
        Ok((Arc::clone(&self.releases), Arc::clone(&self.meta)))
    }

    /// Removes the releases read from `gone`, adds `fresh` ones, and sorts. In place when no
    /// build holds the lists any more, which is the case between two builds of `serve`.
    fn replace(&mut self, gone: &HashSet<PathBuf>, fresh: Vec<(Release, ReleaseMeta)>) {
        let Some(fresh) = self.replace_edited(gone, fresh) else {
            return;
        };
        let releases = std::mem::take(Arc::make_mut(&mut self.releases));
        let meta = std::mem::take(Arc::make_mut(&mut self.meta));
        let mut both: Vec<Option<(Release, ReleaseMeta)>> = releases
            .into_iter()
            .zip(meta)
            .filter(|(release, _)| !gone.contains(&release.path))
            .chain(fresh)
            .map(Some)
            .collect();
        // Their order found by index, then each pair moved once to its place: the pairs are
        // large, and sorting 10,000 of them moved each a dozen times.
        let mut order: Vec<usize> = (0..both.len()).collect();
        let keys: Vec<(chrono::NaiveDate, &str)> = both
            .iter()
            .flatten()
            .map(|(release, _)| (release.front.date, release.slug.as_str()))
            .collect();
        // Newest first; on the same day, by slug, also from the end.
        order.sort_by(|&a, &b| keys[b].cmp(&keys[a]));
        drop(keys);
        let (releases, meta): (Vec<Release>, Vec<ReleaseMeta>) =
            order.iter().filter_map(|&index| both[index].take()).unzip();
        self.positions = releases
            .iter()
            .enumerate()
            .map(|(index, release)| (release.path.clone(), index))
            .collect();
        *Arc::make_mut(&mut self.releases) = releases;
        *Arc::make_mut(&mut self.meta) = meta;
    }

    /// The common case of `serve`, a few releases edited in place with their dates kept: puts
    /// them where the old ones were, without sorting ten thousand releases again. Gives `fresh`
    /// back when that is not the case.
    fn replace_edited(
        &mut self,
        gone: &HashSet<PathBuf>,
        fresh: Vec<(Release, ReleaseMeta)>,
    ) -> Option<Vec<(Release, ReleaseMeta)>> {
        let same_place = |release: &Release| {
            self.positions.get(&release.path).is_some_and(|&index| {
                let old = &self.releases[index];
                old.front.date == release.front.date && old.slug == release.slug
            })
        };
        if gone.len() != fresh.len() || !fresh.iter().all(|(release, _)| same_place(release)) {
            return Some(fresh);
        }
        for (release, meta) in fresh {
            let index = self.positions[&release.path];
            Arc::make_mut(&mut self.releases)[index] = release;
            Arc::make_mut(&mut self.meta)[index] = meta;
        }
        None
    }

    /// Whether no release was read yet (the first build of a process).
    pub fn is_empty(&self) -> bool {
        self.stamps.is_empty()
    }

    /// The releases, each with its file's size and time when it was read, for the cache.
    pub fn with_stamps(&self) -> impl Iterator<Item = (&Release, &ReleaseMeta, (u64, u128))> {
        self.releases
            .iter()
            .zip(self.meta.iter())
            .map(|(release, meta)| {
                let stamp = self.stamps.get(&release.path).copied();
                (release, meta, stamp.unwrap_or_default())
            })
    }
}

/// A release as read: with what other pages need to know about it, and the size and time of
/// the file it was read from.
pub(super) type Read = (Release, ReleaseMeta, (u64, u128));

/// Reads the release at `path`: from `cache` when it holds the file as it is, else parsed.
pub(super) fn read(path: &Path, cache: &ReleaseCache) -> Result<Read, Diagnostic> {
    let (text, stamp) = read_text(path)
        .map_err(|err| Diagnostic::error(path, 0, format!("cannot read the release: {err}")))?;
    let file = Fingerprint::of("release")
        .text(&path.to_string_lossy())
        .text(&text)
        .finish();
    if let Some(cached) = cache.get(path, stamp, file, &text) {
        let summary = ReleaseSummary::with_summary(&cached.release, cached.summary);
        let (release, meta) =
            with_meta(cached.release, summary, cached.fingerprints, cached.search);
        return Ok((release, meta, stamp));
    }
    let release = Release::parse(path, &text)?;
    let summary = ReleaseSummary::new(&release);
    let search = SearchEntry::of(&release);
    let front = &release.front;
    let fingerprints = ReleaseFingerprints {
        file,
        listing: part("listing", &release, &summary),
        events: part("events", &release, &front.events),
        people: part("people", &release, &front.people),
        // What the filings page shows of the source: not its SHA-256.
        filing: part(
            "filing",
            &release,
            &(
                &front.source.file,
                &front.source.exhibit,
                &front.source.filename,
                &front.source.form_type,
                &front.source.filed,
                &front.source.accession,
                &front.source.cik,
            ),
        ),
        figures: part(
            "figures",
            &release,
            &front
                .financials
                .as_ref()
                .map(|figures| (figures, &release.path)),
        ),
    };
    let (release, meta) = with_meta(release, summary, fingerprints, search);
    Ok((release, meta, stamp))
}

/// The text of the file at `path`, with the size and time of the file it was read from.
fn read_text(path: &Path) -> std::io::Result<(String, (u64, u128))> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    let mut text = String::with_capacity(usize::try_from(metadata.len()).unwrap_or_default());
    file.read_to_string(&mut text)?;
    Ok((text, stamp_of(&metadata)))
}

/// A release with what other pages need to know about it.
fn with_meta(
    release: Release,
    summary: ReleaseSummary,
    fingerprints: ReleaseFingerprints,
    search: SearchEntry,
) -> (Release, ReleaseMeta) {
    let path = &release.path;
    let content = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let meta = ReleaseMeta {
        summary,
        fingerprints,
        filing: urls::filing(&release),
        source: super::filing::raw_path(content, &release.front.source.file),
        search,
    };
    (release, meta)
}

/// The fingerprint of a part of `release`, with what a page showing that part also shows of
/// the release: its title, date and URL.
fn part(kind: &str, release: &Release, part: &impl Serialize) -> Fingerprint {
    // Model types always serialize; were one not to, the part would count as empty.
    let json = serde_json::to_vec(part).unwrap_or_default();
    if json == b"[]" || json == b"null" {
        // A release without events (say) shows nothing of itself on the calendar.
        return Fingerprint::of(kind).finish();
    }
    Fingerprint::of(kind)
        .text(&release.slug)
        .text(&release.front.title)
        .text(&release.front.date.to_string())
        .bytes(&json)
        .finish()
}

/// The fingerprint of one part of every release, in order.
pub fn all(
    meta: &[ReleaseMeta],
    part: impl Fn(&ReleaseFingerprints) -> Fingerprint,
) -> Fingerprint {
    let parts: Vec<Fingerprint> = meta.iter().map(|meta| part(&meta.fingerprints)).collect();
    Fingerprint::of("all").fingerprints(&parts).finish()
}

/// The fingerprint of the ledger: what every release says of its figures, and `site.yaml`
/// (its fiscal year).
pub fn ledger_fingerprint(meta: &[ReleaseMeta], config: &SiteConfig) -> Fingerprint {
    Fingerprint::of("ledger")
        .fingerprint(all(meta, |release| release.figures))
        .text(&serde_yaml::to_string(config).unwrap_or_default())
        .finish()
}
