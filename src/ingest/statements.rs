//! Financial statements read from the [`Grid`]s of a [`Document`], whatever format it came in.
//!
//! A grid is a printed table already cleaned of its layout; this module gives it meaning: which
//! statement it is (from its title, or failing that from the rows it holds), what period each
//! column covers (from header rows that may span columns and stack over several rows), the scale
//! the figures are printed in, and the sign-neutral key of each row. When a table cannot be read
//! with confidence it is kept as `other` (shown, never put in the ledger) or skipped, with a
//! warning: a wrong figure in the ledger is worse than a missing one.

use crate::diagnostics::Diagnostic;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{Datelike, Duration, Months, NaiveDate};
use regex::Regex;
use rust_decimal::Decimal;

use super::doc::{Block, Document, Grid, GridRow};

mod weeks;
use crate::model::{
    Column, Figure, Financials, FiscalCalendar, Row, Statement, StatementKind, Unit, month_name,
    unit_of_key,
};

/// Warnings on raw file lines.
pub type Warnings = Vec<Diagnostic>;

/// Reads every table of the document. The GAAP statements (operations, balance sheet, cash flow)
/// are those the ledger will use; everything else with readable columns is `other`.
pub fn read(document: &Document, calendar: &FiscalCalendar) -> (Option<Financials>, Warnings) {
    let mut warnings = Vec::new();
    let mut statements = Vec::new();
    let mut scale_above = None;
    for (index, block) in document.blocks.iter().enumerate() {
        let Block::Table(grid) = block else { continue };
        let context = context_above(document, index, grid);
        let (grid, notes) = split_notes(grid);
        if let Some(statement) =
            read_grid(&grid, &context, calendar, &mut scale_above, &mut warnings)
        {
            push_or_continue(&mut statements, statement, &context);
        }
        if let Some(notes) = notes {
            let caption = notes.caption.clone();
            if let Some(mut statement) =
                read_grid(&notes, &caption, calendar, &mut scale_above, &mut warnings)
            {
                statement.kind = StatementKind::Other;
                statement.title = display_title(&caption.join(" "));
                statements.push(statement);
            }
        }
    }
    demote_repeats(&mut statements);
    weeks::fit_long_periods(&mut statements, document, calendar);
    if statements.is_empty() {
        return (None, warnings);
    }
    let fiscal_period = calendar
        .period_reported(&statements)
        .map(|quarter| quarter.to_string());
    let financials = fiscal_period.map(|fiscal_period| Financials {
        currency: "USD".into(),
        fiscal_period,
        statements,
    });
    (financials, warnings)
}

/// The text that names a grid and qualifies its figures: short text blocks just above it (up to
/// three, not past another table or a paragraph of prose), then its own caption.
fn context_above(document: &Document, index: usize, grid: &Grid) -> Vec<String> {
    let mut above = Vec::new();
    for block in document.blocks[..index].iter().rev().take(3) {
        match block {
            Block::Text(text) if text.text.len() <= 200 => above.push(text.text.clone()),
            _ => break,
        }
    }
    above.reverse();
    above.extend(grid.caption.iter().cloned());
    above
}

/// A statement printed over two tables (`… Statements of Cash Flows (continued)` on the next
/// page) is one statement: the rows of the second join the first when the kind and the columns
/// are the same.
fn push_or_continue(statements: &mut Vec<Statement>, statement: Statement, context: &[String]) {
    let continued = context
        .iter()
        .any(|line| line.to_lowercase().contains("continued"));
    if continued
        && let Some(last) = statements.last_mut()
        && last.kind == statement.kind
        && last.columns == statement.columns
    {
        last.rows.extend(statement.rows);
        return;
    }
    statements.push(statement);
}

/// A statement whose table goes on with a footnote's detail (`(1) Net sales by reportable
/// segment:` then the segments) is cut there: the detail is a table of its own, `other`, with the
/// footnote as its caption and the same column headings, so that segment rows never sit in the
/// statement.
fn split_notes(grid: &Grid) -> (Grid, Option<Grid>) {
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:\(\d{1,2}\)|\([a-z]\)|\*+)\s*\S").unwrap());
    let first_data = grid.rows.iter().position(is_data_row).unwrap_or(0);
    let cut = grid
        .rows
        .iter()
        .enumerate()
        .skip(first_data)
        .find(|(_, row)| {
            let label = row.text_at(0).trim();
            NOTE.is_match(label) && row.cells.iter().skip(1).all(|c| c.text.trim().is_empty())
        });
    let Some((at, note)) = cut else {
        return (grid.clone(), None);
    };
    let mut head = grid.clone();
    head.rows.truncate(at);
    let headers = grid.rows[..first_data]
        .iter()
        .filter(|row| row.cells.iter().skip(1).any(|c| !c.text.trim().is_empty()));
    let mut rows: Vec<GridRow> = headers.cloned().collect();
    rows.extend(grid.rows[at + 1..].iter().cloned());
    let notes = Grid {
        line: note.line,
        caption: vec![note.text_at(0).trim().to_string()],
        rows,
    };
    (head, Some(notes))
}

/// One grid as a statement, or `None` when it has no figures or no readable columns.
/// `scale_above` is the scale the last table above stated: a table that states none (a
/// footnote's table of stock-based compensation under statements `in millions`) is printed at
/// it, as the reader of the release takes it to be.
fn read_grid(
    grid: &Grid,
    context: &[String],
    calendar: &FiscalCalendar,
    scale_above: &mut Option<Scale>,
    warnings: &mut Warnings,
) -> Option<Statement> {
    let width = grid.width();
    if width < 2 {
        return None;
    }
    if let Some(row) = grid.rows.iter().find(|row| row_width(row) != width) {
        let message = format!(
            "a row of the table has {} columns where the table has {width}; the table is skipped",
            row_width(row)
        );
        warnings.push(Diagnostic::line_warning(row.line, message));
        return None;
    }
    let header_end = header_end(grid)?;
    let header_rows = &grid.rows[..header_end];
    let lines = own_lines(context, header_rows);
    let title = title_of(context);
    let scale = scale_of(&lines).unwrap_or_else(|message| {
        warnings.push(Diagnostic::line_warning(grid.line, message));
        Scale::conflict()
    });
    let scale = match (scale.stated, *scale_above) {
        (false, Some(above)) if !scale.conflicting => above,
        _ => scale,
    };
    if scale.stated && !scale.conflicting {
        *scale_above = Some(scale);
    }
    let titled_kind = title.as_ref().and_then(|(_, kind)| *kind);
    let table = TableHeadings {
        rows: header_rows,
        lines: &lines,
        width,
        instants: titled_kind == Some(StatementKind::BalanceSheet),
        title: title
            .as_ref()
            .filter(|(_, k)| k.is_some())
            .map(|(t, _)| t.as_str()),
        line: grid.line,
    };
    let (columns, kept) = table.columns(calendar, warnings);
    if columns.is_empty() {
        return None;
    }
    let mut reader = RowReader::new(&kept, scale);
    for row in &grid.rows[header_end..] {
        reader.read(row);
    }
    let (rows, trouble, repeated) = reader.finish(warnings);
    if rows.is_empty() {
        return None;
    }
    let shape = Shape {
        trouble: trouble || scale.conflicting,
        repeated,
    };
    let kind = kind_of(context, titled_kind, &rows, &columns, shape);
    let title = match &title {
        Some((title, _)) => title.clone(),
        None => fallback_title(context),
    };
    Some(Statement {
        kind,
        title,
        scale: (scale.amounts != 1).then_some(scale.amounts),
        columns,
        rows,
    })
}

