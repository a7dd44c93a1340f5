//! What a quarterly summary says, gathered from the releases: the data its template renders.
//!
//! Everything here is exact (amounts `i64`, per-share `Decimal`) and turned into display
//! strings once, with [`super::format`]; the template only arranges them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::ledger::Ledger;
use crate::model::{
    Category, Column, Event, EventTime, Figure, FiscalCalendar, Quarter, Release, Statement,
    StatementKind, Unit,
};

use crate::format::{self, Scale};

/// One bar of a chart: a quarter, its figure (none when the ledger has none), and whether the
/// figure was derived (e.g. a first quarter computed as six months minus the second quarter)
/// rather than reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartPoint {
    pub quarter: Quarter,
    pub value: Option<i64>,
    pub derived: bool,
}

/// At most this many quarters are charted.
pub const CHART_QUARTERS: usize = 8;

/// The quarterly amounts of `concept` from the ledger, reported or derived, for the quarters up
/// to and including `last`: at most [`CHART_QUARTERS`], starting with the first quarter that has
/// a figure, gaps left as `None`.
pub fn quarterly_series(ledger: &Ledger, concept: &str, last: Quarter) -> Vec<ChartPoint> {
    let known: BTreeMap<Quarter, (i64, bool)> = ledger
        .quarters(concept)
        .into_iter()
        .filter_map(|entry| {
            let quarter = entry.period.quarter()?;
            let Figure::Amount(value) = entry.value else {
                return None;
            };
            Some((quarter, (value, entry.origin.is_derived())))
        })
        .collect();
    let window: Vec<Quarter> = quarters_ending(last, CHART_QUARTERS);
    let first = window
        .iter()
        .position(|q| known.contains_key(q))
        .unwrap_or(window.len());
    window[first..]
        .iter()
        .map(|quarter| {
            let found = known.get(quarter);
            ChartPoint {
                quarter: *quarter,
                value: found.map(|(value, _)| *value),
                derived: found.is_some_and(|(_, derived)| *derived),
            }
        })
        .collect()
}

/// The `count` quarters ending with `last`, oldest first.
fn quarters_ending(last: Quarter, count: usize) -> Vec<Quarter> {
    let mut quarters = vec![last];
    while quarters.len() < count {
        let q = quarters[quarters.len() - 1];
        quarters.push(if q.number == 1 {
            Quarter {
                year: q.year - 1,
                number: 4,
            }
        } else {
            Quarter {
                number: q.number - 1,
                ..q
            }
        });
    }
    quarters.reverse();
    quarters
}

pub fn operations(release: &Release) -> Option<&Statement> {
    statement(release, StatementKind::Operations)
}

fn statement(release: &Release, kind: StatementKind) -> Option<&Statement> {
    release
        .front
        .financials
        .as_ref()?
        .statements
        .iter()
        .find(|s| s.kind == kind)
}

/// The earnings release reporting `quarter`; the latest if there are several.
pub fn results_release<'a>(releases: &[&'a Release], quarter: Quarter) -> Option<&'a Release> {
    releases
        .iter()
        .copied()
        .filter(|release| reports(release, quarter))
        .max_by_key(|release| (release.front.date, release.slug.clone()))
}

/// Whether `release` reports the results of `quarter`.
fn reports(release: &Release, quarter: Quarter) -> bool {
    release
        .front
        .financials
        .as_ref()
        .and_then(|f| Quarter::parse(&f.fiscal_period))
        == Some(quarter)
}

/// What a quarter's summary shows of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// The release reports the quarter or is dated in it: its figures, text, title, anything.
    Whole,
    /// Only its events, which fall in the next quarter.
    Events,
}

/// What the summary of `quarter` shows of `release`, if anything: the one rule for choosing
/// its releases, which the site also hashes into the summary's fingerprint.
pub fn draws_on(release: &Release, quarter: Quarter, calendar: FiscalCalendar) -> Option<Drawn> {
    let front = &release.front;
    if reports(release, quarter) || calendar.quarter_of(front.date) == quarter {
        Some(Drawn::Whole)
    } else if front
        .events
        .iter()
        .any(|event| calendar.quarter_of(event.start.day()) == quarter.next())
    {
        Some(Drawn::Events)
    } else {
        None
    }
}

