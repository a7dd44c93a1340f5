//! Typesetting: blocks become measured units, units become pages.
//!
//! Layout happens in two passes, as in a book. First every block is set into [`Unit`]s (a
//! line of a paragraph, a table row, a chart) whose height is known because every line was
//! measured with the font; then [`paginate`] fills pages with units, keeping headings with what
//! follows, avoiding single orphan and widow lines, and repeating a table's header row on each
//! page the table continues on. Only then, with the page count known, [`stamp`] adds the
//! running header and the "Page n of m" footer.
//!
//! A news release ends with closing matter: the company boilerplate and the safe harbor, set
//! smaller than the news. As in a printed release, the closing matter never fills the last
//! page on its own: when it would, the last section before it (or, when that does not fit with
//! it, the last lines of the news) moves to the last page with it ([`page_starts`]).
//!
//! Coordinates are points, measured from the top-left corner of the unit (and later of the
//! page), y growing downwards; `document` flips them for PDF.

use super::fonts::{Face, FontSet};
use super::markdown::{Align, Block, Chart, Inline, KeyFigures, Masthead, Span, Table};

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

impl Colour {
    pub const fn grey(level: f32) -> Colour {
        Colour {
            r: level,
            g: level,
            b: level,
        }
    }

    /// `#8c1c2b`; the configuration has already checked the form.
    pub fn from_hex(hex: &str) -> Option<Colour> {
        let hex = hex.strip_prefix('#')?;
        let channel = |at: usize| {
            hex.get(at..at + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .map(|value| f32::from(value) / 255.0)
        };
        Some(Colour {
            r: channel(0)?,
            g: channel(2)?,
            b: channel(4)?,
        })
    }

    /// This colour mixed with white: `amount` 0 keeps it, 1 gives white.
    pub fn tint(self, amount: f32) -> Colour {
        let mix = |c: f32| c + (1.0 - c) * amount;
        Colour {
            r: mix(self.r),
            g: mix(self.g),
            b: mix(self.b),
        }
    }
}

/// Page geometry, brand colours and the type scale.
#[derive(Debug, Clone)]
pub struct Style {
    pub page_width: f32,
    pub page_height: f32,
    pub margin: f32,
    pub primary: Colour,
    pub accent: Colour,
    pub ink: Colour,
    pub muted: Colour,
    pub hairline: Colour,
    pub body_size: f32,
    pub leading: f32,
}

impl Style {
    pub fn content_width(&self) -> f32 {
        self.page_width - 2.0 * self.margin
    }

    pub fn content_height(&self) -> f32 {
        self.page_height - 2.0 * self.margin
    }
}

/// Something drawn, positioned relative to its unit (or, after pagination, its page).
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        baseline: f32,
        text: String,
        face: Face,
        size: f32,
        colour: Colour,
    },
    /// A horizontal rule centred on `y`.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        colour: Colour,
    },
    /// A filled rectangle, `y` its top edge.
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        colour: Colour,
    },
    /// The company's logo (`brand.logo`) in a box, `y` its top edge.
    Logo {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
}

impl Item {
    fn shifted(mut self, dx: f32, dy: f32) -> Item {
        match &mut self {
            Item::Text { x, baseline, .. } => {
                *x += dx;
                *baseline += dy;
            }
            Item::Rule { x1, x2, y, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y += dy;
            }
            Item::Rect { x, y, .. } | Item::Logo { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
        self
    }
}

/// The smallest piece pagination moves: it never splits one.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub height: f32,
    /// Space above the unit, dropped at the top of a page.
    pub space_before: f32,
    pub items: Vec<Item>,
    /// Must go on the same page as the next unit (headings, first lines, table headers).
    pub keep_with_next: bool,
    /// The table this unit is a row of, as an index into [`Flow::table_headers`].
    pub table: Option<usize>,
    /// Part of the closing matter (boilerplate, fine print) that ends the document.
    pub closing: bool,
    /// A heading: where a section starts, the best place for a page to begin.
    pub section: bool,
}

/// Units in reading order, plus the header row of each table for repeating.
#[derive(Debug, Default)]
pub struct Flow {
    pub units: Vec<Unit>,
    pub table_headers: Vec<Unit>,
}

/// A laid-out page: items in page coordinates (points from the top-left corner).
#[derive(Debug, Default, Clone)]
pub struct Page {
    pub items: Vec<Item>,
}

/// One line of set text: runs of one face each, with their x offsets.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub runs: Vec<(f32, String, Face, bool)>,
    pub width: f32,
}

/// A word as the line breaker sees it: pieces in possibly different faces, no spaces inside.
struct Word {
    pieces: Vec<(String, Face, bool)>,
    width: f32,
    /// A hard line break comes before this word.
    break_before: bool,
}

/// Sets text into the content width.
pub struct Typesetter<'a> {
    pub fonts: &'a FontSet,
    pub style: &'a Style,
    pub flow: Flow,
    /// Past the start of the closing matter: what is set now is boilerplate.
    closing: bool,
    drawings: &'a dyn Drawings,
}

