//! Where a build puts its files, and what it may keep from the build before.
//!
//! The [`Manifest`] lists every file of a finished build with the [`Fingerprint`] of its
//! inputs. The next build asks [`Output::keep`] before rendering: when the fingerprint is the
//! same and the file is still as that build left it, the file is kept instead of made again.
//!
//! [`WriteMode::Swap`] (`hemasite build`) builds in a [`Staging`] folder beside the output and
//! swaps it in at the end; a failed build leaves the published site as it was. The staging
//! folder is the site the swap before replaced (the spare), when its manifest is known: its
//! files made from the same inputs stay where they are, at no cost but checking their size and
//! time; the files that changed since are hard-linked from the output when they are the same
//! there, or made. Without a spare, every kept file is hard-linked from the output.
//! [`WriteMode::InPlace`] (`hemasite serve`) rewrites only the changed files of the output, each
//! by an atomic rename, and deletes the files the site no longer has.

use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use super::data::WriteMode;
use super::fingerprint::{Fingerprint, stamp};
use super::manifest;
pub use super::manifest::{Entry, Manifest};
use super::staging::{Staging, crash_point, create_parent, inside, io_error, write_atomically};

/// Which folder a manifest describes: the folder's device and inode numbers, which a rename
/// keeps. A manifest is written before the swap, for the staging folder that becomes the output,
/// so a build killed between the two leaves a manifest that does not match `public/` and is
/// ignored, never one that describes the wrong tree.
///
/// With the folder's creation time where the file system records it, since a deleted folder's
/// inode number may be given to a new one.
fn tree_id(dir: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::symlink_metadata(dir).ok()?;
    let born = metadata
        .created()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    Some(format!("tree {}:{}:{born}", metadata.dev(), metadata.ino()))
}

impl Manifest {
    /// The manifest of the output at `output`, kept beside it as `.<name>-manifest`.
    pub fn path_for(output: &Path) -> PathBuf {
        beside(output, "manifest")
    }

    /// The manifest of the spare beside `output` (the site the last swap replaced), kept as
    /// `.<name>-spare-manifest`.
    fn spare_path_for(output: &Path) -> PathBuf {
        beside(output, "spare-manifest")
    }

    /// Which of the two manifests beside `output` describes the folder `tree` (the output or
    /// its spare), if either does. Both are looked at, so that a build killed while it moved
    /// them loses nothing.
    fn file_describing(output: &Path, tree: &Path) -> Option<PathBuf> {
        let id = tree_id(tree)?;
        [Manifest::path_for(output), Manifest::spare_path_for(output)]
            .into_iter()
            .find(|path| manifest::names_tree(path, &id))
    }

    /// The manifest of `tree` (the output folder `output` or its spare); empty when neither
    /// manifest beside it describes it, which means "build everything".
    pub fn describing(output: &Path, tree: &Path) -> Manifest {
        Manifest::file_describing(output, tree)
            .map(|path| Manifest::read(&path, tree_id(tree).as_deref()))
            .unwrap_or_default()
    }

    /// Writes the manifest of the folder `tree`, naming it.
    fn write_for(&self, path: &Path, tree: &Path) -> Result<(), Diagnostic> {
        let id = tree_id(tree).ok_or_else(|| {
            Diagnostic::general(format!("{}: the built folder is missing", tree.display()))
        })?;
        self.write(path, &id)
    }
}

/// `.<name>-<what>` beside the output folder `output` (`.public-manifest` beside `public`).
pub(super) fn beside(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}-{what}"))
}

/// The output folder of one build.
pub struct Output {
    target: Target,
    /// The output folder, holding the previous build (if any).
    dir: PathBuf,
    previous: Manifest,
    /// What the staging folder holds: the spare's manifest, or nothing.
    base: Manifest,
    /// Whether a kept file's size and time are compared with the manifest first; needed when
    /// the manifest was read from disk, since anyone may have touched the folder since.
    verify: bool,
    /// How many files of the previous build this one kept or wrote again: when all were, none
    /// is left to delete.
    carried: AtomicUsize,
}

enum Target {
    Swap(Staging),
    InPlace,
}

