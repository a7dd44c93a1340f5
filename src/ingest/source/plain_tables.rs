//! Fixed-width text tables read into [`Grid`]s: the plain-text front end's table geometry.
//!
//! Typewritten filings lay figures out in columns with spaces. This module finds where the
//! tables are (clusters of figure rows with the heading block above them, anywhere in the text),
//! where their columns are (the dashed underline beneath the column headings, or else the
//! alignment of the figures themselves), and cleans each table of its layout: one grid column per
//! printed column, `$` and `)` joined to their figures, a label wrapped over two lines joined,
//! a single rule recorded on the row below it. What the figures *mean* (periods, scale, keys) is
//! left to `ingest::statements`, which reads HTML tables too.

use crate::diagnostics::Diagnostic;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::doc::{Cell, Grid, GridRow};
use crate::ingest::text::{Line, collapse_spaces, is_furniture, is_rule, is_upper_case};

/// A stretch of the text: prose, or one table.
#[derive(Debug, Clone, PartialEq)]
pub enum Region {
    /// Lines (indices into the slice given to [`split`]) that are not part of a table.
    Prose(Range<usize>),
    Table(Grid),
}

/// Splits the lines into prose and tables, in order, covering every line. A table region may
/// hold several grids (a statement title inside it starts a new one); each is its own
/// [`Region::Table`]. Warnings are on raw lines.
pub fn split(lines: &[Line<'_>]) -> (Vec<Region>, Vec<Diagnostic>) {
    let kinds: Vec<Kind> = lines.iter().map(|line| classify(line.text)).collect();
    let mut regions = Vec::new();
    let mut warnings = Vec::new();
    let mut prose_start = 0;
    for range in table_ranges(lines, &kinds) {
        if prose_start < range.start {
            regions.push(Region::Prose(prose_start..range.start));
        }
        let grids = Builder::new(lines, &kinds, &mut warnings).build(range.clone());
        if grids.is_empty() {
            regions.push(Region::Prose(range.clone()));
        }
        regions.extend(grids.into_iter().map(Region::Table));
        prose_start = range.end;
    }
    if prose_start < lines.len() {
        regions.push(Region::Prose(prose_start..lines.len()));
    }
    (merge_prose(regions), warnings)
}

/// Neighbouring prose regions (left by a region that held no grid) become one.
fn merge_prose(regions: Vec<Region>) -> Vec<Region> {
    let mut merged: Vec<Region> = Vec::with_capacity(regions.len());
    for region in regions {
        if let (Some(Region::Prose(last)), Region::Prose(next)) = (merged.last_mut(), &region)
            && last.end == next.start
        {
            last.end = next.end;
            continue;
        }
        merged.push(region);
    }
    merged
}

/// What a line is, for finding and reading tables.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Blank,
    /// Page furniture or SGML markup of text exhibits (`<TABLE>`, `<S>`, `<C>`, `<PAGE>`).
    Markup,
    /// Dashes or equals signs only.
    Rule,
    Figures(FigureLine),
    Text,
}

/// A line that ends in figures: its label and each figure with its character columns.
#[derive(Debug, Clone, PartialEq)]
struct FigureLine {
    label: String,
    figures: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    /// The figure with its white space removed: `$(4,679,000)`, `(0.06)`, `12.3%`, `-`.
    text: String,
    start: usize,
    end: usize,
}

fn classify(text: &str) -> Kind {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Kind::Blank
    } else if is_rule(text) {
        Kind::Rule
    } else if is_markup(trimmed) || is_furniture(text) {
        Kind::Markup
    } else if let Some(figures) = figure_line(text) {
        Kind::Figures(figures)
    } else {
        Kind::Text
    }
}

/// SGML tags that text exhibits of the 1990s and 2000s wrap their tables in.
fn is_markup(trimmed: &str) -> bool {
    if !trimmed.starts_with('<') {
        return false;
    }
    static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:</?(?:table|caption|s|c|page|fn|f\d+)>\s*)+$").unwrap()
    });
    MARKUP.is_match(trimmed)
}

