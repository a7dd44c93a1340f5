//! Reads the Markdown a PDF template renders into the blocks the layout sets.
//!
//! Supported: headings, paragraphs (with **bold**; *emphasis* is set in a muted colour, as the
//! PDFs use one regular and one bold face, and a paragraph that is all emphasis is a caption), bullet and numbered lists, block quotes, GFM tables with
//! column alignment, horizontal rules, and five fenced blocks:
//!
//! - ```` ```masthead ```` — `eyebrow:`, `title:`, `subtitle:` and `note:` lines: the title block;
//! - ```` ```keyfigures ```` — `compare: <label>` then rows `label | current | prior | change |
//!   percent`: a row of key-figure tiles;
//! - ```` ```chart ```` — `series: A | B`, optionally `note: …`, then rows `label | a | b`, a value
//!   ending in `*` being derived and an empty value not reported: one bar chart per series;
//! - ```` ```fineprint ```` — paragraphs in small type, for legal notes;
//! - ```` ```closing ```` — empty: what follows is the document's closing matter (the company
//!   boilerplate, the safe harbor), set smaller and never left alone on the last page.
//!
//! Template values are escaped for Markdown (see [`escape`]); inside fenced blocks, where
//! Markdown does not apply, the same backslash escapes are undone here.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of text in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    /// Markdown emphasis: set in the regular face in a muted colour (the PDFs have no italic).
    pub emphasis: bool,
}

/// One line of spans; `\n` inside a span's text is a hard line break.
pub type Inline = Vec<Span>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub aligns: Vec<Align>,
    pub header: Vec<Inline>,
    pub rows: Vec<Vec<Inline>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Masthead {
    pub eyebrow: Option<String>,
    pub title: Option<String>,
    pub subtitles: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigure {
    pub label: String,
    pub current: String,
    pub prior: String,
    pub change: String,
    pub percent: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigures {
    /// What the prior column is, e.g. `Q2 2002`.
    pub compare: String,
    pub figures: Vec<KeyFigure>,
}

/// One bar: its printed value, the exact amount it stands for, and whether it was derived
/// rather than reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub text: String,
    pub value: i64,
    pub derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub series: Vec<String>,
    pub note: Option<String>,
    /// Category labels (quarters), left to right.
    pub labels: Vec<String>,
    /// `bars[series][category]`; `None` where the figure is not reported.
    pub bars: Vec<Vec<Option<Bar>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        text: Inline,
    },
    Paragraph(Inline),
    List {
        ordered: bool,
        items: Vec<Inline>,
    },
    Quote(Vec<Inline>),
    Table(Table),
    Rule,
    Masthead(Masthead),
    KeyFigures(KeyFigures),
    Chart(Chart),
    FinePrint(Vec<String>),
    /// From here on the closing matter: boilerplate after the news (see `layout`). Fine print
    /// is closing matter wherever it stands.
    Closing,
    /// A fenced block of another kind, set line by line as written.
    Preformatted(Vec<String>),
}

/// A problem in the rendered Markdown, with its 1-based line.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkdownError {
    pub line: usize,
    pub message: String,
}

/// Escapes a template value so that Markdown shows it literally: it can neither start a
/// heading, list or table cell nor turn into emphasis or HTML. Line breaks become spaces, as a
/// value is one piece of text. Registered as the tera escape function for `.md` templates.
pub fn escape(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut text = String::with_capacity(input.len() + 8);
    let mut all_digits_so_far = true;
    for c in input.chars() {
        let needs_escape = matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
                | '~'
                | '&'
                | '='
        ) || (all_digits_so_far && matches!(c, '.' | ')'));
        all_digits_so_far = all_digits_so_far && c.is_ascii_digit();
        match c {
            '\r' => {}
            '\n' | '\t' => text.push(' '),
            _ if needs_escape => {
                text.push('\\');
                text.push(c);
            }
            _ => text.push(c),
        }
    }
    out.write_all(text.as_bytes())
}

