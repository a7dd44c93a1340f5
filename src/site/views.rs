//! What templates see: plain, serializable views built from the model, with every number and
//! date already formatted (see [`format`](super::format)) and every URL relative to the site
//! root (a template writes `{{ root }}{{ release.url }}`).

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use super::data::SiteData;
pub use super::event::EventView;
use super::summary::ReleaseSummary;
use super::{calendar, markdown};
use crate::format;
use crate::model::{Column, EventTime, Figure, Release, Statement, StatementKind, Unit, slugify};
use crate::urls;

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
    /// `brand.logo`, for the header.
    pub logo: Option<LogoView>,
}

/// The logo as the header shows it: its URL relative to the site root, and its size, so that
/// the page does not move when it loads.
#[derive(Debug, Clone, Serialize)]
pub struct LogoView {
    pub url: String,
    pub width: u32,
    pub height: u32,
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
        let nav: Vec<NavView> = if config.nav.is_empty() {
            [
                ("Overview", ""),
                ("News", urls::NEWS),
                ("Financials", urls::FINANCIALS),
                ("Events", urls::EVENTS),
                ("Leadership", urls::LEADERSHIP),
                ("SEC filings", urls::FILINGS),
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
        let mut nav = nav;
        // The site's own pages that ask to be in the navigation come after its own items.
        nav.extend(
            super::custom::nav_items(&data.pages)
                .into_iter()
                .map(|(title, url)| NavView {
                    title: title.to_string(),
                    path: url.to_string(),
                }),
        );
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
            logo: data.logo.as_ref().map(|logo| LogoView {
                url: logo.path.clone(),
                width: logo.width.round().max(1.0) as u32,
                height: logo.height.round().max(1.0) as u32,
            }),
        }
    }
}

/// `Exhibit 99.1, HTML` for the document the release came from.
pub fn filing_kind(release: &Release) -> String {
    format!(
        "{}, {}",
        document_name(release.front.source.exhibit.as_deref()),
        filing_format(release)
    )
}

/// `HTML` or `plain text`: what the copy of a release's filing on the site is.
pub fn filing_format(release: &Release) -> &'static str {
    if urls::filing(release).ends_with(".htm") {
        "HTML"
    } else {
        "plain text"
    }
}

/// The document of a filing a release is, as a reader knows it: `Exhibit 99.1` for `EX-99.1`,
/// `Form 8-K` for a release typed into the 8-K itself. A bare exhibit (no `<TYPE>`) is taken
/// to be Exhibit 99.1, as nearly every press release is.
pub fn document_name(exhibit: Option<&str>) -> String {
    match exhibit.map(str::trim).filter(|kind| !kind.is_empty()) {
        Some(kind)
            if kind
                .get(..3)
                .is_some_and(|ex| ex.eq_ignore_ascii_case("EX-")) =>
        {
            format!("Exhibit {}", &kind[3..])
        }
        Some(kind) => format!("Form {kind}"),
        None => "Exhibit 99.1".to_string(),
    }
}

/// Whether the filing is published as it is on disk (a bare text exhibit), rather than cut out
/// of its submission or sanitised.
pub fn filing_is_copied_whole(release: &Release) -> bool {
    let source = &release.front.source;
    source.exhibit.is_none() && source.filename.is_none() && urls::filing(release).ends_with(".txt")
}

