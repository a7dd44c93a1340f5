//! A release body's words as plain text: its opening for lists and summaries, all of it for
//! search. Read the same way by the site and the PDFs.

use pulldown_cmark::{Event, Options, Parser, TagEnd};

/// Curly quotes and apostrophes, dashes and ellipses as a typesetter would print them: the
/// bodies come from typewritten filings with straight quotes, while the rest of the page (titles,
/// quotes in the front matter) reads typographically.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_SMART_PUNCTUATION)
}

/// The body's opening, as plain text of at most about `limit` characters, ending at a sentence
/// or a word: the one-line summary in lists, feeds and the search index.
pub fn summary(markdown: &str, limit: usize) -> String {
    shorten(&lead_text(markdown, limit.saturating_mul(2)), limit)
}

/// The text of the first paragraph of `markdown` (at most about `limit` bytes), as a reader sees
/// it: escapes and entities resolved (`\<b\>` and `&lt;b&gt;` are `<b>`), markup dropped, runs of
/// white space one space. For places that show a release's words as plain text.
pub fn lead_text(markdown: &str, limit: usize) -> String {
    let mut text = String::new();
    for event in parser(markdown) {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) if !text.is_empty() => break,
            _ => {}
        }
        if text.len() > limit {
            break;
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All of the body's text, words separated by single spaces: what search looks through.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in parser(markdown) {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // Blocks end with a space; inline ends (emphasis, links) do not split a word.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    if let Some(end) = cut.rfind(". ").filter(|&end| end > limit / 2) {
        return cut[..=end].to_string();
    }
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |end| &cut[..end]);
    format!("{}\u{2026}", at_word.trim_end_matches([',', ';', ':']))
}
