//! The types every stage shares: a press release and what it carries.
//!
//! `ingest` produces these, writes them as Markdown with YAML front matter, and every later stage
//! (`ledger`, `site`, `pdf`, `mail`) reads them back through [`Release::parse`]. The field names
//! are the public front-matter contract documented in `docs/front-matter.md`: change them only
//! with a migration note.

pub(crate) mod aliases;
pub mod body;
pub mod file;
mod lines;
mod yaml;

pub use lines::SourceLines;

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Schema;

/// Everything the front matter of a release holds, in the order it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    /// The line printed under the headline, when the release has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    pub date: NaiveDate,
    pub category: Category,
    pub company: String,
    pub ticker: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Person>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financials: Option<Financials>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_harbor: Option<String>,
}

/// What the front-matter keys hold, for error messages about a hand-edited release: the keys
/// whose Rust type (a date, a string) does not tell a person what to write.
pub const FRONT_MATTER: Schema = Schema {
    document: "the front matter",
    expected: &[
        (
            "title",
            "the release's headline, e.g. `HemaCare Reports Third Quarter Financial Results`",
        ),
        ("date", "the release date as YYYY-MM-DD, e.g. `2003-11-14`"),
        ("company", "the company's name, e.g. `HemaCare Corporation`"),
        ("ticker", "the ticker symbol, e.g. `HEMA`"),
        (
            "source",
            "the raw filing: `{ file: raw/<name>.txt, sha256: \"<its SHA-256>\" }`",
        ),
        (
            "source.file",
            "the raw filing's path under content/, e.g. `raw/2003-11-14-q3-2003-results.txt`",
        ),
        ("source.sha256", "the raw filing's SHA-256, 64 hex digits"),
        (
            "events[].start",
            "a date and time with its UTC offset, e.g. `2003-11-14T16:30:00-05:00`, or a date \
             as YYYY-MM-DD",
        ),
        (
            "events[].replay.until",
            "a date and time with its UTC offset, e.g. `2003-11-21T23:59:00-05:00`",
        ),
        ("financials.currency", "an ISO 4217 code, e.g. `USD`"),
        ("financials.fiscal_period", "a quarter, e.g. `2003-Q3`"),
        (
            "financials.statements[].columns",
            "one column per printed column: `{ label, start, end, months }` for a period, \
             `{ label, date }` for a balance-sheet date",
        ),
        (
            "financials.statements[].rows[].values",
            "one figure per column: a whole number (`6980000`), a per-share amount in quotes \
             (`\"-0.60\"`), or `null` for a blank cell",
        ),
    ],
};

/// What a release is about; drives news sections and the quarterly summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Earnings,
    Management,
    Board,
    ShareholderMeeting,
    Dividend,
    Business,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Earnings,
        Category::Management,
        Category::Board,
        Category::ShareholderMeeting,
        Category::Dividend,
        Category::Business,
    ];

    /// The name used in front matter and URLs (`shareholder-meeting`).
    pub fn slug(self) -> &'static str {
        match self {
            Category::Earnings => "earnings",
            Category::Management => "management",
            Category::Board => "board",
            Category::ShareholderMeeting => "shareholder-meeting",
            Category::Dividend => "dividend",
            Category::Business => "business",
        }
    }

    /// The name a reader sees (`Shareholder meeting`).
    pub fn label(self) -> &'static str {
        match self {
            Category::Earnings => "Earnings",
            Category::Management => "Management",
            Category::Board => "Board of directors",
            Category::ShareholderMeeting => "Shareholder meeting",
            Category::Dividend => "Dividends",
            Category::Business => "Business",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// The raw filing a release was extracted from, so that every figure can be traced back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Path relative to `content/`, e.g. `raw/2003-11-14-q3-2003-results.txt`.
    pub file: String,
    /// SHA-256 of the raw file's bytes, lower-case hex.
    pub sha256: String,
    /// The document of a submission the release is in, by its `<TYPE>` (`EX-99.1`) and, when
    /// the submission names it, its `<FILENAME>`: the copy "as filed" is that document alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exhibit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// What the EDGAR submission header says of the filing, when the raw file is a whole
    /// submission (a bare exhibit has no header): `CONFORMED SUBMISSION TYPE` (`8-K`), `FILED AS
    /// OF DATE`, `ACCESSION NUMBER` (`0000320193-24-000005`) and the filer's `CENTRAL INDEX KEY`
    /// without leading zeros. The SEC filings page lists them and links to EDGAR's index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accession: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cik: Option<String>,
}

