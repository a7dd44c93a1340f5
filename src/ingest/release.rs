//! One press release, as a [`Document`], read into front matter and a Markdown body.
//!
//! The release is read block by block: the blocks above the first paragraph of news are its
//! header (letterhead, contacts, a date line, the headline and a subtitle), the paragraph that
//! opens with a dateline begins the news, and what follows is the body, the About paragraph and
//! the safe-harbor notice. Tables are read by [`statements`]. Nothing here knows whether the
//! document was HTML or text.

use std::sync::LazyLock;

use crate::diagnostics::Diagnostic;
use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::doc::{Block, Document, Text};
use super::facts;
use super::header::{self, Dateline, FoundDate};
use super::statements;
use super::text::{self, is_end_mark, is_furniture, is_upper_case};
use crate::model::{Contact, FiscalCalendar, FrontMatter, Source};

/// What the release says, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub front: FrontMatter,
    pub body: String,
    /// Things the reader should check, with the line they concern.
    pub warnings: Vec<Diagnostic>,
}

/// Reads one release.
pub fn extract(
    document: &Document,
    source: Source,
    calendar: &FiscalCalendar,
) -> Result<Extracted, Diagnostic> {
    let mut warnings = Vec::new();
    let texts: Vec<&Text> = document.texts().collect();
    let header = read_header(&texts, document)?;
    let issuer = issuer_words(&header, texts[header.lead], document);
    let captions = table_captions(document);
    let prose_texts: Vec<&Text> = texts[header.lead..]
        .iter()
        .copied()
        .filter(|text| !captions.iter().any(|caption| std::ptr::eq(*caption, *text)))
        .collect();
    let sections = Sections::split(&prose_texts, &issuer);
    let lead = sections.body.first().copied().ok_or_else(|| {
        Diagnostic::line_error(
            document.first_line,
            "no text of a release: no paragraph of news after the headline",
        )
    })?;
    let news_start = header.dateline.as_ref().map_or(0, |d| d.rest);
    let lead_news = &lead.text[news_start..];
    let prose = sections
        .body
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let date = release_date(&header, document, lead, &texts, &mut warnings)?;
    let listing = header::listing(lead_news).or_else(|| {
        header
            .listing_texts
            .iter()
            .chain(sections.body.iter().chain(&sections.about).map(|t| &t.text))
            .find_map(|text| header::listing(text))
    });
    let (market, ticker) = match listing {
        Some((market, ticker)) => (Some(market), ticker),
        None if let Some(ticker) = header::bare_ticker(lead_news) => (None, ticker),
        None => {
            warnings.push(Diagnostic::line_warning(
                lead.line,
                "no stock listing such as `(NYSE: ABC)` or `(Nasdaq: ABCD)` near the top; ticker left empty",
            ));
            (None, String::new())
        }
    };
    let contact = header
        .contact
        .clone()
        .filter(|c| *c != Contact::default())
        .or_else(|| sections.contact.clone())
        .filter(|c| *c != Contact::default());
    let filed_name = document
        .filing
        .company
        .as_deref()
        .map(|name| text::title_case(name, &prose));
    let organisation = contact.as_ref().and_then(|c| c.organization.clone());
    let company = facts::company_before_listing(lead_news)
        .or_else(|| {
            let short = facts::company_before_verb(lead_news)?;
            let short = short.trim_end_matches(['®', '™']).to_string();
            Some(fuller_name(&short, [&organisation, &filed_name]).unwrap_or(short))
        })
        .or(organisation.clone())
        .or(filed_name.clone())
        .unwrap_or_default();
    let title = match &header.headline {
        Some(headline) if text::is_shouted(headline) => text::title_case(headline, &prose),
        Some(headline) => with_shouted_name_cased(headline, &prose),
        None => {
            let made = title_from_news(lead_news);
            warnings.push(Diagnostic::line_warning(
                lead.line,
                format!("no headline above the release; its title is made from its first sentence: `{made}`"),
            ));
            made
        }
    };
    let subtitle = header
        .subtitle
        .as_deref()
        .map(|subtitle| {
            subtitle.trim_matches(|c: char| {
                matches!(c, '-' | '\u{2013}' | '\u{2014}') || c.is_whitespace()
            })
        })
        .map(|subtitle| match text::is_shouted(subtitle) {
            true => text::title_case(subtitle, &prose),
            false => subtitle.to_string(),
        });

    let (financials, table_issues) = statements::read(document, calendar);
    warnings.extend(table_issues);

    let people = facts::people(&sections.body, &company);
    let quotes = facts::quotes(&sections.body, &people);
    let (events, event_issues) = facts::events(&sections.body);
    warnings.extend(event_issues);
    let category = facts::category(&title, financials.is_some(), &prose);

    if !sections.ended && !text::ends_sentence(sections.last_text()) {
        let last = texts.last().map_or(document.first_line, |t| t.line);
        warnings.push(Diagnostic::line_warning(last, "the release seems to stop part way (its last sentence is unfinished and it has no closing `###`); check it against the filing"));
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

/// `Apple` named in the news, `Apple Computer, Inc.` in the contact block or the filing: the
/// fuller name that begins with the short one.
fn fuller_name(short: &str, names: [&Option<String>; 2]) -> Option<String> {
    names
        .into_iter()
        .flatten()
        .find(|name| name.starts_with(short) && name.len() > short.len())
        .cloned()
}

/// The first words of the issuer's names (`alnylam`, `cisco`), lower-case: an `About …`
/// heading that names one of them opens the About paragraph; `About Zilebesiran` does not.
fn issuer_words(header: &Header, lead: &Text, document: &Document) -> Vec<String> {
    let news = lead
        .text
        .get(header.dateline.as_ref().map_or(0, |d| d.rest)..)
        .unwrap_or("");
    [
        facts::company_before_listing(news),
        document.filing.company.clone(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|name| name.split_whitespace().next().map(str::to_lowercase))
    .filter(|word| word.len() >= 3)
    .collect()
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

fn read_header(texts: &[&Text], document: &Document) -> Result<Header, Diagnostic> {
    let mut cut = HeaderPieces::new(texts);
    let mut header = Header::default();
    let mut titles: Vec<usize> = Vec::new();
    let mut index = 0;
    let mut lead = None;
    let mut titles_above_date = None;
    let mut labelled_city = None;
    let mut letterhead_listings = Vec::new();
    // The piece of a contact's label that named no one yet.
    let mut unnamed_contact: Option<usize> = None;
    let company = document.filing.company.as_deref().unwrap_or("");
    loop {
        // Enough pieces ahead for the look-aheads below (a dateline over several lines, a
        // summary or a list of highlights above the dateline).
        cut.reach(index + LOOK_AHEAD);
        let (pieces, origins) = (&cut.pieces, &cut.origins);
        if index >= pieces.len() {
            break;
        }
        let block = &pieces[index];
        // A list item whose bullet was set in a cell (or line) of its own is no header.
        let kind = if index > 0 && text::is_lone_bullet(&pieces[index - 1].text) {
            HeaderBlock::Skip
        } else {
            classify(block, !titles.is_empty())
        };
        let after_title = index > 0 && titles.last() == Some(&(index - 1));
        let title_above = after_title.then(|| pieces[index - 1].text.as_str());
        // `For more information contact:` / `June 14, 2005` / `Macke Mauldin, Bank Independent
        // (256) 386-5000`: a contact's label whose names come after a date or a label of their
        // own (not while a headline runs on).
        if matches!(kind, HeaderBlock::Skip | HeaderBlock::Title)
            && !title_above.is_some_and(must_go_on)
            && unnamed_contact.is_some_and(|label| index <= label + 6)
            && block
                .lines
                .iter()
                .all(|(_, line)| header::is_contact_line(line, company))
        {
            let (contact, used) = read_contact(&pieces[index..], document);
            if contact.name.is_some() {
                header.contact = Some(with_details_of(contact, header.contact.take()));
                unnamed_contact = None;
                index += used;
                continue;
            }
        }
        // `David W. Miles` / `Chief Financial Officer` / `502-394-2137`, each in a cell of its
        // own: an unlabelled contact set over several pieces.
        if matches!(kind, HeaderBlock::Skip)
            && header.contact.is_none()
            && header::is_person_name(&block.text)
            && header::is_unlabelled_contact(&contact_lines_from(&pieces[index..], company))
        {
            let (contact, used) = read_contact(&pieces[index..], document);
            header.contact = Some(contact);
            index += used;
            continue;
        }
        if matches!(kind, HeaderBlock::Title | HeaderBlock::Skip)
            && let Some((dateline, at)) = dateline_over_pieces(&pieces[index..], title_above)
        {
            // A dateline typed over several short lines (`Chicago` / `(May 2, 2008) -`).
            let news = &pieces[index + at];
            let origin = texts[origins[index + at]];
            let offset = origin.text.find(news.text.as_str()).unwrap_or(0);
            header.dateline = Some(Dateline {
                rest: offset + dateline.rest,
                ..dateline
            });
            lead = Some(origins[index + at]);
            break;
        }
        match kind {
            // `NATIONAL DENTEX CORPORATION ANNOUNCES` / `ACQUISITION OF DENTAL ART
            // LABORATORIES, INC.`: what a headline that cannot stop runs on into is the
            // headline, whatever it looks like alone.
            // `MOCON Announces Sales and Earnings` / `For Year Ending`: a line that opens on a
            // linking word goes on with the headline above it.
            HeaderBlock::Skip
                if title_above.is_some_and(|above| {
                    must_go_on(above) || opens_on_linking_word(&block.text)
                }) && !is_furniture(&block.text)
                    && !is_banner(&block.text)
                    && !block.text.chars().any(|c| c.is_ascii_digit()) =>
            {
                titles.push(index);
                index += 1;
            }
            HeaderBlock::Skip => {
                // `Perpetual Savings Bank` / `(419) 254-6182`: a title-like line over a phone
                // number is a contact's or the letterhead's.
                if title_above.is_some() && header::ends_with_phone(&block.text) {
                    titles.pop();
                }
                labelled_city = labelled_city.or_else(|| labelled_dateline(&block.text));
                index += 1;
                // `TSX:` / `PTQ`: a letterhead's listing with its symbol in a cell of its own.
                let listing = match pieces.get(index) {
                    Some(next) if block.text.ends_with(':') => {
                        format!("{} {}", block.text, next.text)
                    }
                    _ => block.text.clone(),
                };
                if header::is_listing_line(&listing) {
                    letterhead_listings.push(listing);
                }
            }
            HeaderBlock::Contact => {
                let (contact, used) = read_contact(&pieces[index..], document);
                if header
                    .contact
                    .as_ref()
                    .is_none_or(|found| found.name.is_none())
                {
                    unnamed_contact = contact.name.is_none().then_some(index);
                    header.contact = Some(contact);
                }
                index += used;
            }
            // `… For Year Ending` / `December 31, 2002`: the headline's date, not the release's.
            HeaderBlock::DateLine(_) if title_above.is_some_and(must_go_on) => {
                titles.push(index);
                index += 1;
            }
            HeaderBlock::DateLine(date) => {
                header.date_line.get_or_insert((block.line, date));
                titles_above_date.get_or_insert(titles.len());
                index += 1;
            }
            HeaderBlock::Title => {
                if block.after_page_break {
                    // A new page opens with a title: what came before was a cover page.
                    titles.clear();
                }
                if titles.is_empty() && index > 0 && names_the_subject(&pieces[index - 1], block) {
                    titles.push(index - 1);
                }
                titles.push(index);
                index += 1;
            }
            HeaderBlock::Lead(dateline) => {
                if dateline.is_none()
                    && let Some(at) = dateline_ahead(&pieces[index + 1..])
                {
                    // A summary paragraph set above the dateline.
                    index += 1 + at;
                    continue;
                }
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
            let after = titles.first().map_or(0, |&at| cut.origins[at] + 1);
            if after >= texts.len() {
                return Err(Diagnostic::line_error(
                    texts.last().map_or(document.first_line, |t| t.line),
                    "no paragraph of news: the document ends before any text of a release; is this a press release?",
                ));
            }
            header.dateline = header::dateline(&texts[after].text);
            after
        }
    };
    header.lead = lead;
    if header.dateline.is_none()
        && let Some(city) = labelled_city
    {
        header.dateline = Some(Dateline {
            city,
            date: None,
            rest: 0,
            strong: false,
        });
    }
    // A date line between title-like lines: those above it were the letterhead's
    // (`PRECISION` / `OPTICS CORPORATION EAST BROADWAY` / `September 20, 2006` / the headline).
    let mut at = titles;
    if let Some(above) = titles_above_date.filter(|&above| above > 0 && above < at.len()) {
        at.drain(..above);
    }
    let titles: Vec<&Text> = at.iter().map(|&at| &cut.pieces[at]).collect();
    // A headline or subtitle goes on only into the pieces right after it.
    let run_from = |first: usize| {
        let len = (first + 1..at.len())
            .take_while(|&next| at[next] == at[next - 1] + 1)
            .count();
        &titles[first..=first + len]
    };
    if let Some(chosen) = choose_headline(&titles, &at) {
        let (headline, used) = join_headline(run_from(chosen));
        header.headline = Some(without_banner_label(without_picture_note(&headline)).to_string());
        header.subtitle = (chosen + used < titles.len())
            .then(|| join_deck(run_from(chosen + used)))
            .filter(|subtitle| !starts_mid_sentence(subtitle));
    }
    header.listing_texts = letterhead_listings;
    header
        .listing_texts
        .extend(titles.iter().map(|t| t.text.clone()));
    Ok(header)
}

/// Among the next few pieces, the first that opens with a dateline beyond doubt (a wire
/// service, a date, a long dash), when one does.
fn dateline_ahead(pieces: &[Text]) -> Option<usize> {
    let mut others = 0;
    for (at, piece) in pieces.iter().enumerate() {
        if matches!(
            classify(piece, true),
            HeaderBlock::Lead(Some(Dateline { strong: true, .. }))
        ) {
            return Some(at);
        }
        // A list of highlights can be long; count only the paragraphs.
        if !text::starts_with_bullet(&piece.text) {
            others += 1;
            if others > 3 {
                return None;
            }
        }
    }
    None
}

/// A dateline that starts at the first of `pieces` and runs over the next few, each too short to
/// hold it: the dateline, with `rest` an offset into the piece the news starts in, and that
/// piece's index.
fn dateline_over_pieces(pieces: &[Text], title_above: Option<&str>) -> Option<(Dateline, usize)> {
    let in_shouted_title = title_above.is_some_and(is_upper_case);
    // `Prandium Announces the Resignation of Chairman and` / `CEO Kevin Relyea`: a headline
    // that cannot end where it stops goes on into the next piece, which opens no dateline.
    // (A semicolon ends a clause, and a dateline may follow one left by mistake.)
    if title_above.is_some_and(|title| must_go_on(title) && !title.ends_with(';')) {
        return None;
    }
    let first = pieces.first()?;
    let names_something = first.text.chars().any(char::is_alphanumeric);
    if !names_something || first.text.split_whitespace().count() > 16 || pieces.len() < 2 {
        return None;
    }
    // A line that is a whole dateline, the news starting on the next (`November 15, 2004 – New
    // York, New York`): the end of its line is its separator.
    let probe = format!("{} \u{2014} news", first.text);
    if let Some(dateline) = header::dateline(&probe)
        && dateline.rest >= first.text.len()
        && dateline.date.is_some()
        && pieces[1].text.split_whitespace().count() >= 8
    {
        return Some((
            Dateline {
                rest: 0,
                ..dateline
            },
            1,
        ));
    }
    let mut joined = String::new();
    let mut starts = Vec::new();
    for piece in pieces.iter().take(8) {
        if !joined.is_empty() {
            joined.push(' ');
        }
        starts.push(joined.len());
        joined.push_str(&piece.text);
    }
    let dateline = header::dateline(&joined)?;
    // `… Subject to Agreement` / `Provisions` / `— Verizon Issues Statement —`: under a
    // headline, one word and a dash are the headline's end, not a place, unless a date follows.
    let one_plain_word = !dateline.city.contains(' ')
        && dateline.city.chars().any(char::is_lowercase)
        && first.text.split_whitespace().count() == 1;
    if title_above.is_some() && one_plain_word && dateline.date.is_none() {
        return None;
    }
    // `THE STRIDE RITE CORPORATION` / `MAY 26, 2006`: a letterhead's name over its date line.
    if header::is_organisation(&dateline.city, "") {
        return None;
    }
    // The city is in the first piece, or starts there with one word (`Basking` / `Ridge, N.J.`).
    let first_words = first.text.trim_end_matches([',', ' ']).to_lowercase();
    let city = dateline.city.to_lowercase();
    let same_case_after = |first: &str| {
        let next = joined[starts[1]..].split_whitespace().next().unwrap_or("");
        let shouted = |word: &str| !word.chars().any(char::is_lowercase);
        !(in_shouted_title && shouted(first)) && shouted(first) == shouted(next)
    };
    let dated_first = first.text.starts_with('(') || find_date_at_start(&first.text);
    let city_in_first = dated_first
        || first_words.starts_with(&city)
        || (!first_words.contains(' ')
            && city.starts_with(&format!("{first_words} "))
            && same_case_after(first.text.trim()));
    if !city_in_first {
        return None;
    }
    let at = starts.iter().rposition(|&start| start <= dateline.rest)?;
    let words_before_news = joined[..dateline.rest].split_whitespace().count();
    (at > 0 && words_before_news <= 16 && dateline.rest < joined.len()).then(|| {
        let rest = dateline.rest - starts[at];
        (Dateline { rest, ..dateline }, at)
    })
}

fn find_date_at_start(text: &str) -> bool {
    header::find_date(text).is_some_and(|(_, range)| range.start == 0)
}

/// How many pieces past the one being read the header's reading may look at.
const LOOK_AHEAD: usize = 24;

/// The blocks above the news, each cut where a line opens a contact or dates the release
/// (`Date: January 26, 1998` typed directly above `Contact: …`), with the index of the block
/// each piece came from. Cut as the reading reaches them: the header is a few blocks of the
/// release's first sixty, and cutting is a look at every line.
struct HeaderPieces<'t> {
    texts: &'t [&'t Text],
    pieces: Vec<Text>,
    origins: Vec<usize>,
    next: usize,
}

impl<'t> HeaderPieces<'t> {
    fn new(texts: &'t [&'t Text]) -> HeaderPieces<'t> {
        HeaderPieces {
            texts,
            pieces: Vec::new(),
            origins: Vec::new(),
            next: 0,
        }
    }

    /// Cuts blocks until there are `count` pieces, or no more blocks of the header's sixty.
    fn reach(&mut self, count: usize) {
        while self.pieces.len() < count && self.next < self.texts.len().min(60) {
            self.cut(self.next);
            self.next += 1;
        }
    }

    fn cut(&mut self, origin: usize) {
        let block = self.texts[origin];
        let cuts: Vec<usize> = (1..block.lines.len())
            .filter(|&at| opens_piece(&block.lines, at))
            .collect();
        if cuts.is_empty() {
            self.pieces.push(block.clone());
            self.origins.push(origin);
            return;
        }
        let starts = std::iter::once(0).chain(cuts.iter().copied());
        let ends = cuts
            .iter()
            .copied()
            .chain(std::iter::once(block.lines.len()));
        for (start, end) in starts.zip(ends) {
            let lines = block.lines[start..end].to_vec();
            self.pieces.push(Text {
                line: lines[0].0,
                text: lines
                    .iter()
                    .map(|(_, l)| l.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                lines,
                ..block.clone()
            });
            self.origins.push(origin);
        }
    }
}

/// Whether line `at` (not the first) of a block opens a piece of its own: a contact's label, a date line, or,
/// in the block's first lines, what is typed under a headline without a blank line (a time, a
/// deck between dashes, a dateline).
fn opens_piece(lines: &[(usize, String)], at: usize) -> bool {
    let line = lines[at].1.as_str();
    let may_open = line.len() <= 100
        && (line.contains(':')
            || line.bytes().any(|b| b.is_ascii_digit())
            || header::contains_ignoring_case(line, "contact"));
    let labelled =
        may_open && (header::contact_label(line).is_some() || header::date_line(line).is_some());
    let near_top = at <= 4
        && (header::is_time_line(&lines[at - 1].1)
            || header::is_time_line(line)
            || is_dashed_deck(line)
            || (line.len() <= 60 && !starts_mid_sentence(line) && is_banner(line))
            || opens_dateline(&lines[at..])
            || opens_deck(lines, at));
    labelled || near_top
}

/// `Aéropostale Announces Termination of Chief Merchandising Officer` / `Julian Geiger Assumes
/// … for New Chief` / `Merchandising Officer` typed as one block: a headline line that says
/// something whole, broken where the next line's first word would still have fitted within the
/// widest line so far, so the break was the writer's, not the wrap's; the next line is the
/// deck. (The headline's own width, not the page's: a headline set in a larger type wraps
/// sooner, and the news below it may be one long line.)
fn opens_deck(lines: &[(usize, String)], at: usize) -> bool {
    let before = lines[at - 1].1.as_str();
    let line = lines[at].1.as_str();
    // A sentence's line, or one going on from it, opens no deck: most lines, spared the rest.
    if ends_with_full_stop(before) || before.ends_with([',', ';', ':']) || starts_mid_sentence(line)
    {
        return false;
    }
    let first_word = line.split_whitespace().next().unwrap_or("");
    let width = lines[..=at]
        .iter()
        .map(|(_, l)| l.chars().count())
        .max()
        .unwrap_or(0);
    let would_fit = before.chars().count() + 1 + first_word.chars().count() <= width;
    // Typed capitals are broken by hand, for balance; two lines each stating something are two
    // statements (`… INCREASED 11.6% TO $24.6 MILLION` / `DEBT REDUCED BY OVER $90 MILLION …`).
    let shouted_statements =
        !would_fit && is_upper_case(before) && is_upper_case(line) && states_something(line);
    if !(would_fit || shouted_statements)
        || LINKING_WORDS.contains(&first_word.to_lowercase().as_str())
    {
        return false;
    }
    let so_far = lines[..at]
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    so_far.split_whitespace().count() <= 30
        && states_something(&so_far)
        && !runs_into(&so_far, line)
}

/// `BEIJING,` / `July 21, 2008 (PRIME NEWSWIRE) -- …`, `Radnor, PA (September 24, 2008) –`
/// typed straight under the headline: a line that opens with a city and a comma, and a
/// dateline beyond doubt (dated, when the city is not in capitals).
fn opens_dateline(lines: &[(usize, String)]) -> bool {
    let first = lines[0].1.trim_start();
    let city = first.split(',').next().unwrap_or("");
    let may_be_city = first.contains(',')
        && city.len() >= 3
        && city.split_whitespace().count() <= 3
        && city.starts_with(|c: char| c.is_uppercase());
    if !may_be_city {
        return false;
    }
    let shouted = city
        .chars()
        .all(|c| c.is_uppercase() || c == ' ' || c == '.');
    // A city not in capitals is taken only with a date: no digit, no date.
    let digit_near = || {
        lines
            .iter()
            .take(3)
            .any(|(_, line)| line.bytes().any(|b| b.is_ascii_digit()))
    };
    if !shouted && !digit_near() {
        return false;
    }
    let joined: String = lines
        .iter()
        .take(3)
        .map(|(_, line)| line.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    header::dateline(&joined).is_some_and(|dateline| {
        dateline.strong && !dateline.city.is_empty() && (shouted || dateline.date.is_some())
    })
}

/// The dashes a deck is set off by: em and en.
const DASHES: [char; 2] = ['\u{2014}', '\u{2013}'];

/// `— Company secures capital needed for SFP clinical development —`: a deck set off by dashes
/// on a line of its own.
fn is_dashed_deck(line: &str) -> bool {
    let line = line.trim();
    (line.starts_with(DASHES) && line.ends_with(DASHES))
        || (line.starts_with("--") && line.ends_with("--") && line.len() > 4)
}

fn classify(block: &Text, has_title: bool) -> HeaderBlock {
    let text = block.text.as_str();
    if is_furniture(text) || is_end_mark(text) {
        return HeaderBlock::Skip;
    }
    // `For Immediate Release: November 22, 2024` dates the release, banner or not.
    if let Some(date) = header::date_line(text) {
        return HeaderBlock::DateLine(date);
    }
    if is_banner(text) {
        return HeaderBlock::Skip;
    }
    if block
        .lines
        .first()
        .is_some_and(|(_, line)| header::contact_label(line).is_some())
        || header::is_unlabelled_contact(&block.lines)
    {
        return HeaderBlock::Contact;
    }
    if is_label_value(text)
        || header::is_listing_line(text)
        || header::is_market_name(text)
        || header::is_role_of_a_part(text)
    {
        return HeaderBlock::Skip;
    }
    let words = text.split_whitespace().count();
    if !block.heading
        && words >= 4
        && let Some(dateline) = header::dateline(text)
        && (words >= 8 || opens_news_briefly(text, &dateline))
    {
        return HeaderBlock::Lead(Some(dateline));
    }
    if is_filing_apparatus(text) {
        return HeaderBlock::Skip;
    }
    if text::starts_with_bullet(text) {
        // Highlights listed between the headline and the dateline.
        return HeaderBlock::Skip;
    }
    if has_title && !block.heading && words >= 25 && text::ends_sentence(text) {
        return HeaderBlock::Lead(None);
    }
    if looks_like_title(block, has_title) {
        HeaderBlock::Title
    } else {
        HeaderBlock::Skip
    }
}

/// `BIRMINGHAM, Ala.--(BUSINESS WIRE)--ProAssurance (NYSE: PRA):`: a short block that a wire's
/// or a dated dateline opens, with news after it, is the news's start.
fn opens_news_briefly(text: &str, dateline: &Dateline) -> bool {
    let news_follows = text
        .get(dateline.rest..)
        .is_some_and(|news| !news.trim().is_empty());
    dateline.strong
        && news_follows
        && (dateline.date.is_some() || header::contains_ignoring_case(text, "wire"))
}

/// `Dateline: Fergus Falls, Minnesota`: the dateline given as a label's value, the news
/// starting without one.
fn labelled_dateline(text: &str) -> Option<String> {
    let (label, place) = text.split_once(':')?;
    if !label.trim().eq_ignore_ascii_case("dateline") {
        return None;
    }
    let city = place.split(',').next()?.trim();
    (!city.is_empty() && city.split_whitespace().count() <= 4).then(|| city.to_string())
}

/// `Symbol: GENG`, `Traded: OTCBB`: a letterhead's short label and value.
fn is_label_value(text: &str) -> bool {
    text.split_whitespace().count() <= 4
        && text
            .split_once(':')
            .is_some_and(|(label, value)| !label.trim().is_empty() && !value.trim().is_empty())
}

/// `News Release`, `PRESS RELEASE`, `For Immediate Release`, `Investor Relations`, `NEWS`: the
/// printed page's labels, never a headline.
fn is_banner(text: &str) -> bool {
    if is_document_label(text) {
        return true;
    }
    // `Company Contact:` is a contact's label; `Company Contact` alone, a page's.
    if text.len() > 60 || (text.ends_with(':') && header::contact_label(text).is_some()) {
        return false;
    }
    let lower = text
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let lower = text::collapse_spaces(&lower);
    matches!(
        lower.as_str(),
        "news"
            | "news release"
            | "press release"
            | "press releases"
            | "news releases"
            | "for immediate release"
            | "immediate release"
            | "investor relations"
            | "media relations"
            | "news announcement"
            | "company contact"
            | "for release"
            | "immediately"
            | "release immediately"
            | "release"
            | "graphic"
            | "logo"
            | "exhibit"
            | "news for immediate release"
            | "press announcement"
            | "earnings release"
    ) || lower.starts_with("exhibit 99")
        || names_the_release(&lower)
        || (lower.split_whitespace().count() <= 4
            && ["release", "announcement"]
                .iter()
                .any(|word| lower.ends_with(word)))
        || (text.starts_with('[') && text.ends_with(']'))
        || header::is_weekday(&lower)
        || lower.starts_with("exhibit 20")
        || lower.starts_with("for immediate release")
        || (lower.split_whitespace().count() <= 8
            && (lower.contains("for immediate ") || lower.starts_with("for release ")))
        || header::is_time_line(text)
        || is_picture_name(text)
        || names_the_page(&lower)
        || is_wire_desk(&lower)
}

/// `News From Arch Coal`, `News Release for December 16, 2014`, `Press release of Flushing
/// Financial Corporation, dated May 19, 2004`: a line that says what the document is.
fn names_the_release(lower: &str) -> bool {
    let words = lower.split_whitespace().count();
    [
        "news from ",
        "news release for ",
        "news release of ",
        "press release of ",
        "press release for ",
        "press release dated ",
        "news release dated ",
    ]
    .iter()
    .any(|opening| lower.starts_with(opening))
        && words <= 12
        && !text::has_headline_verb(lower)
}

/// `Business Editors`, `Business and Financial Editors`, `Health/Medical Editors`: the desks a
/// wire addresses a release to.
fn is_wire_desk(lower: &str) -> bool {
    lower.split_whitespace().count() <= 6
        && (lower.ends_with(" editors") || lower.ends_with(" writers"))
}

/// `Exhibit 99.1 - News Release of Acme, Inc. dated June 26, 2019`, `EX-99.A 2 dex99a.htm
/// REGISTRANT'S PRESS RELEASE`, `(Acme Logo)`: what names the document or its picture, however
/// long.
fn is_document_label(text: &str) -> bool {
    let head = text.trim_start();
    let opens = |prefix: &str| {
        head.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    let words = || head.split_whitespace().count();
    ((opens("exhibit 99") || opens("ex-99") || opens("press release source")) && words() <= 20)
        // `[News Release Letterhead of Cross Timbers Royalty Trust Appears Here]`
        || (head.starts_with('[') && head.trim_end().ends_with(']') && words() <= 20)
        || (head.starts_with('(')
            && head.ends_with(')')
            && (header::contains_ignoring_case(head, "logo")
                || header::contains_ignoring_case(head, "graphic"))
            && words() <= 8)
}

/// `a1a.jpg`: the file name of a logo, where the picture was.
fn is_picture_name(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    !lower.contains(' ')
        && [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".svg"]
            .iter()
            .any(|extension| lower.ends_with(extension))
}

/// `MADISON BANCSHARES, INC. PRESS RELEASE`, `NEWS FROM LAKELAND FINANCIAL CORPORATION`: the
/// company's name and the page's label (`lower`: the text in lower case).
fn names_the_page(lower: &str) -> bool {
    let name = lower
        .strip_suffix(" press release")
        .or_else(|| lower.strip_suffix(" news release"))
        .or_else(|| lower.strip_prefix("news from "));
    name.is_some_and(|name| {
        name.split_whitespace().count() <= 6 && header::is_organisation(name.trim(), "")
    })
}

/// The 8-K's own words around a release typed into it: `Item 5. Other Events`, `On January 26,
/// 1998, the Registrant issued the following press release:`.
fn is_filing_apparatus(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.starts_with("item ") && lower.chars().nth(5).is_some_and(|c| c.is_ascii_digit())
        // `Exhibit 99.01 to Eastman Chemical Company Current Report on Form 8-K Dated …`: the
        // exhibit's description, as the filer typed it above the release.
        || (lower.starts_with("exhibit")
            && (lower.contains("current report") || lower.contains("form 8-k")))
        || (text.ends_with(':')
            && (lower.contains("press release")
                || lower.contains("news release")
                || lower.contains("registrant")))
}

/// A headline or subtitle: words, mostly letters, no phone number or address, not a lone
/// company name, not a lead-in to a list (`Highlights:`). After the headline, a long sentence
/// is prose, not a subtitle; the first candidate may be a headline written as a sentence.
fn looks_like_title(block: &Text, has_title: bool) -> bool {
    let text = block.text.as_str();
    let words = text.split_whitespace().count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    (1..=60).contains(&words)
        && letters >= 4
        && !header::is_sub_label(text)
        && !(has_title && words >= 12 && ends_with_full_stop(text))
        && !(header::contains_ignoring_case(text, "contact") && digits >= 7)
        && !header::ends_with_phone(text)
        && !ends_with_area_code(text)
        && (!text.ends_with(':') || text::has_headline_verb(text))
        && !(words == 1 && is_small_ending(&text.to_lowercase()))
        && digits * 2 < letters
        && !text.contains('@')
        && !text.contains("www.")
        && !text.contains("http")
        && !header::is_person_name(text)
        && !names_people(text)
        && !header::is_only_role(text)
        && !is_letterhead(text)
}

/// `For Immediate Release: MGP Ingredients Board Declares Dividend`: the page's banner set as
/// the headline's label.
fn without_banner_label(headline: &str) -> &str {
    match headline.split_once(':') {
        Some((label, rest)) if is_banner(label) && rest.split_whitespace().count() >= 3 => {
            rest.trim()
        }
        _ => headline,
    }
}

/// `[inTEST News Release Letterhead] inTEST ANNOUNCES …`: what a filer wrote in place of a
/// picture, set before the headline.
fn without_picture_note(headline: &str) -> &str {
    match headline
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
    {
        Some((note, rest)) if note.len() <= 80 && rest.split_whitespace().count() >= 3 => {
            rest.trim()
        }
        _ => headline,
    }
}

/// `Joele Frank and Sharon Stern`, `Cindy Demers – Corporate and Government Affairs`, `Jane
/// Doe / John Roe`, `Anthony E. Burke Thomas R. Cangemi`: people, with their roles, as a
/// contact block sets them; a headline names people only with what happened to them.
fn names_people(text: &str) -> bool {
    if text.split_whitespace().count() > 12 || text::has_headline_verb(text) {
        return false;
    }
    let parts: Vec<&str> = text
        .split(['/', ',', '\u{2013}', '\u{2014}', ';'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    let people = |part: &str| {
        header::is_person_name(part)
            || two_names(part)
            || part
                .split_once(" and ")
                .is_some_and(|(a, b)| plain_name(a.trim()) && plain_name(b.trim()))
    };
    let first_is_people = parts.first().is_some_and(|first| people(first));
    (parts.len() == 1 && !header::is_person_name(parts[0]) && first_is_people)
        || (parts.len() >= 2
            && first_is_people
            && parts[1..].iter().all(|part| {
                people(part) || header::is_role(part) || header::is_organisation(part, "")
            }))
}

/// `Anthony E. Burke Thomas R. Cangemi`: two people's names set side by side.
fn two_names(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (4..=8).contains(&words.len())
        && (2..=words.len() - 2)
            .any(|at| plain_name(&words[..at].join(" ")) && plain_name(&words[at..].join(" ")))
}

/// A person's name as a contact block pairs it with another: two words, or more with an initial
/// in them (`Anthony E. Burke`). Three capitalised words alone are as often a phrase
/// (`Wheeling Island Racetrack and Gaming Center Update`, `Arch Coal Idles Cumberland River
/// Coal Complex`).
fn plain_name(part: &str) -> bool {
    header::is_person_name(part)
        && (part.split_whitespace().count() == 2 || part.split_whitespace().any(header::is_initial))
}

/// `William J. McGurk, President & Chief Executive Officer (860)`: a contact line whose phone
/// number goes on on the next line.
fn ends_with_area_code(text: &str) -> bool {
    text.trim_end().rsplit_once('(').is_some_and(|(_, code)| {
        code.len() == 4 && code[..3].bytes().all(|b| b.is_ascii_digit()) && code.ends_with(')')
    })
}

/// `due to`, `prior to`, `pursuant to`: words before which `to` is a preposition, not an
/// infinitive's.
const BEFORE_TO_AS_PREPOSITION: &[&str] = &[
    "due",
    "prior",
    "pursuant",
    "according",
    "related",
    "relating",
    "up",
    "compared",
    "close",
    "next",
];

/// Verbs that make a clause of a headline line but are nouns as often (`Plans`, `Yields`) or
/// need no object, so that a line ending on one may be whole.
const CLAUSE_VERBS: &[&str] = &[
    "yields",
    "plans",
    "shows",
    "meets",
    "delivers",
    "reaches",
    "exceeds",
    "begins",
    "increased",
    "rose",
    "grew",
    "improved",
    "reduced",
    "declined",
    "decreased",
    "fell",
    "doubled",
    "exceeded",
    "totaled",
    "continues",
    // A passive clause's participle: `PLANNED MERGER APPROVED BY SHAREHOLDERS`.
    "approved",
    "ratified",
    "completed",
    "declared",
    "awarded",
    "selected",
    "remains",
];

/// `JOHN L. NUSSBAUM TO RETIRE AS CHAIRMAN`, `DEAN A. FOATE ELECTED AS SUCCESSOR`: a clause of its
/// own, with a headline's verb or an infinitive after its subject.
fn states_something(text: &str) -> bool {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    text::has_headline_verb(text)
        || words
            .iter()
            .any(|word| CLAUSE_VERBS.contains(&word.as_str()))
        || words.windows(3).any(|three| {
            three[1] == "to"
                && !BEFORE_TO_AS_PREPOSITION.contains(&three[0].as_str())
                && three[2].chars().all(char::is_alphabetic)
                && !DETERMINERS.contains(&three[2].as_str())
        })
}

/// `the third quarter of 2009 …`: a wrapped line's second half (a first word in lower case;
/// `eBay` and `iPhone` start headlines).
fn starts_mid_sentence(text: &str) -> bool {
    text.split_whitespace().next().is_some_and(|word| {
        word.starts_with(|c: char| c.is_lowercase()) && !word.chars().any(char::is_uppercase)
    })
}

/// A company name alone or an address line: `HemaCare Corporation`, `21101 Oxnard Street`.
fn is_letterhead(text: &str) -> bool {
    let words = text.split_whitespace().count();
    // `Global Power · 400 E Las Colinas Blvd., Suite 400 · Irving, TX 75039`: the letterhead's
    // pieces run together, one of them an address.
    let lower = text.to_lowercase();
    let post_box = lower.starts_with("p.o. box")
        || lower.starts_with("po box")
        || (words <= 16 && (lower.contains("post office box") || lower.contains(" p.o. box")));
    // `Queensland 4066 Australia`: a place and its post code, saying nothing.
    let post_code = words <= 6
        && text.split_whitespace().any(|word| {
            (4..=6).contains(&word.len())
                && word.bytes().all(|b| b.is_ascii_digit())
                && !(word.len() == 4 && (word.starts_with("19") || word.starts_with("20")))
        });
    let address = post_box
        || words <= 16
            && text.split(['·', '•', '|']).any(|piece| {
                let piece = piece.trim();
                piece.starts_with(|c: char| c.is_ascii_digit())
                    && piece.split_whitespace().count() <= 14
                    && piece
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|word| ADDRESS_WORDS.contains(&word))
            });
    // `Newark, NJ 07102`, `Gardner, Massachusetts 01440-3338`, `Montréal, QC H3B 2C6`: a
    // place and its postal code.
    static ZIP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r",\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?\s+(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b")
            .expect("built-in pattern is valid")
    });
    // `West Sussex, RH16 3EN`, `Toronto, ON, M5K 1H1 Canada`: a British or Canadian postcode.
    static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b")
            .expect("built-in pattern is valid")
    });
    // `Cimarex Energy Co. 1700 Lincoln Street, Suite 1800`: a street number and its street.
    let street = text.bytes().any(|b| b.is_ascii_digit())
        && text
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(4)
            .any(|four| {
                four[0].len() >= 2
                    && four[0].bytes().all(|b| b.is_ascii_digit())
                    && four[1..]
                        .iter()
                        .any(|word| ADDRESS_WORDS.contains(&word.trim_end_matches([',', '.'])))
            });
    let address =
        address || (words <= 20 && ZIP.is_match(text)) || (words <= 8 && POSTCODE.is_match(text));
    let says_something = text::has_headline_verb(text)
        || text.split_whitespace().any(|word| {
            ["to", "for", "with", "on", "in", "acquire"]
                .iter()
                .any(|small| small.eq_ignore_ascii_case(word))
        });
    (words <= 6 && header::is_organisation(text, "") && !says_something)
        || address
        || ((post_code || street) && !says_something)
}

