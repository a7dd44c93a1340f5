//! One press release, as a [`Document`], read into front matter and a Markdown body.
//!
//! The release is read block by block: the blocks above the first paragraph of news are its
//! header (letterhead, contacts, a date line, the headline and a subtitle), the paragraph that
//! opens with a dateline begins the news, and what follows is the body, the About paragraph and
//! the safe-harbor notice. Tables are read by [`statements`]. Nothing here knows whether the
//! document was HTML or text.

use chrono::NaiveDate;

use super::doc::{Block, Document, Text};
use super::header::{self, Dateline, FoundDate};
use super::statements;
use super::text::{self, is_end_mark, is_furniture, is_upper_case};
use super::facts;
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

/// Reads one release.
pub fn extract(
    document: &Document,
    source: Source,
    settings: &Settings,
) -> Result<Extracted, Unreadable> {
    let mut warnings = Vec::new();
    let texts: Vec<&Text> = document.texts().collect();
    let header = read_header(&texts, document)?;
    let sections = Sections::split(&texts[header.lead..]);
    let lead = sections.body.first().copied().ok_or_else(|| Unreadable {
        line: document.first_line,
        message: "no text of a release: no paragraph of news after the headline".into(),
    })?;
    let news_start = header.dateline.as_ref().map_or(0, |d| d.rest);
    let lead_news = &lead.text[news_start..];
    let date = release_date(&header, document, lead, &mut warnings)?;

    let prose = sections
        .body
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let listing = header::listing(lead_news).or_else(|| {
        header
            .listing_texts
            .iter()
            .chain(sections.body.iter().chain(&sections.about).map(|t| &t.text))
            .find_map(|text| header::listing(text))
    });
    let (market, ticker) = match listing {
        Some((market, ticker)) => (Some(market), ticker),
        None => {
            warnings.push((
                lead.line,
                "no stock listing such as `(NYSE: ABC)` or `(Nasdaq: ABCD)` near the top; ticker left empty"
                    .into(),
            ));
            (None, String::new())
        }
    };
    let contact = header.contact.clone().or_else(|| sections.contact.clone());
    let company = facts::company_before_listing(lead_news)
        .or_else(|| contact.as_ref().and_then(|c| c.organization.clone()))
        .or_else(|| document.filing.company.as_deref().map(|name| text::title_case(name, &prose)))
        .unwrap_or_default();
    let title = match &header.headline {
        Some(headline) if is_upper_case(headline) => text::title_case(headline, &prose),
        Some(headline) => headline.clone(),
        None => {
            let made = title_from_news(lead_news);
            warnings.push((
                lead.line,
                format!("no headline above the release; its title is made from its first sentence: `{made}`"),
            ));
            made
        }
    };
    let subtitle = header.subtitle.as_ref().map(|subtitle| match is_upper_case(subtitle) {
        true => text::title_case(subtitle, &prose),
        false => subtitle.clone(),
    });

    let (financials, table_issues) = statements::read(document, settings);
    warnings.extend(table_issues);

    let people = facts::people(&sections.body, &company);
    let quotes = facts::quotes(&sections.body, &people);
    let (events, event_issues) = facts::events(&sections.body);
    warnings.extend(event_issues.into_iter().map(|issue| (issue.line, issue.message)));
    let category = facts::category(&title, financials.is_some(), &prose);

    if !sections.ended && !text::ends_sentence(sections.last_text()) {
        let last = texts.last().map_or(document.first_line, |t| t.line);
        warnings.push((last, "the release seems to stop part way (its last sentence is unfinished and it has no closing `###`); check it against the filing".into()));
    }

    let body = body_markdown(&sections.body, news_start);
    let front = FrontMatter {
        title,
        subtitle,
        date,
        category,
        company,
        ticker,
        market,
        dateline: header.dateline.map(|d| d.city),
        source,
        contact,
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

/// The blocks above the news.
#[derive(Debug, Default)]
struct Header {
    contact: Option<Contact>,
    date_line: Option<(usize, FoundDate)>,
    headline: Option<String>,
    subtitle: Option<String>,
    /// Header texts that may carry the listing (subtitle, letterhead).
    listing_texts: Vec<String>,
    /// Index (among the text blocks) of the first paragraph of news.
    lead: usize,
    dateline: Option<Dateline>,
}

/// What a block above the news is.
enum HeaderBlock {
    Skip,
    Contact,
    DateLine(FoundDate),
    Title,
    Lead(Option<Dateline>),
}

fn read_header(texts: &[&Text], document: &Document) -> Result<Header, Unreadable> {
    let (pieces, origins) = header_pieces(texts);
    let mut header = Header::default();
    let mut titles: Vec<usize> = Vec::new();
    let mut index = 0;
    let mut lead = None;
    while index < pieces.len() {
        let block = &pieces[index];
        match classify(block, !titles.is_empty()) {
            HeaderBlock::Skip => index += 1,
            HeaderBlock::Contact => {
                let (contact, used) = read_contact(&pieces[index..], document);
                header.contact.get_or_insert(contact);
                index += used;
            }
            HeaderBlock::DateLine(date) => {
                header.date_line.get_or_insert((block.line, date));
                index += 1;
            }
            HeaderBlock::Title => {
                if block.after_page_break {
                    // A new page opens with a title: what came before was a cover page.
                    titles.clear();
                }
                titles.push(index);
                index += 1;
            }
            HeaderBlock::Lead(dateline) => {
                header.dateline = dateline;
                lead = Some(origins[index]);
                break;
            }
        }
    }
    let lead = match lead {
        Some(lead) => lead,
        None => {
            // No paragraph of news stood out: take the first block after the headline.
            titles.truncate(1);
            let after = titles.first().map_or(0, |&at| origins[at] + 1);
            if after >= texts.len() {
                return Err(Unreadable {
                    line: texts.last().map_or(document.first_line, |t| t.line),
                    message: "no paragraph of news: the document ends before any text of a release; is this a press release?".into(),
                });
            }
            header.dateline = header::dateline(&texts[after].text);
            after
        }
    };
    header.lead = lead;
    let titles: Vec<&Text> = titles.iter().map(|&at| &pieces[at]).collect();
    let chosen = choose_headline(&titles);
    header.headline = chosen.map(|at| titles[at].text.clone());
    header.subtitle = chosen
        .and_then(|at| titles.get(at + 1))
        .map(|t| t.text.clone());
    header.listing_texts = titles.iter().map(|t| t.text.clone()).collect();
    Ok(header)
}

/// The blocks above the news, each cut where a line opens a contact or dates the release
/// (`Date: January 26, 1998` typed directly above `Contact: …`), with the index of the block
/// each piece came from.
fn header_pieces(texts: &[&Text]) -> (Vec<Text>, Vec<usize>) {
    let mut pieces = Vec::new();
    let mut origins = Vec::new();
    for (origin, block) in texts.iter().enumerate().take(60) {
        let mut current: Vec<(usize, String)> = Vec::new();
        let mut flush = |lines: &mut Vec<(usize, String)>, whole: bool| {
            if lines.is_empty() {
                return;
            }
            let piece = if whole {
                (*block).clone()
            } else {
                Text {
                    line: lines[0].0,
                    text: lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join(" "),
                    lines: std::mem::take(lines),
                    ..(*block).clone()
                }
            };
            lines.clear();
            pieces.push(piece);
            origins.push(origin);
        };
        let opens_piece = |line: &str| {
            header::contact_label(line).is_some() || header::date_line(line).is_some()
        };
        let cut = block.lines.len() > 1
            && block.lines.iter().skip(1).any(|(_, line)| opens_piece(line));
        if !cut {
            let mut whole = block.lines.clone();
            flush(&mut whole, true);
            continue;
        }
        for (number, line) in &block.lines {
            if opens_piece(line) {
                flush(&mut current, false);
            }
            current.push((*number, line.clone()));
        }
        flush(&mut current, false);
    }
    (pieces, origins)
}

fn classify(block: &Text, has_title: bool) -> HeaderBlock {
    let text = block.text.as_str();
    if is_furniture(text) || is_end_mark(text) || is_banner(text) || is_filing_apparatus(text) {
        return HeaderBlock::Skip;
    }
    if block.lines.first().is_some_and(|(_, line)| header::contact_label(line).is_some()) {
        return HeaderBlock::Contact;
    }
    if let Some(date) = header::date_line(text) {
        return HeaderBlock::DateLine(date);
    }
    let words = text.split_whitespace().count();
    if !block.heading
        && words >= 8
        && let Some(dateline) = header::dateline(text)
    {
        return HeaderBlock::Lead(Some(dateline));
    }
    if has_title && !block.heading && words >= 25 && text::ends_sentence(text) {
        return HeaderBlock::Lead(None);
    }
    if looks_like_title(block) {
        HeaderBlock::Title
    } else {
        HeaderBlock::Skip
    }
}

/// `News Release`, `PRESS RELEASE`, `For Immediate Release`, `Investor Relations`, `NEWS`: the
/// printed page's labels, never a headline.
fn is_banner(text: &str) -> bool {
    let lower = text
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let lower = text::collapse_spaces(&lower);
    matches!(
        lower.as_str(),
        "news" | "news release" | "press release" | "press releases" | "news releases" | "for immediate release" | "immediate release"
            | "investor relations" | "media relations" | "news announcement" | "company contact"
            | "contacts" | "contact" | "for release" | "release" | "graphic" | "logo"
            | "exhibit" | "news for immediate release" | "press announcement" | "earnings release"
    ) || lower.starts_with("exhibit 99")
        || lower.starts_with("exhibit 20")
        || lower.starts_with("for immediate release")
}

/// The 8-K's own words around a release typed into it: `Item 5. Other Events`, `On January 26,
/// 1998, the Registrant issued the following press release:`.
fn is_filing_apparatus(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.starts_with("item ") && lower.chars().nth(5).is_some_and(|c| c.is_ascii_digit())
        || (text.ends_with(':') && text.split_whitespace().count() > 4)
}

/// A headline or subtitle: words, mostly letters, no phone number or address, not a lone
/// company name, not a sentence of prose too long to be a title.
fn looks_like_title(block: &Text) -> bool {
    let text = block.text.as_str();
    let words = text.split_whitespace().count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    (2..=60).contains(&words)
        && letters >= 8
        && digits * 4 < letters
        && !text.contains('@')
        && !text.contains("www.")
        && !text.contains("http")
        && !header::is_person_name(text)
        && !is_letterhead(text)
}

/// A company name alone or an address line: `HemaCare Corporation`, `21101 Oxnard Street`.
fn is_letterhead(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let name_like = words.len() <= 4
        && words
            .last()
            .is_some_and(|w| ["Inc.", "Inc", "Corporation", "Corp.", "Company", "Ltd.", "plc", "LLC"].contains(&w.trim_end_matches(',')));
    let address = text.starts_with(|c: char| c.is_ascii_digit()) && words.len() <= 8;
    name_like || address
}

/// The headline among the title-like blocks above the news: the first one set as a heading
/// (bold, centred capitals) when any is, else the first.
fn choose_headline(titles: &[&Text]) -> Option<usize> {
    titles
        .iter()
        .position(|t| t.heading && t.text.split_whitespace().count() >= 3)
        .or_else(|| (!titles.is_empty()).then_some(0))
}

/// The contact from a labelled block and the short blocks that continue it (each line of an
/// HTML contact can be a block of its own). Returns the contact and how many blocks it took.
fn read_contact(texts: &[Text], document: &Document) -> (Contact, usize) {
    let company = document.filing.company.as_deref().unwrap_or("");
    let mut lines: Vec<String> = Vec::new();
    let mut used = 0;
    for (index, block) in texts.iter().enumerate() {
        if index > 0
            && (block.heading
                || index > 6
                || header::contact_label(&block.text).is_some()
                || !block.lines.iter().all(|(_, line)| header::is_contact_line(line, company)))
        {
            break;
        }
        for (at, (_, line)) in block.lines.iter().enumerate() {
            let line = if index == 0 && at == 0 {
                header::contact_label(line).unwrap_or(line)
            } else {
                line.as_str()
            };
            if !line.is_empty() {
                lines.push(line.to_string());
            }
        }
        used += 1;
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    (header::contact(&refs, company), used.max(1))
}

/// The release date: a date line above the news, else the dateline's, else the filing's.
fn release_date(
    header: &Header,
    document: &Document,
    lead: &Text,
    warnings: &mut Vec<(usize, String)>,
) -> Result<NaiveDate, Unreadable> {
    let filed = document.filing.filed;
    let written = header
        .date_line
        .or_else(|| header.dateline.as_ref().and_then(|d| d.date.map(|date| (lead.line, date))));
    match written {
        Some((line, FoundDate::NoSuchDate)) => Err(Unreadable {
            line,
            message: "the release date written here is no such date (check the day and the month)".into(),
        }),
        Some((line, found)) => found.resolve(filed).ok_or_else(|| Unreadable {
            line,
            message: "the release is dated without a year and the file has no submission header to take it from; add the year".into(),
        }),
        None => match filed {
            Some(filed) => {
                warnings.push((
                    lead.line,
                    format!("the release carries no date; it takes the filing date, {filed}"),
                ));
                Ok(filed)
            }
            None => Err(Unreadable {
                line: lead.line,
                message: "no release date: expected a `RELEASE DATE:` line, a date line above the headline or a dated dateline such as `SAN JOSE, Calif., April 20, 2016 --`".into(),
            }),
        },
    }
}

/// A title for a release printed without a headline: its first sentence without its
/// parentheses and day words, cut at the first comma after a few words.
fn title_from_news(news: &str) -> String {
    let sentence = first_sentence(news);
    let mut words: Vec<&str> = Vec::new();
    let mut depth = 0usize;
    for word in sentence.split_whitespace() {
        let opens = word.starts_with('(');
        depth += usize::from(opens);
        let skip = depth > 0 || is_day_word(word);
        if word.ends_with(')') || word.ends_with("),") {
            depth = depth.saturating_sub(1);
        }
        if skip {
            continue;
        }
        words.push(word);
        if (words.len() >= 6 && word.ends_with(',')) || words.len() >= 16 {
            break;
        }
    }
    words.join(" ").trim_end_matches(['.', ',', ';']).to_string()
}

fn is_day_word(word: &str) -> bool {
    let word = word.trim_end_matches(',');
    matches!(
        word,
        "today" | "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
    )
}

/// Up to the first full stop that ends a sentence (not `Inc.`, `Corp.` or an initial).
fn first_sentence(text: &str) -> &str {
    const ABBREVIATIONS: &[&str] = &[
        "Inc.", "Corp.", "Co.", "Ltd.", "Mr.", "Ms.", "Mrs.", "Dr.", "St.", "Jr.", "Sr.", "U.S.",
        "No.", "Nos.", "L.P.", "N.V.", "S.A.",
    ];
    let mut end = 0;
    for word in text.split_inclusive(' ') {
        end += word.len();
        let word = word.trim_end();
        let is_initial = word.len() == 2 && word.ends_with('.');
        if word.ends_with('.') && !ABBREVIATIONS.contains(&word) && !is_initial {
            return &text[..end];
        }
    }
    text
}

/// The prose split into the news itself, the About paragraph and the safe-harbor notice.
struct Sections<'a> {
    body: Vec<&'a Text>,
    about: Vec<&'a Text>,
    safe_harbor: Vec<&'a Text>,
    /// A contact block printed below the news.
    contact: Option<Contact>,
    /// The release ends with its newsroom end mark (`###`).
    ended: bool,
}

impl<'a> Sections<'a> {
    fn split(texts: &[&'a Text]) -> Sections<'a> {
        let mut sections = Sections {
            body: Vec::new(),
            about: Vec::new(),
            safe_harbor: Vec::new(),
            contact: None,
            ended: false,
        };
        #[derive(PartialEq)]
        enum Part {
            Body,
            About,
            SafeHarbor,
        }
        let mut part = Part::Body;
        let mut index = 0;
        while index < texts.len() {
            let paragraph = texts[index];
            index += 1;
            if is_end_mark(&paragraph.text) {
                sections.ended = true;
                continue;
            }
            if is_furniture(&paragraph.text) || is_banner(&paragraph.text) {
                continue;
            }
            if paragraph
                .lines
                .first()
                .is_some_and(|(_, line)| header::contact_label(line).is_some())
                && paragraph.text.split_whitespace().count() <= 40
            {
                let lines: Vec<&str> = paragraph
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(at, (_, line))| match at {
                        0 => header::contact_label(line).unwrap_or(line),
                        _ => line.as_str(),
                    })
                    .collect();
                sections.contact.get_or_insert(header::contact(&lines, ""));
                continue;
            }
            if is_safe_harbor_start(&paragraph.text) {
                part = Part::SafeHarbor;
            } else if paragraph.heading && paragraph.text.to_lowercase().starts_with("about ") {
                part = Part::About;
                continue;
            } else if paragraph.heading && is_safe_harbor_heading(&paragraph.text) {
                part = Part::SafeHarbor;
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

    fn last_text(&self) -> &str {
        self.safe_harbor
            .last()
            .or(self.about.last())
            .or(self.body.last())
            .map_or("", |p| p.text.as_str())
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
            || opening.starts_with("this news release")
            || opening.starts_with("certain statements")
            || opening.starts_with("except for")
            || opening.starts_with("statements in this"))
}

/// `Forward-Looking Statements`, `Safe Harbor Statement`, `Cautionary Note Regarding
/// Forward-Looking Statements`.
fn is_safe_harbor_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    text.split_whitespace().count() <= 10
        && (lower.contains("forward-looking statement")
            || lower.contains("forward looking statement")
            || lower.contains("safe harbor"))
}

fn joined(paragraphs: &[&Text]) -> Option<String> {
    (!paragraphs.is_empty()).then(|| {
        paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

/// The body as Markdown: one paragraph per block, the dateline left to its own field.
fn body_markdown(paragraphs: &[&Text], news_start: usize) -> String {
    paragraphs
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let text = if index == 0 {
                &p.text[news_start..]
            } else {
                &p.text
            };
            if p.heading {
                format!("## {}", text::markdown_escape(text))
            } else {
                text::markdown_escape(text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Whether a document holds a block that opens a release: a paragraph with a dateline beyond
/// doubt. Used to tell a release from a supplement of tables filed beside it.
pub fn has_dateline(document: &Document) -> bool {
    document.blocks.iter().filter_map(Block::as_text).take(40).any(|text| {
        !text.heading && header::dateline(&text.text).is_some_and(|d| d.strong)
    })
}
