//! Watching the site's sources, and sorting the file system's reports into what needs a rebuild.
//!
//! `content/`, `templates/` and `static/` are watched recursively; the site folder itself only
//! flatly, for `site.yaml` and for one of those folders appearing (a site without `templates/`
//! that gets one), so that `public/`, `.hemasite/` (serve's own output) and anything else beside
//! them (a `target/` of thousands of folders) costs no watch at all.
//!
//! Reports come through a debouncer: an editor's save (write a temporary file, rename it over the
//! original, touch a backup) or a `git checkout` touching fifty files is one burst, and one burst
//! must be one rebuild. Not every report is a change, though: the build itself opens every source
//! (inotify reports opens) and hard-links the raw filings into the output (a new link count is
//! reported like a `touch`). [`Fingerprints`] tells those apart from real edits, or the site
//! would rebuild itself forever.
//!
//! Neither the watch nor [`Fingerprints`] follows a symbolic link to a folder: one pointing out
//! of the site would watch the whole disk, and one pointing up (`content/loop -> ..`) never ends.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{Config, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer_opt};

/// The folders whose files the site is built from.
pub const SOURCE_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How long a file must be quiet before its change is reported.
const DEBOUNCE: Duration = Duration::from_millis(100);

/// What the file system said about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Touch {
    /// Only its metadata changed: a `touch`, a `chmod`, or another hard link to it.
    Metadata,
    /// Created, written, removed or renamed.
    Content,
}

/// One burst of reports: every path, with the strongest thing said about it.
pub type Burst = BTreeMap<PathBuf, Touch>;

/// Adds a report to a burst; a content change outweighs a metadata one.
pub fn add(burst: &mut Burst, path: PathBuf, touch: Touch) {
    let strongest = burst.entry(path).or_insert(touch);
    *strongest = touch.max(*strongest);
}

/// The watches on a site folder; they end when it is dropped.
pub struct Watch {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl Watch {
    /// Starts watching `root`. Each burst reaches `on_change` with its paths under `root` as
    /// given (the watcher may report them under the folder's canonical path), or as the
    /// watcher's error. Opening a file for reading is not reported.
    pub fn start(
        root: &Path,
        on_change: impl Fn(Result<Burst, String>) + Send + 'static,
    ) -> Result<Watch, String> {
        let given = root.to_path_buf();
        let canonical = root.canonicalize().unwrap_or_else(|_| given.clone());
        let as_given = move |path: &Path| match path.strip_prefix(&canonical) {
            Ok(relative) => given.join(relative),
            Err(_) => path.to_path_buf(),
        };
        let handler = move |result: DebounceEventResult| {
            let burst = match result {
                Ok(events) => {
                    let mut burst = Burst::new();
                    for event in events {
                        let touch = match event.kind {
                            EventKind::Access(_) => continue,
                            EventKind::Modify(ModifyKind::Metadata(_)) => Touch::Metadata,
                            _ => Touch::Content,
                        };
                        for path in &event.paths {
                            add(&mut burst, as_given(path), touch);
                        }
                    }
                    Ok(burst)
                }
                Err(errors) => Err(errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")),
            };
            on_change(burst);
        };
        let config = Config::default().with_follow_symlinks(false);
        let debouncer = new_debouncer_opt(DEBOUNCE, None, handler, RecommendedCache::new(), config)
            .map_err(|err| format!("cannot watch the site's files for changes: {err}"))?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            debouncer,
        };
        watch
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|err| format!("{}: cannot watch the folder: {err}", root.display()))?;
        for folder in SOURCE_FOLDERS {
            watch.rewatch(&root.join(folder))?;
        }
        Ok(watch)
    }

    /// Watches a source folder (again) if it exists now: it may have been created, or deleted
    /// and made anew (which ends an inotify watch) since the last look.
    fn rewatch(&mut self, folder: &Path) -> Result<(), String> {
        let _ = self.debouncer.unwatch(folder);
        if !folder.is_dir() {
            return Ok(());
        }
        self.debouncer
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|err| {
                format!(
                    "{}: cannot watch the folder for changes: {err}; raise the inotify watch limit \
                     (sysctl fs.inotify.max_user_watches) or restart serve",
                    folder.display()
                )
            })
    }

    /// Watches again the source folders that a burst touched themselves (created, removed,
    /// renamed).
    pub fn refresh(&mut self, burst: &Burst) -> Result<(), String> {
        for folder in SOURCE_FOLDERS {
            let folder = self.root.join(folder);
            if burst.contains_key(&folder) {
                self.rewatch(&folder)?;
            }
        }
        Ok(())
    }
}