/// Tabs expanded to the next multiple of eight, so that character columns line up.
fn expand_tabs(text: &str) -> Cow<'_, str> {
    if !text.contains('\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut width = 0;
    for c in text.chars() {
        if c == '\t' {
            let pad = 8 - width % 8;
            out.extend(std::iter::repeat_n(' ', pad));
            width += pad;
        } else {
            out.push(c);
            width += 1;
        }
    }
    Cow::Owned(out)
}

/// A label followed by figures set apart by at least two spaces or a dotted leader, read from
/// the right so that numbers inside the label (`Taxes other than income taxes 2003`) stay in it.
fn figure_line(text: &str) -> Option<FigureLine> {
    // Cheap test first: a line of figures ends in one (a digit, `)`, `%` or a dash for nil).
    let ends_in_figure = text.trim_end().chars().next_back().is_some_and(|c| {
        c.is_ascii_digit() || matches!(c, ')' | '%' | '-' | '\u{2013}' | '\u{2014}')
    });
    if !ends_in_figure {
        return None;
    }
    static LAST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[\s.])((?:\$\s*\(?\s*\$?\s*|\(\s*\$?\s*)?[-\u{2212}]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)\s*\)?\s*%?|(?:\$\s*)?[-\u{2013}\u{2014}]{1,2})\s*$",
        )
        .unwrap()
    });
    let text = expand_tabs(text);
    // Columns are characters; in ASCII text (nearly every filing) a byte is one.
    let chars: Vec<(usize, char)> = match text.is_ascii() {
        true => Vec::new(),
        false => text.char_indices().collect(),
    };
    let col = |byte: usize| match chars.is_empty() {
        true => byte,
        false => chars.partition_point(|(at, _)| *at < byte),
    };
    let mut rest = text.trim_end();
    // (byte where the figure starts, the figure)
    let mut figures: Vec<(usize, Token)> = Vec::new();
    while let Some(found) = LAST.captures(rest).and_then(|c| c.get(1)) {
        let token = Token {
            text: found.as_str().split_whitespace().collect(),
            start: col(found.start()),
            end: col(found.start() + found.as_str().trim_end().len()),
        };
        figures.push((found.start(), token));
        rest = &rest[..found.start()];
        if rest.trim().is_empty() {
            break;
        }
    }
    figures.reverse();
    // Figures one space after the label are part of it (`Income Account -`, `Note 3`), unless
    // they start with a currency sign.
    while let Some((byte, token)) = figures.first() {
        let before = &text[..*byte];
        let gap = before.len() - before.trim_end().len();
        let dollar = token.text.starts_with('$') && gap >= 1;
        if before.trim().is_empty() || gap >= 2 || dollar || before.trim_end().ends_with("..") {
            break;
        }
        figures.remove(0);
    }
    let rest = figures.first().map_or(&*text, |(byte, _)| &text[..*byte]);
    let figures: Vec<Token> = figures.into_iter().map(|(_, token)| token).collect();
    let label = clean_label(rest);
    let numeric = figures
        .iter()
        .filter(|t| t.text.chars().any(|c| c.is_ascii_digit()))
        .count();
    let all_years = figures.iter().all(|t| is_year(&t.text));
    if numeric == 0 || (all_years && (label.is_empty() || is_column_heading(&label))) {
        return None;
    }
    Some(FigureLine { label, figures })
}

/// The label as printed: spaces collapsed, a dotted leader and a dangling `$` removed.
fn clean_label(text: &str) -> String {
    let trimmed = text
        .trim()
        .trim_end_matches(['.', '$', ' '])
        .trim_end_matches(['.', ' ']);
    // A label that is only dots (a leader with nothing before it) is no label.
    collapse_spaces(trimmed)
}

fn is_year(text: &str) -> bool {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:19|20)\d\d$").unwrap());
    YEAR.is_match(text)
}

static YEAR_IN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").unwrap());

