//! What an output is made from: declared once by its kind, hashed into its fingerprint, and
//! the only way its render reads the site.
//!
//! Each kind of output says which parts of the site it reads as [`Inputs`] (`site.yaml`, the
//! templates, the ledger, the summaries of some releases, one release's file, …). The build
//! hashes exactly those into the output's fingerprint ([`fingerprint`]), and gives the kind's
//! render a [`Reader`] that hands out exactly those: asking it for anything else is an error
//! naming the output, so a kind cannot show a thing without its fingerprint seeing it change.
//! What a kind holds itself (a heading, a page number, a template's name) is hashed too, since
//! every kind is `Hash` ([`Keyed`]); a kind names releases, events and pages by [`At`], which
//! hashes to nothing and opens only through the reader, so it cannot reach them undeclared.

pub mod at;

use std::collections::BTreeMap;
use std::hash::Hash;
use std::path::PathBuf;

use chrono::NaiveDate;
use tera::Tera;

pub use at::At;

use super::sources::{Catalog, LinkView, Sources};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::ledger::Ledger;
use crate::model::{Quarter, Release};
use crate::pdf::PdfRenderer;
use crate::pdf::summary::{Drawn, draws_on};
use crate::site::custom::CustomPage;
use crate::site::event::EventView;
use crate::site::fingerprint::{Fingerprint, FingerprintBuilder, hemasite};
use crate::site::leadership::{Leadership, leadership};
use crate::site::meta::ReleaseMeta;
use crate::site::sitemap::SitemapEntry;
use crate::site::summary::ReleaseSummary;

/// One kind of output: where its file goes, what it is made from, and how it is made.
pub trait Output: Keyed + Sync {
    /// What the output is called in messages (`"release page"`); its fingerprint starts with
    /// it, so that two kinds fed the same inputs still differ.
    fn name(&self) -> &'static str;

    /// Where the file goes, relative to the site root; made by [`crate::urls`].
    fn path(&self, catalog: &Catalog) -> String;

    /// Everything the output is made from besides the kind's own fields.
    fn inputs(&self) -> Inputs<'_>;

    /// Makes the file from what `reader` gives, which is [`Output::inputs`] and nothing else.
    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic>;

    /// Whether the output is a page the sitemap lists.
    fn in_sitemap(&self) -> bool {
        false
    }
}

/// What a kind holds itself, fed into its fingerprint: every kind is `Hash`, so nothing it
/// holds can be left out.
pub trait Keyed {
    fn key(&self, fingerprint: FingerprintBuilder) -> FingerprintBuilder;
}

impl<T: Hash> Keyed for T {
    fn key(&self, fingerprint: FingerprintBuilder) -> FingerprintBuilder {
        fingerprint.hashed(self)
    }
}

/// What an output makes: bytes, or a copy of an existing file.
pub enum Made {
    Bytes(Vec<u8>),
    CopyOf(PathBuf),
}

/// The fingerprint of `output`, whose file is `path`: its name, the path, what the kind holds
/// and every input it declares. When this is unchanged, so is the file.
pub fn fingerprint(output: &dyn Output, path: &str, sources: &Sources) -> Fingerprint {
    let fingerprint = output.key(Fingerprint::of(output.name()).text(path));
    output.inputs().hash(sources, fingerprint).finish()
}

/// Makes `output`'s file (at `path`) from its declared inputs.
pub fn render(output: &dyn Output, path: &str, sources: &Sources) -> Result<Made, Diagnostic> {
    output.render(&Reader {
        name: output.name(),
        path,
        inputs: output.inputs(),
        sources,
    })
}

/// Whether `output` is a PDF: it needs the PDF renderer.
pub fn is_pdf(output: &dyn Output) -> bool {
    output.inputs().pdf
}

/// Whether `output` is an HTML page: it is rendered with the HTML templates.
pub fn is_page(output: &dyn Output) -> bool {
    output.inputs().templates
}

