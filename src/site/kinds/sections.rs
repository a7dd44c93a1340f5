//! The pages of the site's sections, one each: events, financials, leadership, SEC filings;
//! the 404 page; and the site's own pages (`content/pages/`).

use tera::Context;

use super::inputs::{At, Inputs, Reader};
use super::page::{Page, root};
use super::sources::Catalog;
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::site::custom::{self, CustomPage};
use crate::site::event::EventView;
use crate::site::filings;
use crate::site::financials::FinancialsView;
use crate::urls;

/// Past events shown on the events page; older ones stay on their releases' pages and in
/// `calendar.ics`, so that the page stays light after decades of conference calls.
pub const PAST_EVENTS: usize = 25;

/// `events/`: the upcoming events, soonest first, then the latest past ones.
#[derive(Hash)]
pub struct Events;

impl Page for Events {
    fn name(&self) -> &'static str {
        "events page"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::page_file(urls::EVENTS)
    }

    fn template(&self) -> &str {
        "events.html"
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().events()
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        context.insert("section", "events/");
        context.insert("page_title", "Events");
        let events = reader.events()?;
        let upcoming: Vec<&EventView> = events.iter().filter(|e| e.upcoming).collect();
        let past: Vec<&EventView> = events.iter().rev().filter(|e| !e.upcoming).collect();
        let (shown, earlier) = past.split_at(PAST_EVENTS.min(past.len()));
        context.insert("upcoming", &upcoming);
        context.insert("past", shown);
        context.insert("earlier_events", &earlier.len());
        context.insert("today", &format::long_date(reader.today()?));
        Ok(())
    }
}

/// `financials/`: every quarter and balance-sheet date of the ledger, with charts.
#[derive(Hash)]
pub struct Financials;

impl Page for Financials {
    fn name(&self) -> &'static str {
        "financials page"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::page_file(urls::FINANCIALS)
    }

    fn template(&self) -> &str {
        "financials.html"
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().ledger()
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        context.insert("section", "financials/");
        context.insert("page_title", "Financials");
        let view = FinancialsView::new(reader.ledger()?, reader.config()?);
        context.insert("financials", &view);
        Ok(())
    }
}

/// `leadership/`: who holds which role, from every release's people.
#[derive(Hash)]
pub struct Leadership;

impl Page for Leadership {
    fn name(&self) -> &'static str {
        "leadership page"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::page_file(urls::LEADERSHIP)
    }

    fn template(&self) -> &str {
        "leadership.html"
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().people()
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        context.insert("section", "leadership/");
        context.insert("page_title", "Leadership");
        context.insert("leadership", reader.leadership()?);
        Ok(())
    }
}

/// `filings/`: every SEC filing the releases came from ([`filings`]).
#[derive(Hash)]
pub struct Filings;

impl Page for Filings {
    fn name(&self) -> &'static str {
        "SEC filings page"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::page_file(urls::FILINGS)
    }

    fn template(&self) -> &str {
        "filings.html"
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().filings()
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        context.insert("section", "filings/");
        context.insert("page_title", "SEC filings");
        context.insert("filings", &filings::filings(reader.filings()?));
        Ok(())
    }
}

/// A page of the site's own: [`custom`].
#[derive(Hash)]
pub struct OwnPage<'a> {
    pub page: At<CustomPage>,
    /// Its template, from its front matter.
    pub template: &'a str,
}

impl Page for OwnPage<'_> {
    fn name(&self) -> &'static str {
        "page"
    }

    fn path(&self, catalog: &Catalog) -> String {
        catalog.page(self.page).output_path()
    }

    fn template(&self) -> &str {
        self.template
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().custom_page(self.page)
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        let (pages, index) = reader.custom_page(self.page)?;
        custom::fill(context, pages, index, &root(reader.path()));
        Ok(())
    }
}

/// `404.html`, which a static host serves for any address it does not have.
#[derive(Hash)]
pub struct NotFound;

impl Page for NotFound {
    fn name(&self) -> &'static str {
        "404 page"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::NOT_FOUND.to_string()
    }

    fn template(&self) -> &str {
        "404.html"
    }

    fn fill(&self, _: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        // No navigation item is the current page: "Overview" is not where the reader is.
        context.insert("section", "404");
        context.insert("page_title", "Page not found");
        Ok(())
    }

    fn in_sitemap(&self) -> bool {
        false
    }

    fn at_any_depth(&self) -> bool {
        true
    }
}