const ADDRESS_WORDS: &[&str] = &[
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Suite",
    "Boulevard",
    "Blvd",
    "Drive",
    "Floor",
    "Way",
    "Lane",
    "Parkway",
    "Pkwy",
    "Plaza",
    "Place",
    "Court",
    "Circle",
    "Highway",
    "Square",
    "Center",
    "Centre",
    "Tower",
    "Terrace",
    "Turnpike",
    "Pike",
    "Trail",
    "STREET",
    "AVENUE",
    "ROAD",
    "SUITE",
    "BOULEVARD",
    "DRIVE",
];

/// The headline among the title-like blocks above the news: the first one set as a heading
/// (bold, centred capitals) when any is, else the first of three words or more or that runs
/// on into the next piece (a word or two alone is a logo's line, `Polymer` / `Group, Inc.`),
/// else the first. `at` is each title's index among the header's pieces.
fn choose_headline(titles: &[&Text], at: &[usize]) -> Option<usize> {
    // `Tidelands Royalty Trust “B”` / `News Release` / `TIDELANDS ROYALTY TRUST “B”` /
    // `ANNOUNCES …`: a name that a later title begins with is the letterhead's.
    let repeated_later = |i: usize| {
        let name = titles[i].text.to_lowercase();
        titles[i + 1..]
            .iter()
            .any(|later| later.text.to_lowercase().starts_with(&name))
    };
    let long_enough = |t: &Text| t.text.split_whitespace().count() >= 3;
    let runs_on = |i: usize| at.get(i + 1) == Some(&(at[i] + 1));
    let heading = titles.iter().position(|t| t.heading && long_enough(t));
    // `GENESCO ANNOUNCES JOURNEYS GROUP` / the heading `PRESIDENT MARIO GALLIONE TO RETIRE`:
    // a heading's first line can be set plainer than the rest.
    let heading = heading.map(|mut at_heading| {
        while at_heading > 0
            && runs_on(at_heading - 1)
            && runs_into(&titles[at_heading - 1].text, &titles[at_heading].text)
        {
            at_heading -= 1;
        }
        at_heading
    });
    // `A Leading Manufacturer of Protective` / `Materials for High Reliability Applications`:
    // the letterhead's motto, and the pieces it runs on into.
    let mut in_motto = vec![false; titles.len()];
    for i in 0..titles.len() {
        in_motto[i] = if i > 0 && in_motto[i - 1] {
            runs_on(i - 1)
                && !states_something(&titles[i].text)
                && is_upper_case(&titles[i].text) == is_upper_case(&titles[i - 1].text)
        } else {
            is_motto(&titles[i].text) && i + 1 < titles.len()
        };
    }
    heading
        .or_else(|| {
            (0..titles.len()).find(|&i| {
                !in_motto[i] && ((long_enough(titles[i]) && !repeated_later(i)) || runs_on(i))
            })
        })
        .or_else(|| (!titles.is_empty()).then_some(0))
}

