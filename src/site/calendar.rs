//! iCalendar (RFC 5545): `calendar.ics` with every event, and `events/<id>.ics` for each one;
//! and the "Add to Google Calendar" and "Outlook" links beside them.
//!
//! Timed events are written in UTC (`DTSTART:20031114T213000Z`), converted from the offset the
//! release gave, so that no time-zone table is needed and every client shows the right local
//! time; whole-day events are `VALUE=DATE`. UIDs come from the event's day and title and never
//! change between builds; `DTSTAMP` is the day the release announced the event, not the clock.
//!
//! Releases give when an event starts, never when it ends, so one rule, [`span`], says how long
//! it lasts, the same in the `.ics` files and the links: a timed event one hour
//! ([`TIMED_EVENT_LENGTH`], what a results call takes), a whole-day event its day.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::event::EventView;
use crate::config::SiteConfig;
use crate::format;
use crate::model::{Event, EventTime, Replay};

/// How long a timed event is taken to last, its release giving only its start.
pub const TIMED_EVENT_LENGTH: Duration = Duration::hours(1);

/// When an event takes place, as calendars are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// From `start` to `end`, in UTC.
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// The whole of `day`; calendars take the end as the next day, exclusive.
    Day(NaiveDate),
}

/// The duration rule: a timed event lasts [`TIMED_EVENT_LENGTH`], a whole-day event its day.
pub fn span(start: EventTime) -> Span {
    match start {
        EventTime::At(at) => {
            let start = at.with_timezone(&Utc);
            Span::Timed {
                start,
                end: start + TIMED_EVENT_LENGTH,
            }
        }
        EventTime::Day(day) => Span::Day(day),
    }
}

/// What a calendar link or file says about an event, in the event's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFields<'a> {
    pub title: &'a str,
    pub span: Span,
    /// The description: what [`description`] makes, and the release's address.
    pub details: String,
    pub location: Option<&'a str>,
}

/// A query value as `application/x-www-form-urlencoded` readers and the calendar services both
/// decode it: everything but letters, digits and `-._~/` percent-encoded (spaces as `%20`, `&`,
/// `=`, `+` and `#` always); `/`, allowed in a query, stays, so `dates=START/END` reads as such.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", utf8_percent_encode(value, QUERY_VALUE)))
        .collect::<Vec<_>>()
        .join("&")
}

/// "Add to Google Calendar": `…/render?action=TEMPLATE&text=…&dates=START/END&details=…&location=…`,
/// times as `20031114T213000Z`, whole days as `20031114/20031115`.
pub fn google_link(fields: &LinkFields) -> String {
    let dates = match fields.span {
        Span::Timed { start, end } => format!(
            "{}/{}",
            start.format("%Y%m%dT%H%M%SZ"),
            end.format("%Y%m%dT%H%M%SZ")
        ),
        Span::Day(day) => format!("{}/{}", compact(day), compact(day + Duration::days(1))),
    };
    let mut pairs = vec![
        ("action", "TEMPLATE"),
        ("text", fields.title),
        ("dates", dates.as_str()),
        ("details", fields.details.as_str()),
    ];
    if let Some(location) = fields.location {
        pairs.push(("location", location));
    }
    format!(
        "https://calendar.google.com/calendar/render?{}",
        query(&pairs)
    )
}

/// "Outlook": `…/deeplink/compose?subject=…&startdt=…&enddt=…&body=…&location=…`, times as
/// `2003-11-14T21:30:00Z`, whole days as dates with `allday=true`.
pub fn outlook_link(fields: &LinkFields) -> String {
    let (start, end, all_day) = match fields.span {
        Span::Timed { start, end } => (
            start.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            end.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            false,
        ),
        Span::Day(day) => (day.to_string(), (day + Duration::days(1)).to_string(), true),
    };
    let mut pairs = vec![
        ("subject", fields.title),
        ("startdt", start.as_str()),
        ("enddt", end.as_str()),
        ("body", fields.details.as_str()),
    ];
    if all_day {
        pairs.push(("allday", "true"));
    }
    if let Some(location) = fields.location {
        pairs.push(("location", location));
    }
    format!(
        "https://outlook.live.com/calendar/0/deeplink/compose?{}",
        query(&pairs)
    )
}

/// An event's "Add to Google Calendar" and "Outlook" links, for the site and the mail alike.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Links {
    pub google: String,
    pub outlook: String,
}

