//! Everything the outputs of one build are made from, gathered once: the loaded site
//! ([`SiteData`]), what every page shares of it ([`Catalog`]), the fingerprints many outputs
//! share ([`Globals`]), and the tools that render (the HTML templates, the PDF renderer).
//!
//! No kind reads these directly: its render gets a [`super::inputs::Reader`] that hands out
//! only what the kind declared (see [`super::inputs`]).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::Tera;

use super::inputs::at::At;
use crate::diagnostics::Diagnostic;
use crate::model::{Category, Quarter, Release};
use crate::pdf::PdfRenderer;
use crate::site::content;
use crate::site::custom;
use crate::site::data::SiteData;
use crate::site::event::EventView;
use crate::site::fingerprint::{self, Fingerprint};
use crate::site::leadership::Leadership;
use crate::site::sitemap::SitemapEntry;
use crate::site::summary::ReleaseSummary;
use crate::theme::{Theme, ThemeFile};
use crate::urls;

/// What a kind's render may be given, and what its fingerprint is made from.
pub struct Sources<'a> {
    pub catalog: &'a Catalog<'a>,
    pub globals: &'a Globals,
    /// The HTML templates, loaded.
    pub engine: &'a Tera,
    /// Where each template was read from, for error messages.
    pub origins: &'a BTreeMap<String, String>,
    pub sitemap: &'a [SitemapEntry],
    /// Set when some PDF has to be made.
    pub pdf: Option<Arc<PdfRenderer>>,
}

/// What every page shares, computed once.
pub struct Catalog<'a> {
    pub data: &'a SiteData,
    pub summaries: Vec<&'a ReleaseSummary>,
    pub events: Arc<Vec<EventView>>,
    /// For each release, the indices of its events in `events`.
    pub events_by_release: Vec<Vec<usize>>,
    /// Made when the leadership page is, since it reads every release.
    pub leadership: OnceLock<Leadership>,
    /// The years with releases, newest first, each with its releases.
    pub years: Vec<(i32, Vec<At<Release>>)>,
    /// The categories with releases, each with its releases.
    pub categories: Vec<(Category, Vec<At<Release>>)>,
    pub reports: Vec<LinkView>,
}

/// A link of a list of links: the news pages' years and categories, the home page's reports.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    pub current: bool,
}

impl<'a> Catalog<'a> {
    pub fn new(data: &'a SiteData, events: Arc<Vec<EventView>>) -> Catalog<'a> {
        let summaries: Vec<&ReleaseSummary> = data.meta.iter().map(|meta| &meta.summary).collect();
        let mut events_by_release = vec![Vec::new(); data.releases.len()];
        for (index, event) in events.iter().enumerate() {
            events_by_release[event.release_index].push(index);
        }
        let mut years: BTreeMap<i32, Vec<At<Release>>> = BTreeMap::new();
        let mut categories: BTreeMap<Category, Vec<At<Release>>> = BTreeMap::new();
        for (index, summary) in summaries.iter().enumerate() {
            years.entry(summary.year).or_default().push(At::new(index));
            categories
                .entry(data.releases[index].front.category)
                .or_default()
                .push(At::new(index));
        }
        Catalog {
            data,
            summaries,
            events,
            events_by_release,
            leadership: OnceLock::new(),
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
pub fn summary_quarters(data: &SiteData) -> Vec<Quarter> {
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

/// The fingerprints many outputs share, each made once per build.
pub struct Globals {
    /// `site.yaml`, the build's options (`today`, whether there are PDFs), the logo and
    /// hemasite itself.
    pub site: Fingerprint,
    /// The HTML templates.
    pub templates: Fingerprint,
    /// The PDF templates, the fonts, `site.yaml`, the logo and hemasite itself.
    pub pdf: Fingerprint,
    /// Every release's and page's whole file: the search index, which holds every word of the
    /// bodies.
    pub search: Fingerprint,
    /// Every release's events: the calendar, the events page.
    pub events: Fingerprint,
    /// Every release's people: the leadership page.
    pub people: Fingerprint,
    /// Every release's source facts: the SEC filings page.
    pub filings: Fingerprint,
    /// The ledger: every release's figures, with `site.yaml`'s fiscal year.
    pub ledger: Fingerprint,
    /// The years and categories every news page links to.
    pub navigation: Fingerprint,
    /// The site's own pages in the navigation, which every page shows.
    pub nav: Fingerprint,
}

impl Globals {
    pub fn new(
        catalog: &Catalog,
        theme: &Theme,
        templates: Fingerprint,
        static_files: &BTreeMap<String, ThemeFile>,
    ) -> Result<Globals, Diagnostic> {
        let data = catalog.data;
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
            .fingerprint(fingerprint::hemasite())
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
            .fingerprint(fingerprint::hemasite())
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
            filings: content::all(&data.meta, |release| release.filing),
            ledger: data.ledger_fingerprint,
            navigation: navigation.finish(),
            nav: custom::nav_fingerprint(&data.pages),
        })
    }
}
