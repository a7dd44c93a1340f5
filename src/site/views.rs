//! What templates see: plain, serializable views built from the model, with every number and
//! date already formatted (see [`format`](super::format)) and every URL relative to the site
//! root (a template writes `{{ root }}{{ release.url }}`).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use super::SiteData;
use super::format;
use super::markdown;
use crate::model::{Column, EventTime, Figure, Release, Statement, StatementKind, slugify};

/// The site as every page shows it: name, brand, navigation, contact.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub base_url: String,
    pub company: String,
    pub ticker: String,
    pub market: Option<String>,
    pub description: Option<String>,
    pub primary: String,
    pub accent: String,
    /// Font family name, reduced to letters, digits and spaces so that it is safe in CSS.
    pub font: String,
    pub nav: Vec<NavView>,
    pub contact: Option<ContactView>,
    pub year: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavView {
    pub title: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub name: String,
    pub title: Option<String>,
    pub email: String,
    pub phone: Option<String>,
}

impl SiteView {
    pub fn new(data: &SiteData) -> SiteView {
        let config = &data.config;
        let nav = if config.nav.is_empty() {
            [
                ("Overview", ""),
                ("News", "news/"),
                ("Financials", "financials/"),
                ("Events", "events/"),
                ("Leadership", "leadership/"),
            ]
            .iter()
            .map(|(title, path)| NavView {
                title: title.to_string(),
                path: path.to_string(),
            })
            .collect()
        } else {
            config
                .nav
                .iter()
                .map(|item| NavView {
                    title: item.title.clone(),
                    path: item.path.trim_start_matches('/').to_string(),
                })
                .collect()
        };
        SiteView {
            title: config.title.clone(),
            base_url: data.base_url(),
            company: config.company.name.clone(),
            ticker: config.company.ticker.clone(),
            market: config.company.market.clone(),
            description: config.company.description.clone(),
            primary: config.brand.primary.clone(),
            accent: config.brand.accent.clone(),
            font: config
                .brand
                .font
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .collect(),
            nav,
            contact: config.contact.as_ref().map(|contact| ContactView {
                name: contact.name.clone(),
                title: contact.title.clone(),
                email: contact.email.clone(),
                phone: contact.phone.clone(),
            }),
            year: data.today.year(),
        }
    }
}

/// A release in a list: the news pages, the home page, the search index, the feeds.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseSummary {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub date: String,
    pub date_long: String,
    pub date_short: String,
    pub year: i32,
    pub category: &'static str,
    pub category_label: &'static str,
    pub summary: String,
}

impl ReleaseSummary {
    pub fn new(release: &Release) -> ReleaseSummary {
        let front = &release.front;
        ReleaseSummary {
            slug: release.slug.clone(),
            url: release_url(release),
            title: front.title.clone(),
            date: front.date.to_string(),
            date_long: format::long_date(front.date),
            date_short: format::short_date(front.date),
            year: front.date.year(),
            category: front.category.slug(),
            category_label: front.category.label(),
            summary: markdown::summary(&release.body, 220),
        }
    }
}

/// `releases/<slug>/`, relative to the site root.
pub fn release_url(release: &Release) -> String {
    format!("releases/{}/", release.slug)
}

/// Where a release's original filing is copied: `releases/<slug>/<name>.txt`.
/// The release's own document of a submission is named by its `<FILENAME>` when it has one;
/// HTML is published as `.htm` (sanitised, see [`crate::ingest::source::as_filed`]).
pub fn filing_path(release: &Release) -> String {
    let source = &release.front.source;
    let file = source.filename.as_deref().unwrap_or(&source.file);
    let file = file.rsplit('/').next().unwrap_or(file);
    let (stem, extension) = file.rsplit_once('.').unwrap_or((file, ""));
    let html = ["htm", "html"].contains(&extension.to_ascii_lowercase().as_str());
    let name = Some(slugify(stem))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "filing".to_string());
    format!(
        "{}{name}.{}",
        release_url(release),
        if html { "htm" } else { "txt" }
    )
}

/// `Exhibit 99.1, HTML` for the document the release came from (a bare exhibit is taken to be
/// Exhibit 99.1, as nearly every press release is).
pub fn filing_kind(release: &Release) -> String {
    let document = match release.front.source.exhibit.as_deref() {
        Some(kind) if kind.starts_with("EX-") => format!("Exhibit {}", &kind[3..]),
        Some(kind) => format!("Form {kind}"),
        None => "Exhibit 99.1".to_string(),
    };
    let format = if filing_path(release).ends_with(".htm") {
        "HTML"
    } else {
        "plain text"
    };
    format!("{document}, {format}")
}

