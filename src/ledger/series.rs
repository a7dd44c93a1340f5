//! The ledger itself: every release's figures placed by concept and period.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::model::{Figure, Release, Row, StatementKind, Unit, unit_of_key};

use super::derive;
use super::entry::{Change, Concept, Derivation, Entry, Origin, Provenance, Reported};
use super::format;
use super::pending::{self, Pending};
use super::period::Period;
use crate::model::FiscalCalendar;

/// Every figure of every release, by concept and period.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub calendar: FiscalCalendar,
    /// The ISO 4217 code of the releases' amounts (the latest release's).
    pub currency: String,
    /// Each concept's value per period: the latest release's report, else a derivation.
    entries: BTreeMap<(String, Period), Entry>,
    /// Every printed figure, in release order (oldest first), restated ones included.
    reported: Vec<Reported>,
    /// Where each release's figures are in `reported` (they are consecutive), by slug.
    reported_by_release: std::collections::HashMap<String, std::ops::Range<usize>>,
    /// Every quarter derivation possible, also for quarters that are reported (to compare).
    derivations: Vec<Derivation>,
    /// Concepts in printed order: operations rows, then balance-sheet rows.
    concepts: Vec<Concept>,
    /// What could not be placed, for `check::run`.
    pub(super) problems: Vec<Pending>,
}

impl Ledger {
    /// Places every figure of every release. Releases are taken oldest first (by date, then slug),
    /// so that where two releases print different values for the same period, the later one wins
    /// and the difference is a finding of [`check::run`].
    pub fn build(releases: &[Release], config: &SiteConfig) -> Ledger {
        let calendar = config.fiscal_calendar();
        let mut ordered: Vec<&Release> = releases.iter().collect();
        ordered.sort_by(|a, b| (a.front.date, &a.slug).cmp(&(b.front.date, &b.slug)));

        let mut ledger = Ledger {
            calendar,
            ..Ledger::default()
        };
        for release in ordered {
            let start = ledger.reported.len();
            ledger.add_release(release);
            ledger
                .reported_by_release
                .insert(release.slug.clone(), start..ledger.reported.len());
        }
        for reported in &ledger.reported {
            ledger.entries.insert(
                (reported.concept.clone(), reported.period),
                Entry {
                    concept: reported.concept.clone(),
                    period: reported.period,
                    value: reported.value,
                    unit: unit_of_key(&reported.concept),
                    origin: Origin::Reported(reported.source.clone()),
                },
            );
        }
        ledger.derivations = derive::quarters(&ledger.entries);
        for derivation in &ledger.derivations {
            let key = (derivation.concept.clone(), derivation.period);
            ledger.entries.entry(key).or_insert_with(|| Entry {
                concept: derivation.concept.clone(),
                period: derivation.period,
                value: Figure::Amount(derivation.value),
                unit: unit_of_key(&derivation.concept),
                origin: Origin::Derived(derivation.clone()),
            });
        }
        ledger
    }

    fn add_release(&mut self, release: &Release) {
        let Some(financials) = &release.front.financials else {
            return;
        };
        self.currency = financials.currency.clone();
        for (statement_index, statement) in financials.statements.iter().enumerate() {
            // `other` tables (segments, non-GAAP, guidance) are shown, never counted.
            if !statement.kind.is_statement() {
                continue;
            }
            let periods: Vec<Option<Period>> = statement
                .columns
                .iter()
                .map(|column| self.calendar.period_of(column))
                .collect();
            for (index, (column, period)) in statement.columns.iter().zip(&periods).enumerate() {
                if period.is_none() {
                    let problem = pending::unplaced_column(release, statement_index, index, column);
                    self.problems.push(problem);
                }
            }
            for (index, row) in statement.rows.iter().enumerate() {
                // A cash-flow statement starts from net income: the statement of operations
                // already reports it (and any other line the two share).
                if statement.kind == StatementKind::CashFlow
                    && (printed_in_operations(&financials.statements, &row.key)
                        || is_cash_balance(&row.key))
                {
                    continue;
                }
                let previous = index.checked_sub(1).map(|i| statement.rows[i].key.as_str());
                self.learn_concept(statement.kind, row, previous);
                if row.values.len() != statement.columns.len() {
                    self.problems.push(pending::wrong_value_count(
                        release,
                        statement_index,
                        statement,
                        row,
                    ));
                    continue;
                }
                for (column, (value, period)) in row.values.iter().zip(&periods).enumerate() {
                    let (Some(value), Some(period)) = (value, period) else {
                        continue;
                    };
                    if !unit_matches(row.unit(), value) {
                        self.problems.push(pending::wrong_unit(
                            release,
                            statement_index,
                            row,
                            column,
                            value,
                        ));
                        continue;
                    }
                    self.reported.push(Reported {
                        concept: row.key.clone(),
                        period: *period,
                        value: *value,
                        source: Provenance {
                            release: release.slug.clone(),
                            path: release.path.clone(),
                            release_date: release.front.date,
                            statement: statement.kind,
                            statement_index,
                            row_key: row.key.clone(),
                            row_label: row.label.clone(),
                            column,
                            column_label: statement.columns[column].label().to_string(),
                        },
                    });
                }
            }
        }
    }

