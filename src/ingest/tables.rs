//! Financial tables typed as fixed-width text, read into [`Statement`]s.
//!
//! The columns are found from the dashed underline beneath the column headings; each heading
//! word and each figure belongs to the column it overlaps. Figures are exact: amounts are
//! integers (with the printed scale applied), per-share amounts decimals with the printed
//! precision, and parentheses mean a negative.

use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate};
use regex::Regex;
use rust_decimal::Decimal;

use super::text::{Line, is_furniture, is_rule, is_upper_case};
use crate::model::{Column, Figure, Row, Statement, StatementKind, Unit, month_name, unit_of_key};

/// A problem in a table, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableIssue {
    pub line: usize,
    pub message: String,
}

/// Where the tables begin: the heading block above the first line that carries figures.
pub fn find_start(lines: &[Line<'_>]) -> Option<usize> {
    let first_row = lines.iter().position(|line| is_figure_row(line.text))?;
    let mut start = first_row;
    while start > 0 {
        let above = &lines[start - 1];
        if above.is_blank()
            || is_furniture(above.text)
            || is_rule(above.text)
            || is_upper_case(above.text)
            || is_column_heading(above.text)
            || STATEMENT_TITLE.is_match(above.trimmed())
        {
            start -= 1;
        } else {
            break;
        }
    }
    Some(start)
}

/// A label followed by at least two figures set apart by wide gaps.
fn is_figure_row(text: &str) -> bool {
    static ROW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*[A-Za-z(].*?\S\s{2,}(?:\$?\s*\(?\$?\s*(?:\d[\d,]*(?:\.\d+)?|\.\d+)\)?\s+){1,}\$?\s*\(?\$?\s*(?:\d[\d,]*(?:\.\d+)?|\.\d+)\)?\s*$").unwrap()
    });
    // Cheap tests first: a row of figures ends in a digit or `)` and has wide gaps.
    let trimmed = text.trim_end();
    trimmed.ends_with(|c: char| c.is_ascii_digit() || c == ')')
        && trimmed.contains("  ")
        && !text.trim_start().starts_with('(')
        && ROW.is_match(text)
}

/// `Three Months Ended June 30,`, `2003   2002`, `(Unaudited)`: the words of a column heading.
fn is_column_heading(text: &str) -> bool {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)^\s*(?:(?:three|six|nine|twelve|\d+|months?|weeks?|quarters?|years?|ended|ending|fiscal|as\s+of|
            january|february|march|april|may|june|july|august|september|october|november|december|
            \(unaudited\)|\(in\s+thousands[^)]*\)|\(in\s+millions[^)]*\)|,)\s*)+$",
        )
        .unwrap()
    });
    HEADING.is_match(text)
}

static STATEMENT_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:condensed\s+)?(?:consolidated\s+)?(?P<title>statements?\s+of\s+(?:operations|income|earnings)|income\s+statements?|balance\s+sheets?|statements?\s+of\s+financial\s+position)\s*:?$",
    )
    .unwrap()
});

/// A column as found on the page: its horizontal extent and heading text.
#[derive(Debug, Clone)]
struct ColumnSpan {
    start: usize,
    end: usize,
    heading: String,
}