/// A `tel:` link for a phone number as releases print it (`800-309-8563`, `(877) 310-0717`,
/// `+44 20 7946 0000`): its digits, with the US country code when it has ten. `None` for
/// anything that is not a phone number, which then stays plain text.
pub fn tel_href(phone: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_digit() || " -.()+".contains(c);
    if !phone.trim().chars().all(allowed) {
        return None;
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match (phone.trim_start().starts_with('+'), digits.len()) {
        (true, 7..=15) => Some(format!("tel:+{digits}")),
        (false, 10) => Some(format!("tel:+1{digits}")),
        (false, 11) if digits.starts_with('1') => Some(format!("tel:+{digits}")),
        _ => None,
    }
}

/// A link for a web address as releases print it: `www.hemacare.com` becomes
/// `https://www.hemacare.com`; a full `http(s)://` address stays. `None` for text that is not
/// one address (a sentence, a `javascript:` URL), which then stays plain text.
pub fn web_href(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let host = rest.split('/').next().unwrap_or_default();
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let path_ok = rest
        .chars()
        .all(|c| c.is_ascii_graphic() && !"\"'<>\\`".contains(c));
    if !(host_ok && path_ok) {
        return None;
    }
    Some(if rest.len() == lower.len() {
        format!("https://{text}")
    } else {
        text.to_string()
    })
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
            let replay_details = event.replay.as_ref().map(calendar::replay_details);
            let replay_phone = event.replay.as_ref().map(|replay| replay.phone.clone());
            let replay = event.replay.as_ref().map(calendar::replay_text);
            let release_title = release.front.title.clone();
            let links = calendar::Links::new(
                event,
                &release_title,
                &data.absolute_url(&urls::release(release)),
            );
            events.push(EventView {
                ics: urls::event_calendar(&id),
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
                dial_in_tel: event.dial_in.as_deref().and_then(tel_href),
                google_calendar: links.google,
                outlook_calendar: links.outlook,
                replay,
                replay_href: replay_phone
                    .as_deref()
                    .and_then(|phone| tel_href(phone).or_else(|| web_href(phone))),
                replay_phone,
                replay_details,
                webcast: event.webcast.clone(),
                webcast_url: event.webcast.as_deref().and_then(web_href),
                upcoming: event.start.day() >= data.today,
                release_title,
                release_url: urls::release(release),
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
    /// The unit, under the title: `In thousands of US dollars, except per-share amounts`.
    pub unit: String,
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
    /// A figure at `scale` (money) or in full (share counts, per-share amounts).
    pub fn of(value: &Figure, scale: format::Scale, is_money: bool) -> CellView {
        CellView {
            text: format::figure_cell(*value, scale, is_money),
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
        let scale = format::statement_scale(statement);
        let mut sections: Vec<SectionView> = Vec::new();
        for row in &statement.rows {
            let is_money = row.unit() == Unit::Currency;
            let cells = (0..statement.columns.len())
                .map(|column| match row.values.get(column).copied().flatten() {
                    Some(value) => CellView::of(&value, scale, is_money),
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
            unit: format::statement_unit_note(statement, currency),
            caption: if statement.kind == StatementKind::Other {
                // Segment, non-GAAP and guidance tables are shown as printed, never checked.
                "As printed in the release; not part of the financial statements and not checked. Losses in parentheses.".to_string()
            } else {
                "Unaudited. Losses in parentheses.".to_string()
            },
            columns,
            sections,
        }
    }
}

/// Whether `quote` is already in the body (as ingest leaves every quote): a pull-quote would
/// print it twice. Quotes, apostrophes and spacing are compared loosely, since the body is
/// typeset with curly quotes and the front matter may not be, and so is the quote's last stop:
/// the body reads `…business plan," stated Irving` where the quote ends `business plan.`.
fn quoted_in(body_text: &str, quote: &str) -> bool {
    let loose = |text: &str| -> String {
        text.chars()
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{201c}' | '\u{201d}' => '"',
                c => c,
            })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let quote = loose(quote);
    let quote = quote.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    !quote.is_empty() && loose(body_text).contains(quote)
}

/// A release's own page.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseView {
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    /// The deck under the headline, if the release has one.
    pub subtitle: Option<String>,
    /// Which document of the filing the release is: `Exhibit 99.1`, `Form 8-K`.
    pub exhibit: String,
    pub dateline: Option<String>,
    pub ticker: String,
    pub market: Option<String>,
    pub body_html: String,
    pub quotes: Vec<QuoteView>,
    pub people: Vec<PersonRole>,
    pub tables: Vec<TableView>,
    pub fiscal_period: Option<String>,
    pub contact: Option<crate::model::Contact>,
    /// The contact's phone and website as links, when they are a number and an address.
    pub contact_tel: Option<String>,
    pub contact_url: Option<String>,
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
    /// The page of `release`, between the summaries of its newer and older neighbours.
    pub fn new(
        release: &Release,
        newer: Option<&ReleaseSummary>,
        older: Option<&ReleaseSummary>,
    ) -> ReleaseView {
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
        let body_text = markdown::plain_text(&release.body);
        let contact_field = |field: fn(&crate::model::Contact) -> Option<&str>| {
            front.contact.as_ref().and_then(field)
        };
        ReleaseView {
            summary: ReleaseSummary::new(release),
            subtitle: front.subtitle.clone(),
            exhibit: document_name(front.source.exhibit.as_deref()),
            dateline: front.dateline.clone(),
            ticker: front.ticker.clone(),
            market: front.market.clone(),
            body_html: markdown::to_safe_html(&release.body),
            quotes: front
                .quotes
                .iter()
                .filter(|quote| !quoted_in(&body_text, &quote.text))
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
            contact_tel: contact_field(|c| c.phone.as_deref()).and_then(tel_href),
            contact_url: contact_field(|c| c.website.as_deref()).and_then(web_href),
            about: front.about.clone(),
            safe_harbor: front.safe_harbor.clone(),
            filing: urls::filing(release),
            filing_kind: filing_kind(release),
            newer: newer.cloned(),
            older: older.cloned(),
        }
    }
}
