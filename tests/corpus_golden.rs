//! Every real filing of `../shared/corpus/` ingests without an error, and each release's front
//! matter is byte for byte the reviewed golden file in `tests/golden/corpus/`. Skips, saying so,
//! when the corpus is not there.
//!
//! After a deliberate change: `UPDATE_GOLDEN=1 cargo test --test corpus_golden`, then read every
//! changed line of `git diff tests/golden/corpus` against the filing before committing it.

mod common;
use common::corpus;
use std::path::Path;

use hemasite::ingest;
use hemasite::model::FiscalCalendar;

/// The corpus files and the month and day each issuer's fiscal year ends near, from its
/// filings (Apple: the last Saturday of September; Oracle: May 31).
const FILINGS: &[(&str, u32, u32)] = &[
    ("alnylam-2023-07-24-roche-partnership.htm", 12, 31),
    (
        "apple-1999-09-03-derivative-settlement-8k-submission.txt",
        9,
        30,
    ),
    ("apple-2024-02-01-q1-fy2024-earnings-submission.txt", 9, 30),
    (
        "cisco-1995-08-10-combinet-acquisition-ex20-submission.txt",
        7,
        31,
    ),
    ("ebay-2014-10-15-q3-earnings-submission.txt", 12, 31),
    (
        "food-concepts-1998-01-26-majority-shareholder-8k-submission.txt",
        6,
        30,
    ),
    ("oracle-2022-06-13-q4-fy2022-earnings-submission.txt", 5, 31),
    (
        "southern-company-2007-01-25-q4-earnings-submission.txt",
        12,
        31,
    ),
];

/// The front matter of a release file, without its digest comment.
fn front_matter(file: &str) -> String {
    let end = file[3..]
        .find("\n---\n")
        .map_or(file.len(), |at| at + 3 + 5);
    file[..end]
        .lines()
        .filter(|line| !line.starts_with("# Written by hemasite ingest"))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn every_corpus_release_matches_its_reviewed_front_matter() {
    let Some(corpus) = corpus() else { return };
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/corpus");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut expected_names = Vec::new();
    for (name, month, day) in FILINGS {
        let bytes = std::fs::read(corpus.join(name)).unwrap();
        let calendar = FiscalCalendar {
            year_end_month: *month,
            year_end_day: *day,
            named_for_start: false,
        };
        let (releases, _warnings) = ingest::extract_file(&bytes, &format!("raw/{name}"), &calendar)
            .unwrap_or_else(|err| panic!("{name}:{}: {}", err.line, err.message));
        assert!(!releases.is_empty(), "{name}: no release");
        for (index, release) in releases.iter().enumerate() {
            let stem = name.rsplit_once('.').map_or(*name, |(stem, _)| stem);
            let golden_name = match index {
                0 => format!("{stem}.yaml"),
                n => format!("{stem}-{}.yaml", n + 1),
            };
            let written = front_matter(&ingest::render_file(release));
            let path = golden.join(&golden_name);
            expected_names.push(golden_name);
            if update {
                std::fs::create_dir_all(&golden).unwrap();
                std::fs::write(&path, &written).unwrap();
                continue;
            }
            let reviewed = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            assert_eq!(
                written,
                reviewed,
                "{name}: front matter differs from {}",
                path.display()
            );
        }
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&golden)
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    on_disk.sort();
    expected_names.sort();
    assert_eq!(on_disk, expected_names, "a golden file no release matches");
}
