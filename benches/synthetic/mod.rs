//! The synthetic site the build benches measure: 10,000 releases (or as many as asked), about
//! one a day from 1990, made from the fixture's releases. Shared by `benches/build.rs` and
//! `benches/compare_hugo.rs`, so that both measure the same site.

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};

/// How many releases to make: `HEMASITE_BENCH_RELEASES`, else 10,000.
pub fn release_count() -> usize {
    std::env::var("HEMASITE_BENCH_RELEASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(10_000)
}

const EARNINGS: &str = "2003-11-14-hemacare-reports-third-quarter-financial-results.md";
const BOARD: &str = "2003-05-19-hemacare-adds-new-members-to-its-board-of-directors.md";
const MANAGEMENT: &str = "2003-06-27-marcario-joins-hemacare-as-chief-financial-officer.md";

/// Writes `site.yaml` (with its logo), the raw filings and `count` releases, about one a day from 1990 on.
/// As on a real site, few carry figures: one a year, mid-November, a variation of the third
/// quarter results with the figures of its own year; the others are variations of the board
/// and the management news.
pub fn synthesize(manifest: &Path, site: &Path, count: usize) {
    let releases = site.join("content/releases");
    std::fs::create_dir_all(&releases).unwrap();
    std::fs::create_dir_all(site.join("content/raw")).unwrap();
    let fixture = manifest.join("tests/fixtures/hemacare");
    std::fs::copy(fixture.join("site.yaml"), site.join("site.yaml")).unwrap();
    // The fixture's `brand.logo` names its own `static/logo.svg`.
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::copy(
        fixture.join("static/logo.svg"),
        site.join("static/logo.svg"),
    )
    .unwrap();
    for raw in std::fs::read_dir(fixture.join("content/raw")).unwrap() {
        let raw = raw.unwrap();
        std::fs::copy(raw.path(), site.join("content/raw").join(raw.file_name())).unwrap();
    }
    let read =
        |name: &str| std::fs::read_to_string(fixture.join("content/releases").join(name)).unwrap();
    let earnings = read(EARNINGS);
    let news = [read(BOARD), read(MANAGEMENT)];
    let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    for index in 0..count {
        let day = first + Duration::days(index as i64);
        let number = index + 1;
        let text = if day.ordinal() == 318 {
            results_of_year(&earnings, day, number)
        } else {
            news[index % news.len()].clone()
        };
        let text = with_line(&text, "date: ", &day.to_string());
        let title = line_value(&text, "title: ");
        let text = with_line(&text, "title: ", &format!("{title}, Release {number}"));
        let name = format!("{day}-hemacare-release-{number}.md");
        std::fs::write(releases.join(name), text).unwrap();
    }
}

/// The third quarter results moved to the year of `day`, with its call on that day.
fn results_of_year(earnings: &str, day: NaiveDate, number: usize) -> String {
    let year = day.year();
    earnings
        .replace(
            "2003-11-14T16:30:00-05:00",
            &format!("{day}T16:30:00-05:00"),
        )
        .replace("2003-11-14-q3-2003-results.txt", "\u{2}")
        .replace("2003", "\u{1}")
        .replace("2002", &(year - 1).to_string())
        .replace('\u{1}', &year.to_string())
        .replace('\u{2}', "2003-11-14-q3-2003-results.txt")
        .replace("6980000", &(6_980_000 + number * 1000).to_string())
}

/// The value of the first line starting with `key`.
fn line_value(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .unwrap_or_default()
        .to_string()
}

/// `text` with the first line starting with `key` set to `key` + `value`.
fn with_line(text: &str, key: &str, value: &str) -> String {
    let old = format!("{key}{}", line_value(text, key));
    text.replacen(&old, &format!("{key}{value}"), 1)
}