/// What a burst of changes means for the site.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Every changed source file or folder (the count in "Rebuilt … (3 files changed)").
    pub sources: BTreeSet<PathBuf>,
    /// Raw filings that are new or changed, to ingest before building.
    pub raw: Vec<PathBuf>,
}

impl Changes {
    /// Sorts the changed paths: sources of the site (`site.yaml` and what lies under the source
    /// folders) are kept, and among them the raw filings still there; editors' temporary and
    /// backup files, hidden files, and everything else in the site folder are dropped.
    pub fn of(root: &Path, paths: &BTreeSet<PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            if !is_source(relative) {
                continue;
            }
            if relative.starts_with("content/raw") && path.is_file() {
                changes.raw.push(path.clone());
            }
            changes.sources.insert(path.clone());
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

/// Whether a path (relative to the site folder) is one the site is built from.
fn is_source(relative: &Path) -> bool {
    let mut names = relative.iter().map(|name| name.to_string_lossy());
    let Some(first) = names.next() else {
        return false;
    };
    if first == "site.yaml" {
        return names.next().is_none();
    }
    SOURCE_FOLDERS.contains(&first.as_ref())
        && !relative
            .iter()
            .any(|name| is_scratch(&name.to_string_lossy()))
}

/// Files that editors and tools write beside the real ones and that the build never reads: hidden
/// files (vim's `.x.swp`, emacs' `.#x` lock, ingest's own `.x.md.tmp`), backups (`x~`), emacs'
/// `#x#`, vim's `4913` probe, and swap and temporary extensions.
pub fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".crswap"]
            .iter()
            .any(|extension| name.ends_with(extension))
}

/// A file's modification time and size: what a `touch` or an edit changes, and a new hard link
/// or a read does not.
type Fingerprint = (SystemTime, u64);

fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The last known state of every source file, to tell real changes from the reports that the
/// build and serve itself cause.
#[derive(Debug, Default)]
pub struct Fingerprints {
    known: BTreeMap<PathBuf, Option<Fingerprint>>,
    /// Files serve wrote itself (ingest's releases) whose reports have not come back yet.
    own_writes: BTreeSet<PathBuf>,
}