impl Links {
    /// The links for `event`, announced in the release titled `release_title`, whose page is at
    /// `release_address` (absolute): the description ends with it.
    pub fn new(event: &Event, release_title: &str, release_address: &str) -> Links {
        let replay = event.replay.as_ref().map(replay_text);
        let details = format!(
            "{}\n{release_address}",
            description(
                event.kind.label(),
                release_title,
                event.dial_in.as_deref(),
                replay.as_deref(),
                event.webcast.as_deref(),
            )
        );
        let fields = LinkFields {
            title: &event.title,
            span: span(event.start),
            details,
            location: event.location.as_deref(),
        };
        Links {
            google: google_link(&fields),
            outlook: outlook_link(&fields),
        }
    }
}

/// `800-642-1687, passcode 3901827, until November 21, 2003`.
pub fn replay_text(replay: &Replay) -> String {
    format!("{}{}", replay.phone, replay_details(replay))
}

/// What follows a replay's number: `, passcode 3901827, until November 21, 2003`.
pub fn replay_details(replay: &Replay) -> String {
    let mut text = String::new();
    if let Some(code) = &replay.passcode {
        text.push_str(&format!(", passcode {code}"));
    }
    if let Some(until) = replay.until {
        text.push_str(&format!(
            ", until {}",
            format::long_date(until.date_naive())
        ));
    }
    text
}

/// An event's description, one fact a line: what it is and which release announced it, then
/// the dial-in, replay and webcast as the release gives them.
pub fn description(
    kind: &str,
    release_title: &str,
    dial_in: Option<&str>,
    replay: Option<&str>,
    webcast: Option<&str>,
) -> String {
    let mut lines = vec![format!("{kind}. Announced in \"{release_title}\".")];
    if let Some(dial_in) = dial_in {
        lines.push(format!("Dial-in: {dial_in}"));
    }
    if let Some(replay) = replay {
        lines.push(format!("Replay: {replay}"));
    }
    if let Some(webcast) = webcast {
        lines.push(format!("Webcast: {webcast}"));
    }
    lines.join("\n")
}

const PRODID: &str = "-//hemasite//Investor Relations Calendar//EN";

/// The whole calendar.
pub fn calendar(config: &SiteConfig, events: &[EventView]) -> String {
    let mut lines = header(config);
    for event in events {
        lines.extend(vevent(config, event));
    }
    lines.push("END:VCALENDAR".to_string());
    join(&lines)
}

/// A calendar holding one event, for "add to calendar" links.
pub fn single(config: &SiteConfig, event: &EventView) -> String {
    let mut lines = header(config);
    lines.extend(vevent(config, event));
    lines.push("END:VCALENDAR".to_string());
    join(&lines)
}

fn header(config: &SiteConfig) -> Vec<String> {
    vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", text(&config.title)),
    ]
}

fn vevent(config: &SiteConfig, event: &EventView) -> Vec<String> {
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@{}", event.id, host(&config.base_url)),
        format!("DTSTAMP:{}T000000Z", compact(event.announced)),
    ];
    match span(event.start) {
        Span::Timed { start, end } => {
            lines.push(format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ")));
            let minutes = (end - start).num_minutes();
            lines.push(if minutes % 60 == 0 {
                format!("DURATION:PT{}H", minutes / 60)
            } else {
                format!("DURATION:PT{minutes}M")
            });
        }
        Span::Day(day) => {
            lines.push(format!("DTSTART;VALUE=DATE:{}", compact(day)));
            lines.push(format!(
                "DTEND;VALUE=DATE:{}",
                compact(day + Duration::days(1))
            ));
            lines.push("TRANSP:TRANSPARENT".to_string());
        }
    }
    lines.push(format!("SUMMARY:{}", text(&event.title)));
    let description = description(
        event.kind,
        &event.release_title,
        event.dial_in.as_deref(),
        event.replay.as_deref(),
        event.webcast.as_deref(),
    );
    lines.push(format!("DESCRIPTION:{}", text(&description)));
    if let Some(location) = &event.location {
        lines.push(format!("LOCATION:{}", text(location)));
    }
    lines.push(format!("URL:{}", config.absolute_url(&event.release_url)));
    lines.push("END:VEVENT".to_string());
    lines
}

fn compact(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

fn host(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme.split('/').next().unwrap_or(after_scheme)
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds each line at 75 octets, never inside a UTF-8 character, and ends lines with CRLF.
fn join(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        let mut width = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            if width + len > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += len;
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = join(std::slice::from_ref(&line));
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn uids_use_the_site_host() {
        assert_eq!(host("https://ir.example.com/investors/"), "ir.example.com");
    }
}
