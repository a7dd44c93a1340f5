//! The HTML front end of ingest: a filing agent's exhibit HTML (Workiva/Wdesk, RR Donnelley,
//! Toppan Merrill, EDGARizer, hand-made) read into the [`Block`]s of `ingest::doc`.
//!
//! html5ever builds the tree exactly as a browser would ([`dom`]), so unclosed and misnested tags
//! mean what a reader of the filing saw. The tree is then walked once, in document order, with
//! an explicit stack (never recursion: a table nested a thousand deep is still just a loop):
//! block elements make [`Text`] blocks, `<br>` breaks their lines, tables of figures become
//! grids ([`grid`], [`Grid`](crate::ingest::doc::Grid)) and layout tables become text. Last,
//! page furniture is dropped and paragraphs cut by a page break are rejoined.
//!
//! [`sanitize`] serves the other use of the HTML: the copy as filed, published on the site.

mod dom;
mod grid;
mod sanitize;
mod style;

use crate::diagnostics::Diagnostic;
use std::mem;

use crate::ingest::doc::{Block, Text};
use crate::ingest::text::is_lone_bullet;

use dom::{Data, Dom, Element, Id, NONE, ROOT};
use grid::{RawCell, RawRow, RawTable};
use style::Format;

pub use sanitize::sanitize;

/// What [`read`] found: the blocks in reading order, and what it had to leave out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    pub blocks: Vec<Block>,
    /// (raw-file line, message written as a sentence).
    pub warnings: Vec<Diagnostic>,
}

/// A table wider than this is not kept as a grid (no statement is); its text is read.
const MAX_COLUMNS: usize = 200;
/// A table longer than this is not kept as a grid; its text is read.
const MAX_ROWS: usize = 20_000;
/// The `colspan` limit of the HTML standard.
const MAX_SPAN: usize = 1000;
/// An image's `alt` text is read only among the first blocks (a letterhead logo).
const LOGO_BLOCKS: usize = 5;

/// Reads one HTML exhibit. `first_line` is the raw file's line where `html` starts (the text of
/// an EDGAR `<TEXT>` element), so every block's `line` is a line of the raw file.
pub fn read(html: &str, first_line: usize) -> Reading {
    let dom = Dom::parse(html);
    let offset = first_line.saturating_sub(1);
    let warnings = dom
        .flattened
        .map(|line| {
            Diagnostic::line_warning(
                line + offset,
                format!(
                    "Elements are nested more than {} deep here; the deeper ones were read as \
                     if they were not nested, so some layout may be lost.",
                    dom::MAX_DEPTH
                ),
            )
        })
        .into_iter()
        .collect();
    let mut reader = Reader {
        dom: &dom,
        offset,
        blocks: Vec::new(),
        warnings,
        inline: Inline::default(),
        page_break: false,
        sizes: Vec::new(),
    };
    let root = Format {
        size: style::DEFAULT_SIZE,
        ..Format::default()
    };
    reader.walk(ROOT, root);
    reader.flush();
    mark_large_headings(&mut reader.blocks, &reader.sizes);
    let mut blocks = reader.blocks;
    drop_furniture(&mut blocks);
    rejoin_across_pages(&mut blocks);
    Reading {
        blocks,
        warnings: reader.warnings,
    }
}