impl Fingerprints {
    /// The state of every file under the source folders now, before the first build.
    pub fn of_sources(root: &Path) -> Fingerprints {
        let mut fingerprints = Fingerprints::default();
        let mut folders: Vec<PathBuf> = SOURCE_FOLDERS.iter().map(|f| root.join(f)).collect();
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                // The entry's own type: a link to a folder is not a folder to descend into.
                if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                    folders.push(path);
                } else {
                    fingerprints.known.insert(path.clone(), fingerprint(&path));
                }
            }
        }
        fingerprints
    }

    /// Remembers files that serve has just written, so that their reports are not taken for the
    /// user's edits.
    pub fn record_own_writes(&mut self, paths: &[PathBuf]) {
        for path in paths {
            self.known.insert(path.clone(), fingerprint(path));
            self.own_writes.insert(path.clone());
        }
    }

    /// The paths of a burst that really changed: a metadata report (or the echo of serve's own
    /// write) for a file whose time and size are as last seen is dropped.
    pub fn real_changes(&mut self, burst: &Burst) -> BTreeSet<PathBuf> {
        let mut changed = BTreeSet::new();
        for (path, touch) in burst {
            let now = fingerprint(path);
            let before = self.known.insert(path.clone(), now);
            let own = self.own_writes.remove(path);
            let same = before == Some(now);
            if !(same && (*touch == Touch::Metadata || own)) {
                changed.insert(path.clone());
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(root: &Path, relative: &[&str]) -> Changes {
        let paths = relative.iter().map(|path| root.join(path)).collect();
        Changes::of(root, &paths)
    }

    #[test]
    fn only_the_sites_sources_count() {
        let root = Path::new("/site");
        let found = changes(
            root,
            &[
                "site.yaml",
                "content/releases/a.md",
                "templates/release.html",
                "static/style.css",
                "templates",
                "public/index.html",
                ".hemasite/serve/index.html",
                "target/debug/x",
                "README.md",
                "content/site.yaml",
            ],
        );
        let sources: Vec<_> = found
            .sources
            .iter()
            .map(|path| path.strip_prefix(root).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(
            sources,
            [
                "content/releases/a.md",
                "content/site.yaml",
                "site.yaml",
                "static/style.css",
                "templates",
                "templates/release.html",
            ]
        );
    }

    #[test]
    fn links_to_folders_are_not_followed_so_a_loop_ends() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("raw")).unwrap();
        std::fs::write(content.join("raw/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink("..", content.join("loop")).unwrap();
        std::os::unix::fs::symlink("/", content.join("root")).unwrap();
        let fingerprints = Fingerprints::of_sources(dir.path());
        assert_eq!(
            fingerprints.known.len(),
            3,
            "{:?}",
            fingerprints.known.keys()
        );
    }

    #[test]
    fn editors_scratch_files_are_ignored() {
        let root = Path::new("/site");
        for scratch in [
            "templates/.release.html.swp",
            "templates/release.html~",
            "templates/#release.html#",
            "templates/.#release.html",
            "templates/4913",
            "content/releases/.a.md.tmp",
            "content/.git/index",
            "static/style.css.crswap",
        ] {
            assert!(changes(root, &[scratch]).is_empty(), "{scratch} counted");
        }
    }

    #[test]
    fn raw_filings_are_those_still_there() {
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join("content/raw");
        std::fs::create_dir_all(&raw).unwrap();
        std::fs::write(raw.join("new.txt"), "x").unwrap();
        let found = changes(dir.path(), &["content/raw/new.txt", "content/raw/gone.txt"]);
        assert_eq!(found.raw, [raw.join("new.txt")]);
        assert_eq!(found.sources.len(), 2, "a removed filing is still a change");
    }

    #[test]
    fn a_new_link_or_a_read_is_no_change_but_a_touch_or_an_edit_is() {
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join("content/raw");
        std::fs::create_dir_all(&raw).unwrap();
        let filing = raw.join("a.txt");
        std::fs::write(&filing, "filing").unwrap();
        let mut fingerprints = Fingerprints::of_sources(dir.path());
        std::fs::hard_link(&filing, dir.path().join("link.txt")).unwrap();
        let metadata = Burst::from([(filing.clone(), Touch::Metadata)]);
        assert!(
            fingerprints.real_changes(&metadata).is_empty(),
            "a new link"
        );
        let file = std::fs::File::options().write(true).open(&filing).unwrap();
        let later =
            std::fs::metadata(&filing).unwrap().modified().unwrap() + Duration::from_secs(5);
        file.set_modified(later).unwrap();
        assert_eq!(
            fingerprints.real_changes(&metadata),
            BTreeSet::from([filing.clone()]),
            "a touch"
        );
        let content = Burst::from([(filing.clone(), Touch::Content)]);
        assert_eq!(
            fingerprints.real_changes(&content).len(),
            1,
            "a write, even of the same size"
        );
    }

    #[test]
    fn a_file_serve_wrote_is_an_echo_until_someone_else_changes_it() {
        let dir = tempfile::tempdir().unwrap();
        let release = dir.path().join("a.md");
        std::fs::write(&release, "ingest").unwrap();
        let mut fingerprints = Fingerprints::default();
        fingerprints.record_own_writes(std::slice::from_ref(&release));
        let other = dir.path().join("b.md");
        let burst = Burst::from([
            (release.clone(), Touch::Content),
            (other.clone(), Touch::Content),
        ]);
        assert_eq!(fingerprints.real_changes(&burst), BTreeSet::from([other]));
        let again = Burst::from([(release.clone(), Touch::Content)]);
        assert_eq!(
            fingerprints.real_changes(&again).len(),
            1,
            "an echo is dropped once only"
        );
    }
}