/// What an output's path is made from: the only way from an [`At`] to what it names besides
/// the [`Reader`] (a path is in its output's fingerprint, so it may read anything).
impl<'a> Catalog<'a> {
    pub fn summary(&self, release: At<Release>) -> &'a ReleaseSummary {
        self.summaries[release.index]
    }

    pub fn meta(&self, release: At<Release>) -> &'a crate::site::meta::ReleaseMeta {
        &self.data.meta[release.index]
    }

    pub fn event(&self, event: At<EventView>) -> &EventView {
        &self.events[event.index]
    }

    pub fn page(&self, page: At<CustomPage>) -> &'a CustomPage {
        &self.data.pages[page.index]
    }
}

/// What an output reads of the site, declared by its kind: start from [`Inputs::none`] and
/// add each part.
#[derive(Clone, Copy, Default)]
pub struct Inputs<'a> {
    site: bool,
    templates: bool,
    pdf: bool,
    events: bool,
    people: bool,
    ledger: bool,
    navigation: bool,
    search: bool,
    filings: bool,
    sitemap: bool,
    listings: Listings<'a>,
    release: Option<At<Release>>,
    release_events: Option<At<Release>>,
    event: Option<At<EventView>>,
    page: Option<At<CustomPage>>,
    filing: Option<At<Release>>,
    quarter: Option<Quarter>,
}

/// Which releases' summaries an output shows.
#[derive(Clone, Copy, Default)]
enum Listings<'a> {
    #[default]
    None,
    /// The newest `n`.
    Latest(usize),
    These(&'a [At<Release>]),
    /// The neighbours of one: the newer and the older.
    Around(At<Release>),
}

