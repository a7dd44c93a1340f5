//! `search-index.json`: what the search box on the news page searches, in the browser.
//!
//! The box searches every word of every release (title, subtitle, category and body), so the file
//! must stay small enough to fetch whole. It holds no text to search, only:
//!
//! - `c`: the category labels, once each;
//! - `r`: one record per release, newest first, as an array: title, slug, the date as the
//!   number `YYYYMMDD` (the script writes `November 14, 2003`), the category's number in `c`,
//!   and a short summary (its first sentences, [`SUMMARY_LIMIT`] characters at most). The slug
//!   is written only as far as the script cannot make it: empty when it is the date and the
//!   title slugified (as `hemasite ingest` names files; `model::slugify`, which the script
//!   repeats), the rest after the date when it starts with the date, else the whole slug
//!   after a `/`;
//! - `t`: the term dictionary, every term once, sorted, front-coded: before each term a capital
//!   letter says how many leading characters it shares with the term before it (`A` none, `B`
//!   one, … at most 25), then come the rest of its characters (`AdeferredFs` is `deferred`,
//!   `defers`; terms are lower case, so a capital always starts one);
//! - `p`: for each term in the same order, the releases that use it, comma-separated, in the
//!   shorter of two forms. Gaps: ascending release numbers written as gaps (the first number
//!   itself), each a variable-length number in [`DIGITS`]: the last character of a number is one
//!   of the first 32, the ones before it (five more bits each, most significant first) of the
//!   last 32; most words occur in few releases or in many close together, so most gaps take one
//!   character. Bitmap, for the commonest terms: `~`, then six releases to a character of
//!   [`DIGITS`] (release `n` is bit `n % 6` of character `n / 6`), trailing zeros left out.
//!
//! Terms are [`terms`] of the text: letters and digits folded to lower case without accents
//! (`Zürich` is `zurich`), plurals folded (`assets` is `asset`), stop words and short words left
//! out, each release's terms counted once. The script splits a query the same way and looks each
//! query term up as a prefix (`defer` finds `deferred`), keeping the releases that have them all.
//! Measured for 1,000 releases in the README.
//!
//! The site's own pages (`content/pages/`) come after the releases, with their own records:
//! title, URL (relative to the site root), the date `0` (a page has none), the number of the
//! category `Page` in `c`, and the description or the body's opening.
//!
//! Without JavaScript the search box submits to the news list, which lists every release.

use chrono::Datelike;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::custom::CustomPage;
use super::markdown;
use super::summary::ReleaseSummary;
use crate::model::{Release, slugify};

/// The longest summary a record carries: a sentence or two, as a results list shows them.
pub const SUMMARY_LIMIT: usize = 140;

/// The characters of a posting gap: value 0–31 ends a number, 32–63 carries five more bits.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// A release's record: title, slug, date, category number, summary.
type Record<'a> = (&'a str, String, u32, usize, String);

#[derive(Debug, Serialize)]
struct Index<'a> {
    c: Vec<&'a str>,
    r: Vec<Record<'a>>,
    t: String,
    p: String,
}

/// Words too common to narrow a search.
const STOP_WORDS: [&str; 36] = [
    "about", "after", "all", "also", "and", "are", "but", "been", "being", "can", "for", "from",
    "had", "has", "have", "its", "may", "more", "not", "our", "such", "than", "that", "the",
    "their", "there", "these", "this", "those", "was", "were", "which", "while", "who", "will",
    "with",
];

/// The terms of `text` that the index keeps: words of letters and digits, folded to lower case
/// without accents, at least three characters with a letter among them, or a year (four
/// digits), no stop words, plurals folded ([`singular`]). Other numbers are left out: the pieces
/// of `$4,679,000` would each be a term and find nothing a reader looks for. `static/search.js`
/// splits a query the same way.
pub fn terms(text: &str) -> Vec<String> {
    let folded: String = text.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| {
            let has_letter = word.chars().any(char::is_alphabetic);
            let year = word.len() == 4 && word.chars().all(|c| c.is_ascii_digit());
            (has_letter && word.chars().count() >= 3) || year
        })
        .map(str::to_lowercase)
        .filter(|word| !STOP_WORDS.contains(&word.as_str()))
        .map(|word| singular(&word))
        .collect()
}