/// Reads every statement in the table lines.
pub fn parse(lines: &[Line<'_>]) -> (Vec<Statement>, Vec<TableIssue>) {
    let mut reader = Reader::default();
    let heading_lines = heading_blocks(lines);
    for (index, line) in lines.iter().enumerate() {
        if let Some(columns) = heading_lines.columns_at(index) {
            reader.columns = Some(columns.clone());
            continue;
        }
        if heading_lines.is_heading_text(index) {
            continue;
        }
        reader.read(line);
    }
    reader.finish()
}

/// The column-heading blocks: heading lines above a dashed underline.
struct HeadingBlocks {
    /// (index of the underline, the columns it defines, index of the block's first line)
    blocks: Vec<(usize, Vec<ColumnSpan>, usize)>,
}

impl HeadingBlocks {
    fn columns_at(&self, index: usize) -> Option<&Vec<ColumnSpan>> {
        self.blocks
            .iter()
            .find(|(underline, ..)| *underline == index)
            .map(|(_, columns, _)| columns)
    }

    fn is_heading_text(&self, index: usize) -> bool {
        self.blocks
            .iter()
            .any(|(underline, _, first)| (*first..*underline).contains(&index))
    }
}

fn heading_blocks(lines: &[Line<'_>]) -> HeadingBlocks {
    let mut blocks = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let spans = dash_runs(line.text);
        if spans.len() < 2 || line.indent() < 8 {
            continue;
        }
        let mut first = index;
        while first > 0 && !lines[first - 1].is_blank() && is_column_heading(lines[first - 1].text)
        {
            first -= 1;
        }
        if first == index || !lines[first..index].iter().any(|l| YEAR.is_match(l.text)) {
            continue; // a rule under figures, not under headings
        }
        let columns = spans
            .into_iter()
            .map(|(start, end)| ColumnSpan {
                heading: heading_for(&lines[first..index], start, end),
                start,
                end,
            })
            .collect();
        blocks.push((index, columns, first));
    }
    HeadingBlocks { blocks }
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").unwrap());

/// The runs of `-` or `=` in a rule line, as (start, end) character columns.
fn dash_runs(text: &str) -> Vec<(usize, usize)> {
    if !is_rule(text) || text.contains('_') {
        return Vec::new();
    }
    let chars: Vec<char> = expand_tabs(text).chars().collect();
    let mut runs = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if matches!(chars[at], '-' | '=') {
            let start = at;
            while at < chars.len() && chars[at] == chars[start] {
                at += 1;
            }
            if at - start >= 3 {
                runs.push((start, at));
            }
        } else {
            at += 1;
        }
    }
    runs
}

fn expand_tabs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' {
            let width = 8 - out.chars().count() % 8;
            out.extend(std::iter::repeat_n(' ', width));
        } else {
            out.push(c);
        }
    }
    out
}

