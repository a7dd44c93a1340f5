//! Every kind of file the site has, each one value that knows its path, its inputs and how to
//! make itself ([`inputs::Output`]; the HTML pages through [`page::Page`]).
//!
//! Where is the … made:
//!
//! | file | kind |
//! | --- | --- |
//! | home page | [`home::Home`] |
//! | news lists (all, by year, by category) | [`news::NewsPage`] |
//! | a release's page, PDF and copy of its filing | [`release`] |
//! | events, financials, leadership, SEC filings, 404, the site's own pages | [`sections`] |
//! | calendars, feeds, sitemap, `robots.txt`, search index, downloads, static files | [`files`] |
//! | quarterly summary PDF | [`summary::SummaryPdf`] |
//!
//! A kind declares what it reads as [`inputs::Inputs`]; its fingerprint is made from those
//! ([`inputs::fingerprint`]) and its render can read only those ([`inputs::Reader`]), so the two
//! cannot drift apart. [`jobs`] lists every file of a build, in the order they are reported.

pub mod files;
pub mod home;
pub mod inputs;
pub mod news;
pub mod page;
pub mod release;
pub mod sections;
pub mod sources;
pub mod summary;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::theme::ThemeFile;
use files::{Atom, Calendar, Download, EventCalendar, Robots, Rss, SearchIndex, Sitemap, Static};
use home::Home;
use inputs::{At, Output};
use news::NewsPage;
use release::{FilingCopy, ReleasePage, ReleasePdf};
use sections::{Events, Filings, Financials, Leadership, NotFound, OwnPage};
use sources::{Catalog, summary_quarters};
use summary::SummaryPdf;

/// One file of the build: its kind, and for a page the day it last changed (for the sitemap).
pub struct Job<'a> {
    kind: Kind<'a>,
    pub lastmod: Option<NaiveDate>,
}

/// Every kind of output, by value.
enum Kind<'a> {
    Home(Home),
    News(NewsPage),
    Release(ReleasePage),
    Financials(Financials),
    Events(Events),
    Leadership(Leadership),
    Filings(Filings),
    Own(OwnPage<'a>),
    NotFound(NotFound),
    Filing(FilingCopy),
    EventCalendar(EventCalendar),
    Calendar(Calendar),
    Atom(Atom),
    Rss(Rss),
    Sitemap(Sitemap),
    SearchIndex(SearchIndex),
    Download(Download),
    Robots(Robots),
    Static(Static<'a>),
    SummaryPdf(SummaryPdf),
    ReleasePdf(ReleasePdf),
}

impl<'a> Job<'a> {
    fn new(kind: Kind<'a>) -> Job<'a> {
        Job {
            kind,
            lastmod: None,
        }
    }

    fn page(kind: Kind<'a>, lastmod: Option<NaiveDate>) -> Job<'a> {
        Job { kind, lastmod }
    }

    /// The kind, to ask for its path, fingerprint and file.
    pub fn output(&self) -> &dyn Output {
        match &self.kind {
            Kind::Home(kind) => kind,
            Kind::News(kind) => kind,
            Kind::Release(kind) => kind,
            Kind::Financials(kind) => kind,
            Kind::Events(kind) => kind,
            Kind::Leadership(kind) => kind,
            Kind::Filings(kind) => kind,
            Kind::Own(kind) => kind,
            Kind::NotFound(kind) => kind,
            Kind::Filing(kind) => kind,
            Kind::EventCalendar(kind) => kind,
            Kind::Calendar(kind) => kind,
            Kind::Atom(kind) => kind,
            Kind::Rss(kind) => kind,
            Kind::Sitemap(kind) => kind,
            Kind::SearchIndex(kind) => kind,
            Kind::Download(kind) => kind,
            Kind::Robots(kind) => kind,
            Kind::Static(kind) => kind,
            Kind::SummaryPdf(kind) => kind,
            Kind::ReleasePdf(kind) => kind,
        }
    }

    /// Whether the job is one of the site's own pages, which are checked against all the
    /// others ([`crate::site::custom::check`]).
    pub fn is_own_page(&self) -> bool {
        matches!(self.kind, Kind::Own(_))
    }
}

/// Every file of the site, in the order they are made and reported.
pub fn jobs<'a>(
    catalog: &Catalog<'a>,
    static_files: &'a BTreeMap<String, ThemeFile>,
) -> Vec<Job<'a>> {
    let data = catalog.data;
    let newest = data.releases.first().map(|release| release.front.date);
    let mut jobs = vec![Job::page(Kind::Home(Home), newest)];
    news::each(catalog, |page, lastmod| {
        jobs.push(Job::page(Kind::News(page), lastmod));
    });
    for (at, release) in At::all(data.releases.len()).zip(data.releases.iter()) {
        jobs.push(Job::page(
            Kind::Release(ReleasePage(at)),
            Some(release.front.date),
        ));
        jobs.push(Job::new(Kind::Filing(FilingCopy(at))));
    }
    jobs.push(Job::page(Kind::Financials(Financials), newest));
    jobs.push(Job::page(Kind::Events(Events), newest));
    jobs.push(Job::page(Kind::Leadership(Leadership), newest));
    jobs.push(Job::page(Kind::Filings(Filings), newest));
    for (page, own) in At::all(data.pages.len()).zip(data.pages.iter()) {
        let template = own.template();
        jobs.push(Job::page(Kind::Own(OwnPage { page, template }), None));
    }
    jobs.push(Job::new(Kind::NotFound(NotFound)));
    jobs.extend(
        At::all(catalog.events.len()).map(|at| Job::new(Kind::EventCalendar(EventCalendar(at)))),
    );
    jobs.extend(static_files.iter().map(|(name, file)| {
        Job::new(Kind::Static(Static {
            name,
            contents: &file.contents,
        }))
    }));
    jobs.extend(
        [
            Kind::Calendar(Calendar),
            Kind::Atom(Atom),
            Kind::Rss(Rss),
            Kind::Sitemap(Sitemap),
            Kind::SearchIndex(SearchIndex),
            Kind::Download(Download::Csv),
            Kind::Download(Download::Json),
            Kind::Robots(Robots),
        ]
        .map(Job::new),
    );
    if data.pdfs {
        jobs.extend(
            summary_quarters(data)
                .into_iter()
                .map(|quarter| Job::new(Kind::SummaryPdf(SummaryPdf(quarter)))),
        );
        jobs.extend(
            At::all(data.releases.len()).map(|at| Job::new(Kind::ReleasePdf(ReleasePdf(at)))),
        );
    }
    jobs
}
