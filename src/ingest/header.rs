//! The facts a release states at its top, for any issuer: release date, dateline, listing and
//! contacts. Each reader takes the text of one block (or its lines) and says what it found;
//! `release` decides which blocks to ask.
//!
//! The forms are those of the newswires and filing agents since the 1990s:
//! `SAN JOSE, Calif.--(BUSINESS WIRE)--April 20, 2016--`, `OMAHA, Neb., Mar. 3, 2021
//! /PRNewswire/ --`, `Des Plaines, IL (March 8, 2012) —`, `LOS ANGELES - - - -`, a wire header
//! `June 9, 2010 08:30 ET`, `RELEASE DATE: November 14, 2003`.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::text::{collapse_spaces, has_headline_verb, is_headline_verb, month_number, title_case};
use crate::model::Contact;

const MONTH: &str = r"(?i:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?";

/// A date as a person writes it, with or without its year: `November 14, 2003`, `Nov. 14,
/// 2003`, `May 1,2021`, `October, 21, 2003`, `Oct. 28`, `14 November 2003`, `29th March 2010`, and in figures with
/// its year, `11/9/2004` (month first, as U.S. releases write it) and `2019-03-21`.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:(?:\s?,\s*|\s+)(?P<year>(?:19|20)\d{{2}}))?|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{MONTH}),?\s+(?P<year2>(?:19|20)\d{{2}})|(?P<month3>\d{{1,2}})/(?P<day3>\d{{1,2}})/(?P<year3>(?:19|20)\d{{2}})|(?P<year4>(?:19|20)\d{{2}})-(?P<month4>\d{{2}})-(?P<day4>\d{{2}})|(?P<month5>{MONTH}),\s*(?P<day5>\d{{1,2}}),\s*(?P<year5>(?:19|20)\d{{2}}))\b"
    ))
    .expect("built-in pattern is valid")
});

/// A date found in text: complete, missing its year, or written but impossible (`February 30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundDate {
    Date(NaiveDate),
    /// Month and day; the year comes from elsewhere (the filing date).
    NoYear {
        month: u32,
        day: u32,
    },
    /// A date that does not exist, as written.
    NoSuchDate,
}

impl FoundDate {
    /// The date, taking a missing year from `reference` (the closest such date to it).
    pub fn resolve(self, reference: Option<NaiveDate>) -> Option<NaiveDate> {
        match self {
            FoundDate::Date(date) => Some(date),
            FoundDate::NoYear { month, day } => {
                let reference = reference?;
                [-1, 0, 1]
                    .iter()
                    .filter_map(|delta| {
                        NaiveDate::from_ymd_opt(reference.year() + delta, month, day)
                    })
                    .min_by_key(|date| (*date - reference).num_days().abs())
            }
            FoundDate::NoSuchDate => None,
        }
    }
}

/// The first date in `text`, and the byte range it takes.
pub fn find_date(text: &str) -> Option<(FoundDate, std::ops::Range<usize>)> {
    if !names_a_month(text) && !has_figures_date(text) {
        return None;
    }
    let found = DATE.captures(text)?;
    let whole = found.get(0)?;
    let group = |name: &str| found.name(name);
    let (month, day, year) = if let Some(month) = group("month") {
        (month_number(month.as_str())?, group("day")?, group("year"))
    } else if let Some(month) = group("month2") {
        (
            month_number(month.as_str())?,
            group("day2")?,
            group("year2"),
        )
    } else if let Some(first) = group("month3") {
        // `29/3/2010` cannot be month first: read it day first.
        let (first_number, second) = (first.as_str().parse().ok()?, group("day3")?);
        let second_number: u32 = second.as_str().parse().ok()?;
        match first_number > 12 && second_number <= 12 {
            true => (second_number, first, group("year3")),
            false => (first_number, second, group("year3")),
        }
    } else if let Some(month) = group("month5") {
        (
            month_number(month.as_str())?,
            group("day5")?,
            group("year5"),
        )
    } else {
        (
            group("month4")?.as_str().parse().ok()?,
            group("day4")?,
            group("year4"),
        )
    };
    let day: u32 = day.as_str().parse().ok()?;
    let date = match year {
        Some(year) => match NaiveDate::from_ymd_opt(year.as_str().parse().ok()?, month, day) {
            Some(date) => FoundDate::Date(date),
            None => FoundDate::NoSuchDate,
        },
        None if (1..=31).contains(&day) => FoundDate::NoYear { month, day },
        None => FoundDate::NoSuchDate,
    };
    Some((date, whole.range()))
}

/// Whether three letters that start a month's name (`jan`, `Feb`, `SEP`) occur in `text`: the
/// cheap test that spares the date pattern the many lines of figures that hold no date, since
/// its day-first form (`14 November 2003`) lets every digit start a match.
fn names_a_month(text: &str) -> bool {
    const STARTS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    text.as_bytes().windows(3).any(|three| {
        // Only eight letters open a month's name: most windows are out after one test.
        matches!(
            three[0].to_ascii_lowercase(),
            b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
        ) && {
            let lower = [
                three[0].to_ascii_lowercase(),
                three[1].to_ascii_lowercase(),
                three[2].to_ascii_lowercase(),
            ];
            STARTS.iter().any(|start| **start == lower)
        }
    })
}

/// `11/9/2004`, `2019-03-21`: a digit, a slash or dash, a digit.
fn has_figures_date(text: &str) -> bool {
    text.as_bytes().windows(3).any(|three| {
        three[0].is_ascii_digit() && matches!(three[1], b'/' | b'-') && three[2].is_ascii_digit()
    })
}

/// `November 14, 2003` → 2003-11-14 (the whole text a date, nothing else).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    match find_date(text.trim())? {
        (FoundDate::Date(date), range) if range.len() == text.trim().len() => Some(date),
        _ => None,
    }
}

/// A line that only dates the release: `RELEASE DATE: November 14, 2003`, `Date: January 26,
/// 1998`, `For Immediate Release: March 2, 2009`, `June 9, 2010 08:30 ET`, `March 8, 2012`,
/// `April 2, 2004 For 1:30 EST Release`.
pub fn date_line(line: &str) -> Option<FoundDate> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:(?:available\s+)?for\s+immediate\s+publication|(?:for\s+)?(?:immediate\s+)?release(?:d)?(?:\s+date)?|date(?:d)?|embargoed\s+(?:until|for)|for\s+release\s+on|news\s+release)?\s*[:\-\u{2013}\u{2014}]*\s*(?:immediate(?:ly)?\s*)?\(?\s*(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s*)?$",
        )
        .expect("built-in pattern is valid")
    });
    static TAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\)?[\s,]*(?:(?:(?:for|at)\s+)?\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?\s*(?:\(?(?:[ECMP][SD]?T|ET|PT|GMT|UTC|Eastern|Pacific|Central|Mountain)(?:\s+(?:Standard|Daylight))?(?:\s+Time)?\)?)?(?:\s+release)?)?\s*$",
        )
        .expect("built-in pattern is valid")
    });
    let line = line.trim();
    if line.len() > 80 || !opens_like_date_line(line) {
        return None;
    }
    let (date, range) = find_date(line)?;
    (LABEL.is_match(&line[..range.start]) && TAIL.is_match(&line[range.end..])).then_some(date)
}

