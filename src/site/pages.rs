//! Which files the site has, and making them in parallel.
//!
//! [`render_site`] lists every output as a [`Job`] first (so that the sitemap knows all pages
//! before any is written), gives each the [`Fingerprint`] of what it is made from, keeps the
//! previous build's file wherever the fingerprint is unchanged, and renders the rest on rayon's
//! thread pool. Each job builds its own template context from the shared, read-only
//! [`Catalog`], so memory stays flat however many releases there are.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::data::SiteData;
use super::event::EventView;
use super::financials::{self, FinancialsView, KeyFigures};
use super::fingerprint::Fingerprint;
use super::leadership::{Leadership, leadership};
use super::output::{Entry, Manifest, Output};
use super::summary::ReleaseSummary;
use super::urls;
use super::views::{ReleaseView, SiteView, all_events};
use super::{calendar, content, custom, feeds, filings, search, sitemap};
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::ledger::export;
use crate::model::{Category, Quarter};
use crate::pdf::PdfRenderer;
use crate::progress::Progress;
use crate::theme::{Theme, ThemeFile};

/// Releases per news page: keeps every page light however long the history.
pub const PAGE_SIZE: usize = 20;

/// Latest releases on the home page.
pub const HOME_LATEST: usize = 6;

/// Past events shown on the events page; older ones stay on their releases' pages and in
/// `calendar.ics`, so that the page stays light after decades of conference calls.
pub const PAST_EVENTS: usize = 25;

/// What rendering the site did.
pub struct Rendered {
    /// Every file of the output that was kept or written. When rendering failed, the files
    /// made before the failure: with [`super::data::WriteMode::InPlace`] they are in the output.
    pub manifest: Manifest,
    pub pages: usize,
    pub pdfs: usize,
    /// The files made this time, in job order; the others were kept from the previous build.
    pub made: Vec<String>,
    pub error: Option<Diagnostic>,
}

/// What one build leaves for the next (`serve` builds again and again): the PDF renderer
/// (fonts and templates loaded) and every event of the site, each with the fingerprint of what
/// it was made from.
#[derive(Default)]
pub struct Caches {
    pdf: Option<(Fingerprint, Arc<PdfRenderer>)>,
    events: Option<(Fingerprint, Arc<Vec<EventView>>)>,
}

impl Caches {
    /// The PDF renderer, made only when some PDF has to be made.
    fn pdf(
        &mut self,
        data: &SiteData,
        fingerprint: Fingerprint,
    ) -> Result<Arc<PdfRenderer>, Diagnostic> {
        if let Some((known, renderer)) = &self.pdf
            && *known == fingerprint
        {
            return Ok(Arc::clone(renderer));
        }
        let renderer = PdfRenderer::new(&data.config, &Theme::new(&data.root))
            .map(Arc::new)
            .map_err(Diagnostic::from)?;
        self.pdf = Some((fingerprint, Arc::clone(&renderer)));
        Ok(renderer)
    }

    /// Every event of every release, in the order of their start.
    fn events(&mut self, data: &SiteData) -> Arc<Vec<EventView>> {
        // `today` decides which events are upcoming.
        let fingerprint = Fingerprint::of("events")
            .fingerprint(content::all(&data.meta, |release| release.events))
            .text(&data.today.to_string())
            .finish();
        match &self.events {
            Some((known, events)) if *known == fingerprint => Arc::clone(events),
            _ => {
                let events = Arc::new(all_events(data));
                self.events = Some((fingerprint, Arc::clone(&events)));
                events
            }
        }
    }
}

/// Makes every file of the site that changed since the build `output` holds, and keeps the
/// others.
pub fn render_site(
    data: &SiteData,
    output: &Output,
    caches: &mut Caches,
    progress: &dyn Progress,
) -> Result<Rendered, Diagnostic> {
    let theme = Theme::new(&data.root);
    let (engine, origins, templates) = engine(data, &theme)?;
    let catalog = Catalog::new(data, caches.events(data));
    let static_files = theme.static_files().map_err(|err| {
        Diagnostic::general(format!(
            "{}: cannot read the static files: {err}",
            data.root.join("static").display()
        ))
    })?;
    let jobs = jobs(data, &catalog, &static_files);
    let sitemap_entries: Vec<sitemap::SitemapEntry> = jobs
        .iter()
        .filter_map(|job| match job {
            Job::Page(page) if page.in_sitemap => Some(sitemap::SitemapEntry {
                path: page.url(),
                lastmod: page.lastmod,
            }),
            _ => None,
        })
        .collect();
    let globals = Globals::new(data, &catalog, &theme, templates, &static_files)?;
    let mut context = RunContext {
        data,
        catalog: &catalog,
        engine: &engine,
        origins: &origins,
        sitemap: &sitemap_entries,
        globals: &globals,
        pdf: None,
    };
    check_custom_pages(&context, &jobs)?;
    let fingerprinted = keep_unchanged(&context, &jobs, output);
    let pending: Vec<usize> = (0..jobs.len())
        .filter(|&i| fingerprinted[i].kept.is_none())
        .collect();
    if pending.iter().any(|&i| jobs[i].is_pdf()) {
        context.pdf = Some(caches.pdf(data, globals.pdf)?);
    }
    progress.start("Making pages and PDFs", pending.len());
    let made: Vec<Result<Entry, Diagnostic>> = pending
        .par_iter()
        .map(|&i| {
            let job = &fingerprinted[i];
            let entry = context.make(&jobs[i], &job.path, output, job.fingerprint);
            progress.advance(1);
            entry
        })
        .collect();
    progress.finish();
    let made_paths = pending
        .iter()
        .map(|&i| fingerprinted[i].path.clone())
        .collect();
    let (manifest, error) = manifest(fingerprinted, made);
    Ok(Rendered {
        manifest,
        pages: jobs
            .iter()
            .filter(|job| matches!(job, Job::Page(_)))
            .count(),
        pdfs: jobs.iter().filter(|job| job.is_pdf()).count(),
        made: made_paths,
        error,
    })
}

