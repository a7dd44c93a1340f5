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

use super::fingerprint::{Fingerprint, stamp};
use super::summary::ReleaseSummary;
use super::urls;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::Release;

/// What other pages need to know about a release, computed once when it is read.
#[derive(Debug, Clone)]
pub struct ReleaseMeta {
    /// The release as the news lists, the feeds and the search index show it.
    pub summary: ReleaseSummary,
    pub fingerprints: ReleaseFingerprints,
    /// Where its original filing is copied in the site (`releases/<slug>/<name>.txt`).
    pub filing: String,
    /// The original filing, `content/<source.file>`; `None` when `source.file` is not under
    /// `content/raw/` (the build then says so).
    pub source: Option<PathBuf>,
}

/// Fingerprints of the parts of a release that different outputs show, so that an edit to a
/// release's text remakes its own page but not, say, the calendar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReleaseFingerprints {
    /// The whole file: the release's own page and PDF.
    pub file: Fingerprint,
    /// Its summary: the lists, the feeds, the search index, its neighbours' pages.
    pub listing: Fingerprint,
    /// Its events, with its title and URL: the calendars, the events and home pages.
    pub events: Fingerprint,
    /// Its people and their roles, with its title and URL: the leadership page.
    pub people: Fingerprint,
    /// Its figures and where they are: the ledger, and all that shows it.
    pub figures: Fingerprint,
    /// Its `source` (the filing it came from), with its title and URL: the SEC filings page.
    pub filing: Fingerprint,
}

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
    /// once, each with its file and line; the store is then left as it was.
    pub fn load(&mut self, folder: &Path) -> Result<Releases, Diagnostic> {
        let paths = if folder.is_dir() {
            Release::files_in(folder)?
        } else {
            Vec::new()
        };
        let stamps: Vec<(u64, u128)> = paths
            .par_iter()
            .map(|path| stamp(path).unwrap_or_default())
            .collect();
        let stale: Vec<(&PathBuf, (u64, u128))> = paths
            .iter()
            .zip(stamps)
            .filter(|(path, stamp)| self.stamps.get(*path) != Some(stamp))
            .collect();
        // Every file listed that the store knows was counted as known: none went away.
        let known = paths.len()
            - stale
                .iter()
                .filter(|(path, _)| !self.stamps.contains_key(*path))
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
        let read: Vec<Result<(Release, ReleaseMeta), Diagnostic>> =
            stale.par_iter().map(|(path, _)| read(path)).collect();
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
        gone.extend(stale.iter().map(|(path, _)| path.to_path_buf()));
        let fresh = read.into_iter().filter_map(Result::ok).collect();
        self.replace(&gone, fresh);
        for path in &gone {
            self.stamps.remove(path);
        }
        for (path, stamp) in stale {
            self.stamps.insert(path.clone(), stamp);
        }
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
        let mut both: Vec<(Release, ReleaseMeta)> = releases
            .into_iter()
            .zip(meta)
            .filter(|(release, _)| !gone.contains(&release.path))
            .chain(fresh)
            .collect();
        both.sort_by(|(a, _), (b, _)| {
            b.front
                .date
                .cmp(&a.front.date)
                .then_with(|| b.slug.cmp(&a.slug))
        });
        let (releases, meta): (Vec<Release>, Vec<ReleaseMeta>) = both.into_iter().unzip();
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
}

fn read(path: &Path) -> Result<(Release, ReleaseMeta), Diagnostic> {
    let text = Release::read_text(path)?;
    let release = Release::parse(path, &text)?;
    let summary = ReleaseSummary::new(&release);
    let front = &release.front;
    let fingerprints = ReleaseFingerprints {
        file: Fingerprint::of("release")
            .text(&path.to_string_lossy())
            .text(&text)
            .finish(),
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
    let content = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let meta = ReleaseMeta {
        summary,
        fingerprints,
        filing: urls::filing(&release),
        source: super::filing::raw_path(content, &release.front.source.file),
    };
    Ok((release, meta))
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