/// `12 P.M. CDT`, `8:30 a.m. Eastern Time`: a time of day alone on its line, as a release's top
/// gives the hour it may be published.
pub fn is_time_line(line: &str) -> bool {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)\s*\(?(?:[ECMP][SD]?T|ET|PT|GMT|UTC|Eastern|Pacific|Central|Mountain)?(?:\s+(?:Standard|Daylight))?(?:\s+Time)?\)?\.?$",
        )
        .expect("built-in pattern is valid")
    });
    let line = line.trim();
    line.len() <= 40
        && line.starts_with(|c: char| c.is_ascii_digit() || c == 'a' || c == 'A')
        && TIME.is_match(line)
}

/// What a date line opens with: a label (`Release`, `Date`, `For`, `Embargoed`, `News`,
/// `Immediate`), a weekday, a month, a day or a bracket. The cheap test that spares the date
/// pattern the lines of prose and figures that reach it.
fn opens_like_date_line(line: &str) -> bool {
    let first = line
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    first.starts_with(|c: char| c.is_ascii_digit())
        || month_number(first).is_some()
        || is_weekday(first)
        || [
            "release",
            "released",
            "date",
            "dated",
            "for",
            "embargoed",
            "news",
            "immediate",
            "immediately",
            "available",
        ]
        .iter()
        .any(|label| label.eq_ignore_ascii_case(first))
}

/// The opening words of a release's first paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The city as a person writes it (`San Jose`, not `SAN JOSE`).
    pub city: String,
    pub date: Option<FoundDate>,
    /// Byte offset in the paragraph where the news itself begins.
    pub rest: usize,
    /// Marked by a wire service, a date or a long dash (not only ` - `): a dateline beyond doubt,
    /// which may start a release of its own.
    pub strong: bool,
}

/// Separators and markers between the place and the news: dashes, dots (`RICHMOND, VA….`),
/// `(BUSINESS WIRE)`,
/// `/PRNewswire-FirstCall/`, `(March 8, 2012)`, `via First!`.
static DATELINE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:\s+|,|:|--+|[\u{{2013}}\u{{2014}}\u{{2022}}~|]+|\u{{2026}}[.\u{{2026}}]*|\.{{3,}}|/\s+(?P<slashwire>(?i:PR\s?Newswire|Business\s?Wire|GLOBE\s?NEWSWIRE|Marketwired?|ACCESSWIRE))\b|-(?:\s+-)+|\s-\s|/[^/\n]{{2,60}}/|\((?P<wire>[^()\n]{{0,40}}(?i:wire|newswire|news\s+service|press|marketwired?|accesswire)[^()\n]{{0,40}})\)|(?P<wirename>(?i:PR\s?Newswire|Business\s?Wire|GLOBE\s?NEWSWIRE|Marketwired?|ACCESSWIRE)(?:[- ][A-Za-z]+)?)|\((?P<pdate>[^()\n]{{4,30}})\)|via\s+[A-Z][\w!]*|(?P<date>{MONTH}\s+\d{{1,2}}(?:(?:,\s*|\s+)(?:19|20)\d{{2}})?|\d{{1,2}}/\d{{1,2}}/(?:19|20)\d{{2}})|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|-)"
    ))
    .expect("built-in pattern is valid")
});

pub fn dateline(paragraph: &str) -> Option<Dateline> {
    let window = &paragraph[..floor_boundary(paragraph, 300)];
    let separated_head = first_separator(window)
        .and_then(|end| place_and_date(&window[..end]).map(|(city, date)| (city, date, end)));
    let (city, head_date, head_end) = match separated_head.or_else(|| bracketed_place(window)) {
        Some(found) => found,
        None => return dated_place(window).or_else(|| date_first(window)),
    };
    scan_dateline_tail(paragraph, window, city, head_date, head_end)
}

/// `(Lancaster, PA) – …`, `(SAN ANTONIO) - …`: the place in brackets, a separator after them.
fn bracketed_place(window: &str) -> Option<(String, Option<FoundDate>, usize)> {
    let inside = window.strip_prefix('(')?;
    let close = inside.find(')').filter(|&at| at <= 60)?;
    let (city, date) = place_and_date(&inside[..close])?;
    Some((city, date, close + 2))
}

/// `Basking Ridge, New Jersey, August 6, 2008 Millennium …` and `RESTON, Va., May 27, 2015`:
/// a place and a full date with no dash after them.
fn dated_place(window: &str) -> Option<Dateline> {
    // The date starts within 80 bytes; no written date is 50 long.
    let (found, range) = find_date(&window[..floor_boundary(window, 130)])?;
    if !matches!(found, FoundDate::Date(_)) || range.start == 0 || range.start > 80 {
        return None;
    }
    // `(SAN DIEGO) April 8, 2003 —`: the place in brackets.
    let place = window[..range.start]
        .trim_end_matches([',', ' ', ':'])
        .trim_matches(['(', ')']);
    let (city, _) = place_and_date(place)?;
    let dateline =
        scan_dateline_tail(window, window, city, Some(found), range.end).or_else(|| {
            let rest =
                range.end + (window[range.end..].len() - window[range.end..].trim_start().len());
            Some(Dateline {
                city: String::new(),
                date: Some(found),
                rest,
                strong: true,
            })
        })?;
    Some(Dateline {
        city: place_and_date(place)?.0,
        strong: true,
        ..dateline
    })
}

/// `November 15, 2004 – New York, New York`, `(August 13, 2013 - Milton, NY)`, `May 25, 2016 –
/// San Mateo, CA. –`, `August 18, 2009 HARRISBURG, PA—`, `March 5, 2002 -- Little Rock, Arkansas
/// --`: the date before the place.
fn date_first(window: &str) -> Option<Dateline> {
    static PLACE_AFTER_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\s*[-\u{2013}\u{2014},]+\s*|\s+(?P<bare>))(?P<place>[A-Z][^()\-\u{2013}\u{2014}]{1,60}?)\.?\s*(?:\)|[-\u{2013}\u{2014}]+|:)\s*")
            .expect("built-in pattern is valid")
    });
    let opening = window.trim_start_matches(['(', ' ']);
    let skipped = window.len() - opening.len();
    let opens_with_date = opening.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || opening.get(..3).is_some_and(names_a_month);
    if !opens_with_date {
        return None;
    }
    let (found, range) = find_date(&opening[..floor_boundary(opening, 60)])?;
    if range.start != 0 || !matches!(found, FoundDate::Date(_)) {
        return None;
    }
    let after = &opening[range.end..];
    let place = PLACE_AFTER_DATE.captures(after)?;
    // `August 18, 2009 HARRISBURG, PA—`: with no separator after the date, only a place in
    // capitals, as the wires set it, is taken for one.
    let first_word = place["place"].split([' ', ',']).next().unwrap_or("");
    let shouted = first_word.len() >= 3 && !first_word.chars().any(char::is_lowercase);
    if place.name("bare").is_some() && !shouted {
        return None;
    }
    let (city, _) = place_and_date(place["place"].trim_end_matches([',', ' ', '.']))?;
    let mut rest = skipped + range.end + place.get(0)?.end();
    rest += window[rest..].len()
        - window[rest..]
            .trim_start_matches([')', ' ', '-', '\u{2013}', '\u{2014}'])
            .len();
    (rest < window.len()).then_some(Dateline {
        city,
        date: Some(found),
        rest,
        strong: true,
    })
}