/// `Three Months Ended June 30,`, `2003   2002`, `13 Weeks Ended`, `% Change`: every word of the
/// line belongs to column headings.
fn is_column_heading(text: &str) -> bool {
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)^(?:
            one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|
            twenty-six|thirty-nine|fifty-two|fifty-three|sixteen|twenty-four|forty|
            months?|weeks?|quarters?|years?|periods?|ended|ending|fiscal|as|of|at|to|and|the|for|
            first|second|third|fourth|full|year-to-date|ytd|
            jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|
            january|february|march|april|may|june|july|august|september|october|november|december|
            unaudited|audited|notes?|change|changes|%|percent|variance|increase|decrease|inc|dec|
            actual|reported|restated|in|thousands|millions|billions|except|per|share|amounts?|data|
            q[1-4]|fy\d{2,4}|h[12]|\d{1,4}|\d{1,2}/\d{1,2}/\d{2,4}|\$|-|&
            )$",
        )
        .unwrap()
    });
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, ',' | '.' | ':' | '(' | ')' | ';'))
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| WORD.is_match(w))
}

/// `STATEMENTS OF OPERATIONS:`, `CONDENSED CONSOLIDATED BALANCE SHEETS`: a line that names a
/// statement, which starts a new grid when it comes inside a table region.
pub(crate) fn is_statement_title(text: &str) -> bool {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:condensed\s+|consolidated\s+|unaudited\s+|summary\s+)*(?:statements?\s+of\s+(?:consolidated\s+)?(?:operations|income|earnings|comprehensive\s+income|cash\s+flows?|financial\s+position|financial\s+condition)|income\s+statements?|balance\s+sheets?)\s*(?:\(unaudited\))?\s*:?$",
        )
        .unwrap()
    });
    TITLE.is_match(text.trim())
}

/// The line ranges that hold tables: each cluster of figure rows with the heading block and
/// captions above it, and the rules right under its last row.
fn table_ranges(lines: &[Line<'_>], kinds: &[Kind]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        if !matches!(kinds[at], Kind::Figures(_)) {
            at += 1;
            continue;
        }
        let (last, rows) = cluster_end(lines, kinds, at);
        if rows < 2 {
            at = last + 1;
            continue;
        }
        let floor = ranges.last().map_or(0, |r| r.end);
        let start = region_start(lines, kinds, at, floor);
        let mut end = last + 1;
        while end < lines.len() && kinds[end] == Kind::Rule {
            end += 1;
        }
        ranges.push(start..end);
        at = end;
    }
    ranges
}

