//! Tables of figures: telling them from layout tables, and cleaning them into a [`Grid`].
//!
//! Filing agents lay a statement out for print: the `$` of a figure, and the `)` of a negative
//! one, sit in cells of their own; spacer columns keep figures apart; a heading spans the columns
//! of its period with `colspan`; rules are cell borders. The [`Grid`] contract in `doc.rs` wants
//! one printed column per grid column, so [`clean`] undoes that layout step by step.

use crate::ingest::doc::{Cell, Grid, GridRow};

use super::style::Rule;

/// A cell as the table printed it.
#[derive(Debug, Clone, Default)]
pub struct RawCell {
    /// White space collapsed; the text of the cell's paragraphs joined with a space.
    pub text: String,
    /// `colspan`, at least 1.
    pub span: usize,
    pub bold: bool,
    pub top: Rule,
    pub bottom: Rule,
}

#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub line: usize,
    pub cells: Vec<RawCell>,
}

#[derive(Debug, Clone, Default)]
pub struct RawTable {
    pub line: usize,
    /// The table's `<caption>`, if it has one.
    pub caption: Vec<String>,
    pub rows: Vec<RawRow>,
}

/// Is this a table of figures? Several rows (two or more) have a text label and at least one
/// figure after it. Letterheads, contact blocks, bullet lists and two-column prose have labels
/// but no figures, or figures (a year) but no labels.
pub fn is_grid(table: &RawTable) -> bool {
    table
        .rows
        .iter()
        .filter(|row| {
            let mut cells = row.cells.iter().filter(|c| !c.text.is_empty());
            let Some(first) = cells.next() else {
                return false;
            };
            is_label(&first.text) && cells.any(|c| is_figure(&c.text))
        })
        .nth(1)
        .is_some()
}

/// Text that names a row: it has a letter and is not a figure.
fn is_label(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !is_figure(text)
}

const CURRENCIES: [&str; 7] = ["US$", "C$", "A$", "$", "€", "£", "¥"];

/// Does `text` read as one printed figure: `1,234`, `$(103)`, `(103`, `0.60`, `—`, `12%`,
/// `(2.1)%`, `1.5x`, `n/a`, or a guidance range of two (`$4,850 - $4,950`)? Years (`2023`) are
/// figures too; header rows have no label.
pub fn is_figure(text: &str) -> bool {
    let text = text.trim();
    if let Some((low, high)) = [" - ", " – ", " — ", " to "]
        .iter()
        .find_map(|dash| text.split_once(dash))
    {
        return is_one_figure(low) && is_one_figure(high);
    }
    is_one_figure(text)
}

