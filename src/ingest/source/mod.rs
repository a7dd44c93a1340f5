//! Bytes as filed → the press releases they hold, each as a [`Document`].
//!
//! A raw file is a bare exhibit (`.txt`, `.htm`), one `<DOCUMENT>` as some archives keep it, or
//! a whole EDGAR submission. This module decodes it, cuts it into documents ([`edgar`]), picks
//! those that hold a release, reads each with its front end ([`plain`] or [`html`]), and hands on
//! `Document`s that no later stage needs to know the origin of.
//!
//! Which documents hold a release:
//! - the exhibits typed `EX-99…` (`EX-99`, `EX-99.1`, `EX-99.01`) and, before 2003, `EX-20…`;
//!   graphics, XBRL, ZIP, PDF and other binary documents are skipped;
//! - an exhibit with no dateline that carries tables is a supplement of the release before it
//!   (earnings tables filed as EX-99.2): its tables join that release;
//! - one exhibit can hold several releases, each opening with a dateline after a page break;
//! - when a filing has no such exhibit, the 8-K's own text is searched for a release typed into
//!   it, from its headline to the signatures.

pub mod edgar;
pub mod html;
pub mod plain;
pub mod plain_tables;

use super::decode;
use super::doc::{Block, Document, Filing, Format};
use super::header;
use super::release::opens_like_release;
use super::text::is_end_mark;
use crate::diagnostics::Diagnostic;

