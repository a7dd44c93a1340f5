//! An event as the pages and the calendars show it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::model::EventTime;

/// An event from a release, as the events page, the release page and the calendar show it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Stable across builds: the day and the title, `2003-11-14-third-quarter-…-call`.
    pub id: String,
    /// The event's own calendar file, `events/<id>.ics`.
    pub ics: String,
    pub kind: &'static str,
    pub title: String,
    pub date: String,
    pub date_long: String,
    pub time: Option<String>,
    pub location: Option<String>,
    pub dial_in: Option<String>,
    /// `tel:+18003098563`, when the dial-in is a phone number.
    pub dial_in_tel: Option<String>,
    pub replay: Option<String>,
    /// The replay's number as printed, its `tel:` link (or web link) when it is one, and the
    /// rest (`, passcode 3901827, until November 21, 2003`), to show the number as a link.
    pub replay_phone: Option<String>,
    pub replay_href: Option<String>,
    pub replay_details: Option<String>,
    pub webcast: Option<String>,
    /// `https://www.hemacare.com`, when the webcast is a web address.
    pub webcast_url: Option<String>,
    /// "Add to Google Calendar" and "Outlook" links: the title, the time in UTC by the duration
    /// rule of [`super::calendar::span`], the description and the location.
    pub google_calendar: String,
    pub outlook_calendar: String,
    pub upcoming: bool,
    pub release_title: String,
    pub release_url: String,
    #[serde(skip)]
    pub start: EventTime,
    #[serde(skip)]
    pub announced: NaiveDate,
    #[serde(skip)]
    pub release_index: usize,
}

impl EventView {
    /// The moment the event starts, for sorting; whole-day events sort at the day's start (UTC).
    pub fn sort_key(&self) -> DateTime<Utc> {
        match self.start {
            EventTime::At(at) => at.with_timezone(&Utc),
            EventTime::Day(day) => day.and_time(chrono::NaiveTime::MIN).and_utc(),
        }
    }
}