/// A plural folded to its singular, conservatively (an S-stemmer): `companies` → `company`,
/// `assets` → `asset`; `loss`, `status`, `basis` and words of three letters stay.
fn singular(word: &str) -> String {
    let length = word.chars().count();
    if length > 4
        && let Some(stem) = word.strip_suffix("ies")
    {
        return format!("{stem}y");
    }
    if length > 3
        && word.ends_with('s')
        && !["ss", "us", "is"].iter().any(|end| word.ends_with(end))
    {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// The releases of one term in the shorter form: gaps (`[0, 3, 4]` → `031`) or a bitmap
/// (`~` and six releases a character). `numbers` are in increasing order.
fn postings(numbers: &[usize], out: &mut String) {
    let mut gaps = String::new();
    let mut previous = 0;
    for &number in numbers {
        push_number(number - previous, &mut gaps);
        previous = number;
    }
    let last = numbers.last().copied().unwrap_or_default();
    let mut bits = vec![0usize; last / 6 + 1];
    for &number in numbers {
        bits[number / 6] |= 1 << (number % 6);
    }
    if bits.len() + 1 < gaps.len() {
        out.push('~');
        out.extend(bits.into_iter().map(|six| char::from(DIGITS[six])));
    } else {
        out.push_str(&gaps);
    }
}

fn push_number(n: usize, out: &mut String) {
    let mut chunks = vec![n % 32];
    let mut rest = n / 32;
    while rest > 0 {
        chunks.push(rest % 32);
        rest /= 32;
    }
    for (i, chunk) in chunks.iter().enumerate().rev() {
        let digit = if i > 0 { chunk + 32 } else { *chunk };
        out.push(char::from(DIGITS[digit]));
    }
}

/// Sorted terms front-coded: `deferred`, `defers` → `AdeferredFs`.
fn dictionary<'t>(terms: impl Iterator<Item = &'t str>) -> String {
    let mut out = String::new();
    let mut previous = "";
    for term in terms {
        let shared: Vec<char> = previous
            .chars()
            .zip(term.chars())
            .take_while(|(a, b)| a == b)
            .take(25)
            .map(|(a, _)| a)
            .collect();
        out.push(char::from(b'A' + shared.len() as u8));
        out.push_str(&term[shared.iter().map(|c| c.len_utf8()).sum::<usize>()..]);
        previous = term;
    }
    out
}

/// What the index holds of one release besides its listing: its terms and its record's
/// summary. Made when the release is read, and kept with it (in `serve`, and in the release
/// cache between runs of `hemasite build`), so that a build after one edit reads the words of
/// that release only: finding every release's terms was a quarter of such a build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchEntry {
    /// Its distinct [`terms`] (of the title, subtitle, category and body), sorted, each followed
    /// by a space (terms have none).
    terms: String,
    /// The short summary its record carries.
    summary: String,
}

impl SearchEntry {
    pub fn of(release: &Release) -> SearchEntry {
        let front = &release.front;
        let body = markdown::plain_text(&release.body);
        let subtitle = front.subtitle.as_deref().unwrap_or_default();
        let texts = [
            front.title.as_str(),
            subtitle,
            front.category.label(),
            &body,
        ];
        SearchEntry {
            terms: joined(distinct_terms(&texts)),
            summary: markdown::summary(&release.body, SUMMARY_LIMIT),
        }
    }
}

/// Terms each followed by a space.
fn joined(terms: Vec<String>) -> String {
    let mut text = String::with_capacity(terms.iter().map(|term| term.len() + 1).sum());
    for term in terms {
        text.push_str(&term);
        text.push(' ');
    }
    text
}