impl<'a> Inputs<'a> {
    /// Nothing of the site: a static file is all in its kind.
    pub fn none() -> Inputs<'a> {
        Inputs::default()
    }

    /// `site.yaml`, the build's options (`today`, whether there are PDFs), the logo and
    /// hemasite itself.
    pub fn site(mut self) -> Inputs<'a> {
        self.site = true;
        self
    }

    /// The HTML templates, and the site's own pages in the navigation every page shows.
    pub fn templates(mut self) -> Inputs<'a> {
        self.templates = true;
        self
    }

    /// The PDF renderer: its templates, the fonts, `site.yaml` and the logo.
    pub fn pdf(mut self) -> Inputs<'a> {
        self.pdf = true;
        self
    }

    /// Every event of every release.
    pub fn events(mut self) -> Inputs<'a> {
        self.events = true;
        self
    }

    /// Every release's people and their roles: the leadership.
    pub fn people(mut self) -> Inputs<'a> {
        self.people = true;
        self
    }

    /// The ledger, and the quarterly summaries it makes.
    pub fn ledger(mut self) -> Inputs<'a> {
        self.ledger = true;
        self
    }

    /// The years and categories that have releases.
    pub fn navigation(mut self) -> Inputs<'a> {
        self.navigation = true;
        self
    }

    /// Every release's and page's whole file.
    pub fn search(mut self) -> Inputs<'a> {
        self.search = true;
        self
    }

    /// Every release's source facts (`source.*`).
    pub fn filings(mut self) -> Inputs<'a> {
        self.filings = true;
        self
    }

    /// Every page in the sitemap, with its day.
    pub fn sitemap(mut self) -> Inputs<'a> {
        self.sitemap = true;
        self
    }

    /// The summaries of the newest `count` releases.
    pub fn latest(mut self, count: usize) -> Inputs<'a> {
        self.listings = Listings::Latest(count);
        self
    }

    /// The summaries of `releases`.
    pub fn listed(mut self, releases: &'a [At<Release>]) -> Inputs<'a> {
        self.listings = Listings::These(releases);
        self
    }

    /// The summaries of the releases newer and older than `release`.
    pub fn neighbours(mut self, release: At<Release>) -> Inputs<'a> {
        self.listings = Listings::Around(release);
        self
    }

    /// A release's whole file.
    pub fn release(mut self, release: At<Release>) -> Inputs<'a> {
        self.release = Some(release);
        self
    }

    /// A release's events, with their ids (which other releases' events of the same day and
    /// title decide).
    pub fn release_events(mut self, release: At<Release>) -> Inputs<'a> {
        self.release_events = Some(release);
        self
    }

    /// One event.
    pub fn event(mut self, event: At<EventView>) -> Inputs<'a> {
        self.event = Some(event);
        self
    }

    /// One of the site's own pages, whole.
    pub fn custom_page(mut self, page: At<CustomPage>) -> Inputs<'a> {
        self.page = Some(page);
        self
    }

    /// A release's original filing in `content/raw/`, as it is on disk.
    pub fn filing(mut self, release: At<Release>) -> Inputs<'a> {
        self.filing = Some(release);
        self
    }

    /// What the summary of `quarter` draws on: the releases of the quarter or reporting it,
    /// and the events of the next ([`draws_on`]).
    pub fn quarter(mut self, quarter: Quarter) -> Inputs<'a> {
        self.quarter = Some(quarter);
        self
    }

    /// Feeds the fingerprint of every input declared into `fingerprint`, each under its own
    /// name so that no two sets of inputs feed the same.
    fn hash(&self, sources: &Sources, fingerprint: FingerprintBuilder) -> FingerprintBuilder {
        let globals = sources.globals;
        let catalog = sources.catalog;
        let meta = &catalog.data.meta;
        let shared = |fingerprint: FingerprintBuilder, declared: bool, name: &str, of| {
            if declared {
                fingerprint.text(name).fingerprint(of)
            } else {
                fingerprint
            }
        };
        let mut fingerprint = shared(fingerprint, self.site, "site", globals.site);
        if self.templates {
            fingerprint = fingerprint
                .text("templates")
                .fingerprint(globals.templates)
                .fingerprint(globals.nav);
        }
        fingerprint = shared(fingerprint, self.pdf, "pdf", globals.pdf);
        fingerprint = shared(fingerprint, self.events, "events", globals.events);
        fingerprint = shared(fingerprint, self.people, "people", globals.people);
        fingerprint = shared(fingerprint, self.ledger, "ledger", globals.ledger);
        fingerprint = shared(
            fingerprint,
            self.navigation,
            "navigation",
            globals.navigation,
        );
        fingerprint = shared(fingerprint, self.search, "search", globals.search);
        fingerprint = shared(fingerprint, self.filings, "filings", globals.filings);
        if self.sitemap {
            fingerprint = fingerprint.text("sitemap");
            for entry in sources.sitemap {
                fingerprint = fingerprint
                    .text(&entry.path)
                    .text(&entry.lastmod.map(|day| day.to_string()).unwrap_or_default());
            }
        }
        let listing = |at: At<Release>| meta.get(at.index).map(|meta| &meta.fingerprints.listing);
        fingerprint = match self.listings {
            Listings::None => fingerprint,
            Listings::Latest(count) => fingerprint.text("latest").fingerprints(
                meta[..count.min(meta.len())]
                    .iter()
                    .map(|meta| &meta.fingerprints.listing),
            ),
            Listings::These(releases) => fingerprint
                .text("listed")
                .fingerprints(releases.iter().filter_map(|&at| listing(at))),
            Listings::Around(at) => {
                let neighbour =
                    |at: Option<At<Release>>| at.and_then(listing).copied().unwrap_or_default();
                fingerprint
                    .text("neighbours")
                    .fingerprint(neighbour(at.before()))
                    .fingerprint(neighbour(Some(at.after())))
            }
        };
        if let Some(at) = self.release {
            fingerprint = fingerprint
                .text("release")
                .fingerprint(meta[at.index].fingerprints.file);
        }
        if let Some(at) = self.release_events {
            fingerprint = fingerprint
                .text("release events")
                .fingerprint(meta[at.index].fingerprints.events);
            for &event in &catalog.events_by_release[at.index] {
                fingerprint = fingerprint.text(&catalog.events[event].id);
            }
        }
        if let Some(at) = self.event {
            let event = &catalog.events[at.index];
            fingerprint = fingerprint
                .text("event")
                .text(&event.id)
                .fingerprint(meta[event.release_index].fingerprints.events);
        }
        if let Some(at) = self.page {
            fingerprint = fingerprint
                .text("custom page")
                .fingerprint(catalog.data.pages[at.index].fingerprint);
        }
        if let Some(at) = self.filing {
            fingerprint = filing(fingerprint.text("filing"), catalog, at);
        }
        if let Some(quarter) = self.quarter {
            fingerprint = drawn_on(fingerprint.text("quarter"), catalog, quarter);
        }
        fingerprint
    }
}