/// Whether the filing is published as it is on disk (a bare text exhibit), rather than cut out
/// of its submission or sanitised.
pub fn filing_is_copied_whole(release: &Release) -> bool {
    let source = &release.front.source;
    source.exhibit.is_none() && source.filename.is_none() && filing_path(release).ends_with(".txt")
}

/// An event from a release, as the events page, the release page and the calendar show it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Stable across builds: the day and the title, `2003-11-14-third-quarter-…-call`.
    pub id: String,
    /// The event's own calendar file, `events/<id>.ics`.
    pub ics: String,
    pub kind: &'static str,
    pub title: String,
    pub date: String,
    pub date_long: String,
    pub time: Option<String>,
    pub location: Option<String>,
    pub dial_in: Option<String>,
    pub replay: Option<String>,
    pub webcast: Option<String>,
    pub upcoming: bool,
    pub release_title: String,
    pub release_url: String,
    #[serde(skip)]
    pub start: EventTime,
    #[serde(skip)]
    pub announced: NaiveDate,
    #[serde(skip)]
    pub release_index: usize,
}

impl EventView {
    /// The moment the event starts, for sorting; whole-day events sort at the day's start (UTC).
    pub fn sort_key(&self) -> DateTime<Utc> {
        match self.start {
            EventTime::At(at) => at.with_timezone(&Utc),
            EventTime::Day(day) => day.and_time(chrono::NaiveTime::MIN).and_utc(),
        }
    }
}

/// Every event of every release, in the order of their start; ids are unique.
pub fn all_events(data: &SiteData) -> Vec<EventView> {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut events = Vec::new();
    // Oldest release first, so that ids given to repeated titles never change when a newer
    // release is added.
    for (index, release) in data.releases.iter().enumerate().rev() {
        for event in &release.front.events {
            let base = format!("{}-{}", event.start.day(), slugify(&event.title));
            let seen = used.entry(base.clone()).or_insert(0);
            *seen += 1;
            let id = if *seen == 1 {
                base
            } else {
                format!("{base}-{seen}")
            };
            let replay = event.replay.as_ref().map(|replay| {
                let mut text = replay.phone.clone();
                if let Some(code) = &replay.passcode {
                    text.push_str(&format!(", passcode {code}"));
                }
                if let Some(until) = replay.until {
                    text.push_str(&format!(
                        ", until {}",
                        format::long_date(until.date_naive())
                    ));
                }
                text
            });
            events.push(EventView {
                ics: format!("events/{id}.ics"),
                id,
                kind: event.kind.label(),
                title: event.title.clone(),
                date: event.start.day().to_string(),
                date_long: format::weekday_date(event.start.day()),
                time: match event.start {
                    EventTime::At(at) => Some(format::time_of_day(at)),
                    EventTime::Day(_) => None,
                },
                location: event.location.clone(),
                dial_in: event.dial_in.clone(),
                replay,
                webcast: event.webcast.clone(),
                upcoming: event.start.day() >= data.today,
                release_title: release.front.title.clone(),
                release_url: release_url(release),
                start: event.start,
                announced: release.front.date,
                release_index: index,
            });
        }
    }
    events.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then(a.id.cmp(&b.id)));
    events
}

/// A financial statement ready to print: headers with their periods, formatted cells, rows
/// grouped under their sections.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub id: String,
    pub title: String,
    pub caption: String,
    pub columns: Vec<ColumnView>,
    pub sections: Vec<SectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    /// "Three months ended" or "As of".
    pub span: String,
    /// "Sep 30, 2003".
    pub end: String,
    /// The label as printed in the release.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub heading: Option<String>,
    pub rows: Vec<RowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub label: String,
    pub total: bool,
    pub cells: Vec<CellView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub text: String,
    pub negative: bool,
    /// The number of the note that explains the value (a derived quarter), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<usize>,
    /// The same explanation as a tooltip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tooltip: Option<String>,
}

impl CellView {
    pub fn of(value: &Figure) -> CellView {
        CellView {
            text: format::figure(value),
            negative: format::is_negative(value),
            note: None,
            tooltip: None,
        }
    }

    /// A period the statement does not print: an em dash.
    pub fn missing() -> CellView {
        CellView {
            text: "\u{2014}".to_string(),
            negative: false,
            note: None,
            tooltip: None,
        }
    }
}

/// Adds `row` under `heading`: to the last section if it has that heading, else to a new one.
pub fn push_row(sections: &mut Vec<SectionView>, heading: Option<&String>, row: RowView) {
    match sections.last_mut() {
        Some(section) if section.heading.as_ref() == heading => section.rows.push(row),
        _ => sections.push(SectionView {
            heading: heading.cloned(),
            rows: vec![row],
        }),
    }
}

