//! Ingest: raw EDGAR filings (`content/raw/*.txt`) become `content/releases/<date>-<slug>.md`.
//!
//! Each file is decoded ([`decode`]), cut into the releases it holds, each read by its
//! front end into a [`doc::Document`] ([`source`]), and each document read into front matter and
//! a Markdown body ([`release`], which uses [`header`] for the facts at its top, [`statements`]
//! for the financial tables and [`facts`] for people, quotes, events and category).
//!
//! A bad file never stops the others, and a release the user edited by hand is never overwritten
//! without `--force`: every file ingest writes records a digest of what it wrote, so a later run
//! can tell an untouched file (safe to regenerate) from an edited one.

pub mod decode;
pub mod doc;
pub mod facts;
pub mod header;
pub mod release;
pub mod source;
pub mod statements;
pub mod text;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

pub use release::Extracted;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::{FiscalCalendar, Release, Source, slugify};
use crate::progress::Progress;

#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Overwrite releases that were edited by hand.
    pub force: bool,
}

/// What a run did, file by file.
#[derive(Debug, Default)]
pub struct Report {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Releases left alone because they were edited by hand.
    pub kept: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub failed: Vec<Diagnostic>,
}

/// How much a report says: warnings and errors always; the summary line unless quiet; every
/// file written only when verbose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Report {
    pub fn print(&self, out: &mut impl std::io::Write, verbosity: Verbosity) {
        let mut text = String::new();
        if verbosity == Verbosity::Verbose {
            for path in &self.written {
                let _ = writeln!(text, "wrote {}", path.display());
            }
        }
        for path in &self.kept {
            let _ = writeln!(
                text,
                "kept {}: it was edited by hand since ingest wrote it; run `hemasite ingest --force` to overwrite it",
                path.display()
            );
        }
        for warning in &self.warnings {
            let _ = writeln!(text, "warning: {warning}");
        }
        for error in &self.failed {
            let _ = writeln!(text, "error: {error}");
        }
        if verbosity == Verbosity::Quiet {
            let _ = out.write_all(text.as_bytes());
            return;
        }
        let _ = writeln!(
            text,
            "Ingested {}: {} written, {} unchanged, {} kept; {} failed.",
            crate::format::count(
                self.written.len() + self.unchanged.len() + self.kept.len(),
                "release",
                "releases"
            ),
            self.written.len(),
            self.unchanged.len(),
            self.kept.len(),
            crate::format::count(self.failed.len(), "file", "files")
        );
        let _ = out.write_all(text.as_bytes());
    }
}

/// Ingests `paths` (files or folders; `content/raw/` when empty) into `root/content/releases/`,
/// reporting each raw file read to `progress`.
pub fn ingest_site(
    root: &Path,
    paths: &[PathBuf],
    options: &Options,
    progress: &dyn Progress,
) -> Report {
    let mut report = Report::default();
    let calendar = site_calendar(root, &mut report);
    let content = root.join("content");
    let inputs = match input_files(root, &content, paths, &mut report) {
        Ok(inputs) => inputs,
        Err(err) => {
            report.failed.push(err);
            return report;
        }
    };
    progress.start("Reading filings", inputs.len());
    let extracted: Vec<_> = inputs
        .par_iter()
        .map(|path| {
            let result = read_file(path, &content, &calendar);
            progress.advance(1);
            result
        })
        .collect();
    progress.finish();
    let releases_dir = content.join("releases");
    let mut taken_names = std::collections::BTreeSet::new();
    for result in extracted {
        match result {
            Ok((releases, warnings)) => {
                report.warnings.extend(warnings);
                for release in releases {
                    let name = unique_name(&release, &releases_dir, &mut taken_names);
                    write_release(&releases_dir.join(name), &release, options, &mut report);
                }
            }
            Err(err) => report.failed.push(err),
        }
    }
    report
}

/// The fiscal year end, from `site.yaml` when the site has one.
fn site_calendar(root: &Path, report: &mut Report) -> FiscalCalendar {
    let path = root.join("site.yaml");
    if !path.exists() {
        return FiscalCalendar::default();
    }
    match SiteConfig::load(&path) {
        Ok(config) => config.fiscal_calendar(),
        Err(err) => {
            report.failed.push(err);
            FiscalCalendar::default()
        }
    }
}

