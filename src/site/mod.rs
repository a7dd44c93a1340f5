//! `hemasite build`: the investor-relations microsite.
//!
//! The build runs in four steps, each in its own submodule:
//!
//! 1. [`load`]: `site.yaml` and `content/releases/*.md` become a [`SiteData`] (releases newest
//!    first, the reference date for "upcoming", and the [`Ledger`] built once from them);
//!    [`check::run`] checks the figures, and an error stops the build before anything is
//!    written unless `--allow-inconsistent` was given;
//! 2. a fresh [`Staging`] folder is made beside the output, and later stages (the ledger, the
//!    PDFs) may add their files to it through [`build_with`];
//! 3. [`pages`] renders every HTML page with tera, in parallel, and [`feeds`], [`calendar`],
//!    [`sitemap`] and [`search`] write the files beside the pages;
//! 4. the staging folder replaces the output in one rename ([`Staging::commit`]); on any error
//!    the previous output is left as it was and the staging folder is removed.
//!
//! Output is deterministic: nothing depends on the clock or on hash-map order, so two builds of
//! the same content are byte-identical.

pub mod calendar;
pub mod feeds;
pub mod financials;
pub mod format;
pub mod leadership;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod sitemap;
mod staging;
pub mod views;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::ledger::{Finding, Ledger, check};
use crate::model::{FileError, Release};
use crate::progress::{Progress, Silent};

pub use staging::Staging;

/// What `hemasite build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder holding `site.yaml`, `content/`, and optionally `templates/`, `static/`.
    pub root: PathBuf,
    /// Where the site goes; `<root>/public` unless told.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`, e.g. to publish under a sub-path.
    pub base_url: Option<String>,
    /// The day "upcoming" is measured from; the newest release's date unless told, so that a
    /// build does not depend on the clock.
    pub today: Option<NaiveDate>,
    /// Publish even when [`check::run`] finds an error in the figures.
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
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Everything the pages are made from, loaded once and shared (read-only) by every stage.
#[derive(Debug, Clone)]
pub struct SiteData {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Newest first; releases of the same day by slug, so that the order is stable.
    pub releases: Vec<Release>,
    /// The reference date: events on or after it are upcoming.
    pub today: NaiveDate,
    /// Every figure of every release by concept and period, for the financials page, the home
    /// page's key figures, the downloads and the build's consistency gate.
    pub ledger: Ledger,
}

impl SiteData {
    /// `https://ir.example.com/investors/`, always ending in `/`.
    pub fn base_url(&self) -> String {
        let url = self.config.base_url.trim_end_matches('/');
        format!("{url}/")
    }

    /// The absolute URL of a path relative to the site root (`news/` → `https://…/news/`).
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }
}

/// A build that could not finish; the message says where and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SiteError(pub String);

impl SiteError {
    pub fn new(message: impl Into<String>) -> SiteError {
        SiteError(message.into())
    }
}

impl From<FileError> for SiteError {
    fn from(err: FileError) -> SiteError {
        SiteError(err.to_string())
    }
}

/// What a finished build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    /// Files the site stage wrote (pages included); not those a later stage added.
    pub files: usize,
    /// What the consistency checks found; errors only when `--allow-inconsistent` was given.
    pub findings: Vec<Finding>,
    /// How many releases were read (for the findings' summary line).
    pub releases: usize,
    /// PDFs in the output.
    pub pdfs: usize,
}

/// Reads `site.yaml` and every release. All broken releases are reported at once, each with its
/// file and line, so that one run shows everything to fix.
pub fn load(options: &BuildOptions) -> Result<SiteData, SiteError> {
    let mut config = SiteConfig::load(&options.root.join("site.yaml"))?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
        let text = serde_yaml::to_string(&config)
            .map_err(|err| SiteError::new(format!("cannot apply --base-url: {err}")))?;
        config = SiteConfig::parse(Path::new("--base-url"), &text)?;
    }
    let releases = load_releases(&options.root.join("content/releases"))?;
    let today = options
        .today
        .or_else(|| releases.first().map(|release| release.front.date))
        .unwrap_or_default();
    let ledger = Ledger::build(&releases, &config);
    Ok(SiteData {
        root: options.root.clone(),
        config,
        releases,
        today,
        ledger,
    })
}

