//! The plain-text front end: a fixed-width filing, typed for paper, read into blocks.
//!
//! The layout work lives in [`crate::ingest::text`] (furniture, paragraphs, reflow) and, for the
//! tables, [`super::plain_tables`]; this module puts the two together in reading order.

use super::plain_tables::{self, Region};
use crate::ingest::doc::{Block, Text};
use crate::ingest::text::{self, is_upper_case};

/// Reads one plain-text document whose first line is `first_line` of the raw file.
pub fn read(document: &str, first_line: usize) -> (Vec<Block>, Vec<(usize, String)>) {
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

/// A heading typed directly above its paragraph, with no blank line between, is a block of its
/// own: lines in capitals above lines that are not, or an `About Acme Corp.` line.
fn split_shouted_head(block: Text) -> impl Iterator<Item = Text> {
    let shouted = block
        .lines
        .iter()
        .take_while(|(_, line)| is_upper_case(line))
        .count();
    let shouted = if shouted == 0 && block.lines.first().is_some_and(|(_, line)| is_about_heading(line)) {
        1
    } else {
        shouted
    };
    if shouted == 0 || shouted == block.lines.len() {
        return vec![block].into_iter();
    }
    let head_text = block.lines[..shouted]
        .iter()
        .map(|(_, line)| line.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let Some(rest_text) = block.text.strip_prefix(&head_text) else {
        return vec![block].into_iter();
    };
    let mut rest = Text {
        line: block.lines[shouted].0,
        lines: block.lines[shouted..].to_vec(),
        text: rest_text.trim_start().to_string(),
        ..Text::default()
    };
    rest.after_page_break = false;
    let head = Text {
        line: block.line,
        lines: block.lines[..shouted].to_vec(),
        text: head_text,
        heading: true,
        centred: block.centred,
        italic: false,
        after_page_break: block.after_page_break,
    };
    vec![head, rest].into_iter()
}

/// `About Apple Computer`: the heading of a release's boilerplate paragraph.
fn is_about_heading(line: &str) -> bool {
    line.starts_with("About ")
        && line.split_whitespace().count() <= 8
        && !text::ends_sentence(line)
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
        let blocks = texts("Contact:  Acme Corp\n    Jane Doe, CFO\n    555-123-4567\n\n\
                            Acme today announced results that were\nbetter than expected.\n");
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
        let blocks = texts("ACME REPORTS RECORD SALES\nBOSTON -- Acme Corp. today said sales rose.\n");
        assert_eq!(blocks.len(), 2);
        assert!(blocks[0].heading);
        assert_eq!(blocks[0].text, "ACME REPORTS RECORD SALES");
        assert_eq!(blocks[1].text, "BOSTON -- Acme Corp. today said sales rose.");
        assert_eq!(blocks[1].line, 2);
    }

    #[test]
    fn centred_short_line_is_a_heading() {
        let blocks = texts("Some text here.\n\n                ABOUT ACME\n\nAcme makes things.\n");
        assert!(blocks[1].heading && blocks[1].centred);
        assert!(!blocks[0].heading);
    }
}