/// `A Leading Manufacturer of …`: a noun phrase with an indefinite article that states nothing,
/// as a letterhead's motto is written.
fn is_motto(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    (first.eq_ignore_ascii_case("a") || first.eq_ignore_ascii_case("an"))
        && !states_something(text)
        && !text.chars().any(|c| c.is_ascii_digit())
}

/// A headline set over several blocks (lines of a table cell, `<p>`s, typed lines): the
/// blocks that continue it, because the part before ends on a word no headline ends on (`of`,
/// `to`, `and`) or is too short to be a headline, or because both parts are in capitals.
/// Returns the headline and how many blocks it took.
fn join_headline(titles: &[&Text]) -> (String, usize) {
    join_while(titles, runs_into)
}

/// The first piece joined with the pieces after it while `goes_on(joined so far, next)`, and
/// how many pieces that took.
fn join_while(pieces: &[&Text], goes_on: impl Fn(&str, &str) -> bool) -> (String, usize) {
    let mut joined = pieces[0].text.clone();
    let mut used = 1;
    while let Some(next) = pieces.get(used) {
        if !goes_on(&joined, &next.text) {
            break;
        }
        joined.push(' ');
        joined.push_str(&next.text);
        used += 1;
    }
    (joined, used)
}

/// The deck's first line and the lines it runs on into, up to a line that makes a statement
/// of its own after one already made: `Joe Wright Appointed President` / `Expands Deep Bench of
/// …` are two deck lines, the first the subtitle.
fn join_deck(decks: &[&Text]) -> String {
    let second_statement = |deck: &str, next: &str| {
        !must_go_on(deck) && states_something(deck) && states_something(next)
    };
    join_while(decks, |deck, next| {
        runs_into(deck, next) && !second_statement(deck, next)
    })
    .0
}