/// Does this text look like HTML rather than plain text (an `<html>`, `<body>`, `<p>`, `<div>`,
/// `<table>` … tag near the start)? Plain-text EDGAR exhibits carry SGML tags of their own
/// (`<PAGE>`, and `<TABLE>` with `<S>` and `<C>` column marks), so a `<table>` counts only with a
/// `<tr>` or `<td>` near it.
pub fn looks_like_html(text: &str) -> bool {
    let mut end = text.len().min(16 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let mut table = false;
    let mut row = false;
    for (at, _) in head.match_indices('<') {
        let name: String = head[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .take(10)
            .collect::<String>()
            .to_ascii_lowercase();
        let after = head[at + 1 + name.len()..].chars().next();
        if !after.is_some_and(|c| c == '>' || c == '/' || c.is_ascii_whitespace()) {
            continue;
        }
        match name.as_str() {
            "html" | "body" | "head" | "p" | "div" | "br" | "font" | "center" | "span" | "h1"
            | "h2" | "h3" | "h4" | "h5" | "h6" | "b" | "strong" | "img" => return true,
            "!doctype"
                if head[at..]
                    .get(..14)
                    .is_some_and(|d| d.eq_ignore_ascii_case("<!doctype html")) =>
            {
                return true;
            }
            "table" => table = true,
            "tr" | "td" => row = true,
            _ => {}
        }
        if table && row {
            return true;
        }
    }
    false
}

/// The walk's state: blocks made so far and the one being filled.
struct Reader<'a> {
    dom: &'a Dom,
    /// Added to a parsed line to give a raw-file line.
    offset: usize,
    blocks: Vec<Block>,
    warnings: Vec<Diagnostic>,
    inline: Inline,
    /// A page break was seen and no block has started since.
    page_break: bool,
    /// For each block, the font size most of its text is in (0 for a table).
    sizes: Vec<u16>,
}

/// An element the walk is inside of, and what to do on leaving it.
struct Frame {
    id: Id,
    format: Format,
    block: bool,
    page_break_after: bool,
}

impl Reader<'_> {
    fn line(&self, id: Id) -> usize {
        self.dom.node(id).map_or(1, |n| n.line) + self.offset
    }

    /// Walks the subtree under `top` in document order.
    fn walk(&mut self, top: Id, format: Format) {
        let dom = self.dom;
        let mut stack: Vec<Frame> = Vec::new();
        let mut id = dom.node(top).map_or(NONE, |n| n.first_child);
        let mut current = format;
        while id != NONE {
            let Some(node) = dom.node(id) else { break };
            let mut descend = None;
            match &node.data {
                Data::Text(text) => {
                    let line = node.line + self.offset;
                    if current.pre {
                        self.preformatted(text, line, current);
                    } else {
                        self.inline.push(text, line, current);
                    }
                }
                Data::Element(element) => descend = self.enter(id, element, current),
                _ => {}
            }
            if let Some(frame) = descend {
                if node.first_child != NONE {
                    current = frame.format;
                    stack.push(frame);
                    id = node.first_child;
                    continue;
                }
                self.leave(&frame);
            }
            // Next: the sibling, or the sibling of the nearest ancestor that has one.
            loop {
                let next = dom.node(id).map_or(NONE, |n| n.next);
                if next != NONE {
                    id = next;
                    break;
                }
                let Some(frame) = stack.pop() else {
                    id = NONE;
                    break;
                };
                self.leave(&frame);
                current = stack.last().map_or(format, |f| f.format);
                id = frame.id;
            }
        }
    }

    /// Text in `<pre>`: each typed line is a line, and a blank line ends the block, as in a
    /// plain-text exhibit (some filers wrap the whole typed release in `<pre>`).
    fn preformatted(&mut self, text: &str, mut line: usize, format: Format) {
        let mut pieces = text.split('\n').peekable();
        while let Some(piece) = pieces.next() {
            let last = pieces.peek().is_none();
            if !last && piece.trim().is_empty() && self.inline.current.is_empty() {
                self.flush();
            } else {
                self.inline.push(piece, line, format);
                if !last {
                    self.inline.break_line();
                }
            }
            line += 1;
        }
    }

    /// Handles the start of an element; returns the frame to descend with, or `None` to skip
    /// its content.
    fn enter(&mut self, id: Id, element: &Element, parent: Format) -> Option<Frame> {
        let tag = element.tag();
        if style::is_dropped_tag(tag) {
            return None;
        }
        let (format, props) = style::apply(element, parent);
        if props.hidden {
            return None;
        }
        let block = style::is_block_tag(tag);
        if props.page_break_before || tag == "page" {
            self.flush();
            self.page_break = true;
        }
        match tag {
            "br" => self.inline.break_line(),
            "hr" => {
                self.flush();
                self.page_break = true;
            }
            "img" => self.image(element, id),
            "table" => {
                self.flush();
                if self.table(id, format) {
                    return None;
                }
            }
            _ => {}
        }
        if block {
            self.flush();
        }
        Some(Frame {
            id,
            format,
            block,
            page_break_after: props.page_break_after,
        })
    }

    fn leave(&mut self, frame: &Frame) {
        if frame.block {
            self.flush();
        }
        if frame.page_break_after {
            self.flush();
            self.page_break = true;
        }
    }

    /// An image is nothing, except that a logo standing alone among the first blocks may name
    /// the company in its `alt` text. The rule, kept simple: the alt text is read unless it is
    /// empty, a generic word ("logo", "graphic", "image", "picture", "photo") or a file name,
    /// and the image is not a 1×1 tracking pixel.
    fn image(&mut self, element: &Element, id: Id) {
        if self.blocks.len() >= LOGO_BLOCKS || is_pixel(element) {
            return;
        }
        let Some(alt) = element.attr("alt") else {
            return;
        };
        let alt = collapse(alt);
        let lower = alt.to_lowercase();
        let generic = ["logo", "graphic", "image", "picture", "photo", "img"];
        let file = [".jpg", ".jpeg", ".gif", ".png", ".svg"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        if alt.is_empty() || generic.contains(&lower.as_str()) || file {
            return;
        }
        self.inline.alt = Some((self.line(id), alt));
    }

    /// Reads a `<table>`: as a grid when it is a table of figures (returns `true`: its
    /// content is done), else `false` and the walk reads its cells as text.
    fn table(&mut self, id: Id, format: Format) -> bool {
        let line = self.line(id);
        let raw = match scan_table(self.dom, id, format, self.offset) {
            Scan::Table(raw) => raw,
            Scan::Nested => return false,
            Scan::TooLarge => {
                self.warnings.push(Diagnostic::line_warning(
                    line,
                    format!(
                        "A table is larger than {MAX_COLUMNS} columns or {MAX_ROWS} rows, so it \
                         was read as text, not as a table of figures."
                    ),
                ));
                return false;
            }
        };
        if !grid::is_grid(&raw) {
            return false;
        }
        let mut table = grid::clean(RawTable { line, ..raw });
        if table.rows.is_empty() {
            return true;
        }
        table.line = line;
        self.page_break = false;
        self.blocks.push(Block::Table(table));
        self.sizes.push(0);
        true
    }

    /// Ends the block being filled, if it has any text.
    fn flush(&mut self) {
        let inline = mem::take(&mut self.inline);
        let size = inline.main_size();
        let Some(mut text) = inline.finish() else {
            return;
        };
        if is_bullet(&text.text) {
            return;
        }
        text.after_page_break = mem::take(&mut self.page_break);
        self.blocks.push(Block::Text(text));
        self.sizes.push(size);
    }
}

/// A 1×1 (or 0×0) image: a tracking pixel, never content.
fn is_pixel(element: &Element) -> bool {
    let tiny = |name: &str| {
        element.attr(name).is_some_and(|v| {
            v.trim()
                .trim_end_matches("px")
                .parse::<f64>()
                .is_ok_and(|n| n <= 1.0)
        })
    };
    tiny("width") || tiny("height")
}

/// A cell or paragraph that holds only a bullet glyph (a bullet list laid out as a table).
fn is_bullet(text: &str) -> bool {
    is_lone_bullet(text) || matches!(text.trim(), "-" | "–")
}

/// White space collapsed to single spaces, trimmed.
fn collapse(text: &str) -> String {
    let mut inline = Inline::default();
    inline.push(text, 0, Format::default());
    inline.break_line();
    inline
        .lines
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of the block being read, line by line, with how much of it is bold, italic or
/// centred (a heading is bold throughout, not just in part).
#[derive(Debug, Default)]
struct Inline {
    lines: Vec<(usize, String)>,
    current: String,
    current_line: usize,
    /// White space was seen since the last character.
    space: bool,
    chars: usize,
    bold: usize,
    italic: usize,
    centred: usize,
    heading: usize,
    /// How many characters are in each font size (a block has one or two).
    sizes: Vec<(u16, usize)>,
    /// The `alt` text of an image in the block, and its line.
    alt: Option<(usize, String)>,
}

impl Inline {
    /// Adds a run of text that starts on raw line `line`.
    fn push(&mut self, text: &str, mut line: usize, format: Format) {
        for c in text.chars() {
            match c {
                '\n' => {
                    line += 1;
                    if format.pre {
                        self.break_line();
                    } else {
                        self.space = true;
                    }
                }
                // Soft hyphens and zero-width characters print nothing.
                '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
                c if c.is_whitespace() || c.is_control() => self.space = true,
                c => {
                    if self.current.is_empty() {
                        self.current_line = line;
                    } else if self.space {
                        self.current.push(' ');
                    }
                    self.space = false;
                    self.current.push(c);
                    self.chars += 1;
                    self.bold += usize::from(format.bold);
                    self.italic += usize::from(format.italic);
                    self.centred += usize::from(format.centred);
                    self.heading += usize::from(format.heading);
                    match self.sizes.iter_mut().find(|(size, _)| *size == format.size) {
                        Some((_, count)) => *count += 1,
                        None => self.sizes.push((format.size, 1)),
                    }
                }
            }
        }
    }

    /// Ends the current line (a `<br>`); an empty line is not kept.
    fn break_line(&mut self) {
        self.space = false;
        if !self.current.is_empty() {
            let line = mem::take(&mut self.current);
            self.lines.push((self.current_line, line));
        }
    }

    /// The lines joined into one, a hyphen at a line's end closing up to the next.
    fn joined(lines: &[(usize, String)]) -> String {
        let mut text = String::with_capacity(lines.iter().map(|(_, l)| l.len() + 1).sum());
        for (_, line) in lines {
            if !text.is_empty() && !text.ends_with('-') {
                text.push(' ');
            }
            text.push_str(line);
        }
        text
    }

    /// The font size most of the block's characters are in.
    fn main_size(&self) -> u16 {
        self.sizes
            .iter()
            .max_by_key(|(_, count)| *count)
            .map_or(0, |(size, _)| *size)
    }

    fn finish(mut self) -> Option<Text> {
        self.break_line();
        if self.lines.is_empty() {
            let (line, alt) = self.alt.take()?;
            self.lines.push((line, alt));
            self.chars = 0;
        }
        let text = Inline::joined(&self.lines);
        let all = |count: usize| self.chars > 0 && count == self.chars;
        let centred = all(self.centred);
        Some(Text {
            line: self.lines[0].0,
            heading: all(self.heading) || all(self.bold) || (centred && is_capitals(&text)),
            centred,
            italic: all(self.italic),
            after_page_break: false,
            text,
            lines: self.lines,
        })
    }
}

/// Text printed larger than the body text (a headline in `<font size=4>` among `size=2`
/// paragraphs) is a heading when it is short. The body size is the one most characters are in.
fn mark_large_headings(blocks: &mut [Block], sizes: &[u16]) {
    let mut counts: Vec<(u16, usize)> = Vec::new();
    for (block, &size) in blocks.iter().zip(sizes) {
        let Block::Text(text) = block else { continue };
        match counts.iter_mut().find(|(s, _)| *s == size) {
            Some((_, count)) => *count += text.text.len(),
            None => counts.push((size, text.text.len())),
        }
    }
    let Some(&(body, _)) = counts.iter().max_by_key(|(_, count)| *count) else {
        return;
    };
    for (block, &size) in blocks.iter_mut().zip(sizes) {
        if let Block::Text(text) = block
            && u32::from(size) * 100 >= u32::from(body) * 115
            && text.text.chars().count() <= 200
        {
            text.heading = true;
        }
    }
}

/// Text in capitals: letters, and none of them lower case.
fn is_capitals(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic());
    letters.clone().count() >= 2 && letters.all(|c| !c.is_lowercase())
}

/// What scanning a `<table>` found.
enum Scan {
    Table(RawTable),
    /// A cell holds a table of its own: this one is layout.
    Nested,
    TooLarge,
}

/// Collects a table's rows and cells (not descending into nested tables, so every node is
/// scanned by one table only and the whole read stays linear).
fn scan_table(dom: &Dom, table: Id, format: Format, offset: usize) -> Scan {
    let mut raw = RawTable::default();
    for section in children(dom, table) {
        let Some(element) = dom.element(section) else {
            continue;
        };
        let (format, props) = style::apply(element, format);
        if props.hidden {
            continue;
        }
        match element.tag() {
            "caption" => match cell_text(dom, section, format, offset) {
                Some((text, _)) if !text.text.is_empty() => raw.caption.push(text.text),
                Some(_) => {}
                None => return Scan::Nested,
            },
            "thead" | "tbody" | "tfoot" => {
                for row in children(dom, section) {
                    if let Some(scan) = scan_row(dom, row, format, offset, &mut raw) {
                        return scan;
                    }
                }
            }
            "tr" => {
                if let Some(scan) = scan_row(dom, section, format, offset, &mut raw) {
                    return scan;
                }
            }
            _ => {}
        }
    }
    Scan::Table(raw)
}

/// Adds row `id` to `raw`; returns the scan's end when the table turns out not to be one.
fn scan_row(dom: &Dom, id: Id, format: Format, offset: usize, raw: &mut RawTable) -> Option<Scan> {
    let element = dom.element(id).filter(|e| e.tag() == "tr")?;
    let (format, props) = style::apply(element, format);
    if props.hidden {
        return None;
    }
    if raw.rows.len() >= MAX_ROWS {
        return Some(Scan::TooLarge);
    }
    let mut row = RawRow {
        line: dom.node(id).map_or(1, |n| n.line) + offset,
        cells: Vec::new(),
    };
    let mut width = 0;
    let mut first_text = None;
    for cell in children(dom, id) {
        let Some(element) = dom.element(cell).filter(|e| matches!(e.tag(), "td" | "th")) else {
            continue;
        };
        let (format, props) = style::apply(element, format);
        if props.hidden {
            continue;
        }
        let span = element
            .attr("colspan")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, MAX_SPAN);
        width += span;
        if width > MAX_COLUMNS {
            return Some(Scan::TooLarge);
        }
        let Some((Text { text, line, .. }, bold)) = cell_text(dom, cell, format, offset) else {
            return Some(Scan::Nested);
        };
        if first_text.is_none() && !text.is_empty() {
            first_text = Some(line);
        }
        row.cells.push(RawCell {
            text,
            span,
            bold,
            top: props.border_top,
            bottom: props.border_bottom,
        });
    }
    if let Some(line) = first_text {
        row.line = line;
    }
    raw.rows.push(row);
    None
}

