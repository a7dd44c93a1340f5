//! The folder a build writes into, beside the output, swapped in only when everything worked.
//!
//! A build does not start from an empty folder when it can help it: the site the previous swap
//! replaced is kept beside the output as `.public-spare`, with its manifest, and the next build
//! takes it as its staging folder, so that only the files that changed since that site are
//! written, and the unchanged ones cost nothing (see [`Staging::create`]).
//!
//! The swap is one atomic step on Linux: `renameat2(RENAME_EXCHANGE)` exchanges the staging
//! folder and the output, so that at every instant `public/` is the old complete site or the new
//! one, whatever kills the build. Where the exchange is not available (another system, or a file
//! system without it) the fallback is two renames, old out and new in, with a moment between
//! them when `public/` is missing; a build killed there leaves the old site as `.public-old-<pid>`,
//! which the next build puts back. Leftovers of killed builds (`.public-staging-<pid>`,
//! `.public-old-<pid>`, named by the dead process's id) are removed by the next build; folders
//! of a build still running are left alone.

use crate::diagnostics::Diagnostic;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// A fresh folder such as `.public-staging-1234` next to `public/`.
///
/// Every path written into it is checked to stay inside it. Dropping a `Staging` that was not
/// committed removes it, so an error anywhere (or a panic) leaves no half-built site behind and
/// the previous output untouched.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    committed: bool,
    /// Whether the folder is a previous site (the spare), whose files may be hard links shared
    /// with the published site: they are replaced, never written through.
    reused: bool,
    /// Leftovers of killed builds that could not be removed, for the build's warnings.
    warnings: Vec<String>,
    /// The folder opened, once, for [`Staging::stamp`].
    opened: OnceLock<Option<std::fs::File>>,
}

/// The two kinds of folder a build makes beside the output, `.<output>-<kind>-<pid>`.
const STAGING: &str = "staging";
const OLD: &str = "old";
/// `.<output>-spare`: the site the last swap replaced, kept for the next build to start from.
const SPARE: &str = "spare";