/// What is drawn rather than typeset: key-figure tiles and bar charts. `graphics` draws them,
/// with this typesetter's fonts and style; the caller hands it in, so that layout does not import
/// the module that imports it.
pub trait Drawings {
    fn key_figures(&self, ts: &Typesetter<'_>, block: &KeyFigures) -> Vec<Unit>;
    fn chart(&self, ts: &Typesetter<'_>, chart: &Chart) -> Unit;
}

fn face_of(span: &Span, base: Face) -> Face {
    if span.bold { Face::Bold } else { base }
}

impl<'a> Typesetter<'a> {
    pub fn new(fonts: &'a FontSet, style: &'a Style, drawings: &'a dyn Drawings) -> Typesetter<'a> {
        Typesetter {
            fonts,
            style,
            flow: Flow::default(),
            closing: false,
            drawings,
        }
    }

    /// Breaks `spans` into lines no wider than `max_width`, greedily, at spaces. A word wider
    /// than the line is cut between characters rather than left to overflow.
    pub fn wrap(&self, spans: &[Span], base: Face, size: f32, max_width: f32) -> Vec<Line> {
        let words = self.words(spans, base, size);
        let space = self.fonts.width(Face::Regular, size, " ");
        let mut lines: Vec<Vec<&Word>> = vec![Vec::new()];
        let mut width = 0.0;
        let mut cut_words = Vec::new();
        for word in &words {
            if word.width > max_width {
                cut_words.push(self.cut(word, size, max_width));
            }
        }
        let mut cut_iter = cut_words.iter();
        for word in &words {
            let parts: Vec<&Word> = if word.width > max_width {
                cut_iter
                    .next()
                    .map(|parts| parts.iter().collect())
                    .unwrap_or_default()
            } else {
                vec![word]
            };
            for part in parts {
                let line = lines.last_mut().expect("there is always a current line");
                let needed = if line.is_empty() {
                    part.width
                } else {
                    width + space + part.width
                };
                if !line.is_empty() && (needed > max_width || part.break_before) {
                    lines.push(vec![part]);
                    width = part.width;
                } else {
                    line.push(part);
                    width = needed;
                }
            }
        }
        lines
            .into_iter()
            .filter(|words| !words.is_empty())
            .map(|words| self.line(&words, size))
            .collect()
    }

    fn words(&self, spans: &[Span], base: Face, size: f32) -> Vec<Word> {
        let mut words = Vec::new();
        let mut current = Word {
            pieces: Vec::new(),
            width: 0.0,
            break_before: false,
        };
        let mut break_pending = false;
        for span in spans {
            let face = face_of(span, base);
            let mut piece = String::new();
            let flush_piece = |piece: &mut String, current: &mut Word| {
                if !piece.is_empty() {
                    current.width += self.fonts.width(face, size, piece);
                    current
                        .pieces
                        .push((std::mem::take(piece), face, span.emphasis));
                }
            };
            for c in span.text.chars() {
                if c.is_whitespace() {
                    flush_piece(&mut piece, &mut current);
                    if !current.pieces.is_empty() {
                        current.break_before |= std::mem::take(&mut break_pending);
                        words.push(std::mem::replace(
                            &mut current,
                            Word {
                                pieces: Vec::new(),
                                width: 0.0,
                                break_before: false,
                            },
                        ));
                    }
                    if c == '\n' {
                        break_pending = true;
                    }
                } else {
                    piece.push(c);
                }
            }
            flush_piece(&mut piece, &mut current);
        }
        if !current.pieces.is_empty() {
            current.break_before |= break_pending;
            words.push(current);
        }
        words
    }

    /// Cuts an over-long word into parts that each fit `max_width`.
    fn cut(&self, word: &Word, size: f32, max_width: f32) -> Vec<Word> {
        let mut parts = Vec::new();
        let mut part = Word {
            pieces: Vec::new(),
            width: 0.0,
            break_before: word.break_before,
        };
        for (text, face, emphasis) in &word.pieces {
            for c in text.chars() {
                let w = self.fonts.width(*face, size, c.encode_utf8(&mut [0; 4]));
                if part.width + w > max_width && !part.pieces.is_empty() {
                    parts.push(std::mem::replace(
                        &mut part,
                        Word {
                            pieces: Vec::new(),
                            width: 0.0,
                            break_before: false,
                        },
                    ));
                }
                match part.pieces.last_mut() {
                    Some((last, last_face, _)) if last_face == face => last.push(c),
                    _ => part.pieces.push((c.to_string(), *face, *emphasis)),
                }
                part.width += w;
            }
        }
        if !part.pieces.is_empty() {
            parts.push(part);
        }
        parts
    }

    /// Joins words into runs of one face, spaces included, so copied text reads naturally.
    fn line(&self, words: &[&Word], size: f32) -> Line {
        let mut line = Line::default();
        let mut x = 0.0;
        for (i, word) in words.iter().enumerate() {
            for (j, (text, face, emphasis)) in word.pieces.iter().enumerate() {
                let lead = if i > 0 && j == 0 { " " } else { "" };
                match line.runs.last_mut() {
                    Some((_, run, run_face, run_emphasis))
                        if run_face == face && run_emphasis == emphasis =>
                    {
                        run.push_str(lead);
                        run.push_str(text);
                    }
                    _ => {
                        let start = x + self.fonts.width(Face::Regular, size, lead);
                        line.runs.push((start, text.clone(), *face, *emphasis));
                    }
                }
                x += self.fonts.width(Face::Regular, size, lead)
                    + self.fonts.width(*face, size, text);
            }
        }
        line.width = x;
        line
    }

    /// Items that draw `line` with its left edge at `x` and baseline at `baseline`.
    pub fn line_items(
        line: &Line,
        x: f32,
        baseline: f32,
        size: f32,
        colour: Colour,
        muted: Colour,
    ) -> Vec<Item> {
        line.runs
            .iter()
            .map(|(dx, text, face, emphasis)| Item::Text {
                x: x + dx,
                baseline,
                text: text.clone(),
                face: *face,
                size,
                colour: if *emphasis { muted } else { colour },
            })
            .collect()
    }

    /// Where the baseline of a line of `size` text sits in a line box `leading` tall.
    pub fn baseline(size: f32, leading: f32) -> f32 {
        leading / 2.0 + 0.36 * size
    }

    pub fn push(&mut self, unit: Unit) {
        let closing = unit.closing || self.closing;
        self.flow.units.push(Unit { closing, ..unit });
    }

    /// Starts the closing matter, set off from the news by a hairline.
    fn start_closing(&mut self) {
        if self.closing {
            return;
        }
        self.closing = true;
        let style = self.style;
        self.push(Unit {
            height: 6.0,
            space_before: 12.0,
            items: vec![Item::Rule {
                x1: 0.0,
                x2: style.content_width(),
                y: 0.5,
                width: 0.5,
                colour: style.hairline,
            }],
            keep_with_next: true,
            ..Unit::default()
        });
    }

    /// Sets one Markdown block.
    pub fn block(&mut self, block: &Block) {
        let style = self.style;
        match block {
            Block::Heading { level, text } => self.heading(*level, text),
            Block::Paragraph(spans) => {
                let caption = !spans.is_empty() && spans.iter().all(|span| span.emphasis);
                if caption {
                    let plain: Vec<Span> = spans
                        .iter()
                        .map(|s| Span {
                            emphasis: false,
                            ..s.clone()
                        })
                        .collect();
                    let colour = style.muted;
                    self.lines(&plain, Face::Regular, 7.5, 10.0, 0.0, colour, 4.0);
                } else if self.closing {
                    self.lines(spans, Face::Regular, 8.5, 11.5, 0.0, style.ink, 5.0);
                } else {
                    self.lines(
                        spans,
                        Face::Regular,
                        style.body_size,
                        style.leading,
                        0.0,
                        style.ink,
                        7.0,
                    );
                }
            }
            Block::List { ordered, items } => self.list(*ordered, items),
            Block::Quote(paragraphs) => self.quote(paragraphs),
            Block::Table(table) => self.table(table),
            Block::Rule => self.push(Unit {
                height: 8.0,
                space_before: 6.0,
                items: vec![Item::Rule {
                    x1: 0.0,
                    x2: style.content_width(),
                    y: 4.0,
                    width: 0.5,
                    colour: style.hairline,
                }],
                ..Unit::default()
            }),
            Block::Masthead(masthead) => self.masthead(masthead),
            Block::KeyFigures(figures) => {
                for unit in self.drawings.key_figures(self, figures) {
                    self.push(unit);
                }
            }
            Block::Chart(chart) => {
                let unit = self.drawings.chart(self, chart);
                self.push(unit);
            }
            Block::Closing => self.start_closing(),
            Block::FinePrint(paragraphs) => {
                self.start_closing();
                for (i, paragraph) in paragraphs.iter().enumerate() {
                    let spans = [Span {
                        text: paragraph.clone(),
                        bold: false,
                        emphasis: false,
                    }];
                    let space = if i == 0 { 6.0 } else { 4.0 };
                    self.lines(&spans, Face::Regular, 7.0, 9.3, 0.0, style.muted, space);
                }
            }
            Block::Preformatted(lines) => {
                for line in lines {
                    let spans = [Span {
                        text: line.clone(),
                        bold: false,
                        emphasis: false,
                    }];
                    self.lines(
                        &spans,
                        Face::Regular,
                        style.body_size,
                        style.leading,
                        0.0,
                        style.ink,
                        0.0,
                    );
                }
            }
        }
    }

    /// Wrapped lines, one unit each; the first two and the last two stay together so that no
    /// page starts or ends with a single line of a paragraph.
    #[allow(clippy::too_many_arguments)]
    pub fn lines(
        &mut self,
        spans: &[Span],
        face: Face,
        size: f32,
        leading: f32,
        indent: f32,
        colour: Colour,
        space_before: f32,
    ) {
        let width = self.style.content_width() - indent;
        let lines = self.wrap(spans, face, size, width);
        let count = lines.len();
        let muted = self.style.muted;
        for (i, line) in lines.iter().enumerate() {
            let keep = count > 1 && (i == 0 || i + 2 == count);
            self.push(Unit {
                height: leading,
                space_before: if i == 0 { space_before } else { 0.0 },
                items: Self::line_items(
                    line,
                    indent,
                    Self::baseline(size, leading),
                    size,
                    colour,
                    muted,
                ),
                keep_with_next: keep,
                ..Unit::default()
            });
        }
    }

    fn heading(&mut self, level: u8, text: &Inline) {
        let style = self.style;
        let (size, colour, space_before, rule) = match level {
            _ if self.closing => (9.5, style.primary, 4.0, false),
            1 => (18.0, style.ink, 16.0, false),
            2 => (12.5, style.primary, 13.0, true),
            _ => (10.0, style.ink, 10.0, false),
        };
        let leading = size * 1.25;
        let bold: Vec<Span> = text
            .iter()
            .map(|s| Span {
                bold: true,
                ..s.clone()
            })
            .collect();
        let lines = self.wrap(&bold, Face::Bold, size, style.content_width());
        let mut items = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let baseline = i as f32 * leading + Self::baseline(size, leading);
            items.extend(Self::line_items(line, 0.0, baseline, size, colour, colour));
        }
        let mut height = lines.len() as f32 * leading;
        if rule {
            height += 4.0;
            items.push(Item::Rule {
                x1: 0.0,
                x2: style.content_width(),
                y: height - 1.0,
                width: 0.5,
                colour: style.hairline,
            });
            height += 5.0;
        } else {
            height += 2.0;
        }
        self.push(Unit {
            height,
            space_before,
            items,
            keep_with_next: true,
            section: true,
            ..Unit::default()
        });
    }

    fn list(&mut self, ordered: bool, items: &[Inline]) {
        let style = self.style;
        let indent = 12.0;
        // The sentence introducing a list stays with its first item.
        if let Some(previous) = self.flow.units.last_mut() {
            previous.keep_with_next = true;
        }
        for (n, item) in items.iter().enumerate() {
            let first = self.flow.units.len();
            self.lines(
                item,
                Face::Regular,
                style.body_size,
                style.leading,
                indent,
                style.ink,
                if n == 0 { 6.0 } else { 3.0 },
            );
            let marker = if ordered {
                format!("{}.", n + 1)
            } else {
                "\u{2022}".to_string()
            };
            let colour = if ordered { style.ink } else { style.accent };
            if let Some(unit) = self.flow.units.get_mut(first) {
                unit.items.push(Item::Text {
                    x: 1.0,
                    baseline: Self::baseline(style.body_size, style.leading),
                    text: marker,
                    face: Face::Regular,
                    size: style.body_size,
                    colour,
                });
            }
        }
    }

    /// A pull quote: larger type beside a bar in the accent colour; a paragraph starting with
    /// a dash is the attribution.
    fn quote(&mut self, paragraphs: &[Inline]) {
        let style = self.style;
        let indent = 14.0;
        for (n, paragraph) in paragraphs.iter().enumerate() {
            let text: String = paragraph.iter().map(|s| s.text.as_str()).collect();
            let attribution = text.starts_with('\u{2014}') || text.starts_with('\u{2013}');
            let (face, size, leading, colour) = if attribution {
                (Face::Bold, 8.5, 12.0, style.muted)
            } else {
                (Face::Regular, 10.0, 14.0, style.ink)
            };
            if attribution && let Some(previous) = self.flow.units.last_mut() {
                // The attribution never starts a page on its own.
                previous.keep_with_next = true;
            }
            let first = self.flow.units.len();
            if n > 0 {
                self.push(Unit {
                    height: 4.0,
                    ..Unit::default()
                });
            }
            self.lines(paragraph, face, size, leading, indent, colour, 0.0);
            if n == 0
                && let Some(unit) = self.flow.units.get_mut(first)
            {
                unit.space_before = 10.0;
            }
            for unit in &mut self.flow.units[first..] {
                unit.items.push(Item::Rect {
                    x: 0.0,
                    y: 0.0,
                    width: 2.0,
                    height: unit.height,
                    colour: style.accent,
                });
            }
        }
    }

    fn masthead(&mut self, masthead: &Masthead) {
        let style = self.style;
        let width = style.content_width();
        let mut items = Vec::new();
        let mut y = 0.0;
        if masthead.eyebrow.is_some() || masthead.note.is_some() {
            let baseline = 11.0;
            if let Some(eyebrow) = &masthead.eyebrow {
                items.push(text_item(
                    0.0,
                    baseline,
                    eyebrow,
                    Face::Bold,
                    11.0,
                    style.primary,
                ));
            }
            if let Some(note) = &masthead.note {
                let w = self.fonts.width(Face::Regular, 8.5, note);
                items.push(text_item(
                    width - w,
                    baseline,
                    note,
                    Face::Regular,
                    8.5,
                    style.muted,
                ));
            }
            y = 18.0;
            items.push(Item::Rule {
                x1: 0.0,
                x2: width,
                y,
                width: 2.0,
                colour: style.primary,
            });
            y += 10.0;
        }
        if let Some(title) = &masthead.title {
            let size = 20.0;
            let leading = 24.0;
            let spans = [Span {
                text: title.clone(),
                bold: true,
                emphasis: false,
            }];
            for line in self.wrap(&spans, Face::Bold, size, width) {
                items.extend(Self::line_items(
                    &line,
                    0.0,
                    y + Self::baseline(size, leading),
                    size,
                    style.ink,
                    style.ink,
                ));
                y += leading;
            }
            y += 2.0;
        }
        for subtitle in &masthead.subtitles {
            let spans = [Span {
                text: subtitle.clone(),
                bold: false,
                emphasis: false,
            }];
            for line in self.wrap(&spans, Face::Regular, 10.0, width) {
                items.extend(Self::line_items(
                    &line,
                    0.0,
                    y + Self::baseline(10.0, 14.0),
                    10.0,
                    style.muted,
                    style.muted,
                ));
                y += 14.0;
            }
        }
        self.push(Unit {
            height: y + 6.0,
            space_before: 0.0,
            items,
            keep_with_next: true,
            ..Unit::default()
        });
    }

    fn table(&mut self, table: &Table) {
        let layout = TableLayout::new(self, table);
        let header = layout.header_unit(self, table);
        let index = self.flow.table_headers.len();
        self.flow.table_headers.push(header.clone());
        self.push(Unit {
            space_before: 8.0,
            keep_with_next: true,
            table: Some(index),
            ..header
        });
        let last = table.rows.len().saturating_sub(1);
        for (i, row) in table.rows.iter().enumerate() {
            let mut unit = layout.row_unit(self, row, i == last);
            unit.table = Some(index);
            // A table neither starts nor ends a page with a single row.
            unit.keep_with_next = i == 0 || i + 2 == table.rows.len() || is_section_row(row);
            self.push(unit);
        }
    }
}

pub fn text_item(x: f32, baseline: f32, text: &str, face: Face, size: f32, colour: Colour) -> Item {
    Item::Text {
        x,
        baseline,
        text: text.to_string(),
        face,
        size,
        colour,
    }
}

fn plain(cell: &Inline) -> String {
    cell.iter()
        .map(|span| span.text.as_str())
        .collect::<String>()
        .trim()
        .to_string()
}

/// A row whose first cell is bold throughout is a total: ruled above and below.
fn is_total_row(row: &[Inline]) -> bool {
    row.first().is_some_and(|cell| {
        !cell.is_empty()
            && cell
                .iter()
                .all(|span| span.bold || span.text.trim().is_empty())
    }) && !is_section_row(row)
}

/// A row with only its first cell filled is a section heading inside the table (`Assets`).
fn is_section_row(row: &[Inline]) -> bool {
    row.len() > 1
        && !plain(&row[0]).is_empty()
        && row[1..].iter().all(|cell| plain(cell).is_empty())
}

/// A number split for decimal alignment: `$(1,234`, `.56`, `)`.
struct Number<'t> {
    head: &'t str,
    fraction: &'t str,
    tail: &'t str,
}

/// Splits a cell that prints a number; anything else (`n/m`, a date) is `None`.
fn split_number(text: &str) -> Option<Number<'_>> {
    let numeric = text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '$' | '€' | '£' | '(' | ')' | ',' | '.' | '%' | '+' | '-' | '\u{2212}' | '*'
                )
        });
    if !numeric {
        return None;
    }
    let last_digit = text.rfind(|c: char| c.is_ascii_digit())?;
    let tail_start = last_digit + 1;
    let (number, tail) = text.split_at(tail_start);
    let (head, fraction) = match number.rfind('.') {
        Some(dot) => number.split_at(dot),
        None => (number, ""),
    };
    Some(Number {
        head,
        fraction,
        tail,
    })
}