/// Where the header rows end: they hold column headings above the first row of figures;
/// label-only rows between them and the figures are sections (`Assets`), read with the rows.
/// `None` when no row has figures.
fn header_end(grid: &Grid) -> Option<usize> {
    let first_data = grid.rows.iter().position(is_data_row)?;
    let end = grid.rows[..first_data]
        .iter()
        .rposition(|row| row.cells.iter().skip(1).any(|c| !c.text.trim().is_empty()))
        .map_or(0, |at| at + 1);
    Some(end)
}

/// The lines that qualify a table's figures: its context from its own title on (lines above
/// the title belong to what came before) and every header cell (`(In millions)` may stand over
/// the last column).
fn own_lines(context: &[String], header_rows: &[GridRow]) -> Vec<String> {
    let mut lines: Vec<String> = context[own_context_start(context)..].to_vec();
    lines.extend(
        header_rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|c| c.text.clone())),
    );
    lines
}

/// A table's header rows and what qualifies them, for reading its columns.
struct TableHeadings<'a> {
    rows: &'a [GridRow],
    lines: &'a [String],
    width: usize,
    /// A balance sheet: columns are dates.
    instants: bool,
    /// The statement the table's title names, for messages; `None` for other tables, whose
    /// odd columns are no news.
    title: Option<&'a str>,
    line: usize,
}

impl TableHeadings<'_> {
    /// The period of each column of figures and its grid column; `% change` columns are left
    /// out, and so (with a warning, on a statement) is a column whose heading cannot be read.
    fn columns(
        &self,
        calendar: &FiscalCalendar,
        warnings: &mut Warnings,
    ) -> (Vec<Column>, Vec<usize>) {
        let duration = duration_in(&self.lines.join(" "));
        let phrase = period_phrase(self.lines);
        let (mut columns, mut kept) = (Vec::new(), Vec::new());
        for column in 1..self.width {
            let heading = with_phrase(column_heading(self.rows, column), phrase.as_deref());
            match read_column(&heading, duration, self.instants, calendar) {
                ColumnReading::Column(read) => {
                    columns.push(read);
                    kept.push(column);
                }
                ColumnReading::NotAPeriod => {}
                ColumnReading::Unreadable => {
                    if let Some(title) = self.title
                        && !heading.trim().is_empty()
                    {
                        let message = format!(
                            "cannot read the period of the column headed `{heading}` in \
                             `{title}`; expected e.g. `Three Months Ended September 30, 2003` \
                             or `September 30, 2003`; that column is left out"
                        );
                        warnings.push(Diagnostic::line_warning(self.line, message));
                    }
                }
            }
        }
        self.tell_apart_repeated_periods(&mut columns, &kept);
        (columns, kept)
    }

    /// A reconciliation prints one period several times (`GAAP`, `Non-GAAP` under `Three Months
    /// Ended May 31, 2022`): each such column's label takes the words of its own heading cells
    /// that the period does not already say, so that no two columns read alike.
    fn tell_apart_repeated_periods(&self, columns: &mut [Column], kept: &[usize]) {
        let labels: Vec<String> = columns.iter().map(|c| c.label().to_string()).collect();
        for (at, column) in columns.iter_mut().enumerate() {
            if labels.iter().filter(|label| **label == labels[at]).count() < 2 {
                continue;
            }
            let own: Vec<&str> = self
                .rows
                .iter()
                .map(|row| row.text_at(kept[at]).trim())
                .filter(|text| !text.is_empty() && !labels[at].contains(*text))
                .collect();
            if !own.is_empty() {
                let label = format!("{} ({})", labels[at], own.join(" "));
                match column {
                    Column::Period { label: old, .. } | Column::Instant { label: old, .. } => {
                        *old = label
                    }
                }
            }
        }
    }
}

fn row_width(row: &GridRow) -> usize {
    row.cells.iter().map(|c| c.span.max(1)).sum()
}

/// A row of figures: a cell after the label holds a number that is not a bare year. A row of
/// years alone (two or more) heads the columns whatever its label says (`common share)  2004
/// 2003`, the end of a scale line typed beside them).
fn is_data_row(row: &GridRow) -> bool {
    let label = row.text_at(0).trim();
    let numbers: Vec<&str> = row
        .cells
        .iter()
        .skip(1)
        .map(|cell| cell.text.trim())
        .filter(|text| text.chars().any(|c| c.is_ascii_digit()) && parse_number(text).is_some())
        .collect();
    let years_alone = numbers.len() >= 2 && numbers.iter().all(|text| is_bare_year(text));
    let year_label = label.is_empty() || label.starts_with('(') || years_alone;
    numbers
        .iter()
        .any(|text| !(is_bare_year(text) && year_label))
}

fn is_bare_year(text: &str) -> bool {
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:fiscal\s+)?(?:19|20)\d\d$").unwrap());
    YEAR.is_match(&text.to_lowercase())
}

/// The stacked header text over grid column `column`: each header row's cell there (a spanning
/// cell counts for every column it covers), top to bottom.
fn column_heading(header_rows: &[GridRow], column: usize) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for row in header_rows {
        let text = row.text_at(column).trim();
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
    }
    parts.join(" ")
}

// ---------------------------------------------------------------------------------------------
// Titles and kinds.

static STATEMENT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<title>(?:condensed\s+)?(?:consolidated\s+)?(?:(?P<ops>statements?\s+of\s+(?:consolidated\s+)?(?:operations|income|earnings|comprehensive\s+(?:income|loss))|income\s+statements?)|(?P<bs>balance\s+sheets?|statements?\s+of\s+financial\s+(?:position|condition))|(?P<cf>statements?\s+of\s+cash\s+flows?|cash\s+flows?\s+statements?)))",
    )
    .unwrap()
});

/// The statement a line of the context names, and its kind: the nearest such line to the table.
fn title_of(context: &[String]) -> Option<(String, Option<StatementKind>)> {
    for line in context.iter().rev() {
        if let Some(found) = STATEMENT_NAME.captures(line) {
            let kind = if found.name("ops").is_some() {
                StatementKind::Operations
            } else if found.name("bs").is_some() {
                StatementKind::BalanceSheet
            } else {
                StatementKind::CashFlow
            };
            return Some((display_title(&found["title"]), Some(kind)));
        }
    }
    None
}

/// A title as a reader sees it: capitals title-cased (`STATEMENTS OF OPERATIONS` → `Statements
/// of Operations`), white space collapsed.
fn display_title(text: &str) -> String {
    let text = super::text::collapse_spaces(text.trim().trim_end_matches(':'));
    if super::text::is_upper_case(&text) {
        super::text::title_case(&text, "")
    } else {
        text
    }
}

/// An `other` table's title: the nearest short line of its context, or `Table`.
fn fallback_title(context: &[String]) -> String {
    context
        .iter()
        .rev()
        .map(|line| line.trim())
        .find(|line| !line.is_empty() && !line.starts_with('(') && line.len() <= 120)
        .map_or_else(|| "Table".to_string(), display_title)
}

