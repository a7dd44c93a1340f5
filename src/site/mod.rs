//! `hemasite build`: the investor-relations microsite and its PDFs.
//!
//! A build runs in four steps:
//!
//! 1. [`load`]: `site.yaml` and `content/releases/*.md` become a [`SiteData`] (releases newest
//!    first, each with the fingerprint of its file; the reference date for "upcoming"; the
//!    [`Ledger`] built once from them). [`check::run`] checks the figures, and an error stops
//!    the build before anything is written unless `--allow-inconsistent` was given;
//! 2. [`pages`] lists every output (pages, feeds, calendars, downloads, copied filings, static
//!    files, PDFs) and gives each the fingerprint of what it is made from;
//! 3. the outputs whose fingerprint is the one the previous build recorded are kept, and the
//!    others made, in parallel (tera for pages, [`crate::pdf`] for PDFs);
//! 4. the new output replaces the old one: by swapping in a staging folder (`hemasite
//!    build`; on any error the previous output is left as it was) or file by file (`hemasite
//!    serve`), and the manifest of what was made from what is saved for next time.
//!
//! So a build after a change makes only what the change touches: one release's page, the pages
//! that list it, the feeds and the quarter's summary; `tests/incremental.rs` checks that the
//! result is byte-identical to a build from scratch after every kind of change.
//!
//! Output is deterministic: nothing depends on the clock or on hash-map order, so two builds of
//! the same content are byte-identical.

mod cache;
pub mod calendar;
pub mod chart;
mod checks;
mod content;
pub mod custom;
mod data;
mod escape;
mod event;
pub mod feeds;
mod filing;
pub mod filings;
pub mod financials;
mod fingerprint;
mod kinds;
pub mod leadership;
mod manifest;
pub mod markdown;
mod meta;
mod output;
pub mod pages;
pub mod search;
pub mod sitemap;
mod staging;
mod summary;
pub mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::ledger::{Finding, Ledger, Severity, check};
use crate::progress::{Progress, Silent};
use crate::project::Project;

use cache::ReleaseCache;
use checks::{CheckCache, Checked};
use content::ReleaseStore;
pub use data::{BuildOptions, SiteData, WriteMode, output_dir};
pub use escape::xml_escape;
pub use fingerprint::Fingerprint;
pub use meta::{ReleaseFingerprints, ReleaseMeta};
use output::{Manifest, Output};

/// What a finished build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    /// PDFs in the output.
    pub pdfs: usize,
    /// Files in the output.
    pub files: usize,
    /// The files this build made (paths relative to the output folder); the others were kept
    /// from the previous build.
    pub made: Vec<String>,
    /// The errors and warnings of the consistency checks, worst first (errors only when
    /// `--allow-inconsistent` was given).
    pub findings: Vec<Finding>,
    /// How many figures in the releases' text the checks could not check (`hemasite check`
    /// lists them).
    pub unchecked: usize,
    /// How many releases were read (for the findings' summary line).
    pub releases: usize,
    /// How many of them were taken from the cache of the build before rather than parsed.
    pub from_cache: usize,
    /// Problems that did not stop the build, as sentences (an old output that could not be
    /// removed after the swap).
    pub warnings: Vec<String>,
}

impl BuildReport {
    /// `Built 1 release, 17 pages, 7 PDFs in 48 ms`: what was built, each count with its noun.
    pub fn summary(&self, milliseconds: u128) -> String {
        use crate::format::count;
        format!(
            "Built {}, {}, {} in {milliseconds} ms",
            count(self.releases, "release", "releases"),
            count(self.pages, "page", "pages"),
            count(self.pdfs, "PDF", "PDFs")
        )
    }

