//! One press release's text read into front matter and a Markdown body.

use chrono::NaiveDate;

use super::doc::{Block, Document, Filing, Format};
use super::facts;
use super::source::plain_tables::{self, Region};
use super::statements;
use super::text::{self, Line, Paragraph, is_furniture, is_rule, is_upper_case};
use crate::model::{Contact, FrontMatter, Source};

pub use super::statements::Settings;

/// What the release says, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub front: FrontMatter,
    pub body: String,
    /// Things the reader should check, with the line they concern.
    pub warnings: Vec<(usize, String)>,
}

/// A release that cannot be read, and the line where that became clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub message: String,
}

/// Reads one release. `first_line` is the file line its text starts on, for messages.
pub fn extract(
    document: &str,
    first_line: usize,
    source: Source,
    settings: &Settings,
) -> Result<Extracted, Unreadable> {
    let lines = text::lines(document, first_line);
    let mut warnings = Vec::new();
    let (regions, table_warnings) = plain_tables::split(&lines);
    let table_start = match regions.first() {
        Some(Region::Prose(prose)) if regions.len() > 1 => prose.end,
        Some(Region::Prose(_)) | None => lines.len(),
        Some(Region::Table(_)) => 0,
    };
    let prose_lines = &lines[..table_start];

    let header = read_header(prose_lines)?;
    let paragraphs = text::paragraphs(&prose_lines[header.body_start..]);
    let sections = Sections::split(&paragraphs);
    let lead = sections.body.first().ok_or_else(|| Unreadable {
        line: lines
            .get(header.body_start)
            .map_or(first_line, |l| l.number),
        message: "no text after the headline; is this a press release?".into(),
    })?;
    let dateline = facts::dateline(&lead.text);
    let date = header
        .release_date
        .or_else(|| dateline.as_ref().and_then(|d| d.date))
        .ok_or_else(|| Unreadable {
            line: lead.line,
            message:
                "no release date: expected a `RELEASE DATE:` line or a dated dateline such as \
                      `Los Angeles, CA, June 27, 2003 -`"
                    .into(),
        })?;
    let news_start = dateline.as_ref().map_or(0, |d| d.rest);
    let lead_news = &lead.text[news_start..];
    let (market, ticker) = match facts::listing(lead_news) {
        Some((market, ticker)) => (Some(market), ticker),
        None => {
            warnings.push((lead.line, "no stock listing such as `(OTC Bulletin Board: HEMA)` in the first paragraph; ticker left empty".into()));
            (None, String::new())
        }
    };
    let company = facts::company_before_listing(lead_news)
        .or_else(|| header.contact.as_ref().and_then(|c| c.organization.clone()))
        .unwrap_or_default();

    let prose = sections
        .body
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let title = if is_upper_case(&header.headline) {
        text::title_case(&header.headline, &prose)
    } else {
        header.headline.clone()
    };

    let financials = read_statements(regions, first_line, settings, &mut warnings);
    warnings.extend(table_warnings);

    let people = facts::people(&sections.body, &company);
    let quotes = facts::quotes(&sections.body, &people);
    let (events, event_issues) = facts::events(&sections.body);
    warnings.extend(
        event_issues
            .into_iter()
            .map(|issue| (issue.line, issue.message)),
    );
    let category = facts::category(&title, financials.is_some(), &prose);

    if let Some(last) = lines.iter().rev().find(|l| !l.is_blank())
        && looks_cut_off(&lines, &sections)
    {
        warnings.push((last.number, "the release seems to stop part way (its last sentence is unfinished and it has no closing `###`); check it against the filing".into()));
    }

    let body = body_markdown(&sections.body, news_start);
    let front = FrontMatter {
        title,
        date,
        category,
        company,
        ticker,
        market,
        dateline: dateline.map(|d| d.city),
        source,
        contact: header.contact,
        people,
        quotes,
        events,
        financials,
        about: joined(&sections.about),
        safe_harbor: joined(&sections.safe_harbor),
    };
    Ok(Extracted {
        front,
        body,
        warnings,
    })
}

/// The block above the news: contact, release date, headline.
struct Header {
    contact: Option<Contact>,
    release_date: Option<NaiveDate>,
    headline: String,
    /// Index of the first prose line after the headline.
    body_start: usize,
}

fn read_header(lines: &[Line<'_>]) -> Result<Header, Unreadable> {
    let mut contact = None;
    let mut release_date = None;
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        let text = line.trimmed();
        if text.is_empty() || is_furniture(line.text) {
            index += 1;
        } else if let Some(rest) = strip_label(text, "contact:") {
            let (found, used) = read_contact(rest, &lines[index + 1..]);
            contact = Some(found);
            index += 1 + used;
        } else if let Some(date) = facts::release_date_line(text) {
            release_date = Some(date);
            index += 1;
        } else {
            break;
        }
    }
    let start = index;
    let first = lines.get(start).ok_or_else(|| Unreadable {
        line: lines.last().map_or(1, |l| l.number),
        message: "no headline: the file ends before any text of a release".into(),
    })?;
    let shouted = is_upper_case(first.text);
    let mut end = start;
    while end < lines.len()
        && !lines[end].is_blank()
        && !is_rule(lines[end].text)
        && (!shouted || is_upper_case(lines[end].text))
        && end - start < 4
    {
        end += 1;
    }
    let headline = text::collapse_spaces(
        &lines[start..end]
            .iter()
            .map(|l| l.trimmed())
            .collect::<Vec<_>>()
            .join(" "),
    );
    if headline.len() < 8 {
        return Err(Unreadable {
            line: first.number,
            message: format!(
                "`{headline}` is too short to be a headline; expected the release's title here"
            ),
        });
    }
    Ok(Header {
        contact,
        release_date,
        headline,
        body_start: end,
    })
}