/// The investor-relations contact printed at the top of a release.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// Someone the release names with a role, in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub speaker: String,
    pub text: String,
}

/// Something with a date that a shareholder may want in a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub kind: EventKind,
    pub title: String,
    pub start: EventTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dial_in: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<Replay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webcast: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    ConferenceCall,
    AnnualMeeting,
    RecordDate,
    ProxyMailing,
    Other,
}

impl EventKind {
    pub fn label(self) -> &'static str {
        match self {
            EventKind::ConferenceCall => "Conference call",
            EventKind::AnnualMeeting => "Annual meeting",
            EventKind::RecordDate => "Record date",
            EventKind::ProxyMailing => "Proxy mailing",
            EventKind::Other => "Event",
        }
    }
}

/// An event happens at a moment (with the UTC offset the release implies) or on a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EventTime {
    /// Serialized as RFC 3339, e.g. `2003-11-14T16:30:00-05:00`.
    At(#[serde(with = "rfc3339")] DateTime<FixedOffset>),
    Day(NaiveDate),
}

impl EventTime {
    /// The calendar day the event falls on, in its own time zone.
    pub fn day(&self) -> NaiveDate {
        match self {
            EventTime::At(at) => at.date_naive(),
            EventTime::Day(day) => *day,
        }
    }
}

/// Replay of a conference call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replay {
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub until: Option<DateTime<FixedOffset>>,
}

/// The financial tables of an earnings release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Financials {
    /// ISO 4217 code; amounts are integers in this currency's unit.
    pub currency: String,
    /// The fiscal quarter the results are for, e.g. `2003-Q3`.
    pub fiscal_period: String,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub kind: StatementKind,
    pub title: String,
    /// What the printed money figures were multiplied by (`1000` for a table "in thousands"),
    /// so that pages show the statement at the scale it was filed in; absent for whole units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<i64>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Operations,
    BalanceSheet,
    CashFlow,
    /// Any other table of figures: segment results, non-GAAP reconciliations, key metrics,
    /// guidance, a summary of a statement printed in full elsewhere. Shown on pages with its
    /// title, never read into the ledger or checked.
    Other,
}

impl StatementKind {
    /// The GAAP statements, which the ledger and the checks read; `other` tables are only shown.
    pub fn is_statement(self) -> bool {
        self != StatementKind::Other
    }
}

/// One printed column: a span of months (operations) or an instant (balance sheet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Column {
    Period {
        label: String,
        start: NaiveDate,
        end: NaiveDate,
        months: u32,
    },
    Instant {
        label: String,
        date: NaiveDate,
    },
}

impl Column {
    pub fn label(&self) -> &str {
        match self {
            Column::Period { label, .. } | Column::Instant { label, .. } => label,
        }
    }

    /// The last day the column covers.
    pub fn end(&self) -> NaiveDate {
        match self {
            Column::Period { end, .. } => *end,
            Column::Instant { date, .. } => *date,
        }
    }
}

/// One line of a statement. `values` has one entry per column; `None` where the cell is blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Sign-neutral concept key, the same in every release (`net_income`, `total_assets`).
    pub key: String,
    /// The label as printed, losses keep their wording (`Net loss`).
    pub label: String,
    /// The heading the row sits under on the balance sheet (`Assets`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub values: Vec<Option<Figure>>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub total: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A number as printed in a table.
///
/// Amounts (money in the currency's unit, and share counts) are exact integers; per-share figures
/// are exact decimals that keep the printed precision and are written as strings (`"-0.60"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Figure {
    Amount(i64),
    PerShare(#[serde(serialize_with = "per_share::serialize")] Decimal),
}