/// Words that make a table something other than the GAAP statement, even with the statement's
/// row labels: reconciliations, non-GAAP and adjusted figures, segments, guidance, highlights.
fn is_confounder(context: &[String]) -> bool {
    static CONFOUNDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)non[-\s]?gaap|reconcil|adjusted|\bsegments?\b|supplement|guidance|outlook|highlights|pro\s+forma|excluding|key\s+metrics|selected|constant\s+currency|geograph|by\s+region|summary|forecast|unaudited\s+pro",
        )
        .unwrap()
    });
    // Above a statement's own title, lines belong to what came before (a previous table's
    // footnote about non-GAAP measures): only the title and what follows it count.
    context[own_context_start(context)..]
        .iter()
        .any(|line| CONFOUNDER.is_match(line))
}

/// Where a table's own context starts: at the nearest line naming a statement, or at the top.
fn own_context_start(context: &[String]) -> usize {
    context
        .iter()
        .rposition(|line| STATEMENT_NAME.is_match(line))
        .unwrap_or(0)
}

/// The kind of a table: the statement its title names; else what its rows show (revenue down to
/// net income, assets balancing liabilities and equity, cash from operations); else `other`. A
/// table whose context says non-GAAP, segment or guidance, or that could not be read cleanly, is
/// `other` whatever its title.
fn kind_of(
    context: &[String],
    titled: Option<StatementKind>,
    rows: &[Row],
    columns: &[Column],
    shape: Shape,
) -> StatementKind {
    if shape.trouble || is_confounder(context) {
        return StatementKind::Other;
    }
    // Untitled, a table that prints one concept several times (revenue of each segment) is
    // no statement.
    if titled.is_none() && shape.repeated {
        return StatementKind::Other;
    }
    let has = |key: &str| rows.iter().any(|r| r.key == key);
    let count = |key: &str| rows.iter().filter(|r| r.key == key).count();
    let all_periods = columns.iter().all(|c| matches!(c, Column::Period { .. }));
    let all_instants = columns.iter().all(|c| matches!(c, Column::Instant { .. }));
    let kind = titled.unwrap_or_else(|| {
        if has("revenue")
            && has("net_income")
            && (has("operating_income") || has("pretax_income") || has("income_tax"))
            && count("revenue") == 1
            && count("net_income") == 1
        {
            StatementKind::Operations
        } else if has("total_assets")
            && (has("total_liabilities_and_equity") || has("total_equity"))
        {
            StatementKind::BalanceSheet
        } else if has("operating_cash_flow")
            && (has("investing_cash_flow") || has("financing_cash_flow"))
        {
            StatementKind::CashFlow
        } else {
            StatementKind::Other
        }
    });
    let columns_fit = match kind {
        StatementKind::BalanceSheet => all_instants,
        StatementKind::Operations | StatementKind::CashFlow => all_periods,
        StatementKind::Other => true,
    };
    if columns_fit {
        kind
    } else {
        StatementKind::Other
    }
}

/// How a table read, beyond its rows.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// A figure could not be read, a total does not add up, or two scales were printed.
    trouble: bool,
    /// A concept of the vocabulary appears in more than one row.
    repeated: bool,
}

/// When a release prints the same statement twice (a summary up front, the full one later), the
/// one with more rows is the statement and the other is `other`: two statements of one kind
/// that share a column.
fn demote_repeats(statements: &mut [Statement]) {
    for i in 0..statements.len() {
        for j in 0..statements.len() {
            if i == j
                || statements[i].kind != statements[j].kind
                || !statements[i].kind.is_statement()
            {
                continue;
            }
            let shared = statements[i]
                .columns
                .iter()
                .any(|c| statements[j].columns.iter().any(|d| same_period(c, d)));
            // A statement of comprehensive income repeats net income: the statement of
            // operations is the statement; else the fuller one is.
            let rank = |s: &Statement| {
                let comprehensive = s.title.to_lowercase().contains("comprehensive");
                (!comprehensive, s.rows.len())
            };
            let smaller = rank(&statements[i]) < rank(&statements[j])
                || (rank(&statements[i]) == rank(&statements[j]) && i > j);
            if shared && smaller {
                statements[i].kind = StatementKind::Other;
            }
        }
    }
}

fn same_period(a: &Column, b: &Column) -> bool {
    match (a, b) {
        (
            Column::Period {
                end: e1,
                months: m1,
                ..
            },
            Column::Period {
                end: e2,
                months: m2,
                ..
            },
        ) => e1 == e2 && m1 == m2,
        (Column::Instant { date: d1, .. }, Column::Instant { date: d2, .. }) => d1 == d2,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Columns.

enum ColumnReading {
    Column(Column),
    /// `% Change`, `Variance`: figures about other columns, left out.
    NotAPeriod,
    Unreadable,
}

/// `Three Months Ended December 31` (no year) printed in a caption or a header's label cell, for
/// columns headed by a year alone.
fn period_phrase(lines: &[String]) -> Option<String> {
    static PHRASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:(?:three|six|nine|twelve|thirteen|twenty[-\s]six|thirty[-\s]nine|fifty[-\s]two|fifty[-\s]three|\d{1,2})\s+(?:months|weeks)|quarters?|(?:fiscal\s+)?years?)\s+ended\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b").unwrap()
    });
    lines
        .iter()
        .find_map(|line| PHRASE.find(line).map(|m| m.as_str().to_string()))
}

/// A heading that is a year alone (`2023`) read under the caption's period phrase.
fn with_phrase(heading: String, phrase: Option<&str>) -> String {
    static MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b").unwrap()
    });
    match phrase {
        Some(phrase) if is_bare_year(heading.trim()) && !MONTH.is_match(&heading) => {
            format!("{phrase}, {heading}")
        }
        _ => heading,
    }
}

/// A span of time a heading or caption names: months, or weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    Months(u32),
    Weeks(u32),
}

/// `Three Months Ended`, `13 Weeks Ended`, `Quarter Ended`, `Fiscal Year`, `Twelve Months`.
fn duration_in(text: &str) -> Option<Length> {
    static SPAN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?P<n>\d{1,2}|one|two|three|four|six|nine|twelve|thirteen|fourteen|sixteen|twenty[-\s]six|twenty[-\s]seven|thirty[-\s]nine|forty|fifty[-\s]two|fifty[-\s]three)[-\s]+(?P<unit>months?|weeks?)\b",
        )
        .unwrap()
    });
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<q>quarters?\s+end|q[1-4]\b|(?:first|second|third|fourth)\s+quarter)|(?P<y>(?:fiscal\s+)?years?\s+end|fiscal\s+year|full\s+year|\bfy\s?\d{2,4}\b|annual)").unwrap()
    });
    if let Some(found) = SPAN.captures(text) {
        let n = number_word(&found["n"])?;
        let weeks = found["unit"].to_lowercase().starts_with("week");
        return Some(if weeks {
            Length::Weeks(n)
        } else {
            Length::Months(n)
        });
    }
    let found = NAMED.captures(text)?;
    Some(if found.name("q").is_some() {
        Length::Months(3)
    } else {
        Length::Months(12)
    })
}

