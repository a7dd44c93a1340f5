//! What the site shows from the [`Ledger`]: the financials page (quarterly table, balance sheet
//! by date, charts, the notes that spell out every derived value) and the home page's key
//! figures against the same quarter a year before.
//!
//! Tables reuse the release pages' [`TableView`] and partial, so a figure prints the same way
//! everywhere; a derived cell carries a note number whose formula is listed under the table
//! (a `title` tooltip alone would be invisible to keyboard and screen-reader users).

use serde::Serialize;

use super::chart;
use super::views;
use super::views::{CellView, ColumnView, RowView, SectionView, TableView};
use crate::config::SiteConfig;
use crate::format;
use crate::ledger::{Entry, Ledger, Origin, Period};
use crate::model::{Figure, StatementKind, Unit, unit_of_key};
use crate::urls;

/// Quarters shown on the page; the downloads hold the whole history, so the page stays light.
pub const QUARTERS_SHOWN: usize = 8;
/// Balance-sheet dates shown on the page.
pub const BALANCE_SHEET_DATES_SHOWN: usize = 4;

/// The financials page.
#[derive(Debug, Clone, Serialize)]
pub struct FinancialsView {
    pub quarterly: Option<TableView>,
    pub balance_sheet: Option<TableView>,
    /// One note per derived cell, in table order.
    pub notes: Vec<NoteView>,
    pub charts: Vec<ChartView>,
    pub csv: &'static str,
    pub json: &'static str,
}

/// `3. First Quarter 2003, Revenue: derived: 2003-6M − 2003-Q2 = 13,868,000 − 6,937,000`.
#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub id: String,
    pub number: usize,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    /// Escaped inline SVG from [`chart::bar_chart_svg`].
    pub svg: String,
}

impl FinancialsView {
    pub fn new(ledger: &Ledger, config: &SiteConfig) -> FinancialsView {
        let mut notes = Vec::new();
        let quarters: Vec<Period> = ledger
            .quarter_periods_newest_first()
            .into_iter()
            .take(QUARTERS_SHOWN)
            .collect();
        let dates: Vec<Period> = ledger
            .balance_sheet_dates_newest_first()
            .into_iter()
            .take(BALANCE_SHEET_DATES_SHOWN)
            .collect();
        let unit_note = "Unaudited. Losses in parentheses.".to_string();
        let quarterly = ledger_table(
            ledger,
            StatementKind::Operations,
            &quarters,
            ("quarterly", "Results by quarter, newest first"),
            format!(
                "{unit_note} Marked values (*) are derived from year-to-date figures; the notes below give each formula."
            ),
            &mut notes,
        );
        let balance_sheet = ledger_table(
            ledger,
            StatementKind::BalanceSheet,
            &dates,
            ("balance-sheet", "Balance sheet by date, newest first"),
            unit_note,
            &mut notes,
        );
        let charts = [
            ("revenue", "revenue", "Revenue by quarter"),
            ("net-income", "net_income", "Net income (loss) by quarter"),
        ]
        .into_iter()
        .filter_map(|(id, concept, title)| quarterly_chart(ledger, config, id, concept, title))
        .collect();
        FinancialsView {
            quarterly,
            balance_sheet,
            notes,
            charts,
            csv: urls::FINANCIALS_CSV,
            json: urls::FINANCIALS_JSON,
        }
    }
}

/// A table of one statement's concepts over `periods`; `None` when there is nothing to show.
fn ledger_table(
    ledger: &Ledger,
    kind: StatementKind,
    periods: &[Period],
    (id, title): (&str, &str),
    caption: String,
    notes: &mut Vec<NoteView>,
) -> Option<TableView> {
    let concepts = ledger.concepts_of(kind);
    if concepts.is_empty() || periods.is_empty() {
        return None;
    }
    let columns = periods.iter().map(|&period| column(period)).collect();
    let mut sections = Vec::new();
    for concept in concepts {
        let cells = periods
            .iter()
            .map(|&period| match ledger.get(&concept.key, period) {
                Some(entry) => cell(entry, &concept.key, concept.neutral_label(), notes),
                None => CellView::missing(),
            })
            .collect();
        let row = RowView {
            label: concept.neutral_label().to_string(),
            total: concept.total,
            cells,
        };
        views::push_row(&mut sections, concept.section.as_ref(), row);
    }
    Some(TableView {
        id: id.to_string(),
        title: title.to_string(),
        unit: match kind {
            StatementKind::BalanceSheet => {
                format!("In {}", format::currency_name(&ledger.currency))
            }
            _ => format!(
                "In {}, except per-share amounts and shares",
                format::currency_name(&ledger.currency)
            ),
        },
        caption,
        columns,
        sections: sections as Vec<SectionView>,
    })
}

fn column(period: Period) -> ColumnView {
    match period {
        Period::Instant(date) => ColumnView {
            span: "As of".to_string(),
            end: format::short_date(date),
            label: period.to_string(),
        },
        _ => ColumnView {
            span: period.long_name(),
            end: String::new(),
            label: period.to_string(),
        },
    }
}

/// A cell; a derived one gets the next note number and the formula as its tooltip.
fn cell(entry: &Entry, key: &str, label: &str, notes: &mut Vec<NoteView>) -> CellView {
    let is_money = unit_of_key(key) == Unit::Currency;
    let mut view = CellView::of(&entry.value, format::Scale::Units, is_money);
    if entry.origin.is_derived() {
        let number = notes.len() + 1;
        let text = entry.origin.describe();
        notes.push(NoteView {
            id: format!("note-{number}"),
            number,
            subject: format!("{}, {label}", entry.period.long_name()),
            text: text.clone(),
        });
        view.note = Some(number);
        view.tooltip = Some(text);
    }
    view
}