const CELL_PAD: f32 = 4.0;
const TABLE_SIZE: f32 = 8.5;
const TABLE_LEADING: f32 = 11.0;
const HEADER_SIZE: f32 = 7.5;
const HEADER_LEADING: f32 = 9.5;

/// Column geometry of one table, measured once for all its rows.
struct TableLayout {
    x: Vec<f32>,
    widths: Vec<f32>,
    aligns: Vec<Align>,
    /// Per column: widest fraction (`.04`) and tail (`)`) among its numbers.
    fraction: Vec<f32>,
    tail: Vec<f32>,
}

impl TableLayout {
    fn new(ts: &Typesetter<'_>, table: &Table) -> TableLayout {
        let columns = table.aligns.len().max(table.header.len());
        let fonts = ts.fonts;
        let mut aligns = table.aligns.clone();
        aligns.resize(columns, Align::Left);
        let mut fraction = vec![0.0f32; columns];
        let mut tail = vec![0.0f32; columns];
        let mut head = vec![0.0f32; columns];
        let mut body_natural = vec![0.0f32; columns];
        let mut body_min = vec![0.0f32; columns];
        for row in &table.rows {
            for (c, cell) in row.iter().enumerate().take(columns) {
                let face = if cell.iter().any(|s| s.bold) {
                    Face::Bold
                } else {
                    Face::Regular
                };
                let text = plain(cell);
                if aligns[c] == Align::Right
                    && let Some(number) = split_number(&text)
                {
                    head[c] = head[c].max(fonts.width(face, TABLE_SIZE, number.head));
                    fraction[c] = fraction[c].max(fonts.width(face, TABLE_SIZE, number.fraction));
                    tail[c] = tail[c].max(fonts.width(face, TABLE_SIZE, number.tail));
                    continue;
                }
                body_natural[c] = body_natural[c].max(fonts.width(face, TABLE_SIZE, &text));
                let longest_word = text
                    .split_whitespace()
                    .map(|word| fonts.width(face, TABLE_SIZE, word))
                    .fold(0.0, f32::max);
                body_min[c] = body_min[c].max(longest_word);
            }
        }
        let mut want = vec![0.0f32; columns];
        let mut min = vec![0.0f32; columns];
        for c in 0..columns {
            let numbers = head[c] + fraction[c] + tail[c];
            let natural = body_natural[c].max(numbers) + 2.0 * CELL_PAD + 1.0;
            let header = table.header.get(c).map(plain).unwrap_or_default();
            // One point to spare, so that text measured whole also fits when set word by word.
            let header_natural =
                fonts.width(Face::Bold, HEADER_SIZE, &header) + 2.0 * CELL_PAD + 1.0;
            let header_min = header
                .split_whitespace()
                .map(|word| fonts.width(Face::Bold, HEADER_SIZE, word))
                .fold(0.0, f32::max)
                + 2.0 * CELL_PAD;
            min[c] = (body_min[c].max(numbers) + 2.0 * CELL_PAD).max(header_min);
            want[c] = if aligns[c] == Align::Right {
                natural.max(header_min).max(header_natural.min(84.0))
            } else {
                natural.max(header_natural)
            };
        }
        let widths = distribute(&want, &min, &aligns, ts.style.content_width());
        let mut x = Vec::with_capacity(columns);
        let mut left = 0.0;
        for width in &widths {
            x.push(left);
            left += width;
        }
        TableLayout {
            x,
            widths,
            aligns,
            fraction,
            tail,
        }
    }

