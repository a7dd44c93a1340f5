//! Header facts read from the beginnings of real releases of many issuers and decades
//! (`tests/fixtures/headers/`, sources in its README): date, title, subtitle, ticker, market,
//! dateline, contact and category, each against what a person reads off the text.
//!
//! The rules are general, so a few fixtures may disagree; the test holds the share of fields
//! read right at or above the bar (95%) and prints every disagreement.

use std::path::Path;

use hemasite::ingest;
use hemasite::model::FiscalCalendar;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Expected {
    file: String,
    date: Option<chrono::NaiveDate>,
    #[serde(default)]
    date_missing: bool,
    title: String,
    subtitle: Option<String>,
    ticker: Option<String>,
    market: Option<String>,
    dateline: Option<String>,
    contact: Option<String>,
    category: String,
    #[allow(dead_code)]
    url: String,
}

const FOLDER: &str = "tests/fixtures/headers";

/// Fixtures gathered after the rules were written and never used to tune them: the measure of
/// how the rules do on releases their authors have not seen.
const HELD_OUT: &str = "tests/fixtures/headers-holdout";

/// The pages these beginnings were taken from rendered the filing's HTML layout tables with a
/// `|` at each cell boundary. A cell boundary separates blocks, as a blank line does in a
/// typed release, so each `|` becomes one.
fn without_cell_marks(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim();
            if trimmed.chars().all(|c| c == '|' || c.is_whitespace()) {
                String::new()
            } else if trimmed.contains('|') {
                format!(
                    "\n{}\n",
                    trimmed
                        .split('|')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n\n")
                )
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn header_facts_of_real_releases() {
    let share = share_right(FOLDER);
    assert!(
        share >= 0.95,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// The bar is 95% on unseen releases; these page copies, which lost the HTML's block
/// structure, are read at about 77% (see the README). The test keeps that from falling back.
#[test]
fn header_facts_of_held_out_releases() {
    let share = share_right(HELD_OUT);
    assert!(
        share >= 0.90,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A third set, gathered after the rules were tuned on the other two; measured once unseen
/// (69.2%), then its unread releases were used to find the date forms the rules lacked.
const UNSEEN: &str = "tests/fixtures/headers-unseen";

/// A fourth set, gathered while the rules were tuned on the third; measured unseen (77.5%),
/// then its misread headers were used to find the rules they lacked.
const FRESH: &str = "tests/fixtures/headers-fresh";

#[test]
fn header_facts_of_the_third_set() {
    let share = share_right(UNSEEN);
    assert!(
        share >= 0.85,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// The figure printed is the measure; the floor only keeps it from falling back unnoticed.
#[test]
fn header_facts_of_the_fourth_set() {
    let share = share_right(FRESH);
    assert!(
        share >= 0.85,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A fifth set, gathered while the rules were tuned on the fourth; measured unseen (90.0%),
/// then its misread headers were used too.
const FIFTH: &str = "tests/fixtures/headers-fifth";

#[test]
fn header_facts_of_the_fifth_set() {
    let share = share_right(FIFTH);
    assert!(
        share >= 0.90,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A sixth set, gathered while the rules were tuned on the fifth; measured unseen (85.4%),
/// then its misread headers were used too.
const SIXTH: &str = "tests/fixtures/headers-sixth";

#[test]
fn header_facts_of_the_sixth_set() {
    let share = share_right(SIXTH);
    assert!(
        share >= 0.88,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A seventh set, gathered while the rules were tuned on the sixth; measured unseen (82.6%),
/// then its misread headers were used too.
const SEVENTH: &str = "tests/fixtures/headers-seventh";

#[test]
fn header_facts_of_the_seventh_set() {
    let share = share_right(SEVENTH);
    assert!(
        share >= 0.87,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// An eighth set, gathered while the rules were tuned on the seventh; measured unseen (80.7%, and
/// 82.0% after rules learnt from others), then its misread headers were used too.
const EIGHTH: &str = "tests/fixtures/headers-eighth";

#[test]
fn header_facts_of_the_eighth_set() {
    let share = share_right(EIGHTH);
    assert!(
        share >= 0.84,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A ninth set, gathered after the rules were tuned on the others; measured unseen (80.5%), then
/// its misread headers were used too.
const NINTH: &str = "tests/fixtures/headers-ninth";

#[test]
fn header_facts_of_the_ninth_set() {
    let share = share_right(NINTH);
    assert!(
        share >= 0.84,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A tenth set, gathered after the rules were tuned on the ninth; measured unseen (83.2%), then
/// its misread headers were used too.
const TENTH: &str = "tests/fixtures/headers-tenth";

#[test]
fn header_facts_of_the_tenth_set() {
    let share = share_right(TENTH);
    assert!(
        share >= 0.89,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// The share of header fields read right in one folder of fixtures, printing each disagreement.
fn share_right(folder: &str) -> f64 {
    let (share, wrong) = measure(folder);
    for line in &wrong {
        println!("  {line}");
    }
    share
}

/// The share of header fields read right in one folder, and each disagreement.
fn measure(folder: &str) -> (f64, Vec<String>) {
    let expected: Vec<Expected> = serde_yaml::from_str(
        &std::fs::read_to_string(Path::new(folder).join("expected.yaml")).unwrap(),
    )
    .unwrap();
    assert!(
        expected.len() >= 25,
        "the fixtures cover at least 25 issuers"
    );
    let mut right = 0;
    let mut total = 0;
    let mut wrong = Vec::new();
    for case in &expected {
        let text = std::fs::read_to_string(Path::new(folder).join(&case.file)).unwrap();
        let mut text = without_cell_marks(&text);
        if case.date_missing {
            // An undated release takes its filing's date: give it a submission that has one.
            text = format!(
                "<SEC-DOCUMENT>\n<SEC-HEADER>\nFILED AS OF DATE:\t\t20000101\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n{text}\n</TEXT>\n</DOCUMENT>\n"
            );
        }
        let bytes = text.into_bytes();
        let (front, no_headline) =
            match ingest::extract_file(&bytes, "raw/x.txt", &FiscalCalendar::default()) {
                Ok((releases, warnings)) if !releases.is_empty() => (
                    releases[0].front.clone(),
                    warnings
                        .iter()
                        .any(|w| w.message.starts_with("no headline above the release")),
                ),
                Ok(_) | Err(_) => {
                    // Every field this case would have checked is wrong.
                    total += if case.date_missing { 7 } else { 8 };
                    wrong.push(format!("{}: not read as a release", case.file));
                    continue;
                }
            };
        let mut check = |field: &str, want: Option<String>, got: Option<String>| {
            total += 1;
            if want == got {
                right += 1;
            } else {
                wrong.push(format!(
                    "{}: {field}: expected {want:?}, read {got:?}",
                    case.file
                ));
            }
        };
        if !case.date_missing {
            check(
                "date",
                case.date.map(|d| d.to_string()),
                Some(front.date.to_string()),
            );
        }
        // A release printed without a headline has none to read (`title: ""`); ingest says so
        // and makes the page a title from the first sentence, which is not a headline read.
        let headline = match no_headline {
            true => String::new(),
            false => front.title.clone(),
        };
        check("title", Some(case.title.clone()), Some(headline));
        check("subtitle", case.subtitle.clone(), front.subtitle.clone());
        check(
            "ticker",
            case.ticker.clone(),
            Some(front.ticker.clone()).filter(|t| !t.is_empty()),
        );
        check("market", case.market.clone(), front.market.clone());
        check("dateline", case.dateline.clone(), front.dateline.clone());
        check(
            "contact",
            case.contact.clone(),
            front.contact.as_ref().and_then(|c| c.name.clone()),
        );
        check(
            "category",
            Some(case.category.clone()),
            Some(front.category.to_string()),
        );
    }
    let share = right as f64 / total as f64;
    println!(
        "{folder}: {right} of {total} header fields right ({:.1}%)",
        share * 100.0
    );
    (share, wrong)
}

/// An eleventh set, gathered blind while the rules were tuned on the eighth and tenth; measured
/// unseen (89.2%; 85.5% with the rules before that tuning), then its misread headers were used
/// too.
const ELEVENTH: &str = "tests/fixtures/headers-eleventh";

#[test]
fn header_facts_of_the_eleventh_set() {
    let share = share_right(ELEVENTH);
    assert!(
        share >= 0.92,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A twelfth set (48 releases), gathered blind while the rules were tuned on the eleventh;
/// measured unseen (83.9%), then its misread headers were used too.
const TWELFTH: &str = "tests/fixtures/headers-twelfth";

#[test]
fn header_facts_of_the_twelfth_set() {
    let share = share_right(TWELFTH);
    assert!(
        share >= 0.82,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A thirteenth set (44 releases), gathered blind while the rules were tuned on the twelfth;
/// measured unseen (87.4%; 86.8% with the rules before that tuning), then its misread headers
/// were used too.
const THIRTEENTH: &str = "tests/fixtures/headers-thirteenth";

#[test]
fn header_facts_of_the_thirteenth_set() {
    let share = share_right(THIRTEENTH);
    assert!(
        share >= 0.87,
        "{:.1}% of header fields right; disagreements above",
        share * 100.0
    );
}

/// A fourteenth set (50 releases), gathered blind while the rules were tuned on the thirteenth;
/// only ever measured (its misreadings are not printed, so that nobody tuning the rules reads
/// them): the honest figure for releases the rules have not seen.
const FOURTEENTH: &str = "tests/fixtures/headers-fourteenth";

#[test]
fn header_facts_of_the_fourteenth_set() {
    let share = measure(FOURTEENTH).0;
    assert!(
        share >= 0.80,
        "{:.1}% of header fields right",
        share * 100.0
    );
}