impl Staging {
    /// Makes the staging folder beside `output` (same file system, so the swap is a rename),
    /// after clearing what killed builds left there. It is the spare (the site the previous
    /// swap replaced), claimed by renaming it, when there is one ([`Staging::reused`]): the
    /// caller then knows what it holds from its manifest, or [`Staging::clear`]s it. Else an
    /// empty folder.
    pub fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let parent = parent_of(output);
        std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
        let warnings = recover_leftovers(output)?;
        let dir = sibling(output, STAGING, std::process::id())?;
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|err| io_error(&dir, "remove", err))?;
        }
        // A rename, so that two builds never take the same spare; one that finds none (or
        // cannot take it) starts from an empty folder.
        let reused = std::fs::rename(spare_path(output)?, &dir).is_ok();
        if !reused {
            std::fs::create_dir(&dir).map_err(|err| io_error(&dir, "create", err))?;
        }
        Ok(Staging {
            dir,
            committed: false,
            reused,
            warnings,
            opened: OnceLock::new(),
        })
    }

    /// Whether the folder holds a previous site rather than nothing.
    pub fn reused(&self) -> bool {
        self.reused
    }

    /// Empties a reused folder whose contents are not known (no manifest describes it).
    pub fn clear(&mut self) -> Result<(), Diagnostic> {
        std::fs::remove_dir_all(&self.dir).map_err(|err| io_error(&self.dir, "clear", err))?;
        std::fs::create_dir(&self.dir).map_err(|err| io_error(&self.dir, "create", err))?;
        self.reused = false;
        self.opened = OnceLock::new();
        Ok(())
    }

    /// The size and time of the file at `relative` in the folder (as [`super::fingerprint::stamp`]
    /// gives them), or `None` when it is missing or the path would leave the folder. Looked up
    /// from the folder opened once, so that the system walks only the path inside it: a build
    /// asks this for each of the 31,597 files it keeps.
    #[cfg(unix)]
    pub fn stamp(&self, relative: &str) -> Option<(u64, u128)> {
        use std::os::fd::AsRawFd;
        if !stays_inside(relative) {
            return None;
        }
        let folder = self
            .opened
            .get_or_init(|| std::fs::File::open(&self.dir).ok())
            .as_ref()?;
        let name = std::ffi::CString::new(relative).ok()?;
        let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: the folder's descriptor is open while `self` lives, `name` is NUL-terminated
        // and lives across the call, and `stat` is written by the call before it is read.
        let result =
            unsafe { libc::fstatat(folder.as_raw_fd(), name.as_ptr(), stat.as_mut_ptr(), 0) };
        if result != 0 {
            return None;
        }
        // SAFETY: fstatat succeeded, so it filled `stat`.
        let stat = unsafe { stat.assume_init() };
        // As `SystemTime::duration_since(UNIX_EPOCH)` does: 0 before 1970.
        let modified = u128::try_from(stat.st_mtime).map_or(0, |seconds| {
            seconds * 1_000_000_000 + u128::try_from(stat.st_mtime_nsec).unwrap_or_default()
        });
        Some((u64::try_from(stat.st_size).unwrap_or_default(), modified))
    }

    #[cfg(not(unix))]
    pub fn stamp(&self, relative: &str) -> Option<(u64, u128)> {
        super::fingerprint::stamp(&inside(&self.dir, relative).ok()?)
    }

    /// Removes a file of a reused folder before it is made again: it may be a hard link to
    /// the published site's file, which writing through would change in place.
    fn make_room(&self, path: &Path) -> Result<(), Diagnostic> {
        if !self.reused {
            return Ok(());
        }
        match std::fs::remove_file(path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(io_error(path, "replace", err))
            }
            _ => Ok(()),
        }
    }

    /// The staging folder itself, for stages that need to read back what was written.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes a file at a path relative to the site root, such as `releases/x/index.html`.
    /// Fails, without writing, when the path would leave the staging folder.
    pub fn write(&self, relative: &str, contents: &[u8]) -> Result<(), Diagnostic> {
        let path = inside(&self.dir, relative)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
        }
        self.make_room(&path)?;
        std::fs::write(&path, contents).map_err(|err| io_error(&path, "write", err))?;
        Ok(())
    }

    /// Puts an existing file at a path relative to the site root. A hard link when the file
    /// system allows it (raw filings are never edited, and a link costs no copy), a copy
    /// otherwise.
    pub fn link_or_copy(&self, source: &Path, relative: &str) -> Result<(), Diagnostic> {
        let path = inside(&self.dir, relative)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
        }
        self.make_room(&path)?;
        if std::fs::hard_link(source, &path).is_err() {
            std::fs::copy(source, &path).map_err(|err| io_error(&path, "copy", err))?;
        }
        Ok(())
    }

    /// Puts the staging folder in place of `output`, in one atomic exchange where the system
    /// offers it, then keeps the old site as the spare for the next build (or removes it, when
    /// a spare is already there). Returns warnings, not an error, when the old site (or an
    /// earlier build's leftover) cannot be removed: the new site is already in place, and the
    /// next build tries again.
    pub fn commit(mut self, output: &Path) -> Result<Vec<String>, Diagnostic> {
        let mut warnings = std::mem::take(&mut self.warnings);
        let old = sibling(output, OLD, std::process::id())?;
        if !output.exists() {
            std::fs::rename(&self.dir, output).map_err(|err| io_error(output, "create", err))?;
            self.committed = true;
            return Ok(warnings);
        }
        match exchange(&self.dir, output) {
            Ok(()) => {
                self.committed = true;
                crash_point("after-swap");
                // The old site is now at the staging path: give it its own name first, so that
                // a build killed while deleting it leaves a folder the next build recognises.
                std::fs::rename(&self.dir, &old).map_err(|err| io_error(&self.dir, "move", err))?;
                crash_point("after-old-moved");
            }
            Err(_) => self.two_renames(output, &old)?,
        }
        // Kept when no other build's spare is there (a rename does not replace a folder that
        // holds files); the next build starts from it.
        if !fault("remove-old") && std::fs::rename(&old, spare_path(output)?).is_ok() {
            return Ok(warnings);
        }
        if let Err(err) = remove_old(&old) {
            warnings.push(cannot_remove(&old, "the new site is in place, but", &err));
        }
        Ok(warnings)
    }

    /// The fallback swap: old output renamed away, new one renamed in. If the second rename
    /// fails, the old output is put back.
    fn two_renames(&mut self, output: &Path, old: &Path) -> Result<(), Diagnostic> {
        std::fs::rename(output, old).map_err(|err| io_error(output, "move aside", err))?;
        crash_point("after-first-rename");
        if let Err(err) = std::fs::rename(&self.dir, output) {
            let _ = std::fs::rename(old, output);
            return Err(io_error(output, "replace", err));
        }
        self.committed = true;
        Ok(())
    }
}