/// The record of a release: its slug only as far as the script cannot make it from the date
/// and the title.
fn record<'a>((summary, entry): Listed<'a>, release: &Release, categories: &[&str]) -> Record<'a> {
    let date = release.front.date;
    let slug = match summary.slug.strip_prefix(&format!("{date}-")) {
        Some(rest) if rest == slugify(&summary.title) => String::new(),
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => format!("/{}", summary.slug),
    };
    // `YYYYMMDD` as a number; 0 for a year before 0, which a number of that form cannot say.
    let number = u32::try_from(date.year())
        .map_or(0, |year| year * 10_000 + date.month() * 100 + date.day());
    let category = categories
        .iter()
        .position(|label| *label == summary.category_label)
        .unwrap_or_default();
    (
        &summary.title,
        slug,
        number,
        category,
        entry.summary.clone(),
    )
}

/// The category of the site's own pages in the index.
const PAGE_CATEGORY: &str = "Page";

/// The record of a page of the site's own: its URL where a release has its slug, the date 0.
fn page_record<'a>(page: &'a CustomPage, categories: &[&str]) -> Record<'a> {
    let category = categories
        .iter()
        .position(|label| *label == PAGE_CATEGORY)
        .unwrap_or_default();
    let short = match &page.front.description {
        Some(description) => markdown::summary(description, SUMMARY_LIMIT),
        None => markdown::summary(&page.body, SUMMARY_LIMIT),
    };
    (&page.front.title, page.url.clone(), 0, category, short)
}

/// A release as the index shows it: its list summary and its [`SearchEntry`].
pub type Listed<'a> = (&'a ReleaseSummary, &'a SearchEntry);

/// The index of `releases` (newest first) with what lists show of them and their search
/// entries (`listed`, in the same order), then the site's own `pages`.
///
/// Each release's terms were found when it was read ([`SearchEntry`]); the pages' are found
/// now, on every core. All are gathered in document order, so that each term's list is sorted
/// as it is made.
pub fn index(releases: &[Release], listed: &[Listed], pages: &[CustomPage]) -> Vec<u8> {
    let of_pages: Vec<String> = pages
        .par_iter()
        .map(|page| {
            let body = markdown::plain_text(&page.body);
            joined(distinct_terms(&[page.front.title.as_str(), &body]))
        })
        .collect();
    let found = listed
        .iter()
        .map(|(_, entry)| entry.terms.as_str())
        .chain(of_pages.iter().map(String::as_str));
    // Fx rather than SipHash, whose defence against chosen keys these terms do not need: some
    // 350,000 of them are looked up for 10,000 releases.
    let mut by_term: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (number, terms) in found.enumerate() {
        for term in terms.split_terminator(' ') {
            by_term.entry(term).or_default().push(number);
        }
    }
    let mut by_term: Vec<(&str, Vec<usize>)> = by_term.into_iter().collect();
    by_term.sort_unstable_by_key(|(term, _)| *term);
    let mut categories: Vec<&str> = listed
        .iter()
        .map(|(summary, _)| summary.category_label)
        .collect();
    if !pages.is_empty() {
        categories.push(PAGE_CATEGORY);
    }
    categories.sort_unstable();
    categories.dedup();
    let mut lists = String::new();
    for (i, (_, numbers)) in by_term.iter().enumerate() {
        if i > 0 {
            lists.push(',');
        }
        postings(numbers, &mut lists);
    }
    let index = Index {
        r: listed
            .par_iter()
            .zip(releases)
            .map(|(listed, release)| record(*listed, release, &categories))
            .chain(pages.par_iter().map(|page| page_record(page, &categories)))
            .collect(),
        c: categories,
        t: dictionary(by_term.iter().map(|(term, _)| *term)),
        p: lists,
    };
    // Serializing strings, numbers and arrays of them cannot fail.
    serde_json::to_vec(&index).unwrap_or_default()
}