#[derive(Debug, Serialize)]
pub struct CompanyContext {
    pub name: String,
    pub ticker: String,
    pub market: Option<String>,
    pub website: String,
}

impl CompanyContext {
    pub fn new(config: &SiteConfig) -> CompanyContext {
        CompanyContext {
            name: config.company.name.clone(),
            ticker: config.company.ticker.clone(),
            market: config.company.market.clone(),
            website: config
                .base_url
                .split_once("://")
                .map_or(config.base_url.as_str(), |(_, rest)| rest)
                .trim_end_matches('/')
                .to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct QuarterContext {
    /// `2003-Q2`.
    pub id: String,
    /// `Second Quarter 2003`.
    pub long_name: String,
    /// `Q2 2003`.
    pub short: String,
    /// `Q2 2002`.
    pub prior_short: String,
    /// `June 30, 2003`.
    pub end_date: String,
}

#[derive(Debug, Serialize)]
pub struct KeyFigureContext {
    pub label: String,
    pub current: String,
    pub prior: String,
    /// Signed: `−$253`.
    pub change: String,
    /// Signed and rounded to one decimal, or empty when not meaningful (see
    /// [`format::percent_change`]).
    pub percent: String,
}

#[derive(Debug, Serialize)]
pub struct QuoteContext {
    pub text: String,
    pub speaker: String,
    pub role: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ChartRow {
    pub label: String,
    /// One printed value per series; empty when not reported, ending in `*` when derived.
    pub values: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ChartContext {
    pub series: Vec<String>,
    pub rows: Vec<ChartRow>,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct StatementContext {
    pub kind: String,
    pub title: String,
    /// `In thousands of US dollars, except per-share amounts and shares`.
    pub note: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowContext>,
}

#[derive(Debug, Serialize)]
pub struct RowContext {
    pub label: String,
    pub cells: Vec<String>,
    pub total: bool,
    /// The balance-sheet section this row opens (`Assets`), if it opens one.
    pub section_start: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReleaseRef {
    pub date: String,
    pub title: String,
    pub category: String,
    /// The release's first sentence.
    pub summary: String,
    /// Where its printable PDF lives, relative to the site root.
    pub pdf: String,
}

impl ReleaseRef {
    pub fn new(release: &Release) -> ReleaseRef {
        ReleaseRef {
            date: format::long_date(release.front.date),
            title: release.front.title.clone(),
            category: release.front.category.label().to_string(),
            summary: first_sentence(&release.body),
            pdf: crate::urls::release_pdf(&release.slug),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct EventContext {
    pub date: String,
    pub time: Option<String>,
    pub title: String,
    pub kind: String,
    pub details: Vec<String>,
}

impl EventContext {
    pub fn new(event: &Event) -> EventContext {
        let time = match &event.start {
            EventTime::At(at) => Some(format::time_of_day(*at)),
            EventTime::Day(_) => None,
        };
        let mut details = Vec::new();
        if let Some(location) = &event.location {
            details.push(format!("Location: {location}"));
        }
        if let Some(dial_in) = &event.dial_in {
            details.push(format!("Dial-in: {dial_in}"));
        }
        if let Some(webcast) = &event.webcast {
            details.push(format!("Webcast: {webcast}"));
        }
        if let Some(replay) = &event.replay {
            let mut text = format!("Replay: {}", replay.phone);
            if let Some(passcode) = &replay.passcode {
                text.push_str(&format!(", passcode {passcode}"));
            }
            if let Some(until) = &replay.until {
                text.push_str(&format!(
                    ", until {}",
                    format::long_date(until.date_naive())
                ));
            }
            details.push(text);
        }
        EventContext {
            date: format::weekday_date(event.start.day()),
            time,
            title: event.title.clone(),
            kind: event.kind.label().to_string(),
            details,
        }
    }
}

/// Everything the quarterly-summary template sees.
#[derive(Debug, Serialize)]
pub struct SummaryContext {
    pub company: CompanyContext,
    pub quarter: QuarterContext,
    pub issued: String,
    pub release: ReleaseRef,
    pub amounts_note: String,
    pub key_figures: Vec<KeyFigureContext>,
    /// The release's lead paragraphs, as Markdown.
    pub highlights: Vec<String>,
    pub quotes: Vec<QuoteContext>,
    pub chart: ChartContext,
    pub statements: Vec<StatementContext>,
    pub developments: Vec<ReleaseRef>,
    pub events: Vec<EventContext>,
    pub sources: Vec<ReleaseRef>,
    #[serde(skip)]
    pub date: NaiveDate,
}

/// How many paragraphs of the release make its highlights.
const HIGHLIGHT_PARAGRAPHS: usize = 2;

impl SummaryContext {
    /// Gathers the summary of `quarter` from `releases`, which must hold every release
    /// [`draws_on`] chooses (others are passed over); `None` when no release reports its
    /// results. `ledger` is the one built from all the releases and `config`.
    pub fn new(
        quarter: Quarter,
        releases: &[&Release],
        ledger: &Ledger,
        config: &SiteConfig,
    ) -> Option<SummaryContext> {
        let release = results_release(releases, quarter)?;
        let calendar = config.fiscal_calendar();
        let currency = release
            .front
            .financials
            .as_ref()
            .map_or("USD", |f| f.currency.as_str());
        let operations = operations(release);
        let scale = operations.map_or(Scale::Units, format::statement_scale);
        let find_column = |q: Quarter| {
            operations.and_then(|s| {
                s.columns.iter().position(|c| {
                    matches!(c, Column::Period { months: 3, end, .. } if calendar.quarter_ending(*end) == q)
                })
            })
        };
        let current = find_column(quarter);
        let prior = find_column(quarter.previous_year());
        let end_date = current
            .and_then(|c| operations.map(|s| s.columns[c].end()))
            .map(format::long_date)
            .unwrap_or_default();
        let key_figures = match (operations, current) {
            (Some(statement), Some(current)) => key_figures(statement, current, prior, currency),
            _ => Vec::new(),
        };
        let chart = chart(ledger, quarter, scale, currency);
        let in_quarter = |day: NaiveDate| calendar.quarter_of(day) == quarter;
        let mut others: Vec<&Release> = releases
            .iter()
            .copied()
            .filter(|r| r.front.category != Category::Earnings && r.front.financials.is_none())
            .filter(|r| in_quarter(r.front.date))
            .collect();
        others.sort_by_key(|r| (r.front.date, r.slug.clone()));
        let mut sources: Vec<&Release> = others.clone();
        sources.push(release);
        sources.sort_by_key(|r| (r.front.date, r.slug.clone()));
        Some(SummaryContext {
            company: CompanyContext::new(config),
            quarter: QuarterContext {
                id: quarter.to_string(),
                long_name: quarter.long_name(),
                short: format::quarter_short(quarter),
                prior_short: format::quarter_short(quarter.previous_year()),
                end_date,
            },
            issued: format::long_date(release.front.date),
            release: ReleaseRef::new(release),
            amounts_note: amounts_note(currency),
            key_figures,
            highlights: lead_paragraphs(&release.body, HIGHLIGHT_PARAGRAPHS),
            quotes: quotes(release),
            chart,
            statements: statements(release),
            developments: others.iter().map(|r| ReleaseRef::new(r)).collect(),
            events: events(releases, release, quarter.next(), calendar),
            sources: sources.iter().map(|r| ReleaseRef::new(r)).collect(),
            date: release.front.date,
        })
    }
}

fn amounts_note(currency: &str) -> String {
    format!("Amounts in {}.", format::currency_name(currency))
}

/// Key concepts, in the order a results release discusses them. `eps` stands for the first
/// per-share row.
const KEY_FIGURES: [&str; 5] = [
    "revenue",
    "gross_profit",
    "pretax_income",
    "net_income",
    "eps",
];

/// A row's label as a key figure's: `Diluted` under `Earnings per share` reads `Earnings per
/// share, diluted`, since the card stands without its section; a label that names its concept
/// (`NET INCOME` under `OPERATING EXPENSES`) stands alone, in sentence case when it was printed
/// in capitals.
fn key_figure_label(row: &crate::model::Row) -> String {
    const GENERIC: [&str; 8] = [
        "basic", "diluted", "total", "and", "assuming", "dilution", "net", "-",
    ];
    let generic = row.label.split_whitespace().count() <= 2
        && row
            .label
            .split_whitespace()
            .all(|word| GENERIC.contains(&word.to_lowercase().as_str()));
    match &row.section {
        Some(section) if generic => {
            format!(
                "{}, {}",
                format::sentence_case(section),
                row.label.to_lowercase()
            )
        }
        _ if is_shouted(&row.label) => format::sentence_case(&row.label),
        _ => row.label.clone(),
    }
}

/// Capitals over more than one word: the statement shouting, not an acronym (`EBITDA`).
fn is_shouted(label: &str) -> bool {
    label.split_whitespace().count() > 1 && !label.chars().any(char::is_lowercase)
}

fn key_figures(
    statement: &Statement,
    current: usize,
    prior: Option<usize>,
    currency: &str,
) -> Vec<KeyFigureContext> {
    KEY_FIGURES
        .iter()
        .filter_map(|key| {
            let row = if *key == "eps" {
                // Diluted earnings per share is the figure a results release leads with.
                ["eps_diluted", "eps_basic_diluted", "eps_basic"]
                    .iter()
                    .find_map(|eps| statement.rows.iter().find(|row| row.key == *eps))
                    .or_else(|| {
                        statement
                            .rows
                            .iter()
                            .find(|row| row.unit() == Unit::PerShare)
                    })
            } else {
                statement.rows.iter().find(|row| row.key == *key)
            }?;
            let now = (*row.values.get(current)?)?;
            let before = prior.and_then(|p| row.values.get(p).copied().flatten());
            let (change, percent) = match (now, before) {
                (Figure::Amount(a), Some(Figure::Amount(b))) => (
                    a.checked_sub(b)
                        .map(|d| format::signed_change(Figure::Amount(d), currency))
                        .unwrap_or_default(),
                    format::percent_change(Decimal::from(a), Decimal::from(b)),
                ),
                (Figure::PerShare(a), Some(Figure::PerShare(b))) => (
                    a.checked_sub(b)
                        .map(|d| format::signed_change(Figure::PerShare(d), currency))
                        .unwrap_or_default(),
                    format::percent_change(a, b),
                ),
                _ => (String::new(), None),
            };
            let money = row.unit() != Unit::Shares;
            Some(KeyFigureContext {
                label: key_figure_label(row),
                current: format::figure_text(now, currency, money),
                prior: before.map_or_else(
                    || "n/a".to_string(),
                    |b| format::figure_text(b, currency, money),
                ),
                change,
                percent: percent.map(format::percent).unwrap_or_default(),
            })
        })
        .collect()
}

/// Revenue and net income by quarter from the ledger, in thousands when the statement of
/// operations is and every bar prints exactly that way.
fn chart(ledger: &Ledger, quarter: Quarter, scale: Scale, currency: &str) -> ChartContext {
    let series = [("revenue", "Revenue"), ("net_income", "Net income (loss)")];
    let points: Vec<Vec<ChartPoint>> = series
        .iter()
        .map(|(key, _)| quarterly_series(ledger, key, quarter))
        .collect();
    let scale = match scale {
        Scale::Units => Scale::Units,
        filed => Scale::filed(
            if filed == Scale::Millions {
                1_000_000
            } else {
                1_000
            },
            points.iter().flatten().filter_map(|p| p.value),
        ),
    };
    chart_context(
        series.iter().map(|(_, title)| title.to_string()).collect(),
        &points,
        scale,
        currency,
    )
}

/// Lines up several series by quarter into printed rows: the chart the template writes. Bars
/// are labelled as the site's charts and running text print money (`−$4,679,000`), never as a
/// table does (see `docs/numbers.md`).
pub fn chart_context(
    series: Vec<String>,
    points: &[Vec<ChartPoint>],
    scale: Scale,
    currency: &str,
) -> ChartContext {
    let mut quarters: Vec<Quarter> = points.iter().flatten().map(|p| p.quarter).collect();
    quarters.sort();
    quarters.dedup();
    let rows = quarters
        .iter()
        .map(|quarter| ChartRow {
            label: format::quarter_short(*quarter),
            values: points
                .iter()
                .map(|series| {
                    series
                        .iter()
                        .find(|p| p.quarter == *quarter)
                        .and_then(|p| p.value.map(|v| (v, p.derived)))
                        .map_or_else(String::new, |(value, derived)| {
                            let text = format::money_at(value, scale, currency);
                            if derived { format!("{text}*") } else { text }
                        })
                })
                .collect(),
        })
        .collect();
    let note = match scale {
        Scale::Thousands => "Three-month figures in thousands.".to_string(),
        Scale::Millions => "Three-month figures in millions.".to_string(),
        Scale::Units => "Three-month figures.".to_string(),
    };
    ChartContext { series, rows, note }
}

/// Both statements of a release, printed; the unit is in each table's note, so figures carry
/// no currency symbol.
pub fn statements(release: &Release) -> Vec<StatementContext> {
    let Some(financials) = &release.front.financials else {
        return Vec::new();
    };
    financials
        .statements
        .iter()
        .map(|statement| {
            let scale = format::statement_scale(statement);
            let note = format::statement_unit_note(statement, &financials.currency);
            let mut section: Option<&str> = None;
            let rows = statement
                .rows
                .iter()
                .map(|row| {
                    let section_start = match (&row.section, section) {
                        (Some(s), previous) if previous != Some(s.as_str()) => Some(s.clone()),
                        _ => None,
                    };
                    section = row.section.as_deref();
                    let money = row.unit() == Unit::Currency;
                    RowContext {
                        label: row.label.clone(),
                        cells: row
                            .values
                            .iter()
                            .map(|value| {
                                value.map_or_else(String::new, |v| {
                                    format::figure_cell(v, scale, money)
                                })
                            })
                            .collect(),
                        total: row.total,
                        section_start,
                    }
                })
                .collect();
            StatementContext {
                kind: match statement.kind {
                    StatementKind::Operations => "operations".to_string(),
                    StatementKind::BalanceSheet => "balance_sheet".to_string(),
                    StatementKind::CashFlow => "cash_flow".to_string(),
                    StatementKind::Other => "other".to_string(),
                },
                title: statement.title.clone(),
                note,
                columns: statement.columns.iter().map(column_label).collect(),
                rows,
            }
        })
        .collect()
}

fn column_label(column: &Column) -> String {
    match column {
        Column::Period { months, end, .. } => format::period_label(*months, *end),
        Column::Instant { date, .. } => format::long_date(*date),
    }
}

fn quotes(release: &Release) -> Vec<QuoteContext> {
    release
        .front
        .quotes
        .iter()
        .map(|quote| QuoteContext {
            text: quote.text.clone(),
            speaker: quote.speaker.clone(),
            role: release
                .front
                .people
                .iter()
                .find(|person| person.name == quote.speaker)
                .map(|person| person.role.clone()),
        })
        .collect()
}

/// The results release's own events (the call and its replay), then every event of any
/// release that falls in the next quarter, in date order, each once.
fn events(
    releases: &[&Release],
    results: &Release,
    next: Quarter,
    calendar: FiscalCalendar,
) -> Vec<EventContext> {
    let mut chosen: Vec<&Event> = results.front.events.iter().collect();
    for release in releases {
        for event in &release.front.events {
            if calendar.quarter_of(event.start.day()) == next && !chosen.contains(&event) {
                chosen.push(event);
            }
        }
    }
    chosen.sort_by_key(|event| (event.start.day(), event.title.clone()));
    chosen.into_iter().map(EventContext::new).collect()
}

/// The first `count` prose paragraphs of a Markdown body.
pub fn lead_paragraphs(body: &str, count: usize) -> Vec<String> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with(['#', '|', '>', '`', '-', '*']))
        .take(count)
        .map(str::to_string)
        .collect()
}

/// The first sentence of a body's first paragraph, as text: the paragraph's Markdown is read
/// first, so that `\<script\>` prints as `<script>` and never with its backslashes. A full stop
/// ends a sentence unless it ends an abbreviation or initial (`Wm.`, `L.`, `M.D.`) or the next
/// word starts in lower case.
pub fn first_sentence(body: &str) -> String {
    let paragraph = lead_paragraphs(body, 1)
        .into_iter()
        .next()
        .unwrap_or_default();
    let paragraph = crate::model::body::lead_text(&paragraph, usize::MAX);
    let words: Vec<&str> = paragraph.split_whitespace().collect();
    let mut sentence = Vec::new();
    for (i, word) in words.iter().enumerate() {
        sentence.push(*word);
        let ends =
            word.ends_with(['.', '!', '?']) || word.ends_with(".\"") || word.ends_with(".\u{201d}");
        if !ends {
            continue;
        }
        let stem = word.trim_end_matches(['.', '"', '\u{201d}']);
        let initial_or_title = stem.len() <= 3
            && stem.chars().next().is_some_and(char::is_uppercase)
            && stem.chars().all(char::is_alphabetic);
        let abbreviation = initial_or_title || stem.contains('.');
        let next_starts_lower = words
            .get(i + 1)
            .and_then(|next| next.chars().next())
            .is_some_and(char::is_lowercase);
        if !abbreviation && !next_starts_lower {
            break;
        }
    }
    sentence.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_figure_named_only_within_its_section_says_the_section() {
        let row = |label: &str, section: Option<&str>| crate::model::Row {
            key: "eps_diluted".into(),
            label: label.into(),
            section: section.map(str::to_string),
            values: Vec::new(),
            total: false,
        };
        assert_eq!(
            key_figure_label(&row("Diluted", Some("EARNINGS PER SHARE"))),
            "Earnings per share, diluted"
        );
        assert_eq!(
            key_figure_label(&row("Basic and diluted per share amounts", None)),
            "Basic and diluted per share amounts"
        );
        // A label that names its concept needs no section, and loses its capitals (Buckle).
        assert_eq!(
            key_figure_label(&row("NET INCOME", Some("OPERATING EXPENSES"))),
            "Net income"
        );
        assert_eq!(
            key_figure_label(&row("INCOME BEFORE INCOME TAXES", None)),
            "Income before income taxes"
        );
        assert_eq!(key_figure_label(&row("EBITDA", None)), "EBITDA");
        assert_eq!(
            key_figure_label(&row("Total", Some("Revenues"))),
            "Revenues, total"
        );
    }

    #[test]
    fn first_sentences_skip_initials_and_titles() {
        let body = "HemaCare announced the appointment of Wm. Andrew L. Heaton, M.D. and Terry Van Der Tuuk to its Board. Second sentence.";
        assert_eq!(
            first_sentence(body),
            "HemaCare announced the appointment of Wm. Andrew L. Heaton, M.D. and Terry Van Der Tuuk to its Board."
        );
        assert_eq!(
            first_sentence("It rose 2.8% in Q3. Then fell."),
            "It rose 2.8% in Q3."
        );
    }

    #[test]
    fn eight_quarters_end_with_the_last() {
        let q = Quarter::parse("2003-Q3").unwrap();
        let window = quarters_ending(q, 8);
        assert_eq!(window.first().unwrap().to_string(), "2001-Q4");
        assert_eq!(window.last().unwrap().to_string(), "2003-Q3");
    }
}