impl Output {
    /// Prepares the output folder `dir`; `previous` lists what the folder holds now (empty for
    /// a build from scratch), `verify` whether to trust it only after checking each file.
    pub fn open(
        dir: &Path,
        mode: WriteMode,
        previous: Manifest,
        verify: bool,
    ) -> Result<Output, Diagnostic> {
        let mut base = Manifest::default();
        let target = match mode {
            WriteMode::Swap => {
                let mut staging = Staging::create(dir)?;
                if staging.reused() {
                    base = Manifest::describing(dir, staging.path());
                    if base.is_empty() {
                        staging.clear()?;
                    }
                }
                Target::Swap(staging)
            }
            WriteMode::InPlace => {
                if previous.is_empty() && dir.exists() {
                    // Nothing is known about what is there: start from an empty folder.
                    std::fs::remove_dir_all(dir).map_err(|err| io_error(dir, "clear", err))?;
                }
                std::fs::create_dir_all(dir).map_err(|err| io_error(dir, "create", err))?;
                Target::InPlace
            }
        };
        Ok(Output {
            target,
            dir: dir.to_path_buf(),
            previous,
            base,
            verify,
            carried: AtomicUsize::new(0),
        })
    }

    /// Keeps the previous build's `file` when it was made from the same inputs and is still
    /// as that build left it. Returns its entry, or `None` when the file must be made again.
    pub fn keep(&self, file: &str, fingerprint: Fingerprint) -> Option<Entry> {
        if let Some(entry) = self.kept_in_staging(file, fingerprint) {
            self.count_carried(file);
            return Some(entry);
        }
        let entry = *self.previous.get(file)?;
        if entry.fingerprint != fingerprint {
            return None;
        }
        if !self.verify && matches!(self.target, Target::InPlace) {
            self.carried.fetch_add(1, Ordering::Relaxed);
            return Some(entry);
        }
        let old = inside(&self.dir, file).ok()?;
        if self.verify && stamp(&old) != Some((entry.len, entry.modified_ns)) {
            return None;
        }
        if let Target::Swap(staging) = &self.target {
            staging.link_or_copy(&old, file).ok()?;
        }
        self.carried.fetch_add(1, Ordering::Relaxed);
        Some(entry)
    }

    /// The spare's `file`, when it was made from the same inputs and is as that build left it:
    /// then it is already where it belongs.
    fn kept_in_staging(&self, file: &str, fingerprint: Fingerprint) -> Option<Entry> {
        let Target::Swap(staging) = &self.target else {
            return None;
        };
        let entry = *self.base.get(file)?;
        (entry.fingerprint == fingerprint
            && staging.stamp(file) == Some((entry.len, entry.modified_ns)))
        .then_some(entry)
    }

    /// Writes `file` (a path relative to the output folder) with `contents`.
    pub fn write(
        &self,
        file: &str,
        contents: &[u8],
        fingerprint: Fingerprint,
    ) -> Result<Entry, Diagnostic> {
        self.put(
            file,
            fingerprint,
            |staging| staging.write(file, contents),
            |path| write_atomically(path, contents),
        )
    }

    /// Puts an existing file (a raw filing) at `file`: hard-linked when possible, else copied.
    pub fn link_or_copy(
        &self,
        source: &Path,
        file: &str,
        fingerprint: Fingerprint,
    ) -> Result<Entry, Diagnostic> {
        self.put(
            file,
            fingerprint,
            |staging| staging.link_or_copy(source, file),
            |path| replace_with_link(source, path),
        )
    }

    /// Puts `file` in the staging folder or in place, with the function for each, and returns
    /// its manifest entry.
    fn put(
        &self,
        file: &str,
        fingerprint: Fingerprint,
        in_staging: impl FnOnce(&Staging) -> Result<(), Diagnostic>,
        in_place: impl FnOnce(&Path) -> Result<(), Diagnostic>,
    ) -> Result<Entry, Diagnostic> {
        self.count_carried(file);
        let path = match &self.target {
            Target::Swap(staging) => {
                in_staging(staging)?;
                inside(staging.path(), file)?
            }
            Target::InPlace => {
                let path = inside(&self.dir, file)?;
                in_place(&path)?;
                path
            }
        };
        entry_of(&path, fingerprint)
    }