/// The releases of one file, and what the reader should know about how they were found.
#[derive(Debug, Default)]
pub struct Reading {
    pub documents: Vec<Document>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads a decoded file into its releases. Fails, with the line and a sentence, when it holds
/// none.
pub fn read(text: &str) -> Result<Reading, Diagnostic> {
    let submission = edgar::split(text);
    let mut reading = Reading::default();
    let exhibits: Vec<&edgar::Part<'_>> = submission
        .parts
        .iter()
        .filter(|part| is_release_exhibit(part))
        .collect();
    for part in &exhibits {
        let Some(document) = read_part(part, &submission.header, &mut reading.warnings) else {
            continue;
        };
        add_releases(document, &mut reading);
    }
    if reading.documents.is_empty() {
        for part in submission
            .parts
            .iter()
            .filter(|part| part.kind.starts_with("8-K"))
        {
            if let Some(document) = read_part(part, &submission.header, &mut reading.warnings)
                && let Some(release) = release_in_form(document)
            {
                reading.documents.push(release);
            }
        }
    }
    if reading.documents.is_empty() {
        return Err(Diagnostic::line_error(1, no_release_message(&submission)));
    }
    Ok(reading)
}

/// A press-release exhibit, or the whole of a bare file.
fn is_release_exhibit(part: &edgar::Part<'_>) -> bool {
    let kind = part.kind.as_str();
    (kind.is_empty() || kind.starts_with("EX-99") || kind.starts_with("EX-20"))
        && !is_binary_document(part)
}

/// Graphics, archives, spreadsheets and PDFs ride in submissions as uuencoded or base64 text.
fn is_binary_document(part: &edgar::Part<'_>) -> bool {
    const BINARY_ENDINGS: &[&str] = &[
        ".jpg", ".jpeg", ".gif", ".png", ".pdf", ".zip", ".xls", ".xlsx", ".xml", ".xsd", ".json",
        ".js", ".css",
    ];
    let name = part.filename.as_deref().unwrap_or("").to_ascii_lowercase();
    let opening = part.text.get(..part.text.len().min(16)).unwrap_or("");
    BINARY_ENDINGS.iter().any(|ending| name.ends_with(ending))
        || opening.starts_with("begin ")
        || opening.starts_with("<PDF>")
}

fn read_part(
    part: &edgar::Part<'_>,
    header: &Filing,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Document> {
    if let Some(line) = decode::binary_line(part.text, part.first_line) {
        warnings.push(Diagnostic::line_warning(
            line,
            format!("{} holds binary data, not text; skipped", describe(part)),
        ));
        return None;
    }
    let (format, blocks, found) = if html::looks_like_html(part.text) {
        let reading = html::read(part.text, part.first_line);
        (Format::Html, reading.blocks, reading.warnings)
    } else {
        let (blocks, found) = plain::read(part.text, part.first_line);
        (Format::Text, blocks, found)
    };
    warnings.extend(found);
    let filing = Filing {
        exhibit: (!part.kind.is_empty()).then(|| part.kind.clone()),
        filename: part.filename.clone(),
        description: part.description.clone(),
        ..header.clone()
    };
    Some(Document {
        filing,
        format,
        first_line: part.first_line,
        blocks,
    })
}

/// `EX-99.1 (PRESS RELEASE)`, or `the file` for a bare exhibit.
fn describe(part: &edgar::Part<'_>) -> String {
    match (&part.kind, &part.description) {
        (kind, _) if kind.is_empty() => "the file".to_string(),
        (kind, Some(description)) if description != kind => format!("{kind} ({description})"),
        (kind, _) => kind.clone(),
    }
}

/// Adds an exhibit's releases: several when it holds several, its tables only when it is a
/// supplement of the release before it.
fn add_releases(document: Document, reading: &mut Reading) {
    if !reading.documents.is_empty() && !opens_like_release(&document) {
        let grids: Vec<Block> = document
            .blocks
            .into_iter()
            .filter(|block| matches!(block, Block::Table(_)))
            .collect();
        let exhibit = document.filing.exhibit.clone().unwrap_or_default();
        if grids.is_empty() {
            reading.warnings.push(Diagnostic::line_warning(
                document.first_line,
                format!("{exhibit} has no dateline and no tables: not a press release; skipped"),
            ));
        } else if let Some(release) = reading.documents.last_mut() {
            release.blocks.extend(grids);
        }
        return;
    }
    reading.documents.extend(split_releases(document));
}

/// Cuts a document where a second release begins: a paragraph with a dateline beyond doubt,
/// after a page break or an end mark, with the headline blocks above it.
fn split_releases(document: Document) -> Vec<Document> {
    let starts = release_starts(&document.blocks);
    if starts.len() <= 1 {
        return vec![document];
    }
    let Document {
        filing,
        format,
        first_line,
        mut blocks,
    } = document;
    let mut documents = Vec::new();
    for &start in starts.iter().skip(1).rev() {
        let tail = blocks.split_off(start);
        documents.push(Document {
            filing: filing.clone(),
            format,
            first_line: tail.first().map_or(first_line, Block::line),
            blocks: tail,
        });
    }
    documents.push(Document {
        filing,
        format,
        first_line,
        blocks,
    });
    documents.reverse();
    documents
}

/// The block indices where releases begin; the first is always 0.
fn release_starts(blocks: &[Block]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut seen_news = false;
    for (index, block) in blocks.iter().enumerate() {
        let Some(text) = block.as_text() else {
            continue;
        };
        if text.heading {
            continue;
        }
        if !seen_news {
            seen_news = text.text.split_whitespace().nth(11).is_some();
            continue;
        }
        // Only a paragraph at the top of a page can open another release: test that first,
        // it is much cheaper than reading a dateline.
        let start = headline_start(blocks, index);
        if starts_after_break(blocks, start)
            && start > *starts.last().unwrap_or(&0)
            && header::dateline(&text.text).is_some_and(|d| d.strong)
        {
            starts.push(start);
        }
    }
    starts
}

/// Where the headline above the paragraph at `lead` begins: up to three heading blocks.
fn headline_start(blocks: &[Block], lead: usize) -> usize {
    let mut start = lead;
    while start > 0
        && lead - start < 3
        && blocks[start - 1]
            .as_text()
            .is_some_and(|t| t.heading || t.text.split_whitespace().count() <= 16)
        && !blocks[start].as_text().is_some_and(|t| t.after_page_break)
    {
        start -= 1;
    }
    start
}

fn starts_after_break(blocks: &[Block], start: usize) -> bool {
    blocks[start].as_text().is_some_and(|t| t.after_page_break)
        || start
            .checked_sub(1)
            .and_then(|at| blocks[at].as_text())
            .is_some_and(|t| is_end_mark(&t.text))
}

/// A release typed into the 8-K itself: from the headline above its first dateline to the
/// signatures or the exhibit index.
fn release_in_form(document: Document) -> Option<Document> {
    let blocks = &document.blocks;
    let lead = blocks.iter().position(|block| {
        block.as_text().is_some_and(|t| {
            !t.heading
                && t.text.split_whitespace().count() >= 12
                && header::dateline(&t.text).is_some()
        })
    })?;
    let start = form_release_start(blocks, lead);
    let end = blocks[lead..]
        .iter()
        .position(|block| block.as_text().is_some_and(|t| ends_form_release(&t.text)))
        .map_or(blocks.len(), |at| lead + at);
    let Document {
        filing,
        format,
        blocks,
        ..
    } = document;
    let blocks: Vec<Block> = blocks.into_iter().skip(start).take(end - start).collect();
    Some(Document {
        filing,
        format,
        first_line: blocks.first().map_or(1, Block::line),
        blocks,
    })
}

/// Back from the news over the release's header (headline, contact, date line) to the 8-K's
/// own words that introduce it, or to the top of its page.
fn form_release_start(blocks: &[Block], lead: usize) -> usize {
    let mut start = lead;
    while start > 0 && lead - start < 8 {
        let Some(above) = blocks[start - 1].as_text() else {
            break;
        };
        let introduces = above.text.ends_with(':') && above.text.split_whitespace().count() > 4;
        if introduces || above.text.split_whitespace().count() > 30 {
            break;
        }
        start -= 1;
        if above.after_page_break {
            break;
        }
    }
    start
}

fn ends_form_release(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    matches!(
        lower.as_str(),
        "signature" | "signatures" | "index to exhibits" | "exhibit index"
    ) || lower.starts_with("pursuant to the requirements of the securities exchange act")
}

fn no_release_message(submission: &edgar::Submission<'_>) -> String {
    let kinds: Vec<&str> = submission
        .parts
        .iter()
        .map(|part| part.kind.as_str())
        .filter(|kind| !kind.is_empty())
        .collect();
    if kinds.is_empty() {
        "no press release found: no paragraph opens with a dateline such as `SAN JOSE, Calif., April 20, 2016 --`".into()
    } else {
        format!(
            "no press release in this filing: it holds {} but no EX-99 or EX-20 exhibit, and its 8-K text carries no release",
            kinds.join(", ")
        )
    }
}

/// The copy "as filed" a release page links to: the release's own document of the submission
/// (`source.exhibit`, `source.filename`), not the whole submission with its graphics and XBRL,
/// and, when it is HTML, without scripts, event handlers, forms or external loads
/// ([`html::sanitize`]): it is published on the issuer's own domain. `None` when the bytes hold
/// no such document (the filing changed since it was ingested).
pub fn as_filed(bytes: &[u8], exhibit: Option<&str>, filename: Option<&str>) -> Option<AsFiled> {
    let text = decode::decode(bytes).ok()?;
    let submission = edgar::split(&text);
    let part = match (exhibit, filename) {
        (None, None) => submission.parts.first()?,
        _ => submission.parts.iter().find(|part| {
            filename.is_none_or(|name| part.filename.as_deref() == Some(name))
                && exhibit.is_none_or(|kind| part.kind == kind)
        })?,
    };
    Some(if html::looks_like_html(part.text) {
        AsFiled {
            bytes: html::sanitize(part.text).into_bytes(),
            html: true,
        }
    } else {
        AsFiled {
            bytes: part.text.as_bytes().to_vec(),
            html: false,
        }
    })
}

/// A release's document as the site publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsFiled {
    pub bytes: Vec<u8>,
    /// HTML (published as `.htm`) rather than text.
    pub html: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(documents: &[(&str, &str)]) -> String {
        let mut text = String::from(
            "<SEC-DOCUMENT>\n<SEC-HEADER>\nACCESSION NUMBER:\t0000000000-07-000001\n\
             FILED AS OF DATE:\t20070125\n\tCOMPANY CONFORMED NAME:\tACME CORP\n</SEC-HEADER>\n",
        );
        for (kind, body) in documents {
            text.push_str(&format!(
                "<DOCUMENT>\n<TYPE>{kind}\n<TEXT>\n{body}\n</TEXT>\n</DOCUMENT>\n"
            ));
        }
        text + "</SEC-DOCUMENT>\n"
    }

    const RELEASE: &str = "ACME REPORTS RECORD SALES\n\nBOSTON, Mass., Jan. 25, 2007 /PRNewswire/ -- \
                           Acme Corp. (NYSE: ACM) today reported record sales for the year.\n";

    const TABLES: &str = "                          ACME CORP\n                    STATEMENTS OF INCOME\n\
                          (In thousands)\n                                   2006        2005\n\
                                                       ----        ----\n\
                          Revenues                      $ 1,200     $ 1,000\n\
                          Net income                        120         100\n";

    #[test]
    fn graphics_and_xbrl_are_skipped_and_binary_text_is_a_warning() {
        let text = submission(&[
            ("8-K", "FORM 8-K"),
            ("EX-99.1", RELEASE),
            ("GRAPHIC", "begin 644 logo.jpg\nM_]C_X``02D9)1@`!`0``\n"),
            ("EX-99.2", "binary \u{1}\u{2} junk"),
        ]);
        let reading = read(&text).unwrap();
        assert_eq!(reading.documents.len(), 1);
        assert_eq!(
            reading.documents[0].filing.exhibit.as_deref(),
            Some("EX-99.1")
        );
        assert_eq!(
            reading.documents[0].filing.company.as_deref(),
            Some("ACME CORP")
        );
        assert_eq!(reading.warnings.len(), 1, "{:?}", reading.warnings);
        assert!(
            reading.warnings[0]
                .message
                .contains("EX-99.2 holds binary data")
        );
    }

    #[test]
    fn tables_filed_as_their_own_exhibit_join_the_release() {
        let text = submission(&[("EX-99.01", RELEASE), ("EX-99.02", TABLES)]);
        let reading = read(&text).unwrap();
        assert_eq!(reading.documents.len(), 1);
        assert!(reading.documents[0].grids().count() >= 1);
    }

    #[test]
    fn one_exhibit_with_two_releases_is_two_documents() {
        let two = format!(
            "{RELEASE}\nMore news.\n\n###\n\nACME OPENS PLANT\n\nDENVER--(BUSINESS WIRE)--Acme Corp. \
             today opened a plant in Denver.\n"
        );
        let reading = read(&submission(&[("EX-20.1", &two)])).unwrap();
        assert_eq!(reading.documents.len(), 2);
    }

    #[test]
    fn a_release_typed_into_the_8k_is_found_and_the_8k_around_it_left_out() {
        let form = format!(
            "FORM 8-K\n\nItem 5. Other Events\n\nOn January 25, 2007, the Registrant issued the \
             following press release:\n\n{RELEASE}\nMore news follows in this paragraph, as long \
             as news paragraphs are, with enough words to read as prose.\n\n\
             SIGNATURES\n\nPursuant to the requirements of the Securities Exchange Act of 1934, \
             the registrant has duly caused this report to be signed.\n"
        );
        let reading = read(&submission(&[("8-K", &form)])).unwrap();
        assert_eq!(reading.documents.len(), 1);
        let texts: Vec<&str> = reading.documents[0]
            .texts()
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(
            texts.first(),
            Some(&"ACME REPORTS RECORD SALES"),
            "{texts:?}"
        );
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("SIGNATURES") || t.contains("Pursuant"))
        );
    }

    #[test]
    fn the_copy_as_filed_is_the_exhibit_alone_without_scripts() {
        let exhibit =
            "<html><body><p onclick=\"steal()\">ACME REPORTS</p><script>x()</script></body></html>";
        let text = submission(&[
            ("8-K", "FORM 8-K"),
            ("EX-99.1", exhibit),
            ("GRAPHIC", "begin 644 a.jpg"),
        ]);
        let copy = as_filed(text.as_bytes(), Some("EX-99.1"), None).unwrap();
        let html = String::from_utf8(copy.bytes).unwrap();
        assert!(copy.html && html.contains("ACME REPORTS"), "{html}");
        assert!(
            !html.contains("script") && !html.contains("onclick") && !html.contains("FORM 8-K")
        );
        let plain = as_filed(text.as_bytes(), Some("8-K"), None).unwrap();
        assert_eq!(plain.bytes, b"FORM 8-K\n");
        assert_eq!(as_filed(text.as_bytes(), Some("EX-99.9"), None), None);
    }

    #[test]
    fn a_filing_without_a_release_says_what_it_holds() {
        let err = read(&submission(&[
            ("8-K", "FORM 8-K\n\nItem 8.01 Other events."),
            ("EX-10.1", "AGREEMENT"),
        ]))
        .unwrap_err();
        let (line, message) = (err.line, err.message);
        assert_eq!(line, 1);
        assert!(message.contains("8-K, EX-10.1"), "{message}");
    }
}