impl TableView {
    pub fn new(statement: &Statement, currency: &str, index: usize) -> TableView {
        let columns = statement
            .columns
            .iter()
            .map(|column| match column {
                Column::Period {
                    months, end, label, ..
                } => ColumnView {
                    span: format!("{} months ended", format::months_in_words(*months)),
                    end: format::short_date(*end),
                    label: label.clone(),
                },
                Column::Instant { date, label } => ColumnView {
                    span: "As of".to_string(),
                    end: format::short_date(*date),
                    label: label.clone(),
                },
            })
            .collect();
        let mut sections: Vec<SectionView> = Vec::new();
        for row in &statement.rows {
            let cells = (0..statement.columns.len())
                .map(|column| match row.values.get(column).copied().flatten() {
                    Some(value) => CellView::of(&value),
                    None => CellView::missing(),
                })
                .collect();
            let row_view = RowView {
                label: row.label.clone(),
                total: row.total,
                cells,
            };
            push_row(&mut sections, row.section.as_ref(), row_view);
        }
        let kind = match statement.kind {
            StatementKind::Operations => "operations",
            StatementKind::BalanceSheet => "balance-sheet",
            StatementKind::CashFlow => "cash-flow",
            StatementKind::Other => "other",
        };
        TableView {
            id: format!("{kind}-{}", index + 1),
            title: statement.title.clone(),
            caption: if statement.kind == StatementKind::Other {
                // Segment, non-GAAP and guidance tables are shown as printed, never checked.
                format!(
                    "As printed in the release; not part of the financial statements and not checked. Amounts in {currency}. Losses in parentheses."
                )
            } else {
                format!(
                    "Unaudited. Amounts in {currency}; share counts in shares; per-share amounts in {currency}. Losses in parentheses."
                )
            },
            columns,
            sections,
        }
    }
}

/// A release's own page.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseView {
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    pub dateline: Option<String>,
    pub ticker: String,
    pub market: Option<String>,
    pub body_html: String,
    pub quotes: Vec<QuoteView>,
    pub people: Vec<PersonRole>,
    pub tables: Vec<TableView>,
    pub fiscal_period: Option<String>,
    pub contact: Option<crate::model::Contact>,
    pub about: Option<String>,
    pub safe_harbor: Option<String>,
    /// The copied original filing, relative to the site root.
    pub filing: String,
    /// What that copy is: `Exhibit 99.1, HTML`, `Form 8-K, plain text`.
    pub filing_kind: String,
    pub newer: Option<ReleaseSummary>,
    pub older: Option<ReleaseSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub speaker: String,
    pub role: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRole {
    pub name: String,
    pub role: String,
}

impl ReleaseView {
    pub fn new(data: &SiteData, index: usize) -> ReleaseView {
        let release = &data.releases[index];
        let front = &release.front;
        let role_of = |name: &str| {
            front
                .people
                .iter()
                .find(|person| person.name == name)
                .map(|person| person.role.clone())
        };
        let tables = front
            .financials
            .iter()
            .flat_map(|financials| {
                financials
                    .statements
                    .iter()
                    .enumerate()
                    .map(|(i, statement)| TableView::new(statement, &financials.currency, i))
            })
            .collect();
        ReleaseView {
            summary: ReleaseSummary::new(release),
            dateline: front.dateline.clone(),
            ticker: front.ticker.clone(),
            market: front.market.clone(),
            body_html: markdown::to_safe_html(&release.body),
            quotes: front
                .quotes
                .iter()
                .map(|quote| QuoteView {
                    speaker: quote.speaker.clone(),
                    role: role_of(&quote.speaker),
                    text: quote.text.clone(),
                })
                .collect(),
            people: front
                .people
                .iter()
                .map(|person| PersonRole {
                    name: person.name.clone(),
                    role: person.role.clone(),
                })
                .collect(),
            tables,
            fiscal_period: front.financials.as_ref().map(|financials| {
                crate::model::Quarter::parse(&financials.fiscal_period)
                    .map_or_else(|| financials.fiscal_period.clone(), |q| q.long_name())
            }),
            contact: front.contact.clone(),
            about: front.about.clone(),
            safe_harbor: front.safe_harbor.clone(),
            filing: filing_path(release),
            filing_kind: filing_kind(release),
            newer: index
                .checked_sub(1)
                .map(|newer| ReleaseSummary::new(&data.releases[newer])),
            older: data.releases.get(index + 1).map(ReleaseSummary::new),
        }
    }
}