/// The terms of `texts`, each once, sorted.
fn distinct_terms(texts: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = texts.iter().flat_map(|text| terms(text)).collect();
    found.sort_unstable();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// What `static/search.js` does with the file, in Rust: the dictionary and postings decoded.
    fn decode(bytes: &[u8]) -> (serde_json::Value, BTreeMap<String, Vec<usize>>) {
        let index: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let mut words: Vec<String> = Vec::new();
        for c in index["t"].as_str().unwrap().chars() {
            if c.is_ascii_uppercase() {
                let shared = usize::from(c as u8 - b'A');
                let previous = words.last().map_or("", String::as_str);
                words.push(previous.chars().take(shared).collect());
            } else {
                words.last_mut().unwrap().push(c);
            }
        }
        let lists = index["p"].as_str().unwrap().split(',');
        let mut by_word = BTreeMap::new();
        for (word, list) in words.into_iter().zip(lists) {
            let mut numbers = Vec::new();
            if let Some(bitmap) = list.strip_prefix('~') {
                for (i, c) in bitmap.bytes().enumerate() {
                    let six = DIGITS.iter().position(|d| *d == c).unwrap();
                    numbers.extend(
                        (0..6)
                            .filter(|bit| six & (1 << bit) != 0)
                            .map(|bit| i * 6 + bit),
                    );
                }
                by_word.insert(word, numbers);
                continue;
            }
            let (mut at, mut value) = (0, 0);
            for c in list.bytes() {
                let digit = DIGITS.iter().position(|d| *d == c).unwrap();
                value = value * 32 + digit % 32;
                if digit < 32 {
                    at += value;
                    numbers.push(at);
                    value = 0;
                }
            }
            by_word.insert(word, numbers);
        }
        (index, by_word)
    }

    /// What the index reads of each release.
    type Known = Vec<(ReleaseSummary, SearchEntry)>;

    fn known(releases: &[Release]) -> Known {
        releases
            .iter()
            .map(|release| (ReleaseSummary::new(release), SearchEntry::of(release)))
            .collect()
    }

    fn index_of(releases: &[Release], known: &Known, pages: &[CustomPage]) -> Vec<u8> {
        let listed: Vec<Listed> = known
            .iter()
            .map(|(summary, entry)| (summary, entry))
            .collect();
        index(releases, &listed, pages)
    }

    fn demo() -> (Vec<Release>, Known) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/content/releases");
        let mut releases: Vec<Release> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .map(|path| Release::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap())
            .collect();
        releases.sort_by_key(|release| std::cmp::Reverse(release.front.date));
        let known = known(&releases);
        (releases, known)
    }

    #[test]
    fn terms_are_folded_and_leave_out_the_commonest() {
        assert_eq!(
            terms("The Company's deferred-tax Assets, and Q3 of 2003 in Zürich; companies' loss"),
            [
                "company", "deferred", "tax", "asset", "2003", "zurich", "company", "loss"
            ]
        );
    }

    #[test]
    fn postings_are_variable_length_gaps() {
        let mut out = String::new();
        postings(&[0, 3, 4, 40, 1100], &mut out);
        // 0, +3, +1, +36 (1·32 + 4: `x` is 1 carried), +1060 (1·1024 + 1·32 + 4).
        assert_eq!(out, "031x4xx4");
        // Releases 0–11 but 7: a bitmap is shorter (`~`, 0b111111, 0b111110).
        let mut out = String::new();
        postings(&(0..12).filter(|n| *n != 7).collect::<Vec<_>>(), &mut out);
        assert_eq!(
            out,
            format!("~{}{}", char::from(DIGITS[63]), char::from(DIGITS[61]))
        );
    }

    /// The body's words are searchable, and each record says where the release is and when, as
    /// a reader writes it.
    #[test]
    fn the_demo_index_finds_body_words_of_the_third_quarter_release() {
        let (releases, meta) = demo();
        let (index, by_word) = decode(&index_of(&releases, &meta, &[]));
        let q3 = releases
            .iter()
            .position(|r| r.slug.starts_with("2003-11-14"))
            .unwrap();
        let record = &index["r"][q3];
        assert_eq!(
            record[0],
            "HemaCare Reports Third Quarter Financial Results"
        );
        // The slug is the date and the title slugified: the script makes it.
        assert_eq!(record[1], "");
        assert_eq!(record[2], 20031114);
        assert_eq!(index["c"][record[3].as_u64().unwrap() as usize], "Earnings");
        // In the body only, not in the title or the summary.
        for word in [
            "deferred",
            "tax",
            "valuation",
            "allowance",
            "sherman",
            "apheresis",
        ] {
            let releases = by_word.get(word).unwrap_or_else(|| panic!("{word}"));
            assert!(releases.contains(&q3), "{word}: {releases:?}");
        }
        assert!(!by_word.contains_key("the") && !by_word.contains_key("assets"));
        assert!(by_word["asset"].contains(&q3));
    }

    /// The site's own pages come after the releases, found by the words of their title and body.
    #[test]
    fn pages_follow_the_releases_with_their_url_and_no_date() {
        let (releases, meta) = demo();
        let site = tempfile::tempdir().unwrap();
        let folder = site.path().join(crate::site::custom::FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("governance.md"),
            "---\ntitle: Corporate Governance\ndescription: How the board works.\n---\n\nThe Nominating committee.\n",
        )
        .unwrap();
        let pages = crate::site::custom::load(site.path()).unwrap();
        let (index, by_word) = decode(&index_of(&releases, &meta, &pages));
        let record = &index["r"][5];
        assert_eq!(record[0], "Corporate Governance");
        assert_eq!(record[1], "governance/");
        assert_eq!(record[2], 0);
        assert_eq!(record[4], "How the board works.");
        assert_eq!(index["c"][record[3].as_u64().unwrap() as usize], "Page");
        assert_eq!(by_word["nominating"], [5]);
        assert_eq!(by_word["governance"], [5]);
    }

    /// The size the README states: 1,000 releases, each one of the demo's five bodies (about
    /// 500 words) with 25 words of its own (names, places, products, eight letters or so), which
    /// is how one company's releases differ. Run with `--nocapture` to see the figures.
    #[test]
    fn the_index_of_1000_releases_stays_small() {
        use std::io::Write;
        let (demo, _) = demo();
        let bodies: Vec<&str> = demo.iter().map(|r| r.body.as_str()).collect();
        // Eight pseudo-random letters: names share no more leading letters than chance gives.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut name = move || -> String {
            (0..8)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    char::from(b'a' + (state % 26) as u8)
                })
                .collect()
        };
        let releases: Vec<Release> = (0..1000)
            .map(|i| {
                let words: Vec<String> = (0..25).map(|_| name()).collect();
                // A title as long as the demo's, a name of its own in it; the file named as
                // `hemasite ingest` names it.
                let title = format!("{} {}", demo[i % demo.len()].front.title, words[0]);
                let text = format!(
                    "---\ntitle: {title}\ndate: 2003-01-01\ncategory: business\ncompany: C\nticker: C\nsource: {{ file: raw/x.txt, sha256: \"0\" }}\n---\n\n{}\n\n{}\n",
                    bodies[i % bodies.len()],
                    words.join(" ")
                );
                let name = format!("2003-01-01-{}.md", slugify(&title));
                Release::parse(std::path::Path::new(&name), &text).unwrap()
            })
            .collect();
        let bytes = index_of(&releases, &known(&releases), &[]);
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(&bytes).unwrap();
        let gzipped = gzip.finish().unwrap().len();
        let (decoded, by_word) = decode(&bytes);
        let records = serde_json::to_vec(&decoded["r"]).unwrap().len();
        println!(
            "search index of 1,000 releases: {} bytes ({records} of them records, {} of them \
             {} terms, {} their postings), {gzipped} gzipped",
            bytes.len(),
            decoded["t"].as_str().unwrap().len(),
            by_word.len(),
            decoded["p"].as_str().unwrap().len(),
        );
        // The demo's words and about 25,000 names, each found.
        assert!(by_word.len() > 25_000, "{} terms", by_word.len());
        assert_eq!(by_word.values().map(Vec::len).max(), Some(1000));
        // The ceilings: what a reader's browser fetches before the first search. The previous
        // index (words as JSON keys, records as objects with 220-character summaries, full
        // URLs and dates) was 820 KB for a lighter set (titles `Release 1`, short names).
        assert!(bytes.len() < 560_000, "{} bytes", bytes.len());
        assert!(gzipped < 180_000, "{gzipped} bytes gzipped");
    }
}