/// The site's own pages checked against everything else the site makes (see
/// [`custom::check`]), before anything is written.
fn check_custom_pages(context: &RunContext, jobs: &[Job]) -> Result<(), Diagnostic> {
    let data = context.data;
    if data.pages.is_empty() {
        return Ok(());
    }
    let paths: Vec<String> = jobs
        .iter()
        .filter(|job| {
            !matches!(
                job,
                Job::Page(PageJob {
                    kind: PageKind::Custom(_),
                    ..
                })
            )
        })
        .map(|job| context.path(job))
        .collect();
    let generated = paths.iter().map(String::as_str).collect();
    let templates = context.engine.get_template_names().collect();
    let errors = custom::check(&data.pages, &generated, &templates);
    if errors.is_empty() {
        return Ok(());
    }
    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    Err(Diagnostic::general(format!(
        "{}\nfix the pages above (in {}) and build again",
        errors.join("\n"),
        custom::FOLDER
    )))
}

/// A job's file, what it is made from, and its entry when the previous build's is kept.
struct Fingerprinted {
    path: String,
    fingerprint: Fingerprint,
    kept: Option<Entry>,
}

/// Fingerprints every job and keeps the previous build's file wherever it is unchanged.
fn keep_unchanged(context: &RunContext, jobs: &[Job], output: &Output) -> Vec<Fingerprinted> {
    jobs.par_iter()
        .map(|job| {
            let path = context.path(job);
            let fingerprint = context.fingerprint(job);
            let kept = output.keep(&path, fingerprint);
            Fingerprinted {
                path,
                fingerprint,
                kept,
            }
        })
        .collect()
}

/// The manifest of the files kept and made (`made` holds the results of the jobs not kept, in
/// order), and the first failure in job order, so that the same broken site always reports the
/// same.
fn manifest(
    fingerprinted: Vec<Fingerprinted>,
    made: Vec<Result<Entry, Diagnostic>>,
) -> (Manifest, Option<Diagnostic>) {
    let mut made = made.into_iter();
    let mut error = None;
    let mut files = Vec::with_capacity(fingerprinted.len());
    for job in fingerprinted {
        match job.kept.map(Ok).or_else(|| made.next()) {
            Some(Ok(entry)) => files.push((job.path, entry)),
            Some(Err(err)) => {
                error.get_or_insert(err);
            }
            None => {}
        }
    }
    (Manifest::from_entries(files), error)
}

/// Loads the site's HTML templates (top level and `partials/`; the PDF and mail templates
/// belong to their own stages) into a tera instance that escapes everything in `.html`.
/// Returns it with where each template came from (for error messages) and the fingerprint of
/// them all.
fn engine(
    data: &SiteData,
    theme: &Theme,
) -> Result<(Tera, BTreeMap<String, String>, Fingerprint), Diagnostic> {
    let templates = theme.templates("").map_err(|err| {
        Diagnostic::general(format!(
            "{}: cannot read the templates: {err}",
            data.root.join("templates").display()
        ))
    })?;
    let mut tera = Tera::new();
    let mut sources = Vec::new();
    let mut fingerprint = Fingerprint::of("html templates");
    for (name, file) in &templates {
        if !name.ends_with(".html") || name.starts_with("pdf/") || name.starts_with("email/") {
            continue;
        }
        let text = file.text().map_err(Diagnostic::general)?;
        fingerprint = fingerprint.text(name).text(text);
        sources.push((name.clone(), text.to_string(), file.origin.clone()));
    }
    tera.add_raw_templates(
        sources
            .iter()
            .map(|(name, text, _)| (name.as_str(), text.as_str())),
    )
    .map_err(|err| {
        Diagnostic::general(format!(
            "a template has an error: {}\nfix the template and build again",
            crate::diagnostics::template_error(&err, &templates)
        ))
    })?;
    tera.global_context().insert("site", &SiteView::new(data));
    let origins = sources
        .into_iter()
        .map(|(name, _, origin)| (name, origin))
        .collect();
    Ok((tera, origins, fingerprint.finish()))
}

