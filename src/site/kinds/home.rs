//! The home page (`index.html`): the latest releases, the next and the last events, the
//! latest quarter's key figures and the quarterly summaries.

use tera::Context;

use super::inputs::{Inputs, Reader};
use super::page::Page;
use super::sources::Catalog;
use crate::diagnostics::Diagnostic;
use crate::site::event::EventView;
use crate::site::financials::KeyFigures;
use crate::urls;

/// Latest releases on the home page.
pub const HOME_LATEST: usize = 6;

/// Upcoming events on the home page, soonest first.
const UPCOMING: usize = 4;

/// Past events on the home page, latest first.
const RECENT: usize = 3;

#[derive(Hash)]
pub struct Home;

impl Page for Home {
    fn name(&self) -> &'static str {
        "home page"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::page_file("")
    }

    fn template(&self) -> &str {
        "index.html"
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().latest(HOME_LATEST).events().ledger()
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        context.insert("section", "");
        context.insert("page_title", &reader.config()?.title);
        context.insert("latest", reader.latest()?);
        let events = reader.events()?;
        let upcoming: Vec<&EventView> = events
            .iter()
            .filter(|e| e.upcoming)
            .take(UPCOMING)
            .collect();
        let recent: Vec<&EventView> = events
            .iter()
            .rev()
            .filter(|e| !e.upcoming)
            .take(RECENT)
            .collect();
        context.insert("upcoming", &upcoming);
        context.insert("recent", &recent);
        context.insert("reports", reader.reports()?);
        context.insert("key_figures", &KeyFigures::new(reader.ledger()?));
        Ok(())
    }
}
