//! Findings whose line is not known yet, and the problems found while building the ledger.
//!
//! The ledger and the checks name what a finding is about (a row, a column, a place in the
//! body); [`Pending::resolve`] turns that into the line the release recorded when it was parsed.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Column, Figure, Release, Row, Statement};

use super::entry::statement_name;
use super::format::figure;

/// A finding whose line is not known yet: the checks name a row or a place in the body, and
/// [`super::check::run`] looks the line up in what the release recorded when it was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pending {
    pub severity: Severity,
    pub message: String,
    pub path: PathBuf,
    pub anchor: Anchor,
}

/// What in a release file a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The row with this key in the statement at this index; its value in `column` if given.
    Row {
        statement: usize,
        key: String,
        column: Option<usize>,
    },
    /// The column at this index of the statement at this index.
    Column { statement: usize, column: usize },
    /// A byte offset into the release's body.
    Body { offset: usize },
    /// A front-matter key, dotted (`financials.fiscal_period`).
    Key(&'static str),
}

impl Pending {
    /// The finding on the line its anchor is on in `release`'s file, as recorded when the
    /// release was parsed (0 when the release or the place is not known).
    pub fn resolve(self, release: Option<&Release>) -> Diagnostic {
        let line = release.map_or(0, |release| match &self.anchor {
            Anchor::Row {
                statement,
                key,
                column,
            } => release.lines.row(*statement, key, *column),
            Anchor::Column { statement, column } => release.lines.column(*statement, *column),
            Anchor::Body { offset } => release.lines.body(&release.body, *offset),
            Anchor::Key(key) => release.lines.key(key),
        });
        Diagnostic::new(self.severity, &self.path, line, self.message)
    }
}

// ---------------------------------------------------------------------------------------------
// Problems found while building the ledger.

pub(crate) fn unplaced_column(
    release: &Release,
    statement: usize,
    column_index: usize,
    column: &Column,
) -> Pending {
    Pending {
        severity: Severity::Warning,
        message: format!(
            "Column \"{}\" of {} is not a fiscal quarter, year to date or fiscal year of the \
             fiscal calendar set by `fiscal_year_end` in site.yaml (check its start, end and \
             months), so its figures are left out of the ledger.",
            column.label(),
            release.slug,
        ),
        path: release.path.clone(),
        anchor: Anchor::Column {
            statement,
            column: column_index,
        },
    }
}

pub(crate) fn wrong_value_count(
    release: &Release,
    statement_index: usize,
    statement: &Statement,
    row: &Row,
) -> Pending {
    Pending {
        severity: Severity::Error,
        message: format!(
            "Row `{}` of the {} in {} has {} values but the statement has {} columns: give one \
             value per column, `null` for a blank cell. Its figures are left out of the ledger.",
            row.key,
            statement_name(statement.kind),
            release.slug,
            row.values.len(),
            statement.columns.len()
        ),
        path: release.path.clone(),
        anchor: Anchor::Row {
            statement: statement_index,
            key: row.key.clone(),
            column: None,
        },
    }
}

pub(crate) fn wrong_unit(
    release: &Release,
    statement: usize,
    row: &Row,
    column: usize,
    value: &Figure,
) -> Pending {
    let expected = match value {
        Figure::Amount(_) => "a per-share amount written as a string such as \"-0.60\"",
        Figure::PerShare(_) => "a whole number",
    };
    Pending {
        severity: Severity::Error,
        message: format!(
            "Row `{}` in {} holds {} in column {}, but its key calls for {expected}. The figure \
             is left out of the ledger.",
            row.key,
            release.slug,
            figure(value),
            column + 1
        ),
        path: release.path.clone(),
        anchor: Anchor::Row {
            statement,
            key: row.key.clone(),
            column: Some(column),
        },
    }
}