/// The original filing of a release as it is on disk (its path, size and time, and the
/// SHA-256 its release recorded), which document of it the release is, and hemasite itself,
/// which cuts that document out and sanitises it.
fn filing(
    fingerprint: FingerprintBuilder,
    catalog: &Catalog,
    at: At<Release>,
) -> FingerprintBuilder {
    let release = &catalog.data.releases[at.index];
    let source = &release.front.source;
    let path = catalog.data.meta[at.index].source.as_deref();
    match path.zip(path.and_then(|path| catalog.data.source_stamp(path))) {
        Some((path, (len, modified))) => fingerprint
            .text(&path.to_string_lossy())
            .text(&source.sha256)
            .number(len)
            .bytes(&modified.to_le_bytes())
            .hashed(&(&source.exhibit, &source.filename))
            .fingerprint(hemasite()),
        // Never kept: making it reports the error.
        None => fingerprint
            .text("missing")
            .fingerprint(Fingerprint::of("missing filing").finish()),
    }
}

/// What the summary of `quarter` shows of each release ([`draws_on`]).
fn drawn_on(
    mut fingerprint: FingerprintBuilder,
    catalog: &Catalog,
    quarter: Quarter,
) -> FingerprintBuilder {
    let data = catalog.data;
    for (release, meta) in data.releases.iter().zip(data.meta.iter()) {
        match draws_on(release, quarter, data.calendar) {
            Some(Drawn::Whole) => fingerprint = fingerprint.fingerprint(meta.fingerprints.file),
            Some(Drawn::Events) => fingerprint = fingerprint.fingerprint(meta.fingerprints.events),
            None => {}
        }
    }
    fingerprint
}

/// What an output's render may read: the inputs its kind declared, and nothing else.
pub struct Reader<'a> {
    name: &'static str,
    path: &'a str,
    inputs: Inputs<'a>,
    sources: &'a Sources<'a>,
}

impl<'a> Reader<'a> {
    /// Where the output's file goes.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// `Ok` when `declared`, else the error that the output read `what` undeclared.
    fn given(&self, declared: bool, what: &str) -> Result<(), Diagnostic> {
        if declared {
            Ok(())
        } else {
            Err(self.undeclared(what))
        }
    }

    /// The error that the output read `what` without declaring it.
    fn undeclared(&self, what: &str) -> Diagnostic {
        Diagnostic::general(format!(
            "internal error: the {} `{}` reads {what} without declaring it among its inputs, \
             so an incremental build would not see it change; this is a bug in hemasite \
             (src/site/kinds/): please report it",
            self.name, self.path
        ))
    }

