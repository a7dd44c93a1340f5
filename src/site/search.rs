//! `search-index.json`: what the search box on the news page searches, in the browser.
//!
//! The box searches every word of every release (title, summary and body), so the file must stay
//! small enough to fetch whole: it holds one short record per release (keys of one letter),
//! newest first, and an inverted index from each word to the releases that use it, instead of
//! the text. Words are lower-cased letters and digits; words shorter than three characters and
//! the commonest English words are left out, since a search for them finds everything. Postings
//! are ascending release numbers written as base-36 gaps (`"deferred": "3.1"` is releases 3 and
//! 4), because most words occur in a few releases and most gaps are small. Measured for 1,000
//! releases in the README.
//!
//! ```json
//! { "r": [ { "t": "…", "d": "November 14, 2003", "c": "Earnings", "u": "releases/…/", "s": "…" } ],
//!   "w": { "deferred": "3", "tax": "1.2" } }
//! ```
//!
//! Without JavaScript the search box submits to the news list, which lists every release.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::markdown;
use super::summary::ReleaseSummary;
use crate::model::Release;

#[derive(Debug, Serialize)]
struct Record<'a> {
    /// Title.
    t: &'a str,
    /// Date as a reader writes it, `November 14, 2003`.
    d: &'a str,
    /// Category label.
    c: &'a str,
    /// URL relative to the site root.
    u: &'a str,
    /// One-line summary.
    s: &'a str,
}

#[derive(Debug, Serialize)]
struct Index<'a> {
    r: Vec<Record<'a>>,
    w: BTreeMap<String, String>,
}

/// Words too common to narrow a search.
const STOP_WORDS: [&str; 36] = [
    "about", "after", "all", "also", "and", "are", "but", "been", "being", "can", "for", "from",
    "had", "has", "have", "its", "may", "more", "not", "our", "such", "than", "that", "the",
    "their", "there", "these", "this", "those", "was", "were", "which", "while", "who", "will",
    "with",
];

/// The words of `text` that the index keeps: lower case, letters and digits, at least three
/// characters with a letter among them, or a year (four digits), and no stop words. Other
/// numbers are left out: the pieces of `$4,679,000` would each be a word and find nothing a
/// reader looks for. The search script splits a query the same way.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| {
            let has_letter = word.chars().any(char::is_alphabetic);
            let year = word.len() == 4 && word.chars().all(|c| c.is_ascii_digit());
            (has_letter && word.chars().count() >= 3) || year
        })
        .map(str::to_lowercase)
        .filter(|word| !STOP_WORDS.contains(&word.as_str()))
}

/// `[0, 3, 4]` → `0.3.1`: gaps between ascending numbers, base 36, dot-separated.
fn postings(numbers: &BTreeSet<usize>) -> String {
    let mut out = String::new();
    let mut previous = 0;
    for (i, &number) in numbers.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(&base36(number - previous));
        previous = number;
    }
    out
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The index of `releases` (newest first) with their list `summaries`, in the same order.
pub fn index(releases: &[Release], summaries: &[&ReleaseSummary]) -> Vec<u8> {
    let mut by_word: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (number, (release, summary)) in releases.iter().zip(summaries).enumerate() {
        let body = markdown::plain_text(&release.body);
        let subtitle = release.front.subtitle.as_deref().unwrap_or_default();
        for text in [
            summary.title.as_str(),
            subtitle,
            summary.category_label,
            &body,
        ] {
            for word in words(text) {
                by_word.entry(word).or_default().insert(number);
            }
        }
    }
    let index = Index {
        r: summaries
            .iter()
            .map(|release| Record {
                t: &release.title,
                d: &release.date_long,
                c: release.category_label,
                u: &release.url,
                s: &release.summary,
            })
            .collect(),
        w: by_word
            .into_iter()
            .map(|(word, numbers)| (word, postings(&numbers)))
            .collect(),
    };
    // Serializing strings and maps of strings cannot fail.
    serde_json::to_vec(&index).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_and_leave_out_the_commonest() {
        let found: Vec<String> =
            words("The Company's deferred-tax assets, and Q3 of 2003").collect();
        assert_eq!(
            found,
            ["company", "deferred", "tax", "assets", "2003"].map(String::from)
        );
    }

    /// The size the README states: 1,000 releases, each one of the demo's five bodies (about
    /// 500 words) with 25 words of its own (names, places, products, eight letters or so), which
    /// is how one company's releases differ. Run with `--nocapture` to see the figures.
    #[test]
    fn the_index_of_1000_releases_stays_small() {
        use std::io::Write;
        let bodies: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/content/releases"))
                .unwrap()
                .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
                .map(|text| text.rsplit("\n---\n").next().unwrap().to_string())
                .collect();
        let releases: Vec<Release> = (0..1000)
            .map(|i| {
                let own: Vec<String> = (0..25).map(|k| format!("w{}", base36(i * 25 + k))).collect();
                let text = format!(
                    "---\ntitle: Release {i}\ndate: 2003-01-01\ncategory: business\ncompany: C\nticker: C\nsource: {{ file: raw/x.txt, sha256: \"0\" }}\n---\n\n{}\n\n{}\n",
                    bodies[i % bodies.len()],
                    own.join(" ")
                );
                Release::parse(std::path::Path::new(&format!("2003-01-01-r{i}.md")), &text).unwrap()
            })
            .collect();
        let summaries: Vec<ReleaseSummary> = releases.iter().map(ReleaseSummary::new).collect();
        let refs: Vec<&ReleaseSummary> = summaries.iter().collect();
        let bytes = index(&releases, &refs);
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(&bytes).unwrap();
        let gzipped = gzip.finish().unwrap().len();
        println!(
            "search index of 1,000 releases: {} bytes, {gzipped} gzipped",
            bytes.len()
        );
        assert!(bytes.len() < 900_000, "{} bytes", bytes.len());
        assert!(gzipped < 300_000, "{gzipped} bytes gzipped");
    }

    #[test]
    fn postings_are_base_36_gaps() {
        assert_eq!(postings(&BTreeSet::from([0, 3, 4])), "0.3.1");
        assert_eq!(postings(&BTreeSet::from([40])), "14");
    }
}