/// A headline line that cannot be the end of its headline: it stops on a small word (`of`,
/// `and`), a comma or semicolon, a verb that wants its object (`ANNOUNCES`) or an infinitive's
/// verb, or it opens a deck's dash that it does not close.
fn must_go_on(headline: &str) -> bool {
    let last = headline
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_lowercase();
    // `— Former U.S. Air Force Leader … Becomes` / `Company’s Tenth … Director —`: a deck
    // whose opening dash is not yet closed.
    let open_dash = headline.starts_with(DASHES) && !headline.ends_with(DASHES);
    // `… for the Quarter Ended` / `June 30, 2001`: a period's end, its date to come.
    is_small_ending(&last)
        || matches!(last.as_str(), "ended" | "ending")
        || headline.ends_with([',', ';'])
        || open_dash
        || (text::is_headline_verb(&last) && !needs_no_object(&last))
        || ends_on_infinitive(headline)
}

/// `For Year Ending`, `and Earnings`: a line whose first word links it to the line above.
fn opens_on_linking_word(text: &str) -> bool {
    text.split_whitespace()
        .next()
        .is_some_and(|word| LINKING_WORDS.contains(&word.to_lowercase().as_str()))
}

/// Verbs a headline can end on, as they take no object: `Long Time ResCare Board Member
/// Retires`, `… Chairman and CEO to Retire`. `word` in lower case, in any person.
fn needs_no_object(word: &str) -> bool {
    const WHOLE: &[&str] = &[
        "retire", "resign", "depart", "die", "close", "merge", "relocate",
    ];
    WHOLE.contains(&word)
        || word
            .strip_suffix('s')
            .is_some_and(|base| WHOLE.contains(&base))
}

