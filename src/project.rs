//! A site folder, loaded once: `site.yaml`, its fiscal calendar, the releases and the ledger
//! built from them, the way `MDBook::load` gives every mdBook command its book.
//!
//! `check` and `mail` take a [`Project`] loaded here; `build` and `serve` make theirs with the
//! site's incremental loader (which reads again only the releases that changed), so every
//! command sees the same four things made the same way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::ledger::Ledger;
use crate::model::{FiscalCalendar, Release};

/// Where a site's releases are, relative to its folder.
pub const RELEASES: &str = "content/releases";

/// A site folder's configuration and content.
#[derive(Debug, Clone)]
pub struct Project {
    /// The site folder.
    pub root: PathBuf,
    pub config: SiteConfig,
    /// `site.yaml`'s `fiscal_year_end`, read once.
    pub calendar: FiscalCalendar,
    /// The releases that could be read, in the order the caller keeps them (file-name order,
    /// which is date order, from [`Project::load`]).
    pub releases: Arc<Vec<Release>>,
    /// The release files that could not be read, each with its file and line.
    pub unreadable: Vec<Diagnostic>,
    /// Every figure of the releases by concept and period.
    pub ledger: Arc<Ledger>,
}

impl Project {
    /// Loads `site.yaml` and every release of the site folder `root`, and builds the ledger.
    /// A `site.yaml` that cannot be read is an error; releases that cannot be read are listed
    /// in [`Project::unreadable`], the others loaded.
    pub fn load(root: &Path) -> Result<Project, Diagnostic> {
        let config = SiteConfig::load(&site_path(root, "site.yaml"))?;
        let (releases, unreadable) = Release::load_dir(&site_path(root, RELEASES));
        let ledger = Arc::new(Ledger::build(&releases, &config));
        Ok(Project::from_parts(
            root,
            config,
            Arc::new(releases),
            unreadable,
            ledger,
        ))
    }

    /// A project from parts already loaded (the site's incremental loader); `ledger` must be
    /// the one built from `releases` and `config`.
    pub fn from_parts(
        root: &Path,
        config: SiteConfig,
        releases: Arc<Vec<Release>>,
        unreadable: Vec<Diagnostic>,
        ledger: Arc<Ledger>,
    ) -> Project {
        Project {
            root: root.to_path_buf(),
            calendar: config.fiscal_calendar(),
            config,
            releases,
            unreadable,
            ledger,
        }
    }

    /// A path inside the site folder, written the short way (`content/releases`, not
    /// `./content/releases`) when the site is the current folder, so that messages read cleanly.
    pub fn path(&self, relative: &str) -> PathBuf {
        site_path(&self.root, relative)
    }
}

fn site_path(root: &Path, relative: &str) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from(relative)
    } else {
        root.join(relative)
    }
}
