//! The site's files that are not pages: the calendars, the feeds, the sitemap and
//! `robots.txt`, the search index, the ledger's downloads, and the theme's static files.

use super::inputs::{At, Inputs, Made, Output, Reader};
use super::sources::Catalog;
use crate::diagnostics::Diagnostic;
use crate::ledger::export;
use crate::site::calendar;
use crate::site::event::EventView;
use crate::site::feeds;
use crate::site::search;
use crate::site::sitemap;
use crate::urls;

fn text(text: String) -> Result<Made, Diagnostic> {
    Ok(Made::Bytes(text.into_bytes()))
}

/// `calendar.ics`: every event.
#[derive(Hash)]
pub struct Calendar;

impl Output for Calendar {
    fn name(&self) -> &'static str {
        "calendar"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::CALENDAR.to_string()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site().events()
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        text(calendar::calendar(reader.config()?, reader.events()?))
    }
}

/// `events/<id>.ics`: one event, for "add to calendar" links.
#[derive(Hash)]
pub struct EventCalendar(pub At<EventView>);

impl Output for EventCalendar {
    fn name(&self) -> &'static str {
        "event's calendar"
    }

    fn path(&self, catalog: &Catalog) -> String {
        catalog.event(self.0).ics.clone()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site().event(self.0)
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        text(calendar::single(reader.config()?, reader.event(self.0)?))
    }
}

/// `feed.xml`: the Atom feed of the newest releases.
#[derive(Hash)]
pub struct Atom;

impl Output for Atom {
    fn name(&self) -> &'static str {
        "Atom feed"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::ATOM.to_string()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site().latest(feeds::FEED_LENGTH)
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        text(feeds::atom(
            reader.config()?,
            reader.today()?,
            reader.latest()?,
        ))
    }
}

/// `rss.xml`: the RSS feed of the newest releases.
#[derive(Hash)]
pub struct Rss;

impl Output for Rss {
    fn name(&self) -> &'static str {
        "RSS feed"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::RSS.to_string()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site().latest(feeds::FEED_LENGTH)
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        text(feeds::rss(
            reader.config()?,
            reader.today()?,
            reader.latest()?,
        ))
    }
}

/// `sitemap.xml`: every page but the 404.
#[derive(Hash)]
pub struct Sitemap;

impl Output for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::SITEMAP.to_string()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site().sitemap()
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        text(sitemap::sitemap(reader.config()?, reader.sitemap()?))
    }
}

/// `robots.txt`, which points to the sitemap.
#[derive(Hash)]
pub struct Robots;

impl Output for Robots {
    fn name(&self) -> &'static str {
        "robots.txt"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::ROBOTS.to_string()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site()
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        text(sitemap::robots(reader.config()?))
    }
}

/// `search-index.json`: every word of every release and page, for the search box.
#[derive(Hash)]
pub struct SearchIndex;

impl Output for SearchIndex {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::SEARCH_INDEX.to_string()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site().search()
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        let (releases, meta, pages) = reader.everything()?;
        let listed: Vec<search::Listed> = meta
            .iter()
            .map(|meta| (&meta.summary, &meta.search))
            .collect();
        Ok(Made::Bytes(search::index(releases, &listed, pages)))
    }
}

/// `data/financials.csv` or `data/financials.json`: the ledger for spreadsheets and programs.
#[derive(Hash)]
pub enum Download {
    Csv,
    Json,
}

impl Output for Download {
    fn name(&self) -> &'static str {
        match self {
            Download::Csv => "CSV download",
            Download::Json => "JSON download",
        }
    }

    fn path(&self, _: &Catalog) -> String {
        match self {
            Download::Csv => urls::FINANCIALS_CSV,
            Download::Json => urls::FINANCIALS_JSON,
        }
        .to_string()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().site().ledger()
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        let ledger = reader.ledger()?;
        text(match self {
            Download::Csv => export::csv(ledger),
            Download::Json => export::json(ledger),
        })
    }
}

/// A file of the theme's `static/` (or the site's own), copied as it is.
#[derive(Hash)]
pub struct Static<'a> {
    pub name: &'a str,
    pub contents: &'a [u8],
}

impl Output for Static<'_> {
    fn name(&self) -> &'static str {
        "static file"
    }

    fn path(&self, _: &Catalog) -> String {
        self.name.to_string()
    }

    /// All of it is in the kind: its name and its bytes.
    fn inputs(&self) -> Inputs<'_> {
        Inputs::none()
    }

    fn render(&self, _: &Reader) -> Result<Made, Diagnostic> {
        Ok(Made::Bytes(self.contents.to_vec()))
    }
}