    fn data(&self) -> &'a crate::site::data::SiteData {
        self.sources.catalog.data
    }

    pub fn config(&self) -> Result<&'a SiteConfig, Diagnostic> {
        self.given(self.inputs.site, "site.yaml")?;
        Ok(&self.data().config)
    }

    /// The day "upcoming" counts from.
    pub fn today(&self) -> Result<NaiveDate, Diagnostic> {
        self.given(self.inputs.site, "the day of the build")?;
        Ok(self.data().today)
    }

    /// Whether the site has PDFs.
    pub fn pdfs(&self) -> Result<bool, Diagnostic> {
        self.given(self.inputs.site, "whether the build makes PDFs")?;
        Ok(self.data().pdfs)
    }

    /// The HTML templates, with where each was read from (for error messages).
    pub fn templates(&self) -> Result<(&'a Tera, &'a BTreeMap<String, String>), Diagnostic> {
        self.given(self.inputs.templates, "the HTML templates")?;
        Ok((self.sources.engine, self.sources.origins))
    }

    pub fn pdf(&self) -> Result<&'a PdfRenderer, Diagnostic> {
        self.given(self.inputs.pdf, "the PDF templates")?;
        self.sources
            .pdf
            .as_deref()
            .ok_or_else(|| Diagnostic::general("internal error: the PDF renderer was not made"))
    }

    /// Every event, in the order of their start.
    pub fn events(&self) -> Result<&'a [EventView], Diagnostic> {
        self.given(self.inputs.events, "every event")?;
        Ok(&self.sources.catalog.events)
    }

    /// Who holds which role, from every release's people.
    pub fn leadership(&self) -> Result<&'a Leadership, Diagnostic> {
        self.given(self.inputs.people, "the releases' people")?;
        let catalog = self.sources.catalog;
        Ok(catalog
            .leadership
            .get_or_init(|| leadership(&catalog.data.releases)))
    }

    pub fn ledger(&self) -> Result<&'a Ledger, Diagnostic> {
        self.given(self.inputs.ledger, "the ledger")?;
        Ok(&self.data().ledger)
    }

    /// The quarterly summary PDFs, newest first (none when the build makes none).
    pub fn reports(&self) -> Result<&'a [LinkView], Diagnostic> {
        self.given(
            self.inputs.ledger && self.inputs.site,
            "the quarterly summaries (the ledger and whether there are PDFs)",
        )?;
        Ok(&self.sources.catalog.reports)
    }

    /// The years and the categories that have releases.
    pub fn navigation(
        &self,
    ) -> Result<
        (
            impl Iterator<Item = i32> + 'a,
            impl Iterator<Item = crate::model::Category> + 'a,
        ),
        Diagnostic,
    > {
        self.given(
            self.inputs.navigation,
            "the years and categories of the news",
        )?;
        let catalog = self.sources.catalog;
        Ok((
            catalog.years.iter().map(|(year, _)| *year),
            catalog.categories.iter().map(|(category, _)| *category),
        ))
    }

    /// Every release whole with what the build knows of it (its summary, its search terms),
    /// and every page of the site's own.
    #[allow(clippy::type_complexity)]
    pub fn everything(
        &self,
    ) -> Result<(&'a [Release], &'a [ReleaseMeta], &'a [CustomPage]), Diagnostic> {
        self.given(self.inputs.search, "every release and page whole")?;
        let data = self.data();
        Ok((&data.releases, &data.meta, &data.pages))
    }

    /// Every release, for its source facts.
    pub fn filings(&self) -> Result<&'a [Release], Diagnostic> {
        self.given(self.inputs.filings, "the releases' source facts")?;
        Ok(&self.data().releases)
    }

    pub fn sitemap(&self) -> Result<&'a [SitemapEntry], Diagnostic> {
        self.given(self.inputs.sitemap, "the sitemap's pages")?;
        Ok(self.sources.sitemap)
    }

    /// The summaries of the newest releases declared with [`Inputs::latest`].
    pub fn latest(&self) -> Result<&'a [&'a ReleaseSummary], Diagnostic> {
        let summaries = &self.sources.catalog.summaries;
        match self.inputs.listings {
            Listings::Latest(count) => Ok(&summaries[..count.min(summaries.len())]),
            _ => Err(self.undeclared("the newest releases")),
        }
    }

    /// The summaries of the releases declared with [`Inputs::listed`], in that order.
    pub fn listed(&self) -> Result<Vec<&'a ReleaseSummary>, Diagnostic> {
        let summaries = &self.sources.catalog.summaries;
        match self.inputs.listings {
            Listings::These(releases) => Ok(releases
                .iter()
                .filter_map(|at| summaries.get(at.index).copied())
                .collect()),
            _ => Err(self.undeclared("a list of releases")),
        }
    }

    /// The summaries of the newer and the older neighbour of `release`, declared with
    /// [`Inputs::neighbours`].
    #[allow(clippy::type_complexity)]
    pub fn neighbours(
        &self,
        release: At<Release>,
    ) -> Result<(Option<&'a ReleaseSummary>, Option<&'a ReleaseSummary>), Diagnostic> {
        let declared = matches!(self.inputs.listings, Listings::Around(at) if at == release);
        self.given(declared, "a release's neighbours")?;
        let summaries = &self.sources.catalog.summaries;
        let summary = |at: Option<At<Release>>| at.and_then(|at| summaries.get(at.index).copied());
        Ok((summary(release.before()), summary(Some(release.after()))))
    }

    /// A release's whole file.
    pub fn release(&self, release: At<Release>) -> Result<&'a Release, Diagnostic> {
        self.given(self.inputs.release == Some(release), "a release")?;
        Ok(&self.data().releases[release.index])
    }

    /// A release's events, in the order of their start.
    pub fn release_events(&self, release: At<Release>) -> Result<Vec<&'a EventView>, Diagnostic> {
        self.given(
            self.inputs.release_events == Some(release),
            "a release's events",
        )?;
        let catalog = self.sources.catalog;
        Ok(catalog.events_by_release[release.index]
            .iter()
            .map(|&event| &catalog.events[event])
            .collect())
    }

    pub fn event(&self, event: At<EventView>) -> Result<&'a EventView, Diagnostic> {
        self.given(self.inputs.event == Some(event), "an event")?;
        Ok(&self.sources.catalog.events[event.index])
    }

    /// A page of the site's own, with all of them (for the navigation item it is under).
    pub fn custom_page(
        &self,
        page: At<CustomPage>,
    ) -> Result<(&'a [CustomPage], usize), Diagnostic> {
        self.given(self.inputs.page == Some(page), "a page of the site's own")?;
        Ok((&self.data().pages, page.index))
    }

    /// A release (for its source facts) and its original filing, checked
    /// ([`crate::site::filing::checked_source`]).
    pub fn filing(&self, release: At<Release>) -> Result<(&'a Release, PathBuf), Diagnostic> {
        self.given(self.inputs.filing == Some(release), "a release's filing")?;
        let data = self.data();
        let source = crate::site::filing::checked_source(
            &data.releases[release.index],
            data.meta[release.index].source.as_deref(),
            &data.root,
        )?;
        Ok((&data.releases[release.index], source))
    }

    /// Every release the summary of `quarter` draws on ([`draws_on`]), in the site's order.
    pub fn quarter(&self, quarter: Quarter) -> Result<Vec<&'a Release>, Diagnostic> {
        self.given(self.inputs.quarter == Some(quarter), "a quarter's releases")?;
        let data = self.data();
        Ok(data
            .releases
            .iter()
            .filter(|release| draws_on(release, quarter, data.calendar).is_some())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::site::kinds::sources::Globals;
    use crate::site::{SiteData, fingerprint::Fingerprint};

    /// A kind that shows the ledger, declaring it or not.
    #[derive(Hash)]
    struct Figures {
        declared: bool,
        heading: String,
    }

    impl Output for Figures {
        fn name(&self) -> &'static str {
            "test figures"
        }

        fn path(&self, _: &Catalog) -> String {
            "figures.txt".to_string()
        }

        fn inputs(&self) -> Inputs<'_> {
            let inputs = Inputs::none().site();
            if self.declared {
                inputs.ledger()
            } else {
                inputs
            }
        }

        fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
            let ledger = reader.ledger()?;
            let quarters = ledger.quarter_periods_newest_first().len();
            let text = format!("{} of {quarters} quarters", self.heading);
            Ok(Made::Bytes(text.into_bytes()))
        }
    }

    fn data() -> SiteData {
        let config = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://example.com/\ncompany: { name: C, ticker: X }\n",
        )
        .unwrap();
        let ledger = Arc::new(Ledger::build(&[], &config));
        SiteData {
            project: crate::project::Project::from_parts(
                Path::new("."),
                config,
                Arc::default(),
                Vec::new(),
                ledger,
            ),
            today: NaiveDate::from_ymd_opt(2004, 1, 1).unwrap(),
            ledger_fingerprint: Fingerprint::default(),
            meta: Arc::default(),
            pdfs: false,
            pages: Arc::default(),
            logo: None,
            sources: Arc::default(),
        }
    }

    /// The shared fingerprints, each of its own name, and the ledger's `ledger`.
    fn globals(ledger: &str) -> Globals {
        let of = |name: &str| Fingerprint::of(name).finish();
        Globals {
            site: of("site"),
            templates: of("templates"),
            pdf: of("pdf"),
            search: of("search"),
            events: of("events"),
            people: of("people"),
            filings: of("filings"),
            ledger: of(ledger),
            navigation: of("navigation"),
            nav: of("nav"),
        }
    }

    /// Runs `check` with the sources of an empty site whose ledger fingerprint is `ledger`.
    fn with_sources<R>(ledger: &str, check: impl FnOnce(&Sources) -> R) -> R {
        let data = data();
        let catalog = Catalog::new(&data, Arc::default());
        let globals = globals(ledger);
        let engine = Tera::default();
        let sources = Sources {
            catalog: &catalog,
            globals: &globals,
            engine: &engine,
            origins: &BTreeMap::new(),
            sitemap: &[],
            pdf: None,
        };
        check(&sources)
    }

    fn figures(declared: bool, heading: &str) -> Figures {
        Figures {
            declared,
            heading: heading.to_string(),
        }
    }

    #[test]
    fn a_kind_that_reads_what_it_did_not_declare_gets_an_error_not_the_data() {
        with_sources("ledger", |sources| {
            let Err(err) = render(&figures(false, "Revenue"), "figures.txt", sources) else {
                panic!("the undeclared ledger was read");
            };
            assert!(
                err.message.contains(
                    "the test figures `figures.txt` reads the ledger without declaring it"
                ),
                "{}",
                err.message
            );
            let Ok(Made::Bytes(bytes)) = render(&figures(true, "Revenue"), "figures.txt", sources)
            else {
                panic!("the declared ledger was not given");
            };
            assert_eq!(bytes, b"Revenue of 0 quarters");
        });
    }

    #[test]
    fn the_fingerprint_is_made_of_the_declared_inputs_and_the_kinds_own_fields() {
        let print = |ledger: &str, kind: &Figures| {
            with_sources(ledger, |sources| fingerprint(kind, "figures.txt", sources))
        };
        let declared = figures(true, "Revenue");
        assert_eq!(print("ledger", &declared), print("ledger", &declared));
        // Declared: a new ledger is a new fingerprint.
        assert_ne!(print("ledger", &declared), print("new ledger", &declared));
        // Undeclared: the ledger is not in it (and the render cannot read it, above).
        let undeclared = figures(false, "Revenue");
        assert_eq!(
            print("ledger", &undeclared),
            print("new ledger", &undeclared)
        );
        // A field of the kind is in it without being listed anywhere.
        assert_ne!(
            print("ledger", &declared),
            print("ledger", &figures(true, "Net income"))
        );
        // So is the path.
        with_sources("ledger", |sources| {
            assert_ne!(
                fingerprint(&declared, "figures.txt", sources),
                fingerprint(&declared, "other.txt", sources)
            );
        });
    }

    #[test]
    fn a_release_is_named_by_its_place_which_is_in_no_fingerprint() {
        let place = |index| {
            Fingerprint::of("x")
                .hashed(&At::<Release>::new(index))
                .finish()
        };
        assert_eq!(place(0), place(1));
        with_sources("ledger", |sources| {
            let reader = Reader {
                name: "test page",
                path: "x.html",
                inputs: Inputs::none().release(At::new(0)),
                sources,
            };
            let err = reader.release(At::new(1)).unwrap_err();
            assert!(
                err.message.contains("reads a release without declaring it"),
                "{}",
                err.message
            );
            assert!(reader.neighbours(At::new(0)).is_err());
            assert!(reader.latest().is_err());
            assert!(reader.config().is_err());
        });
    }
}