fn scan_dateline_tail(
    paragraph: &str,
    window: &str,
    city: String,
    head_date: Option<FoundDate>,
    head_end: usize,
) -> Option<Dateline> {
    let mut date = head_date;
    let mut strong = head_date.is_some();
    let mut separated = head_date.is_some() && head_end < window.len();
    let mut at = head_end;
    while at < window.len() {
        let Some(found) = DATELINE_TOKEN.captures(&window[at..]) else {
            break;
        };
        let Some(token) = found.get(0).filter(|token| !token.is_empty()) else {
            break;
        };
        if let Some(wire) = found.name("wire")
            && let Some((found_date, _)) = find_date(wire.as_str())
        {
            date.get_or_insert(found_date);
        }
        let written_date = found
            .name("date")
            .or(found.name("pdate"))
            .map(|written| find_date(written.as_str()).map(|(found, _)| found));
        if let Some(written) = written_date {
            let Some(found_date) = written else {
                break; // `(as defined)`: a bracket that is not part of a dateline
            };
            date.get_or_insert(found_date);
            strong = true;
        }
        let text = token.as_str().trim();
        if found.name("wire").is_some()
            || found.name("wirename").is_some()
            || found.name("slashwire").is_some()
            || text.starts_with('/')
            || text.starts_with("--")
            || text.starts_with(['\u{2013}', '\u{2014}'])
        {
            strong = true;
        }
        separated |= strong || text.starts_with('-');
        at += token.end();
    }
    let rest = at;
    if !separated || rest >= paragraph.len() {
        return None;
    }
    Some(Dateline {
        city,
        date,
        rest,
        strong,
    })
}

/// Where the place ends: the first dash, wire marker or bracket after it.
fn first_separator(window: &str) -> Option<usize> {
    static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"--|[\u{2013}\u{2014}\u{2022}\u{2026}~|]|\s-(?:\s|$)|-\(|/|\(")
            .expect("built-in pattern is valid")
    });
    let at = SEPARATOR.find(window)?.start();
    (at > 0 && at <= 80).then_some(at)
}

/// `SAN JOSE, Calif.` or `Los Angeles, CA, June 27, 2003`: the city, title-cased when shouted,
/// and a date written before the separator. `None` when it does not read as a place.
/// A piece of a place with a day of the week at its end taken off: `Minn. Wednesday` → `Minn.`,
/// `Monday` → ``.
fn without_weekday(piece: &str) -> &str {
    let piece = piece.trim();
    if is_weekday(piece) {
        return "";
    }
    match piece.rsplit_once(' ') {
        Some((before, last)) if is_weekday(last) => before.trim_end(),
        _ => piece,
    }
}

fn place_and_date(head: &str) -> Option<(String, Option<FoundDate>)> {
    let (place, date) = match find_date(head) {
        Some((date, range)) if head[range.end..].trim_matches([' ', ',']).is_empty() => {
            (&head[..range.start], Some(date))
        }
        Some(_) => return None,
        None => (head, None),
    };
    // `OXFORD, United Kingdom and MARLBOROUGH, Mass.`, `Montgomeryville, PA and Redmond, WA`:
    // the first of two places, each a city and its state, or a city in capitals as the wires
    // set them (`Agreement, Funding and Updates` is no place).
    let city_in_capitals = |part: &str| {
        let city = part.split(',').next().unwrap_or("").trim();
        city.chars().any(char::is_alphabetic) && !city.chars().any(char::is_lowercase)
    };
    // `Redmond, WA`, `Princeton, N.J.`, `Stamford, Connecticut`: a city and its state.
    let city_and_state = |part: &str| match part.trim().split_once(", ") {
        Some((city, state)) => {
            let state = state.trim();
            city.split_whitespace().count() <= 3
                && ((state.len() == 2 && state.chars().all(|c| c.is_ascii_uppercase()))
                    || (state.len() <= 6
                        && state.ends_with('.')
                        && state.starts_with(|c: char| c.is_ascii_uppercase()))
                    || (state.split_whitespace().count() <= 2 && is_place_name(state, 2)))
        }
        None => false,
    };
    // `NEW YORK and LONDON`, `MONTREAL and CHARLOTTE, N.C.`: a first city in capitals alone.
    let lone_city_in_capitals = |part: &str| {
        !part.contains(',') && part.split_whitespace().count() <= 3 && city_in_capitals(part)
    };
    let joined = place
        .split_once(" and ")
        .or_else(|| place.split_once(" & "));
    let place = match joined {
        Some((first, second))
            if (first.contains(',') || lone_city_in_capitals(first))
                && ((city_and_state(first) && city_and_state(second))
                    || (city_in_capitals(first) && city_in_capitals(second)))
                && second
                    .split(',')
                    .all(|piece| is_place_name(piece.trim(), 3)) =>
        {
            first
        }
        _ => place,
    };
    // `New York-November 8, 2006 –`: a hyphen glued to the date.
    let mut pieces = place
        .trim()
        .trim_end_matches([',', ':', '-'])
        .split(',')
        // `NEW YORK, Monday, March 7, 2022`, `ROCHESTER, Minn. Wednesday, November 1`: the day
        // of the week goes with the date.
        .map(without_weekday)
        .filter(|piece| !piece.is_empty());
    let city = pieces.next()?.trim();
    if !is_place_name(city, 5) || !pieces.all(|piece| is_place_name(piece.trim(), 3)) {
        return None;
    }
    let city = if city.chars().any(char::is_lowercase) {
        city.to_string()
    } else {
        title_case(city, "")
    };
    Some((city, date))
}

/// `Monday` … `Sunday`, in any case.
pub fn is_weekday(word: &str) -> bool {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .any(|day| day.eq_ignore_ascii_case(word))
}

/// Capitalised words (`St. Louis`, `Winston-Salem`, `Rio de Janeiro`, `N.C.`), no digits.
fn is_place_name(text: &str, most_words: usize) -> bool {
    const NOT_PLACES: &[&str] = &[
        "for",
        "immediate",
        "release",
        "news",
        "press",
        "media",
        "contact",
        "contacts",
        "date",
        "dated",
        "embargoed",
        "source",
        "exhibit",
        // Words that open a phrase, never a city's name (`Until March 18, 2005 to Vote`).
        "until",
        "on",
        "to",
        "by",
        "from",
        "as",
        "at",
        "held",
        "through",
        "effective",
        "beginning",
        "ended",
        "ending",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.iter().any(|word| {
        NOT_PLACES.contains(&word.to_lowercase().as_str())
            || is_weekday(word)
            || is_headline_verb(word)
    }) && !words.is_empty()
        && words.len() <= most_words
        && words[0].starts_with(|c: char| c.is_uppercase())
        && words.iter().all(|word| {
            word.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '\u{2019}' | '-' | '&'))
                && (word.starts_with(|c: char| c.is_uppercase())
                    || matches!(
                        *word,
                        "de" | "la" | "del" | "du" | "da" | "upon" | "on" | "of" | "am" | "sur"
                    ))
        })
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The markets a listing names, by the names releases print.
const MARKET: &str = r"(?i:New\s+York\s+Stock\s+Exchange|NYSE(?:\s+(?:American|MKT|Amex|Arca|Alternext(?:\s+US)?))?|Nasdaq(?:\s*/?\s*(?:Global\s+Select(?:\s+Market)?|Global(?:\s+Market)?|Capital(?:\s+Market)?|National(?:\s+Market)?|NNM|NMS|NM|GSM|GS|GM|CM|SmallCap(?:\s+Market)?))?|AMEX|American\s+Stock\s+Exchange|OTC\s*BB|OTC\s+Bulletin\s+Board|OTC\s?(?:Q[BX]|IQ)|OTC\s+Pink|OTC\s+Markets|OTC|Pink\s+Sheets|TSX(?:-V|\s+Venture(?:\s+Exchange)?)?|TSXV|CSE|ASX|LSE|AIM|NEO)";