fn strip_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let head = text.get(..label.len())?;
    head.eq_ignore_ascii_case(label)
        .then(|| text[label.len()..].trim())
}

/// The contact block: organisation on the `Contact:` line, then name and title, phone and web
/// address on the lines below, however they are indented.
fn read_contact(organization: &str, following: &[Line<'_>]) -> (Contact, usize) {
    let mut contact = Contact {
        organization: (!organization.is_empty()).then(|| organization.to_string()),
        ..Contact::default()
    };
    let mut used = 0;
    for line in following {
        let text = text::collapse_spaces(line.trimmed());
        if text.is_empty() || line.indent() == 0 {
            break;
        }
        used += 1;
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if digits >= 7
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || "()-. +x".contains(c))
        {
            contact.phone.get_or_insert(text);
        } else if text.starts_with("www.") || text.starts_with("http") {
            contact.website.get_or_insert(text);
        } else if let Some((name, title)) = text.split_once(", ") {
            contact.name.get_or_insert(name.to_string());
            contact.title.get_or_insert(title.to_string());
        } else if contact.name.is_none() {
            contact.name = Some(text);
        }
    }
    (contact, used)
}

/// The prose split into the news itself, the About paragraph and the safe-harbor notice.
struct Sections<'a> {
    body: Vec<&'a Paragraph>,
    about: Vec<&'a Paragraph>,
    safe_harbor: Vec<&'a Paragraph>,
}

impl<'a> Sections<'a> {
    fn split(paragraphs: &'a [Paragraph]) -> Sections<'a> {
        let mut sections = Sections {
            body: Vec::new(),
            about: Vec::new(),
            safe_harbor: Vec::new(),
        };
        #[derive(PartialEq)]
        enum Part {
            Body,
            About,
            SafeHarbor,
        }
        let mut part = Part::Body;
        for paragraph in paragraphs {
            if is_safe_harbor_start(&paragraph.text) {
                part = Part::SafeHarbor;
            } else if paragraph.is_heading && paragraph.text.to_lowercase().starts_with("about ") {
                part = Part::About;
                continue;
            }
            match part {
                Part::Body => sections.body.push(paragraph),
                Part::About => sections.about.push(paragraph),
                Part::SafeHarbor => sections.safe_harbor.push(paragraph),
            }
        }
        sections
    }
}

fn is_safe_harbor_start(text: &str) -> bool {
    let opening = text
        .get(..text.len().min(160))
        .unwrap_or(text)
        .to_lowercase();
    opening.contains("forward-looking statements")
        && (opening.starts_with("this press release")
            || opening.starts_with("this release")
            || opening.starts_with("certain statements")
            || opening.starts_with("except for"))
}

fn joined(paragraphs: &[&Paragraph]) -> Option<String> {
    (!paragraphs.is_empty()).then(|| {
        paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

/// The body as Markdown: one paragraph per block, the dateline left to its own field.
fn body_markdown(paragraphs: &[&Paragraph], news_start: usize) -> String {
    paragraphs
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let text = if index == 0 {
                &p.text[news_start..]
            } else {
                &p.text
            };
            if p.is_heading {
                format!("## {}", text::markdown_escape(text))
            } else {
                text::markdown_escape(text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The statements of the text's tables: its grids as a [`Document`] read by
/// [`statements::read`]. (Interim: the plain-text front end will make the whole `Document`.)
fn read_statements(
    regions: Vec<Region>,
    first_line: usize,
    settings: &Settings,
    warnings: &mut Vec<(usize, String)>,
) -> Option<crate::model::Financials> {
    let blocks = regions
        .into_iter()
        .filter_map(|region| match region {
            Region::Table(grid) => Some(Block::Table(grid)),
            Region::Prose(_) => None,
        })
        .collect();
    let document = Document {
        filing: Filing::default(),
        format: Format::Text,
        first_line,
        blocks,
    };
    let (financials, statement_warnings) = statements::read(&document, settings);
    warnings.extend(statement_warnings);
    financials
}

/// A release that ends mid-sentence and without the closing mark was probably cut short.
fn looks_cut_off(lines: &[Line<'_>], sections: &Sections<'_>) -> bool {
    let has_end_mark = lines.iter().any(|l| {
        let t = l.trimmed();
        t == "###" || t == "# # #" || t == "-30-"
    });
    let last_text = sections
        .safe_harbor
        .last()
        .or(sections.about.last())
        .or(sections.body.last())
        .map(|p| p.text.as_str())
        .unwrap_or("");
    !has_end_mark && !text::ends_sentence(last_text)
}