    /// `(2 of 50 files made, the others unchanged)`, `(all 50 files made)` or `(no file
    /// changed)`: what an incremental build did to the output folder.
    pub fn made_summary(&self) -> String {
        match (self.made.len(), self.files) {
            (0, files) => format!(
                "(no file changed; {} kept)",
                crate::format::count(files, "file", "files")
            ),
            (1, 1) => "(1 file made)".to_string(),
            (made, files) if made == files => format!("(all {files} files made)"),
            (made, files) => format!("({made} of {files} files made, the others unchanged)"),
        }
    }

    /// The errors and warnings in full, grouped, then the counts, as `hemasite check` prints.
    pub fn print_findings(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        print_findings(&self.findings, self.unchecked, self.releases, out)
    }
}

/// Reads `site.yaml` and every release. All broken releases are reported at once, each with its
/// file and line, so that one run shows everything to fix.
pub fn load(options: &BuildOptions) -> Result<SiteData, Diagnostic> {
    load_from(
        options,
        &mut ReleaseStore::default(),
        &mut None,
        &ReleaseCache::default(),
    )
}

/// [`load`], reading only the releases that changed since `store` last read them (and parsing
/// only those `cache` does not hold), and building the ledger again only when their figures
/// changed.
fn load_from(
    options: &BuildOptions,
    store: &mut ReleaseStore,
    ledgers: &mut Option<(Fingerprint, Arc<Ledger>)>,
    cache: &ReleaseCache,
) -> Result<SiteData, Diagnostic> {
    let mut config = SiteConfig::load(&options.root.join("site.yaml"))?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
        let text = serde_yaml::to_string(&config)
            .map_err(|err| Diagnostic::general(format!("cannot apply --base-url: {err}")))?;
        config = SiteConfig::parse(Path::new("--base-url"), &text)?;
    }
    let releases = store.load(&options.root.join("content/releases"), cache);
    // Both kinds of file are read before either's errors stop the build, so that one run
    // shows everything to fix.
    let pages = custom::load(&options.root).map_err(|errors| {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!(
            "{}\nfix the pages above (in {}) and build again",
            errors.join("\n"),
            custom::FOLDER
        )
    });
    let (releases, meta, pages) = match (releases, pages) {
        (Ok((releases, meta)), Ok(pages)) => (releases, meta, pages),
        (Err(err), Ok(_)) => return Err(err),
        (Ok(_), Err(pages)) => return Err(Diagnostic::general(pages)),
        (Err(err), Err(pages)) => return Err(Diagnostic::general(format!("{err}\n{pages}"))),
    };
    let logo = crate::logo::Logo::load(
        &config,
        &crate::theme::Theme::new(&options.root),
        &options.root.join("site.yaml"),
    )?
    .map(Arc::new);
    let today = build_date(
        options.today,
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        chrono::Utc::now().date_naive(),
    )?;
    let ledger_fingerprint = content::ledger_fingerprint(&meta, &config);
    let ledger = match ledgers {
        Some((known, ledger)) if *known == ledger_fingerprint => Arc::clone(ledger),
        _ => {
            let ledger = Arc::new(Ledger::build(&releases, &config));
            *ledgers = Some((ledger_fingerprint, Arc::clone(&ledger)));
            ledger
        }
    };
    let sources = Arc::new(source_stamps(&meta));
    Ok(SiteData {
        project: Project::from_parts(&options.root, config, releases, Vec::new(), ledger),
        today,
        ledger_fingerprint,
        meta,
        pdfs: options.pdfs,
        pages: Arc::new(pages),
        logo,
        sources,
    })
}

/// The size and time of every original filing the releases name, each file looked at once
/// (on every core): releases may share one.
fn source_stamps(meta: &[ReleaseMeta]) -> HashMap<PathBuf, (u64, u128)> {
    let sources: std::collections::BTreeSet<&Path> = meta
        .iter()
        .filter_map(|meta| meta.source.as_deref())
        .collect();
    sources
        .into_par_iter()
        .filter_map(|path| Some((path.to_path_buf(), fingerprint::stamp(path)?)))
        .collect()
}