/// The releases, newest first (same day: by slug, so that the order is stable). A missing
/// folder is a site without news yet, not an error.
fn load_releases(folder: &Path) -> Result<Vec<Release>, SiteError> {
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let (mut releases, errors) = Release::load_dir(folder);
    if !errors.is_empty() {
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(SiteError::new(format!(
            "{}\nfix the release files above and build again",
            messages.join("\n")
        )));
    }
    releases.sort_by(|a, b| {
        b.front
            .date
            .cmp(&a.front.date)
            .then_with(|| b.slug.cmp(&a.slug))
    });
    Ok(releases)
}

/// Builds the site into its output folder, from scratch.
pub fn build(options: &BuildOptions) -> Result<BuildReport, SiteError> {
    Builder::new(options.clone()).build(&Silent)
}

/// Builds a site again and again (`hemasite serve`), or once (`hemasite build`).
#[derive(Debug)]
pub struct Builder {
    options: BuildOptions,
}

impl Builder {
    pub fn new(options: BuildOptions) -> Builder {
        Builder { options }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds the site into its output folder, reporting each stage to `progress`.
    pub fn build(&mut self, progress: &dyn Progress) -> Result<BuildReport, SiteError> {
        let options = &self.options;
        let pdfs = std::sync::atomic::AtomicUsize::new(0);
        let add_pdfs = |data: &SiteData, staging: &Staging| {
            if !options.pdfs {
                return Ok(());
            }
            let theme = crate::theme::Theme::new(&data.root);
            let written =
                crate::pdf::write_all(&data.releases, &data.config, &theme, staging.path())
                    .map_err(|err| SiteError::new(format!("PDFs: {err}")))?;
            pdfs.store(written.len(), std::sync::atomic::Ordering::Relaxed);
            Ok(())
        };
        let _ = progress;
        let mut report = build_with(options, add_pdfs)?;
        report.pdfs = pdfs.into_inner();
        Ok(report)
    }
}

/// Builds the site, letting a later stage add files to the staging folder first (the PDFs).
/// Pages are rendered after it, so that they can link to what it wrote.
fn build_with(
    options: &BuildOptions,
    add_files: impl FnOnce(&SiteData, &Staging) -> Result<(), SiteError>,
) -> Result<BuildReport, SiteError> {
    let data = load(options)?;
    let findings = consistency_gate(&data, options)?;
    let output = options.output_dir();
    let staging = Staging::create(&output)?;
    add_files(&data, &staging)?;
    let pages = pages::render_site(&data, &staging)?;
    let files = staging.file_count();
    staging.commit(&output)?;
    Ok(BuildReport {
        output,
        pages,
        files,
        findings,
        releases: data.releases.len(),
        pdfs: 0,
    })
}

/// Runs the ledger's consistency checks. An error refuses the build before the staging folder
/// exists, so the previous output stays as it was, unless the caller allowed inconsistencies.
fn consistency_gate(data: &SiteData, options: &BuildOptions) -> Result<Vec<Finding>, SiteError> {
    let findings = check::run(&data.releases, &data.ledger);
    if check::has_errors(&findings) && !options.allow_inconsistent {
        let mut text = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = check::print_text(&findings, data.releases.len(), &mut text);
        return Err(SiteError::new(format!(
            "{}the figures disagree (errors above), so nothing was published; \
             fix the releases named above, or build with --allow-inconsistent to publish anyway",
            String::from_utf8_lossy(&text)
        )));
    }
    Ok(findings)
}
