//! What the printable PDF of one release says: the data its template renders.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::model::{Contact, Release};

use super::summary::{CompanyContext, EventContext, QuoteContext, StatementContext, statements};
use crate::format;

#[derive(Debug, Serialize)]
pub struct ReleaseContext {
    pub company: CompanyContext,
    pub title: String,
    /// The deck under the headline, if the release has one.
    pub subtitle: Option<String>,
    pub date: String,
    pub dateline: Option<String>,
    pub category: String,
    /// As the release prints it (`HEMA.OB`).
    pub ticker: String,
    pub market: Option<String>,
    pub contact: Option<Contact>,
    /// The release's prose, Markdown.
    pub body: String,
    pub quotes: Vec<QuoteContext>,
    pub events: Vec<EventContext>,
    pub statements: Vec<StatementContext>,
    pub fiscal_period: Option<String>,
    pub about: Option<String>,
    pub safe_harbor: Option<String>,
}

impl ReleaseContext {
    pub fn new(release: &Release, config: &SiteConfig) -> ReleaseContext {
        let front = &release.front;
        ReleaseContext {
            company: CompanyContext::new(config),
            title: front.title.clone(),
            subtitle: front.subtitle.clone(),
            date: format::long_date(front.date),
            dateline: front.dateline.clone(),
            category: front.category.label().to_string(),
            ticker: front.ticker.clone(),
            market: front.market.clone(),
            contact: front.contact.clone(),
            body: release.body.trim().to_string(),
            quotes: front
                .quotes
                .iter()
                .map(|quote| QuoteContext {
                    text: quote.text.clone(),
                    speaker: quote.speaker.clone(),
                    role: front
                        .people
                        .iter()
                        .find(|person| person.name == quote.speaker)
                        .map(|person| person.role.clone()),
                })
                .collect(),
            events: {
                let mut events: Vec<_> = front.events.iter().collect();
                events.sort_by_key(|event| event.start.day());
                events.into_iter().map(EventContext::new).collect()
            },
            statements: statements(release),
            fiscal_period: front
                .financials
                .as_ref()
                .and_then(|f| crate::model::Quarter::parse(&f.fiscal_period))
                .map(|q| q.long_name()),
            about: front.about.clone(),
            safe_harbor: front.safe_harbor.clone(),
        }
    }
}
