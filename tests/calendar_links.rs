//! The "Add to Google Calendar" and "Outlook" links beside each event's `.ics`, read back the way
//! a browser follows them: the page parsed with html5ever (scraper), the `href` taken as the
//! parser decodes it, its query split and percent-decoded. They must give back the event's own
//! fields, whatever characters the release used, with the time in UTC from the event's offset
//! and the duration rule (a timed event one hour, a whole-day event its day).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hemasite::site::{BuildOptions, build};
use percent_encoding::percent_decode_str;
use scraper::{Html, Selector};

mod common;
use common::copy_of_fixture;

const Q3: &str = "2003-11-14-hemacare-reports-third-quarter-financial-results";
const MEETING: &str =
    "2004-02-27-hemacare-corporation-sets-date-for-its-2004-annual-shareholders-meeting";
/// A title with every character that matters in a URL or in HTML.
const TITLE: &str = "Q3 call & <webcast> \"A+B\" #1 100% = ünïcode/?";
const LOCATION: &str = "Suite 5 & 6, \"Main\" Hall #2, Zürich";

/// The fixture with the third-quarter call retitled, moved to an offset of +05:30 and given a
/// location, built into a temporary folder.
fn built() -> (tempfile::TempDir, PathBuf) {
    let site = copy_of_fixture();
    let release = site.path().join(format!("content/releases/{Q3}.md"));
    let text = std::fs::read_to_string(&release).unwrap().replacen(
        "    title: Third quarter 2003 results conference call\n    start: 2003-11-14T16:30:00-05:00\n",
        &format!(
            "    title: '{TITLE}'\n    start: 2003-11-15T01:15:00+05:30\n    location: '{LOCATION}'\n"
        ),
        1,
    );
    assert!(text.contains("+05:30"), "the fixture changed: {text}");
    std::fs::write(&release, text).unwrap();
    let mut options = BuildOptions::new(site.path());
    options.output = Some(site.path().join("public"));
    options.pdfs = false;
    options.today = chrono::NaiveDate::from_ymd_opt(2003, 11, 1);
    let report = build(&options).unwrap_or_else(|err| panic!("build failed: {err}"));
    let output = report.output;
    (site, output)
}

/// The query of `url` after `prefix`, each value percent-decoded.
fn query(url: &str, prefix: &str) -> BTreeMap<String, String> {
    let query = url
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{url} does not start with {prefix}"));
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            assert!(
                !value.contains([' ', '"', '<', '>', '#', '+']),
                "{key}={value}: not encoded"
            );
            let value = percent_decode_str(value).decode_utf8().unwrap();
            (key.to_string(), value.into_owned())
        })
        .collect()
}

/// The hrefs of the links with this text in the event article `id`.
fn link(page: &Html, id: &str, text: &str) -> String {
    let selector = Selector::parse(&format!("article[id=\"{id}\"] a.calendar-link")).unwrap();
    page.select(&selector)
        .find(|a| a.text().collect::<String>().starts_with(text))
        .unwrap_or_else(|| panic!("no {text} link in {id}"))
        .value()
        .attr("href")
        .unwrap()
        .to_string()
}

fn page(output: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(output.join(path)).unwrap())
}