/// `Nasdaq`, `NYSE`: a market's name alone (a letterhead's `Traded:` value).
pub fn is_market_name(text: &str) -> bool {
    static NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!("^{MARKET}$")).expect("built-in pattern is valid"));
    NAME.is_match(text.trim())
}

/// The listing: market (by its usual name) and bare ticker, from `(NYSE: ABC)`, `(Nasdaq:
/// ABCD)`, `(NASDAQ:ABCD)`, `(OTC BB: HEMA.OB)`, `(OTC Bulletin Board: HEMA)`, `NYSE and Nasdaq:
/// X`, `(NYSE: ABC; TSX: ABC)`, `(Nasdaq/NM:WYPT)`, `(Nasdaq Global Select/LKFN)`.
pub fn listing(text: &str) -> Option<(String, String)> {
    static LISTING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            &format!(r"(?P<market>{MARKET})(?:\s*(?:and|&|/|,)\s*(?i:Nasdaq|NYSE|TSX|NYSE\s+American))?\s*(?:(?:--|[:\-\u{{2013}}\u{{2014}}/])\s*|\s+(?i:symbol|ticker)\s*:?\s*)(?P<ticker>[A-Z][A-Z0-9]{{0,5}}(?:[.\-][A-Z]{{1,2}})?)\b"),
        )
        .expect("built-in pattern is valid")
    });
    static UNDER_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"\b(?:on\s+(?:the\s+)?)(?P<market>NASDAQ|Nasdaq|NYSE|New York Stock Exchange|American Stock Exchange|AMEX|OTC Bulletin Board)(?:\s+[A-Z][a-z]+)*\s+under\s+the\s+(?:ticker\s+|trading\s+)?symbol\s+["\u{201c}]?(?P<ticker>[A-Z][A-Z0-9]{0,5})\b"#,
        )
        .expect("built-in pattern is valid")
    });
    // `(LXRP-OTCQB)`, `(ABC:NYSE)`, `(BJS – NYSE, CBOE, PCX)`: the symbol first.
    static SYMBOL_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\((?P<ticker>[A-Z][A-Z0-9]{0,5})\s?[:\-\u{2013}]\s?(?P<market>NYSE(?:\s+American)?|NASDAQ|Nasdaq|AMEX|OTCQB|OTCQX|OTCBB|OTC|TSX|TSXV|CSE|ASX)[,;)]",
        )
        .expect("built-in pattern is valid")
    });
    let found = LISTING
        .captures(text)
        .or_else(|| UNDER_SYMBOL.captures(text))
        .or_else(|| SYMBOL_FIRST.captures(text))?;
    let ticker = &found["ticker"];
    let ticker = ticker
        .strip_suffix(".OB")
        .or_else(|| ticker.strip_suffix(".PK"))
        .unwrap_or(ticker);
    Some((canonical_market(&found["market"]), ticker.to_string()))
}

/// `TSX Venture Exchange Symbol: MDW`, `NYSE: ABC`, `TSX:` / `PTQ`: a letterhead's line that is
/// a listing and nothing else.
pub fn is_listing_line(text: &str) -> bool {
    const LABEL_WORDS: &[&str] = &[
        "symbol", "symbols", "trading", "ticker", "stock", "exchange",
    ];
    // The cheap test first: classify asks it of every block near the top.
    if text.len() > 80 || !text.contains(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // A letterhead's listing opens on its market or its label, a dateline's on a city.
    let first = words.first().map_or("", |word| {
        word.trim_start_matches(['(', '['])
            .trim_end_matches([',', ':'])
    });
    words.len() <= 6
        && (is_market_name(first) || LABEL_WORDS.contains(&first.to_lowercase().as_str()))
        && words.iter().all(|word| {
            word.starts_with(|c: char| !c.is_lowercase())
                || LABEL_WORDS.contains(&word.trim_end_matches(':'))
        })
        && !words.iter().any(|word| is_headline_verb(word))
        && listing(text).is_some()
}

/// `Acme, Inc. (the "Company") (GDEF) today announced`: a ticker in parentheses of its own
/// right after the company's name, with no market named.
pub fn bare_ticker(lead: &str) -> Option<String> {
    static BARE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?:\b(?:Inc|Corp|Co|Ltd|plc|LLC|L\.P|N\.V|S\.A)\.?|\b(?:Corporation|Company|Incorporated|Limited|Group|Holdings|Bancorp)|["\u{201d}]\))\s*\((?P<ticker>[A-Z]{2,5})\)"#,
        )
        .expect("built-in pattern is valid")
    });
    let head = &lead[..floor_boundary(lead, 400)];
    Some(BARE.captures(head)?["ticker"].to_string())
}

/// The name a market goes by on an IR site, whatever the release's spelling.
fn canonical_market(printed: &str) -> String {
    let lower = collapse_spaces(printed).to_lowercase();
    let name = match lower.as_str() {
        "nyse" | "new york stock exchange" => "NYSE",
        "nyse american" | "nyse mkt" | "nyse amex" | "nyse alternext" | "nyse alternext us" => {
            "NYSE American"
        }
        "otc qb" => "OTCQB",
        "otc qx" => "OTCQX",
        "otc iq" => "OTCIQ",
        "amex" | "american stock exchange" => "American Stock Exchange",
        "otc bb" | "otcbb" | "otc bulletin board" => "OTC Bulletin Board",
        "nyse arca" => "NYSE Arca",
        other if other.starts_with("nasdaq") => "Nasdaq",
        _ => return collapse_spaces(printed),
    };
    name.to_string()
}

