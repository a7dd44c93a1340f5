//! Facts stated in a release's prose: dateline, listing, people, quotes, events, category.
//!
//! Press releases follow a house style closely enough that a small set of patterns reads them:
//! "Judi Irving, President and Chief Executive Officer, stated, "…"", "conference call on
//! Friday, November 14, 2003 at 4:30 pm (Eastern Standard Time)". What the patterns miss is left
//! out rather than guessed: every field here may be hand-edited afterwards.

use crate::diagnostics::Diagnostic;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::{Captures, Regex};

use super::doc::Text;
use super::header::parse_date;
use crate::model::{Category, Event, EventKind, EventTime, Person, Quote, Replay};

/// A date as a person writes it: `November 14, 2003`, `Nov. 14, 2003`, `Sept. 30 2003`.
const DATE: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2},?\s+\d{4}";

fn regex(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("{DATE}", DATE)).expect("built-in pattern is valid")
}

/// The company named at the start of the news: `HemaCare Corporation (OTC ...` → `HemaCare Corporation`.
pub fn company_before_listing(text: &str) -> Option<String> {
    let name = text[..text.find('(')?].trim().trim_end_matches(',');
    looks_like_company(name).then(|| name.to_string())
}

/// The company that opens the news without a listing: `Cisco Systems Inc. today announced …`.
pub fn company_before_verb(text: &str) -> Option<String> {
    static VERB: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"\s(?:today\s|(?:mon|tues|wednes|thurs|fri)day\s)?(?:announced|reported|said|declared|named|has\s|is\s|will\s)",
        )
    });
    let at = VERB.find(text.get(..text.len().min(120))?)?.start();
    let name = text[..at].trim().trim_end_matches(',');
    looks_like_company(name).then(|| name.to_string())
}

fn looks_like_company(name: &str) -> bool {
    !name.is_empty()
        && name.split_whitespace().count() <= 6
        && name
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase) || w == "&")
}

const NAME: &str = r"(?:(?:Dr|Mr|Ms|Mrs)\.\s)?(?:Wm\.|[A-Z][a-z]+)(?:\s(?:[A-Z]\.|[A-Z][a-zA-Z'\-]+|Van|Der|van|der|de|La))*\s[A-Z][a-zA-Z'\-]+(?:,\s(?:M\.D\.|Ph\.D\.|Jr\.|Sr\.))?";
const ROLE: &str = r"(?:Chief|President|Vice|Chairman|Chairwoman|Director|Senior|Sr\.|Executive|Treasurer|Secretary|Controller|General|CEO|CFO|COO)(?:\s(?:and|of|&|Sr\.|[A-Z][A-Za-z&\-/]*))*";
/// Words one of which every [`ROLE`] contains.
const ROLE_WORDS: &[&str] = &[
    "Chief",
    "President",
    "Vice",
    "Chair",
    "Director",
    "Senior",
    "Sr.",
    "Executive",
    "Treasurer",
    "Secretary",
    "Controller",
    "General",
    "CEO",
    "CFO",
    "COO",
];
const POSSESSIVE: &str = r"(?:(?:the\s)?[A-Z][A-Za-z]*(?:'s|\u{2019}s)\s|its\s)?";