/// The fingerprints most outputs share.
struct Globals {
    /// `site.yaml`, the build's options and hemasite itself.
    site: Fingerprint,
    /// The HTML templates.
    templates: Fingerprint,
    /// The PDF templates, the fonts, `site.yaml` and hemasite itself.
    pdf: Fingerprint,
    /// Every release's and page's whole file: the search index, which holds every word of the
    /// bodies.
    search: Fingerprint,
    /// Every release's events: the calendar, the events page.
    events: Fingerprint,
    /// Every release's people: the leadership page.
    people: Fingerprint,
    /// The ledger: every release's figures, with `site.yaml`'s fiscal year.
    ledger: Fingerprint,
    /// The years and categories every news page links to.
    navigation: Fingerprint,
    /// The site's own pages in the navigation, which every page shows.
    nav: Fingerprint,
}

impl Globals {
    fn new(
        data: &SiteData,
        catalog: &Catalog,
        theme: &Theme,
        templates: Fingerprint,
        static_files: &BTreeMap<String, ThemeFile>,
    ) -> Result<Globals, Diagnostic> {
        let config = serde_yaml::to_string(&data.config)
            .map_err(|err| Diagnostic::general(format!("cannot fingerprint site.yaml: {err}")))?;
        // The logo's file: its size is in every page's header, its picture in every PDF's.
        let logo = data
            .logo
            .as_ref()
            .and_then(|logo| static_files.get(&logo.path))
            .map(|file| Fingerprint::of("logo").bytes(&file.contents).finish())
            .unwrap_or_default();
        let site = Fingerprint::of("site")
            .fingerprint(super::fingerprint::hemasite())
            .fingerprint(logo)
            .text(&config)
            .text(&data.today.to_string())
            .number(u64::from(data.pdfs))
            .finish();
        let pdf_templates = theme.templates("pdf/").map_err(|err| {
            Diagnostic::general(format!(
                "{}: cannot read the PDF templates: {err}",
                data.root.join("templates/pdf").display()
            ))
        })?;
        let mut pdf = Fingerprint::of("pdf")
            .fingerprint(super::fingerprint::hemasite())
            .fingerprint(logo)
            .text(&config);
        for (name, file) in &pdf_templates {
            pdf = pdf.text(name).bytes(&file.contents);
        }
        for (name, file) in static_files.range("fonts/".to_string()..) {
            if !name.starts_with("fonts/") {
                break;
            }
            pdf = pdf.text(name).bytes(&file.contents);
        }
        let mut navigation = Fingerprint::of("navigation");
        for (year, _) in &catalog.years {
            navigation = navigation.number(*year as u64);
        }
        for (category, _) in &catalog.categories {
            navigation = navigation.text(category.slug());
        }
        Ok(Globals {
            site,
            templates,
            pdf: pdf.finish(),
            search: Fingerprint::of("search")
                .fingerprint(content::all(&data.meta, |release| release.file))
                .fingerprint(custom::all_fingerprint(&data.pages))
                .finish(),
            events: content::all(&data.meta, |release| release.events),
            people: content::all(&data.meta, |release| release.people),
            ledger: data.ledger_fingerprint,
            navigation: navigation.finish(),
            nav: custom::nav_fingerprint(&data.pages),
        })
    }
}

/// What every page shares, computed once.
struct Catalog<'a> {
    summaries: Vec<&'a ReleaseSummary>,
    events: Arc<Vec<EventView>>,
    /// For each release, the indices of its events in `events`.
    events_by_release: Vec<Vec<usize>>,
    /// Made when the leadership page is, since it reads every release.
    leadership: std::sync::OnceLock<Leadership>,
    years: Vec<(i32, Vec<usize>)>,
    categories: Vec<(Category, Vec<usize>)>,
    reports: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
struct LinkView {
    title: String,
    url: String,
    current: bool,
}