/// Undoes [`escape`]: `\|` → `|`. Inside fenced blocks Markdown does not do it for us.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|next| next.is_ascii_punctuation()) {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a fence line on `|` that are not escaped, unescaping each cell.
fn split_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cell.push(c);
                cell.extend(chars.next());
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells.iter().map(|cell| unescape(cell.trim())).collect()
}

/// Parses Markdown into blocks.
pub fn parse(markdown: &str) -> Result<Vec<Block>, MarkdownError> {
    let options = Options::ENABLE_TABLES;
    let mut builder = Builder::default();
    // Where each line ends, so that an event's line is a binary search rather than a count
    // of every newline before it (which made parsing quadratic in the document's length).
    let line_ends: Vec<usize> = markdown.match_indices('\n').map(|(at, _)| at).collect();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        let line = line_ends.partition_point(|&end| end < range.start) + 1;
        builder.event(event, line)?;
    }
    Ok(builder.blocks)
}

/// Collects pulldown-cmark events into blocks.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    inline: Inline,
    bold_depth: usize,
    emphasis_depth: usize,
    heading: Option<u8>,
    list: Option<(bool, Vec<Inline>)>,
    quote: Option<Vec<Inline>>,
    table: Option<Table>,
    row: Vec<Inline>,
    fence: Option<(String, String, usize)>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, line: usize) -> Result<(), MarkdownError> {
        if let Some((_, body, _)) = self.fence.as_mut() {
            match event {
                Event::Text(text) => body.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let (info, body, start) = self.fence.take().unwrap_or_default();
                    let block = fenced_block(&info, &body).map_err(|message| MarkdownError {
                        line: start,
                        message,
                    })?;
                    self.blocks.push(block);
                }
                _ => {}
            }
            return Ok(());
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => self.heading = Some(heading_level(level)),
            Event::End(TagEnd::Heading(_)) => {
                let text = self.take_inline();
                let level = self.heading.take().unwrap_or(2);
                self.blocks.push(Block::Heading { level, text });
            }
            Event::End(TagEnd::Paragraph) => {
                let text = self.take_inline();
                if let Some(quote) = self.quote.as_mut() {
                    quote.push(text);
                } else if self.list.is_none() {
                    self.blocks.push(Block::Paragraph(text));
                } else if !text.is_empty() {
                    // A paragraph inside a loose list item: keep it with the item.
                    self.inline = text;
                }
            }
            Event::Start(Tag::List(first)) => self.list = Some((first.is_some(), Vec::new())),
            Event::End(TagEnd::Item) => {
                let text = self.take_inline();
                if let Some((_, items)) = self.list.as_mut() {
                    items.push(text);
                }
            }
            Event::End(TagEnd::List(_)) => {
                if let Some((ordered, items)) = self.list.take() {
                    self.blocks.push(Block::List { ordered, items });
                }
            }
            Event::Start(Tag::BlockQuote(_)) => self.quote = Some(Vec::new()),
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(paragraphs) = self.quote.take() {
                    self.blocks.push(Block::Quote(paragraphs));
                }
            }
            Event::Start(Tag::Table(aligns)) => {
                self.table = Some(Table {
                    aligns: aligns.iter().map(|a| align(*a)).collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead) => {
                let header = std::mem::take(&mut self.row);
                if let Some(table) = self.table.as_mut() {
                    table.header = header;
                }
            }
            Event::End(TagEnd::TableRow) => {
                let row = std::mem::take(&mut self.row);
                if let Some(table) = self.table.as_mut() {
                    table.rows.push(row);
                }
            }
            Event::End(TagEnd::TableCell) => {
                let cell = self.take_inline();
                self.row.push(cell);
            }
            Event::End(TagEnd::Table) => {
                if let Some(table) = self.table.take() {
                    self.blocks.push(Block::Table(table));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.fence = Some((info, String::new(), line));
            }
            Event::Start(Tag::Strong) => self.bold_depth += 1,
            Event::End(TagEnd::Strong) => self.bold_depth = self.bold_depth.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.emphasis_depth += 1,
            Event::End(TagEnd::Emphasis) => {
                self.emphasis_depth = self.emphasis_depth.saturating_sub(1)
            }
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) | Event::Html(text) => {
                self.push_text(&text)
            }
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_text("\n"),
            Event::Rule => self.blocks.push(Block::Rule),
            _ => {}
        }
        Ok(())
    }

    fn push_text(&mut self, text: &str) {
        let bold = self.bold_depth > 0;
        let emphasis = self.emphasis_depth > 0;
        match self.inline.last_mut() {
            Some(last) if last.bold == bold && last.emphasis == emphasis => {
                last.text.push_str(text)
            }
            _ => self.inline.push(Span {
                text: text.to_string(),
                bold,
                emphasis,
            }),
        }
    }

    fn take_inline(&mut self) -> Inline {
        std::mem::take(&mut self.inline)
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn align(alignment: Alignment) -> Align {
    match alignment {
        Alignment::Right => Align::Right,
        Alignment::Center => Align::Center,
        Alignment::Left | Alignment::None => Align::Left,
    }
}

fn fenced_block(info: &str, body: &str) -> Result<Block, String> {
    let lines = body
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty());
    match info {
        "masthead" => masthead(lines).map(Block::Masthead),
        "keyfigures" => key_figures(lines).map(Block::KeyFigures),
        "chart" => chart(lines).map(Block::Chart),
        "closing" => Ok(Block::Closing),
        "fineprint" => Ok(Block::FinePrint(
            body.split("\n\n")
                .map(|para| unescape(&para.split_whitespace().collect::<Vec<_>>().join(" ")))
                .filter(|para| !para.is_empty())
                .collect(),
        )),
        _ => Ok(Block::Preformatted(
            body.lines().map(str::to_string).collect(),
        )),
    }
}

