//! The one intermediate form of ingest: a press release as blocks in reading order.
//!
//! Both front ends make a [`Document`]: `source::plain` from fixed-width text and `source::html`
//! from filing-agent HTML. Everything after them (`release`, `facts`, `statements`) reads only
//! the `Document`, so a rule about dates, contacts or tables is written once and holds for both
//! formats. Line numbers are 1-based lines of the raw file, so messages point into what the user
//! has on disk.
//!
//! The front ends do all the layout work: they drop page furniture, scripts and hidden text,
//! rejoin hard-wrapped lines, mark headings, and clean tables of their layout (a `$` or `)` in a
//! cell of its own, spacer columns) so that a [`Grid`] holds one printed column per column.

use chrono::NaiveDate;

/// What the EDGAR submission says about the filing a release came from. All empty for a bare
/// exhibit, which carries no header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filing {
    /// `CONFORMED SUBMISSION TYPE`: `8-K`, `8-K/A`.
    pub form_type: Option<String>,
    /// `FILED AS OF DATE`.
    pub filed: Option<NaiveDate>,
    /// `ACCESSION NUMBER`: `0000320193-24-000005`.
    pub accession: Option<String>,
    /// The first filer's `COMPANY CONFORMED NAME`, as EDGAR spells it (`APPLE INC`).
    pub company: Option<String>,
    /// The first filer's `CENTRAL INDEX KEY`, without leading zeros.
    pub cik: Option<String>,
    /// The `<TYPE>` of the document the release is in: `EX-99.1`, `EX-20.1`, or `8-K` when the
    /// release was typed into the 8-K itself.
    pub exhibit: Option<String>,
    /// The document's `<FILENAME>`, e.g. `d448801dex991.htm`.
    pub filename: Option<String>,
    /// The document's `<DESCRIPTION>`, e.g. `PRESS RELEASE`.
    pub description: Option<String>,
}

/// The format a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
}

/// One press release, as read by a front end.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub filing: Filing,
    pub format: Format,
    /// The line of the raw file the release's text starts on.
    pub first_line: usize,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(Text),
    Table(Grid),
}

impl Block {
    /// The raw file's line the block starts on.
    pub fn line(&self) -> usize {
        match self {
            Block::Text(text) => text.line,
            Block::Table(grid) => grid.line,
        }
    }

    pub fn as_text(&self) -> Option<&Text> {
        match self {
            Block::Text(text) => Some(text),
            Block::Table(_) => None,
        }
    }
}

/// A paragraph, a heading, or a line of a letterhead: text that stands apart from what is around
/// it (a `<p>`, `<div>`, `<td>` or `<li>`; in plain text, lines between blank lines).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    /// The raw file's line the block starts on.
    pub line: usize,
    /// The block's lines as they were broken (by `<br>`, or typed lines in plain text), each
    /// trimmed and with its white space collapsed, and the raw line it is on. Headers and contact
    /// blocks are read line by line.
    pub lines: Vec<(usize, String)>,
    /// The block as one line of prose: lines joined with a space, words hyphenated across a line
    /// end rejoined.
    pub text: String,
    /// Set apart as a heading: bold or strong throughout, centred capitals, or (in plain text) a
    /// short centred line standing alone.
    pub heading: bool,
    /// Centred on the page.
    pub centred: bool,
    /// Wholly in italics (a subtitle, a caption, a note).
    pub italic: bool,
    /// The first block after a page break (`<hr>`, `page-break-before`, `<PAGE>`, "- more -").
    pub after_page_break: bool,
}

/// A table as printed, cleaned of its layout: one printed column per grid column, and every row
/// as wide as the grid.
///
/// Front ends guarantee: a currency sign, a parenthesis or a percent sign that sat in a cell of
/// its own is joined to the figure it belongs to (`$`, `(103`, `)` → `$(103)`); spacer cells and
/// columns empty in every row are gone; each row's spans add up to [`Grid::width`]. Column 0
/// holds the row labels when the table has any. Header rows (`Three Months Ended`, dates) are
/// ordinary rows above the first row of figures; a heading cell spanning several columns has
/// `span > 1`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grid {
    /// The raw file's line the table starts on.
    pub line: usize,
    /// Text printed just above the table that names it or qualifies its figures, top to bottom:
    /// `CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS`, `(In millions, except per share
    /// amounts)`, `(Unaudited)`. Also rows inside the table that span all of it and hold no
    /// figure, when they come before every other row.
    pub caption: Vec<String>,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GridRow {
    /// The raw file's line the row is on (its first line, for a label wrapped over two).
    pub line: usize,
    pub cells: Vec<Cell>,
    /// A single rule is printed just above the row's figures: the row sums those above it.
    pub rule_above: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// The cell's text with white space collapsed: `Net loss`, `$(4,679,000)`, `(0.06)`, `12%`.
    pub text: String,
    /// How many grid columns the cell covers (at least 1).
    pub span: usize,
    pub bold: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            span: 1,
            bold: false,
        }
    }
}

impl Grid {
    /// The number of columns: the spans of the first row (all rows agree).
    pub fn width(&self) -> usize {
        self.rows
            .first()
            .map_or(0, |row| row.cells.iter().map(|c| c.span).sum())
    }
}

impl GridRow {
    /// The text under grid column `column`, through spanning cells.
    pub fn text_at(&self, column: usize) -> &str {
        let mut at = 0;
        for cell in &self.cells {
            if column < at + cell.span {
                return &cell.text;
            }
            at += cell.span;
        }
        ""
    }
}

impl Document {
    /// The text blocks, in order, with their index among all blocks.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        self.blocks.iter().filter_map(Block::as_text)
    }

    pub fn grids(&self) -> impl Iterator<Item = &Grid> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Table(grid) => Some(grid),
            Block::Text(_) => None,
        })
    }
}
