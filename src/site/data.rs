//! What a build is asked to do, and everything its pages are made from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::project::Project;

use super::custom::CustomPage;
use super::fingerprint::Fingerprint;
use super::meta::ReleaseMeta;

/// What `hemasite build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder holding `site.yaml`, `content/`, and optionally `templates/`, `static/`.
    pub root: PathBuf,
    /// Where the site goes; `<root>/public` unless told.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`, e.g. to publish under a sub-path.
    pub base_url: Option<String>,
    /// The day "upcoming" is measured from: this day when told (`--today`), else the day
    /// `SOURCE_DATE_EPOCH` names, else the day of the build (see [`super::build_date`]).
    pub today: Option<NaiveDate>,
    /// Publish even when [`crate::ledger::check::run`] finds an error in the figures.
    pub allow_inconsistent: bool,
    /// Also make the PDFs (quarterly summaries, a printable copy of every release).
    pub pdfs: bool,
    /// How the output folder is updated.
    pub write: WriteMode,
}

/// How a build puts its files in the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Build beside the output and swap it in only when everything worked (`hemasite build`):
    /// a failed build leaves the published site as it was.
    Swap,
    /// Change the output folder file by file (`hemasite serve`, whose folder nobody publishes):
    /// the fastest way to show one edit.
    InPlace,
}

impl BuildOptions {
    pub fn new(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            output: None,
            base_url: None,
            today: None,
            allow_inconsistent: false,
            pdfs: true,
            write: WriteMode::Swap,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        output_dir(&self.root, self.output.as_deref())
    }
}

/// Everything the pages are made from, loaded once and shared (read-only) by every stage: the
/// [`Project`] (read through `Deref`: `data.config`, `data.releases`, `data.ledger`), and what
/// only the site needs besides.
#[derive(Debug, Clone)]
pub struct SiteData {
    /// `site.yaml` (with `--base-url` applied), the releases newest first (releases of the same
    /// day by slug, so that the order is stable), the ledger.
    pub project: Project,
    /// The reference date: events on or after it are upcoming.
    pub today: NaiveDate,
    /// What the ledger is made from: every release's figures and `site.yaml`.
    pub ledger_fingerprint: Fingerprint,
    /// What lists show of each release and what it is made of, in the order of `releases`.
    pub meta: Arc<Vec<ReleaseMeta>>,
    /// Whether the site has PDFs (the pages link to them).
    pub pdfs: bool,
    /// The site's own pages (`content/pages/`), in URL order.
    pub pages: Arc<Vec<CustomPage>>,
    /// `brand.logo`, read and checked.
    pub logo: Option<Arc<crate::logo::Logo>>,
    /// The size and time of each release's original filing (`content/raw/…`), looked at once
    /// per file however many releases name it.
    pub sources: Arc<HashMap<PathBuf, (u64, u128)>>,
}

impl std::ops::Deref for SiteData {
    type Target = Project;

    fn deref(&self) -> &Project {
        &self.project
    }
}

impl SiteData {
    /// `https://ir.example.com/investors/`, always ending in `/`.
    pub fn base_url(&self) -> String {
        self.config.site_url()
    }

    /// The size and time of the original filing at `path` (a release's `meta.source`), or
    /// `None` when it is missing.
    pub fn source_stamp(&self, path: &Path) -> Option<(u64, u128)> {
        self.sources.get(path).copied()
    }

    /// The absolute URL of a path relative to the site root (`news/` → `https://…/news/`).
    pub fn absolute_url(&self, path: &str) -> String {
        self.config.absolute_url(path)
    }
}

/// The folder a build writes (and mail reads the summaries from): `output` when given, else
/// `<root>/public`.
pub fn output_dir(root: &Path, output: Option<&Path>) -> PathBuf {
    output.map_or_else(|| root.join("public"), Path::to_path_buf)
}