    fn header_unit(&self, ts: &Typesetter<'_>, table: &Table) -> Unit {
        let style = ts.style;
        let mut items = Vec::new();
        let mut lines_max = 1;
        let mut cells = Vec::new();
        for (c, cell) in table.header.iter().enumerate().take(self.widths.len()) {
            let bold: Vec<Span> = cell
                .iter()
                .map(|s| Span {
                    bold: true,
                    ..s.clone()
                })
                .collect();
            let lines = ts.wrap(
                &bold,
                Face::Bold,
                HEADER_SIZE,
                self.widths[c] - 2.0 * CELL_PAD,
            );
            lines_max = lines_max.max(lines.len());
            cells.push(lines);
        }
        let height = lines_max as f32 * HEADER_LEADING + 6.0;
        for (c, lines) in cells.iter().enumerate() {
            // Header text sits at the bottom of the header row, next to the figures.
            let top = height - 3.0 - lines.len() as f32 * HEADER_LEADING;
            for (i, line) in lines.iter().enumerate() {
                let x = self.aligned_x(c, line.width);
                let baseline = top
                    + i as f32 * HEADER_LEADING
                    + Typesetter::baseline(HEADER_SIZE, HEADER_LEADING);
                items.extend(Typesetter::line_items(
                    line,
                    x,
                    baseline,
                    HEADER_SIZE,
                    style.muted,
                    style.muted,
                ));
            }
        }
        items.push(Item::Rule {
            x1: 0.0,
            x2: self.total_width(),
            y: height,
            width: 0.75,
            colour: style.ink,
        });
        Unit {
            height: height + 2.0,
            ..Unit::default()
        }
        .with_items(items)
    }