fn number_word(word: &str) -> Option<u32> {
    let word = word.to_lowercase().replace(['-', ' '], "");
    let n = match word.as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "six" => 6,
        "nine" => 9,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "sixteen" => 16,
        "twentysix" => 26,
        "twentyseven" => 27,
        "thirtynine" => 39,
        "forty" => 40,
        "fiftytwo" => 52,
        "fiftythree" => 53,
        digits => digits.parse().ok()?,
    };
    Some(n)
}

/// Weeks as the months of a fiscal calendar: 13 weeks a quarter, 26 a half, 39 three quarters,
/// 52 or 53 a year (a 14-week quarter happens in 53-week years).
fn months_of_weeks(weeks: u32) -> Option<u32> {
    match weeks {
        12..=14 => Some(3),
        25..=27 => Some(6),
        38..=40 => Some(9),
        51..=53 => Some(12),
        _ => None,
    }
}

/// A column from its heading. `duration` is what the caption or a header says when the heading
/// has none of its own; `instants` when the table is a balance sheet.
fn read_column(
    heading: &str,
    duration: Option<Length>,
    instants: bool,
    calendar: &FiscalCalendar,
) -> ColumnReading {
    static NOT_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)%|\bchange\b|\bvariance\b|\bincrease\b|\bdecrease\b|\bpercent|\bb/\(w\)|\bfav|\bgrowth\b|\bmargin\b").unwrap()
    });
    if heading.trim().is_empty() {
        return ColumnReading::Unreadable;
    }
    if NOT_PERIOD.is_match(heading) {
        return ColumnReading::NotAPeriod;
    }
    let own = duration_in(heading);
    let Some(end) = end_date(heading, own, calendar) else {
        return ColumnReading::Unreadable;
    };
    let date_text = format!("{} {}, {}", month_name(end.month()), end.day(), end.year());
    let span = if instants { None } else { own.or(duration) };
    let Some(span) = span else {
        return ColumnReading::Column(Column::Instant {
            label: date_text,
            date: end,
        });
    };
    let column = match span {
        Length::Months(months) => {
            let Some(start) = months_start(end, months) else {
                return ColumnReading::Unreadable;
            };
            Column::Period {
                label: format!("{} Months Ended {date_text}", months_word(months)),
                start,
                end,
                months,
            }
        }
        Length::Weeks(weeks) => {
            let Some(months) = months_of_weeks(weeks) else {
                return ColumnReading::Unreadable;
            };
            let start = end - Duration::days(i64::from(weeks) * 7 - 1);
            Column::Period {
                label: weeks::weeks_label(weeks, &date_text),
                start,
                end,
                months,
            }
        }
    };
    ColumnReading::Column(column)
}

/// The last day a heading names: a date ([`calendar_date`]), or else a fiscal quarter or year
/// ([`fiscal_date`]).
fn end_date(
    heading: &str,
    duration: Option<Length>,
    calendar: &FiscalCalendar,
) -> Option<NaiveDate> {
    calendar_date(heading).or_else(|| fiscal_date(heading, duration, calendar))
}

/// `September 30, 2003`, `May 1,2021`, `Dec. 30, 2023`, `December 2006` (the month's end),
/// `2023 December 31` (the year printed above the month and day), `12/30/2023`: the last date
/// in the heading.
fn calendar_date(heading: &str) -> Option<NaiveDate> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*(?P<day>\d{1,2})?(?:\s*,\s*|\s+)(?:[a-z ]*?\s)?(?P<year>(?:19|20)\d\d)\b").unwrap()
    });
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*(?P<day>\d{1,2})\b").unwrap()
    });
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").unwrap());
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2}|\d{4})\b").unwrap()
    });
    // `July 3, 2004 and June 28, 2003` spanning two columns headed `2004` and `2003`: each
    // column's year picks its date; otherwise the last date is the column's.
    let dates: Vec<regex::Captures> = DATE.captures_iter(heading).collect();
    let own_year = YEAR.find_iter(heading).last().filter(|year| {
        dates
            .last()
            .is_some_and(|d| d.get(0).is_some_and(|d| d.end() <= year.start()))
    });
    let picked = own_year
        .and_then(|year| dates.iter().find(|d| &d["year"] == year.as_str()))
        .or(dates.last());
    if let Some(found) = picked {
        let month = super::text::month_number(&found["month"])?;
        let year: i32 = found["year"].parse().ok()?;
        return match found.name("day") {
            Some(day) => NaiveDate::from_ymd_opt(year, month, day.as_str().parse().ok()?),
            None => month_end(NaiveDate::from_ymd_opt(year, month, 1)?),
        };
    }
    if let (Some(found), Some(year)) = (
        MONTH_DAY.captures_iter(heading).last(),
        YEAR.find_iter(heading).last(),
    ) {
        let month = super::text::month_number(&found["month"])?;
        let day = found["day"].parse().ok()?;
        return NaiveDate::from_ymd_opt(year.as_str().parse().ok()?, month, day);
    }
    let found = NUMERIC.captures_iter(heading).last()?;
    let mut year: i32 = found["y"].parse().ok()?;
    if year < 100 {
        year += 2000;
    }
    NaiveDate::from_ymd_opt(year, found["m"].parse().ok()?, found["d"].parse().ok()?)
}

/// A fiscal quarter or year named without a date (`Q4 FY22`, `Fourth Quarter 2022`, `Fiscal
/// 2022`, `FY 2023`), ending where `site.yaml`'s fiscal year puts it. A bare year counts only
/// for a year-long column (`Year Ended` over `2022`); a two-digit year only after `FY` or `'`.
fn fiscal_date(
    heading: &str,
    duration: Option<Length>,
    calendar: &FiscalCalendar,
) -> Option<NaiveDate> {
    static FISCAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\bq(?P<q>[1-4])\b|(?P<qw>first|second|third|fourth)\s+quarter)?[\s,-]*(?:fiscal\s*(?:year\s*)?|\bfy\s?)?(?P<y>(?:19|20)\d\d|'?\d\d)\b").unwrap()
    });
    let lower = heading.to_lowercase();
    let fiscal = lower.contains("fiscal") || lower.contains("fy");
    let found = FISCAL.captures_iter(heading).last()?;
    let digits = found["y"].trim_start_matches('\'');
    let mut year: i32 = digits.parse().ok()?;
    if digits.len() == 2 {
        if !(lower.contains("fy") || lower.contains('\'')) {
            return None;
        }
        year += 2000;
    }
    let quarter = match (found.name("q"), found.name("qw")) {
        (Some(q), _) => q.as_str().parse().ok()?,
        (None, Some(word)) => match word.as_str().to_lowercase().as_str() {
            "first" => 1,
            "second" => 2,
            "third" => 3,
            _ => 4,
        },
        (None, None) if fiscal || duration == Some(Length::Months(12)) => 4,
        (None, None) => return None,
    };
    let year_end = calendar.year_end(year)?;
    let end = year_end.checked_sub_months(Months::new(3 * (4 - quarter)))?;
    if quarter == 4 {
        Some(end)
    } else {
        month_end(end)
    }
}