/// By hand rather than `untagged`, whose error ("did not match any variant") would hide why a
/// per-share figure was refused.
impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Figure, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Figure;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number, or a per-share amount in quotes")
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Figure, E> {
                Ok(Figure::Amount(value))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Figure, E> {
                i64::try_from(value).map(Figure::Amount).map_err(|_| {
                    E::custom(crate::diagnostics::own_message(format!(
                        "{value} is too large for an amount (at most {})",
                        i64::MAX
                    )))
                })
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Figure, E> {
                per_share::parse(text)
                    .map(Figure::PerShare)
                    .map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Per-share figures as strings. A loss that rounds to nothing is printed `(0.00)`; it is kept
/// as `-0.00` so the sign survives, which `Decimal`'s own parser would drop.
mod per_share {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    /// The figure exactly as written, or why not. `Decimal` holds 28 significant digits;
    /// its lenient parser would round a longer figure (a 32-digit EPS became `-1.0000…`), so
    /// such a figure is refused: a release prints per-share amounts to a few places.
    pub fn parse(text: &str) -> Result<Decimal, String> {
        let trimmed = text.trim();
        let mut value = Decimal::from_str_exact(trimmed).map_err(|err| {
            let why = match err {
                rust_decimal::Error::Underflow
                | rust_decimal::Error::ExceedsMaximumPossibleValue
                | rust_decimal::Error::LessThanMinimumPossibleValue => format!(
                    "the per-share amount `{trimmed}` has more digits than hemasite keeps \
                     exactly (28); write it as the release prints it, e.g. `\"-0.60\"`"
                ),
                _ => format!("expected a per-share amount such as `\"-0.60\"`, found `{trimmed}`"),
            };
            crate::diagnostics::own_message(why)
        })?;
        if trimmed.starts_with('-') {
            value.set_sign_negative(true);
        }
        Ok(value)
    }
}

/// What a row's figures measure, which follows from its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Currency,
    PerShare,
    Shares,
}

impl Row {
    pub fn unit(&self) -> Unit {
        unit_of_key(&self.key)
    }

    /// The amount in currency units printed in `column`, when one is (not a per-share figure,
    /// not a blank).
    pub fn amount(&self, column: usize) -> Option<i64> {
        match self.values.get(column).copied().flatten() {
            Some(Figure::Amount(value)) => Some(value),
            _ => None,
        }
    }
}

/// Per-share keys start with `eps` or say `per_share` (`dividends_declared_per_share`); share
/// counts have the word `shares` among their first words (`weighted_shares_basic_diluted`,
/// `average_shares_outstanding`) and are not about capital (`common_stock_…_shares_issued` is
/// money); everything else is money.
pub fn unit_of_key(key: &str) -> Unit {
    const CAPITAL: [&str; 5] = ["par", "capital", "stock", "paid", "premium"];
    let words: Vec<&str> = key.split('_').collect();
    if key.starts_with("eps") || key.contains("per_share") || key.contains("per_common_share") {
        Unit::PerShare
    } else if words.iter().take(5).any(|word| *word == "shares")
        && !words.iter().any(|word| CAPITAL.contains(word))
    {
        Unit::Shares
    } else {
        Unit::Currency
    }
}

/// A release as read from `content/releases/*.md`: front matter, body, and where it lives.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub front: FrontMatter,
    /// Markdown prose, without the front matter.
    pub body: String,
    /// The file stem, `<date>-<slug>`, also the page's URL segment.
    pub slug: String,
    pub path: PathBuf,
    /// Where its statements, body and keys are in the file, for messages about them.
    pub lines: SourceLines,
}

/// Slugs become file and URL names, so they may hold only `a-z`, `0-9` and inner `-`.
pub fn is_safe_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Lower-case, ASCII, hyphen-separated words: `HemaCare Reports Q3` becomes `hemacare-reports-q3`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') && c != '\'' && c != '\u{2019}' {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// `9` → `September`; months outside 1–12 are clamped.
pub fn month_name(month: u32) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][(month as usize).clamp(1, 12) - 1]
}

/// A fiscal quarter such as `2003-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    pub number: u32,
}