/// Everyone the release names with a role, in order of first appearance.
pub fn people(paragraphs: &[&Text], company: &str) -> Vec<Person> {
    /// Each pattern names one or more people (`names`) and usually their role (`role`).
    static PATTERNS: LazyLock<[(Regex, Tense); 4]> = LazyLock::new(|| {
        [
            // Judi Irving, President and Chief Executive Officer, stated
            (
                regex(&format!(
                    r"(?P<names>{NAME}),\s{POSSESSIVE}(?P<role>{ROLE})(?:,|\s+said|\s+stated|\s+will|\.|\s+commented)"
                )),
                Tense::Current,
            ),
            // the appointment of A and B to its Board of Directors / of C as the Company's CFO
            (
                regex(&format!(
                    r"appointment\sof\s(?P<names>{NAME}(?:\s(?:and|&)\s{NAME})*)\s(?:as\s{POSSESSIVE}(?P<role>{ROLE})|to\s(?:its|the\sCompany's|the)\sBoard\sof\sDirectors)"
                )),
                Tense::Current,
            ),
            // Dana Smith has been named Chief Operating Officer
            (
                regex(&format!(
                    r"(?P<names>{NAME})\shas\sbeen\s(?:named|appointed|promoted\sto|elected)\s(?:as\s)?{POSSESSIVE}(?P<role>{ROLE})"
                )),
                Tense::Current,
            ),
            // Marcario replaces David Fractor as the Company's CFO
            (
                regex(&format!(
                    r"[A-Z][a-z]+\sreplaces\s(?P<names>{NAME})\sas\s{POSSESSIVE}(?P<role>{ROLE})"
                )),
                Tense::Former,
            ),
        ]
    });
    static ONE_NAME: LazyLock<Regex> = LazyLock::new(|| regex(NAME));

    let mut found: Vec<(usize, usize, Person)> = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let text = &paragraph.text;
        // Cheap tests first: most paragraphs name nobody.
        let names_a_role = ROLE_WORDS.iter().any(|word| text.contains(word));
        if !names_a_role && !text.contains("Board of Directors") {
            continue;
        }
        for (pattern, tense) in PATTERNS.iter() {
            for m in pattern.captures_iter(text) {
                let role = match (m.name("role"), tense) {
                    (Some(role), Tense::Current) => clean_role(role.as_str(), company),
                    (Some(role), Tense::Former) => {
                        format!("Former {}", clean_role(role.as_str(), company))
                    }
                    (None, _) => "Director".to_string(),
                };
                let offset = m.get(0).map_or(0, |g| g.start());
                for name in ONE_NAME.find_iter(&m["names"]) {
                    found.push((index, offset, person(name.as_str(), &role)));
                }
            }
        }
    }
    found.sort_by_key(|(paragraph, offset, _)| (*paragraph, *offset));
    let mut people: Vec<Person> = Vec::new();
    for (_, _, candidate) in found {
        if !people.iter().any(|p| p.name == candidate.name) {
            people.push(candidate);
        }
    }
    people
}

/// Whether the release gives someone's role now or the role they are leaving.
enum Tense {
    Current,
    Former,
}

fn person(name: &str, role: &str) -> Person {
    Person {
        name: super::text::collapse_spaces(name),
        role: role.to_string(),
    }
}