/// The first day of `months` months ending on `end`. A period that ends on a month's last day
/// is calendar months; one that ends on another day belongs to a 52/53-week calendar and is 13
/// weeks a quarter (a 14-week quarter or 53-week year cannot be told from its heading; the rest
/// of the release may tell it: [`weeks::fit_long_periods`]).
fn months_start(end: NaiveDate, months: u32) -> Option<NaiveDate> {
    let calendar = month_end(end) == Some(end);
    if calendar || !months.is_multiple_of(3) {
        return (end + Duration::days(1)).checked_sub_months(Months::new(months));
    }
    let weeks = i64::from(months / 3 * 13);
    Some(end - Duration::days(weeks * 7 - 1))
}

fn month_end(date: NaiveDate) -> Option<NaiveDate> {
    date.with_day(1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

fn months_word(months: u32) -> String {
    match months {
        3 => "Three".into(),
        6 => "Six".into(),
        9 => "Nine".into(),
        12 => "Twelve".into(),
        n => n.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Scale.

/// What to multiply printed figures by: money, and share counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scale {
    amounts: i64,
    shares: i64,
    /// Two scales were printed for one table: its figures cannot be trusted.
    conflicting: bool,
    /// The table's own context states the scale (not the default of units).
    stated: bool,
}

impl Scale {
    fn conflict() -> Scale {
        Scale {
            amounts: 1,
            shares: 1,
            conflicting: true,
            stated: false,
        }
    }
}

/// The scale the table's context prints (`(In millions, except per share amounts)`). Money is
/// multiplied by it; per-share amounts never are; share counts are too unless the same phrase
/// excepts them (`except share and per share data`: shares as printed) or gives them their own
/// scale (`except number of shares, which are reflected in thousands`).
fn scale_of(lines: &[String]) -> Result<Scale, String> {
    let mut found: Option<(i64, i64, String)> = None;
    let mut shares_alone = None;
    for line in lines {
        if let Some(shares) = shares_scale(line) {
            shares_alone = Some(shares);
            continue;
        }
        let Some((amounts, shares)) = scale_in(line) else {
            continue;
        };
        match &found {
            Some((a, s, first)) if (*a, *s) != (amounts, shares) => {
                return Err(format!(
                    "the table states two scales (`{first}` and `{line}`); it is kept as `other`"
                ));
            }
            _ => found = Some((amounts, shares, line.clone())),
        }
    }
    let stated = found.is_some() || shares_alone.is_some();
    let (amounts, shares) = found.map_or((1, 1), |(a, s, _)| (a, s));
    Ok(Scale {
        amounts,
        shares: shares_alone.unwrap_or(shares),
        conflicting: false,
        stated,
    })
}

/// A line that scales share counts alone: `(Shares in thousands)`, `share data in millions`.
fn shares_scale(line: &str) -> Option<i64> {
    let lower = line
        .to_lowercase()
        .replace("per share", "")
        .replace("per-share", "");
    let at = lower.find("share")?;
    if lower.contains("except") {
        return None;
    }
    let scale = scale_word(&lower[at..])?;
    // Money named before the shares (`$ in millions; shares in thousands`) is not shares alone.
    scale_word(&lower[..at]).is_none().then_some(scale)
}

fn scale_in(line: &str) -> Option<(i64, i64)> {
    let lower = line.to_lowercase().replace('\u{2019}', "'");
    let (main, except) = match lower.find("except") {
        Some(at) => (&lower[..at], &lower[at..]),
        None => (lower.as_str(), ""),
    };
    let amounts = scale_word(main)?;
    let except = except
        .replace("per-share", "")
        .replace("per share", "")
        .replace("per common share", "");
    let named_shares = main
        .replace("per share", "")
        .find("share")
        .and_then(|at| scale_word(&main.replace("per share", "")[at..]));
    let shares = if except.contains("share") {
        scale_word(&except).unwrap_or(1)
    } else {
        // `(Dollars in millions, shares in thousands)`.
        named_shares.unwrap_or(amounts)
    };
    Some((amounts, shares))
}

fn scale_word(text: &str) -> Option<i64> {
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"in\s+(?:\$\s*)?(?P<w>thousands|millions|billions)|(?P<t>000'?s\s+omitted|\$\s?000'?s?\b|\(000\))|(?P<w2>thousands|millions|billions)\s+of\s+(?:u\.s\.\s+)?dollars|\$\s+in\s+(?P<w3>thousands|millions|billions)|\(\s*(?:\$\s*|dollars\s+)?(?P<w4>thousands|millions|billions)\b").unwrap()
    });
    let found = WORD.captures(text)?;
    if found.name("t").is_some() {
        return Some(1_000);
    }
    // `(millions of shares)`: the scale of something other than money.
    if let Some(word) = found.name("w4") {
        let after = text[word.end()..].trim_start();
        let of_other = after.strip_prefix("of ").is_some_and(|what| {
            let what = what.trim_start();
            !(what.starts_with("dollars") || what.starts_with("u.s.") || what.starts_with("us "))
        });
        if of_other {
            return None;
        }
    }
    let word = found
        .name("w")
        .or(found.name("w2"))
        .or(found.name("w3"))
        .or(found.name("w4"))?
        .as_str();
    Some(match word {
        "thousands" => 1_000,
        "millions" => 1_000_000,
        _ => 1_000_000_000,
    })
}

// ---------------------------------------------------------------------------------------------
// Rows.

/// Reads a grid's rows below its headers into statement rows.
struct RowReader<'a> {
    columns: &'a [usize],
    scale: Scale,
    rows: Vec<Row>,
    /// The raw line of each row, for messages.
    lines: Vec<usize>,
    section: Option<String>,
    /// A label-only row that may be the first half of a wrapped label.
    pending: Option<String>,
    /// A concept of the vocabulary printed twice (revenue under each of several segments).
    repeated_concept: bool,
    problems: Vec<(usize, String)>,
}

impl<'a> RowReader<'a> {
    fn new(columns: &'a [usize], scale: Scale) -> Self {
        RowReader {
            columns,
            scale,
            rows: Vec::new(),
            lines: Vec::new(),
            section: None,
            pending: None,
            repeated_concept: false,
            problems: Vec::new(),
        }
    }

    fn read(&mut self, row: &GridRow) {
        let mut label = super::text::collapse_spaces(row.text_at(0).trim());
        if label.is_empty()
            && let Some(heading) = stray_heading(row)
        {
            // `ASSETS:` set in a figure column: a section heading all the same.
            if let Some(previous) = self.pending.replace(heading) {
                self.section = Some(section_name(&previous));
            }
            return;
        }
        let empty = self.columns.iter().all(|&c| value_at(row, c).is_empty());
        if empty {
            if !label.is_empty()
                && let Some(previous) = self.pending.replace(label)
            {
                self.section = Some(section_name(&previous));
            }
            return;
        }
        if label.is_empty() {
            label = row_words(row, self.columns);
        }
        if let Some(first) = self.pending.take() {
            let continues = !first.ends_with(':')
                && label
                    .split_whitespace()
                    .next()
                    .is_some_and(|word| word.chars().all(|c| !c.is_uppercase()))
                && label.starts_with(|c: char| c.is_lowercase());
            if continues {
                label = format!("{first} {label}");
            } else {
                self.section = Some(section_name(&first));
            }
        }
        if label.is_empty() {
            return; // an unlabelled line of figures: nothing to name it by
        }
        let key = self.unique_key(key_in_context(&label, self.section.as_deref()), &label);
        let unit = unit_of_key(&key);
        let row_scale = scale_word(&label.to_lowercase());
        let mut values = Vec::with_capacity(self.columns.len());
        for &column in self.columns {
            let text = value_at(row, column);
            values.push(self.figure(row.line, &label, text, unit, row_scale));
        }
        let total = row.rule_above || label.to_lowercase().starts_with("total");
        self.lines.push(row.line);
        self.rows.push(Row {
            key,
            label,
            section: self.section.clone(),
            values,
            total,
        });
    }