/// Splits `key: value`, the value unescaped.
fn option(line: &str) -> Option<(&str, String)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    key.chars()
        .all(|c| c.is_ascii_lowercase() || c == '_')
        .then(|| (key, unescape(value.trim())))
}

fn masthead<'a>(lines: impl Iterator<Item = &'a str>) -> Result<Masthead, String> {
    let mut masthead = Masthead::default();
    for line in lines {
        match option(line) {
            Some(("eyebrow", value)) => masthead.eyebrow = Some(value),
            Some(("title", value)) => masthead.title = Some(value),
            Some(("subtitle", value)) => masthead.subtitles.push(value),
            Some(("note", value)) => masthead.note = Some(value),
            _ => {
                return Err(format!(
                    "masthead line `{line}` is not one of `eyebrow:`, `title:`, `subtitle:` or `note:`"
                ));
            }
        }
    }
    Ok(masthead)
}

fn key_figures<'a>(lines: impl Iterator<Item = &'a str>) -> Result<KeyFigures, String> {
    let mut compare = String::new();
    let mut figures = Vec::new();
    for line in lines {
        if let Some(("compare", value)) = option(line) {
            compare = value;
            continue;
        }
        let cells = split_cells(line);
        let [label, current, prior, change, percent] =
            <[String; 5]>::try_from(cells).map_err(|cells| {
                format!(
                    "key figure line `{line}` has {} cells; write `label | current | prior | \
                     change | percent`",
                    cells.len()
                )
            })?;
        figures.push(KeyFigure {
            label,
            current,
            prior,
            change,
            percent,
        });
    }
    Ok(KeyFigures { compare, figures })
}