/// A cell's text, its paragraphs and lines joined with a space, and whether it is bold
/// throughout; `None` when the cell holds a table.
fn cell_text(dom: &Dom, cell: Id, format: Format, offset: usize) -> Option<(Text, bool)> {
    let mut inline = Inline::default();
    let mut stack: Vec<(Id, Format)> = Vec::new();
    let mut at = dom.node(cell).map_or(NONE, |n| n.first_child);
    let mut current = format;
    while at != NONE {
        let node = dom.node(at)?;
        let mut descend = false;
        match &node.data {
            Data::Text(text) => inline.push(text, node.line + offset, current),
            Data::Element(element) => {
                let tag = element.tag();
                if tag == "table" {
                    return None;
                }
                let (format, props) = style::apply(element, current);
                if !style::is_dropped_tag(tag) && !props.hidden {
                    if tag == "br" || style::is_block_tag(tag) {
                        inline.break_line();
                    }
                    if node.first_child != NONE {
                        stack.push((at, current));
                        current = format;
                        at = node.first_child;
                        descend = true;
                    }
                }
            }
            _ => {}
        }
        if descend {
            continue;
        }
        loop {
            let next = dom.node(at).map_or(NONE, |n| n.next);
            if next != NONE {
                at = next;
                break;
            }
            let Some((parent, format)) = stack.pop() else {
                at = NONE;
                break;
            };
            current = format;
            if dom
                .element(parent)
                .is_some_and(|e| style::is_block_tag(e.tag()))
            {
                inline.break_line();
            }
            at = parent;
        }
    }
    let bold = inline.chars > 0 && inline.bold == inline.chars;
    let text = inline.finish().unwrap_or_default();
    Some((text, bold))
}

