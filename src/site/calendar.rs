//! iCalendar (RFC 5545): `calendar.ics` with every event, and `events/<id>.ics` for each one.
//!
//! Timed events are written in UTC (`DTSTART:20031114T213000Z`), converted from the offset the
//! release gave, so that no time-zone table is needed and every client shows the right local
//! time; whole-day events are `VALUE=DATE`. UIDs come from the event's day and title and never
//! change between builds; `DTSTAMP` is the day the release announced the event, not the clock.

use chrono::{Duration, NaiveDate};

use super::data::SiteData;
use super::views::EventView;
use crate::model::EventTime;

const PRODID: &str = "-//hemasite//Investor Relations Calendar//EN";

/// The whole calendar.
pub fn calendar(data: &SiteData, events: &[EventView]) -> String {
    let mut lines = header(data);
    for event in events {
        lines.extend(vevent(data, event));
    }
    lines.push("END:VCALENDAR".to_string());
    join(&lines)
}

/// A calendar holding one event, for "add to calendar" links.
pub fn single(data: &SiteData, event: &EventView) -> String {
    let mut lines = header(data);
    lines.extend(vevent(data, event));
    lines.push("END:VCALENDAR".to_string());
    join(&lines)
}

fn header(data: &SiteData) -> Vec<String> {
    vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", text(&data.config.title)),
    ]
}

fn vevent(data: &SiteData, event: &EventView) -> Vec<String> {
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@{}", event.id, host(&data.config.base_url)),
        format!("DTSTAMP:{}T000000Z", compact(event.announced)),
    ];
    match event.start {
        EventTime::At(at) => {
            let utc = at.with_timezone(&chrono::Utc);
            lines.push(format!("DTSTART:{}", utc.format("%Y%m%dT%H%M%SZ")));
            lines.push("DURATION:PT1H".to_string());
        }
        EventTime::Day(day) => {
            lines.push(format!("DTSTART;VALUE=DATE:{}", compact(day)));
            lines.push(format!(
                "DTEND;VALUE=DATE:{}",
                compact(day + Duration::days(1))
            ));
            lines.push("TRANSP:TRANSPARENT".to_string());
        }
    }
    lines.push(format!("SUMMARY:{}", text(&event.title)));
    let mut description = vec![format!(
        "{}. Announced in \"{}\".",
        event.kind, event.release_title
    )];
    if let Some(dial_in) = &event.dial_in {
        description.push(format!("Dial-in: {dial_in}"));
    }
    if let Some(replay) = &event.replay {
        description.push(format!("Replay: {replay}"));
    }
    if let Some(webcast) = &event.webcast {
        description.push(format!("Webcast: {webcast}"));
    }
    lines.push(format!("DESCRIPTION:{}", text(&description.join("\n"))));
    if let Some(location) = &event.location {
        lines.push(format!("LOCATION:{}", text(location)));
    }
    lines.push(format!("URL:{}", data.absolute_url(&event.release_url)));
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