/// The last figure row of the cluster that starts at `first`, and how many figure rows it has.
/// Between two figure rows may come blank lines, rules, markup, headings and short labels, but
/// not prose: a long line, a sentence, or more than a few lines of text in a row.
fn cluster_end(lines: &[Line<'_>], kinds: &[Kind], first: usize) -> (usize, usize) {
    let (mut last, mut rows) = (first, 0);
    let mut at = first;
    let (mut texts, mut blanks) = (0, 0);
    while at < lines.len() {
        match &kinds[at] {
            Kind::Figures(figures) => {
                last = at;
                rows += usize::from(looks_financial(figures));
                texts = 0;
                blanks = 0;
            }
            Kind::Blank => blanks += 1,
            Kind::Rule | Kind::Markup => {}
            Kind::Text => {
                if is_prose(lines[at].text) {
                    break;
                }
                texts += 1;
            }
        }
        if texts > 6 || blanks > 10 {
            break;
        }
        at += 1;
    }
    (last, rows)
}

/// A row a statement would print: two figures or more, or one written as money is (`$`, a
/// thousands comma, parentheses, decimals, a percent sign). `IRS NUMBER:  770059951` in a
/// filing's header is not one.
fn looks_financial(line: &FigureLine) -> bool {
    line.figures.len() >= 2
        || line
            .figures
            .iter()
            .any(|t| t.text.contains(['$', ',', '(', '.', '%']))
}

/// A line of running text: long without wide gaps, or a finished sentence of several words.
fn is_prose(text: &str) -> bool {
    let trimmed = text.trim();
    if is_column_heading(trimmed) || is_statement_title(trimmed) {
        return false;
    }
    let words = trimmed.split_whitespace().count();
    let sentence = trimmed.ends_with('.') && words >= 4;
    (trimmed.len() > 60 && !trimmed.contains("   ")) || sentence
}

/// Where a table region starts: walking up from its first figure row over what belongs to the
/// table (labels and markup, then the column headings, the captions, the company name, blank
/// lines and page furniture) and no further than `floor`.
fn region_start(lines: &[Line<'_>], kinds: &[Kind], first_row: usize, floor: usize) -> usize {
    let mut start = first_row;
    let mut seen_headings = false;
    while start > floor {
        let line = &lines[start - 1];
        let text = line.trimmed();
        let belongs = match &kinds[start - 1] {
            Kind::Blank | Kind::Markup => true,
            Kind::Rule => {
                seen_headings = true;
                true
            }
            Kind::Figures(_) => false,
            Kind::Text => {
                let heading = is_column_heading(text);
                seen_headings |= heading;
                heading
                    || is_upper_case(text)
                    || is_statement_title(text)
                    || is_caption(line)
                    || (!seen_headings && is_short_label(text))
            }
        };
        if !belongs {
            break;
        }
        start -= 1;
    }
    start
}

/// `(In Millions of Dollars)`, `(See Notes)`, or a short centred line (`Financial Highlights`).
fn is_caption(line: &Line<'_>) -> bool {
    let text = line.trimmed();
    let parenthesised = text.starts_with('(') && text.ends_with(')') && text.len() <= 80;
    let centred = line.indent() >= 10 && text.len() <= 70 && !text.ends_with('.');
    parenthesised || centred
}

/// A row label standing alone: short, not a sentence.
fn is_short_label(text: &str) -> bool {
    text.len() <= 50 && !text.ends_with('.')
}

/// A column as found on the page: its character columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// Column headings: the heading lines and the columns they stand over.
#[derive(Debug, Clone)]
struct Headings {
    /// Empty when the block has no underline: columns then come from the figures below.
    spans: Vec<Span>,
    lines: Vec<usize>,
}

/// Reads one table region into grids.
struct Builder<'a, 'l> {
    lines: &'a [Line<'l>],
    kinds: &'a [Kind],
    warnings: &'a mut Vec<Diagnostic>,
    grids: Vec<Grid>,
    /// Captions of the whole region (company name, `(In thousands)`), given to every grid.
    region_caption: Vec<String>,
    headings: Option<Headings>,
    grid: Option<Grid>,
    spans: Vec<Span>,
    /// A label line waiting to learn whether the next line continues it.
    pending: Option<(usize, String, usize)>,
    rule_above: bool,
    /// The end of the region being read.
    end: usize,
    /// The caption of a title that came before its column headings, for the grid they start.
    pending_caption: Option<Vec<String>>,
}

impl<'a, 'l> Builder<'a, 'l> {
    fn new(lines: &'a [Line<'l>], kinds: &'a [Kind], warnings: &'a mut Vec<Diagnostic>) -> Self {
        Builder {
            lines,
            kinds,
            warnings,
            grids: Vec::new(),
            region_caption: Vec::new(),
            headings: None,
            grid: None,
            spans: Vec::new(),
            pending: None,
            rule_above: false,
            end: 0,
            pending_caption: None,
        }
    }

    fn build(mut self, range: Range<usize>) -> Vec<Grid> {
        self.end = range.end;
        let blocks = heading_blocks(self.lines, self.kinds, range.clone());
        let mut at = range.start;
        while at < range.end {
            if let Some((headings, next)) = blocks.iter().find(|(h, _)| h.lines[0] == at) {
                self.flush_pending();
                self.finish_grid();
                self.headings = Some(headings.clone());
                self.spans = headings.spans.clone();
                if self.spans.is_empty() {
                    self.spans = figure_spans(self.kinds, *next..range.end);
                }
                at = *next;
                continue;
            }
            self.read(at);
            at += 1;
        }
        self.flush_pending();
        self.finish_grid();
        self.grids
    }

    fn read(&mut self, index: usize) {
        let line = self.lines[index];
        let text = collapse_spaces(line.trimmed());
        match &self.kinds[index] {
            Kind::Blank => self.flush_pending(),
            Kind::Markup => {}
            Kind::Rule => {
                self.flush_pending();
                // A single rule under figures: the next row sums those above it.
                self.rule_above = !text.contains('=') && line.indent() >= 8;
            }
            Kind::Figures(figures) => {
                let figures = figures.clone();
                self.figure_row(index, &figures);
            }
            Kind::Text if is_statement_title(&text) => {
                self.flush_pending();
                self.finish_grid();
                let mut caption = self.region_caption.clone();
                caption.push(text);
                self.grid = Some(self.new_grid(line.number, caption));
            }
            Kind::Text => self.text_line(index, text),
        }
    }

    /// A line of words: a caption before any figure, else a row label (a section, or the first
    /// half of a wrapped label).
    fn text_line(&mut self, index: usize, text: String) {
        let line = self.lines[index];
        let has_rows = self.grid.as_ref().is_some_and(|g| {
            g.rows
                .iter()
                .any(|r| r.cells.first().is_some_and(|c| !c.text.is_empty()))
        });
        let parenthesised = text.starts_with('(');
        if !has_rows && (is_upper_case(&text) || parenthesised || self.headings.is_none()) {
            match self.grid.as_mut() {
                Some(grid) => grid.caption.push(text),
                None => self.region_caption.push(text),
            }
            return;
        }
        if parenthesised {
            return; // `(See Notes)` between rows
        }
        self.flush_pending();
        self.pending = Some((index, text, line.indent()));
    }

    /// Writes a waiting label line as a row of its own: a section heading.
    fn flush_pending(&mut self) {
        if let Some((index, label, _)) = self.pending.take() {
            let width = self.spans.len() + 1;
            let mut cells = vec![Cell::new(label)];
            cells.extend((1..width).map(|_| Cell::new("")));
            let row = GridRow {
                line: self.lines[index].number,
                cells,
                rule_above: false,
            };
            self.push_row(row);
        }
    }

    fn figure_row(&mut self, index: usize, figures: &FigureLine) {
        let line = self.lines[index];
        let mut label = figures.label.clone();
        let mut first_line = line.number;
        if let Some((pending_index, first_part, indent)) = self.pending.take() {
            let adjacent = pending_index + 1 == index;
            let continues = label.starts_with(|c: char| c.is_lowercase())
                || (line.indent() > indent && !first_part.ends_with([':', '-']));
            if adjacent && continues && !label.is_empty() {
                label = format!("{first_part} {label}");
                first_line = self.lines[pending_index].number;
            } else {
                self.pending = Some((pending_index, first_part, indent));
                self.flush_pending();
            }
        }
        if self.spans.is_empty() {
            self.spans = figure_spans(self.kinds, index..self.end);
        }
        let mut cells = vec![Cell::new(label.clone())];
        cells.extend(self.spans.iter().map(|_| Cell::new("")));
        for token in &figures.figures {
            let Some(column) = nearest_column(&self.spans, token.start, token.end) else {
                continue;
            };
            if !cells[column + 1].text.is_empty() {
                let message = format!(
                    "two figures fall under one column in row `{label}`; the second, `{}`, is left out",
                    token.text
                );
                self.warnings
                    .push(Diagnostic::line_warning(line.number, message));
                continue;
            }
            cells[column + 1].text = token.text.clone();
        }
        let row = GridRow {
            line: first_line,
            cells,
            rule_above: std::mem::take(&mut self.rule_above),
        };
        self.push_row(row);
    }

    fn push_row(&mut self, row: GridRow) {
        if self.grid.is_none() {
            let caption = self
                .pending_caption
                .take()
                .unwrap_or_else(|| self.region_caption.clone());
            self.grid = Some(self.new_grid(row.line, caption));
        }
        if let Some(grid) = self.grid.as_mut() {
            grid.rows.push(row);
        }
    }

    /// A grid starting at `line`, with the column-heading rows of the heading block in force.
    fn new_grid(&self, line: usize, caption: Vec<String>) -> Grid {
        let rows: Vec<GridRow> = self
            .headings
            .iter()
            .flat_map(|h| h.lines.iter())
            .filter(|&&i| self.kinds[i] == Kind::Text || matches!(self.kinds[i], Kind::Figures(_)))
            .map(|&i| heading_row(&self.lines[i], &self.spans))
            .collect();
        Grid {
            line: rows.first().map_or(line, |r| r.line.min(line)),
            caption,
            rows,
        }
    }

    /// Keeps the grid being read if it holds a figure; a grid of headings alone is dropped.
    fn finish_grid(&mut self) {
        if let Some(grid) = self.grid.take() {
            let has_figures = grid.rows.iter().any(|row| {
                row.cells
                    .iter()
                    .skip(1)
                    .any(|c| c.text.chars().any(|ch| ch.is_ascii_digit()) && !is_year(&c.text))
            });
            if has_figures {
                self.grids.push(grid);
            } else if grid.caption.len() > self.region_caption.len() {
                // A title above the column headings (`STATEMENTS OF INCOME`, then the headings):
                // it names the grid the headings start.
                self.pending_caption = Some(grid.caption);
            }
        }
        self.rule_above = false;
    }
}