/// Exchanges two folders atomically: `renameat2(RENAME_EXCHANGE)`. Fails where the system or
/// the file system has no such call, and the caller falls back to two renames;
/// `HEMASITE_TEST_NO_EXCHANGE` makes it fail, so that tests can take the fallback.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    if std::env::var_os("HEMASITE_TEST_NO_EXCHANGE").is_some() {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
    let to_c = |path: &Path| {
        CString::new(path.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
    };
    let (a, b) = (to_c(a)?, to_c(b)?);
    // SAFETY: both paths are NUL-terminated strings that live across the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// For tests of crash safety: when `HEMASITE_TEST_CRASH_AT` names this point, the process
/// aborts here, the way `kill -9` would stop it. Points: `before-manifest`, `after-manifest`,
/// `after-swap`, `after-old-moved`, `after-first-rename` (the fallback swap).
pub(crate) fn crash_point(name: &str) {
    if std::env::var_os("HEMASITE_TEST_CRASH_AT").is_some_and(|at| at == name) {
        std::process::abort();
    }
}

/// Removes the old site after the swap. `HEMASITE_TEST_FAULT=remove-old` makes it fail, so
/// that tests can check such a failure is a warning (as root, permissions cannot make it fail).
/// The same fault also takes the spare's place, as another build's spare would, so that the
/// old site is removed rather than kept.
fn remove_old(old: &Path) -> std::io::Result<()> {
    if fault("remove-old") {
        return Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
    }
    std::fs::remove_dir_all(old)
}

/// Whether the test hook `HEMASITE_TEST_FAULT` names this fault.
fn fault(name: &str) -> bool {
    std::env::var_os("HEMASITE_TEST_FAULT").is_some_and(|fault| fault == name)
}

/// The folder that holds `output`, `.` for a bare name.
fn parent_of(output: &Path) -> &Path {
    match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// `.public-<kind>-<pid>` beside `public`.
fn sibling(output: &Path, kind: &str, pid: u32) -> Result<PathBuf, Diagnostic> {
    beside(output, &format!("{kind}-{pid}"))
}

/// `.public-<suffix>` beside `public`.
fn beside(output: &Path, suffix: &str) -> Result<PathBuf, Diagnostic> {
    let name = output
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Diagnostic::general(format!(
                "{}: the output must be a folder name such as `public`",
                output.display()
            ))
        })?;
    Ok(parent_of(output).join(format!(".{name}-{suffix}")))
}

/// `.public-spare` beside `public`.
pub(super) fn spare_path(output: &Path) -> Result<PathBuf, Diagnostic> {
    beside(output, SPARE)
}

/// `.public-old-1234` → (`old`, 1234), for names [`sibling`] makes for `output`; `None` for any
/// other name, which a build never touches.
fn leftover_kind(output: &Path, file_name: &str) -> Option<(&'static str, u32)> {
    let name = output.file_name()?.to_str()?;
    let rest = file_name
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('-')?;
    [STAGING, OLD].into_iter().find_map(|kind| {
        let digits = rest.strip_prefix(kind)?.strip_prefix('-')?;
        let pid = digits.parse::<u32>().ok()?;
        // `+12` and `012` parse too, but a build never names a folder so.
        (pid.to_string() == digits).then_some((kind, pid))
    })
}