fn chart<'a>(lines: impl Iterator<Item = &'a str>) -> Result<Chart, String> {
    let mut chart = Chart {
        series: Vec::new(),
        note: None,
        labels: Vec::new(),
        bars: Vec::new(),
    };
    for line in lines {
        match option(line) {
            Some(("series", value)) => {
                chart.series = split_cells(&value);
                chart.bars = vec![Vec::new(); chart.series.len()];
                continue;
            }
            Some(("note", value)) => {
                chart.note = Some(value);
                continue;
            }
            _ => {}
        }
        if chart.series.is_empty() {
            return Err("a chart starts with `series: <name> | <name>`".to_string());
        }
        let mut cells = split_cells(line).into_iter();
        let label = cells.next().unwrap_or_default();
        let values: Vec<String> = cells.collect();
        if values.len() != chart.series.len() {
            return Err(format!(
                "chart line `{line}` has {} values for {} series",
                values.len(),
                chart.series.len()
            ));
        }
        for (series, text) in chart.bars.iter_mut().zip(values) {
            series.push(bar(&text)?);
        }
        chart.labels.push(label);
    }
    Ok(chart)
}

/// `6,940` → 6940; `(19)` → −19; a trailing `*` marks a derived value; empty or `n/a` is none.
fn bar(text: &str) -> Result<Option<Bar>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "n/a" || trimmed == "\u{2013}" || trimmed == "-" {
        return Ok(None);
    }
    let (shown, derived) = match trimmed.strip_suffix('*') {
        Some(rest) => (rest.trim(), true),
        None => (trimmed, false),
    };
    let negative =
        shown.starts_with('(') || shown.starts_with('-') || shown.starts_with('\u{2212}');
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    let magnitude: i64 = digits.parse().map_err(|_| {
        format!("chart value `{text}` is not a whole number such as `6,940` or `(19)`")
    })?;
    Ok(Some(Bar {
        text: shown.to_string(),
        value: if negative { -magnitude } else { magnitude },
        derived,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        escape(text, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escaped_values_stay_literal() {
        let hostile = "# 1. *Net* | <b>loss</b> & [link](x)";
        let blocks = parse(&escaped(hostile)).unwrap();
        let Block::Paragraph(spans) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].text, hostile);
        let blocks = parse(&escaped("2003. A year")).unwrap();
        assert!(matches!(blocks[0], Block::Paragraph(_)), "{blocks:?}");
    }

    #[test]
    fn tables_keep_alignment_and_bold_cells() {
        let md = "| Item | 2003 |\n| :--- | ---: |\n| **Total** | (4,679) |\n";
        let blocks = parse(md).unwrap();
        let Block::Table(table) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(table.aligns, [Align::Left, Align::Right]);
        assert!(table.rows[0][0][0].bold);
        assert_eq!(table.rows[0][1][0].text, "(4,679)");
    }

    #[test]
    fn charts_read_values_gaps_and_derived_marks() {
        let md = "```chart\nseries: Revenue | Net\nQ1 2003 | 6,931* | (8)*\nQ4 2002 | | \nQ2 2003 | 6,937 | (272)\n```\n";
        let Block::Chart(chart) = &parse(md).unwrap()[0] else {
            panic!()
        };
        assert_eq!(chart.labels, ["Q1 2003", "Q4 2002", "Q2 2003"]);
        let revenue = &chart.bars[0];
        assert_eq!(
            revenue[0].as_ref().map(|b| (b.value, b.derived)),
            Some((6931, true))
        );
        assert_eq!(revenue[1], None);
        assert_eq!(chart.bars[1][2].as_ref().map(|b| b.value), Some(-272));
    }

    #[test]
    fn fence_errors_name_the_line() {
        let md = "# Title\n\n```keyfigures\nRevenue | 1\n```\n";
        let err = parse(md).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("label | current"), "{}", err.message);
    }

    #[test]
    fn key_figures_unescape_their_cells() {
        let md = format!(
            "```keyfigures\ncompare: Q2 2002\n{} | 1 | 2 | 3 | n/m\n```\n",
            escaped("Net loss | *adj*")
        );
        let Block::KeyFigures(figures) = &parse(&md).unwrap()[0] else {
            panic!()
        };
        assert_eq!(figures.compare, "Q2 2002");
        assert_eq!(figures.figures[0].label, "Net loss | *adj*");
    }
}