/// The day a build treats as today, which decides what is upcoming: `--today` when given, else
/// the UTC day of `SOURCE_DATE_EPOCH` (the reproducible-builds convention: seconds since 1970,
/// so that a rebuild of the same sources gives the same bytes), else the day of the build. A
/// site built in June 2004 does not list a May meeting as upcoming.
pub fn build_date(
    explicit: Option<NaiveDate>,
    source_date_epoch: Option<&str>,
    clock: NaiveDate,
) -> Result<NaiveDate, Diagnostic> {
    if let Some(day) = explicit {
        return Ok(day);
    }
    let Some(epoch) = source_date_epoch
        .map(str::trim)
        .filter(|text| !text.is_empty())
    else {
        return Ok(clock);
    };
    epoch
        .parse::<i64>()
        .ok()
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map(|at| at.date_naive())
        .ok_or_else(|| {
            Diagnostic::general(format!(
                "SOURCE_DATE_EPOCH is `{epoch}`, not a number of seconds since 1970-01-01 \
                 (e.g. `$(git log -1 --format=%ct)`); fix or unset it, or pass --today YYYY-MM-DD"
            ))
        })
}

/// Builds the site into its output folder, keeping what the previous build made from the same
/// inputs.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostic> {
    Builder::new(options.clone()).build(&Silent)
}

/// Builds a site, again and again (`hemasite serve`) or once (`hemasite build`), each time
/// making only the files whose inputs changed since the build before.
///
/// What the previous build made is known from its manifest: for [`WriteMode::Swap`], the one
/// beside the output folder, so that incremental builds work across runs of `hemasite build`;
/// for [`WriteMode::InPlace`], the one this builder remembers (its first build starts from an
/// empty folder). Between builds the builder also keeps the releases it parsed, the ledger,
/// each release's check findings, the site's events and the PDF renderer, each for as long as
/// what it was made from is unchanged.
pub struct Builder {
    options: BuildOptions,
    store: ReleaseStore,
    ledger: Option<(Fingerprint, Arc<Ledger>)>,
    checks: CheckCache,
    previous: Option<Manifest>,
    caches: pages::Caches,
}

impl Builder {
    pub fn new(options: BuildOptions) -> Builder {
        Builder {
            options,
            store: ReleaseStore::default(),
            ledger: None,
            checks: CheckCache::default(),
            previous: None,
            caches: pages::Caches::default(),
        }
    }

    /// Builds the site into its output folder, reporting progress to `progress`.
    pub fn build(&mut self, progress: &dyn Progress) -> Result<BuildReport, Diagnostic> {
        let dir = self.options.output_dir();
        let swap = self.options.write == WriteMode::Swap;
        let cache_path = ReleaseCache::path_for(&dir);
        let checks_path = CheckCache::path_in(&cache_path);
        // What the last `hemasite build` parsed and checked, for this process's first build.
        let first = swap && self.store.is_empty();
        let cache = if first {
            ReleaseCache::load(&cache_path)
        } else {
            ReleaseCache::default()
        };
        if first {
            self.checks = CheckCache::load(&checks_path);
        }
        let data = load_from(&self.options, &mut self.store, &mut self.ledger, &cache)?;
        let checked = consistency_gate(&data, self.checks.run(&data), &self.options)?;
        let previous = match self.previous.take() {
            Some(previous) => previous,
            None if swap => Manifest::describing(&dir, &dir),
            None => Manifest::default(),
        };
        let output = Output::open(&dir, self.options.write, previous, swap)?;
        let rendered = match pages::render_site(&data, &output, &mut self.caches, progress) {
            Ok(rendered) => rendered,
            Err(err) => {
                // Nothing was written: the output is still the previous build's.
                self.previous = Some(output.into_previous());
                return Err(err);
            }
        };
        if let Some(err) = rendered.error {
            let mut known = output.into_previous();
            // In place, the files made before the failure are in the folder: remember them.
            if !swap {
                known.extend(rendered.manifest);
            }
            self.previous = Some(known);
            return Err(err);
        }
        let mut warnings = output.finish(&rendered.manifest, swap)?;
        // Only after a build that succeeded: one that failed leaves everything as it was.
        if swap
            && !cache.holds_exactly(data.releases.len())
            && let Err(err) = cache.store(&cache_path, self.store.with_stamps())
        {
            warnings.push(format!(
                "{err}; the site is built, and the next build parses every release again"
            ));
        }
        if swap && let Err(err) = self.checks.store(&checks_path, &data) {
            warnings.push(format!(
                "{err}; the site is built, and the next build checks every release again"
            ));
        }
        let report = BuildReport {
            output: dir,
            pages: rendered.pages,
            pdfs: rendered.pdfs,
            files: rendered.manifest.len(),
            made: rendered.made,
            findings: checked.serious,
            unchecked: checked.unchecked,
            releases: data.releases.len(),
            from_cache: cache.hits(),
            warnings,
        };
        self.previous = Some(rendered.manifest);
        Ok(report)
    }
}