    /// Records a concept the first time it is seen, right after the row printed before it
    /// (`previous`), so that a row only a later release prints (gross profit) takes its printed
    /// place. Later releases update the label, so the site uses the latest wording.
    fn learn_concept(&mut self, statement: StatementKind, row: &Row, previous: Option<&str>) {
        let concept = Concept {
            key: row.key.clone(),
            label: row.label.clone(),
            statement,
            section: row.section.clone(),
            total: row.total,
            unit: row.unit(),
        };
        if let Some(known) = self.concepts.iter_mut().find(|c| c.key == row.key) {
            *known = concept;
            return;
        }
        let after_previous = previous
            .and_then(|key| self.concepts.iter().position(|c| c.key == key))
            .map(|at| at + 1);
        // Otherwise first of its statement; operations come before the balance sheet.
        // Otherwise first of its statement, statements in their usual order.
        let first_of_statement = || {
            self.concepts
                .iter()
                .position(|c| c.statement >= statement)
                .unwrap_or(self.concepts.len())
        };
        let at = after_previous.unwrap_or_else(first_of_statement);
        self.concepts.insert(at, concept);
    }

    /// The value of `concept` in `period`, reported or derived.
    pub fn get(&self, concept: &str, period: Period) -> Option<&Entry> {
        self.entries.get(&(concept.to_string(), period))
    }

    /// Every value of `concept`, oldest period first (quarters, year-to-date spans, years and
    /// balance-sheet dates alike).
    pub fn series(&self, concept: &str) -> Vec<&Entry> {
        self.entries
            .values()
            .filter(|entry| entry.concept == concept)
            .collect()
    }

    /// The quarterly values of `concept`, oldest first.
    pub fn quarters(&self, concept: &str) -> Vec<&Entry> {
        self.series(concept)
            .into_iter()
            .filter(|entry| matches!(entry.period, Period::Quarter(_)))
            .collect()
    }

    /// Every quarter any concept has a value for, newest first: the financials table's columns.
    pub fn quarter_periods_newest_first(&self) -> Vec<Period> {
        self.periods_where(|period| matches!(period, Period::Quarter(_)))
    }

    /// Every balance-sheet date, newest first.
    pub fn balance_sheet_dates_newest_first(&self) -> Vec<Period> {
        self.periods_where(|period| matches!(period, Period::Instant(_)))
    }

    fn periods_where(&self, keep: impl Fn(&Period) -> bool) -> Vec<Period> {
        let mut periods: Vec<Period> = self
            .entries
            .keys()
            .map(|(_, period)| *period)
            .filter(|period| keep(period))
            .collect();
        periods.sort_by(|a, b| b.cmp(a));
        periods.dedup();
        periods
    }

    /// The newest quarter with a reported (not derived) revenue or net income: the quarter the
    /// latest results are about.
    pub fn latest_quarter(&self) -> Option<Period> {
        self.entries
            .values()
            .filter(|entry| matches!(entry.period, Period::Quarter(_)))
            .filter(|entry| !entry.origin.is_derived())
            .filter(|entry| entry.concept == "revenue" || entry.concept == "net_income")
            .map(|entry| entry.period)
            .max()
    }

    /// `concept` in `period` next to the same period a year before, if the ledger has both.
    pub fn change_from_year_before(&self, concept: &str, period: Period) -> Option<Change<'_>> {
        let current = self.get(concept, period)?;
        let previous = self.get(concept, period.year_before())?;
        let (difference, percent) = match (current.value, previous.value) {
            (Figure::Amount(now), Figure::Amount(before)) => {
                let difference = now.checked_sub(before)?;
                (
                    Figure::Amount(difference),
                    format::percent_change(now, before),
                )
            }
            (Figure::PerShare(now), Figure::PerShare(before)) => {
                (Figure::PerShare(now.checked_sub(before)?), None)
            }
            _ => return None,
        };
        Some(Change {
            current,
            previous,
            difference,
            percent,
        })
    }

    /// Every concept in printed order, operations first.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concepts one kind of statement prints, in printed order.
    pub fn concepts_of(&self, statement: StatementKind) -> Vec<&Concept> {
        self.concepts
            .iter()
            .filter(|concept| concept.statement == statement)
            .collect()
    }

    pub fn concept(&self, key: &str) -> Option<&Concept> {
        self.concepts.iter().find(|concept| concept.key == key)
    }

    /// Every value the ledger holds, by concept then period.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// Every figure as printed, oldest release first, including ones a later release restates.
    pub fn reported(&self) -> &[Reported] {
        &self.reported
    }

    /// The figures one release printed (by its slug).
    pub fn reported_by(&self, release: &str) -> &[Reported] {
        self.reported_by_release
            .get(release)
            .map_or(&[], |range| &self.reported[range.clone()])
    }

    /// Every quarter derivation, including those of quarters that are also reported.
    pub fn derivations(&self) -> &[Derivation] {
        &self.derivations
    }
}

/// Per-share rows hold decimals; amounts and share counts hold integers.
fn unit_matches(unit: Unit, value: &Figure) -> bool {
    matches!(
        (unit, value),
        (Unit::PerShare, Figure::PerShare(_)) | (Unit::Currency | Unit::Shares, Figure::Amount(_))
    )
}

/// `Cash, beginning of period` in a cash-flow statement: a balance on a day, printed under a
/// period's heading. It is no flow: quarters cannot be derived from it by subtraction.
fn is_cash_balance(key: &str) -> bool {
    key.split('_')
        .any(|word| matches!(word, "beginning" | "ending" | "end"))
}

/// Whether the release's statement of operations has a row with `key`.
fn printed_in_operations(statements: &[crate::model::Statement], key: &str) -> bool {
    statements
        .iter()
        .filter(|s| s.kind == StatementKind::Operations)
        .any(|s| s.rows.iter().any(|r| r.key == key))
}