/// `President and CEO` → `President and Chief Executive Officer`; `Chairman of HemaCare
/// Corporation` → `Chairman`.
fn clean_role(role: &str, company: &str) -> String {
    let mut role = super::text::collapse_spaces(role.trim_end_matches(['.', ',']));
    for suffix in [format!(" of {company}"), " of the Company".to_string()] {
        if let Some(stripped) = role.strip_suffix(&suffix) {
            role = stripped.to_string();
        }
    }
    role.split(' ')
        .map(|word| match word {
            "CEO" => "Chief Executive Officer",
            "CFO" => "Chief Financial Officer",
            "COO" => "Chief Operating Officer",
            "Sr." => "Senior",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotations of at least a sentence, each with the person who said it.
pub fn quotes(paragraphs: &[&Text], people: &[Person]) -> Vec<Quote> {
    static QUOTED: LazyLock<Regex> =
        LazyLock::new(|| regex(r#""(?P<a>[^"]{25,})"|\u{201c}(?P<b>[^\u{201d}]{25,})\u{201d}"#));
    let mut quotes = Vec::new();
    for paragraph in paragraphs {
        let text = &paragraph.text;
        // (where the last quotation ended, who said it)
        let mut previous: Option<(usize, String)> = None;
        for found in QUOTED.captures_iter(text) {
            let whole = found.get(0).expect("group 0 always matches");
            let quoted = found
                .name("a")
                .or(found.name("b"))
                .map_or("", |m| m.as_str());
            if !quoted.contains(' ') || !quoted.trim_end().ends_with(['.', ',', '!', '?']) {
                continue; // a defined term such as ("the Meeting"), not a quotation
            }
            let speaker = speaker_after(&text[whole.end()..])
                .or_else(|| speaker_before(&text[..whole.start()], people))
                .or_else(|| continued_speaker(previous.as_ref(), whole.start()));
            let Some(speaker) = speaker else { continue };
            let speaker = full_name(&speaker, people);
            quotes.push(Quote {
                speaker: speaker.clone(),
                text: quotation_text(quoted),
            });
            previous = Some((whole.end(), speaker));
        }
    }
    quotes
}

/// `…," stated Judi Irving, HemaCare's…` or `…," stated Irving.`
fn speaker_after(after: &str) -> Option<String> {
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"^\s*(?:said|stated|commented|added|noted)\s(?P<name>{NAME}|[A-Z][a-z]+)|^\s*(?P<name2>{NAME}|[A-Z][a-z]+)\s(?:said|stated|commented|added|noted)"
        ))
    });
    // `said Oracle Chairman and CTO, Larry Ellison`: the title first, the name after its comma.
    static TITLE_THEN_NAME: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"^\s*(?:said|stated|commented|added|noted)\s(?:[A-Z][\w&.'\u{{2019}}-]*\s){{0,4}}(?:CEO|CFO|COO|CTO|Chairman|Chairwoman|President|Founder|Officer|Director)(?:\s(?:and|&)\s(?:CEO|CFO|COO|CTO|Chairman|President|Founder))?,\s(?P<name>{NAME})"
        ))
    });
    if let Some(found) = TITLE_THEN_NAME.captures(after) {
        return Some(found["name"].to_string());
    }
    let found = AFTER.captures(after)?;
    found
        .name("name")
        .or(found.name("name2"))
        .map(|m| m.as_str().to_string())
}

/// `Judi Irving, President and Chief Executive Officer said, "…`: the last person named before
/// the quotation, when the words just before it say someone speaks.
fn speaker_before(before: &str, people: &[Person]) -> Option<String> {
    static SPEAKS: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?:said|stated|commented|added|noted|says)\s*[,:]?\s*$"));
    if !SPEAKS.is_match(before) {
        return None;
    }
    people
        .iter()
        .filter_map(|p| before.rfind(&p.name).map(|at| (at, &p.name)))
        .max_by_key(|(at, _)| *at)
        .map(|(_, name)| name.clone())
}

/// `"…," stated Irving. "The Company will…"`: a quotation right after another one's attribution
/// continues it.
fn continued_speaker(previous: Option<&(usize, String)>, start: usize) -> Option<String> {
    let (end, speaker) = previous?;
    (start.saturating_sub(*end) <= 40).then(|| speaker.clone())
}

/// `Irving` → `Judi Irving` when the release names her in full.
fn full_name(speaker: &str, people: &[Person]) -> String {
    people
        .iter()
        .find(|p| p.name == speaker || p.name.split_whitespace().any(|part| part == speaker))
        .map_or_else(|| speaker.to_string(), |p| p.name.clone())
}

/// A quotation standing on its own ends with a full stop, not the comma that led into
/// "stated Irving".
fn quotation_text(quoted: &str) -> String {
    let text = super::text::collapse_spaces(quoted);
    match text.strip_suffix(',') {
        Some(stripped) => format!("{stripped}."),
        None => text,
    }
}

/// Conference calls, annual meetings, record dates and proxy mailings.
pub fn events(paragraphs: &[&Text]) -> (Vec<Event>, Vec<Diagnostic>) {
    let mut events = Vec::new();
    let mut issues = Vec::new();
    static MENTIONS_CALL: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)conference\s+call"));
    static MENTIONS_MEETING: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)annual\s+meeting"));
    for paragraph in paragraphs {
        if MENTIONS_CALL.is_match(&paragraph.text)
            && let Some(call) = conference_call(&paragraph.text)
        {
            events.push(call);
        }
        if !MENTIONS_MEETING.is_match(&paragraph.text) {
            continue;
        }
        match annual_meeting(&paragraph.text) {
            Ok(mut found) => events.append(&mut found),
            Err(message) => issues.push(Diagnostic::line_warning(paragraph.line, message)),
        }
    }
    (events, issues)
}