/// The children of `id`, in order.
fn children(dom: &Dom, id: Id) -> impl Iterator<Item = Id> + '_ {
    let mut at = dom.node(id).map_or(NONE, |n| n.first_child);
    std::iter::from_fn(move || {
        if at == NONE {
            return None;
        }
        let this = at;
        at = dom.node(at).map_or(NONE, |n| n.next);
        Some(this)
    })
}

/// A lone page number (`3`, `- 3 -`, `Page 3`, `Page 3 of 9`).
fn is_page_number(text: &str) -> bool {
    let text = text.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c == ' ');
    let text = text
        .strip_prefix("Page ")
        .or_else(|| text.strip_prefix("page "))
        .unwrap_or(text);
    let number = text.split(" of ").next().unwrap_or(text);
    (1..=3).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
}

/// "- more -", "(more)": the release continues on the next page.
fn is_more(text: &str) -> bool {
    let word = text.trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '(' | ')' | ' '));
    word.eq_ignore_ascii_case("more") && word.len() < text.len()
        || text.eq_ignore_ascii_case("more")
}

/// Drops page furniture: a lone page number next to a page break (or ending the document), and
/// "- more -" lines, which mark a page break themselves. "Exhibit 99.1" and "###" are left to
/// the release reader.
fn drop_furniture(blocks: &mut Vec<Block>) {
    let mut kept: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut carry_break = false;
    let count = blocks.len();
    let breaks: Vec<bool> = blocks
        .iter()
        .map(|b| b.as_text().is_some_and(|t| t.after_page_break))
        .collect();
    for (index, mut block) in mem::take(blocks).into_iter().enumerate() {
        if let Block::Text(text) = &mut block {
            let next_breaks = breaks.get(index + 1).copied().unwrap_or(index + 1 == count);
            let furniture = is_more(&text.text)
                || (is_page_number(&text.text) && (text.after_page_break || next_breaks));
            if furniture {
                carry_break |= text.after_page_break || is_more(&text.text);
                continue;
            }
            text.after_page_break |= mem::take(&mut carry_break);
        } else {
            carry_break = false;
        }
        kept.push(block);
    }
    *blocks = kept;
}

/// Rejoins a paragraph that a page break cut in two: the block before the break does not end a
/// sentence and the one after starts in lower case.
fn rejoin_across_pages(blocks: &mut Vec<Block>) {
    let mut kept: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in mem::take(blocks) {
        match (block, kept.last_mut()) {
            (Block::Text(next), Some(Block::Text(previous))) if continues(previous, &next) => {
                if !previous.text.ends_with('-') {
                    previous.text.push(' ');
                }
                previous.text.push_str(&next.text);
                previous.lines.extend(next.lines);
            }
            (block, _) => kept.push(block),
        }
    }
    *blocks = kept;
}

/// Does `next`, after a page break, carry on the paragraph `previous`?
fn continues(previous: &Text, next: &Text) -> bool {
    next.after_page_break
        && !previous.heading
        && !next.heading
        && !ends_sentence(&previous.text)
        && next.text.starts_with(|c: char| c.is_lowercase())
}

fn ends_sentence(text: &str) -> bool {
    let end = text.trim_end_matches(['"', '\'', '”', '’', ')']);
    end.ends_with(['.', '!', '?', ':', ';'])
}

#[cfg(test)]
mod tests;
