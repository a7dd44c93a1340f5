//! The theme: templates and static files, built into the binary and overridable file by file.
//!
//! As in mdBook, this repository's `templates/` and `static/` *are* the default theme: they are
//! embedded at compile time, so `hemasite` works anywhere with no theme folder at all. A site's
//! own `templates/` and `static/` folders override the default one file at a time: a site that
//! only wants another stylesheet ships just `static/style.css`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static DEFAULT_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Files of this repository's `static/` that belong to the demo site (HemaCare's logo), not to
/// the theme every site gets: the demo reads them from its folder, no other site has them.
const DEMO_ONLY: [&str; 1] = ["static/logo.svg"];

/// One file of the theme, from the site's folder or the built-in default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFile {
    pub contents: Cow<'static, [u8]>,
    /// Where the file came from, for error messages: a path, or `templates/x.html (built-in)`.
    pub origin: String,
}

impl ThemeFile {
    /// The contents as text; templates must be UTF-8.
    pub fn text(&self) -> Result<&str, String> {
        std::str::from_utf8(&self.contents)
            .map_err(|err| format!("{}: not UTF-8 text ({err})", self.origin))
    }
}

impl crate::diagnostics::Origins for BTreeMap<String, ThemeFile> {
    fn origin(&self, template: &str) -> Option<&str> {
        self.get(template).map(|file| file.origin.as_str())
    }
}

/// The templates and static files a site is built with.
#[derive(Debug, Clone)]
pub struct Theme {
    site_root: PathBuf,
}

impl Theme {
    pub fn new(site_root: &Path) -> Theme {
        Theme {
            site_root: site_root.to_path_buf(),
        }
    }

    /// The site folder whose `templates/` and `static/` override the built-in ones.
    pub fn site_root(&self) -> &Path {
        &self.site_root
    }

    /// Every template whose name (its path under `templates/`, with `/` separators) starts with
    /// `prefix`: the built-in ones, replaced or added to by the site's own.
    pub fn templates(&self, prefix: &str) -> io::Result<BTreeMap<String, ThemeFile>> {
        layered(&DEFAULT_TEMPLATES, "templates", &self.site_root, prefix)
    }

    /// Every static file, keyed by its path under `static/`.
    pub fn static_files(&self) -> io::Result<BTreeMap<String, ThemeFile>> {
        layered(&DEFAULT_STATIC, "static", &self.site_root, "")
    }

    /// One static file by name, e.g. `logo.svg`, reading no other.
    pub fn static_file(&self, name: &str) -> io::Result<Option<ThemeFile>> {
        Ok(layered(&DEFAULT_STATIC, "static", &self.site_root, name)?.remove(name))
    }

    /// One template by name, e.g. `pdf/quarterly-summary.md`.
    pub fn template(&self, name: &str) -> io::Result<Option<ThemeFile>> {
        Ok(self.templates(name)?.remove(name))
    }
}

fn layered(
    embedded: &Dir<'static>,
    folder: &str,
    site_root: &Path,
    prefix: &str,
) -> io::Result<BTreeMap<String, ThemeFile>> {
    let mut files = BTreeMap::new();
    collect_embedded(embedded, folder, prefix, &mut files);
    let site_folder = site_root.join(folder);
    if site_folder.is_dir() {
        let site = Site {
            root: site_root,
            folder: &site_folder,
        };
        collect_site(&site, &site_folder, prefix, &mut files)?;
    }
    Ok(files)
}

fn collect_embedded(
    dir: &Dir<'static>,
    folder: &str,
    prefix: &str,
    files: &mut BTreeMap<String, ThemeFile>,
) {
    for file in dir.files() {
        let name = slash_path(file.path());
        let demo_only = DEMO_ONLY.contains(&format!("{folder}/{name}").as_str());
        if name.starts_with(prefix) && !is_hidden(&name) && !demo_only {
            files.insert(
                name.clone(),
                ThemeFile {
                    contents: Cow::Borrowed(file.contents()),
                    origin: format!("{folder}/{name} (built-in)"),
                },
            );
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, folder, prefix, files);
    }
}