    /// The same key twice in one statement (`Basic` under two headings the vocabulary does not
    /// know): the second is told apart by its section, then by a number.
    fn unique_key(&mut self, key: String, label: &str) -> String {
        let taken = |k: &str| self.rows.iter().any(|r| r.key == k);
        if !taken(&key) {
            return key;
        }
        // `Net income`, then `Net income attributable to Oracle`: the bottom line attributable
        // to the company is `net_income`; the line before it includes noncontrolling interests.
        let to_owners = is_net_income_to_owners(&normal_words(label));
        if key == "net_income" && to_owners {
            if let Some(earlier) = self.rows.iter_mut().find(|r| r.key == "net_income") {
                earlier.key = "net_income_including_noncontrolling".to_string();
            }
            return key;
        }
        self.repeated_concept |= is_vocabulary_key(&key);
        let with_section = match &self.section {
            Some(section) => format!("{}_{key}", slug(section)),
            None => key.clone(),
        };
        if !taken(&with_section) {
            return with_section;
        }
        (2..)
            .map(|n| format!("{with_section}_{n}"))
            .find(|k| !taken(k))
            .unwrap_or(with_section)
    }

    fn figure(
        &mut self,
        line: usize,
        label: &str,
        text: &str,
        unit: Unit,
        row_scale: Option<i64>,
    ) -> Option<Figure> {
        if text.is_empty() || text.contains('%') || is_not_meaningful(text) {
            return None; // a ratio printed in a column of amounts (`% of revenues`), or `n/m`
        }
        let scale = match unit {
            Unit::PerShare => 1,
            Unit::Shares => row_scale.unwrap_or(self.scale.shares),
            Unit::Currency => row_scale.unwrap_or(self.scale.amounts),
        };
        match parse_figure(text, unit, scale) {
            Ok(figure) => Some(figure),
            Err(problem) => {
                let message = format!("`{text}` in row `{label}` {problem}");
                self.problems.push((line, message));
                None
            }
        }
    }

    /// The rows, and whether the table had trouble (a figure that could not be read, a total
    /// that does not add up), which makes it `other`.
    fn finish(self, warnings: &mut Warnings) -> (Vec<Row>, bool, bool) {
        let mut trouble = !self.problems.is_empty();
        for (line, message) in self.problems {
            warnings.push(Diagnostic::line_warning(
                line,
                format!("{message}; the table is kept as `other`"),
            ));
        }
        if let Some((at, column)) = section_total_mismatch(&self.rows) {
            let label = &self.rows[at].label;
            let message = format!(
                "`{label}` does not equal the rows above it in column {}; the table is kept as \
                 `other`",
                column + 1
            );
            warnings.push(Diagnostic::line_warning(
                self.lines.get(at).copied().unwrap_or(0),
                message,
            ));
            trouble = true;
        }
        (self.rows, trouble, self.repeated_concept)
    }
}

/// The one text of an unlabelled row when it is words, not a figure: a heading a layout set in
/// a figure column.
fn stray_heading(row: &GridRow) -> Option<String> {
    let texts: Vec<&str> = row
        .cells
        .iter()
        .map(|c| c.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let mut texts = texts;
    texts.dedup();
    match texts[..] {
        [only] if parse_number(only).is_none() && only.chars().any(char::is_alphabetic) => {
            Some(super::text::collapse_spaces(only))
        }
        _ => None,
    }
}

/// The text under figure column `column`, unless the cell there also covers the label column
/// (a heading spanning the whole row holds no figure).
fn value_at(row: &GridRow, column: usize) -> &str {
    let mut at = 0;
    for cell in &row.cells {
        let span = cell.span.max(1);
        if column < at + span {
            return if at == 0 { "" } else { cell.text.trim() };
        }
        at += span;
    }
    ""
}

/// The label of a row a layout set outside the label column: its first text that is words, in
/// no column of figures.
fn row_words(row: &GridRow, figures: &[usize]) -> String {
    let mut at = 0;
    for cell in &row.cells {
        let inside = (at..at + cell.span.max(1)).any(|c| figures.contains(&c));
        at += cell.span.max(1);
        let text = cell.text.trim();
        if !inside && !text.is_empty() && parse_number(text).is_none() {
            return super::text::collapse_spaces(text);
        }
    }
    String::new()
}

fn section_name(label: &str) -> String {
    label.trim().trim_end_matches([':', '-', ' ']).to_string()
}

/// A `Total <section>` row that differs from the sum of its section's rows above it, where the
/// section has no subtotal of its own (only then are the terms certain).
fn section_total_mismatch(rows: &[Row]) -> Option<(usize, usize)> {
    for (at, row) in rows.iter().enumerate() {
        let Some(section) = &row.section else {
            continue;
        };
        let named = row.label.to_lowercase() == format!("total {}", section.to_lowercase());
        if !named {
            continue;
        }
        let terms: Vec<&Row> = rows[..at]
            .iter()
            .filter(|r| r.section.as_ref() == Some(section))
            .collect();
        if terms.len() < 2 || terms.iter().any(|r| r.total) {
            continue;
        }
        for column in 0..row.values.len() {
            let Some(Figure::Amount(total)) = row.values[column] else {
                continue;
            };
            let sum = terms
                .iter()
                .try_fold(0i64, |sum, r| match r.values.get(column) {
                    Some(Some(Figure::Amount(v))) => sum.checked_add(*v),
                    Some(None) => Some(sum),
                    _ => None,
                });
            if sum.is_some_and(|sum| sum != total) {
                return Some((at, column));
            }
        }
    }
    None
}

/// Reads one printed figure: `$(4,679,000)` → -4679000 (times the scale), `(0.06)` → -0.06,
/// `-` or `—` → 0, `$.06` → 0.06. Per-share amounts keep their printed precision, and a loss
/// that rounds to nothing keeps its sign (`(0.00)` → -0.00). Amounts must come out whole and fit
/// in 64 bits.
fn parse_figure(text: &str, unit: Unit, scale: i64) -> Result<Figure, &'static str> {
    let value = parse_number(text).ok_or("is not a figure")?;
    match unit {
        Unit::PerShare => Ok(Figure::PerShare(value)),
        Unit::Currency | Unit::Shares => {
            let scaled = value
                .checked_mul(Decimal::from(scale))
                .ok_or("is too large to hold")?;
            if !scaled.fract().is_zero() {
                return Err("is not a whole amount at the table's scale");
            }
            i64::try_from(scaled.trunc())
                .map(Figure::Amount)
                .map_err(|_| "is too large to hold")
        }
    }
}

/// `n/a`, `NM`, `*`: a cell that says it has no figure.
fn is_not_meaningful(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    matches!(
        lower.as_str(),
        "n/a" | "na" | "nm" | "n.m." | "n/m" | "*" | "**" | "not meaningful"
    )
}