fn conference_call(text: &str) -> Option<Event> {
    static CALL: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)conference\s+call\s+on\s+(?:[A-Z][a-z]+day,\s+)?(?P<date>{DATE})\s+at\s+(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>[ap])\.?\s*m\.?\s*\((?P<zone>[A-Za-z ]+?)\)",
        )
    });
    static DIAL_IN: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(?i)(?:please\s+)?(?:call|dial)\s+(?P<phone>\(?\d{3}\)?[-.\s]\d{3}[-.]\d{4})")
    });
    static REPLAY: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)replayed\s+by\s+(?:calling|dialing)\s+(?P<phone>\(?\d{3}\)?[-.\s]\d{3}[-.]\d{4})",
        )
    });
    static PASSCODE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)(?:ID\s+number|passcode|pass\s+code|access\s+code|conference\s+ID)\s*:?\s*#?\s*(?P<code>\d+)",
        )
    });
    static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(?i)through\s+midnight,?\s+(?:[A-Z][a-z]+day,\s+)?(?P<date>{DATE})")
    });
    static WEBCAST: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?i)webcast[^.]*?\((?P<url>(?:https?://)?www\.[^)\s]+)\)"));
    static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(?i)\b(?P<which>first|second|third|fourth)\s+quarter\s+(?P<year>\d{4})")
    });

    let found = CALL.captures(text)?;
    let offset = zone_offset(&found["zone"])?;
    let start = local_time(&found, offset)?;
    let title = match QUARTER.captures(text) {
        Some(q) => format!(
            "{} quarter {} results conference call",
            crate::format::sentence_case(&q["which"]),
            &q["year"]
        ),
        None => "Conference call".to_string(),
    };
    let replay = REPLAY.captures(text).map(|r| Replay {
        phone: r["phone"].to_string(),
        passcode: PASSCODE.captures(text).map(|p| p["code"].to_string()),
        until: UNTIL
            .captures(text)
            .and_then(|u| parse_date(&u["date"]))
            .and_then(|day| at_offset(day, NaiveTime::from_hms_opt(23, 59, 0)?, offset)),
    });
    Some(Event {
        kind: EventKind::ConferenceCall,
        title,
        start: EventTime::At(start),
        location: None,
        dial_in: DIAL_IN.captures(text).map(|d| d["phone"].to_string()),
        replay,
        webcast: WEBCAST.captures(text).map(|w| w["url"].to_string()),
    })
}

/// The UTC offset a named US time zone implies: Eastern Daylight Time is −04:00.
fn zone_offset(name: &str) -> Option<FixedOffset> {
    let lower = name.to_lowercase();
    let hours = [
        ("eastern daylight", -4),
        ("eastern standard", -5),
        ("central daylight", -5),
        ("central standard", -6),
        ("mountain daylight", -6),
        ("mountain standard", -7),
        ("pacific daylight", -7),
        ("pacific standard", -8),
        ("edt", -4),
        ("est", -5),
        ("cdt", -5),
        ("cst", -6),
        ("mdt", -6),
        ("mst", -7),
        ("pdt", -7),
        ("pst", -8),
    ]
    .iter()
    .find(|(zone, _)| lower.starts_with(zone))?
    .1;
    FixedOffset::east_opt(hours * 3600)
}

fn local_time(found: &Captures<'_>, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let day = parse_date(&found["date"])?;
    let time = clock_time(
        &found["hour"],
        found.name("minute").map_or("0", |m| m.as_str()),
        &found["ampm"],
    )?;
    at_offset(day, time, offset)
}