/// Whether a headline's next block goes on with it (see [`join_headline`]).
fn runs_into(headline: &str, next: &str) -> bool {
    let words = headline.split_whitespace().count();
    let continues = must_go_on(headline)
        || headline.ends_with(':')
        || ends_inside_noun_phrase(headline)
        || (opens_mid_phrase(next) && !second_predicate(headline, next))
        || words <= 4
        || (is_upper_case(headline)
            && is_upper_case(next)
            && !(states_something(headline) && states_something(next)))
        || next.starts_with(|c: char| c.is_lowercase())
        || next.split_whitespace().count() <= 2
        || names_a_period_for(headline, next);
    // `Wolverine World Wide, Inc.` / `Announces …`: `Inc.` ends no sentence; nor does a
    // closing quote without a stop before it (`TIDELANDS ROYALTY TRUST “B”` / `ANNOUNCES …`).
    let unquoted = headline.trim_end().trim_end_matches(['"', '\u{201d}', ')']);
    let quoted_word =
        unquoted.len() < headline.trim_end().len() && !unquoted.ends_with(['.', '!', '?']);
    let ends_sentence = text::ends_sentence(headline)
        && !quoted_word
        && (!headline.ends_with('.') || ends_with_full_stop(headline));
    continues && !ends_sentence && words + next.split_whitespace().count() <= 30
}