/// The heading words that stand over the column `start..end`, top line first.
fn heading_for(lines: &[Line<'_>], start: usize, end: usize) -> String {
    static CHUNK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S+(?: \S+)*").unwrap());
    let mut words = Vec::new();
    for line in lines {
        let text = expand_tabs(line.text);
        for chunk in CHUNK.find_iter(&text) {
            let (from, to) = (char_col(&text, chunk.start()), char_col(&text, chunk.end()));
            if from < end + 1 && to + 1 > start {
                words.push(chunk.as_str().to_string());
            }
        }
    }
    words.join(" ")
}

fn char_col(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[derive(Default)]
struct Reader {
    columns: Option<Vec<ColumnSpan>>,
    statements: Vec<Statement>,
    issues: Vec<TableIssue>,
    /// A label line waiting to learn whether it heads a section or continues onto the next row.
    pending_label: Option<String>,
    section: Option<String>,
    rule_above: bool,
    scale: i64,
}

impl Reader {
    fn read(&mut self, line: &Line<'_>) {
        let text = line.trimmed();
        if text.is_empty() || is_furniture(line.text) && !is_rule(line.text) {
            return;
        }
        if is_rule(line.text) {
            // A single rule under figures means the next row sums those above it.
            self.rule_above = !text.contains('=') && line.indent() >= 8;
            return;
        }
        if text.starts_with('(') {
            let scale = scale_of(text);
            if scale != 0 {
                self.scale = scale;
            }
        }
        if let Some(title) = STATEMENT_TITLE.captures(text) {
            self.start_statement(&title["title"], line);
            return;
        }
        if is_figure_row(line.text) {
            self.read_row(line);
            return;
        }
        if is_upper_case(text) || text.starts_with('(') {
            return; // the company name, `CONDENSED CONSOLIDATED DATA`, `(Unaudited)`
        }
        if let Some(heading) = self.pending_label.replace(text.to_string()) {
            self.section = Some(heading);
        }
    }

    fn start_statement(&mut self, title: &str, line: &Line<'_>) {
        let Some(spans) = &self.columns else {
            self.issue(
                line,
                "a statement starts here but no column headings were found above it",
            );
            return;
        };
        let kind = if title.to_lowercase().contains("balance")
            || title.to_lowercase().contains("position")
        {
            StatementKind::BalanceSheet
        } else {
            StatementKind::Operations
        };
        let mut columns = Vec::with_capacity(spans.len());
        for span in spans {
            match column_from_heading(&span.heading, kind) {
                Some(column) => columns.push(column),
                None => {
                    let message = format!(
                        "cannot read the period of the column headed `{}`; expected e.g. \
                         `Three Months Ended September 30, 2003` or `September 30, 2003`",
                        span.heading
                    );
                    self.issue(line, &message);
                    return;
                }
            }
        }
        self.statements.push(Statement {
            kind,
            title: super::text::title_case(title, ""),
            columns,
            rows: Vec::new(),
        });
        self.section = None;
        self.pending_label = None;
        self.rule_above = false;
    }

    fn read_row(&mut self, line: &Line<'_>) {
        let (Some(spans), Some(statement)) = (&self.columns, self.statements.last_mut()) else {
            self.issue(line, "figures found outside any statement (no `STATEMENTS OF OPERATIONS` or `BALANCE SHEET` title above them); skipped");
            return;
        };
        let text = expand_tabs(line.text);
        let first_column = spans.iter().map(|span| span.start).min().unwrap_or(0);
        let cells = figure_cells(&text, first_column.saturating_sub(3));
        let label_end = cells.first().map_or(text.len(), |cell| cell.byte_start);
        let mut label =
            super::text::collapse_spaces(text[..label_end].trim().trim_end_matches('$'));
        let continues =
            text.starts_with(char::is_whitespace) || label.starts_with(|c: char| c.is_lowercase());
        match self.pending_label.take() {
            Some(first_part) if continues => label = format!("{first_part} {label}"),
            Some(heading) => self.section = Some(heading),
            None => {}
        }
        let key = key_for_label(&label);
        let unit = unit_of_key(&key);
        let mut values = vec![None; spans.len()];
        for cell in &cells {
            let Some(column) = nearest_column(spans, cell.col_start, cell.col_end) else {
                continue;
            };
            if values[column].is_some() {
                let message = format!("two figures fall under one column in row `{label}`");
                self.issues.push(TableIssue {
                    line: line.number,
                    message,
                });
                continue;
            }
            match parse_figure(&cell.text, unit, self.scale.max(1)) {
                Some(figure) => values[column] = Some(figure),
                None => self.issues.push(TableIssue {
                    line: line.number,
                    message: format!(
                        "cannot read `{}` as a figure in row `{label}`",
                        cell.text.trim()
                    ),
                }),
            }
        }
        let total = self.rule_above || label.to_lowercase().starts_with("total");
        let section = match statement.kind {
            StatementKind::BalanceSheet => self.section.clone(),
            StatementKind::Operations => None,
        };
        statement.rows.push(Row {
            key,
            label,
            section,
            values,
            total,
        });
        self.rule_above = false;
    }

    fn issue(&mut self, line: &Line<'_>, message: &str) {
        self.issues.push(TableIssue {
            line: line.number,
            message: message.to_string(),
        });
    }

    fn finish(self) -> (Vec<Statement>, Vec<TableIssue>) {
        let statements = self
            .statements
            .into_iter()
            .filter(|statement| !statement.rows.is_empty())
            .collect();
        (statements, self.issues)
    }
}

fn scale_of(text: &str) -> i64 {
    let lower = text.to_lowercase();
    if lower.contains("in thousands") || lower.contains("000's omitted") {
        1_000
    } else if lower.contains("in millions") {
        1_000_000
    } else {
        0
    }
}

struct Cell {
    text: String,
    byte_start: usize,
    col_start: usize,
    col_end: usize,
}

/// The figures of a row, at or after character column `from`.
fn figure_cells(text: &str, from: usize) -> Vec<Cell> {
    static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
        // Starts at `$`, `(` or the number itself, never at the gap before it.
        Regex::new(r"(?:\$\s*\(?\s*\$?\s*|\(\s*\$?\s*)?(?:\d[\d,]*(?:\.\d+)?|\.\d+|nil)\s*\)?")
            .unwrap()
    });
    FIGURE
        .find_iter(text)
        .filter(|found| char_col(text, found.start()) + 1 >= from)
        .map(|found| Cell {
            text: found.as_str().to_string(),
            byte_start: found.start(),
            col_start: char_col(text, found.start()),
            col_end: char_col(text, found.as_str().trim_end().len() + found.start()),
        })
        .collect()
}

/// The column a figure printed at `start..end` belongs to: the one it overlaps most, or else the
/// one whose right edge is nearest (figures are right-aligned).
fn nearest_column(spans: &[ColumnSpan], start: usize, end: usize) -> Option<usize> {
    let overlap = |span: &ColumnSpan| end.min(span.end).saturating_sub(start.max(span.start));
    let best = (0..spans.len()).max_by_key(|&i| overlap(&spans[i]))?;
    if overlap(&spans[best]) > 0 {
        return Some(best);
    }
    (0..spans.len()).min_by_key(|&i| spans[i].end.abs_diff(end))
}

