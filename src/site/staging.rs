//! The folder a build writes into, beside the output, swapped in only when everything worked.

use std::path::{Component, Path, PathBuf};

use super::SiteError;

/// A fresh folder such as `.public-staging-1234` next to `public/`.
///
/// Every path written into it is checked to stay inside it. Dropping a `Staging` that was not
/// committed removes it, so an error anywhere (or a panic) leaves no half-built site behind and
/// the previous output untouched.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Makes an empty staging folder beside `output` (same file system, so the swap is a rename).
    pub fn create(output: &Path) -> Result<Staging, SiteError> {
        let name = output
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .ok_or_else(|| {
                SiteError::new(format!(
                    "{}: the output must be a folder name such as `public`",
                    output.display()
                ))
            })?;
        let parent = output.parent().unwrap_or(Path::new("."));
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
        let dir = parent.join(format!(".{name}-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|err| io_error(&dir, "remove", err))?;
        }
        std::fs::create_dir(&dir).map_err(|err| io_error(&dir, "create", err))?;
        Ok(Staging {
            dir,
            committed: false,
        })
    }

    /// The staging folder itself, for stages that need to read back what was written.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes a file at a path relative to the site root, such as `releases/x/index.html`.
    /// Fails, without writing, when the path would leave the staging folder.
    pub fn write(&self, relative: &str, contents: &[u8]) -> Result<(), SiteError> {
        let path = inside(&self.dir, relative)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
        }
        std::fs::write(&path, contents).map_err(|err| io_error(&path, "write", err))?;
        Ok(())
    }

    /// Puts an existing file at a path relative to the site root. A hard link when the file
    /// system allows it (raw filings are never edited, and a link costs no copy), a copy
    /// otherwise.
    pub fn link_or_copy(&self, source: &Path, relative: &str) -> Result<(), SiteError> {
        let path = inside(&self.dir, relative)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
        }
        if std::fs::hard_link(source, &path).is_err() {
            std::fs::copy(source, &path).map_err(|err| io_error(&path, "copy", err))?;
        }
        Ok(())
    }

    /// Puts the staging folder in place of `output`: the old output is renamed away, the new one
    /// renamed in, then the old one deleted. If the second rename fails, the old output is put
    /// back.
    pub fn commit(mut self, output: &Path) -> Result<(), SiteError> {
        let old = self.dir.with_file_name(format!(
            ".{}-old-{}",
            output
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_output = output.exists();
        if had_output {
            std::fs::rename(output, &old).map_err(|err| io_error(output, "move aside", err))?;
        }
        if let Err(err) = std::fs::rename(&self.dir, output) {
            if had_output {
                let _ = std::fs::rename(&old, output);
            }
            return Err(io_error(output, "replace", err));
        }
        self.committed = true;
        if had_output {
            std::fs::remove_dir_all(&old).map_err(|err| io_error(&old, "remove", err))?;
        }
        Ok(())
    }
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
pub(crate) fn inside(base: &Path, relative: &str) -> Result<PathBuf, SiteError> {
    let refuse = || {
        SiteError::new(format!(
            "refusing to write `{relative}`: output paths must stay inside the output folder"
        ))
    };
    if relative.is_empty() || relative.contains(['\\', ':', '\0']) {
        return Err(refuse());
    }
    let mut path = base.to_path_buf();
    for segment in relative.split('/') {
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(part)), None) if part == segment => path.push(part),
            _ => return Err(refuse()),
        }
    }
    Ok(path)
}

pub(super) fn io_error(path: &Path, action: &str, err: std::io::Error) -> SiteError {
    SiteError::new(format!(
        "{}: cannot {action} ({err}); check the folder's permissions and free space",
        path.display()
    ))
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