/// A block that opens a contact: `Contact:`, `Investor Contact:`, `Media Contacts:`, `CONTACTS:`,
/// `Investor Relations Contact:`, `For more information, contact:`. Returns what follows the
/// label on the same line.
pub fn contact_label(line: &str) -> Option<&str> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:(?:for\s+immediate\s+release|news\s+release|press\s+release)\s+)?(?:for\s+(?:further|more|additional)\s+information(?:,?\s+(?:please\s+)?contact)?|(?:(?:investor|investors|media|press|analyst|financial|company|corporate|public)(?:\s*/\s*(?:investor|investors|media|press|analyst)s?)?\s+(?:relations\s+)?(?:and\s+(?:media|investor)\s+(?:relations\s+)?)?)?contacts?(?:\s+information)?)\s*(?::|-|\u{2013}|$)\s*",
        )
        .expect("built-in pattern is valid")
    });
    // Every label names a contact or information: spare the pattern every other line.
    if !contains_ignoring_case(line, "contact") && !contains_ignoring_case(line, "information") {
        return None;
    }
    let line = line.trim();
    if let Some(found) = LABEL.find(line) {
        return Some(line[found.end()..].trim());
    }
    // `Capella Contact: Beth B. Wright`: a party's name before the label.
    static PARTY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,2}\s+(?i:contacts?)\s*:\s*")
            .expect("built-in pattern is valid")
    });
    if let Some(found) = PARTY_LABEL.find(line) {
        return Some(line[found.end()..].trim());
    }
    // `Contact David A. Bochnowski`: the label run into the name.
    let name = line
        .strip_prefix("Contact ")
        .or_else(|| line.strip_prefix("CONTACT "))?;
    is_person_name(name.split(", ").next().unwrap_or(name)).then_some(name.trim())
}

/// `needle` (ASCII, lower case) in `text` in any case, without lower-casing a copy of `text`.
pub fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Reads a contact from its lines (the label's own line first, without the label): a person
/// (`Jane Doe` or `Jane Doe, Director of Investor Relations`), their title on the next line,
/// an organisation, a phone number and a web address, in any order.
pub fn contact(lines: &[&str], company: &str) -> Contact {
    let mut contact = Contact::default();
    for line in lines {
        let line = if is_phone(line) {
            line.to_string()
        } else {
            without_asides(line)
        };
        for piece in split_wide(&line) {
            read_contact_piece(&piece, company, &mut contact);
        }
    }
    contact
}

/// `Jonathan Fassberg ext. 16 (investor inquiries)` → `Jonathan Fassberg`: what a contact
/// line adds in brackets, and an extension.
fn without_asides(line: &str) -> String {
    static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\([^()]*\)|\bext\.?\s*\d+").expect("built-in pattern is valid")
    });
    let cleaned = ASIDE.replace_all(line, " ");
    if cleaned.trim().is_empty() {
        line.to_string()
    } else {
        cleaned.into_owned()
    }
}

/// Contact lines often hold two things set apart by tabs or several spaces, or a phone after a
/// comma: `Jane Doe    (555) 123-4567`.
fn split_wide(line: &str) -> Vec<String> {
    line.split("  ")
        .flat_map(|piece| piece.split('\t'))
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(collapse_spaces)
        .collect()
}

/// `Ms. Renee Bouche` → `Renee Bouche`: the contract's names carry no honorific.
fn without_honorific(name: &str) -> String {
    let name = name.trim_end_matches(',');
    ["Mr. ", "Ms. ", "Mrs. ", "Dr. ", "Miss "]
        .iter()
        .find_map(|title| name.strip_prefix(title))
        .unwrap_or(name)
        .to_string()
}

/// `Media - Alan H. McCoy, Vice President`, `Investors: Jane Doe`: the audience a contact
/// line is for, set before the person.
fn without_audience(piece: &str) -> &str {
    const AUDIENCES: &[&str] = &[
        "media",
        "investors",
        "investor",
        "analysts",
        "press",
        "financial",
    ];
    let Some((audience, rest)) = piece.split_once([' ', ':']) else {
        return piece;
    };
    let rest = rest.trim_start_matches([' ', ':', '-', '\u{2013}', '\u{2014}']);
    let set_off = piece[audience.len()..]
        .trim_start()
        .starts_with([':', '-', '\u{2013}', '\u{2014}']);
    if set_off && AUDIENCES.contains(&audience.to_lowercase().as_str()) && !rest.is_empty() {
        rest
    } else {
        piece
    }
}

fn read_contact_piece(piece: &str, company: &str, contact: &mut Contact) {
    let piece = without_audience(piece);
    if piece.contains('@') && !piece.contains(' ') {
        return; // an e-mail address: the contract has no field for it
    }
    let first_part = piece.split(", ").next().unwrap_or(piece);
    if is_phone(piece) || (first_part != piece && is_phone(first_part)) {
        let phone = if is_phone(piece) { piece } else { first_part };
        contact.phone.get_or_insert(phone_digits_part(phone));
    } else if piece.starts_with("www.") || piece.starts_with("http") {
        contact.website.get_or_insert(piece.to_string());
    } else if let Some((name, title)) = split_name_and_title(piece)
        && is_person_name(name)
        && !is_organisation(
            &format!("{name}, {}", title.split_whitespace().next().unwrap_or("")),
            company,
        )
    {
        if contact.name.is_none() {
            contact.name = Some(without_honorific(name));
            if is_phone(title) {
                // `Stephen Anderson - 336-436-5076`
                contact.phone.get_or_insert(phone_digits_part(title));
            } else {
                contact.title = Some(title.trim_end_matches(',').to_string());
            }
        }
    } else if is_organisation(piece, company) {
        contact.organization.get_or_insert(piece.to_string());
    } else if contact.name.is_none() && is_person_name(piece) {
        contact.name = Some(without_honorific(piece));
    } else if contact.name.is_none() && is_shouted_name(piece) {
        contact.name = Some(title_case(piece, ""));
    } else if contact.name.is_some() && contact.title.is_none() && is_role(piece) {
        contact.title = Some(piece.trim_matches(['(', ')']).to_string());
    }
}

/// `BRAD CARLSON`: a person's name typed in capitals, as a contact block may set it right
/// under its label (elsewhere `STATE STREET` would pass for one).
pub fn is_shouted_name(piece: &str) -> bool {
    super::text::is_upper_case(piece)
        && piece.split_whitespace().count() <= 4
        && is_person_name(&title_case(piece, ""))
}

/// What follows a person's name as part of it (`III` before `II`, so the longer is found).
const NAME_SUFFIXES: &[&str] = &["Jr.", "Sr.", "III", "II", "Ph.D.", "M.D."];

/// `Robert J. Halloran, Jr., President` → the name with its `Jr.` and the title.
fn split_name_and_title(piece: &str) -> Option<(&str, &str)> {
    // `Michal D. Cann — President & CEO`: a dash sets the title off as a comma does.
    let (name, title) = piece.split_once(", ").or_else(|| {
        [" \u{2014} ", " \u{2013} ", " - "]
            .iter()
            .find_map(|dash| piece.split_once(dash))
    })?;
    for affix in NAME_SUFFIXES {
        if let Some(rest) = title.strip_prefix(affix) {
            let end = name.len() + 2 + affix.len();
            let title = rest.trim_start_matches([',', ' ']);
            return Some((&piece[..end], title)).filter(|_| !title.is_empty());
        }
    }
    Some((name, title))
}