impl<'a> Catalog<'a> {
    fn new(data: &'a SiteData, events: Arc<Vec<EventView>>) -> Catalog<'a> {
        let summaries: Vec<&ReleaseSummary> = data.meta.iter().map(|meta| &meta.summary).collect();
        let mut events_by_release = vec![Vec::new(); data.releases.len()];
        for (index, event) in events.iter().enumerate() {
            events_by_release[event.release_index].push(index);
        }
        let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        let mut categories: BTreeMap<Category, Vec<usize>> = BTreeMap::new();
        for (index, summary) in summaries.iter().enumerate() {
            years.entry(summary.year).or_default().push(index);
            categories
                .entry(data.releases[index].front.category)
                .or_default()
                .push(index);
        }
        Catalog {
            summaries,
            events,
            events_by_release,
            leadership: std::sync::OnceLock::new(),
            years: years.into_iter().rev().collect(),
            categories: categories.into_iter().collect(),
            reports: reports(data),
        }
    }
}

/// The quarterly summary PDFs of the site, newest first: none when the build makes no PDFs.
fn reports(data: &SiteData) -> Vec<LinkView> {
    if !data.pdfs {
        return Vec::new();
    }
    summary_quarters(data)
        .into_iter()
        .rev()
        .map(|quarter| LinkView {
            title: format!("{} summary (PDF)", quarter.long_name()),
            url: urls::summary_pdf(quarter),
            current: false,
        })
        .collect()
}

/// Every quarter a release reports results for, oldest first: each has a summary PDF.
fn summary_quarters(data: &SiteData) -> Vec<Quarter> {
    let mut quarters: Vec<Quarter> = data
        .releases
        .iter()
        .filter_map(|release| release.front.financials.as_ref())
        .filter_map(|financials| Quarter::parse(&financials.fiscal_period))
        .collect();
    quarters.sort();
    quarters.dedup();
    quarters
}

/// One output of the build.
enum Job<'a> {
    Page(PageJob),
    Static(&'a str, &'a ThemeFile),
    Filing(usize),
    EventCalendar(usize),
    /// A file every release may change: `calendar.ics`, the feeds, the sitemap, …
    Listing(Listing),
    Robots,
    SummaryPdf(Quarter),
    ReleasePdf(usize),
}

#[derive(Clone, Copy)]
enum Listing {
    Calendar,
    Atom,
    Rss,
    Sitemap,
    SearchIndex,
    FinancialsCsv,
    FinancialsJson,
}

impl Listing {
    const ALL: [Listing; 7] = [
        Listing::Calendar,
        Listing::Atom,
        Listing::Rss,
        Listing::Sitemap,
        Listing::SearchIndex,
        Listing::FinancialsCsv,
        Listing::FinancialsJson,
    ];

    fn path(self) -> &'static str {
        match self {
            Listing::Calendar => "calendar.ics",
            Listing::Atom => "feed.xml",
            Listing::Rss => "rss.xml",
            Listing::Sitemap => "sitemap.xml",
            Listing::SearchIndex => "search-index.json",
            Listing::FinancialsCsv => financials::CSV_PATH,
            Listing::FinancialsJson => financials::JSON_PATH,
        }
    }
}

impl Job<'_> {
    fn is_pdf(&self) -> bool {
        matches!(self, Job::SummaryPdf(_) | Job::ReleasePdf(_))
    }
}

struct PageJob {
    /// Where the page is written, relative to the site root (`news/2003/index.html`).
    path: String,
    template: String,
    kind: PageKind,
    lastmod: Option<NaiveDate>,
    in_sitemap: bool,
}

impl PageJob {
    /// The page's URL relative to the site root: `news/2003/` for `news/2003/index.html`.
    fn url(&self) -> String {
        self.path
            .strip_suffix("index.html")
            .unwrap_or(&self.path)
            .to_string()
    }

    /// `../../` for `releases/x/index.html`: what makes links work at any base path.
    fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }
}

enum PageKind {
    Home,
    News(ListPage),
    Release(usize),
    Events,
    Financials,
    Leadership,
    /// The SEC filings page: [`filings`].
    Filings,
    /// A page of the site's own, by its index in [`SiteData::pages`]: [`custom`].
    Custom(usize),
    NotFound,
}