    fn total_width(&self) -> f32 {
        self.widths.iter().sum()
    }

    /// Left edge for text of `width` in column `c`, by the column's alignment.
    fn aligned_x(&self, c: usize, width: f32) -> f32 {
        match self.aligns[c] {
            Align::Left => self.x[c] + CELL_PAD,
            Align::Center => self.x[c] + (self.widths[c] - width) / 2.0,
            Align::Right => self.x[c] + self.widths[c] - CELL_PAD - width,
        }
    }

    fn row_unit(&self, ts: &Typesetter<'_>, row: &[Inline], last: bool) -> Unit {
        let style = ts.style;
        let total = is_total_row(row);
        let section = is_section_row(row);
        let face = if total || section {
            Face::Bold
        } else {
            Face::Regular
        };
        let pad_top = if total || section { 4.0 } else { 2.0 };
        let mut cells = Vec::new();
        let mut lines_max = 1;
        for (c, cell) in row.iter().enumerate().take(self.widths.len()) {
            let width = if section && c == 0 {
                self.total_width()
            } else {
                self.widths[c]
            };
            let lines = ts.wrap(cell, face, TABLE_SIZE, width - 2.0 * CELL_PAD);
            lines_max = lines_max.max(lines.len());
            cells.push(lines);
        }
        let height = pad_top + lines_max as f32 * TABLE_LEADING + 2.0;
        let mut items = Vec::new();
        let first_numeric = self.aligns.iter().position(|a| *a == Align::Right);
        for (c, lines) in cells.iter().enumerate() {
            let text = plain(&row[c]);
            let colour = if section { style.accent } else { style.ink };
            let number = (self.aligns[c] == Align::Right)
                .then(|| split_number(&text))
                .flatten();
            if let (Some(number), [line]) = (number, lines.as_slice()) {
                // Decimal alignment: every number's decimal point (or its end) on one vertical.
                let cell_face = line.runs.first().map_or(face, |run| run.2);
                let anchor =
                    self.x[c] + self.widths[c] - CELL_PAD - self.tail[c] - self.fraction[c];
                let x = anchor - ts.fonts.width(cell_face, TABLE_SIZE, number.head);
                let baseline = pad_top + Typesetter::baseline(TABLE_SIZE, TABLE_LEADING);
                items.push(text_item(x, baseline, &text, cell_face, TABLE_SIZE, colour));
                continue;
            }
            for (i, line) in lines.iter().enumerate() {
                let x = if self.aligns[c] == Align::Right {
                    self.x[c] + self.widths[c] - CELL_PAD - self.tail[c] - line.width
                } else {
                    self.aligned_x(c, line.width)
                };
                let baseline = pad_top
                    + i as f32 * TABLE_LEADING
                    + Typesetter::baseline(TABLE_SIZE, TABLE_LEADING);
                items.extend(Typesetter::line_items(
                    line,
                    x,
                    baseline,
                    TABLE_SIZE,
                    colour,
                    style.muted,
                ));
            }
        }
        if total {
            // Accounting rules: a single rule above the figures, a double one below.
            let x1 = first_numeric.map_or(0.0, |c| self.x[c] + CELL_PAD);
            let x2 = self.total_width();
            items.push(Item::Rule {
                x1,
                x2,
                y: 1.0,
                width: 0.5,
                colour: style.ink,
            });
            items.push(Item::Rule {
                x1,
                x2,
                y: height - 0.5,
                width: 0.5,
                colour: style.ink,
            });
            items.push(Item::Rule {
                x1,
                x2,
                y: height + 1.5,
                width: 0.5,
                colour: style.ink,
            });
        } else if last {
            items.push(Item::Rule {
                x1: 0.0,
                x2: self.total_width(),
                y: height,
                width: 0.5,
                colour: style.hairline,
            });
        }
        Unit {
            height: if total { height + 3.0 } else { height },
            ..Unit::default()
        }
        .with_items(items)
    }
}