/// `Dillard's, Inc. Reports Record Fourth Quarter` / `Earnings per Share of $1.21`: a headline
/// line that stops on the period its figures are for, the figures' noun opening the next.
fn names_a_period_for(headline: &str, next: &str) -> bool {
    const PERIODS: &[&str] = &[
        "quarter",
        "quarterly",
        "year",
        "year-end",
        "annual",
        "fiscal",
    ];
    const FIGURES: &[&str] = &[
        "earnings", "results", "sales", "revenue", "revenues", "net", "income", "loss", "profit",
    ];
    let last = headline.split_whitespace().last().unwrap_or("");
    let first = next.split_whitespace().next().unwrap_or("");
    PERIODS.contains(&last.to_lowercase().as_str())
        && FIGURES.contains(&first.to_lowercase().as_str())
}

/// `AMERICAN LEARNING CORPORATION` / `REPORTS SECOND QUARTER RESULTS`: a company name typed
/// on the line above a headline that opens with its verb is the headline's subject.
fn names_the_subject(before: &Text, title: &Text) -> bool {
    let verb = title
        .text
        .split_whitespace()
        .next()
        .is_some_and(text::is_headline_verb);
    verb && before.text.split_whitespace().count() <= 6
        && !before.text.contains(['@', ':'])
        && !before.text.starts_with(|c: char| c.is_ascii_digit())
        && before.text.chars().any(char::is_alphabetic)
        && !is_banner(&before.text)
        && !is_furniture(&before.text)
}