/// One page of a release list: all news, a year, or a category.
struct ListPage {
    heading: String,
    filter: ListFilter,
    /// Folder of the list's first page, relative to the site root (`news/2003/`).
    folder: String,
    releases: Vec<usize>,
    number: usize,
    count: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ListFilter {
    All,
    Year(i32),
    Category(Category),
}

fn jobs<'a>(
    data: &SiteData,
    catalog: &Catalog,
    static_files: &'a BTreeMap<String, ThemeFile>,
) -> Vec<Job<'a>> {
    let newest = data.releases.first().map(|release| release.front.date);
    let page = |path: String, template: &str, kind, lastmod| {
        Job::Page(PageJob {
            path,
            template: template.to_string(),
            kind,
            lastmod,
            in_sitemap: true,
        })
    };
    let mut jobs = vec![page(
        "index.html".into(),
        "index.html",
        PageKind::Home,
        newest,
    )];
    let all: Vec<usize> = (0..data.releases.len()).collect();
    list_pages(
        &mut jobs,
        "News".into(),
        ListFilter::All,
        urls::NEWS.into(),
        &all,
        newest,
    );
    for (year, releases) in &catalog.years {
        let lastmod = releases.first().map(|&i| data.releases[i].front.date);
        let folder = urls::news_year(*year);
        list_pages(
            &mut jobs,
            format!("News from {year}"),
            ListFilter::Year(*year),
            folder,
            releases,
            lastmod,
        );
    }
    for (category, releases) in &catalog.categories {
        let lastmod = releases.first().map(|&i| data.releases[i].front.date);
        let folder = urls::news_category(*category);
        list_pages(
            &mut jobs,
            category.label().to_string(),
            ListFilter::Category(*category),
            folder,
            releases,
            lastmod,
        );
    }
    for (index, release) in data.releases.iter().enumerate() {
        let path = format!("{}index.html", urls::release(release));
        jobs.push(page(
            path,
            "release.html",
            PageKind::Release(index),
            Some(release.front.date),
        ));
        jobs.push(Job::Filing(index));
    }
    jobs.push(page(
        "financials/index.html".into(),
        "financials.html",
        PageKind::Financials,
        newest,
    ));
    jobs.push(page(
        "events/index.html".into(),
        "events.html",
        PageKind::Events,
        newest,
    ));
    jobs.push(page(
        "leadership/index.html".into(),
        "leadership.html",
        PageKind::Leadership,
        newest,
    ));
    jobs.push(page(
        filings::PATH.into(),
        "filings.html",
        PageKind::Filings,
        newest,
    ));
    for (index, own) in data.pages.iter().enumerate() {
        jobs.push(page(
            own.output_path(),
            own.template(),
            PageKind::Custom(index),
            None,
        ));
    }
    jobs.push(Job::Page(PageJob {
        path: "404.html".into(),
        template: "404.html".into(),
        kind: PageKind::NotFound,
        lastmod: None,
        in_sitemap: false,
    }));
    jobs.extend((0..catalog.events.len()).map(Job::EventCalendar));
    jobs.extend(
        static_files
            .iter()
            .map(|(name, file)| Job::Static(name, file)),
    );
    jobs.extend(Listing::ALL.map(Job::Listing));
    jobs.push(Job::Robots);
    if data.pdfs {
        jobs.extend(summary_quarters(data).into_iter().map(Job::SummaryPdf));
        jobs.extend((0..data.releases.len()).map(Job::ReleasePdf));
    }
    jobs
}

/// Splits a release list into pages of [`PAGE_SIZE`].
fn list_pages(
    jobs: &mut Vec<Job>,
    heading: String,
    filter: ListFilter,
    folder: String,
    releases: &[usize],
    lastmod: Option<NaiveDate>,
) {
    let count = releases.len().div_ceil(PAGE_SIZE).max(1);
    for number in 1..=count {
        let start = (number - 1) * PAGE_SIZE;
        let end = (start + PAGE_SIZE).min(releases.len());
        let path = format!("{}index.html", urls::list_page(&folder, number));
        jobs.push(Job::Page(PageJob {
            path,
            template: "news.html".into(),
            kind: PageKind::News(ListPage {
                heading: heading.clone(),
                filter,
                folder: folder.clone(),
                releases: releases[start..end].to_vec(),
                number,
                count,
            }),
            lastmod,
            in_sitemap: true,
        }));
    }
}

struct RunContext<'a> {
    data: &'a SiteData,
    catalog: &'a Catalog<'a>,
    engine: &'a Tera,
    /// Where each template was read from, for error messages.
    origins: &'a BTreeMap<String, String>,
    sitemap: &'a [sitemap::SitemapEntry],
    globals: &'a Globals,
    /// Set when some PDF has to be made.
    pdf: Option<Arc<PdfRenderer>>,
}

/// What a job makes: bytes, or a copy of an existing file.
enum Made {
    Bytes(Vec<u8>),
    CopyOf(std::path::PathBuf),
}