    /// Counts `file` as carried over when it was in the previous build, which only an
    /// in-place build needs (to know whether anything is left to delete): a swap's lookups are
    /// saved.
    fn count_carried(&self, file: &str) {
        if matches!(self.target, Target::InPlace) && self.previous.get(file).is_some() {
            self.carried.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Gives up the build (the staging folder, if any, is removed) and returns what the output
    /// folder held before it.
    pub fn into_previous(self) -> Manifest {
        self.previous
    }

    /// Finishes the build: records `manifest` beside the output when `save` is set, naming the
    /// folder it describes, then swaps the staging folder in, or deletes what the site no
    /// longer has. Returns warnings that did not stop the build (an old site that cannot be
    /// removed after the swap).
    pub fn finish(self, manifest: &Manifest, save: bool) -> Result<Vec<String>, Diagnostic> {
        let manifest_path = Manifest::path_for(&self.dir);
        let tree = match &self.target {
            Target::Swap(staging) => staging.path(),
            Target::InPlace => &self.dir,
        };
        if let Target::Swap(staging) = &self.target {
            remove_stale(staging.path(), &self.base, manifest)?;
        }
        crash_point("before-manifest");
        if save {
            self.keep_previous_manifest()?;
            manifest.write_for(&manifest_path, tree)?;
        }
        crash_point("after-manifest");
        match self.target {
            Target::Swap(staging) => staging.commit(&self.dir),
            Target::InPlace if self.carried.into_inner() < self.previous.len() => {
                remove_stale(&self.dir, &self.previous, manifest)?;
                Ok(Vec::new())
            }
            Target::InPlace => Ok(Vec::new()),
        }
    }
}

impl Output {
    /// Moves the manifest of the output folder to the spare's place, since the output becomes
    /// the spare when the new site is swapped in. A rename: at every instant one of the two
    /// files describes the output folder.
    fn keep_previous_manifest(&self) -> Result<(), Diagnostic> {
        let main = Manifest::path_for(&self.dir);
        if Manifest::file_describing(&self.dir, &self.dir).as_ref() == Some(&main) {
            let spare = Manifest::spare_path_for(&self.dir);
            std::fs::rename(&main, &spare).map_err(|err| io_error(&spare, "write", err))?;
        }
        Ok(())
    }
}

/// Deletes the files of `previous` that `current` does not have, and the folders that leaves
/// empty.
fn remove_stale(dir: &Path, previous: &Manifest, current: &Manifest) -> Result<(), Diagnostic> {
    for (file, _) in previous.iter() {
        if current.get(file).is_some() {
            continue;
        }
        let path = inside(dir, file)?;
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(io_error(&path, "remove", err)),
        }
        let mut parent = path.parent();
        while let Some(folder) = parent.filter(|folder| *folder != dir) {
            // Fails, harmlessly, as soon as a folder still holds something.
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
            parent = folder.parent();
        }
    }
    Ok(())
}

fn entry_of(path: &Path, fingerprint: Fingerprint) -> Result<Entry, Diagnostic> {
    let (len, modified_ns) = stamp(path).ok_or_else(|| {
        Diagnostic::general(format!(
            "{}: cannot read back the file just written; check the folder's permissions",
            path.display()
        ))
    })?;
    Ok(Entry {
        fingerprint,
        len,
        modified_ns,
    })
}

/// Replaces `path` with a hard link to `source`, or a copy where links are not possible. Not
/// through a temporary file and a rename: renaming a link onto a link of the same file does
/// nothing.
fn replace_with_link(source: &Path, path: &Path) -> Result<(), Diagnostic> {
    create_parent(path)?;
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            return Err(io_error(path, "replace", err));
        }
        _ => {}
    }
    if std::fs::hard_link(source, path).is_err() {
        std::fs::copy(source, path).map_err(|err| io_error(path, "copy", err))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_place_output_deletes_what_the_site_no_longer_has() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let fingerprint = Fingerprint::of("x").finish();
        let output = Output::open(&out, WriteMode::InPlace, Manifest::default(), false).unwrap();
        let first = Manifest::from_entries(
            ["a/b/old.html", "a/keep.html"]
                .map(|file| (file.into(), output.write(file, b"x", fingerprint).unwrap()))
                .into(),
        );
        output.finish(&first, false).unwrap();
        let output = Output::open(&out, WriteMode::InPlace, first, false).unwrap();
        let second = Manifest::from_entries(vec![(
            "a/keep.html".into(),
            output.keep("a/keep.html", fingerprint).unwrap(),
        )]);
        output.finish(&second, false).unwrap();
        assert!(out.join("a/keep.html").is_file());
        assert!(!out.join("a/b").exists(), "emptied folders go too");
    }
}