/// Runs the ledger's consistency checks. An error refuses the build before the staging folder
/// exists, so the previous output stays as it was, unless the caller allowed inconsistencies.
fn consistency_gate(
    data: &SiteData,
    checked: Checked,
    options: &BuildOptions,
) -> Result<Checked, Diagnostic> {
    if check::has_errors(&checked.serious) && !options.allow_inconsistent {
        let mut text = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = print_findings(
            &checked.serious,
            checked.unchecked,
            data.releases.len(),
            &mut text,
        );
        return Err(Diagnostic::general(format!(
            "{}the figures disagree (errors above), so nothing was published; \
             fix the releases named above, or build with --allow-inconsistent to publish anyway",
            String::from_utf8_lossy(&text)
        )));
    }
    Ok(checked)
}

/// Errors and warnings in full, then the counts.
fn print_findings(
    serious: &[Finding],
    unchecked: usize,
    releases: usize,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    check::print_groups(serious, out)?;
    let count = |severity| {
        serious
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    };
    let counts = [count(Severity::Error), count(Severity::Warning), unchecked];
    check::print_counts(releases, counts, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn report(releases: usize, made: usize, files: usize) -> BuildReport {
        BuildReport {
            output: PathBuf::from("public"),
            pages: 1,
            pdfs: 0,
            files,
            made: vec![String::new(); made],
            findings: Vec::new(),
            unchecked: 0,
            releases,
            from_cache: 0,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_summary_line_counts_in_words_that_agree() {
        assert_eq!(
            report(1, 2, 50).summary(48),
            "Built 1 release, 1 page, 0 PDFs in 48 ms"
        );
        assert_eq!(
            report(5, 2, 50).made_summary(),
            "(2 of 50 files made, the others unchanged)"
        );
        assert_eq!(report(5, 50, 50).made_summary(), "(all 50 files made)");
        assert_eq!(
            report(5, 0, 50).made_summary(),
            "(no file changed; 50 files kept)"
        );
    }

    #[test]
    fn today_is_the_option_then_source_date_epoch_then_the_clock() {
        let clock = day(2026, 12, 1);
        let told = Some(day(2004, 4, 8));
        assert_eq!(build_date(told, Some("0"), clock).unwrap(), day(2004, 4, 8));
        // 1086048000 is 2004-06-01T00:00:00Z.
        assert_eq!(
            build_date(None, Some("1086048000"), clock).unwrap(),
            day(2004, 6, 1)
        );
        assert_eq!(build_date(None, None, clock).unwrap(), clock);
        assert_eq!(build_date(None, Some(""), clock).unwrap(), clock);
        let err = build_date(None, Some("June"), clock).unwrap_err().message;
        assert!(err.contains("SOURCE_DATE_EPOCH is `June`"), "{err}");
    }
}