fn input_files(
    root: &Path,
    content: &Path,
    paths: &[PathBuf],
    report: &mut Report,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let default = [content.join("raw")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|err| {
                Diagnostic::error(path, 0, format!("cannot list the folder: {err}"))
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| !is_hidden(p))
                .collect();
            found.sort();
            for entry in found {
                if let Some(file) = raw_file(root, &entry, report) {
                    files.push(file);
                }
            }
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Diagnostic::error(path, 0, "no such file or folder"));
        }
    }
    Ok(files)
}

/// An entry of a folder of raw filings, when it is one to read. A folder named like a filing
/// (`x.txt`) is reported rather than passed over in silence; a symbolic link is followed only to
/// a file inside the site folder, since whatever ingest reads the site may publish.
fn raw_file(root: &Path, entry: &Path, report: &mut Report) -> Option<PathBuf> {
    let named_like_filing = entry
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["txt", "htm", "html"].contains(&e.to_ascii_lowercase().as_str()));
    let is_link = entry
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let inside = entry
            .canonicalize()
            .ok()
            .zip(root.canonicalize().ok())
            .is_some_and(|(target, root)| target.starts_with(root));
        if !inside {
            report.failed.push(Diagnostic::error(
                entry,
                0,
                "a symbolic link to a file outside the site folder; copy the filing into content/raw/ instead",
            ));
            return None;
        }
    }
    if entry.is_dir() {
        if named_like_filing {
            report.warnings.push(Diagnostic::warning(
                entry,
                0,
                "a folder, not a filing; skipped (put filings directly in content/raw/)",
            ));
        }
        return None;
    }
    entry.is_file().then(|| entry.to_path_buf())
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

type FileResult = Result<(Vec<Extracted>, Vec<Diagnostic>), Diagnostic>;

/// Reads one raw file into its releases, keeping a copy under `content/raw/` if it came from
/// elsewhere so that every release can point at its source.
fn read_file(path: &Path, content: &Path, calendar: &FiscalCalendar) -> FileResult {
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::error(path, 0, format!("cannot read the file: {err}")))?;
    let source_file = source_path(path, content, &bytes)?;
    let (releases, warnings) =
        extract_file(&bytes, &source_file, calendar).map_err(|err| err.in_file(path))?;
    let warnings = warnings.into_iter().map(|w| w.in_file(path)).collect();
    Ok((releases, warnings))
}

/// Reads every release in a raw file's bytes. `source_file` is recorded in each release's
/// `source.file`. On failure, gives the line and what is wrong; otherwise the releases and any
/// warnings with their lines (the caller names the file: [`Diagnostic::in_file`]).
pub fn extract_file(
    bytes: &[u8],
    source_file: &str,
    calendar: &FiscalCalendar,
) -> Result<(Vec<Extracted>, Vec<Diagnostic>), Diagnostic> {
    let text = decode::decode(bytes).map_err(|err| Diagnostic::line_error(0, err.to_string()))?;
    if let Some(line) = decode::binary_line(&text, 1)
        && !text.contains("<DOCUMENT>")
    {
        let message = decode::DecodeError::Binary { line }.to_string();
        return Err(Diagnostic::line_error(line, message));
    }
    let source = Source {
        file: source_file.to_string(),
        sha256: hex(&Sha256::digest(bytes)),
        ..Source::default()
    };
    let reading = source::read(&text)?;
    let mut warnings = reading.warnings;
    let mut releases = Vec::new();
    for document in &reading.documents {
        let filing = &document.filing;
        let source = Source {
            exhibit: filing.exhibit.clone(),
            filename: filing.filename.clone(),
            form_type: filing.form_type.clone(),
            filed: filing.filed,
            accession: filing.accession.clone(),
            cik: filing.cik.clone(),
            ..source.clone()
        };
        let mut extracted = release::extract(document, source, calendar)?;
        warnings.append(&mut extracted.warnings);
        releases.push(extracted);
    }
    Ok((releases, warnings))
}