impl Unit {
    fn with_items(mut self, items: Vec<Item>) -> Unit {
        self.items = items;
        self
    }
}

/// Column widths: what each column wants when it all fits, the extra going to text columns;
/// otherwise each column's minimum plus a share of the rest in proportion to what it lacks.
fn distribute(want: &[f32], min: &[f32], aligns: &[Align], available: f32) -> Vec<f32> {
    let want_total: f32 = want.iter().sum();
    if want_total <= available {
        let text_total: f32 = want
            .iter()
            .zip(aligns)
            .filter(|(_, align)| **align == Align::Left)
            .map(|(w, _)| *w)
            .sum();
        let extra = available - want_total;
        return want
            .iter()
            .zip(aligns)
            .map(|(w, align)| match align {
                Align::Left if text_total > 0.0 => w + extra * w / text_total,
                _ if text_total > 0.0 => *w,
                _ => w + extra / want.len() as f32,
            })
            .collect();
    }
    let min_total: f32 = min.iter().sum();
    if min_total >= available {
        return min.iter().map(|m| m * available / min_total).collect();
    }
    let slack = want_total - min_total;
    want.iter()
        .zip(min)
        .map(|(w, m)| m + (w - m) * (available - min_total) / slack)
        .collect()
}

/// Fills pages with units in order (see the module documentation).
pub fn paginate(flow: &Flow, style: &Style) -> Vec<Page> {
    let starts = page_starts(flow, style.content_height());
    let mut pages = Vec::with_capacity(starts.len());
    let mut y = 0.0f32;
    for (i, unit) in flow.units.iter().enumerate() {
        if i == 0 || starts.binary_search(&i).is_ok() {
            pages.push(Page::default());
            y = 0.0;
            if let Some(header) = repeated_header(flow, i) {
                place(pages.last_mut(), header, style, y);
                y += header.height;
            }
        } else if y > 0.0 {
            y += unit.space_before;
        }
        place(pages.last_mut(), unit, style, y);
        y += unit.height;
    }
    if pages.is_empty() {
        pages.push(Page::default());
    }
    pages
}

/// The index of the first unit of every page: pages filled in order, then, when the last page
/// would hold nothing but closing matter, filled again with a page break where
/// [`carry_back`] says.
pub fn page_starts(flow: &Flow, page_height: f32) -> Vec<usize> {
    let starts = fill(flow, page_height, None);
    match carry_back(flow, &starts, page_height) {
        Some(forced) => fill(flow, page_height, Some(forced)),
        None => starts,
    }
}