impl Quarter {
    pub fn parse(text: &str) -> Option<Quarter> {
        let (year, quarter) = text.split_once("-Q")?;
        let year = year.parse().ok()?;
        let number = quarter.parse().ok().filter(|n| (1..=4).contains(n))?;
        Some(Quarter { year, number })
    }

    /// `Third Quarter 2003`.
    pub fn long_name(self) -> String {
        let ordinal = ["First", "Second", "Third", "Fourth"][self.number as usize - 1];
        format!("{ordinal} Quarter {}", self.year)
    }

    /// The fiscal quarter a period ending on `end` reports: 13/26/39/52/53-week periods end
    /// within a week of a month's end, on either side, so the day first stands for the month end
    /// it is nearest ([`fiscal_month_end`]). Apple's quarter ended 2023-12-30 (fiscal year ending
    /// in September) is 2024-Q1; a 53-week year ended 2022-10-01 ends fiscal 2022. The one rule
    /// for statements, the ledger and the quarterly summaries.
    pub fn of_period_end(end: NaiveDate, fiscal_year_end_month: u32) -> Quarter {
        Quarter::containing(fiscal_month_end(end), fiscal_year_end_month)
    }

    /// The fiscal quarter a day falls in (a release's date, an event's), for a fiscal year
    /// ending on the last day of `fiscal_year_end_month`. A fiscal year is named after the
    /// calendar year it ends in.
    pub fn containing(day: NaiveDate, fiscal_year_end_month: u32) -> Quarter {
        use chrono::Datelike;
        let months_into_year = (day.month() + 11 - fiscal_year_end_month) % 12;
        let year = if day.month() > fiscal_year_end_month {
            day.year() + 1
        } else {
            day.year()
        };
        Quarter {
            year,
            number: months_into_year / 3 + 1,
        }
    }

    /// The quarter after this one.
    pub fn next(self) -> Quarter {
        if self.number == 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                number: self.number + 1,
                ..self
            }
        }
    }

    pub fn previous_year(self) -> Quarter {
        Quarter {
            year: self.year - 1,
            ..self
        }
    }
}

/// The company's fiscal year: the one calendar every stage reads periods with. `site.yaml`'s
/// `fiscal_year_end` becomes one in `SiteConfig::fiscal_calendar`; ingest names a statement's
/// fiscal period with it, the ledger places columns by it, and the site and the PDFs decide which
/// quarter a release or an event falls in by it.
/// When it ends: a month and the day it ends on or near (a 52/53-week year ends
/// within a week of it). Fiscal years are named after the calendar year they end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalCalendar {
    /// The month the fiscal year ends in (12 for December).
    pub year_end_month: u32,
    /// The day of that month it ends on.
    pub year_end_day: u32,
    /// Fiscal years are named after the calendar year they start in (many retailers: the year
    /// ended February 1, 2025 is their fiscal 2024), not the one they end in.
    pub named_for_start: bool,
}

impl Default for FiscalCalendar {
    /// The calendar year.
    fn default() -> Self {
        FiscalCalendar {
            year_end_month: 12,
            year_end_day: 31,
            named_for_start: false,
        }
    }
}

impl FiscalCalendar {
    /// The fiscal quarter `day` falls in.
    pub fn quarter_of(&self, day: NaiveDate) -> Quarter {
        self.named(Quarter::containing(day, self.year_end_month))
    }

    /// The fiscal quarter a period ending on `end` (a month end, or a week-based end near one)
    /// closes.
    pub fn quarter_ending(&self, end: NaiveDate) -> Quarter {
        self.named(Quarter::of_period_end(end, self.year_end_month))
    }