/// `raw/<name>` for a file under `content/raw/`; a file from elsewhere is copied there first.
fn source_path(path: &Path, content: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let raw = content.join("raw");
    let inside = |p: &Path| {
        p.canonicalize()
            .ok()
            .zip(raw.canonicalize().ok())
            .is_some_and(|(p, raw)| p.starts_with(raw))
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Diagnostic::error(path, 0, "the file name is not valid UTF-8"))?;
    if !inside(path) {
        let copy = raw.join(name);
        match std::fs::read(&copy) {
            Ok(existing) if existing == bytes => {}
            Ok(_) => {
                return Err(Diagnostic::error(
                    path,
                    0,
                    format!(
                        "{} already exists with other contents; rename one of the two files",
                        copy.display()
                    ),
                ));
            }
            Err(_) => {
                std::fs::create_dir_all(&raw)
                    .and_then(|()| std::fs::write(&copy, bytes))
                    .map_err(|err| {
                        Diagnostic::error(
                            &copy,
                            0,
                            format!("cannot keep a copy of the raw filing: {err}"),
                        )
                    })?;
            }
        }
        return Ok(format!("raw/{name}"));
    }
    let relative = path
        .canonicalize()
        .ok()
        .and_then(|p| {
            Some(
                p.strip_prefix(content.canonicalize().ok()?)
                    .ok()?
                    .to_path_buf(),
            )
        })
        .unwrap_or_else(|| PathBuf::from("raw").join(name));
    Ok(relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/"))
}

/// `<date>-<slug>.md`, the slug cut at a word boundary, made unique within the run and against
/// releases already on disk that came from another filing (never overwrite someone else's).
fn unique_name(
    release: &Extracted,
    releases_dir: &Path,
    taken: &mut std::collections::BTreeSet<String>,
) -> String {
    let mut slug = slugify(&release.front.title);
    if slug.len() > 80 {
        let cut = slug[..80].rfind('-').unwrap_or(80);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug = "release".into();
    }
    let base = format!("{}-{slug}", release.front.date);
    let mut name = base.clone();
    let mut n = 2;
    while belongs_to_another_filing(&releases_dir.join(format!("{name}.md")), release)
        || !taken.insert(name.clone())
    {
        name = format!("{base}-{n}");
        n += 1;
    }
    format!("{name}.md")
}

fn belongs_to_another_filing(path: &Path, release: &Extracted) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    Release::parse(path, &text)
        .is_ok_and(|existing| existing.front.source.file != release.front.source.file)
}

const DIGEST_PREFIX: &str = "# Written by hemasite ingest, digest ";

/// The file as ingest writes it: the release, with a first comment line recording a digest of
/// the rest so that a hand edit can be recognised later.
pub fn render_file(release: &Extracted) -> String {
    let markdown = Release::to_markdown(&release.front, &release.body);
    let digest = &hex(&Sha256::digest(markdown.as_bytes()))[..16];
    let after_fence = markdown.find('\n').map_or(0, |at| at + 1);
    format!(
        "{}{DIGEST_PREFIX}{digest}. Edit freely: ingest then keeps this file unless run with --force.\n{}",
        &markdown[..after_fence],
        &markdown[after_fence..]
    )
}

/// Whether a file still holds exactly what ingest wrote into it.
fn is_untouched(existing: &str) -> bool {
    let Some(after_fence) = existing.find('\n').map(|at| at + 1) else {
        return false;
    };
    let Some(comment_end) = existing[after_fence..]
        .find('\n')
        .map(|at| after_fence + at + 1)
    else {
        return false;
    };
    let comment = &existing[after_fence..comment_end];
    let Some(recorded) = comment
        .strip_prefix(DIGEST_PREFIX)
        .and_then(|rest| rest.get(..16))
    else {
        return false;
    };
    let without_comment = format!("{}{}", &existing[..after_fence], &existing[comment_end..]);
    hex(&Sha256::digest(without_comment.as_bytes()))[..16] == *recorded
}

fn write_release(path: &Path, release: &Extracted, options: &Options, report: &mut Report) {
    let contents = render_file(release);
    match std::fs::read_to_string(path) {
        Ok(existing) if existing == contents => {
            report.unchanged.push(path.to_path_buf());
            return;
        }
        Ok(existing) if !options.force && !is_untouched(&existing) => {
            report.kept.push(path.to_path_buf());
            return;
        }
        _ => {}
    }
    match write_atomically(path, contents.as_bytes()) {
        Ok(()) => report.written.push(path.to_path_buf()),
        Err(err) => report.failed.push(Diagnostic::error(
            path,
            0,
            format!("cannot write the release: {err}"),
        )),
    }
}

/// Writes beside the target and renames, so a crash never leaves half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("release")
    ));
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}
