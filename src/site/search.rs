//! `search-index.json`: what the search box on the news page searches, in the browser.
//!
//! One short record per release (keys kept to one letter: the file is fetched whole), newest
//! first. Without JavaScript the search box submits to the news list instead.

use serde::Serialize;

use super::views::ReleaseSummary;

#[derive(Debug, Serialize)]
struct Record<'a> {
    /// Title.
    t: &'a str,
    /// Date, `YYYY-MM-DD`.
    d: &'a str,
    /// Category label.
    c: &'a str,
    /// URL relative to the site root.
    u: &'a str,
    /// One-line summary.
    s: &'a str,
}

pub fn index(releases: &[&ReleaseSummary]) -> Vec<u8> {
    let records: Vec<Record> = releases
        .iter()
        .map(|release| Record {
            t: &release.title,
            d: &release.date,
            c: release.category_label,
            u: &release.url,
            s: &release.summary,
        })
        .collect();
    // Serializing plain strings cannot fail.
    serde_json::to_vec(&records).unwrap_or_default()
}
