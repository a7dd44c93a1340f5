//! The releases of `content/releases/`, read again only when their file changed.
//!
//! `hemasite serve` keeps one [`ReleaseStore`] for its whole run, so a rebuild after an edit
//! parses one file, not ten thousand; `hemasite build` starts with an empty one. Each release
//! comes with the [`Fingerprint`] of its file (name and bytes), which is what the fingerprints
//! of the pages that show it are made from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::SiteError;
use super::fingerprint::Fingerprint;
use super::output::stamp;
use crate::model::{FileError, Release};

/// Releases by file, with the size and time each was read at.
#[derive(Debug, Default)]
pub struct ReleaseStore {
    files: HashMap<PathBuf, Loaded>,
}

#[derive(Debug, Clone)]
struct Loaded {
    stamp: (u64, u128),
    release: Release,
    fingerprint: Fingerprint,
}

impl ReleaseStore {
    /// Every release of `folder`, newest first (same day: by slug, so that the order is
    /// stable), each with its file's fingerprint. A missing folder is a site without news yet.
    /// All broken files are reported at once, each with its file and line.
    pub fn load(&mut self, folder: &Path) -> Result<(Vec<Release>, Vec<Fingerprint>), SiteError> {
        if !folder.is_dir() {
            self.files.clear();
            return Ok((Vec::new(), Vec::new()));
        }
        let paths = Release::files_in(folder)?;
        let stamps: Vec<Option<(u64, u128)>> = paths.par_iter().map(|path| stamp(path)).collect();
        let stale: Vec<(&PathBuf, Option<(u64, u128)>)> = paths
            .iter()
            .zip(stamps)
            .filter(|(path, stamp)| {
                self.files
                    .get(*path)
                    .is_none_or(|loaded| Some(loaded.stamp) != *stamp)
            })
            .collect();
        let read: Vec<Result<Loaded, FileError>> = stale
            .par_iter()
            .map(|(path, stamp)| read(path, stamp.unwrap_or_default()))
            .collect();
        let mut errors = Vec::new();
        for ((path, _), result) in stale.iter().zip(read) {
            match result {
                Ok(loaded) => {
                    self.files.insert(path.to_path_buf(), loaded);
                }
                Err(err) => {
                    self.files.remove(*path);
                    errors.push(err.to_string());
                }
            }
        }
        if !errors.is_empty() {
            return Err(SiteError::new(format!(
                "{}\nfix the release files above and build again",
                errors.join("\n")
            )));
        }
        self.files
            .retain(|path, _| paths.binary_search(path).is_ok());
        let mut loaded: Vec<&Loaded> = self.files.values().collect();
        loaded.sort_by(|a, b| {
            b.release
                .front
                .date
                .cmp(&a.release.front.date)
                .then_with(|| b.release.slug.cmp(&a.release.slug))
        });
        Ok(loaded
            .into_iter()
            .map(|loaded| (loaded.release.clone(), loaded.fingerprint))
            .unzip())
    }
}

fn read(path: &Path, stamp: (u64, u128)) -> Result<Loaded, FileError> {
    let text = Release::read_text(path)?;
    let release = Release::parse(path, &text)?;
    let fingerprint = Fingerprint::of("release")
        .text(&path.to_string_lossy())
        .text(&text)
        .finish();
    Ok(Loaded {
        stamp,
        release,
        fingerprint,
    })
}