    /// The quarter a release's statements report on: the latest three-month column of its
    /// operations statement, failing that the latest column of any GAAP statement, then of any
    /// table. Ingest records it as `financials.fiscal_period`; `check` compares the two, so a
    /// change to `fiscal_year_end` after ingest is noticed.
    pub fn period_reported(&self, statements: &[Statement]) -> Option<Quarter> {
        let gaap = || statements.iter().filter(|s| s.kind.is_statement());
        let quarter_end = gaap()
            .filter(|s| s.kind == StatementKind::Operations)
            .flat_map(|s| &s.columns)
            .filter_map(|column| match column {
                Column::Period { end, months: 3, .. } => Some(*end),
                _ => None,
            })
            .max()
            .or_else(|| gaap().flat_map(|s| &s.columns).map(Column::end).max())
            .or_else(|| {
                statements
                    .iter()
                    .flat_map(|s| &s.columns)
                    .map(Column::end)
                    .max()
            })?;
        Some(self.quarter_ending(quarter_end))
    }

    /// How many years a fiscal year's name is before the calendar year it ends in: one for a
    /// year named after its start that does not start in January.
    fn name_lag(&self) -> i32 {
        i32::from(self.named_for_start && self.year_end_month != 12)
    }

    fn named(&self, quarter: Quarter) -> Quarter {
        Quarter {
            year: quarter.year - self.name_lag(),
            ..quarter
        }
    }

    /// The nominal last day of fiscal year `year`: its day, or the month's last when the month
    /// is shorter (`02-29` in a common year).
    pub fn year_end(&self, year: i32) -> Option<NaiveDate> {
        let month = self.year_end_month;
        let year = year + self.name_lag();
        NaiveDate::from_ymd_opt(year, month, self.year_end_day).or_else(|| {
            NaiveDate::from_ymd_opt(year, month, 1)?
                .checked_add_months(Months::new(1))?
                .pred_opt()
        })
    }
}

/// The month end a period's last day stands for: the day itself when it is a month end, the end
/// of its month when it falls in the last week of it, the end of the month before when it falls in
/// the first week (a 53-week year ending October 1). The one rule for 52/53-week calendars.
pub fn fiscal_month_end(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let month_end = |date: NaiveDate| {
        let first = date.with_day(1).unwrap_or(date);
        first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|next| next.pred_opt())
            .unwrap_or(date)
    };
    let end = month_end(day);
    if (end - day).num_days() < 7 {
        end
    } else if day.day() <= 7 {
        day.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(day)
    } else {
        day
    }
}

/// The first day of the month a period's first day stands for: the mirror of
/// [`fiscal_month_end`] (a 13-week quarter may start on September 25 or October 3 for October).
pub fn fiscal_month_start(day: NaiveDate) -> NaiveDate {
    day.pred_opt()
        .map(fiscal_month_end)
        .and_then(|end| end.succ_opt())
        .unwrap_or(day)
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

mod rfc3339 {
    use chrono::{DateTime, FixedOffset, SecondsFormat};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Secs, false))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

