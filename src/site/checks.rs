//! The consistency checks of a build, kept while what they were made from is unchanged: each
//! release's own findings by its file (and the ledger), the findings across releases by the
//! ledger and the files with figures.
//!
//! `hemasite serve` keeps them in memory between builds. `hemasite build` keeps them in the
//! cache folder beside the output (`.public-cache/checks`, written as the release cache's files
//! are: versioned, with the identity of the hemasite program and a digest, so that a file of
//! another version, damaged or foreign is not used and every release is checked again), so that
//! a new process after one edit checks one release rather than ten thousand.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{unsealed, write_sealed};
use super::data::SiteData;
use super::fingerprint::Fingerprint;
use crate::diagnostics::Diagnostic;
use crate::ledger::{Finding, Severity, check};

/// The first line of the file; the number changes with its layout.
const HEADER: &str = "hemasite check cache 1";

/// The findings of each release's own checks, kept while the ledger they were checked against
/// is the same, so that a build checks again only the releases that changed.
#[derive(Default)]
pub struct CheckCache {
    ledger: Fingerprint,
    by_release: HashMap<Fingerprint, Arc<Checked>>,
    /// The findings about the ledger as a whole (figures it could not place, restatements),
    /// by the files they are in (their lines).
    across: Option<(Fingerprint, Arc<Checked>)>,
    /// Whether anything was checked since the cache was loaded: only then is it written.
    changed: bool,
}

/// What the consistency checks found: errors and warnings in full, unchecked figures counted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Checked {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serious: Vec<Finding>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unchecked: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl Checked {
    fn of(findings: Vec<Finding>) -> Checked {
        let (unchecked, serious): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|finding| finding.severity == Severity::Unchecked);
        Checked {
            serious,
            unchecked: unchecked.len(),
        }
    }
}

/// The file's payload.
#[derive(Serialize, Deserialize)]
struct Stored<C> {
    ledger: Fingerprint,
    releases: Vec<(Fingerprint, C)>,
    across: Option<(Fingerprint, C)>,
}

impl CheckCache {
    /// The file of the cache in the cache folder `dir`.
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join("checks")
    }

    /// Reads the cache at `path`; anything wrong with the file (missing, another hemasite's,
    /// damaged) gives an empty cache, and every release is checked.
    pub fn load(path: &Path) -> CheckCache {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| {
                let stored: Stored<Checked> =
                    serde_json::from_str(unsealed(&bytes, HEADER)?).ok()?;
                let arc = |(key, checked)| (key, Arc::new(checked));
                Some(CheckCache {
                    ledger: stored.ledger,
                    by_release: stored.releases.into_iter().map(arc).collect(),
                    across: stored.across.map(arc),
                    changed: false,
                })
            })
            .unwrap_or_default()
    }

    /// Writes the findings of `data`'s releases to `path`, when anything was checked since the
    /// cache was read or last written.
    pub fn store(&mut self, path: &Path, data: &SiteData) -> Result<(), Diagnostic> {
        if !self.changed {
            return Ok(());
        }
        let releases = data
            .meta
            .iter()
            .filter_map(|meta| {
                let file = meta.fingerprints.file;
                let checked = self.by_release.get(&file)?;
                Some((file, checked.as_ref()))
            })
            .collect();
        let stored = Stored {
            ledger: self.ledger,
            releases,
            across: self
                .across
                .as_ref()
                .map(|(key, checked)| (*key, checked.as_ref())),
        };
        // Findings are strings and numbers: they always serialize.
        let payload = serde_json::to_string(&stored).unwrap_or_default();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|err| super::staging::io_error(dir, "create", err))?;
        }
        write_sealed(path, HEADER, &payload)?;
        self.changed = false;
        Ok(())
    }

    /// Every finding of `data`'s releases: kept ones, and the checks of what changed.
    pub fn run(&mut self, data: &SiteData) -> Checked {
        // A new ledger, or mostly findings of files edited since: start again rather than grow.
        if data.ledger_fingerprint != self.ledger || self.by_release.len() > 2 * data.releases.len()
        {
            self.by_release.clear();
            self.ledger = data.ledger_fingerprint;
            self.changed = true;
        }
        let mut total = Checked::clone(&self.across(data));
        for release in self.per_release(data) {
            total.serious.extend(release.serious.iter().cloned());
            total.unchecked += release.unchecked;
        }
        check::sort(&mut total.serious);
        total
    }

    /// Each release's own findings, in release order: checked now for the releases not known.
    fn per_release(&mut self, data: &SiteData) -> Vec<Arc<Checked>> {
        let known = &self.by_release;
        let missing: Vec<(Fingerprint, Arc<Checked>)> = data
            .releases
            .par_iter()
            .zip(data.meta.par_iter())
            .filter(|(_, meta)| !known.contains_key(&meta.fingerprints.file))
            .map(|(release, meta)| {
                let findings = check::release_findings(release, &data.ledger);
                (meta.fingerprints.file, Arc::new(Checked::of(findings)))
            })
            .collect();
        self.changed |= !missing.is_empty();
        self.by_release.extend(missing);
        data.meta
            .iter()
            .filter_map(|meta| self.by_release.get(&meta.fingerprints.file).cloned())
            .collect()
    }

    /// The findings about the ledger as a whole, checked again when the ledger or a file with
    /// figures (where their lines are) changed.
    fn across(&mut self, data: &SiteData) -> Arc<Checked> {
        let with_figures = data
            .releases
            .iter()
            .zip(data.meta.iter())
            .filter(|(release, _)| release.front.financials.is_some())
            .map(|(_, meta)| &meta.fingerprints.file);
        let key = Fingerprint::of("across")
            .fingerprint(data.ledger_fingerprint)
            .fingerprints(with_figures)
            .finish();
        match &self.across {
            Some((known, across)) if *known == key => Arc::clone(across),
            _ => {
                let mut findings = check::unplaced(&data.releases, &data.ledger);
                findings.extend(check::across_releases(&data.releases, &data.ledger));
                let across = Arc::new(Checked::of(findings));
                self.across = Some((key, Arc::clone(&across)));
                self.changed = true;
                across
            }
        }
    }
}
