//! The plain-text front end: a fixed-width filing, typed for paper, read into blocks.
//!
//! The layout work lives in [`crate::ingest::text`] (furniture, paragraphs, reflow) and, for the
//! tables, [`super::plain_tables`]; this module puts the two together in reading order.

use super::plain_tables::{self, Region};
use crate::diagnostics::Diagnostic;
use crate::ingest::doc::{Block, Text};
use crate::ingest::text::{self, is_upper_case};

/// Reads one plain-text document whose first line is `first_line` of the raw file.
pub fn read(document: &str, first_line: usize) -> (Vec<Block>, Vec<Diagnostic>) {
    let lines = text::lines(document, first_line);
    let (regions, warnings) = plain_tables::split(&lines);
    let mut blocks = Vec::new();
    for region in regions {
        match region {
            Region::Prose(range) => {
                for paragraph in text::paragraphs(&lines[range]) {
                    blocks.extend(split_shouted_head(paragraph).map(Block::Text));
                }
            }
            Region::Table(grid) => blocks.push(Block::Table(grid)),
        }
    }
    (blocks, warnings)
}

/// A heading typed directly above or below other text, with no blank line between, is a block
/// of its own: a run of lines in capitals beside lines that are not, or an `About Acme Corp.`
/// line above its paragraph.
fn split_shouted_head(block: Text) -> impl Iterator<Item = Text> {
    let mut pieces: Vec<Text> = Vec::new();
    let mut start = 0;
    for at in 1..=block.lines.len() {
        let ends_run = at == block.lines.len()
            || (is_shouted(&block.lines[at].1) != is_shouted(&block.lines[at - 1].1)
                && !continues_sentence(&block.lines[at].1))
            || (at == 1 && is_about_heading(&block.lines[0].1));
        if ends_run {
            pieces.push(piece(&block, start..at));
            start = at;
        }
    }
    if pieces.len() == 1 {
        return vec![block].into_iter();
    }
    pieces.into_iter()
}

/// `(NYSE: NFB) reported …` or `and its …` under a line in capitals: the sentence that line
/// began (a dateline typed in capitals), not text below a heading.
fn continues_sentence(line: &str) -> bool {
    line.trim_start()
        .starts_with(|c: char| c == '(' || c.is_lowercase())
}

/// A line in capitals with at least two words (`ACME REPORTS RECORD SALES`), not `NYSE: AB`.
fn is_shouted(line: &str) -> bool {
    is_upper_case(line) && line.split_whitespace().filter(|w| w.len() > 1).count() >= 2
}

/// The lines `range` of a block as a block of their own; a run in capitals is a heading.
fn piece(block: &Text, range: std::ops::Range<usize>) -> Text {
    let lines = block.lines[range.clone()].to_vec();
    let whole = range.len() == block.lines.len();
    let text = if whole {
        block.text.clone()
    } else {
        lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Text {
        line: lines.first().map_or(block.line, |(number, _)| *number),
        heading: block.heading
            || (!whole && is_shouted(&text))
            || (!whole && range.start == 0 && is_about_heading(&text)),
        centred: block.centred,
        italic: block.italic,
        after_page_break: block.after_page_break && range.start == 0,
        lines,
        text,
    }
}

/// `About Apple Computer`: the heading of a release's boilerplate paragraph.
fn is_about_heading(line: &str) -> bool {
    line.starts_with("About ") && line.split_whitespace().count() <= 8 && !text::ends_sentence(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(document: &str) -> Vec<Text> {
        read(document, 1)
            .0
            .into_iter()
            .filter_map(|block| block.as_text().cloned())
            .collect()
    }

    #[test]
    fn paragraphs_keep_their_lines_and_raw_line_numbers() {
        let blocks = texts(
            "Contact:  Acme Corp\n    Jane Doe, CFO\n    555-123-4567\n\n\
                            Acme today announced results that were\nbetter than expected.\n",
        );
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].lines[1], (2, "Jane Doe, CFO".to_string()));
        assert_eq!(blocks[1].line, 5);
        assert_eq!(
            blocks[1].text,
            "Acme today announced results that were better than expected."
        );
    }

    #[test]
    fn shouted_heading_above_its_paragraph_is_its_own_block() {
        let blocks =
            texts("ACME REPORTS RECORD SALES\nBOSTON -- Acme Corp. today said sales rose.\n");
        assert_eq!(blocks.len(), 2);
        assert!(blocks[0].heading);
        assert_eq!(blocks[0].text, "ACME REPORTS RECORD SALES");
        assert_eq!(
            blocks[1].text,
            "BOSTON -- Acme Corp. today said sales rose."
        );
        assert_eq!(blocks[1].line, 2);
    }

    #[test]
    fn centred_short_line_is_a_heading() {
        let blocks = texts("Some text here.\n\n                ABOUT ACME\n\nAcme makes things.\n");
        assert!(blocks[1].heading && blocks[1].centred);
        assert!(!blocks[0].heading);
    }
}