fn clock_time(hour: &str, minute: &str, am_pm: &str) -> Option<NaiveTime> {
    let hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    let hour = match (am_pm.to_ascii_lowercase().as_str(), hour) {
        ("a", 12) => 0,
        ("p", 12) => 12,
        ("p", h) => h + 12,
        (_, h) => h,
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

fn at_offset(
    day: NaiveDate,
    time: NaiveTime,
    offset: FixedOffset,
) -> Option<DateTime<FixedOffset>> {
    offset
        .from_local_datetime(&NaiveDateTime::new(day, time))
        .single()
}

/// The annual meeting, with its record date and proxy mailing, as one announcement states them.
fn annual_meeting(text: &str) -> Result<Vec<Event>, String> {
    static MEETING: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)(?P<year>\d{4})\s+annual\s+meeting\s+of\s+(?:shareholders|stockholders)[^.]*?will\s+be\s+held\s+on\s+(?:[A-Z][a-z]+day,\s+)?(?P<date>{DATE}),?\s+at\s+(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>[ap])\.\s*m\.\s*(?:\((?P<local>local\s+time)\)|\((?P<zone>[A-Za-z ]+?)\))?\s*(?:at\s+(?P<place>[^.]*?,\s*[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)*\s+\d{5}(?:-\d{4})?|[^.]+))?",
        )
    });
    static RECORD: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)(?:shareholders|stockholders)\s+of\s+record\s+(?:at\s+the\s+close\s+of\s+business\s+)?on\s+(?:[A-Z][a-z]+day,\s+)?(?P<date>{DATE})",
        )
    });
    static PROXY: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)proxy\s+(?:statement|materials)[^.]*?mailed[^.]*?on\s+or\s+about\s+(?P<date>{DATE})",
        )
    });
    let Some(found) = MEETING.captures(text) else {
        return Ok(Vec::new());
    };
    let year = &found["year"];
    let meeting_name = format!("{year} Annual Meeting of Shareholders");
    let place = found.name("place").map(|p| tidy_place(p.as_str()));
    let offset = match (found.name("zone"), &place) {
        (Some(zone), _) => zone_offset(zone.as_str()),
        (None, Some(place)) => place_offset(place, &found["date"]),
        (None, None) => None,
    };
    let Some(offset) = offset else {
        return Err(format!(
            "the {meeting_name} has a time but no time zone this tool can tell from its place; \
             add `start:` with the UTC offset by hand"
        ));
    };
    let start = local_time(&found, offset)
        .ok_or_else(|| format!("the date or time of the {meeting_name} cannot be read"))?;
    let mut events = vec![Event {
        kind: EventKind::AnnualMeeting,
        title: meeting_name,
        start: EventTime::At(start),
        location: place,
        dial_in: None,
        replay: None,
        webcast: None,
    }];
    let dated = |pattern: &Regex, kind, title: String| {
        let day = parse_date(&pattern.captures(text)?["date"])?;
        Some(Event {
            kind,
            title,
            start: EventTime::Day(day),
            location: None,
            dial_in: None,
            replay: None,
            webcast: None,
        })
    };
    events.extend(dated(
        &RECORD,
        EventKind::RecordDate,
        format!("Record date for the {year} Annual Meeting"),
    ));
    events.extend(dated(
        &PROXY,
        EventKind::ProxyMailing,
        format!("Proxy statement for the {year} Annual Meeting expected to be mailed"),
    ));
    Ok(events)
}