/// Whether a line can continue a contact block: a person, a title, an organisation, a phone
/// number, an e-mail or web address; never a sentence or a headline (`Wild Oats Markets, Inc.
/// Names Chief Financial Officer` opens with what could be a name and holds a role).
pub fn is_contact_line(line: &str, company: &str) -> bool {
    split_wide(&without_asides(line)).iter().all(|piece| {
        // `Fiesta Restaurant Group, Inc. CEO Tim Taft to Retire at Year-End` names a role
        // and says something.
        let words = piece.split_whitespace().count();
        let says_something = words > 12
            || has_headline_verb(piece)
            || (words >= 6 && piece.split_whitespace().any(|word| word == "to"));
        if says_something {
            return false;
        }
        let name = split_name_and_title(piece).map_or(piece.as_str(), |(name, _)| name);
        let shouted_title =
            super::text::is_upper_case(piece) && piece.split_whitespace().count() >= 4;
        is_phone(piece)
            || is_email(piece)
            || (!shouted_title && (is_person_name(name) || is_role(piece)))
            // `Phil Bourdillon/Gene Heller`: two people sharing a line.
            || (piece.contains('/') && piece.split('/').all(|part| is_person_name(part.trim())))
            || piece.starts_with("www.")
            || piece.starts_with("http")
            || is_organisation(piece, company)
            || piece.split(',').any(|part| is_phone(part.trim()))
    })
}

/// `Media Inquiries:`, `Investors and Media:`, `Corporation:`: a heading inside a contact block.
/// `The Investor Relations Group 212-825-3210`: a line that ends with a phone number.
pub fn ends_with_phone(text: &str) -> bool {
    text.rsplit_once(' ')
        .is_some_and(|(_, last)| is_phone(last.trim_end_matches(['.', ','])))
}

pub fn is_sub_label(line: &str) -> bool {
    let line = line.trim();
    line.ends_with(':') && line.split_whitespace().count() <= 4
}

/// A block of contact lines printed without a label: a person, and a phone number or e-mail
/// address, and nothing that is not a contact line. One line will do when it holds them all
/// (`Steve Himes, 980-636-5636, shimes@chiquita.com`).
pub fn is_unlabelled_contact(lines: &[(usize, String)]) -> bool {
    // The cheap tests first: most blocks are prose, and fail on their first line.
    if !(1..=12).contains(&lines.len()) || !lines.iter().all(|(_, line)| is_contact_line(line, ""))
    {
        return false;
    }
    let reaches = |piece: &str| is_phone(piece) || is_email(piece);
    let reach = lines.iter().any(|(_, line)| {
        split_wide(line).iter().any(|piece| {
            reaches(piece) || (lines.len() == 1 && piece.split(", ").skip(1).any(reaches))
        })
    });
    let person = lines.iter().any(|(_, line)| {
        split_wide(line).iter().any(|piece| {
            is_person_name(
                piece
                    .split_once(", ")
                    .map_or(piece.as_str(), |(name, _)| name),
            )
        })
    });
    reach && person
}

fn is_email(text: &str) -> bool {
    let text = text.trim_start_matches(|c: char| c.is_alphabetic() || c == ':' || c == ' ');
    text.contains('@') && !text.contains(' ') && text.contains('.')
}

/// `Tel: 877-310-0717` → `877-310-0717`: a phone number's short label goes.
fn phone_label_len(text: &str) -> usize {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?i:tel|phone|ph|telephone|office|mobile|cell|direct|main|fax|p|t|o|m)\.?:?\s+",
        )
        .expect("built-in pattern is valid")
    });
    LABEL.find(text).map_or(0, |found| found.end())
}

fn is_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let body = text[phone_label_len(text)..].trim();
    (7..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || "()-. +/x".contains(c) || c.is_ascii_alphabetic())
        && body.chars().filter(|c| c.is_ascii_alphabetic()).count() <= 4
}

/// `Tel: 877-310-0717` → `877-310-0717`.
fn phone_digits_part(text: &str) -> String {
    text[phone_label_len(text)..].trim().to_string()
}

pub fn is_organisation(text: &str, company: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "Inc",
        "Inc.",
        "Corp",
        "Corp.",
        "Corporation",
        "Company",
        "Co.",
        "LLC",
        "Ltd",
        "Ltd.",
        "plc",
        "PLC",
        "Group",
        "Partners",
        "Associates",
        "Communications",
        "Holdings",
        "N.V.",
        "S.A.",
        "AG",
        "L.P.",
        "Incorporated",
        "Limited",
        "IR",
        "PR",
        "Advisors",
        "Consulting",
        "Strategies",
        "Bancorp",
        "Trust",
    ];
    (!company.is_empty() && text.eq_ignore_ascii_case(company))
        || text.split_whitespace().last().is_some_and(|last| {
            let last = last.trim_end_matches(',');
            SUFFIXES
                .iter()
                .any(|suffix| suffix.eq_ignore_ascii_case(last))
        })
}

/// Two to four capitalised words, initials allowed: `Jane Doe`, `J. Michael Smith`, `Mary Ann
/// van Dyke`, `César García`.
pub fn is_person_name(text: &str) -> bool {
    const HONORIFICS: &[&str] = &["Dr.", "Mr.", "Ms.", "Mrs."];
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .collect();
    (2..=4).contains(&words.len())
        && !is_role(text)
        && !words
            .iter()
            .any(|word| ORGANISATION_WORDS.contains(word) || COUNTRY_WORDS.contains(word))
        // `Acme Reports Record Results` says something; a name does not.
        && !words
            .iter()
            .any(|word| is_headline_verb(word))
        && words.iter().all(|word| {
            NAME_SUFFIXES.contains(word)
                || HONORIFICS.contains(word)
                || is_initial(word)
                || (word
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '\'' | '\u{2019}' | '-'))
                    && (word.starts_with(|c: char| c.is_uppercase())
                        || matches!(*word, "van" | "von" | "de" | "der" | "la" | "du"))
                    && word.chars().any(char::is_lowercase))
        })
}

/// Words of countries' names, set alone on a letterhead's address lines (`United Kingdom`);
/// names that are also people's (`Jordan`, `Georgia`) are left out.
const COUNTRY_WORDS: &[&str] = &[
    "Kingdom",
    "States",
    "Republic",
    "Islands",
    "Canada",
    "Australia",
    "Germany",
    "France",
    "Japan",
    "China",
    "Switzerland",
    "Netherlands",
    "Ireland",
    "Mexico",
    "Brazil",
    "India",
    "Singapore",
    "Sweden",
    "Norway",
    "Denmark",
    "Finland",
    "Belgium",
    "Luxembourg",
    "Bermuda",
    "Cayman",
    "Greece",
    "Italy",
    "Spain",
    "Korea",
    "Taiwan",
    "Kong",
    "Zealand",
    "Africa",
];

/// Words of company names, never of a person's.
const ORGANISATION_WORDS: &[&str] = &[
    "Systems",
    "Technologies",
    "Technology",
    "Group",
    "Corporation",
    "Company",
    "Holdings",
    "International",
    "Bank",
    "Bancorp",
    "Energy",
    "Pharmaceuticals",
    "Communications",
    "Partners",
    "Capital",
    "Industries",
    "Resources",
    "Solutions",
    "Networks",
    "Services",
    "Laboratories",
    "Therapeutics",
    "Sciences",
    "Financial",
    "Media",
    "Investor",
    "Investors",
    "Relations",
    "News",
    "Advisors",
    "Associates",
    "Global",
    "Inquiries",
    "Contact",
    "Contacts",
    "Release",
];

pub fn is_initial(word: &str) -> bool {
    word.len() == 2 && word.ends_with('.') && word.starts_with(|c: char| c.is_uppercase())
}

