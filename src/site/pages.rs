//! Which pages and files the site has, and rendering them in parallel.
//!
//! [`render_site`] lists every output as a [`Job`] first (so that the sitemap knows all pages
//! before any is written), then runs the jobs on rayon's thread pool. Each job builds its own
//! template context from the shared, read-only [`Catalog`], so memory stays flat however many
//! releases there are.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::financials::{self, FinancialsView, KeyFigures};
use super::leadership::{Leadership, leadership};
use super::views::{
    EventView, ReleaseSummary, ReleaseView, SiteView, all_events, filing_path, release_url,
};
use super::{SiteData, SiteError, Staging, calendar, feeds, format, search, sitemap};
use crate::ledger::export;
use crate::model::{Category, Quarter};
use crate::theme::{Theme, ThemeFile};

/// Releases per news page: keeps every page light however long the history.
pub const PAGE_SIZE: usize = 20;

/// Past events shown on the events page; older ones stay on their releases' pages and in
/// `calendar.ics`, so that the page stays light after decades of conference calls.
pub const PAST_EVENTS: usize = 25;

/// Renders every page and file into `staging`; returns the number of HTML pages.
pub fn render_site(data: &SiteData, staging: &Staging) -> Result<usize, SiteError> {
    let theme = Theme::new(&data.root);
    let (engine, origins) = engine(data, &theme)?;
    let catalog = Catalog::new(data, staging);
    let static_files = theme.static_files().map_err(|err| {
        SiteError::new(format!(
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
    let pages = jobs
        .iter()
        .filter(|job| matches!(job, Job::Page(_)))
        .count();
    let context = RunContext {
        data,
        catalog: &catalog,
        engine: &engine,
        origins: &origins,
        staging,
        sitemap: &sitemap_entries,
    };
    let results: Vec<Result<(), SiteError>> = jobs.par_iter().map(|job| context.run(job)).collect();
    // The first failure in job order, so that the same broken site always reports the same.
    results.into_iter().collect::<Result<Vec<()>, _>>()?;
    Ok(pages)
}

/// Loads the site's HTML templates (top level and `partials/`; the PDF and mail templates
/// belong to their own stages) into a tera instance that escapes everything in `.html`.
fn engine(data: &SiteData, theme: &Theme) -> Result<(Tera, BTreeMap<String, String>), SiteError> {
    let templates = theme.templates("").map_err(|err| {
        SiteError::new(format!(
            "{}: cannot read the templates: {err}",
            data.root.join("templates").display()
        ))
    })?;
    let mut tera = Tera::new();
    let mut sources = Vec::new();
    for (name, file) in &templates {
        if !name.ends_with(".html") || name.starts_with("pdf/") || name.starts_with("email/") {
            continue;
        }
        let text = file.text().map_err(SiteError::new)?;
        sources.push((name.clone(), text.to_string(), file.origin.clone()));
    }
    tera.add_raw_templates(
        sources
            .iter()
            .map(|(name, text, _)| (name.as_str(), text.as_str())),
    )
    .map_err(|err| {
        SiteError::new(format!(
            "a template has an error: {}\nfix the template and build again",
            crate::diagnostics::template_error(&err, &templates)
        ))
    })?;
    tera.global_context().insert("site", &SiteView::new(data));
    let origins = sources
        .into_iter()
        .map(|(name, _, origin)| (name, origin))
        .collect();
    Ok((tera, origins))
}

/// What every page shares, computed once.
struct Catalog {
    summaries: Vec<ReleaseSummary>,
    events: Vec<EventView>,
    /// For each release, the indices of its events in `events`.
    events_by_release: Vec<Vec<usize>>,
    leadership: Leadership,
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

impl Catalog {
    fn new(data: &SiteData, staging: &Staging) -> Catalog {
        let summaries: Vec<ReleaseSummary> =
            data.releases.par_iter().map(ReleaseSummary::new).collect();
        let events = all_events(data);
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
            leadership: leadership(data),
            years: years.into_iter().rev().collect(),
            categories: categories.into_iter().collect(),
            reports: reports(data, staging),
        }
    }
}

/// The quarterly summary PDFs a later stage put in the staging folder, newest first.
fn reports(data: &SiteData, staging: &Staging) -> Vec<LinkView> {
    let mut quarters: Vec<Quarter> = data
        .releases
        .iter()
        .filter_map(|release| release.front.financials.as_ref())
        .filter_map(|financials| Quarter::parse(&financials.fiscal_period))
        .collect();
    quarters.sort();
    quarters.dedup();
    quarters
        .into_iter()
        .rev()
        .filter(|quarter| staging.contains(&quarter.summary_pdf_path()))
        .map(|quarter| LinkView {
            title: format!("{} summary (PDF)", quarter.long_name()),
            url: quarter.summary_pdf_path(),
            current: false,
        })
        .collect()
}

/// One output of the build.
enum Job<'a> {
    Page(PageJob),
    Static(&'a str, &'a ThemeFile),
    Filing(usize),
    EventCalendar(usize),
    Calendar,
    Atom,
    Rss,
    Sitemap,
    Robots,
    SearchIndex,
    FinancialsCsv,
    FinancialsJson,
}

struct PageJob {
    /// Where the page is written, relative to the site root (`news/2003/index.html`).
    path: String,
    template: &'static str,
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

impl ListPage {
    fn page_url(folder: &str, number: usize) -> String {
        if number <= 1 {
            folder.to_string()
        } else {
            format!("{folder}page/{number}/")
        }
    }
}

fn jobs<'a>(
    data: &SiteData,
    catalog: &Catalog,
    static_files: &'a BTreeMap<String, ThemeFile>,
) -> Vec<Job<'a>> {
    let newest = data.releases.first().map(|release| release.front.date);
    let page = |path: String, template, kind, lastmod| {
        Job::Page(PageJob {
            path,
            template,
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
        "news/".into(),
        &all,
        newest,
    );
    for (year, releases) in &catalog.years {
        let lastmod = releases.first().map(|&i| data.releases[i].front.date);
        let folder = format!("news/{year}/");
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
        let folder = format!("news/category/{}/", category.slug());
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
        let path = format!("{}index.html", release_url(release));
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
    jobs.push(Job::Page(PageJob {
        path: "404.html".into(),
        template: "404.html",
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
    jobs.extend([
        Job::Calendar,
        Job::Atom,
        Job::Rss,
        Job::Sitemap,
        Job::Robots,
        Job::SearchIndex,
        Job::FinancialsCsv,
        Job::FinancialsJson,
    ]);
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
        let path = format!("{}index.html", ListPage::page_url(&folder, number));
        jobs.push(Job::Page(PageJob {
            path,
            template: "news.html",
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
    catalog: &'a Catalog,
    engine: &'a Tera,
    /// Where each template was read from, for error messages.
    origins: &'a BTreeMap<String, String>,
    staging: &'a Staging,
    sitemap: &'a [sitemap::SitemapEntry],
}

impl RunContext<'_> {
    fn run(&self, job: &Job) -> Result<(), SiteError> {
        let (data, catalog) = (self.data, self.catalog);
        match job {
            Job::Page(page) => self.render_page(page),
            Job::Static(name, file) => self.staging.write(name, &file.contents),
            Job::Filing(index) => self.copy_filing(*index),
            Job::EventCalendar(index) => {
                let event = &catalog.events[*index];
                self.staging
                    .write(&event.ics, calendar::single(data, event).as_bytes())
            }
            Job::Calendar => self.staging.write(
                "calendar.ics",
                calendar::calendar(data, &catalog.events).as_bytes(),
            ),
            Job::Atom => self
                .staging
                .write("feed.xml", feeds::atom(data, &catalog.summaries).as_bytes()),
            Job::Rss => self
                .staging
                .write("rss.xml", feeds::rss(data, &catalog.summaries).as_bytes()),
            Job::Sitemap => self.staging.write(
                "sitemap.xml",
                sitemap::sitemap(data, self.sitemap).as_bytes(),
            ),
            Job::Robots => self
                .staging
                .write("robots.txt", sitemap::robots(data).as_bytes()),
            Job::SearchIndex => self
                .staging
                .write("search-index.json", &search::index(&catalog.summaries)),
            Job::FinancialsCsv => self
                .staging
                .write(financials::CSV_PATH, export::csv(&data.ledger).as_bytes()),
            Job::FinancialsJson => self
                .staging
                .write(financials::JSON_PATH, export::json(&data.ledger).as_bytes()),
        }
    }

    /// Copies `content/<source.file>` beside the release page, so that every figure can be
    /// checked against the filing it came from.
    fn copy_filing(&self, index: usize) -> Result<(), SiteError> {
        let release = &self.data.releases[index];
        let content = self.data.root.join("content");
        let source = super::staging::inside(&content, &release.front.source.file).map_err(|_| {
            SiteError::new(format!(
                "{}: source.file `{}` must be a path inside content/, such as `raw/2003-11-14-q3.txt`",
                release.path.display(),
                release.front.source.file
            ))
        })?;
        if !source.is_file() {
            return Err(SiteError::new(format!(
                "{}: the original filing {} named in source.file is missing; restore it or correct source.file",
                release.path.display(),
                source.display()
            )));
        }
        self.staging.link_or_copy(&source, &filing_path(release))
    }

    fn render_page(&self, page: &PageJob) -> Result<(), SiteError> {
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
        let html = self.engine.render(page.template, &context).map_err(|err| {
            SiteError::new(format!(
                "cannot render {} with template `{}`: {}\nfix the template and build again",
                page.path,
                page.template,
                crate::diagnostics::template_error(&err, self.origins)
            ))
        })?;
        self.staging.write(&page.path, html.as_bytes())
    }

    /// Adds what the page's template needs to its context.
    fn fill(&self, context: &mut Context, page: &PageJob) {
        let (data, catalog) = (self.data, self.catalog);
        match &page.kind {
            PageKind::Home => {
                context.insert("section", "");
                context.insert("page_title", &data.config.title);
                let latest: Vec<&ReleaseSummary> = catalog.summaries.iter().take(6).collect();
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
                    .map(|&i| &catalog.summaries[i])
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
                // A printable PDF of the release, when a later stage wrote one.
                let pdf = format!("releases/{}.pdf", view.summary.slug);
                if self.staging.contains(&pdf) {
                    context.insert("release_pdf", &pdf);
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
                context.insert("upcoming", &upcoming);
                context.insert("past", &past);
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
                context.insert("leadership", &catalog.leadership);
            }
            PageKind::NotFound => {
                context.insert("section", "");
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
                url: format!("news/{year}/"),
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
                url: format!("news/category/{}/", category.slug()),
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
        newer: (list.number > 1).then(|| ListPage::page_url(&list.folder, list.number - 1)),
        older: (list.number < list.count)
            .then(|| ListPage::page_url(&list.folder, list.number + 1)),
    }
}
