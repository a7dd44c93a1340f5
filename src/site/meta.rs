//! What the build knows about each release besides the release itself: what lists show of it,
//! where its filing is, and the fingerprints of its parts.

use std::path::PathBuf;

use super::fingerprint::Fingerprint;
use super::search::SearchEntry;
use super::summary::ReleaseSummary;

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
    /// Its terms and short summary, for the search index.
    pub search: SearchEntry,
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