/// The signed decimal a cell prints, or `None` for text: `(1,234)`, `$ (5.2)`, `-.25`,
/// `1,234 *`, `12 (a)`. Read by hand rather than by pattern: every cell of every table asks.
fn parse_number(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if is_not_meaningful(text) {
        return None;
    }
    if matches!(
        text.trim_start_matches('$').trim(),
        "-" | "--" | "\u{2014}" | "\u{2013}" | "nil" | "\u{2212}"
    ) {
        return Some(Decimal::ZERO);
    }
    // A sign (`-`, `−` or an opening bracket) and a dollar sign, twice over, in that order.
    let mut rest = text;
    let mut negative = false;
    for _ in 0..2 {
        if let Some(after) = rest.strip_prefix(['-', '\u{2212}', '(']) {
            negative = true;
            rest = after;
        }
        rest = rest.strip_prefix('$').unwrap_or(rest).trim_start();
    }
    let (digits, after) = number_prefix(rest)?;
    // Then a closing bracket, and a footnote mark (`*`, `(a)`), nothing else.
    let after = after.trim_start();
    let after = after.strip_prefix(')').unwrap_or(after).trim_start();
    let footnote = after.is_empty()
        || after.chars().all(|c| c == '*')
        || after
            .strip_prefix('(')
            .and_then(|mark| mark.strip_suffix(')'))
            .is_some_and(|mark| {
                (1..=2).contains(&mark.chars().count())
                    && mark.chars().all(|c| c.is_alphanumeric() || c == '_')
            });
    if !footnote {
        return None;
    }
    let mut value = Decimal::from_str(&digits.replace(',', "")).ok()?;
    if negative {
        value.set_sign_negative(true);
    }
    Some(value)
}

/// `1,234.5` or `.25` at the start of `text`: the figure as printed, and what follows it.
fn number_prefix(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let whole = match bytes.first()? {
        b'0'..=b'9' => bytes
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b',')
            .count(),
        b'.' => 0,
        _ => return None,
    };
    let fraction = match bytes.get(whole) {
        Some(b'.') => bytes[whole + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count(),
        _ => 0,
    };
    let end = match fraction {
        0 if whole == 0 => return None,
        0 => whole,
        digits => whole + 1 + digits,
    };
    Some((&text[..end], &text[end..]))
}

// ---------------------------------------------------------------------------------------------
// The vocabulary.

/// A label's words, lower case, with sign words dropped (`(loss)`, `(benefit)`, `(used in)`)
/// and synonyms made one (`loss` and `earnings` → `income`, `sales` → `revenue`,
/// `stockholders` → `shareholders`), so that `Net loss` and `Net income` are the same concept.
fn normal_words(label: &str) -> String {
    split_words(label)
        .map(|w| match w.as_str() {
            "loss" | "losses" | "earnings" => "income".to_string(),
            "revenues" | "sales" => "revenue".to_string(),
            "stockholders" | "shareholders" => "shareholders".to_string(),
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A label's words, lower-case, without footnote marks (`(1)`, `(a)`, `*`, `(See Note 3)`) and
/// the parenthesised words that only give a line's sign (`(loss)`, `(benefit)`, `(used in)`).
fn split_words(label: &str) -> impl Iterator<Item = String> {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\s*(?:\(\d{1,2}\)|\([a-z]\)|\*+|\(see\s+notes?[^)]{0,12}\)))+\s*$")
            .unwrap()
    });
    let label = label.trim();
    // Footnote marks end in `)` or `*`; only then is the pattern worth running.
    let label = match label.ends_with([')', '*']) {
        true => MARKER.replace(label, ""),
        false => std::borrow::Cow::Borrowed(label),
    };
    let mut words = label.to_lowercase().replace(['\u{2019}', '\''], "");
    for (from, to) in [
        ("(loss)", " "),
        ("(losses)", " "),
        ("(benefit)", " "),
        ("(deficit)", " "),
        ("(decrease)", " "),
        ("/(used in)", " "),
        ("(used in)", " "),
        ("(used for)", " "),
        ("(expense)", " "),
        ("/ (used in)", " "),
    ] {
        if words.contains('(') {
            words = words.replace(from, to);
        }
    }
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

fn slug(label: &str) -> String {
    normal_words(label).replace(' ', "_")
}

/// The sign-neutral key of a row, the same for the same concept in every release and every
/// issuer: `Net loss` and `Net income` are both `net_income`, `Net sales` is `revenue`. A label
/// outside the vocabulary keeps a slug of itself (`Cash and marketable securities` →
/// `cash_and_marketable_securities`). See `docs/front-matter.md` for the full list.
pub fn key_for_label(label: &str) -> String {
    key_in_context(label, None)
}

/// [`key_for_label`] for a row under a section heading: `Basic` under `Earnings per share:` is
/// `eps_basic`, under `Shares used in computing earnings per share:` `weighted_shares_basic`.
fn key_in_context(label: &str, section: Option<&str>) -> String {
    let words = normal_words(label);
    if let Some(key) = vocabulary_key(&words) {
        return key.to_string();
    }
    if let Some(key) = per_share_or_shares_key(&words, section.map(normal_words).as_deref()) {
        return key;
    }
    slug_key(label)
}

/// The key of a label outside the vocabulary: a slug of the label itself, sign-neutral (`loss`
/// reads `income`) but with its other words as printed (`Proceeds from sales of …` keeps
/// `sales`), and no longer than eight words.
fn slug_key(label: &str) -> String {
    split_words(label)
        .map(|w| match w.as_str() {
            "loss" | "losses" => "income".to_string(),
            _ => w,
        })
        .take(8)
        .collect::<Vec<_>>()
        .join("_")
}

/// `Net income attributable to Oracle`, `… available to common shareholders`: the bottom line
/// that belongs to the company's owners (words after [`normal_words`]).
fn is_net_income_to_owners(words: &str) -> bool {
    [
        "attributable to",
        "available to",
        "available for",
        "applicable to",
    ]
    .iter()
    .any(|phrase| words.starts_with(&format!("net income {phrase}")))
}