/// Words of a job title: `Director of Investor Relations`, `Vice President, Corporate
/// Communications`.
pub fn is_role(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| ROLE_WORDS.contains(&word))
}

/// `President, North American Operations`, `Vice President-Finance and CFO`: a role and the part of
/// the company it serves, as a contact's line gives them.
pub fn is_role_of_a_part(text: &str) -> bool {
    text.split_once([',', '-']).is_some_and(|(role, part)| {
        is_only_role(role)
            && (1..=5).contains(&part.split_whitespace().count())
            && !has_headline_verb(part)
    })
}

/// `Chairman & CEO`, `Vice President, Investor Relations`: a role and nothing else, as a
/// contact block sets it on a line of its own.
pub fn is_only_role(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // `and Chief Executive Officer` goes on from the line above.
    let goes_on = words
        .first()
        .is_some_and(|word| word.eq_ignore_ascii_case("and"));
    (1..=8).contains(&words.len())
        && !goes_on
        && words.iter().all(|word| {
            ROLE_WORDS
                .iter()
                .any(|role| role.eq_ignore_ascii_case(word))
                || [
                    "financial",
                    "operating",
                    "accounting",
                    "general",
                    "corporate",
                    "development",
                ]
                .iter()
                .any(|role| role.eq_ignore_ascii_case(word))
                || matches!(word.to_lowercase().as_str(), "and" | "of" | "the" | "for")
        })
}