impl RunContext<'_> {
    /// Where the job's file goes, relative to the site root.
    fn path(&self, job: &Job) -> String {
        let (data, catalog) = (self.data, self.catalog);
        match job {
            Job::Page(page) => page.path.clone(),
            Job::Static(name, _) => name.to_string(),
            Job::Filing(index) => data.meta[*index].filing.clone(),
            Job::EventCalendar(index) => catalog.events[*index].ics.clone(),
            Job::Listing(listing) => listing.path().to_string(),
            Job::Robots => "robots.txt".to_string(),
            Job::SummaryPdf(quarter) => urls::summary_pdf(*quarter),
            Job::ReleasePdf(index) => urls::release_pdf(&data.releases[*index].slug),
        }
    }

    /// Everything the job's file is made from. When this is unchanged, so is the file.
    fn fingerprint(&self, job: &Job) -> Fingerprint {
        let (data, globals) = (self.data, self.globals);
        let release = |index: usize| data.meta[index].fingerprints;
        let of_site = |kind: &str| Fingerprint::of(kind).fingerprint(globals.site);
        match job {
            Job::Page(page) => self.page_fingerprint(page),
            Job::Static(name, file) => Fingerprint::of("static")
                .text(name)
                .bytes(&file.contents)
                .finish(),
            Job::Filing(index) => {
                let source = data.meta[*index].source.as_deref();
                match source.zip(source.and_then(|source| data.source_stamp(source))) {
                    Some((source, (len, modified))) => Fingerprint::of("filing")
                        .text(&source.to_string_lossy())
                        .text(&data.releases[*index].front.source.sha256)
                        .number(len)
                        .bytes(&modified.to_le_bytes())
                        .finish(),
                    // Never kept: making it reports the error.
                    None => Fingerprint::of("missing filing").finish(),
                }
            }
            Job::EventCalendar(index) => {
                let event = &self.catalog.events[*index];
                of_site("event")
                    .text(&event.id)
                    .fingerprint(release(event.release_index).events)
                    .finish()
            }
            Job::Listing(listing @ (Listing::Atom | Listing::Rss)) => of_site(listing.path())
                .fingerprints(self.listings(0..feeds::FEED_LENGTH).iter())
                .finish(),
            Job::Listing(Listing::Calendar) => {
                of_site("calendar").fingerprint(globals.events).finish()
            }
            Job::Listing(Listing::Sitemap) => {
                let mut fingerprint = of_site("sitemap");
                for entry in self.sitemap {
                    fingerprint = fingerprint
                        .text(&entry.path)
                        .text(&entry.lastmod.map(|day| day.to_string()).unwrap_or_default());
                }
                fingerprint.finish()
            }
            Job::Listing(Listing::SearchIndex) => {
                of_site("search").fingerprint(globals.search).finish()
            }
            Job::Listing(listing @ (Listing::FinancialsCsv | Listing::FinancialsJson)) => {
                of_site(listing.path()).fingerprint(globals.ledger).finish()
            }
            Job::Robots => of_site("robots").finish(),
            Job::SummaryPdf(quarter) => self.summary_fingerprint(*quarter),
            Job::ReleasePdf(index) => Fingerprint::of("release pdf")
                .fingerprint(globals.pdf)
                .fingerprint(release(*index).file)
                .finish(),
        }
    }

    /// The listing fingerprints of the releases at `range` of the list (newest first), for the
    /// pages and feeds that show the latest few.
    fn listings(&self, range: std::ops::Range<usize>) -> Vec<Fingerprint> {
        let meta = &self.data.meta;
        meta[range.start.min(meta.len())..range.end.min(meta.len())]
            .iter()
            .map(|meta| meta.fingerprints.listing)
            .collect()
    }

    fn page_fingerprint(&self, page: &PageJob) -> Fingerprint {
        let (data, globals) = (self.data, self.globals);
        let fingerprint = Fingerprint::of("page")
            .fingerprint(globals.site)
            .fingerprint(globals.templates)
            .fingerprint(globals.nav)
            .text(&page.path)
            .text(&page.template);
        match &page.kind {
            PageKind::Home => fingerprint
                .fingerprints(self.listings(0..HOME_LATEST).iter())
                .fingerprint(globals.events)
                .fingerprint(globals.ledger),
            PageKind::Events => fingerprint.fingerprint(globals.events),
            PageKind::Financials => fingerprint.fingerprint(globals.ledger),
            PageKind::Leadership => fingerprint.fingerprint(globals.people),
            PageKind::NotFound => fingerprint,
            PageKind::Filings => fingerprint.fingerprint(filings::fingerprint(data)),
            PageKind::Custom(index) => fingerprint.fingerprint(data.pages[*index].fingerprint),
            PageKind::News(list) => fingerprint
                .fingerprint(globals.navigation)
                .text(&list.heading)
                .text(&list.folder)
                .number(list.number as u64)
                .number(list.count as u64)
                .fingerprints(
                    list.releases
                        .iter()
                        .map(|&index| &data.meta[index].fingerprints.listing),
                ),
            PageKind::Release(index) => {
                // The page shows its neighbours' summaries, and its events' ids, which depend on
                // other releases' events of the same day and title.
                let neighbour = |index: Option<usize>| {
                    index
                        .and_then(|index| data.meta.get(index))
                        .map(|meta| meta.fingerprints.listing)
                        .unwrap_or_default()
                };
                let mut fingerprint = fingerprint
                    .fingerprint(data.meta[*index].fingerprints.file)
                    .fingerprint(neighbour(index.checked_sub(1)))
                    .fingerprint(neighbour(Some(index + 1)));
                for &event in &self.catalog.events_by_release[*index] {
                    fingerprint = fingerprint.text(&self.catalog.events[event].id);
                }
                fingerprint
            }
        }
        .finish()
    }

    /// A quarterly summary shows the ledger (its key figures and chart), the results release
    /// of the quarter, the quarter's other news, and the events of the next quarter.
    fn summary_fingerprint(&self, quarter: Quarter) -> Fingerprint {
        let calendar = self.data.ledger.calendar;
        let quarter_of = |day: NaiveDate| calendar.quarter_of(day);
        let name = quarter.to_string();
        let mut fingerprint = Fingerprint::of("summary")
            .fingerprint(self.globals.pdf)
            .fingerprint(self.globals.ledger)
            .text(&name);
        for (release, meta) in self.data.releases.iter().zip(self.data.meta.iter()) {
            let front = &release.front;
            let reports_quarter = front
                .financials
                .as_ref()
                .is_some_and(|financials| financials.fiscal_period == name);
            if reports_quarter || quarter_of(front.date) == quarter {
                fingerprint = fingerprint.fingerprint(meta.fingerprints.file);
            }
            if front
                .events
                .iter()
                .any(|event| quarter_of(event.start.day()) == quarter.next())
            {
                fingerprint = fingerprint.fingerprint(meta.fingerprints.events);
            }
        }
        fingerprint.finish()
    }

    /// Makes the job's file and writes it.
    fn make(
        &self,
        job: &Job,
        path: &str,
        output: &Output,
        fingerprint: Fingerprint,
    ) -> Result<Entry, Diagnostic> {
        match self.render(job)? {
            Made::Bytes(bytes) => output.write(path, &bytes, fingerprint),
            Made::CopyOf(source) => output.link_or_copy(&source, path, fingerprint),
        }
    }

    fn render(&self, job: &Job) -> Result<Made, Diagnostic> {
        let (data, catalog) = (self.data, self.catalog);
        let text = |text: String| Ok(Made::Bytes(text.into_bytes()));
        match job {
            Job::Page(page) => self.render_page(page).map(Made::Bytes),
            Job::Static(_, file) => Ok(Made::Bytes(file.contents.to_vec())),
            Job::Filing(index) => self.filing(*index),
            Job::EventCalendar(index) => text(calendar::single(data, &catalog.events[*index])),
            Job::Listing(Listing::Calendar) => text(calendar::calendar(data, &catalog.events)),
            Job::Listing(Listing::Atom) => text(feeds::atom(data, &catalog.summaries)),
            Job::Listing(Listing::Rss) => text(feeds::rss(data, &catalog.summaries)),
            Job::Listing(Listing::Sitemap) => text(sitemap::sitemap(data, self.sitemap)),
            Job::Listing(Listing::SearchIndex) => Ok(Made::Bytes(search::index(
                &data.releases,
                &data.meta,
                &data.pages,
            ))),
            Job::Listing(Listing::FinancialsCsv) => text(export::csv(&data.ledger)),
            Job::Listing(Listing::FinancialsJson) => text(export::json(&data.ledger)),
            Job::Robots => text(sitemap::robots(data)),
            Job::SummaryPdf(quarter) => self.pdf(|renderer| {
                renderer.quarterly_summary_from(*quarter, &data.releases, &data.ledger)
            }),
            Job::ReleasePdf(index) => {
                let release = &data.releases[*index];
                crate::pdf::fiscal_quarter(release).map_err(Diagnostic::from)?;
                self.pdf(|renderer| renderer.release(release))
            }
        }
    }

    fn pdf(
        &self,
        render: impl FnOnce(&PdfRenderer) -> Result<Vec<u8>, crate::pdf::PdfError>,
    ) -> Result<Made, Diagnostic> {
        let renderer = self
            .pdf
            .as_ref()
            .ok_or_else(|| Diagnostic::general("internal: the PDF renderer was not made"))?;
        render(renderer).map(Made::Bytes).map_err(Diagnostic::from)
    }

    /// The filing as the release page links to it: the raw file itself for a bare text exhibit,
    /// else the release's own document cut out of its submission, sanitised when it is HTML.
    fn filing(&self, index: usize) -> Result<Made, Diagnostic> {
        let path = self.filing_source(index)?;
        let release = &self.data.releases[index];
        if super::views::filing_is_copied_whole(release) {
            return Ok(Made::CopyOf(path));
        }
        let bytes = std::fs::read(&path).map_err(|err| {
            Diagnostic::general(format!("{}: cannot read the filing: {err}", path.display()))
        })?;
        let source = &release.front.source;
        crate::ingest::source::as_filed(&bytes, source.exhibit.as_deref(), source.filename.as_deref())
            .map(|copy| Made::Bytes(copy.bytes))
            .ok_or_else(|| {
                Diagnostic::general(format!(
                    "{}: the filing holds no document {} named in {}; run `hemasite ingest --force` to read it again",
                    path.display(),
                    source.filename.as_deref().or(source.exhibit.as_deref()).unwrap_or("?"),
                    release.path.display()
                ))
            })
    }

    /// `content/<source.file>`, the original filing, copied beside the release page so that
    /// every figure can be checked against the filing it came from; checked first
    /// ([`super::filing::checked_source`]).
    fn filing_source(&self, index: usize) -> Result<std::path::PathBuf, Diagnostic> {
        super::filing::checked_source(
            &self.data.releases[index],
            self.data.meta[index].source.as_deref(),
            &self.data.root,
        )
    }

    fn render_page(&self, page: &PageJob) -> Result<Vec<u8>, Diagnostic> {
        let mut context = Context::new();
        let root = match page.kind {
            // The 404 page is served at any depth, so its links start from the base path.
            PageKind::NotFound => self.data.config.base_path(),
            _ => page.root(),
        };
        context.insert("root", &root);
        if page.in_sitemap {
            context.insert("canonical", &self.data.absolute_url(&page.url()));
        }
        self.fill(&mut context, page);
        let html = self
            .engine
            .render(&page.template, &context)
            .map_err(|err| {
                Diagnostic::general(format!(
                    "cannot render {} with template `{}`: {}\nfix the template and build again",
                    page.path,
                    page.template,
                    crate::diagnostics::template_error(&err, self.origins)
                ))
            })?;
        Ok(html.into_bytes())
    }

    /// Adds what the page's template needs to its context.
    fn fill(&self, context: &mut Context, page: &PageJob) {
        let (data, catalog) = (self.data, self.catalog);
        match &page.kind {
            PageKind::Home => {
                context.insert("section", "");
                context.insert("page_title", &data.config.title);
                let latest = &catalog.summaries[..HOME_LATEST.min(catalog.summaries.len())];
                context.insert("latest", &latest);
                let upcoming: Vec<&EventView> = catalog
                    .events
                    .iter()
                    .filter(|e| e.upcoming)
                    .take(4)
                    .collect();
                let recent: Vec<&EventView> = catalog
                    .events
                    .iter()
                    .rev()
                    .filter(|e| !e.upcoming)
                    .take(3)
                    .collect();
                context.insert("upcoming", &upcoming);
                context.insert("recent", &recent);
                context.insert("reports", &catalog.reports);
                context.insert("key_figures", &KeyFigures::new(data));
            }
            PageKind::News(list) => {
                context.insert("section", "news/");
                let title = if list.number > 1 {
                    format!("{} \u{2013} page {}", list.heading, list.number)
                } else {
                    list.heading.clone()
                };
                context.insert("page_title", &title);
                context.insert("heading", &list.heading);
                let releases: Vec<&ReleaseSummary> = list
                    .releases
                    .iter()
                    .map(|&i| catalog.summaries[i])
                    .collect();
                context.insert("releases", &releases);
                context.insert("pagination", &pagination(list));
                context.insert("years", &self.year_links(list.filter));
                context.insert("categories", &self.category_links(list.filter));
                context.insert("all_current", &(list.filter == ListFilter::All));
            }
            PageKind::Release(index) => {
                context.insert("section", "news/");
                let view = ReleaseView::new(data, *index);
                context.insert("page_title", &view.summary.title);
                // A printable PDF of the release, when the build makes PDFs.
                if data.pdfs {
                    context.insert("release_pdf", &urls::release_pdf(&view.summary.slug));
                }
                context.insert("release", &view);
                let events: Vec<&EventView> = catalog.events_by_release[*index]
                    .iter()
                    .map(|&i| &catalog.events[i])
                    .collect();
                context.insert("events", &events);
            }
            PageKind::Events => {
                context.insert("section", "events/");
                context.insert("page_title", "Events");
                let upcoming: Vec<&EventView> =
                    catalog.events.iter().filter(|e| e.upcoming).collect();
                let past: Vec<&EventView> = catalog
                    .events
                    .iter()
                    .rev()
                    .filter(|e| !e.upcoming)
                    .collect();
                let (shown, earlier) = past.split_at(PAST_EVENTS.min(past.len()));
                context.insert("upcoming", &upcoming);
                context.insert("past", shown);
                context.insert("earlier_events", &earlier.len());
                context.insert("today", &format::long_date(data.today));
            }
            PageKind::Financials => {
                context.insert("section", "financials/");
                context.insert("page_title", "Financials");
                context.insert("financials", &FinancialsView::new(data));
            }
            PageKind::Leadership => {
                context.insert("section", "leadership/");
                context.insert("page_title", "Leadership");
                context.insert(
                    "leadership",
                    catalog.leadership.get_or_init(|| leadership(data)),
                );
            }
            PageKind::Filings => filings::fill(context, data),
            PageKind::Custom(index) => custom::fill(context, &data.pages, *index, &page.root()),
            PageKind::NotFound => {
                // No navigation item is the current page: "Overview" is not where the reader is.
                context.insert("section", "404");
                context.insert("page_title", "Page not found");
            }
        }
    }

    fn year_links(&self, filter: ListFilter) -> Vec<LinkView> {
        self.catalog
            .years
            .iter()
            .map(|(year, _)| LinkView {
                title: year.to_string(),
                url: urls::news_year(*year),
                current: filter == ListFilter::Year(*year),
            })
            .collect()
    }

    fn category_links(&self, filter: ListFilter) -> Vec<LinkView> {
        self.catalog
            .categories
            .iter()
            .map(|(category, _)| LinkView {
                title: category.label().to_string(),
                url: urls::news_category(*category),
                current: filter == ListFilter::Category(*category),
            })
            .collect()
    }
}

#[derive(Debug, Serialize)]
struct Pagination {
    number: usize,
    count: usize,
    newer: Option<String>,
    older: Option<String>,
}

fn pagination(list: &ListPage) -> Pagination {
    Pagination {
        number: list.number,
        count: list.count,
        newer: (list.number > 1).then(|| urls::list_page(&list.folder, list.number - 1)),
        older: (list.number < list.count).then(|| urls::list_page(&list.folder, list.number + 1)),
    }
}