/// Exact phrasings of the common concepts, after [`normal_words`].
const VOCABULARY: &[(&str, &[&str])] = &[
    (
        "revenue",
        &[
            "revenue",
            "net revenue",
            "total revenue",
            "total net revenue",
            "operating revenue",
            "total operating revenue",
            "net revenue total",
            "revenue net",
            "total revenue net",
            "net operating revenue",
            "total net operating revenue",
        ],
    ),
    (
        "cost_of_revenue",
        &[
            "cost of revenue",
            "total cost of revenue",
            "cost of goods sold",
            "cost of products sold",
            "costs of revenue",
        ],
    ),
    (
        "gross_profit",
        &[
            "gross profit",
            "gross margin",
            "total gross margin",
            "total gross profit",
        ],
    ),
    (
        "operating_expenses",
        &[
            "total operating expenses",
            "operating expenses",
            "total operating costs and expenses",
        ],
    ),
    (
        "operating_income",
        &[
            "operating income",
            "income from operations",
            "total operating income",
            "operating margin",
        ],
    ),
    (
        "interest_expense",
        &[
            "interest expense",
            "interest expense net",
            "interest charges",
        ],
    ),
    (
        "pretax_income",
        &[
            "income before income taxes",
            "income before taxes",
            "income before provision for income taxes",
            "income before income tax",
            "income before provision for income tax",
            "income from continuing operations before income taxes",
            "income before taxes on income",
            "income before income taxes and equity in income of affiliates",
        ],
    ),
    (
        "income_tax",
        &[
            "provision for income taxes",
            "provision benefit for income taxes",
            "provision for income tax",
            "income tax",
            "income taxes",
            "benefit from income taxes",
            "income tax expense",
            "income tax provision",
            "provision for taxes",
            "income tax expense benefit",
            "income tax benefit",
            "provision for benefit from income taxes",
        ],
    ),
    (
        "net_income",
        &[
            "net income",
            "net income as reported",
            "net income as reported see notes",
            "net income attributable to common shareholders",
            "net income available to common shareholders",
            "net income applicable to common shareholders",
            "net income attributable to the company",
        ],
    ),
    (
        "net_income_noncontrolling",
        &[
            "net income attributable to noncontrolling interests",
            "net income attributable to noncontrolling interest",
            "less net income attributable to noncontrolling interests",
            "net income attributable to non controlling interests",
            "noncontrolling interests",
            "minority interest",
        ],
    ),
    (
        "cash",
        &["cash and cash equivalents", "cash", "cash and equivalents"],
    ),
    ("total_current_assets", &["total current assets"]),
    ("total_assets", &["total assets"]),
    ("total_current_liabilities", &["total current liabilities"]),
    ("total_liabilities", &["total liabilities"]),
    (
        "total_equity",
        &[
            "total shareholders equity",
            "total equity",
            "total shareholders equity deficit",
            "total shareholders deficit",
        ],
    ),
    (
        "capital_expenditures",
        &[
            "capital expenditures",
            "purchases of property and equipment",
            "purchases of property plant and equipment",
            "payments for acquisition of property plant and equipment",
            "additions to property and equipment",
            "capital expenditure",
        ],
    ),
    (
        "net_change_in_cash",
        &[
            "net increase in cash and cash equivalents",
            "net change in cash and cash equivalents",
            "increase in cash and cash equivalents",
        ],
    ),
];

/// A key of the vocabulary (not a slug of a label).
fn is_vocabulary_key(key: &str) -> bool {
    VOCABULARY.iter().any(|(k, _)| *k == key)
        || key.starts_with("eps_")
        || key.starts_with("weighted_shares_")
        || matches!(
            key,
            "total_liabilities_and_equity"
                | "operating_cash_flow"
                | "investing_cash_flow"
                | "financing_cash_flow"
                | "fx_effect_on_cash"
        )
}

fn vocabulary_key(words: &str) -> Option<&'static str> {
    if let Some((key, _)) = VOCABULARY
        .iter()
        .find(|(_, phrasings)| phrasings.contains(&words))
    {
        return Some(key);
    }
    // `Sales, net of returns and allowances`, `Accounts receivable, net of allowance of $12`:
    // the concept before what it is net of; `Net income as reported`: the concept itself (the
    // GAAP figure, beside one `excluding` items).
    if let Some(at) = words.find(" net of ")
        && at > 0
    {
        return vocabulary_key(&words[..at]);
    }
    if let Some(concept) = words.strip_suffix(" as reported") {
        return vocabulary_key(concept);
    }
    // Families with open endings.
    if words.starts_with("total liabilities and")
        && ["equity", "deficit", "capital", "net assets"]
            .iter()
            .any(|w| words.contains(w))
    {
        return Some("total_liabilities_and_equity");
    }
    let to_owners = is_net_income_to_owners(words);
    if to_owners
        && !words.contains("noncontrolling")
        && !words.contains("non controlling")
        && !words.contains("minority")
        && !words.contains("per share")
    {
        return Some("net_income");
    }
    for (activity, key) in [
        ("operating activities", "operating_cash_flow"),
        ("investing activities", "investing_cash_flow"),
        ("financing activities", "financing_cash_flow"),
    ] {
        let cash_total = [
            "net cash",
            "cash generated",
            "cash provided",
            "cash from",
            "cash used",
            "net cash flows",
        ]
        .iter()
        .any(|start| words.starts_with(start));
        if cash_total && words.ends_with(activity) {
            return Some(key);
        }
    }
    if words.starts_with("effect of") && words.contains("exchange rate") {
        return Some("fx_effect_on_cash");
    }
    if (words.starts_with("net increase")
        || words.starts_with("increase")
        || words.starts_with("net change")
        || words.starts_with("net decrease")
        || words.starts_with("decrease"))
        && words.contains(" in cash")
    {
        return Some("net_change_in_cash");
    }
    None
}

/// Per-share amounts and weighted share counts, told basic from diluted by the label or its
/// section: `Basic and diluted per share amounts` is `eps_basic_diluted`, `Diluted` under
/// `Net income per share:` is `eps_diluted`. Adjusted or non-GAAP figures and dividends keep
/// their slug.
fn per_share_or_shares_key(words: &str, section: Option<&str>) -> Option<String> {
    let context = format!("{} {words}", section.unwrap_or(""));
    let has = |word: &str| context.split(' ').any(|w| w == word);
    if has("adjusted") || has("excluding") || has("dividends") || has("dividend") || has("gaap") {
        return None;
    }
    let diluted = has("diluted") || has("dilution");
    let variant = match (has("basic"), diluted) {
        (true, true) => "basic_diluted",
        (true, false) => "basic",
        (false, true) => "diluted",
        (false, false) => return None,
    };
    // The label itself must be about basic/diluted, not only its section; or the section is
    // the variant alone (`Diluted`, then `Earnings/ (loss) per share`) and the label is the
    // total, not a part of it (`… before cumulative effect …`).
    let label_says = words
        .split(' ')
        .any(|w| matches!(w, "basic" | "diluted" | "dilution"));
    let variant_section = matches!(
        section,
        Some("basic" | "diluted" | "basic and diluted" | "basic diluted")
    );
    let a_part = ["before", "effect", "cumulative", "extraordinary"]
        .iter()
        .any(|w| words.split(' ').any(|word| word == *w));
    let total_under_variant = variant_section && !a_part;
    if !label_says && !total_under_variant {
        return None;
    }
    // `per share`, `per common share`, `per diluted share`, `EPS`.
    let per_share = (has("per") && (has("share") || has("common"))) || has("eps");
    // A count of shares: `Weighted average shares outstanding - diluted`, `Diluted shares`,
    // `Shares used in computing diluted net income per share`, or `Basic` under `Shares used in
    // computing earnings per share:`.
    let label_words: Vec<&str> = words.split(' ').collect();
    let share_count = has("shares")
        && (words.starts_with("shares")
            || ["weighted", "average", "used", "outstanding"]
                .iter()
                .any(|w| label_words.contains(w))
            || !label_words.contains(&"per"));
    if share_count {
        return Some(format!("weighted_shares_{variant}"));
    }
    if per_share {
        let about_net_income = !has("continuing") && !has("discontinued") && !has("operations");
        return about_net_income.then(|| format!("eps_{variant}"));
    }
    None
}

#[cfg(test)]
mod tests;