/// `the Company's corporate headquarters located at 21101 Oxnard Street, …` →
/// `Corporate headquarters, 21101 Oxnard Street, …`.
fn tidy_place(place: &str) -> String {
    let place = super::text::collapse_spaces(place);
    let place = place
        .strip_prefix("the Company's ")
        .or_else(|| place.strip_prefix("the Company\u{2019}s "))
        .or_else(|| place.strip_prefix("the "))
        .unwrap_or(&place)
        .to_string();
    let place = match place.split_once(" located at ") {
        Some((what, address)) => format!("{what}, {address}"),
        None => place,
    };
    capitalise_first(&place)
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "Local time" at a US address: the state names the zone, and the zone's rules for that date
/// (daylight saving or not) give the offset.
fn place_offset(place: &str, date: &str) -> Option<FixedOffset> {
    use chrono::Offset;
    let zone = US_STATE_ZONES
        .iter()
        .find(|(state, _)| place.contains(state))?
        .1;
    let day = parse_date(date)?;
    let noon = NaiveDateTime::new(day, NaiveTime::from_hms_opt(12, 0, 0)?);
    Some(zone.offset_from_local_datetime(&noon).single()?.fix())
}

/// The time zone of most of each state (the few split states take their most populous zone).
const US_STATE_ZONES: &[(&str, chrono_tz::Tz)] = {
    use chrono_tz::America::*;
    use chrono_tz::Pacific::Honolulu;
    &[
        ("California", Los_Angeles),
        ("Washington", Los_Angeles),
        ("Oregon", Los_Angeles),
        ("Nevada", Los_Angeles),
        ("Arizona", Phoenix),
        ("Colorado", Denver),
        ("Utah", Denver),
        ("New Mexico", Denver),
        ("Montana", Denver),
        ("Idaho", Boise),
        ("Wyoming", Denver),
        ("Texas", Chicago),
        ("Illinois", Chicago),
        ("Minnesota", Chicago),
        ("Missouri", Chicago),
        ("Wisconsin", Chicago),
        ("Iowa", Chicago),
        ("Kansas", Chicago),
        ("Oklahoma", Chicago),
        ("Louisiana", Chicago),
        ("Alabama", Chicago),
        ("Tennessee", Chicago),
        ("New York", New_York),
        ("New Jersey", New_York),
        ("Massachusetts", New_York),
        ("Pennsylvania", New_York),
        ("Florida", New_York),
        ("Georgia", New_York),
        ("Virginia", New_York),
        ("Maryland", New_York),
        ("Connecticut", New_York),
        ("Ohio", New_York),
        ("Michigan", Detroit),
        ("North Carolina", New_York),
        ("Delaware", New_York),
        ("District of Columbia", New_York),
        ("Hawaii", Honolulu),
        ("Alaska", Anchorage),
    ]
};

/// What the release is about, from its headline's words and what it carries. The headline's
/// first subject decides (`Announces $4 Million Financing, Elects Two New Directors` is about the
/// financing); the financial statements or the text only when the headline names no subject.
pub fn category(title: &str, has_financials: bool, text: &str) -> Category {
    let lower = title.to_lowercase().replace('\u{2019}', "'");
    let subject = first_subject(&lower);
    let words: Vec<&str> = subject
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |wanted: &[&str]| {
        words
            .iter()
            .any(|w| wanted.iter().any(|x| w.starts_with(x)))
    };
    let phrase = |wanted: &[&str]| wanted.iter().any(|p| subject.contains(p));
    // `Non-Executive Chairman of the Board` is a director's role.
    let non_executive = subject.contains("non-executive") || subject.contains("non executive");
    let executive = has(&["officer", "ceo", "cfo", "coo", "president", "chief"])
        || (has(&["executive"]) && !non_executive);
    let change = words.contains(&"new") || has(CHANGES);
    // `September Sales Up 7.1 Percent`: a month's name, written out (`May` is also a verb).
    let names_month = words
        .iter()
        .any(|word| word.len() > 3 && super::text::month_number(word).is_some());
    let period = names_month
        || has(&[
            "quarter",
            "year",
            "annual",
            "fiscal",
            "fy",
            "q1",
            "q2",
            "q3",
            "q4",
            "first",
            "second",
            "third",
            "fourth",
            "month",
            "preliminary",
            "interim",
            "half",
        ]);
    if phrase(&[
        "annual meeting",
        "shareholders meeting",
        "shareholders' meeting",
        "stockholders meeting",
        "stockholders' meeting",
        "special meeting",
        "annual general meeting",
        "voting results",
        "shareholder approval",
        "shareholders' approval",
        "stockholder approval",
        "stockholders' approval",
        "shareholders approve",
        "stockholders approve",
        "shareholder meeting",
        "stockholder meeting",
        "shareholder vote",
        "stockholder vote",
        "shareholders vote",
        "stockholders vote",
        "election of directors",
        "election of trustees",
    ]) {
        Category::ShareholderMeeting
    } else if (has(&["dividend", "distribution"])
        // `Announces 2 for 1 Stock Split`: a split is a dividend in stock (a reverse split is not).
        || (has(&["split"]) && !has(&["reverse"])))
        && !has(&["results", "earnings"])
        && !board_change_named_first(subject)
    {
        Category::Dividend
    } else if has(&["earnings"])
        || phrase(&["financial results"])
        || (period
            && has(&[
                "results",
                "profit",
                "loss",
                "revenue",
                "sales",
                "income",
                "bookings",
                "production",
            ]))
        || (has_financials && !has(&["acquire", "acquisition", "offering", "agreement"]))
    {
        Category::Earnings
    } else if has(&["board", "director", "directors", "chairman", "trustee"])
        && (change
            || phrase(&[
                "to board",
                "to the board",
                "to its board",
                "increases board",
            ]))
        && (!executive || phrase(&["to board", "to the board", "to its board"]))
    {
        Category::Board
    } else if executive
        || phrase(&[
            "management transition",
            "leadership transition",
            "management change",
            "management team",
            "senior management",
        ])
        || has(&[
            "appoint",
            "names",
            "named",
            "promot",
            "resign",
            "hires",
            "joins",
            "retire",
            "departs",
            "leadership",
            "chairman",
        ])
    {
        Category::Management
    } else if text
        .to_lowercase()
        .contains("annual meeting of shareholders")
        && has(&["meeting"])
    {
        Category::ShareholderMeeting
    } else {
        Category::Business
    }
}

/// The starts of words that name a change of people: `appoints`, `elected`, `resigns`, `steps`.
const CHANGES: &[&str] = &[
    "appoint",
    "elects",
    "elected",
    "election",
    "name",
    "join",
    "addition",
    "adds",
    "added",
    "resign",
    "retire",
    "nominat",
    "expand",
    "welcome",
    "depart",
    "step",
    "successor",
    "succeed",
    "succession",
    "chang",
    "vacanc",
    "assum",
    "refresh",
];

/// `Appointment of Ronald L. Skates to Its Board of Directors and Increase in Quarterly
/// Dividend`: a change to the board named before the dividend (`Board of Directors Declares …
/// Dividend` is the board declaring it, no change).
fn board_change_named_first(subject: &str) -> bool {
    let Some(dividend) = subject.find("dividend") else {
        return false;
    };
    let before = &subject[..dividend];
    before.contains(" board")
        && before
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| CHANGES.iter().any(|change| word.starts_with(change)))
}