/// Page starts for units set in order: a unit goes to a new page when it, or the chain of units
/// it is kept with, does not fit what is left of the page (or when it is `forced`).
fn fill(flow: &Flow, page_height: f32, forced: Option<usize>) -> Vec<usize> {
    let mut starts = vec![0];
    let mut y = 0.0f32;
    for (i, unit) in flow.units.iter().enumerate() {
        let space = if y == 0.0 { 0.0 } else { unit.space_before };
        let chain = chain_height(&flow.units[i..]);
        let breaks = y > 0.0
            && (forced == Some(i)
                || y + space + unit.height > page_height
                || (y + space + chain > page_height && chain <= page_height));
        if breaks {
            starts.push(i);
            y = repeated_header(flow, i).map_or(0.0, |header| header.height);
        } else {
            y += space;
        }
        y += unit.height;
    }
    starts
}

/// The header row to repeat above unit `i` when a page starts there inside a table.
fn repeated_header(flow: &Flow, i: usize) -> Option<&Unit> {
    let table = flow.units.get(i)?.table?;
    let previous = flow.units.get(i.checked_sub(1)?)?.table?;
    (table == previous)
        .then(|| flow.table_headers.get(table))
        .flatten()
}

/// Where to break the page instead, when the last page of `starts` holds only closing matter:
/// before the last section heading ahead of it if that section fits on one page with the
/// closing matter, otherwise at the latest place the news may break that still fits.
/// `None` when the last page holds news, or nothing that fits would help.
fn carry_back(flow: &Flow, starts: &[usize], page_height: f32) -> Option<usize> {
    let units = &flow.units;
    let [.., previous_start, last_start] = starts else {
        return None;
    };
    let closing = units
        .iter()
        .rposition(|unit| !unit.closing)
        .map_or(0, |news| news + 1);
    if closing == 0 || closing > *last_start {
        return None;
    }
    let fits = |from: usize| {
        let header = repeated_header(flow, from).map_or(0.0, |header| header.height);
        header + span_height(&units[from..]) <= page_height
    };
    let may_start_page = |at: usize| !units[at - 1].keep_with_next;
    let candidates = (previous_start + 1..closing).rev();
    let section = candidates
        .clone()
        .find(|&at| units[at].section)
        .filter(|&at| fits(at) && may_start_page(at));
    section.or_else(|| {
        candidates
            .into_iter()
            .find(|&at| may_start_page(at) && fits(at))
    })
}

/// Height of `units` set one after the other on a page, the first one's space dropped.
fn span_height(units: &[Unit]) -> f32 {
    units
        .iter()
        .enumerate()
        .map(|(i, unit)| unit.height + if i > 0 { unit.space_before } else { 0.0 })
        .sum()
}

/// Height of `units[0]` together with every following unit it must stay with.
fn chain_height(units: &[Unit]) -> f32 {
    let mut height = 0.0;
    for (i, unit) in units.iter().enumerate() {
        height += unit.height + if i > 0 { unit.space_before } else { 0.0 };
        if !unit.keep_with_next {
            break;
        }
    }
    height
}

fn place(page: Option<&mut Page>, unit: &Unit, style: &Style, y: f32) {
    if let Some(page) = page {
        page.items.extend(
            unit.items
                .iter()
                .cloned()
                .map(|item| item.shifted(style.margin, style.margin + y)),
        );
    }
}

/// Adds the running header and the `Page n of m` footer to every page.
/// The running header's logo, right-aligned above the header rule: `aspect` is its width over
/// its height. It is at most 16 pt high and 110 pt wide, and left out where the top margin has
/// no room for it.
fn header_logo(aspect: f32, header_rule: f32, right: f32) -> Option<Item> {
    let height = 16.0f32.min(header_rule - 8.0);
    let width = (height * aspect).min(110.0);
    let height = width / aspect;
    (height >= 6.0 && aspect.is_finite() && aspect > 0.0).then_some(Item::Logo {
        x: right - width,
        y: header_rule - 4.0 - height,
        width,
        height,
    })
}