/// Whether a process with this id is running (then its folders belong to a build in progress).
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Clears what builds killed before finishing left beside `output`: their staging folders, and
/// old sites they had moved aside. An old site with no `output` beside it means a build died
/// between the fallback's two renames: it is put back, since it is the last complete site.
/// A leftover that cannot be removed is a warning: it takes space, but harms no build.
fn recover_leftovers(output: &Path) -> Result<Vec<String>, Diagnostic> {
    let mut warnings = Vec::new();
    let parent = parent_of(output);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(warnings);
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some((kind, pid)) = leftover_kind(output, &file_name.to_string_lossy()) else {
            continue;
        };
        if is_running(pid) && pid != std::process::id() {
            continue;
        }
        let path = entry.path();
        if kind == OLD && !output.exists() {
            std::fs::rename(&path, output).map_err(|err| io_error(&path, "restore", err))?;
            continue;
        }
        if let Err(err) = std::fs::remove_dir_all(&path) {
            warnings.push(cannot_remove(
                &path,
                "a killed build left this folder, and",
                &err,
            ));
        }
    }
    Ok(warnings)
}

fn cannot_remove(path: &Path, context: &str, err: &std::io::Error) -> String {
    format!(
        "{}: {context} it cannot be removed ({err}); the next build tries again, or remove it \
         yourself",
        path.display()
    )
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Joins a site-relative path to `base`, refusing anything that could leave it: absolute paths,
/// `..`, `.`, empty segments, backslashes and drive letters.
pub(crate) fn inside(base: &Path, relative: &str) -> Result<PathBuf, Diagnostic> {
    if !stays_inside(relative) {
        return Err(Diagnostic::general(format!(
            "refusing to write `{relative}`: output paths must stay inside the output folder"
        )));
    }
    let mut path = base.to_path_buf();
    path.extend(relative.split('/'));
    Ok(path)
}

/// Whether `relative` names a file inside the folder it is relative to: no absolute path,
/// `..`, `.`, empty segment, backslash or drive letter.
fn stays_inside(relative: &str) -> bool {
    !relative.is_empty()
        && !relative.contains(['\\', ':', '\0'])
        && relative.split('/').all(|segment| {
            let mut components = Path::new(segment).components();
            matches!(
                (components.next(), components.next()),
                (Some(Component::Normal(part)), None) if part == segment
            )
        })
}

pub(super) fn io_error(path: &Path, action: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        0,
        format!("cannot {action} ({err}); check the folder's permissions and free space"),
    )
}

/// Makes the folder `path` goes in, with its parents.
pub(super) fn create_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(parent) => {
            std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))
        }
        None => Ok(()),
    }
}

/// `.name.hemasite-tmp` beside `path`: same folder, so that the rename is atomic.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.hemasite-tmp"))
}

/// Replaces `path` with `contents` so that a reader sees the old file or the new one, never a
/// half-written one (a browser may be reading it while `serve` rebuilds).
pub(super) fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Diagnostic> {
    create_parent(path)?;
    let temporary = temporary_path(path);
    let mut file =
        std::fs::File::create(&temporary).map_err(|err| io_error(&temporary, "create", err))?;
    file.write_all(contents)
        .map_err(|err| io_error(&temporary, "write", err))?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(|err| io_error(path, "write", err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output_folder() {
        let base = Path::new("/out");
        assert_eq!(
            inside(base, "releases/a/index.html").unwrap(),
            Path::new("/out/releases/a/index.html")
        );
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "./a",
            "a\\..\\b",
            "C:x",
            "",
            "a/",
        ] {
            assert!(inside(base, bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn a_stamp_from_the_open_folder_is_the_files_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::create(&output).unwrap();
        staging.write("releases/a/index.html", b"12345").unwrap();
        let path = staging.path().join("releases/a/index.html");
        let stamp = staging.stamp("releases/a/index.html");
        assert_eq!(stamp, crate::site::fingerprint::stamp(&path));
        assert_eq!(stamp.map(|(len, _)| len), Some(5));
        assert_eq!(staging.stamp("releases/b/index.html"), None);
        std::fs::write(dir.path().join("outside"), "x").unwrap();
        assert_eq!(staging.stamp("../outside"), None, "only inside the folder");
    }

    #[test]
    fn an_uncommitted_staging_folder_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::create(&output).unwrap();
        staging.write("a/b.txt", b"x").unwrap();
        let path = staging.path().to_path_buf();
        assert!(path.join("a/b.txt").is_file());
        drop(staging);
        assert!(!path.exists());
        assert!(!output.exists());
    }
}