/// A headline up to its second subject: cut at `;` or at `, ` before a headline verb
/// (`…, Elects Two New Directors`), lower-case.
fn first_subject(lower: &str) -> &str {
    let lower = lower.split(';').next().unwrap_or(lower);
    lower
        .match_indices(", ")
        .find(|(at, sep)| {
            let next = lower[at + sep.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            super::text::HEADLINE_VERBS.contains(&next)
        })
        .map_or(lower, |(at, _)| &lower[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str) -> Text {
        Text {
            line: 1,
            text: text.to_string(),
            ..Text::default()
        }
    }

    #[test]
    fn the_headlines_first_subject_decides_its_category() {
        let of = |title: &str| category(title, false, "");
        assert_eq!(
            of("Matritech Announces $4.36 Million Financing, Elects Two New Directors"),
            Category::Business
        );
        assert_eq!(of("Acme Elects Two New Directors"), Category::Board);
        assert_eq!(
            of("Acme Board of Directors Addresses Recent News Announcement"),
            Category::Business
        );
        assert_eq!(
            of("Acme Implements Plan to Reduce Costs and Improve Operating Results"),
            Category::Business
        );
        assert_eq!(
            of("Amerityre Reports FY 2016 Q4 Profit"),
            Category::Earnings
        );
        assert_eq!(
            of("Mindray Announces Shareholders\u{2019} Approval of Merger Agreement"),
            Category::ShareholderMeeting
        );
        assert_eq!(
            of("Acme Names Jane Doe Executive Vice Chairman; Provides Update"),
            Category::Management
        );
        assert_eq!(
            of("Acme Common Stock Transitions to OTC Expert Market"),
            Category::Business
        );
        assert_eq!(
            of("PPGI Announces Addition of CEO Joe Rutherford to Board"),
            Category::Board
        );
        assert_eq!(
            of("Summit Bancshares Announces 2 for 1 Stock Split"),
            Category::Dividend
        );
        assert_eq!(
            of("Acme Announces 1-for-10 Reverse Stock Split"),
            Category::Business
        );
        assert_eq!(
            of("Granite Announces Election of Trustees and Directors"),
            Category::ShareholderMeeting
        );
        assert_eq!(
            of("Acme Announces Second-Quarter Production Volumes"),
            Category::Earnings
        );
        assert_eq!(
            of("Acme Trust Announces Resignation of Trustee John Doe"),
            Category::Board
        );
        assert_eq!(of("Midway Increases Board"), Category::Board);
    }

    #[test]
    fn people_with_roles() {
        let paragraphs = [
            paragraph(
                "Commenting on the results, Judi Irving, President and Chief Executive Officer said, \"Fine.\"",
            ),
            paragraph("Marcario replaces David Fractor as the Company's CFO."),
            paragraph("Jay Steffenhagen, Chairman of HemaCare Corporation said, \"Good.\""),
        ];
        let refs: Vec<&Text> = paragraphs.iter().collect();
        let people = people(&refs, "HemaCare Corporation");
        let roles: Vec<(&str, &str)> = people
            .iter()
            .map(|p| (p.name.as_str(), p.role.as_str()))
            .collect();
        assert_eq!(
            roles,
            [
                ("Judi Irving", "President and Chief Executive Officer"),
                ("David Fractor", "Former Chief Financial Officer"),
                ("Jay Steffenhagen", "Chairman"),
            ]
        );
    }

    #[test]
    fn the_company_that_opens_the_news() {
        assert_eq!(
            company_before_verb("Cisco Systems Inc. today announced an agreement"),
            Some("Cisco Systems Inc.".to_string())
        );
        assert_eq!(
            company_before_listing("Food Concepts, Inc., (OTC BB: JAVA), announces"),
            Some("Food Concepts, Inc.".to_string())
        );
        assert_eq!(
            company_before_verb("In the quarter, revenue was flat and we said so"),
            None
        );
    }

    #[test]
    fn call_times_carry_their_zone() {
        let text = "HemaCare will be holding a conference call on Friday, November 14, 2003 at 4:30 pm (Eastern Standard Time). To participate, please call 800-309-8563. It can be replayed by calling 800-642-1687, ID number 3901827 through midnight, November 21, 2003.";
        let call = conference_call(text).unwrap();
        assert_eq!(
            call.start,
            EventTime::At(DateTime::parse_from_rfc3339("2003-11-14T16:30:00-05:00").unwrap())
        );
        let replay = call.replay.unwrap();
        assert_eq!(replay.passcode.as_deref(), Some("3901827"));
        assert_eq!(
            replay.until,
            Some(DateTime::parse_from_rfc3339("2003-11-21T23:59:00-05:00").unwrap())
        );
        assert_eq!(call.dial_in.as_deref(), Some("800-309-8563"));
    }

    #[test]
    fn local_time_follows_the_place() {
        assert_eq!(
            place_offset("Woodland Hills, California 91367", "May 25, 2004"),
            FixedOffset::east_opt(-7 * 3600)
        );
        assert_eq!(
            place_offset("Woodland Hills, California 91367", "January 25, 2004"),
            FixedOffset::east_opt(-8 * 3600)
        );
    }
}