/// `$  (454,000)` → -454000; `$     (0.04)` → -0.04; `$.06` → 0.06; `(0.00)` → -0.00.
fn parse_figure(cell: &str, unit: Unit, scale: i64) -> Option<Figure> {
    let negative = cell.contains('(');
    let digits: String = cell
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let digits = if cell.contains("nil") {
        "0".to_string()
    } else {
        digits
    };
    match unit {
        Unit::PerShare => {
            let mut value = Decimal::from_str(&digits).ok()?;
            if negative {
                value.set_sign_negative(true);
            }
            Some(Figure::PerShare(value))
        }
        Unit::Currency | Unit::Shares => {
            let value = Decimal::from_str(&digits).ok()? * Decimal::from(scale);
            if !value.fract().is_zero() {
                return None;
            }
            let value = i64::try_from(value.trunc()).ok()?;
            Some(Figure::Amount(if negative { -value } else { value }))
        }
    }
}

/// A column heading read as a period: `Three Months Ended September 30, 2003` gives
/// July 1 – September 30, 2003 (3 months); on a balance sheet `September 30, 2003` is an instant.
fn column_from_heading(heading: &str, kind: StatementKind) -> Option<Column> {
    static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:(?P<span>three|six|nine|twelve|\d{1,2})\s+months\s+ended|(?P<named>quarter|year|fiscal\s+year)\s+ended|as\s+of)?\s*(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})$",
        )
        .unwrap()
    });
    let found = PERIOD.captures(heading.trim())?;
    let month = super::facts::month_number(&found["month"])?;
    let end = NaiveDate::from_ymd_opt(
        found["year"].parse().ok()?,
        month,
        found["day"].parse().ok()?,
    )?;
    let months = match (found.name("span"), found.name("named")) {
        (Some(span), _) => months_from_word(span.as_str())?,
        (None, Some(named)) if named.as_str().eq_ignore_ascii_case("quarter") => 3,
        (None, Some(_)) => 12,
        (None, None) => 0,
    };
    let date_text = format!("{} {}, {}", month_name(month), end.day(), end.year());
    if months == 0 || kind == StatementKind::BalanceSheet {
        return Some(Column::Instant {
            label: date_text,
            date: end,
        });
    }
    let start = (end + chrono::Duration::days(1)).checked_sub_months(Months::new(months))?;
    Some(Column::Period {
        label: format!("{} Months Ended {date_text}", months_word(months)),
        start,
        end,
        months,
    })
}

fn months_from_word(word: &str) -> Option<u32> {
    match word.to_lowercase().as_str() {
        "three" => Some(3),
        "six" => Some(6),
        "nine" => Some(9),
        "twelve" => Some(12),
        digits => digits.parse().ok().filter(|n| (1..=24).contains(n)),
    }
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

/// The sign-neutral key of a row, the same for the same concept in every release: `Net loss` and
/// `Net income` are both `net_income`, `Loss before income taxes` is `pretax_income`.
pub fn key_for_label(label: &str) -> String {
    let mut words = label.to_lowercase();
    for (from, to) in [
        ("(loss)", ""),
        ("(benefit)", ""),
        ("(deficit)", ""),
        ("'", ""),
        ("\u{2019}", ""),
    ] {
        words = words.replace(from, to);
    }
    let words = words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "loss" | "losses" | "earnings" => "income",
            "revenues" | "sales" => "revenue",
            "stockholders" | "shareholders" => "shareholders",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ");
    for (pattern, key) in KEY_ALIASES {
        let rest = words.strip_prefix(pattern);
        if rest.is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')) {
            return key.to_string();
        }
    }
    words.replace(' ', "_")
}

/// Phrasings of the common concepts, after sign words and plurals are normalised.
const KEY_ALIASES: &[(&str, &str)] = &[
    ("revenue", "revenue"),
    ("net revenue", "revenue"),
    ("total revenue", "revenue"),
    ("gross profit", "gross_profit"),
    ("gross margin", "gross_profit"),
    ("income before income taxes", "pretax_income"),
    ("income before taxes", "pretax_income"),
    ("income before provision for income taxes", "pretax_income"),
    ("provision for income taxes", "income_tax"),
    ("provision benefit for income taxes", "income_tax"),
    ("provision for income tax", "income_tax"),
    ("income tax", "income_tax"),
    ("income taxes", "income_tax"),
    ("benefit from income taxes", "income_tax"),
    ("net income", "net_income"),
    ("basic and diluted per share amounts", "eps_basic_diluted"),
    ("basic and diluted income per share", "eps_basic_diluted"),
    (
        "net income per share basic and diluted",
        "eps_basic_diluted",
    ),
    (
        "weighted average shares outstanding basic and diluted",
        "weighted_shares_basic_diluted",
    ),
    ("weighted average shares", "weighted_shares_basic_diluted"),
    (
        "total liabilities and shareholders equity",
        "total_liabilities_and_equity",
    ),
    ("shareholders equity", "shareholders_equity"),
    ("total shareholders equity", "shareholders_equity"),
];