/// The site folder, and its `templates/` or `static/` being read.
struct Site<'a> {
    root: &'a Path,
    folder: &'a Path,
}

fn collect_site(
    site: &Site,
    dir: &Path,
    prefix: &str,
    files: &mut BTreeMap<String, ThemeFile>,
) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_symlink() {
            check_link(site.root, &path)?;
        }
        if entry.file_type()?.is_dir() {
            collect_site(site, &path, prefix, files)?;
            continue;
        }
        let Ok(relative) = path.strip_prefix(site.folder) else {
            continue;
        };
        let name = slash_path(relative);
        if name.starts_with(prefix) && !is_hidden(&name) {
            let contents = std::fs::read(&path)?;
            files.insert(
                name,
                ThemeFile {
                    contents: Cow::Owned(contents),
                    origin: path.display().to_string(),
                },
            );
        }
    }
    Ok(())
}

/// A symbolic link in the site's `templates/` or `static/` is read only when it is a file inside
/// the site folder: a file outside would be published, and a folder could loop.
pub(crate) fn check_link(site_root: &Path, link: &Path) -> io::Result<()> {
    let refuse = |why: String| {
        io::Error::other(format!(
            "{}: {why}; copy the file into the site instead",
            link.display()
        ))
    };
    let target = std::fs::canonicalize(link)
        .map_err(|err| refuse(format!("a symbolic link that cannot be followed ({err})")))?;
    let site = std::fs::canonicalize(site_root).unwrap_or_else(|_| site_root.to_path_buf());
    if !target.starts_with(&site) {
        return Err(refuse(format!(
            "a symbolic link to {}, outside the site folder",
            target.display()
        )));
    }
    if target.is_dir() {
        return Err(refuse(
            "a symbolic link to a folder, which hemasite does not follow".to_string(),
        ));
    }
    Ok(())
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Dot files (`.keep`, editor swap files) are never part of a theme.
fn is_hidden(name: &str) -> bool {
    name.split('/').any(|part| part.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_read_only_to_files_inside_the_site() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let static_dir = site.path().join("static");
        std::fs::create_dir_all(&static_dir).unwrap();
        std::fs::write(site.path().join("logo.svg"), "<svg/>").unwrap();
        std::os::unix::fs::symlink("../logo.svg", static_dir.join("logo.svg")).unwrap();
        let files = Theme::new(site.path()).static_files().unwrap();
        assert_eq!(files["logo.svg"].text().unwrap(), "<svg/>");

        std::fs::write(outside.path().join("passwd"), "root").unwrap();
        std::os::unix::fs::symlink(outside.path().join("passwd"), static_dir.join("leak.txt"))
            .unwrap();
        let err = Theme::new(site.path())
            .static_files()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("leak.txt") && err.contains("outside the site folder"),
            "{err}"
        );
        std::fs::remove_file(static_dir.join("leak.txt")).unwrap();

        std::os::unix::fs::symlink("..", static_dir.join("loop")).unwrap();
        let err = Theme::new(site.path())
            .static_files()
            .unwrap_err()
            .to_string();
        assert!(err.contains("a symbolic link to a folder"), "{err}");
    }

    #[test]
    fn site_files_override_and_extend_the_default() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("templates/pdf")).unwrap();
        std::fs::write(site.path().join("templates/pdf/extra.md"), "mine").unwrap();
        std::fs::write(site.path().join("templates/.swp"), "ignored").unwrap();
        let theme = Theme::new(site.path());
        let templates = theme.templates("pdf/").unwrap();
        let extra = &templates["pdf/extra.md"];
        assert_eq!(extra.text().unwrap(), "mine");
        assert!(extra.origin.ends_with("extra.md"));
        assert!(templates.keys().all(|name| name.starts_with("pdf/")));
        assert!(!theme.templates("").unwrap().contains_key(".swp"));
    }
}