fn is_one_figure(text: &str) -> bool {
    let text = text.trim();
    if ["n/a", "nm", "n/m", "nmf", "*"]
        .iter()
        .any(|nil| text.eq_ignore_ascii_case(nil))
    {
        return true;
    }
    let rest = strip_currency(text);
    let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
    let rest = strip_currency(rest);
    let rest = rest
        .strip_prefix(['-', '−', '+'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest);
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(rest.len());
    let (number, rest) = rest.split_at(digits);
    let rest = if number.bytes().any(|b| b.is_ascii_digit()) {
        rest
    } else if number.is_empty() && rest.starts_with(['—', '–', '-']) {
        rest.trim_start_matches(['—', '–', '-'])
    } else {
        return false;
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(')').unwrap_or(rest).trim_start();
    let rest = ["%", "pts", "bps", "bp", "pp", "x"]
        .iter()
        .find_map(|unit| rest.strip_prefix(unit))
        .unwrap_or(rest);
    let rest = rest.trim_start();
    rest.strip_prefix(')').unwrap_or(rest).is_empty()
}

fn strip_currency(text: &str) -> &str {
    CURRENCIES
        .iter()
        .find_map(|c| text.strip_prefix(c))
        .map_or(text, str::trim_start)
}

/// A cell that holds only the part of a figure printed before it.
fn is_prefix(text: &str) -> bool {
    matches!(
        text,
        "$" | "(" | "$(" | "($" | "US$" | "€" | "£" | "¥" | "(€" | "€(" | "(£" | "£("
    )
}

/// A cell that holds only the part of a figure printed after it.
fn is_suffix(text: &str) -> bool {
    matches!(text, ")" | "%" | ")%" | "%)")
}

/// A row drawn as text: `-----`, `_____` (single) or `=====` (double).
fn text_rule(text: &str) -> Option<Rule> {
    if text.chars().count() < 2 {
        return None;
    }
    if text.chars().all(|c| c == '-' || c == '_') {
        Some(Rule::Single)
    } else if text.chars().all(|c| c == '=') {
        Some(Rule::Double)
    } else {
        None
    }
}

/// A cell placed on the grid: its first column and how many it covers.
#[derive(Debug, Clone)]
struct Placed {
    start: usize,
    span: usize,
    text: String,
    bold: bool,
}

/// Cleans a table of figures into the [`Grid`] contract: symbols joined to their figures, empty
/// columns and rows gone, every row as wide as the grid, rules and captions read.
pub fn clean(table: RawTable) -> Grid {
    let mut rules = rules_above(&table.rows);
    let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
    let mut rows: Vec<Vec<Placed>> = table.rows.into_iter().map(place).collect();
    for (index, row) in rows.iter_mut().enumerate() {
        if let Some(rule) = row_rule(row) {
            row.clear();
            if rule == Rule::Single
                && let Some(next) = rules.get_mut(index + 1)
            {
                *next = true;
            }
        }
        join_symbols(row);
    }
    let keep = kept_columns(&rows);
    let mut grid = Grid {
        line: table.line,
        caption: table.caption,
        rows: Vec::new(),
    };
    let width = keep.iter().filter(|&&k| k).count();
    let mut carried = false;
    for ((row, line), rule) in rows.into_iter().zip(lines).zip(rules) {
        let cells = shrink(row, &keep, width);
        if cells.iter().all(|c| c.text.is_empty()) {
            carried |= rule;
            continue;
        }
        grid.rows.push(GridRow {
            line,
            cells,
            rule_above: rule || carried,
        });
        carried = false;
    }
    take_caption(&mut grid);
    drop_rules_above_headers(&mut grid);
    grid
}

/// A rule opens a subtotal only below figures: rules under the column headings, down to the
/// first row of figures, are not read.
fn drop_rules_above_headers(grid: &mut Grid) {
    for row in &mut grid.rows {
        let mut texts = row.cells.iter().filter(|c| !c.text.is_empty());
        let figures = texts
            .next()
            .is_some_and(|first| is_label(&first.text) && texts.any(|c| is_figure(&c.text)));
        row.rule_above = false;
        if figures {
            return;
        }
    }
}

/// Row `i` has a rule above its figures when one of its non-empty cells has a top border or one
/// of the row above's non-empty cells has a bottom border (how Workiva draws subtotal rules).
/// Double rules close totals and are not read.
fn rules_above(rows: &[RawRow]) -> Vec<bool> {
    let has = |row: &RawRow, side: fn(&RawCell) -> Rule| {
        row.cells
            .iter()
            .any(|c| !c.text.is_empty() && side(c) == Rule::Single)
    };
    (0..rows.len())
        .map(|i| has(&rows[i], |c| c.top) || (i > 0 && has(&rows[i - 1], |c| c.bottom)))
        .collect()
}

fn place(row: RawRow) -> Vec<Placed> {
    let mut start = 0;
    row.cells
        .into_iter()
        .map(|cell| {
            let placed = Placed {
                start,
                span: cell.span.max(1),
                text: cell.text,
                bold: cell.bold,
            };
            start += placed.span;
            placed
        })
        .collect()
}

/// The rule a row of dashes or equal signs draws, if it is one.
fn row_rule(row: &[Placed]) -> Option<Rule> {
    let mut rule = None;
    for cell in row.iter().filter(|c| !c.text.is_empty()) {
        rule = Some(text_rule(&cell.text)?);
    }
    rule
}

/// Joins cells that hold only `$`, `(`, `)`, `%` or `)%` to the figure they belong to, and
/// closes up the space inside a figure (`$ 1,234` → `$1,234`).
fn join_symbols(row: &mut [Placed]) {
    for i in 0..row.len() {
        let text = row[i].text.as_str();
        if is_prefix(text) {
            if let Some(j) = (i + 1..row.len()).find(|&j| !row[j].text.is_empty()) {
                let joined = format!("{}{}", row[i].text, row[j].text);
                if is_figure(&joined) {
                    row[j].text = joined;
                    row[i].text.clear();
                }
            }
        } else if is_suffix(text)
            && let Some(j) = (0..i).rev().find(|&j| !row[j].text.is_empty())
        {
            let joined = format!("{}{}", row[j].text, row[i].text);
            if is_figure(&joined) {
                row[j].text = joined;
                row[i].text.clear();
            }
        }
    }
    for cell in row.iter_mut() {
        if cell.text.contains(' ') && is_figure(&cell.text) {
            cell.text = close_up(&cell.text);
        }
    }
}

/// Removes spaces that sit just after a currency sign or `(`, or just before `)` or `%`.
fn close_up(figure: &str) -> String {
    let chars: Vec<char> = figure.chars().collect();
    let mut out = String::with_capacity(figure.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = i.checked_sub(1).and_then(|p| chars.get(p));
            let after = chars.get(i + 1);
            if before.is_some_and(|b| matches!(b, '$' | '€' | '£' | '¥' | '('))
                || after.is_some_and(|a| matches!(a, ')' | '%'))
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Columns that hold text: any column with a text cell of its own (span 1). A text cell that
/// spans only empty columns keeps its first column, so no text is lost; an empty spanning cell
/// over empty columns goes with them.
fn kept_columns(rows: &[Vec<Placed>]) -> Vec<bool> {
    let width = rows
        .iter()
        .map(|r| r.last().map_or(0, |c| c.start + c.span))
        .max()
        .unwrap_or(0);
    let mut keep = vec![false; width];
    for cell in rows.iter().flatten() {
        if cell.span == 1 && !cell.text.is_empty() {
            keep[cell.start] = true;
        }
    }
    for cell in rows.iter().flatten() {
        let end = (cell.start + cell.span).min(width);
        if !cell.text.is_empty() && !keep[cell.start..end].iter().any(|&k| k) {
            keep[cell.start] = true;
        }
    }
    keep
}

/// The row's cells over the kept columns only, padded with empty cells to `width`.
fn shrink(row: Vec<Placed>, keep: &[bool], width: usize) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(row.len());
    let mut total = 0;
    for cell in row {
        let end = (cell.start + cell.span).min(keep.len());
        let span = keep
            .get(cell.start..end)
            .map_or(0, |k| k.iter().filter(|&&k| k).count());
        if span == 0 {
            continue;
        }
        total += span;
        cells.push(Cell {
            text: cell.text,
            span,
            bold: cell.bold,
        });
    }
    cells.extend((total..width).map(|_| Cell::new("")));
    cells
}

/// Leading rows that hold one text and no figure, spanning the table or starting its label
/// column (the statement's title, its scale, "(Unaudited)"), become the caption.
fn take_caption(grid: &mut Grid) {
    let width = grid.width();
    let mut taken = 0;
    for row in &grid.rows {
        let mut texts = row
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.text.is_empty());
        let (Some((index, cell)), None) = (texts.next(), texts.next()) else {
            break;
        };
        let title = cell.span == width || (index == 0 && !cell.text.ends_with(':'));
        if !title || is_figure(&cell.text) || width < 2 {
            break;
        }
        taken += 1;
    }
    if taken == grid.rows.len() {
        return;
    }
    for row in grid.rows.drain(..taken) {
        if let Some(cell) = row.cells.into_iter().find(|c| !c.text.is_empty()) {
            grid.caption.push(cell.text);
        }
    }
}