#[cfg(test)]
mod tests {
    use super::super::text::lines;
    use super::*;

    #[test]
    fn labels_map_to_sign_neutral_keys() {
        assert_eq!(key_for_label("Net loss"), "net_income");
        assert_eq!(key_for_label("Net income (loss)"), "net_income");
        assert_eq!(key_for_label("Loss before income taxes"), "pretax_income");
        assert_eq!(
            key_for_label("Provision (benefit) for income taxes"),
            "income_tax"
        );
        assert_eq!(key_for_label("Gross profit (loss)"), "gross_profit");
        assert_eq!(key_for_label("Revenues"), "revenue");
        assert_eq!(
            key_for_label("Basic and diluted per share amounts"),
            "eps_basic_diluted"
        );
        assert_eq!(
            key_for_label("Weighted average shares outstanding - basic and diluted"),
            "weighted_shares_basic_diluted"
        );
        assert_eq!(
            key_for_label("Total liabilities and shareholders' equity"),
            "total_liabilities_and_equity"
        );
        assert_eq!(
            key_for_label("Cash and marketable securities"),
            "cash_and_marketable_securities"
        );
    }

    #[test]
    fn figures_are_exact() {
        assert_eq!(
            parse_figure("$  (454,000)", Unit::Currency, 1),
            Some(Figure::Amount(-454_000))
        );
        assert_eq!(
            parse_figure("$12,484,000", Unit::Currency, 1),
            Some(Figure::Amount(12_484_000))
        );
        assert_eq!(
            parse_figure("1,234", Unit::Currency, 1000),
            Some(Figure::Amount(1_234_000))
        );
        assert_eq!(
            parse_figure("$.06", Unit::PerShare, 1),
            Some(Figure::PerShare(Decimal::new(6, 2)))
        );
        let Some(Figure::PerShare(zero)) = parse_figure("$     (0.00)", Unit::PerShare, 1) else {
            panic!("not a per-share figure");
        };
        assert_eq!(zero.to_string(), "-0.00");
        assert_eq!(parse_figure("1.5", Unit::Currency, 1), None);
    }

    #[test]
    fn column_headings_become_periods() {
        let column = column_from_heading(
            "Three Months Ended September 30, 2003",
            StatementKind::Operations,
        )
        .unwrap();
        assert_eq!(
            column,
            Column::Period {
                label: "Three Months Ended September 30, 2003".into(),
                start: NaiveDate::from_ymd_opt(2003, 7, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(2003, 9, 30).unwrap(),
                months: 3,
            }
        );
        let column =
            column_from_heading("Six Months Ended June 30, 2002", StatementKind::Operations)
                .unwrap();
        assert!(
            matches!(column, Column::Period { months: 6, start, .. } if start == NaiveDate::from_ymd_opt(2002, 1, 1).unwrap())
        );
        let column = column_from_heading("December 31, 2002", StatementKind::BalanceSheet).unwrap();
        assert!(
            matches!(column, Column::Instant { date, .. } if date == NaiveDate::from_ymd_opt(2002, 12, 31).unwrap())
        );
    }

    #[test]
    fn a_small_table_reads_back() {
        let text = r"
                                      Three Months Ended June 30,
                                         2003             2002
                                     -------------    ------------
STATEMENTS OF OPERATIONS

Revenues                             $ 6,937,000      $ 6,940,000
Weighted average shares
 outstanding - basic and diluted       7,751,060        7,611,000
Basic and diluted per share amounts  $     (0.04)     $     (0.00)
";
        let lines = lines(text, 10);
        assert_eq!(find_start(&lines), Some(0));
        let (statements, issues) = parse(&lines);
        assert!(issues.is_empty(), "{issues:?}");
        let rows = &statements[0].rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].values,
            vec![
                Some(Figure::Amount(6_937_000)),
                Some(Figure::Amount(6_940_000))
            ]
        );
        assert_eq!(
            rows[1].label,
            "Weighted average shares outstanding - basic and diluted"
        );
        assert_eq!(
            rows[2].values[0],
            Some(Figure::PerShare(Decimal::new(-4, 2)))
        );
    }
}