/// The column-heading blocks of a region, each with the index of the line after it: heading
/// lines above a dashed underline (the lowest of the block's underlines gives the columns), or
/// heading lines naming a year right above the first figures (columns from the figures).
fn heading_blocks(
    lines: &[Line<'_>],
    kinds: &[Kind],
    range: Range<usize>,
) -> Vec<(Headings, usize)> {
    let mut blocks = Vec::new();
    let mut at = range.start;
    while at < range.end {
        let is_heading_line =
            |i: usize| kinds[i] == Kind::Text && is_column_heading(lines[i].trimmed());
        let starts_block =
            is_heading_line(at) || kinds[at] == Kind::Text && year_heading(lines[at].trimmed());
        if !starts_block {
            at += 1;
            continue;
        }
        let first = at;
        let mut end = at;
        let mut underline = None;
        while end < range.end {
            let text = lines[end].text;
            if kinds[end] == Kind::Rule && dash_runs(text).len() >= 2 && lines[end].indent() >= 8 {
                underline = Some(end);
            } else if !(kinds[end] == Kind::Text
                && (is_column_heading(lines[end].trimmed()) || year_heading(lines[end].trimmed())))
            {
                break;
            }
            end += 1;
        }
        let heading_lines: Vec<usize> = (first..end).filter(|&i| kinds[i] == Kind::Text).collect();
        let names_year = heading_lines
            .iter()
            .any(|&i| YEAR_IN.is_match(lines[i].text));
        let next_is_figures = (end..range.end)
            .find(|&i| !matches!(kinds[i], Kind::Blank | Kind::Markup))
            .is_some_and(|i| {
                matches!(kinds[i], Kind::Figures(_))
                    || is_statement_title(lines[i].trimmed())
                    || kinds[i] == Kind::Text
            });
        if names_year && (underline.is_some() || next_is_figures) {
            let spans = underline.map_or_else(Vec::new, |u| {
                dash_runs(lines[u].text)
                    .into_iter()
                    .map(|(start, end)| Span { start, end })
                    .collect()
            });
            blocks.push((
                Headings {
                    spans,
                    lines: heading_lines,
                },
                end,
            ));
        }
        at = end.max(first + 1);
    }
    blocks
}

/// A heading line with a label and years in the figure columns (`Kilowatt-Hour Sales  2006
/// 2005  Change`): its figure part is all headings.
fn year_heading(text: &str) -> bool {
    let parts: Vec<&str> = text
        .split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 3 && parts[1..].iter().all(|p| is_column_heading(p)) && YEAR_IN.is_match(text)
}

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

/// Columns where no underline gives them: the character extents of the figures, merged where
/// they overlap, over the figure rows of `range`.
fn figure_spans(kinds: &[Kind], range: Range<usize>) -> Vec<Span> {
    let mut extents: Vec<Span> = kinds[range]
        .iter()
        .filter_map(|kind| match kind {
            Kind::Figures(f) => Some(f),
            _ => None,
        })
        .flat_map(|f| {
            f.figures.iter().map(|t| Span {
                start: t.start,
                end: t.end,
            })
        })
        .collect();
    extents.sort_by_key(|s| (s.start, s.end));
    let mut spans: Vec<Span> = Vec::new();
    for extent in extents {
        match spans.last_mut() {
            Some(last) if extent.start < last.end => last.end = last.end.max(extent.end),
            _ => spans.push(extent),
        }
    }
    spans
}

/// A heading line as a grid row: each run of words goes to the columns it overlaps (a run over
/// several columns spans them), a run left of every column to the label cell.
fn heading_row(line: &Line<'_>, spans: &[Span]) -> GridRow {
    static CHUNK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S+(?: \S+)*").unwrap());
    let text = expand_tabs(line.text);
    let col = |byte: usize| text[..byte].chars().count();
    let mut label = Vec::new();
    // (first column, last column, words)
    let mut groups: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for chunk in CHUNK.find_iter(&text) {
        let (from, to) = (col(chunk.start()), col(chunk.end()));
        let over: Vec<usize> = (0..spans.len())
            .filter(|&i| from < spans[i].end + 1 && to + 1 > spans[i].start)
            .collect();
        let (Some(&a), Some(&b)) = (over.first(), over.last()) else {
            if spans.first().is_none_or(|s| to <= s.start) {
                label.push(chunk.as_str().to_string());
            } else if let Some(i) = nearest_column(spans, from, to) {
                groups.push((i, i, vec![chunk.as_str().to_string()]));
            }
            continue;
        };
        match groups.last_mut() {
            Some(last) if a <= last.1 => {
                last.1 = last.1.max(b);
                last.2.push(chunk.as_str().to_string());
            }
            _ => groups.push((a, b, vec![chunk.as_str().to_string()])),
        }
    }
    let mut cells = vec![Cell::new(label.join(" "))];
    let mut next = 0;
    for (a, b, words) in groups {
        if a < next {
            continue;
        }
        cells.extend((next..a).map(|_| Cell::new("")));
        cells.push(Cell {
            text: words.join(" "),
            span: b - a + 1,
            bold: false,
        });
        next = b + 1;
    }
    cells.extend((next..spans.len()).map(|_| Cell::new("")));
    GridRow {
        line: line.number,
        cells,
        rule_above: false,
    }
}

/// The column a figure printed at `start..end` belongs to: the one it overlaps most, or else the
/// one whose right edge is nearest (figures are right-aligned).
fn nearest_column(spans: &[Span], start: usize, end: usize) -> Option<usize> {
    let overlap = |span: &Span| end.min(span.end).saturating_sub(start.max(span.start));
    let best = (0..spans.len()).max_by_key(|&i| overlap(&spans[i]))?;
    if overlap(&spans[best]) > 0 {
        return Some(best);
    }
    (0..spans.len()).min_by_key(|&i| spans[i].end.abs_diff(end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::lines;

    fn grids(text: &str) -> Vec<Grid> {
        let lines = lines(text, 1);
        let (regions, _) = split(&lines);
        regions
            .into_iter()
            .filter_map(|r| match r {
                Region::Table(grid) => Some(grid),
                Region::Prose(_) => None,
            })
            .collect()
    }

    fn texts(row: &GridRow) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn figure_lines_keep_numbers_of_the_label_in_it() {
        let line = figure_line("Taxes 2003 paid           $ 1,234    $  (56)").unwrap();
        assert_eq!(line.label, "Taxes 2003 paid");
        let texts: Vec<&str> = line.figures.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["$1,234", "$(56)"]);
        assert!(figure_line("                 2003        2002").is_none());
        assert!(figure_line("Three Months Ended September 30, 2003").is_none());
        let dotted = figure_line("Revenues..........  $ 1,234   1,100").unwrap();
        assert_eq!(dotted.label, "Revenues");
        assert_eq!(dotted.figures.len(), 2);
    }

    #[test]
    fn a_table_with_an_underline_reads_into_one_grid_per_statement() {
        let text = "Some prose of the release, which ends with a sentence here.

                                      Three Months Ended June 30,
                                         2003             2002
                                     -------------    ------------
STATEMENTS OF OPERATIONS

Revenues                             $ 6,937,000      $ 6,940,000
Provision (benefit) for income
  taxes                              $ 3,160,000      $   (65,000)
                                     ------------     ------------
Net loss                             $  (272,000)     $   (19,000)

                                       June 30,       December 31,
                                         2003             2002
                                     -------------    ------------
BALANCE SHEET

Assets
- ------
Cash                                 $   714,000      $ 1,048,000
";
        let lines = lines(text, 1);
        let (regions, warnings) = split(&lines);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(regions[0], Region::Prose(0..1));
        let grids = grids(text);
        assert_eq!(grids.len(), 2);
        let ops = &grids[0];
        assert_eq!(ops.caption, ["STATEMENTS OF OPERATIONS"]);
        assert_eq!(texts(&ops.rows[0]), ["", "Three Months Ended June 30,"]);
        assert_eq!(ops.rows[0].cells[1].span, 2);
        assert_eq!(texts(&ops.rows[1]), ["", "2003", "2002"]);
        assert_eq!(
            texts(&ops.rows[2]),
            ["Revenues", "$6,937,000", "$6,940,000"]
        );
        assert_eq!(
            texts(&ops.rows[3]),
            [
                "Provision (benefit) for income taxes",
                "$3,160,000",
                "$(65,000)"
            ]
        );
        assert!(ops.rows[4].rule_above);
        let balance = &grids[1];
        assert_eq!(balance.caption, ["BALANCE SHEET"]);
        assert_eq!(texts(&balance.rows[0]), ["", "June 30,", "December 31,"]);
        assert_eq!(texts(&balance.rows[2]), ["Assets", "", ""]);
        assert_eq!(texts(&balance.rows[3]), ["Cash", "$714,000", "$1,048,000"]);
    }

    #[test]
    fn tables_anywhere_in_the_text_and_without_underlines() {
        let text = "The company reported results today, as the table below shows.

                                   2006        2005
Revenues......................  $ 1,234     $ 1,100
Net income....................      188         159

More prose follows the table and it says something about the figures.
";
        let lines = lines(text, 1);
        let (regions, _) = split(&lines);
        assert!(matches!(regions.last(), Some(Region::Prose(r)) if r.end == lines.len()));
        let grids = grids(text);
        assert_eq!(grids.len(), 1);
        assert_eq!(texts(&grids[0].rows[0]), ["", "2006", "2005"]);
        assert_eq!(texts(&grids[0].rows[2]), ["Net income", "188", "159"]);
    }

    #[test]
    fn a_title_without_headings_of_its_own_repeats_those_above() {
        let text = "
                                        Year Ended December
                                         2006         2005
                                       --------     --------
<TABLE>
<S>                                    <C>          <C>
STATEMENTS OF INCOME
Operating revenues                     $ 14,356     $ 13,554
Net income                                1,573        1,591
BALANCE SHEETS
Total assets                             45,000       40,000
  Total liabilities and equity           45,000       40,000
</TABLE>
";
        let grids = grids(text);
        assert_eq!(grids.len(), 2);
        assert_eq!(grids[1].caption, ["BALANCE SHEETS"]);
        assert_eq!(texts(&grids[1].rows[0]), ["", "Year Ended December"]);
        assert_eq!(texts(&grids[1].rows[1]), ["", "2006", "2005"]);
        assert_eq!(
            texts(&grids[1].rows[3]),
            ["Total liabilities and equity", "45,000", "40,000"]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_splits_without_panic(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Revenues", "  ", "$", "(1,234)", "2003", "-----", "\n", "Total", "....",
                    "Three Months Ended", "\t", "\u{2014}", "%", "STATEMENTS OF OPERATIONS",
                    "BALANCE SHEET", "(In thousands)", "12.5", ":", "<S>", "a",
                ]),
                0..120,
            )
        ) {
            let text: String = words.concat();
            let lines = lines(&text, 1);
            let (regions, _) = split(&lines);
            let mut next = 0;
            for region in &regions {
                if let Region::Prose(range) = region {
                    proptest::prop_assert!(range.start >= next);
                    next = range.end;
                }
            }
            proptest::prop_assert!(next <= lines.len());
        }
    }
}
