//! The original filing a release page publishes beside it, and the checks that keep anything
//! else from being published through `source.file`.
//!
//! A release names its filing as `source: { file: raw/….txt, sha256: … }`. The site publishes
//! only a file under `content/raw/` (never, say, `subscribers.csv` next to it), only when the
//! file, followed through any symbolic links, is inside the site folder, and only when its bytes
//! still have the SHA-256 the release records. The file is published by its resolved path, so
//! the output never holds a symbolic link to follow.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::staging::inside;
use crate::diagnostics::Diagnostic;
use crate::model::Release;

/// `content/raw/<rest>` for `source.file` `raw/<rest>`; `None` when the file is not under
/// `content/raw/` or its path would leave it.
pub fn raw_path(content: &Path, file: &str) -> Option<PathBuf> {
    let rest = file.strip_prefix("raw/")?;
    inside(&content.join("raw"), rest).ok()
}

/// The filing to publish for `release`: `source` (from [`raw_path`]) resolved and checked.
pub fn checked_source(
    release: &Release,
    source: Option<&Path>,
    site_root: &Path,
) -> Result<PathBuf, Diagnostic> {
    let file = &release.front.source.file;
    let error = |key: &str, message: String| error_at(release, key, message);
    let source = source.ok_or_else(|| {
        error(
            "source.file",
            format!(
                "source.file `{file}` must name a file under content/raw/, such as \
                 `raw/2003-11-14-q3.txt`: only raw filings are published"
            ),
        )
    })?;
    let resolved = std::fs::canonicalize(source).map_err(|_| {
        error(
            "source.file",
            format!(
                "the original filing {} named in source.file is missing; restore it or correct \
                 source.file",
                source.display()
            ),
        )
    })?;
    let root = std::fs::canonicalize(site_root).unwrap_or_else(|_| site_root.to_path_buf());
    if !resolved.starts_with(&root) {
        return Err(error(
            "source.file",
            format!(
                "source.file `{file}` is a symbolic link to {}, outside the site folder: only \
                 files inside the site are published; copy the filing into content/raw/ instead",
                resolved.display()
            ),
        ));
    }
    if !resolved.is_file() {
        return Err(error(
            "source.file",
            format!("source.file `{file}` is not a file; name the raw filing's text file"),
        ));
    }
    check_sha256(release, &resolved, &error)?;
    Ok(resolved)
}

/// The filing's bytes must have the SHA-256 the release records: otherwise the page would
/// publish a filing other than the one its figures were read from.
fn check_sha256(
    release: &Release,
    path: &Path,
    error: &dyn Fn(&str, String) -> Diagnostic,
) -> Result<(), Diagnostic> {
    let bytes = std::fs::read(path).map_err(|err| {
        error(
            "source.file",
            format!("cannot read the original filing {} ({err})", path.display()),
        )
    })?;
    let actual: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let recorded = release.front.source.sha256.trim().to_ascii_lowercase();
    if actual == recorded {
        return Ok(());
    }
    Err(error(
        "source.sha256",
        format!(
            "source.sha256 does not match {} (whose SHA-256 is {actual}): the filing changed \
             since it was ingested, or source.file names another file; ingest it again \
             (`hemasite ingest --force {}`) or correct source.file",
            path.display(),
            path.display()
        ),
    ))
}

/// An error on the line of `key` in the release's file, as recorded when it was parsed (0 when
/// the file does not have the key).
fn error_at(release: &Release, key: &str, message: String) -> Diagnostic {
    Diagnostic::error(&release.path, release.lines.key(key), message)
}