const ROLE_WORDS: &[&str] = &[
    "President",
    "Officer",
    "Director",
    "Manager",
    "Relations",
    "Vice",
    "Chief",
    "Head",
    "Treasurer",
    "Secretary",
    "Communications",
    "Affairs",
    "Investor",
    "Media",
    "Public",
    "Senior",
    "Executive",
    "Chairman",
    "Controller",
    "Counsel",
    "Analyst",
    "Specialist",
    "Coordinator",
    "Associate",
    "Partner",
    "CFO",
    "CEO",
    "VP",
    "SVP",
    "EVP",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<FoundDate> {
        Some(FoundDate::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    fn read(paragraph: &str) -> (String, Option<FoundDate>, &str, bool) {
        let found = dateline(paragraph).unwrap_or_else(|| panic!("no dateline in {paragraph:?}"));
        (
            found.city,
            found.date,
            &paragraph[found.rest..],
            found.strong,
        )
    }

    #[test]
    fn datelines_of_two_cities_and_a_glued_hyphen() {
        for (paragraph, city) in [
            (
                "NEW YORK and LONDON, May 1, 2020 -- Acme S.A. today",
                "New York",
            ),
            (
                "MONTREAL and CHARLOTTE, N.C., September 4, 2024 (GLOBE NEWSWIRE) -- Acme today",
                "Montreal",
            ),
            (
                "Stamford, Connecticut and Englewood, Colorado, May 1, 2013 - Acme today",
                "Stamford",
            ),
            (
                "New York-November 8, 2006 \u{2013} Acme (NYSE: ARO) today",
                "New York",
            ),
            (
                "ROCHESTER, Minn. Wednesday, November 1, 2006 \u{2013} Acme Inc. today",
                "Rochester",
            ),
        ] {
            assert_eq!(read(paragraph).0, city, "{paragraph}");
        }
    }

    #[test]
    fn datelines_of_every_common_form() {
        assert_eq!(
            dateline("March 5, 2002 -- Little Rock,  Arkansas -- Dillard's, Inc. (DDS-NYSE) today")
                .map(|found| found.city),
            Some("Little Rock".into())
        );
        assert_eq!(
            read("LOS ANGELES - - - - HemaCare Corporation (OTC"),
            (
                "Los Angeles".into(),
                None,
                "HemaCare Corporation (OTC",
                false
            )
        );
        assert_eq!(
            read("Los Angeles, CA, June 27, 2003 - HemaCare Corporation"),
            (
                "Los Angeles".into(),
                date(2003, 6, 27),
                "HemaCare Corporation",
                true
            )
        );
        assert_eq!(
            read("SAN JOSE, Calif.--(BUSINESS WIRE)--April 20, 2016--Cisco today said"),
            (
                "San Jose".into(),
                date(2016, 4, 20),
                "Cisco today said",
                true
            )
        );
        assert_eq!(
            read("OMAHA, Neb., Mar. 3, 2021 (BUSINESS WIRE) -- Acme Inc. today"),
            ("Omaha".into(), date(2021, 3, 3), "Acme Inc. today", true)
        );
        assert_eq!(
            read("Des Plaines, IL (March 8, 2012) \u{2014} Acme today"),
            ("Des Plaines".into(), date(2012, 3, 8), "Acme today", true)
        );
        assert_eq!(
            read("GASTONIA, N.C., Oct. 28 /PRNewswire-FirstCall/ \u{2014} Citizens South"),
            (
                "Gastonia".into(),
                Some(FoundDate::NoYear { month: 10, day: 28 }),
                "Citizens South",
                true
            )
        );
        assert_eq!(
            read("CUPERTINO, California -- September 3, 1999 -- Apple today announced"),
            (
                "Cupertino".into(),
                date(1999, 9, 3),
                "Apple today announced",
                true
            )
        );
        assert_eq!(
            read("EVANSTON, Ill.\u{2013}(BUSINESS WIRE)\u{2013}\nAptinyx Inc. (Nasdaq: APTX)"),
            ("Evanston".into(), None, "Aptinyx Inc. (Nasdaq: APTX)", true)
        );
        assert_eq!(
            read("Jersey City, New Jersey-- Food Concepts, Inc., (OTC BB: JAVA), announces"),
            (
                "Jersey City".into(),
                None,
                "Food Concepts, Inc., (OTC BB: JAVA), announces",
                true
            )
        );
        assert_eq!(
            read("SAN JOSE, Calif.--(BUSINESS WIRE) via First!--Cisco Systems Inc. (NASDAQ:CSCO)"),
            (
                "San Jose".into(),
                None,
                "Cisco Systems Inc. (NASDAQ:CSCO)",
                true
            )
        );
        assert_eq!(
            read("ST. LOUIS, Jan. 5, 2010 /PRNewswire/ -- Acme"),
            ("St. Louis".into(), date(2010, 1, 5), "Acme", true)
        );
        assert_eq!(
            read("BOSTON--(BUSINESS WIRE)--Nov. 23, 2005--GlycoGenesys, Inc. (NASDAQ:GLGS)"),
            (
                "Boston".into(),
                date(2005, 11, 23),
                "GlycoGenesys, Inc. (NASDAQ:GLGS)",
                true
            )
        );
    }

    #[test]
    fn prose_is_not_a_dateline() {
        for text in [
            "Revenue in the third quarter of 2003 was $6,980,000 - up 5%.",
            "The Company (as defined) today said",
            "Net sales were $1.2 billion, up 4% from a year ago -- a record.",
        ] {
            assert_eq!(dateline(text), None, "{text}");
        }
    }

    #[test]
    fn a_role_and_the_part_it_serves() {
        assert!(is_role_of_a_part("President, North American Operations"));
        assert!(is_role_of_a_part("Vice President, Finance"));
        assert!(!is_role_of_a_part("President, Acme Announces Record Sales"));
        assert!(!is_role_of_a_part("Toronto, Ontario"));
        assert!(is_contact_line("Phil Bourdillon/Gene Heller", ""));
        assert!(!is_person_name("United Kingdom"));
        assert!(is_shouted_name("BRAD CARLSON"));
        assert!(!is_shouted_name("NEWS RELEASE"));
        assert_eq!(
            contact(&["BRAD CARLSON", "(952) 851-6020"], "").name,
            Some("Brad Carlson".into())
        );
    }

    #[test]
    fn date_lines() {
        assert_eq!(
            date_line("April 2, 2004 For 1:30 EST Release"),
            Some(FoundDate::Date(
                NaiveDate::from_ymd_opt(2004, 4, 2).unwrap()
            ))
        );
        assert_eq!(
            date_line("RELEASE DATE:  November 14, 2003"),
            date(2003, 11, 14)
        );
        assert_eq!(date_line("Date:       January 26, 1998"), date(1998, 1, 26));
        assert_eq!(date_line("June 9, 2010 08:30 ET"), date(2010, 6, 9));
        assert_eq!(
            date_line("FOR IMMEDIATE RELEASE: March 2, 2009"),
            date(2009, 3, 2)
        );
        assert_eq!(date_line("Monday, March 2, 2009"), date(2009, 3, 2));
        assert_eq!(date_line("February 30, 2004"), Some(FoundDate::NoSuchDate));
        assert_eq!(
            date_line("Results for the quarter ended June 30, 2003"),
            None
        );
        assert_eq!(
            date_line("Release: Immediate (Dec. 13, 2012)"),
            date(2012, 12, 13)
        );
        assert_eq!(date_line("2019-03-21"), date(2019, 3, 21));
    }

    #[test]
    fn dates_in_words_and_in_figures() {
        let found = |text: &str| find_date(text).map(|(found, _)| found);
        assert_eq!(
            found("Brisbane, Australia, 29th March 2010."),
            date(2010, 3, 29)
        );
        assert_eq!(found("BALTIMORE, MD — 11/9/2004 — Acme"), date(2004, 11, 9));
        assert_eq!(found("on 29/3/2010 in Sydney"), date(2010, 3, 29));
        assert_eq!(found("net income of 1,234 and 5,678"), None);
        assert_eq!(found("a 3/4 share"), None);
    }

    #[test]
    fn listings_by_their_usual_names() {
        let cases = [
            (
                "HemaCare Corporation (OTC Bulletin Board: HEMA.OB) today",
                "OTC Bulletin Board",
                "HEMA",
            ),
            ("Acme (NYSE: ACM) said", "NYSE", "ACM"),
            ("Acme (NASDAQ:ACME) said", "Nasdaq", "ACME"),
            ("Acme (Nasdaq Global Select Market: ACME)", "Nasdaq", "ACME"),
            ("(OTC BB: JAVA)", "OTC Bulletin Board", "JAVA"),
            ("(AMEX: XYZ)", "American Stock Exchange", "XYZ"),
            ("(OTCQB: ABCD)", "OTCQB", "ABCD"),
            ("Acme Corporation (NasdaqCM:TCCO) today", "Nasdaq", "TCCO"),
            ("Lexaria Corp. (LXRP-OTCQB) (LXX-CSE) is", "OTCQB", "LXRP"),
            ("Acme Inc. (ABC:NYSE) said", "NYSE", "ABC"),
            (
                "BJ Services Company (BJS \u{2013} NYSE, CBOE, PCX)",
                "NYSE",
                "BJS",
            ),
            ("Acme (NYSE and Nasdaq: ACM)", "NYSE", "ACM"),
            ("Acme (NYSE: BRK.B)", "NYSE", "BRK.B"),
            ("Acme (NYSE MKT: AB)", "NYSE American", "AB"),
            ("Sono-Tek Corporation (OTC QB: SOTK)", "OTCQB", "SOTK"),
            ("(OTCIQ: AMNL)", "OTCIQ", "AMNL"),
            ("(NASDAQ SYMBOL: KOSS)", "Nasdaq", "KOSS"),
            (
                "(OTC Bulletin Board \u{2013} TSTA)",
                "OTC Bulletin Board",
                "TSTA",
            ),
            ("(NYSE Alternext US: AXK)", "NYSE American", "AXK"),
            (
                "TSX Venture Exchange Symbol: MDW",
                "TSX Venture Exchange",
                "MDW",
            ),
            ("NYSE, TSX: NTR", "NYSE", "NTR"),
            ("NASDAQ -- TRST", "Nasdaq", "TRST"),
        ];
        for (text, market, ticker) in cases {
            assert_eq!(
                listing(text),
                Some((market.into(), ticker.into())),
                "{text}"
            );
        }
        assert_eq!(listing("sold on the NYSE floor"), None);
        for line in [
            "TSX Venture Exchange Symbol: MDW",
            "(NYSE: TOY)",
            "TSX: PTQ",
            "NYSE, TSX: NTR",
        ] {
            assert!(is_listing_line(line), "{line}");
        }
        for line in [
            "BIRMINGHAM, Ala.--(BUSINESS WIRE)--ProAssurance (NYSE: PRA):",
            "Acme Lists Its Shares on NYSE: ACME",
        ] {
            assert!(!is_listing_line(line), "{line}");
        }
        assert!(is_market_name("Nasdaq") && is_market_name(" NYSE "));
        assert!(!is_market_name("Nasdaq listing"));
        assert_eq!(
            bare_ticker("Global Defense Systems, Inc. (the \u{201c}Company\u{201d}) (GDEF) today"),
            Some("GDEF".into())
        );
        assert_eq!(bare_ticker("approval from the agency (FDA) today"), None);
        assert_eq!(
            listing("Its stock is traded in the United States on NASDAQ under the symbol CSCO."),
            Some(("Nasdaq".into(), "CSCO".into()))
        );
    }

    #[test]
    fn contacts_in_their_usual_shapes() {
        assert_eq!(contact_label("Investor Contact:"), Some(""));
        assert_eq!(
            contact_label("Contact:  HemaCare Corporation"),
            Some("HemaCare Corporation")
        );
        assert_eq!(contact_label("MEDIA CONTACTS: Jane Doe"), Some("Jane Doe"));
        assert_eq!(contact_label("Contacts are key"), None);
        let found = contact(
            &[
                "HemaCare Corporation",
                "JoAnn Mannise, Director of Investor Relations",
                "877-310-0717",
                "www.hemacare.com",
            ],
            "HemaCare Corporation",
        );
        assert_eq!(found.organization.as_deref(), Some("HemaCare Corporation"));
        assert_eq!(found.name.as_deref(), Some("JoAnn Mannise"));
        assert_eq!(
            found.title.as_deref(),
            Some("Director of Investor Relations")
        );
        assert_eq!(found.phone.as_deref(), Some("877-310-0717"));
        let found = contact(
            &[
                "Nancy Paxton",
                "Apple",
                "paxton1@apple.com",
                "(408) 974-5420",
            ],
            "Apple Inc.",
        );
        assert_eq!(found.name.as_deref(), Some("Nancy Paxton"));
        assert_eq!(found.phone.as_deref(), Some("(408) 974-5420"));
    }
}