fn quarterly_chart(
    ledger: &Ledger,
    config: &SiteConfig,
    id: &str,
    concept: &str,
    title: &str,
) -> Option<ChartView> {
    let bars = chart::quarterly_bars(ledger, concept);
    let bars = &bars[bars.len().saturating_sub(QUARTERS_SHOWN)..];
    if bars.is_empty() {
        return None;
    }
    let label = ledger
        .concept(concept)
        .map_or(title, |concept| concept.neutral_label());
    let summary = format!(
        "{label} for each quarter, oldest first, in {}; the table above holds the same figures.",
        ledger.currency
    );
    let svg = chart::bar_chart_svg(&chart::BarChart {
        id,
        title,
        summary: &summary,
        bars,
        currency: &ledger.currency,
        color: &config.brand.accent,
    });
    Some(ChartView {
        id: id.to_string(),
        title: title.to_string(),
        svg,
    })
}

/// The home page's latest results: each key figure next to the same quarter a year before.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigures {
    /// `Third Quarter 2003`.
    pub title: String,
    /// `Third Quarter 2002`.
    pub previous_title: String,
    pub currency: String,
    /// The release that reports the quarter, when one does.
    pub release_url: Option<String>,
    pub figures: Vec<KeyFigure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub label: String,
    /// `$6,980,000`, `−$0.60`.
    pub value: String,
    /// The same quarter a year before, when the ledger has it.
    pub previous: Option<String>,
    /// `−2.8%`; `None` for per-share figures, losses (see [`meaningful_percent`]) and when there
    /// is nothing to compare.
    pub change: Option<String>,
    /// `up`, `down` or `flat`, for styling; words say the same for screen readers.
    pub direction: Option<&'static str>,
}

/// The concepts the home page shows, in order.
const KEY_CONCEPTS: [&str; 3] = ["revenue", "net_income", "eps_basic_diluted"];

impl KeyFigures {
    pub fn new(ledger: &Ledger) -> Option<KeyFigures> {
        let quarter = ledger.latest_quarter()?;
        let figures: Vec<KeyFigure> = KEY_CONCEPTS
            .iter()
            .filter_map(|key| key_figure(ledger, key, quarter))
            .collect();
        if figures.is_empty() {
            return None;
        }
        let release_url = KEY_CONCEPTS
            .iter()
            .filter_map(|key| ledger.get(key, quarter))
            .find_map(|entry| match &entry.origin {
                // The ledger is built from the site's releases: the slug is one of theirs.
                Origin::Reported(source) => Some(urls::release_at(&source.release)),
                Origin::Derived(_) => None,
            });
        Some(KeyFigures {
            title: quarter.long_name(),
            previous_title: quarter.year_before().long_name(),
            currency: ledger.currency.clone(),
            release_url,
            figures,
        })
    }
}

fn key_figure(ledger: &Ledger, key: &str, quarter: Period) -> Option<KeyFigure> {
    let label = ledger
        .concept(key)
        .map_or(key, |concept| concept.neutral_label())
        .to_string();
    let currency = &ledger.currency;
    if let Some(change) = ledger.change_from_year_before(key, quarter) {
        let direction = match change.difference {
            Figure::Amount(d) => d.signum(),
            Figure::PerShare(d) => {
                i64::from(d.is_sign_positive() && !d.is_zero())
                    - i64::from(d.is_sign_negative() && !d.is_zero())
            }
        };
        return Some(KeyFigure {
            label,
            value: money(&change.current.value, currency),
            previous: Some(money(&change.previous.value, currency)),
            change: meaningful_percent(&change.current.value, &change.previous.value)
                .then_some(change.percent)
                .flatten()
                .map(format::percent),
            direction: Some(match direction {
                1 => "up",
                -1 => "down",
                _ => "flat",
            }),
        });
    }
    let entry = ledger.get(key, quarter)?;
    Some(KeyFigure {
        label,
        value: money(&entry.value, currency),
        previous: None,
        change: None,
        direction: None,
    })
}

/// A percentage change says something only from a positive base to a value that is not a loss:
/// a loss going from −462,000 to −4,679,000 is not "−912.8%" (investor relations writes "n/m").
fn meaningful_percent(current: &Figure, previous: &Figure) -> bool {
    matches!((current, previous), (Figure::Amount(now), Figure::Amount(before)) if *before > 0 && *now >= 0)
}

/// A figure as a reader sees it on a card: `$6,980,000`, `−$0.60` (a true minus sign).
fn money(value: &Figure, currency: &str) -> String {
    format::figure_text(*value, currency, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn per_share_and_percent_read_with_true_minus_signs() {
        assert_eq!(
            money(&Figure::PerShare(Decimal::new(-60, 2)), "USD"),
            "\u{2212}$0.60"
        );
        assert_eq!(money(&Figure::Amount(6_980_000), "USD"), "$6,980,000");
    }

    #[test]
    fn a_percentage_change_is_shown_only_from_a_positive_base_to_a_non_loss() {
        let amount = Figure::Amount;
        assert!(meaningful_percent(&amount(6_980_000), &amount(7_181_000)));
        assert!(!meaningful_percent(&amount(-4_679_000), &amount(-462_000)));
        assert!(!meaningful_percent(&amount(-1), &amount(5)));
        assert!(!meaningful_percent(&amount(5), &amount(0)));
    }
}