mod rfc3339_opt {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        at: &Option<DateTime<FixedOffset>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => super::rfc3339::serialize(at, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        text.map(|text| DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn slugify_makes_url_safe_names() {
        assert_eq!(
            slugify("HemaCare Reports Third Quarter Financial Results"),
            "hemacare-reports-third-quarter-financial-results"
        );
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Company's 2004 Meeting"), "companys-2004-meeting");
        assert!(is_safe_slug(&slugify("Ünïcode & <script>")));
    }

    #[test]
    fn figures_keep_exact_values() {
        let yaml = "[6980000, \"-0.60\", null, \"-0.00\"]";
        let values: Vec<Option<Figure>> = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(values[0], Some(Figure::Amount(6_980_000)));
        assert_eq!(values[1], Some(Figure::PerShare(Decimal::new(-60, 2))));
        assert_eq!(values[2], None);
        let back = serde_yaml::to_string(&values).unwrap();
        assert!(back.contains("'-0.60'"), "{back}");
        assert!(
            back.contains("'-0.00'"),
            "a loss rounding to zero keeps its sign: {back}"
        );
    }

    #[test]
    fn a_per_share_figure_is_exact_or_refused() {
        let text = "---\ntitle: A\ndate: 2003-01-01\ncategory: earnings\ncompany: C\nticker: X\n\
                    source: { file: raw/a.txt, sha256: x }\nfinancials:\n  currency: USD\n  \
                    fiscal_period: 2003-Q1\n  statements:\n    - kind: operations\n      title: Ops\n      \
                    columns: [ { label: Q, start: 2003-01-01, end: 2003-03-31, months: 3 } ]\n      \
                    rows:\n        - { key: eps_basic, label: EPS, values: [\"VALUE\"] }\n---\nbody\n";
        let parse = |value: &str| {
            Release::parse(
                Path::new("x/2003-01-01-a.md"),
                &text.replace("VALUE", value),
            )
        };
        let exact = "-1.000000000000000000000000001";
        let release = parse(exact).unwrap();
        let rows = &release.front.financials.unwrap().statements[0].rows;
        assert_eq!(
            rows[0].values[0],
            Some(Figure::PerShare(exact.parse().unwrap()))
        );
        let err = parse("-1.0000000000000000000000000000001").unwrap_err();
        assert_eq!(err.line, 16, "{err}");
        assert!(
            err.message
                .contains("more digits than hemasite keeps exactly"),
            "{err}"
        );
        let err = parse("about a dollar").unwrap_err();
        assert!(err.message.contains("expected a per-share amount"), "{err}");
    }

    #[test]
    fn front_matter_aliases_are_refused_by_line() {
        let text = "---\ntitle: &t A\ndate: 2003-01-01\nabout: *t\n---\nbody\n";
        let err = Release::parse(Path::new("x/2003-01-01-a.md"), text).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("YAML alias"), "{err}");
        let config = "title: &t T\nbase_url: *t\n";
        let err = crate::config::SiteConfig::parse(Path::new("site.yaml"), config).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn a_date_the_calendar_lacks_says_so() {
        for (date, days) in [
            ("2003-02-30", "February 2003 has 28 days"),
            ("2003-06-31", "June 2003 has 30 days"),
        ] {
            let text = format!("---\ntitle: A\ndate: {date}\n---\nbody\n");
            let err = Release::parse(Path::new("x/2003-01-01-a.md"), &text).unwrap_err();
            assert_eq!(err.line, 3, "{err}");
            assert!(err.message.contains("no such date"), "{err}");
            assert!(err.message.contains(days), "{err}");
        }
    }

    #[test]
    fn units_follow_from_keys() {
        assert_eq!(unit_of_key("eps_basic_diluted"), Unit::PerShare);
        assert_eq!(unit_of_key("weighted_shares_basic_diluted"), Unit::Shares);
        assert_eq!(unit_of_key("shares"), Unit::Shares);
        assert_eq!(unit_of_key("net_income"), Unit::Currency);
        assert_eq!(unit_of_key("shareholders_equity"), Unit::Currency);
    }

    #[test]
    fn quarters_parse_and_print() {
        let q = Quarter::parse("2003-Q3").unwrap();
        assert_eq!(q.to_string(), "2003-Q3");
        assert_eq!(q.long_name(), "Third Quarter 2003");
        assert_eq!(Quarter::parse("2003-Q5"), None);
        let sep30 = NaiveDate::from_ymd_opt(2003, 9, 30).unwrap();
        assert_eq!(Quarter::containing(sep30, 12).to_string(), "2003-Q3");
        assert_eq!(Quarter::containing(sep30, 6).to_string(), "2004-Q1");
        assert_eq!(Quarter::containing(sep30, 9).to_string(), "2003-Q4");
        // A 13-week quarter ending the last Saturday of December, a 53-week year ending the
        // first Saturday of October; a release dated January 3 is news of the first quarter.
        let dec30 = NaiveDate::from_ymd_opt(2023, 12, 30).unwrap();
        assert_eq!(Quarter::of_period_end(dec30, 9).to_string(), "2024-Q1");
        let oct1 = NaiveDate::from_ymd_opt(2022, 10, 1).unwrap();
        assert_eq!(Quarter::of_period_end(oct1, 9).to_string(), "2022-Q4");
        let jan3 = NaiveDate::from_ymd_opt(2004, 1, 3).unwrap();
        assert_eq!(Quarter::containing(jan3, 12).to_string(), "2004-Q1");
    }

    #[test]
    fn front_matter_errors_name_the_line() {
        let unclosed = Release::parse(Path::new("x.md"), "---\ntitle: A\n\nBody.\n").unwrap_err();
        assert!(
            unclosed.message.contains("never closed"),
            "{}",
            unclosed.message
        );
        let text = "---\ntitle: A\ndate: not-a-date\n---\nbody\n";
        let err = Release::parse(Path::new("x/2003-01-01-a.md"), text).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;
        use std::path::Path;

        /// Lines of YAML-ish front matter: keys the contract has, values of every shape,
        /// anchors, aliases, flow brackets, quotes, block scalars and indentation.
        fn front_matter_line() -> impl Strategy<Value = String> {
            let key = prop_oneof![
                Just("title"),
                Just("date"),
                Just("category"),
                Just("company"),
                Just("ticker"),
                Just("source"),
                Just("people"),
                Just("quotes"),
                Just("financials"),
                Just("about"),
                Just("  - name"),
                Just("  file"),
                Just("    values"),
                Just("x"),
            ];
            let value = prop_oneof![
                "\\PC{0,12}",
                Just("2003-02-30".to_string()),
                Just("2003-11-14".to_string()),
                Just("&a [1, 2]".to_string()),
                Just("*a".to_string()),
                Just("[*a, *a, *a]".to_string()),
                Just("{ file: raw/x.txt, sha256: x }".to_string()),
                Just("\"-1.00000000000000000000000000000001\"".to_string()),
                Just("|".to_string()),
                Just("'it''s'".to_string()),
                Just("\"unterminated".to_string()),
            ];
            (key, value).prop_map(|(key, value)| format!("{key}: {value}"))
        }

        proptest! {
            /// Any front matter is read or refused with a line inside the file, never a panic
            /// (aliases have their own test above).
            #[test]
            fn any_front_matter_reads_or_names_a_line(
                lines in proptest::collection::vec(front_matter_line(), 0..16),
                body in "\\PC{0,40}",
            ) {
                let text = format!("---\n{}\n---\n{body}\n", lines.join("\n"));
                let path = Path::new("content/releases/2003-11-14-a.md");
                match Release::parse(path, &text) {
                    Ok(_) => {}
                    Err(err) => prop_assert!(
                        err.line <= text.lines().count(),
                        "line {} of {} lines: {}", err.line, text.lines().count(), err
                    ),
                }
            }
        }
    }

    #[test]
    fn a_retail_year_can_be_named_after_the_year_it_starts_in() {
        let january = |named_for_start| FiscalCalendar {
            year_end_month: 1,
            year_end_day: 31,
            named_for_start,
        };
        // Buckle's quarter ended November 2, 2024: its "third quarter of fiscal 2024".
        let end = NaiveDate::from_ymd_opt(2024, 11, 2).unwrap();
        assert_eq!(january(true).quarter_ending(end).to_string(), "2024-Q3");
        assert_eq!(january(false).quarter_ending(end).to_string(), "2025-Q3");
        assert_eq!(
            january(true).year_end(2024),
            NaiveDate::from_ymd_opt(2025, 1, 31)
        );
        assert_eq!(
            january(false).year_end(2024),
            NaiveDate::from_ymd_opt(2024, 1, 31)
        );
        // A calendar year starts and ends in the same year: one name either way.
        let december = FiscalCalendar {
            named_for_start: true,
            ..FiscalCalendar::default()
        };
        assert_eq!(december.quarter_ending(end).to_string(), "2024-Q4");
    }

    #[test]
    fn a_june_year_names_its_quarters_after_the_year_it_ends_in() {
        let june = FiscalCalendar {
            year_end_month: 6,
            year_end_day: 30,
            named_for_start: false,
        };
        let day = NaiveDate::from_ymd_opt(2003, 8, 14).unwrap();
        assert_eq!(june.quarter_of(day).to_string(), "2004-Q1");
        assert_eq!(june.year_end(2004), NaiveDate::from_ymd_opt(2004, 6, 30));
        let leap = FiscalCalendar {
            year_end_month: 2,
            year_end_day: 29,
            named_for_start: false,
        };
        assert_eq!(leap.year_end(2003), NaiveDate::from_ymd_opt(2003, 2, 28));
    }
}