pub fn stamp(
    pages: &mut [Page],
    header: &str,
    footer: &str,
    fonts: &FontSet,
    style: &Style,
    logo_aspect: Option<f32>,
) {
    let count = pages.len();
    let left = style.margin;
    let right = style.page_width - style.margin;
    let size = 7.5;
    let header_rule = style.margin - 10.0;
    let footer_rule = style.page_height - style.margin + 10.0;
    for (n, page) in pages.iter_mut().enumerate() {
        // The header goes first, so that text copied or extracted from a page reads in order.
        let header_items = [
            text_item(
                left,
                header_rule - 5.0,
                header,
                Face::Regular,
                size,
                style.muted,
            ),
            Item::Rule {
                x1: left,
                x2: right,
                y: header_rule,
                width: 0.5,
                colour: style.hairline,
            },
        ];
        page.items.splice(0..0, header_items);
        if let Some(logo) = logo_aspect.and_then(|aspect| header_logo(aspect, header_rule, right)) {
            page.items.insert(0, logo);
        }
        page.items.push(Item::Rule {
            x1: left,
            x2: right,
            y: footer_rule,
            width: 0.5,
            colour: style.hairline,
        });
        let baseline = footer_rule + 11.0;
        page.items.push(text_item(
            left,
            baseline,
            footer,
            Face::Regular,
            size,
            style.muted,
        ));
        let number = format!("Page {} of {count}", n + 1);
        let width = fonts.width(Face::Regular, size, &number);
        page.items.push(text_item(
            right - width,
            baseline,
            &number,
            Face::Regular,
            size,
            style.muted,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(height: f32, keep: bool) -> Unit {
        Unit {
            height,
            keep_with_next: keep,
            ..Unit::default()
        }
    }

    fn style() -> Style {
        Style {
            page_width: 200.0,
            page_height: 200.0,
            margin: 50.0,
            primary: Colour::grey(0.0),
            accent: Colour::grey(0.0),
            ink: Colour::grey(0.0),
            muted: Colour::grey(0.5),
            hairline: Colour::grey(0.8),
            body_size: 10.0,
            leading: 12.0,
        }
    }

    #[test]
    fn headings_move_to_the_next_page_with_what_follows() {
        let mut flow = Flow::default();
        flow.units.push(unit(80.0, false));
        flow.units.push(unit(10.0, true));
        flow.units.push(unit(15.0, false));
        let pages = paginate(&flow, &style());
        assert_eq!(
            pages.len(),
            2,
            "100pt page: 80 + 10 fits, but not with the 15 after it"
        );
    }

    fn closing(height: f32) -> Unit {
        Unit {
            height,
            closing: true,
            ..Unit::default()
        }
    }

    fn heading(height: f32) -> Unit {
        Unit {
            section: true,
            ..unit(height, true)
        }
    }

    /// Lines of a paragraph as `Typesetter::lines` sets them: the first two and the last two
    /// kept together.
    fn paragraph(lines: usize, leading: f32) -> Vec<Unit> {
        (0..lines)
            .map(|i| unit(leading, lines > 1 && (i == 0 || i + 2 == lines)))
            .collect()
    }

    #[test]
    fn closing_matter_takes_the_last_section_with_it_to_the_last_page() {
        // A 100 pt page: news 30, a section of 50, then 30 of boilerplate that does not fit.
        let mut flow = Flow::default();
        flow.units.push(unit(30.0, false));
        flow.units.push(heading(10.0));
        flow.units.extend(paragraph(4, 10.0));
        flow.units.push(closing(30.0));
        assert_eq!(
            fill(&flow, 100.0, None),
            [0, 6],
            "alone, it would fill a page"
        );
        assert_eq!(page_starts(&flow, 100.0), [0, 1]);
    }

    #[test]
    fn closing_matter_takes_the_last_lines_when_the_section_is_too_long() {
        let mut flow = Flow::default();
        flow.units.push(heading(10.0));
        flow.units.extend(paragraph(8, 10.0));
        flow.units.push(closing(50.0));
        // The heading and eight lines fill 90 pt; with the 50 of boilerplate, the section does
        // not fit a page, so its last two lines (never one alone) go over.
        assert_eq!(page_starts(&flow, 100.0), [0, 7]);
    }

    #[test]
    fn closing_matter_that_fits_stays_where_it_is() {
        let mut flow = Flow::default();
        flow.units.push(heading(10.0));
        flow.units.extend(paragraph(3, 10.0));
        flow.units.push(closing(30.0));
        assert_eq!(page_starts(&flow, 100.0), [0]);
    }

    proptest::proptest! {
        /// Whatever the flow, every unit is placed once, in order, no page overflows, and the
        /// last page holds news whenever some of it could go there with the closing matter.
        #[test]
        fn the_last_page_holds_news_when_it_can(
            news in proptest::collection::vec((1.0f32..60.0, proptest::bool::ANY, proptest::bool::ANY), 1..40),
            boilerplate in proptest::collection::vec(1.0f32..40.0, 1..4),
        ) {
            let mut flow = Flow::default();
            for (height, keep, section) in &news {
                flow.units.push(Unit { height: *height, keep_with_next: *keep, section: *section, space_before: 3.0, ..Unit::default() });
            }
            flow.units.extend(boilerplate.iter().map(|height| closing(*height)));
            let page = 100.0;
            let starts = page_starts(&flow, page);
            proptest::prop_assert_eq!(starts[0], 0);
            proptest::prop_assert!(starts.windows(2).all(|pair| pair[0] < pair[1]));
            let mut ends = starts[1..].to_vec();
            ends.push(flow.units.len());
            for (start, end) in starts.iter().zip(&ends) {
                let height = span_height(&flow.units[*start..*end]);
                proptest::prop_assert!(height <= page, "page {start}..{end} is {height} pt");
            }
            let last = *starts.last().unwrap();
            let closing_start = news.len();
            let previous = if starts.len() > 1 { starts[starts.len() - 2] } else { 0 };
            let could = (previous + 1..closing_start).any(|at| {
                !flow.units[at - 1].keep_with_next && span_height(&flow.units[at..]) <= page
            });
            if starts.len() > 1 && could {
                proptest::prop_assert!(last < closing_start, "starts {starts:?}: only closing matter on the last page");
            }
        }
    }

    #[test]
    fn tables_repeat_their_header_on_the_next_page() {
        let mut flow = Flow::default();
        let mut header = unit(10.0, true);
        header.items.push(text_item(
            0.0,
            5.0,
            "Header",
            Face::Bold,
            8.0,
            Colour::grey(0.0),
        ));
        flow.table_headers.push(header.clone());
        flow.units.push(Unit {
            table: Some(0),
            ..header
        });
        for _ in 0..12 {
            flow.units.push(Unit {
                table: Some(0),
                ..unit(10.0, false)
            });
        }
        let pages = paginate(&flow, &style());
        assert_eq!(pages.len(), 2);
        let headers = |page: &Page| {
            page.items
                .iter()
                .filter(|item| matches!(item, Item::Text { text, .. } if text == "Header"))
                .count()
        };
        assert_eq!(headers(&pages[0]), 1);
        assert_eq!(headers(&pages[1]), 1);
    }

    #[test]
    fn numbers_split_at_the_decimal_point() {
        let n = split_number("$(0.60)").unwrap();
        assert_eq!((n.head, n.fraction, n.tail), ("$(0", ".60", ")"));
        let n = split_number("(4,679)").unwrap();
        assert_eq!((n.head, n.fraction, n.tail), ("(4,679", "", ")"));
        assert!(split_number("n/m").is_none());
        assert!(split_number("June 30, 2003").is_none());
    }

    #[test]
    fn spare_width_goes_to_text_columns() {
        let widths = distribute(
            &[100.0, 50.0],
            &[40.0, 50.0],
            &[Align::Left, Align::Right],
            200.0,
        );
        assert_eq!(widths, [150.0, 50.0]);
        let widths = distribute(
            &[300.0, 50.0],
            &[40.0, 50.0],
            &[Align::Left, Align::Right],
            200.0,
        );
        assert_eq!(widths, [150.0, 50.0]);
    }
}