#[test]
fn the_links_decode_to_the_events_title_time_in_utc_details_and_location() {
    let (_site, output) = built();
    let events = page(&output, "events/index.html");
    let ids: Vec<String> = events
        .select(&Selector::parse("article.event").unwrap())
        .filter_map(|a| a.value().attr("id").map(str::to_string))
        .collect();
    let call = ids
        .iter()
        .find(|id| id.starts_with("2003-11-15-q3-call"))
        .unwrap_or_else(|| panic!("the call's id: {ids:?}"));

    let google = query(
        &link(&events, call, "Add to Google Calendar"),
        "https://calendar.google.com/calendar/render?",
    );
    assert_eq!(google["action"], "TEMPLATE");
    assert_eq!(google["text"], TITLE);
    assert_eq!(
        google["dates"], "20031114T194500Z/20031114T204500Z",
        "01:15 at +05:30 is 19:45 UTC the day before; one hour"
    );
    assert_eq!(google["location"], LOCATION);
    let details = &google["details"];
    assert!(
        details.starts_with(
            "Conference call. Announced in \"HemaCare Reports Third Quarter Financial Results\".\n"
        ),
        "{details}"
    );
    assert!(details.contains("Dial-in: 800-309-8563\n"), "{details}");
    assert!(
        details.contains("Replay: 800-642-1687, passcode 3901827, until November 21, 2003\n"),
        "{details}"
    );
    assert!(details.contains("Webcast: www.hemacare.com\n"), "{details}");
    assert!(
        details.ends_with(&format!("/releases/{Q3}/")),
        "the release's address last: {details}"
    );

    let outlook = query(
        &link(&events, call, "Outlook"),
        "https://outlook.live.com/calendar/0/deeplink/compose?",
    );
    assert_eq!(outlook["subject"], TITLE);
    assert_eq!(outlook["startdt"], "2003-11-14T19:45:00Z");
    assert_eq!(outlook["enddt"], "2003-11-14T20:45:00Z");
    assert_eq!(outlook["body"], *details, "the same description");
    assert_eq!(outlook["location"], LOCATION);
    assert!(!outlook.contains_key("allday"));

    // In the HTML itself every `&` of a query is written `&amp;`.
    let html = std::fs::read_to_string(output.join("events/index.html")).unwrap();
    for href in html.split("href=\"https://").skip(1) {
        let href = &href[..href.find('"').unwrap()];
        for (at, _) in href.match_indices('&') {
            assert!(href[at..].starts_with("&amp;"), "unescaped & in {href}");
        }
    }
}

#[test]
fn a_whole_day_event_spans_its_day() {
    let (_site, output) = built();
    let events = page(&output, "events/index.html");
    let id = "2004-04-07-record-date-for-the-2004-annual-meeting";
    let google = query(
        &link(&events, id, "Add to Google Calendar"),
        "https://calendar.google.com/calendar/render?",
    );
    assert_eq!(
        google["dates"], "20040407/20040408",
        "the next day is exclusive"
    );
    assert!(!google.contains_key("location"));
    let outlook = query(
        &link(&events, id, "Outlook"),
        "https://outlook.live.com/calendar/0/deeplink/compose?",
    );
    assert_eq!(
        (
            &outlook["startdt"][..],
            &outlook["enddt"][..],
            &outlook["allday"][..]
        ),
        ("2004-04-07", "2004-04-08", "true")
    );
}

#[test]
fn the_release_page_has_the_same_links_and_the_phone_numbers_are_tel_links() {
    let (_site, output) = built();
    let events = page(&output, "events/index.html");
    let release = page(&output, &format!("releases/{Q3}/index.html"));
    let id_of = |page: &Html| {
        page.select(&Selector::parse("article.event").unwrap())
            .next()
            .and_then(|a| a.value().attr("id").map(str::to_string))
            .unwrap()
    };
    let id = id_of(&release);
    for text in ["Add to Google Calendar", "Outlook"] {
        assert_eq!(link(&release, &id, text), link(&events, &id, text));
    }
    let hrefs: Vec<String> = release
        .select(&Selector::parse(&format!("article[id=\"{id}\"] dd a")).unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(
        hrefs.contains(&"tel:+18003098563".to_string()),
        "dial-in: {hrefs:?}"
    );
    assert!(
        hrefs.contains(&"tel:+18006421687".to_string()),
        "replay: {hrefs:?}"
    );
    assert!(
        hrefs.contains(&"https://www.hemacare.com".to_string()),
        "webcast: {hrefs:?}"
    );

    // The annual meeting's release has the meeting with its location.
    let meeting = page(&output, &format!("releases/{MEETING}/index.html"));
    assert!(
        meeting
            .select(&Selector::parse("a.calendar-link").unwrap())
            .count()
            >= 2
    );
}