/// `Independence Air Parent Company To Officially Change` / `Corporate Name …`: a headline
/// line that stops on an infinitive's verb has its object on the next.
fn ends_on_infinitive(headline: &str) -> bool {
    let words: Vec<&str> = headline.split_whitespace().rev().take(3).collect();
    let to_at = |at: usize| words.get(at).is_some_and(|w| w.eq_ignore_ascii_case("to"));
    words.len() >= 2
        && words[0].chars().all(char::is_alphabetic)
        && !needs_no_object(&words[0].to_lowercase())
        && (to_at(1) || (to_at(2) && words[1].ends_with("ly")))
}

/// `… Complete the Planned` / `Transition …`: a headline line that stops one word after an
/// article or possessive has cut its noun phrase in two.
fn ends_inside_noun_phrase(headline: &str) -> bool {
    let words: Vec<&str> = headline.split_whitespace().collect();
    words.len() >= 3 && DETERMINERS.contains(&words[words.len() - 2].to_lowercase().as_str())
}

/// `Primus Reports First Quarter 2003 Results` / `Announces 50 Percent … Growth`: a line that
/// opens with a verb after a headline whose last clause has its own is a second statement, the
/// deck. The verb opens a continuation after a subject alone (`AMERICAN LEARNING CORPORATION` /
/// `REPORTS …`, `… Will Be Delayed; Company` / `Releases …`).
fn second_predicate(headline: &str, next: &str) -> bool {
    let last_clause = headline.rsplit(';').next().unwrap_or(headline);
    next.split_whitespace()
        .next()
        .is_some_and(text::is_headline_verb)
        && states_something(last_clause)
}

/// `Agreement, Funding, …`, `B. Given Named …`, `Releases Preliminary Results`, `and Chief
/// Executive Officer`, `Until March 18, 2005 to Vote …`: a line that opens with a word the line
/// before must have begun (a list continued, a name's initial, the verb of the subject above,
/// a conjunction).
fn opens_mid_phrase(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let initial = first.len() == 2
        && first.starts_with(|c: char| c.is_ascii_uppercase())
        && first.ends_with('.');
    let lower = first.to_lowercase();
    // `FLYi, Inc. Will Replace …`: a company's name and its suffix, not a list going on.
    let company = text
        .split_whitespace()
        .nth(1)
        .is_some_and(|suffix| header::is_organisation(&format!("{first} {suffix}"), ""));
    initial
        || (first.ends_with(',') && first.len() > 2 && !company)
        || text::is_headline_verb(first)
        || LINKING_WORDS.contains(&lower.as_str())
}

/// Prepositions and conjunctions: a headline line does not end on one, and a deck does not open
/// with one (`Neenah Paper to Close Fine Paper Plant` / `Following Fox River Purchase`, `…
/// Record Earnings` / `for the Third Quarter` are each one headline).
const LINKING_WORDS: &[&str] = &[
    "and",
    "&",
    "or",
    "nor",
    "of",
    "to",
    "until",
    "for",
    "in",
    "on",
    "at",
    "by",
    "with",
    "as",
    "from",
    "into",
    "over",
    "under",
    "after",
    "before",
    "through",
    "during",
    "via",
    "versus",
    "vs.",
    "than",
    "amid",
    "per",
    "about",
    "between",
    "against",
    "toward",
    "towards",
    "following",
    "including",
    "regarding",
    "concerning",
];

/// Articles and possessives: what opens a noun phrase.
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "their", "our"];

/// Whether `word` (lower case) is one a headline line cannot end on: a linking word, an article
/// or a possessive.
fn is_small_ending(word: &str) -> bool {
    LINKING_WORDS.contains(&word) || DETERMINERS.contains(&word)
}

