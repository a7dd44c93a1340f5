//! What the ledger holds: figures as reported, quarters derived from them, and where each came
//! from.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::{Figure, StatementKind, Unit};

use super::format;
use super::period::Period;

/// Where a printed figure sits: which release, which statement, which row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The release's slug, `2003-11-14-hemacare-reports-third-quarter-financial-results`.
    pub release: String,
    pub path: PathBuf,
    pub release_date: NaiveDate,
    pub statement: StatementKind,
    /// Position of the statement in the release's `financials.statements`.
    pub statement_index: usize,
    pub row_key: String,
    /// The row label as printed (`Net loss`).
    pub row_label: String,
    /// Position of the column, from 0, and its printed label.
    pub column: usize,
    pub column_label: String,
}

impl Provenance {
    /// `2003-11-14-…-results, Statements of Operations row "Net loss", column "Three Months …"`.
    pub fn describe(&self) -> String {
        format!(
            "{}, {} row \"{}\", column \"{}\"",
            self.release,
            statement_name(self.statement),
            self.row_label,
            self.column_label
        )
    }
}

/// `statement of operations` / `balance sheet`, for sentences.
pub fn statement_name(kind: StatementKind) -> &'static str {
    match kind {
        StatementKind::Operations => "statement of operations",
        StatementKind::BalanceSheet => "balance sheet",
        StatementKind::CashFlow => "statement of cash flows",
        StatementKind::Other => "table",
    }
}

/// One figure a release prints, placed in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub concept: String,
    pub period: Period,
    pub value: Figure,
    pub source: Provenance,
}

/// A quarter computed from other figures, e.g. `2003-Q1 = 2003-6M − 2003-Q2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub concept: String,
    pub period: Period,
    pub value: i64,
    /// The subtraction in period names: `2003-9M − 2003-6M`.
    pub formula: String,
    /// The figures the formula used, in formula order; all reported, none derived.
    pub inputs: Vec<Reported>,
}

impl Derivation {
    /// `2003-9M − 2003-6M = 20,848,000 − 13,868,000`, for readers: figures grouped, true minus
    /// signs, a negative value after the first in parentheses, `−264,000 − (−272,000)`.
    pub fn formula_with_values(&self) -> String {
        self.written(&self.formula, crate::format::signed_plain, " \u{2212} ")
    }

    /// The same formula for the downloads, in ASCII machine numbers that spreadsheets read:
    /// `2003-6M - 2003-Q2 = -264000 - (-272000)`.
    pub fn formula_plain(&self) -> String {
        let formula = self.formula.replace('\u{2212}', "-");
        self.written(&formula, |value| value.to_string(), " - ")
    }

    fn written(&self, formula: &str, number: impl Fn(i64) -> String, minus: &str) -> String {
        let values: Vec<String> = self
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let text = match input.value {
                    Figure::Amount(amount) => number(amount),
                    Figure::PerShare(value) => value.to_string(),
                };
                if i > 0 && format::figure(&input.value).starts_with('-') {
                    format!("({text})")
                } else {
                    text
                }
            })
            .collect();
        format!("{formula} = {}", values.join(minus))
    }

    /// The releases the inputs come from, each once, in formula order.
    pub fn releases(&self) -> Vec<&str> {
        let mut releases: Vec<&str> = Vec::new();
        for input in &self.inputs {
            if !releases.contains(&input.source.release.as_str()) {
                releases.push(&input.source.release);
            }
        }
        releases
    }
}

/// How the ledger came by a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Reported(Provenance),
    Derived(Derivation),
}

impl Origin {
    pub fn is_derived(&self) -> bool {
        matches!(self, Origin::Derived(_))
    }

    /// `reported in <release>` or `derived: 2003-6M − 2003-Q2 = …`, for notes and tooltips.
    pub fn describe(&self) -> String {
        match self {
            Origin::Reported(source) => format!("reported in {}", source.release),
            Origin::Derived(derivation) => {
                format!("derived: {}", derivation.formula_with_values())
            }
        }
    }
}

/// The value the ledger holds for one concept in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub concept: String,
    pub period: Period,
    pub value: Figure,
    pub unit: Unit,
    pub origin: Origin,
}

/// What a concept is called and where it is printed, from the latest release that prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    pub key: String,
    /// The printed label (`Net loss`): the wording of the latest release.
    pub label: String,
    pub statement: StatementKind,
    /// The balance-sheet heading the row sits under (`Assets`).
    pub section: Option<String>,
    pub total: bool,
    pub unit: Unit,
}

impl Concept {
    /// A label that fits a positive and a negative value alike, for tables and charts that show
    /// several periods: `Net income (loss)` where one release prints `Net loss` and another could
    /// print `Net income`. Concepts without a known neutral name keep their printed label.
    pub fn neutral_label(&self) -> &str {
        match self.key.as_str() {
            "revenue" => "Revenue",
            "gross_profit" => "Gross profit (loss)",
            "pretax_income" => "Income (loss) before income taxes",
            "income_tax" => "Income tax provision (benefit)",
            "net_income" => "Net income (loss)",
            "eps_basic_diluted" => "Net income (loss) per share, basic and diluted",
            "eps_basic" => "Net income (loss) per share, basic",
            "eps_diluted" => "Net income (loss) per share, diluted",
            _ => &self.label,
        }
    }
}

/// A value next to the same period one year earlier, for "revenue fell 2.8%".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<'a> {
    pub current: &'a Entry,
    pub previous: &'a Entry,
    /// Current minus previous, in the concept's unit (amounts or per-share).
    pub difference: Figure,
    /// The change in percent of the previous value's magnitude, rounded to one decimal;
    /// `None` when the previous value is zero or the figures are per-share.
    pub percent: Option<rust_decimal::Decimal>,
}