/// The contact from a labelled block and the short blocks that continue it (each line of an
/// HTML contact can be a block of its own). Returns the contact and how many blocks it took.
fn read_contact(texts: &[Text], document: &Document) -> (Contact, usize) {
    let company = document.filing.company.as_deref().unwrap_or("");
    let mut lines: Vec<String> = Vec::new();
    let mut used = 0;
    for (index, block) in texts.iter().enumerate() {
        if index > 0 && index <= 8 && is_banner(&block.text) {
            // `Contact:` / `News release – for immediate release` / `Daniel W. Muehl`: the
            // page's label set between a contact's label and its lines.
            used += 1;
            continue;
        }
        if index > 0
            && (index > 8
                || header::contact_label(&block.text).is_some()
                || header::date_line(&block.text).is_some()
                || !block.lines.iter().all(|(_, line)| {
                    header::is_contact_line(line, company)
                        || header::is_sub_label(line)
                        || (index == 1 && header::is_shouted_name(line))
                }))
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

/// The lines of the contact lines that open `pieces`, up to six pieces: what an unlabelled
/// contact set a line to a piece would hold.
fn contact_lines_from(pieces: &[Text], company: &str) -> Vec<(usize, String)> {
    pieces
        .iter()
        .take(6)
        .take_while(|piece| {
            piece
                .lines
                .iter()
                .all(|(_, line)| header::is_contact_line(line, company))
        })
        .flat_map(|piece| piece.lines.iter().cloned())
        .collect()
}

/// A contact read after its label, with what the label's own lines gave (an organisation, a
/// phone) where it has none.
fn with_details_of(contact: Contact, label: Option<Contact>) -> Contact {
    let Some(label) = label else {
        return contact;
    };
    Contact {
        organization: contact.organization.or(label.organization),
        name: contact.name,
        title: contact.title.or(label.title),
        phone: contact.phone.or(label.phone),
        website: contact.website.or(label.website),
    }
}

/// The release date: a date line above the news, else the dateline's, else the filing's.
fn release_date(
    header: &Header,
    document: &Document,
    lead: &Text,
    texts: &[&Text],
    warnings: &mut Vec<Diagnostic>,
) -> Result<NaiveDate, Diagnostic> {
    // The top of the release: its header, its lead and the paragraphs after it.
    let top: String = texts
        .iter()
        .take(header.lead + 6)
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let filed = document.filing.filed;
    let written = header.date_line.or_else(|| {
        header
            .dateline
            .as_ref()
            .and_then(|d| d.date.map(|date| (lead.line, date)))
    });
    match written {
        Some((line, FoundDate::NoSuchDate)) => Err(Diagnostic::line_error(
            line,
            "the release date written here is no such date (check the day and the month)",
        )),
        Some((line, found)) => match found.resolve(filed) {
            Some(date) => Ok(date),
            None => {
                let date = year_from_text(found, &top).ok_or_else(|| {
                    Diagnostic::line_error(
                        line,
                        "the release is dated without a year and the file has no submission header to take it from; add the year",
                    )
                })?;
                warnings.push(Diagnostic::line_warning(
                    line,
                    format!("the release is dated without a year; {date} is the year the news implies (check it, or ingest the whole submission, whose filing date settles it)"),
                ));
                Ok(date)
            }
        },
        None => match filed {
            Some(filed) => {
                warnings.push(Diagnostic::line_warning(
                    lead.line,
                    format!("the release carries no date; it takes the filing date, {filed}"),
                ));
                Ok(filed)
            }
            None => match first_date_named(&top) {
                Some(date) => {
                    warnings.push(Diagnostic::line_warning(
                        lead.line,
                        format!("no release date in a dateline or date line; {date}, the first date the release names, is taken (check it)"),
                    ));
                    Ok(date)
                }
                None => Err(Diagnostic::line_error(
                    lead.line,
                    "no release date: expected a `RELEASE DATE:` line, a date line above the headline or a dated dateline such as `SAN JOSE, Calif., April 20, 2016 --`",
                )),
            },
        },
    }
}

/// `TURBOSONIC TECHNOLOGIES Reports Second Quarter Results`: a headline in mixed case that
/// shouts the company's name gets the name in title case, spelled as the release spells it.
fn with_shouted_name_cased(headline: &str, prose: &str) -> String {
    let words: Vec<&str> = headline.split(' ').collect();
    let shouted = words
        .iter()
        .take_while(|word| {
            is_upper_case(word) && word.chars().filter(|c| c.is_alphabetic()).count() >= 4
        })
        .count();
    if shouted < 2 || shouted == words.len() {
        return headline.to_string();
    }
    format!(
        "{} {}",
        text::title_case(&words[..shouted].join(" "), prose),
        words[shouted..].join(" ")
    )
}

/// The first complete date the text names that is not the end of a period it reports on
/// (`the quarter ended September 30, 2009`): for a release whose date stands nowhere the rules
/// expect, most often the release's own.
fn first_date_named(text: &str) -> Option<NaiveDate> {
    let mut rest = text;
    while let Some((found, range)) = header::find_date(rest) {
        let before = rest[..range.start].trim_end().to_lowercase();
        let period_end = ["ended", "ending", "through", "as of", "at", "of"]
            .iter()
            .any(|word| before.ends_with(word));
        if let (FoundDate::Date(date), false) = (found, period_end) {
            return Some(date);
        }
        rest = &rest[range.end..];
    }
    None
}

/// The year of a date written without one (`ORLANDO, Fla., April 15 /PRNewswire/`) as the
/// news implies it: the first such day after every period the news says has ended (`the year
/// ended December 31, 2004`), or, when it names no ended period, in the year it names most.
fn year_from_text(found: FoundDate, news: &str) -> Option<NaiveDate> {
    let FoundDate::NoYear { month, day } = found else {
        return None;
    };
    let mut years = Vec::new();
    let mut ended = None;
    let mut rest = news;
    while let Some((date, range)) = header::find_date(rest) {
        if let FoundDate::Date(date) = date {
            years.push(date.year());
            let before = rest[..range.start].trim_end().to_lowercase();
            if before.ends_with("ended") || before.ends_with("ending") {
                ended = ended.max(Some(date));
            }
        }
        rest = &rest[range.end..];
    }
    years.extend(
        news.split(|c: char| !c.is_ascii_digit())
            .filter(|word| word.len() == 4 && (word.starts_with("19") || word.starts_with("20")))
            .filter_map(|word| word.parse::<i32>().ok()),
    );
    // Without an ended period, the year the news names most (the later on a tie): a release
    // speaks of its own year more than of the next one's outlook.
    let most_named = || {
        let count = |year: &i32| years.iter().filter(|y| *y == year).count();
        years
            .iter()
            .copied()
            .max_by_key(|year| (count(year), *year))
    };
    match ended {
        Some(ended) => (ended.year()..=ended.year() + 1)
            .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
            .find(|date| *date > ended),
        None => NaiveDate::from_ymd_opt(most_named()?, month, day),
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
    // `… Medical Action Industries Inc. and`: a title cut short ends on a word that says.
    while words
        .last()
        .is_some_and(|word| is_small_ending(&word.to_lowercase()))
    {
        words.pop();
    }
    let title = words.join(" ");
    let title = title.trim_end_matches([',', ';']);
    // `… Industries Inc.` keeps the stop of its abbreviation.
    match ends_with_full_stop(title) {
        true => title.trim_end_matches('.'),
        false => title,
    }
    .to_string()
}

fn is_day_word(word: &str) -> bool {
    let word = word.trim_end_matches(',');
    word == "today" || (word.starts_with(|c: char| c.is_uppercase()) && header::is_weekday(word))
}

const ABBREVIATIONS: &[&str] = &[
    "Inc.", "Corp.", "Co.", "Ltd.", "Mr.", "Ms.", "Mrs.", "Dr.", "St.", "Jr.", "Sr.", "U.S.",
    "No.", "Nos.", "L.P.", "N.V.", "S.A.",
];

/// Ends on a full stop that ends a sentence, not on `Inc.` or an initial.
fn ends_with_full_stop(text: &str) -> bool {
    let last = text.split_whitespace().last().unwrap_or("");
    last.ends_with('.') && !is_abbreviation(last) && last.len() != 2
}

/// `Inc.`, `CORP.`, `U.S.`: a full stop that ends a word, not a sentence.
fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS
        .iter()
        .any(|abbreviation| abbreviation.eq_ignore_ascii_case(word))
}

/// Up to the first full stop that ends a sentence (not `Inc.`, `Corp.` or an initial).
fn first_sentence(text: &str) -> &str {
    let mut end = 0;
    for word in text.split_inclusive(' ') {
        end += word.len();
        let word = word.trim_end();
        let is_initial = word.len() == 2 && word.ends_with('.');
        if word.ends_with('.') && !is_abbreviation(word) && !is_initial {
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
    fn split(texts: &[&'a Text], issuer: &[String]) -> Sections<'a> {
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
            } else if paragraph.heading && is_about_issuer(&paragraph.text, issuer) {
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

fn is_about_issuer(heading: &str, issuer: &[String]) -> bool {
    let lower = heading.to_lowercase();
    let Some(subject) = lower.strip_prefix("about ") else {
        return false;
    };
    let subject = subject.trim_start_matches("the ");
    issuer.is_empty() || issuer.iter().any(|word| subject.starts_with(word.as_str()))
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

/// The short title lines set right above a table (`THE BUCKLE, INC.` / `CONSOLIDATED
/// STATEMENTS OF INCOME` / `(Unaudited)`): they name the table, which the page shows with its
/// title under the release's statements, so the body leaves them out rather than keep headings
/// with nothing under them (up to four lines, the statements reader's context and a company
/// name above it).
fn table_captions(document: &Document) -> Vec<&Text> {
    let mut captions = Vec::new();
    for (index, block) in document.blocks.iter().enumerate() {
        if !matches!(block, Block::Table(_)) {
            continue;
        }
        let above = document.blocks[..index]
            .iter()
            .rev()
            .take(4)
            .map_while(Block::as_text)
            .take_while(|text| is_title_line(&text.text));
        captions.extend(above);
    }
    captions
}

/// A line that titles rather than says: short, and no sentence (`THE BUCKLE, INC.` ends in a
/// full stop, but four words are no sentence; `STATEMENTS OF INCOME (Unaudited)` and `(In
/// thousands, except per share data)` end in a bracket).
fn is_title_line(text: &str) -> bool {
    let bracketed = text.starts_with('(') && text.ends_with(')');
    // A label (`Investor Relations website:`) or an address is what comes before the tables.
    let label_or_address =
        text.ends_with(':') || text.contains("://") || text.contains("www.") || text.contains('@');
    text.len() <= 100
        && !label_or_address
        && (bracketed || !text.ends_with(['.', '!', '?']) || text.split_whitespace().count() <= 4)
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

/// Whether a document opens like a release: a date line, or a paragraph that starts with a
/// dateline, near its top. Used to tell a release from a supplement of tables filed beside it.
pub fn opens_like_release(document: &Document) -> bool {
    document.texts().take(40).any(|text| {
        header::date_line(&text.text).is_some()
            || (!text.heading
                && text.text.split_whitespace().count() >= 8
                && header::dateline(&text.text).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letterhead_addresses_of_many_countries() {
        for line in [
            "21101 Oxnard Street",
            "West Sussex, RH16 3EN",
            "Toronto, ON, M5K 1H1 Canada",
            "Newark, NJ 07102",
            "Cimarex Energy Co. 1700 Lincoln Street, Suite 1800 Denver,",
        ] {
            assert!(is_letterhead(line), "{line}");
        }
        for line in [
            "Acme Opens 200,000 Square Foot Plant",
            "Acme Reports Record Sales for 2009",
        ] {
            assert!(!is_letterhead(line), "{line}");
        }
    }

    #[test]
    fn mottos_labels_and_made_titles() {
        assert!(is_motto("A Leading Manufacturer of Protective"));
        assert!(!is_motto("A Record Year: Acme Reports Sales Increased 20%"));
        assert!(!is_banner("Company Contact:"));
        assert!(is_banner("Company Contact"));
        assert_eq!(
            title_from_news(
                "Paul D. Meringolo, a member of the Board of Directors of Medical Action Industries Inc. and its President, announced"
            ),
            "Paul D. Meringolo, a member of the Board of Directors of Medical Action Industries Inc."
        );
    }
}
