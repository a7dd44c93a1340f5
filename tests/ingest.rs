//! `hemasite ingest`, as a user runs it: on the five seed releases and on the awkward files a
//! user will have (CRLF, Windows-1252, BOM, full EDGAR submissions, cut-off, empty, binary).
//!
//! Golden files: `tests/golden/ingest/*.md` hold the reviewed output for the seeds. After a
//! deliberate change, regenerate them with
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --test ingest
//! ```
//!
//! and read the diff (`git diff tests/golden`) line by line before committing it.

use std::path::{Path, PathBuf};
use std::process::Command;

use hemasite::ingest::{self, Options};
use hemasite::model::FiscalCalendar;
use hemasite::model::{Category, Column, EventKind, EventTime, Figure, Release, StatementKind};
use hemasite::progress::Silent;

const RAW: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content/raw");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest");
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/ingest");

/// A site folder holding copies of the given raw files.
fn site_with(raw_files: &[PathBuf]) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let raw = site.path().join("content/raw");
    std::fs::create_dir_all(&raw).unwrap();
    for file in raw_files {
        std::fs::copy(file, raw.join(file.file_name().unwrap())).unwrap();
    }
    site
}

fn seeds() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(RAW)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn releases_in(site: &Path) -> Vec<Release> {
    let (releases, errors) = Release::load_dir(&site.join("content/releases"));
    assert!(errors.is_empty(), "{errors:?}");
    releases
}

fn seed_release(name_part: &str) -> Release {
    let site = site_with(&seeds());
    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    releases_in(site.path())
        .into_iter()
        .find(|r| r.slug.contains(name_part))
        .unwrap_or_else(|| panic!("no release named like {name_part}"))
}

#[test]
fn seeds_match_the_reviewed_golden_files() {
    let site = site_with(&seeds());
    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.written.len(), 5);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        std::fs::create_dir_all(GOLDEN).unwrap();
    }
    for written in &report.written {
        let name = written.file_name().unwrap();
        let actual = std::fs::read_to_string(written).unwrap();
        let golden = Path::new(GOLDEN).join(name);
        if update {
            std::fs::write(&golden, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("missing golden file {}", golden.display()));
        assert!(
            actual == expected,
            "{} differs from its golden file; if the change is intended, run \
             `UPDATE_GOLDEN=1 cargo test --test ingest` and review the diff",
            name.to_string_lossy()
        );
    }
}

#[test]
fn the_demo_content_is_what_ingest_writes() {
    let site = site_with(&seeds());
    ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/releases");
    for release in releases_in(site.path()) {
        let shipped = std::fs::read_to_string(repo.join(format!("{}.md", release.slug))).unwrap();
        let fresh = std::fs::read_to_string(&release.path).unwrap();
        assert_eq!(
            shipped, fresh,
            "content/releases/{}.md is stale: run `cargo run -- ingest`",
            release.slug
        );
    }
}

#[test]
fn headline_date_and_listing() {
    let meeting = seed_release("annual-shareholders-meeting");
    assert_eq!(
        meeting.front.title,
        "HemaCare Corporation Sets Date for Its 2004 Annual Shareholders Meeting"
    );
    assert_eq!(meeting.front.date.to_string(), "2004-02-27");
    let cfo = seed_release("chief-financial-officer");
    assert_eq!(
        cfo.front.date.to_string(),
        "2003-06-27",
        "date from the dateline"
    );
    for release in [&meeting, &cfo, &seed_release("third-quarter")] {
        assert_eq!(
            release.front.ticker, "HEMA",
            "HEMA and HEMA.OB are one ticker"
        );
        assert_eq!(release.front.market.as_deref(), Some("OTC Bulletin Board"));
        assert_eq!(release.front.dateline.as_deref(), Some("Los Angeles"));
        assert_eq!(release.front.company, "HemaCare Corporation");
    }
}

#[test]
fn contact_block_whatever_its_indentation() {
    let q3 = seed_release("third-quarter"); // tabs and spaces mixed
    let contact = q3.front.contact.unwrap();
    assert_eq!(contact.name.as_deref(), Some("JoAnn Mannise"));
    assert_eq!(
        contact.title.as_deref(),
        Some("Director of Investor Relations")
    );
    assert_eq!(contact.phone.as_deref(), Some("877-310-0717"));
    assert_eq!(contact.website.as_deref(), Some("www.hemacare.com"));
}

#[test]
fn categories() {
    let categories: Vec<(String, Category)> = releases_of_seeds()
        .into_iter()
        .map(|r| (r.slug, r.front.category))
        .collect();
    let expected = [
        (
            "2003-05-19-hemacare-adds-new-members-to-its-board-of-directors",
            Category::Board,
        ),
        (
            "2003-06-27-marcario-joins-hemacare-as-chief-financial-officer",
            Category::Management,
        ),
        (
            "2003-08-11-hemacare-reports-second-quarter-financial-results",
            Category::Earnings,
        ),
        (
            "2003-11-14-hemacare-reports-third-quarter-financial-results",
            Category::Earnings,
        ),
        (
            "2004-02-27-hemacare-corporation-sets-date-for-its-2004-annual-shareholders-meeting",
            Category::ShareholderMeeting,
        ),
    ]
    .map(|(slug, category)| (slug.to_string(), category));
    assert_eq!(categories, expected);
}

#[test]
fn people_with_their_roles() {
    let names = |r: Release| -> Vec<(String, String)> {
        r.front
            .people
            .into_iter()
            .map(|p| (p.name, p.role))
            .collect()
    };
    let pair = |n: &str, r: &str| (n.to_string(), r.to_string());
    assert_eq!(
        names(seed_release("chief-financial-officer")),
        [
            pair("Rose Marcario", "Chief Financial Officer"),
            pair("Judi Irving", "President and Chief Executive Officer"),
            pair("David Fractor", "Former Chief Financial Officer"),
        ]
    );
    assert_eq!(
        names(seed_release("board-of-directors")),
        [
            pair("Wm. Andrew L. Heaton, M.D.", "Director"),
            pair("Terry Van Der Tuuk", "Director"),
            pair("Jay Steffenhagen", "Chairman"),
        ]
    );
}

#[test]
fn quotes_with_their_speaker() {
    let cfo = seed_release("chief-financial-officer");
    let quotes: Vec<(&str, &str)> = cfo
        .front
        .quotes
        .iter()
        .map(|q| (q.speaker.as_str(), &q.text[..20]))
        .collect();
    assert_eq!(
        quotes,
        [
            ("Judi Irving", "Rose brings a wealth"),
            ("Judi Irving", "We thank David for h"),
            ("Judi Irving", "The Company will ben")
        ]
    );
    let board = seed_release("board-of-directors");
    assert_eq!(board.front.quotes[0].speaker, "Jay Steffenhagen");
}

#[test]
fn conference_calls_carry_daylight_or_standard_time() {
    let q2 = seed_release("second-quarter");
    let call = &q2.front.events[0];
    assert_eq!(call.kind, EventKind::ConferenceCall);
    assert_eq!(
        serde_yaml::to_string(&call.start).unwrap().trim(),
        "2003-08-11T16:30:00-04:00"
    );
    let replay = call.replay.as_ref().unwrap();
    assert_eq!(
        (replay.phone.as_str(), replay.passcode.as_deref()),
        ("800-642-1687", Some("1969717"))
    );
    assert_eq!(
        replay.until.unwrap().to_rfc3339(),
        "2003-08-18T23:59:00-04:00"
    );

    let q3 = seed_release("third-quarter");
    let call = &q3.front.events[0];
    assert_eq!(
        serde_yaml::to_string(&call.start).unwrap().trim(),
        "2003-11-14T16:30:00-05:00"
    );
    assert_eq!(call.dial_in.as_deref(), Some("800-309-8563"));
    assert_eq!(
        call.replay.as_ref().unwrap().phone,
        "800-642-1687",
        "number rejoined across a line break"
    );
}

#[test]
fn annual_meeting_record_date_and_proxy_mailing() {
    let meeting = seed_release("annual-shareholders-meeting");
    let events = &meeting.front.events;
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].kind, EventKind::AnnualMeeting);
    assert_eq!(
        serde_yaml::to_string(&events[0].start).unwrap().trim(),
        "2004-05-25T09:00:00-07:00",
        "9:00 a.m. Pacific Daylight"
    );
    assert!(
        events[0]
            .location
            .as_deref()
            .unwrap()
            .contains("21101 Oxnard Street, Woodland Hills, California 91367")
    );
    assert_eq!(
        (events[1].kind, events[1].start),
        (
            EventKind::RecordDate,
            EventTime::Day("2004-04-07".parse().unwrap())
        )
    );
    assert_eq!(
        (events[2].kind, events[2].start),
        (
            EventKind::ProxyMailing,
            EventTime::Day("2004-04-10".parse().unwrap())
        )
    );
}

#[test]
fn financial_tables_every_row_and_column() {
    let q2 = seed_release("second-quarter");
    let financials = q2.front.financials.unwrap();
    assert_eq!(financials.fiscal_period, "2003-Q2");
    let operations = &financials.statements[0];
    assert_eq!(operations.kind, StatementKind::Operations);
    assert_eq!(operations.columns.len(), 4);
    assert!(
        matches!(&operations.columns[2], Column::Period { months: 6, start, .. } if start.to_string() == "2003-01-01")
    );
    let keys: Vec<&str> = operations.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "revenue",
            "pretax_income",
            "net_income",
            "eps_basic_diluted",
            "weighted_shares_basic_diluted"
        ]
    );
    let eps: Vec<String> = operations.rows[3]
        .values
        .iter()
        .map(|v| match v {
            Some(Figure::PerShare(d)) => d.to_string(),
            other => panic!("not per-share: {other:?}"),
        })
        .collect();
    assert_eq!(
        eps,
        ["-0.04", "-0.00", "-0.03", "-0.02"],
        "(0.00) keeps its sign and precision"
    );
    assert_eq!(
        operations.rows[4].label,
        "Weighted average shares outstanding - basic and diluted"
    );

    let balance = &financials.statements[1];
    assert_eq!(balance.kind, StatementKind::BalanceSheet);
    let total = balance
        .rows
        .iter()
        .find(|r| r.key == "total_liabilities_and_equity")
        .unwrap();
    assert!(total.total);
    assert_eq!(total.label, "Total liabilities and shareholders' equity");
    assert_eq!(
        total.values,
        [
            Some(Figure::Amount(12_484_000)),
            Some(Figure::Amount(13_455_000))
        ]
    );

    let q3 = seed_release("third-quarter");
    let operations = &q3.front.financials.unwrap().statements[0];
    let net = operations
        .rows
        .iter()
        .find(|r| r.key == "net_income")
        .unwrap();
    assert_eq!(net.label, "Net loss");
    assert!(net.total);
    assert_eq!(net.values[0], Some(Figure::Amount(-4_679_000)));
    let tax = operations
        .rows
        .iter()
        .find(|r| r.key == "income_tax")
        .unwrap();
    assert_eq!(tax.label, "Provision (benefit) for income taxes");
}

#[test]
fn body_is_clean_prose() {
    for release in releases_of_seeds() {
        let body = &release.body;
        for furniture in [
            "[LOGO]",
            "- more -",
            "<PAGE>",
            "###",
            "Financial Table Follows",
            "N E W S",
            "  ",
            "STATEMENTS OF OPERATIONS",
            "forward-looking statements\" within",
            "Founded in 1978",
        ] {
            assert!(
                !body.contains(furniture),
                "{}: body contains {furniture:?}",
                release.slug
            );
        }
        assert!(
            body.starts_with("HemaCare Corporation ("),
            "{}: dateline not moved out: {}",
            release.slug,
            &body[..40]
        );
        assert!(
            release
                .front
                .about
                .as_deref()
                .unwrap()
                .starts_with("Founded in 1978")
        );
        assert!(
            release
                .front
                .safe_harbor
                .as_deref()
                .unwrap()
                .starts_with("This press release")
        );
    }
    let q3 = seed_release("third-quarter");
    assert!(q3.body.contains("a $3,160,000 write-down in"));
    assert!(
        q3.body.contains("approximately 80% of the sales volume"),
        "paragraph rejoined across the page break"
    );
    let q2 = seed_release("second-quarter");
    assert!(
        q2.front
            .safe_harbor
            .unwrap()
            .contains("without limitation,")
    );
}

fn releases_of_seeds() -> Vec<Release> {
    let site = site_with(&seeds());
    ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    releases_in(site.path())
}

#[test]
fn rerunning_writes_identical_bytes() {
    let site = site_with(&seeds());
    ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    let first: Vec<String> = releases_in(site.path())
        .iter()
        .map(|r| std::fs::read_to_string(&r.path).unwrap())
        .collect();
    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    assert_eq!((report.written.len(), report.unchanged.len()), (0, 5));
    let second: Vec<String> = releases_in(site.path())
        .iter()
        .map(|r| std::fs::read_to_string(&r.path).unwrap())
        .collect();
    assert_eq!(first, second);
}

#[test]
fn hand_edits_are_kept_unless_forced() {
    let site = site_with(&seeds());
    ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    let release = &releases_in(site.path())[0];
    let edited = std::fs::read_to_string(&release.path)
        .unwrap()
        .replace("Los Angeles", "Woodland Hills");
    std::fs::write(&release.path, &edited).unwrap();

    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    assert_eq!(report.kept, std::slice::from_ref(&release.path));
    assert_eq!(std::fs::read_to_string(&release.path).unwrap(), edited);
    let mut printed = Vec::new();
    report.print(&mut printed, ingest::Verbosity::Normal);
    assert!(
        String::from_utf8(printed)
            .unwrap()
            .contains("edited by hand since ingest wrote it; run `hemasite ingest --force`")
    );

    let forced = ingest::ingest_site(site.path(), &[], &Options { force: true }, &Silent);
    assert_eq!(forced.written, std::slice::from_ref(&release.path));
    assert!(
        !std::fs::read_to_string(&release.path)
            .unwrap()
            .contains("Woodland Hills\n")
    );
}

#[test]
fn crlf_windows_1252_and_bom_read_like_clean_utf8() {
    let site = site_with(&[fixture("crlf-windows-1252.txt"), fixture("utf8-bom.txt")]);
    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    assert!(
        report.failed.is_empty() && report.warnings.is_empty(),
        "{report:?}"
    );
    let releases = releases_in(site.path());
    assert_eq!(releases.len(), 2);
    for release in &releases {
        assert!(
            release.body.contains("The Company\u{2019}s board"),
            "0x92 is a right single quote"
        );
        assert!(!release.body.contains('\r'));
        assert_eq!(
            release.front.contact.as_ref().unwrap().name.as_deref(),
            Some("Pat O'Brien")
        );
    }
    assert_eq!(
        releases[0].front,
        releases[1].front.clone().with_source_of(&releases[0])
    );
    assert_eq!(releases[0].body, releases[1].body);
}

trait WithSource {
    fn with_source_of(self, other: &Release) -> Self;
}

impl WithSource for hemasite::model::FrontMatter {
    fn with_source_of(mut self, other: &Release) -> Self {
        self.source = other.front.source.clone();
        self
    }
}

#[test]
fn every_ex_99_of_a_full_submission_is_ingested() {
    let site = site_with(&[fixture("edgar-submission.txt")]);
    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let titles: Vec<String> = releases_in(site.path())
        .into_iter()
        .map(|r| r.front.title)
        .collect();
    assert_eq!(
        titles,
        [
            "Acme Widget Company Names New Chief Operating Officer",
            "Acme Widget Company Opens Plant in Ohio"
        ]
    );
}

#[test]
fn a_release_that_stops_part_way_is_ingested_with_a_warning() {
    let site = site_with(&[fixture("truncated.txt")]);
    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    assert!(report.failed.is_empty());
    assert_eq!(report.written.len(), 1);
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].message.contains("stop part way"),
        "{}",
        report.warnings[0]
    );
    assert!(report.warnings[0].path.ends_with("truncated.txt"));
}

#[test]
fn a_bad_file_is_named_and_does_not_stop_the_others() {
    let site = site_with(&[
        fixture("empty.txt"),
        fixture("binary.bin"),
        fixture("utf8-bom.txt"),
    ]);
    let output = Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .args(["--root", site.path().to_str().unwrap(), "ingest"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        !output.status.success(),
        "exit status must say something failed"
    );
    assert!(stderr.contains("empty.txt: the file is empty"), "{stderr}");
    assert!(
        stderr.contains("binary.bin:2: the file looks binary"),
        "{stderr}"
    );
    assert!(stderr.contains("1 written"), "{stderr}");
    assert_eq!(releases_in(site.path()).len(), 1);
}

#[test]
fn a_file_from_outside_is_kept_under_content_raw() {
    let site = site_with(&[]);
    let report = ingest::ingest_site(
        site.path(),
        &[fixture("utf8-bom.txt")],
        &Options::default(),
        &Silent,
    );
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let copy = site.path().join("content/raw/utf8-bom.txt");
    assert_eq!(
        std::fs::read(copy).unwrap(),
        std::fs::read(fixture("utf8-bom.txt")).unwrap()
    );
    assert_eq!(
        releases_in(site.path())[0].front.source.file,
        "raw/utf8-bom.txt"
    );
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    fn seed_bytes() -> Vec<Vec<u8>> {
        seeds().iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let _ = ingest::extract_file(&bytes, "raw/x.txt", &FiscalCalendar::default());
        }

        #[test]
        fn mutated_seeds(
            which in 0usize..5,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..40),
        ) {
            let mut bytes = seed_bytes()[which].clone();
            for (at, byte, op) in edits {
                if bytes.is_empty() { break; }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = byte,
                    1 => { bytes.remove(i); }
                    _ => bytes.insert(i, byte),
                }
            }
            let _ = ingest::extract_file(&bytes, "raw/x.txt", &FiscalCalendar::default());
        }

        #[test]
        fn truncated_seeds(which in 0usize..5, cut in any::<prop::sample::Index>()) {
            let bytes = &seed_bytes()[which];
            let _ = ingest::extract_file(&bytes[..cut.index(bytes.len())], "raw/x.txt", &FiscalCalendar::default());
        }
    }
}

#[test]
fn written_files_read_back_as_extracted() {
    let mut files = seeds();
    files.extend(
        [
            "crlf-windows-1252.txt",
            "edgar-submission.txt",
            "truncated.txt",
        ]
        .map(fixture),
    );
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let (releases, _) =
            ingest::extract_file(&bytes, "raw/x.txt", &FiscalCalendar::default()).unwrap();
        for release in releases {
            let path = Path::new("content/releases/2003-01-01-x.md");
            let back = Release::parse(path, &ingest::render_file(&release)).unwrap();
            assert_eq!(back.front, release.front, "{}", file.display());
            assert_eq!(
                back.body.trim_end(),
                release.body.trim_end(),
                "{}",
                file.display()
            );
        }
    }
}

#[test]
fn the_documented_example_is_what_ingest_writes() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/front-matter.md"))
        .unwrap();
    let golden = std::fs::read_to_string(
        Path::new(GOLDEN).join("2003-11-14-hemacare-reports-third-quarter-financial-results.md"),
    )
    .unwrap();
    let front = &golden[..golden.find("\n---\n").unwrap() + 5];
    assert!(
        doc.contains(front),
        "docs/front-matter.md's example is stale: paste the golden front matter"
    );
}

#[test]
fn a_release_from_another_filing_with_the_same_name_is_not_overwritten() {
    let site = site_with(&[fixture("utf8-bom.txt")]);
    ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    // The same release filed again under another name gets a name of its own.
    let report = ingest::ingest_site(
        site.path(),
        &[fixture("crlf-windows-1252.txt")],
        &Options::default(),
        &Silent,
    );
    assert_eq!(report.written.len(), 1, "{report:?}");
    assert!(
        report.written[0]
            .to_string_lossy()
            .ends_with("-officer-2.md")
    );
    let mut sources: Vec<String> = releases_in(site.path())
        .into_iter()
        .map(|r| r.front.source.file)
        .collect();
    sources.sort();
    assert_eq!(sources, ["raw/crlf-windows-1252.txt", "raw/utf8-bom.txt"]);
}

#[test]
fn a_folder_named_like_a_filing_is_reported_and_a_link_out_of_the_site_refused() {
    let site = site_with(&[fixture("edgar-submission.txt")]);
    let raw = site.path().join("content/raw");
    std::fs::create_dir(raw.join("x.txt")).unwrap();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "secret").unwrap();
    std::os::unix::fs::symlink(outside.path(), raw.join("passwd.txt")).unwrap();
    let report = ingest::ingest_site(site.path(), &[], &Options::default(), &Silent);
    let said = |errors: &[hemasite::diagnostics::Diagnostic], name: &str| {
        errors
            .iter()
            .find(|e| e.path.ends_with(name))
            .map(|e| e.message.clone())
    };
    assert!(said(&report.warnings, "x.txt").is_some_and(|m| m.contains("a folder, not a filing")));
    assert!(
        said(&report.failed, "passwd.txt").is_some_and(|m| m.contains("outside the site folder"))
    );
    assert_eq!(
        report.written.len(),
        2,
        "the submission's releases are still read"
    );
}

#[test]
fn an_impossible_release_date_says_no_such_date() {
    let text =
        std::fs::read_to_string(Path::new(RAW).join("2004-02-27-2004-annual-meeting-date.txt"))
            .unwrap()
            .replace(
                "RELEASE DATE:  February 27, 2004",
                "RELEASE DATE:  February 30, 2004",
            );
    let err =
        ingest::extract_file(text.as_bytes(), "raw/x.txt", &FiscalCalendar::default()).unwrap_err();
    assert!(err.message.contains("no such date"), "{err:?}");
}

#[test]
fn a_large_submission_is_read_in_one_pass() {
    // 30 MB of uuencoded graphics and XBRL around one release: read, not choked on.
    let release = std::fs::read_to_string(fixture("edgar-submission.txt")).unwrap();
    let padding = "M_]C_X``02D9)1@`!`0``\n".repeat(1_400_000);
    let big = release.replacen(
        "</SEC-DOCUMENT>",
        &format!("<DOCUMENT>\n<TYPE>GRAPHIC\n<FILENAME>logo.jpg\n<TEXT>\nbegin 644 logo.jpg\n{padding}end\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>"),
        1,
    );
    assert!(big.len() > 30_000_000);
    let (releases, _) =
        ingest::extract_file(big.as_bytes(), "raw/big.txt", &FiscalCalendar::default()).unwrap();
    assert_eq!(releases.len(), 2);
}

/// The front matter of a bare text exhibit, and the warnings it gave.
fn header_of(text: &str) -> (hemasite::model::FrontMatter, Vec<String>) {
    let (releases, warnings) = hemasite::ingest::extract_file(
        text.as_bytes(),
        "raw/x.txt",
        &hemasite::model::FiscalCalendar::default(),
    )
    .unwrap_or_else(|err| panic!("{text}\n{err}"));
    let messages = warnings.iter().map(|w| w.message.clone()).collect();
    (releases[0].front.clone(), messages)
}

/// The header read from `top` set above a dateline and the news ([`LEAD`]).
fn under_a_dateline(top: &str) -> (hemasite::model::FrontMatter, Vec<String>) {
    header_of(&format!("{top}\n\nBOSTON, Mass., May 2, 2008 -- {LEAD}\n"))
}

const LEAD: &str = "Acme Corporation (Nasdaq: ACME) today announced results that were better than the year before, and said its board had met.";

#[test]
fn a_headline_over_two_lines_is_one_headline_when_its_first_line_stops_mid_phrase() {
    for (first, second) in [
        (
            "Acme Receives Nasdaq Notification Regarding",
            "Noncompliance with Listing Standards",
        ),
        (
            "Acme Announces Extension of Its Industry",
            "Agreement, Funding and Updates",
        ),
        (
            "New Appointments Complete the Planned",
            "Transition to Independent Directors",
        ),
        (
            "Acme Board Accepts Resignation; Douglass",
            "B. Given Named Chief Executive",
        ),
        (
            "Acme Announces That Its Report Will Be Delayed; Company",
            "Releases Preliminary Results",
        ),
    ] {
        let (front, _) = under_a_dateline(&format!("{first}\n\n{second}"));
        assert_eq!(front.title, format!("{first} {second}"));
        assert_eq!(front.subtitle, None, "{first}");
    }
    // A second line that starts a sentence of its own is the subtitle.
    let (front, _) = under_a_dateline(
        "Acme Names New Chief Executive Officer\n\nFounder to Remain on the Board",
    );
    assert_eq!(
        front.subtitle.as_deref(),
        Some("Founder to Remain on the Board")
    );
}

#[test]
fn letterheads_roles_and_shouted_names_are_not_headlines() {
    let (front, _) = header_of(&format!(
        "Acme Corporation 80 Park Plaza Newark, NJ 07102\n\nPO Box 2403 Toowong\n\nQueensland 4066 Australia\n\nChairman & CEO\n\nWIDGETCO HOLDINGS Reports Second Quarter Results\n\nBOSTON, Mass., May 2, 2008 -- {LEAD} Widgetco Holdings makes widgets.\n"
    ));
    assert_eq!(
        front.title,
        "Widgetco Holdings Reports Second Quarter Results"
    );
    // A company name typed above a headline that opens with its verb is its subject.
    let (front, _) = header_of(&format!(
        "AMERICAN LEARNING CORPORATION\nREPORTS SECOND QUARTER RESULTS\n\nJERICHO, NY, November 15, 2010: {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "American Learning Corporation Reports Second Quarter Results"
    );
}

#[test]
fn highlights_and_a_summary_above_the_dateline_are_passed_over() {
    let (front, _) = header_of(&format!(
        "Acme Reports Record Results\n\nFourth Quarter Highlights:\n\n\u{b7} Sales rose 12% to $3.1 million in the fourth quarter of the year.\n\u{b7} Net income rose to $0.4 million, or $0.04 per diluted share.\n\nSPENCER, Iowa--(BUSINESS WIRE)--February 19, 2010: {LEAD}\n"
    ));
    assert_eq!(front.title, "Acme Reports Record Results");
    assert_eq!(front.date.to_string(), "2010-02-19");
    assert_eq!(front.dateline.as_deref(), Some("Spencer"));
}

#[test]
fn a_bare_exhibit_without_a_year_or_a_date_line_takes_one_from_its_news_with_a_warning() {
    // Without a year: the first such day after the period the news says has ended.
    let (front, warnings) = header_of(&format!(
        "Acme Delays Its Annual Report\n\nORLANDO, Fla., April 15 /PRNewswire/ -- {LEAD} Its report for the year ended December 31, 2004 will follow.\n"
    ));
    assert_eq!(front.date.to_string(), "2005-04-15");
    assert!(
        warnings.iter().any(|w| w.contains("without a year")),
        "{warnings:?}"
    );
    // No date where a dateline or date line would put it: the first date named, not a period's end.
    let (front, warnings) = header_of(&format!(
        "Acme Announces a New Plant\n\n{LEAD} For the quarter ended March 31, 2019 sales rose; the plant opened on May 7, 2019.\n"
    ));
    assert_eq!(front.date.to_string(), "2019-05-07");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("first date the release names")),
        "{warnings:?}"
    );
}

/// The misread headers of the fourth fixture set, each cut down to the rule it lacked.
#[test]
fn a_contact_block_stops_at_the_headline_and_labels_run_into_names() {
    // A headline opens with what could be a person's name and holds a role.
    let (front, _) = header_of(&format!(
        "December 17, 2001\n\nContact:\n\nSonja Tuitele\n\nCorporate Communications\n\n(720) 562-4984\n\nWild Oats Markets, Inc. Names Chief Financial Officer\n\nBOULDER, Colo., December 17, 2001 -- {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "Wild Oats Markets, Inc. Names Chief Financial Officer"
    );
    assert_eq!(front.dateline.as_deref(), Some("Boulder"));
    assert_eq!(
        front.contact.and_then(|c| c.name).as_deref(),
        Some("Sonja Tuitele")
    );
    // `Contact David A. Bochnowski`, and one line that is a whole contact.
    for contact in [
        "Contact David A. Bochnowski\n\n219-853-7575",
        "Steve Himes, 980-636-5636, shimes@example.com",
    ] {
        let (front, _) = header_of(&format!(
            "{contact}\n\nAcme Declares Second Quarter Dividend\n\nMunster, Indiana, May 26, 2009 -- {LEAD}\n"
        ));
        assert_eq!(
            front.title, "Acme Declares Second Quarter Dividend",
            "{contact}"
        );
        let name = contact
            .trim_start_matches("Contact ")
            .split([',', '\n'])
            .next();
        assert_eq!(front.contact.and_then(|c| c.name).as_deref(), name);
    }
}

#[test]
fn headlines_go_on_after_a_conjunction_or_a_semicolon_and_skip_page_labels() {
    for (lines, title) in [
        (
            "BOLT APPOINTS EDWARD F. SMITH PRESIDENT\nAND CHIEF EXECUTIVE OFFICER",
            "Bolt Appoints Edward F. Smith President and Chief Executive Officer",
        ),
        (
            "Acme Announces First Quarter 2004 Financial Results;\nCompany Posts Revenues of $17.8 Million",
            "Acme Announces First Quarter 2004 Financial Results; Company Posts Revenues of $17.8 Million",
        ),
        (
            "Acme Adjourns Special Meeting of Shareholders\nUntil March 18, 2005 to Vote on Merger",
            "Acme Adjourns Special Meeting of Shareholders Until March 18, 2005 to Vote on Merger",
        ),
        (
            "BOLT HOLDINGS, INC.\nPRESS RELEASE\n\nNews release \u{2013} for immediate release\n\nBOLT REPORTS 17%\nINCREASE IN EARNINGS",
            "Bolt Reports 17% Increase in Earnings",
        ),
        (
            "a1a.jpg\n\nBOLT REPORTS FIRST QUARTER RESULTS",
            "Bolt Reports First Quarter Results",
        ),
        (
            "[Bolt News Release Letterhead] BOLT ANNOUNCES PRELIMINARY RESULTS",
            "Bolt Announces Preliminary Results",
        ),
        (
            "BOLT\n\nOPTICS CORPORATION EAST BROADWAY\n\nSeptember 20, 2006\n\nAcme Announces Additions to Its Senior Management",
            "Acme Announces Additions to Its Senior Management",
        ),
        (
            "Polymer\nGroup, Inc.\n\nPolymer Group, Inc. Appoints Jane Doe Chief Executive Officer",
            "Polymer Group, Inc. Appoints Jane Doe Chief Executive Officer",
        ),
    ] {
        let (front, _) = under_a_dateline(lines);
        assert_eq!(front.title, title, "{lines}");
    }
}

#[test]
fn datelines_of_two_places_dots_and_a_city_under_the_headline() {
    for (text, city, date) in [
        (
            format!(
                "Acme Completes Merger\n\nMontgomeryville, PA and Redmond, WA \u{2014} March 3, 2005 \u{2014} {LEAD}"
            ),
            "Montgomeryville",
            "2005-03-03",
        ),
        (
            format!(
                "Acme Completes Acquisition\n\nRICHMOND, VA\u{2026}.October 1, 2008\u{2026}{LEAD}"
            ),
            "Richmond",
            "2008-10-01",
        ),
        (
            format!("Acme Declares Dividend\n\nST. LOUIS, MO - October, 21, 2003 - {LEAD}"),
            "St. Louis",
            "2003-10-21",
        ),
        // The headline's last line, the city and the date typed straight on, no blank line.
        (
            format!(
                "Legend\nMedia, Inc. Announces Closing of Second Acquisition\nBEIJING,\nJuly 21, 2008 (PRIME NEWSWIRE) -- {LEAD}"
            ),
            "Beijing",
            "2008-07-21",
        ),
    ] {
        let (front, _) = header_of(&format!("{text}\n"));
        assert_eq!(front.dateline.as_deref(), Some(city), "{text}");
        assert_eq!(front.date.to_string(), date, "{text}");
    }
    let (front, _) = header_of(&format!(
        "Legend\nMedia, Inc. Announces Closing of Second Acquisition\nBEIJING,\nJuly 21, 2008 (PRIME NEWSWIRE) -- {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "Legend Media, Inc. Announces Closing of Second Acquisition"
    );
}

#[test]
fn listings_with_a_slash() {
    for (lead, market, ticker) in [
        (
            "Waypoint Financial Corp. (Nasdaq/NM:WYPT) today announced",
            "Nasdaq",
            "WYPT",
        ),
        (
            "Lakeland Financial Corporation (Nasdaq Global Select/LKFN), parent company of Lake City Bank, announced",
            "Nasdaq",
            "LKFN",
        ),
    ] {
        let (front, _) = header_of(&format!(
            "Acme Reports Results\n\nBOSTON, Mass., May 2, 2008 -- {lead} results that were better than the year before.\n"
        ));
        assert_eq!(front.market.as_deref(), Some(market), "{lead}");
        assert_eq!(front.ticker, ticker, "{lead}");
    }
}

/// The misread headers of the fifth fixture set, each cut down to the rule it lacked.
#[test]
fn labels_times_and_pictures_above_a_headline_are_not_headlines() {
    for top in [
        "Exhibit 99.1 - News Release of Acme Corporation, Incorporated dated June 26, 2019\n",
        "EX-99.A 2 dex99a.htm REGISTRANT'S PRESS RELEASE DATED NOVEMBER 4, 2004\n",
        "(Acme Corporation Logo)\n",
        "The Investor Relations Group 212-825-3210\n",
        // A time typed straight above the headline.
        "FOR IMMEDIATE RELEASE\nFriday, September 24, 2004\n12 P.M. CDT",
    ] {
        let (front, _) = header_of(&format!(
            "{top}\nBolt Elects New Director\n\nDALLAS, Texas, May 2, 2008 -- {LEAD}\n"
        ));
        assert_eq!(front.title, "Bolt Elects New Director", "{top}");
    }
}

#[test]
fn shouted_lines_that_each_state_something_are_headline_and_subtitle() {
    let (front, _) = header_of(&format!(
        "JOHN L. DOE TO RETIRE AS CHAIRMAN\nDEAN A. ROE ELECTED AS SUCCESSOR\nNEENAH, WI, November 19, 2012 -- {LEAD}\n"
    ));
    assert_eq!(front.title, "John L. Doe to Retire as Chairman");
    assert_eq!(
        front.subtitle.as_deref(),
        Some("Dean A. Roe Elected as Successor")
    );
    // `DUE TO` is no infinitive: the second line goes on with the first.
    let (front, _) = header_of(&format!(
        "BOLT RECEIVES ADDITIONAL NOTICE FROM NASDAQ\nDUE TO LATE FILING OF FORM 10-Q\nBOSTON, Mass., May 2, 2008 -- {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "Bolt Receives Additional Notice From Nasdaq Due to Late Filing of Form 10-Q"
    );
}

#[test]
fn decks_and_datelines_typed_under_the_headline_without_a_blank_line() {
    let (front, _) = header_of(&format!(
        "Bolt Announces Closing\nof $22 Million Registered Direct Offering of Shares and Warrants\n\u{2014} Company secures capital needed for clinical development \u{2014}\nWIXOM, MICHIGAN, October 5, 2009 \u{2014} {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "Bolt Announces Closing of $22 Million Registered Direct Offering of Shares and Warrants"
    );
    assert_eq!(
        front.subtitle.as_deref(),
        Some("Company secures capital needed for clinical development")
    );
    let (front, _) = header_of(&format!(
        "Bolt Closes $4.25 Million Private Placement\nFinancing Follows $15 Million Public Offering Completed in July 2008\nRadnor, PA (September 24, 2008) \u{2013} {LEAD}\n"
    ));
    assert_eq!(front.dateline.as_deref(), Some("Radnor"));
    assert_eq!(
        front.subtitle.as_deref(),
        Some("Financing Follows $15 Million Public Offering Completed in July 2008")
    );
}

#[test]
fn datelines_in_brackets_after_a_colon_or_on_a_label() {
    for (dateline, city) in [
        ("(SAN DIEGO) April 8, 2003 \u{2014} ", "San Diego"),
        ("DALLAS, TEXAS: September 15, 2003 \u{2013} ", "Dallas"),
    ] {
        let (front, _) = header_of(&format!("Bolt Elects New Director\n\n{dateline}{LEAD}\n"));
        assert_eq!(front.dateline.as_deref(), Some(city), "{dateline}");
    }
    let (front, _) = header_of(&format!(
        "For release: February 7, 2005\n\nDateline: Fergus Falls, Minnesota\n\nBolt Declares Dividend\n\n{LEAD}\n"
    ));
    assert_eq!(front.dateline.as_deref(), Some("Fergus Falls"));
    assert_eq!(front.date.to_string(), "2005-02-07");
}

#[test]
fn contact_names_keep_their_suffix_and_listings_their_tier() {
    let (front, _) = header_of(
        "Contact: Robert J. Halloran, Jr., President\n(715) 842-2191\n\nBolt Declares Dividend\n\nWAUSAU, Wis., December 3, 2008 -- Bolt Incorporated (Nasdaq/NNM:BOLT) today declared a dividend that was larger than the year before.\n",
    );
    assert_eq!(
        front.contact.and_then(|c| c.name).as_deref(),
        Some("Robert J. Halloran, Jr.")
    );
    assert_eq!(front.ticker, "BOLT");
}

/// The misread headers of the sixth fixture set, each cut down to the rule it lacked.
#[test]
fn datelines_in_brackets_with_a_weekday_or_after_the_date() {
    for (dateline, city) in [
        ("(Lancaster, PA) \u{2013} ", "Lancaster"),
        ("(SAN ANTONIO) - ", "San Antonio"),
        ("NEW YORK, Monday, March 7, 2022 \u{2014} ", "New York"),
        ("August 18, 2009 HARRISBURG, PA\u{2014}", "Harrisburg"),
    ] {
        let (front, _) = header_of(&format!(
            "March 7, 2022\n\nBolt Appoints New Board Chairman\n\n{dateline}{LEAD}\n"
        ));
        assert_eq!(front.dateline.as_deref(), Some(city), "{dateline}");
    }
    // A date alone after the place is not enough to take a plain word for one.
    let (front, _) = header_of(&format!(
        "March 7, 2022\n\nBolt Appoints New Board Chairman\n\nMarch 3, 2005 Acme Corp. - {LEAD}\n"
    ));
    assert_eq!(front.dateline, None);
}

#[test]
fn a_wire_dateline_opens_the_news_however_short_and_a_headline_ends_in_one_word() {
    let (front, _) = header_of(
        "February 7, 2008\n\nBolt Reports 2007 Fourth Quarter Results\n\nBIRMINGHAM, Ala.--(BUSINESS WIRE)--Bolt (NYSE: BLT):\n\nSUMMARY\n\nBolt's income from continuing operations increased for both the fourth quarter and the full year, the company said today.\n",
    );
    assert_eq!(front.dateline.as_deref(), Some("Birmingham"));
    assert_eq!(front.ticker, "BLT");
    assert_eq!(front.subtitle, None);
    let (front, _) = header_of(&format!(
        "March 2, 2005\n\nBolt: Acme May Engage in Further Discussions with\nQwest for Two Weeks, Subject to Agreement\nProvisions\n\u{2014} Bolt Issues Statement \u{2014}\nNEW YORK \u{2014} {LEAD}\n"
    ));
    assert_eq!(front.dateline.as_deref(), Some("New York"));
    assert_eq!(front.subtitle.as_deref(), Some("Bolt Issues Statement"));
}

#[test]
fn wire_desks_and_a_partys_contact_label_are_not_headlines() {
    let (front, _) = header_of(&format!(
        "Business and Financial Editors\n\nCapella Contact: Beth B. Wright\n615-764-3000\n\nBolt Increases Quarterly Dividend to $0.50 Per Share\n\nWOODLAND HILLS, Calif., Sept. 12, 2007 -- {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "Bolt Increases Quarterly Dividend to $0.50 Per Share"
    );
    assert_eq!(
        front.contact.and_then(|c| c.name).as_deref(),
        Some("Beth B. Wright")
    );
}

/// The misread headers of the seventh fixture set, each cut down to the rule it lacked.
#[test]
fn letterheads_with_postal_boxes_and_codes_and_names_cased_as_written() {
    for (top, title) in [
        (
            "Bureau 2130, Montr\u{e9}al, QC H3B 2C6, CANADA\n\nBOLT MINES REPORTS ITS RESULTS FOR THE THIRD QUARTER 2004",
            "Bolt Mines Reports Its Results for the Third Quarter 2004",
        ),
        (
            "Old Country Store [logo] POST OFFICE BOX 787 LEBANON, TENNESSEE\n\nBolt Declares Quarterly Dividend",
            "Bolt Declares Quarterly Dividend",
        ),
        (
            "Contact:\nWilliam J. McGurk, President & Chief Executive Officer (860)\n291-3600\n\nBolt Completes Initial Stock Offering",
            "Bolt Completes Initial Stock Offering",
        ),
        (
            "Wolverine World Wide, Inc.\n\nAnnounces New Member of Its Board of Directors",
            "Wolverine World Wide, Inc. Announces New Member of Its Board of Directors",
        ),
        (
            "O\u{2019}CHARLEY\u{2019}S INC. DECLARES A $0.03/SHARE QUARTERLY DIVIDEND",
            "O\u{2019}Charley\u{2019}s Inc. Declares a $0.03/Share Quarterly Dividend",
        ),
        (
            "MCKESSON DECLARES QUARTERLY DIVIDEND",
            "McKesson Declares Quarterly Dividend",
        ),
    ] {
        let (front, _) = header_of(&format!("{top}\n\nBOSTON, Mass., May 2, 2008 -- {LEAD}\n"));
        assert_eq!(front.title, title, "{top}");
    }
    let (front, _) = header_of(&format!(
        "Available for Immediate Publication: October 23, 2006\n\nBolt Announces Third Quarter Results\n\nMerced, California -- {LEAD}\n"
    ));
    assert_eq!(front.date.to_string(), "2006-10-23");
    assert_eq!(front.title, "Bolt Announces Third Quarter Results");
}

/// `For Immediate Release: November 22, 2024` among the letterhead's phone and fax lines
/// (Buckle, 2024): a date line, banner or not, and no part of a contact.
#[test]
fn a_banner_that_carries_the_date_dates_the_release() {
    let (front, warnings) = header_of(&format!(
        "The Bolt, Inc.\n\nphone: 308-236-8491\n\nfax: 308-236-4493\n\nFor Immediate Release: November 22, 2024\n\nweb: www.bolt.com\n\nContact:\nThomas B. Heacock, Chief Financial Officer\n(308) 236-8491\n\nTHE BOLT, INC. REPORTS THIRD QUARTER NET INCOME\n\nKEARNEY, NE -- (BUSINESS WIRE) -- {LEAD}\n"
    ));
    assert_eq!(front.date.to_string(), "2024-11-22");
    assert!(
        warnings.iter().all(|w| !w.contains("no release date")),
        "{warnings:?}"
    );
    assert_eq!(
        front.contact.and_then(|c| c.name).as_deref(),
        Some("Thomas B. Heacock")
    );
}

/// A block that opens with a verb after a headline that has its own is the deck; after a
/// subject alone it goes on with the headline (blocks as typed lines apart, or `<p>`s).
#[test]
fn a_second_statement_under_the_headline_is_its_deck() {
    let (front, _) = header_of(&format!(
        "Bolt Reports First Quarter 2003 Results\n\nAnnounces 50 Percent Sequential License Revenue Growth\n\nSEATTLE, WA -- April 23, 2003 -- {LEAD}\n"
    ));
    assert_eq!(front.title, "Bolt Reports First Quarter 2003 Results");
    assert_eq!(
        front.subtitle.as_deref(),
        Some("Announces 50 Percent Sequential License Revenue Growth")
    );
    let (front, _) = header_of(&format!(
        "BOLT MINING ANNOUNCES RESULTS OF 2008\n\nANNUAL MEETING OF SHAREHOLDERS\n\nJOHN REILLY REPLACES DR. RONALD MITSCH AS\n\nCHAIRMAN OF THE BOARD\n\nELK GROVE VILLAGE, Ill., June 30, 2008 -- {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "Bolt Mining Announces Results of 2008 Annual Meeting of Shareholders"
    );
    assert_eq!(
        front.subtitle.as_deref(),
        Some("John Reilly Replaces Dr. Ronald Mitsch as Chairman of the Board")
    );
    let (front, _) = header_of(&format!(
        "Bolt Announces That Its Annual Report Will Be Delayed; Company\n\nReleases Preliminary 2004 Results\n\nBOSTON, Mass., May 2, 2008 -- {LEAD}\n"
    ));
    assert_eq!(
        front.title,
        "Bolt Announces That Its Annual Report Will Be Delayed; Company Releases Preliminary 2004 Results"
    );
}

#[test]
fn categories_of_board_dividends_elections_and_bookings() {
    use hemasite::model::Category;
    for (title, category) in [
        (
            "Bolt Board of Directors Declares 265th Consecutive Quarterly Dividend",
            Category::Dividend,
        ),
        (
            "Bolt, Inc. Elects Jane Doe, Previously Lead Director, as Non-Executive Chairman of the Board",
            Category::Board,
        ),
        (
            "Bolt Announces Election of Directors",
            Category::ShareholderMeeting,
        ),
        (
            "Bolt Records $71.7 Million in Fourth Quarter Bookings",
            Category::Earnings,
        ),
    ] {
        assert_eq!(
            hemasite::ingest::facts::category(title, false, ""),
            category,
            "{title}"
        );
    }
}

#[test]
fn people_and_their_roles_set_as_a_contact_are_not_headlines() {
    for top in [
        "Joele Frank and Sharon Stern",
        "Cindy Demers \u{2013} Corporate and Government Affairs",
        "Anthony E. Burke Thomas R. Cangemi",
        "Jane Doe / John Roe",
    ] {
        let (front, _) = under_a_dateline(&format!("{top}\n\nBolt Declares Quarterly Dividend"));
        assert_eq!(front.title, "Bolt Declares Quarterly Dividend", "{top}");
    }
    // Two companies joined by `and` are a headline's subject, not people.
    let (front, _) =
        under_a_dateline("Capella Healthcare and Mercy Health Sign Definitive Agreement");
    assert_eq!(
        front.title,
        "Capella Healthcare and Mercy Health Sign Definitive Agreement"
    );
}

#[test]
fn a_shouted_company_name_over_its_verb_is_the_headlines_subject() {
    let (front, _) = header_of(&format!(
        "BOLT BEVERAGE CORP.\nDECLARES CASH DIVIDEND\nFORT LAUDERDALE, FL, November 24, 2020 -- {LEAD}\n"
    ));
    assert_eq!(front.title, "Bolt Beverage Corp. Declares Cash Dividend");
    assert_eq!(front.subtitle, None);
}

#[test]
fn a_shouted_headline_with_a_name_in_its_own_case_is_title_cased() {
    let (front, _) = header_of(
        "inBOLT ANNOUNCES PRELIMINARY RESULTS FOR FIRST QUARTER 2010\n\nMOUNT LAUREL, N.J., April 22, 2010 -- inBOLT Corporation (Nasdaq: INBT) today announced results that were better than the year before.\n",
    );
    assert_eq!(
        front.title,
        "inBOLT Announces Preliminary Results for First Quarter 2010"
    );
}

#[test]
fn a_deck_typed_under_the_headline_without_a_blank_line_is_the_subtitle() {
    // The headline's last line ends a statement and the next line's first word would have fitted
    // on it: the writer broke the line, not the wrap.
    let (front, _) = under_a_dateline(
        "Acme Announces Termination of Chief Merchandising Officer\nJohn Roe Assumes Chief Merchandising Responsibilities during Search for New Chief\nMerchandising Officer",
    );
    assert_eq!(
        front.title,
        "Acme Announces Termination of Chief Merchandising Officer"
    );
    assert_eq!(
        front.subtitle.as_deref(),
        Some(
            "John Roe Assumes Chief Merchandising Responsibilities during Search for New Chief Merchandising Officer"
        )
    );
    // Wrapped lines stay one headline: the next word would not have fitted, or the line stops
    // on an infinitive's verb or a preposition.
    for (first, second) in [
        (
            "Acme Reports Holiday Season Sales of $111.0 Million Vs.",
            "$110.8 Million Last Year",
        ),
        (
            "Acme Parent Company To Officially Change",
            "Corporate Name and Stock Ticker Symbol Tomorrow",
        ),
        (
            "Acme Reports Record Earnings",
            "for the Third Quarter of 2008",
        ),
    ] {
        let (front, _) = under_a_dateline(&format!("{first}\n{second}"));
        assert_eq!(front.title, format!("{first} {second}"));
        assert_eq!(front.subtitle, None, "{first}");
    }
    // Two typed lines in capitals, each a statement, are a headline and its deck.
    let (front, _) = under_a_dateline("LONG TIME ACME BOARD MEMBER RETIRES\nJOHN ROE JOINS BOARD");
    assert_eq!(front.title, "Long Time ACME Board Member Retires");
    assert_eq!(front.subtitle.as_deref(), Some("John Roe Joins Board"));
}

#[test]
fn a_contact_named_after_a_date_line_or_with_a_dashed_title() {
    let (front, _) = under_a_dateline(
        "For more information contact:\n\nJune 14, 2005\n\nJane Doe, Acme Corporation (256) 386-5000\n\nACME TO ACQUIRE THIRTEEN BRANCHES",
    );
    assert_eq!(
        front.contact.and_then(|c| c.name).as_deref(),
        Some("Jane Doe")
    );
    assert_eq!(front.date.to_string(), "2005-06-14");
    assert_eq!(front.title, "ACME to Acquire Thirteen Branches");
    let (front, _) = under_a_dateline(
        "Contact :\n\nMichal D. Cann \u{2014} President\n& CEO\n360.679.3121\n\nACME SHAREHOLDERS APPROVE MERGER",
    );
    let contact = front.contact.unwrap();
    assert_eq!(contact.name.as_deref(), Some("Michal D. Cann"));
}

#[test]
fn a_headline_of_two_phrases_joined_by_and_is_no_pair_of_names() {
    let (front, _) = under_a_dateline(
        "For Immediate Distribution\n\nOctober 9, 2001\n\nAcme Exiting Texas Market and Lowering Liability Exposure",
    );
    assert_eq!(
        front.title,
        "Acme Exiting Texas Market and Lowering Liability Exposure"
    );
}

#[test]
fn contacts_set_for_an_audience_over_cells_or_with_a_dashed_phone() {
    for (top, name) in [
        (
            "Contacts:\n\nMedia - Jane Doe, Vice President, Public Relations (513) 425-2826",
            "Jane Doe",
        ),
        (
            "Investor/Media Contact:\n\nStephen Anderson - 336-436-5076\n\nACME ANNOUNCES CHANGES TO BOARD OF DIRECTORS",
            "Stephen Anderson",
        ),
        (
            "David W. Miles\n\nChief Financial Officer\n\n502-394-2137\n\nACME BOARD MEMBER RETIRES",
            "David W. Miles",
        ),
    ] {
        let (front, _) = under_a_dateline(&format!("{top}\n\nAcme Announces Changes to Its Board"));
        assert_eq!(
            front.contact.and_then(|c| c.name).as_deref(),
            Some(name),
            "{top}"
        );
    }
}

#[test]
fn lines_naming_the_release_and_run_together_initials() {
    let (front, _) = under_a_dateline(
        "NEWS FROM ACME COAL\n\nNews Release for December 16, 2014\n\nD.R. HORTON REPORTS NET SALES ORDERS",
    );
    assert_eq!(front.title, "D.R. Horton Reports Net Sales Orders");
    // A headline that names a place and a thing is no pair of people's names.
    let (front, _) = under_a_dateline("Wheeling Island Racetrack and Gaming Center Update");
    assert_eq!(
        front.title,
        "Wheeling Island Racetrack and Gaming Center Update"
    );
}

#[test]
fn a_headline_line_that_cannot_end_goes_on_into_the_next_whatever_it_looks_like() {
    // `ANNOUNCES` wants its object; the next line alone would be a company's name.
    let (front, _) =
        under_a_dateline("ACME CORPORATION ANNOUNCES\nACQUISITION OF WIDGET LABORATORIES, INC.");
    assert_eq!(
        front.title,
        "ACME Corporation Announces Acquisition of Widget Laboratories, Inc."
    );
    // `… of Chairman and` / `CEO John Roe` opens no dateline.
    let (front, _) =
        under_a_dateline("Acme Announces the Resignation of Chairman and\nCEO John Roe");
    assert_eq!(
        front.title,
        "Acme Announces the Resignation of Chairman and CEO John Roe"
    );
    // A title-like line over a phone number is a contact's, not the headline.
    let (front, _) = under_a_dateline(
        "CONTACT:\n\nJohn Roe\n\nPerpetual Savings Bank\n\n(419) 254-6182\n\nAcme Announces Pending Acquisition of Perpetual Savings Bank",
    );
    assert_eq!(
        front.title,
        "Acme Announces Pending Acquisition of Perpetual Savings Bank"
    );
}

#[test]
fn banners_notes_and_the_letterheads_name_are_not_the_headline() {
    let (front, _) = under_a_dateline(
        "[News Release Letterhead of Acme Royalty Trust Appears Here]\n\nFor Immediate Release: Acme Royalty Trust Declares August Cash Distribution",
    );
    assert_eq!(
        front.title,
        "Acme Royalty Trust Declares August Cash Distribution"
    );
    // The letterhead's name, repeated to open the headline; a closing quote ends no sentence.
    let (front, _) = under_a_dateline(
        "Acme Royalty Trust \u{201c}B\u{201d}\n\nNews Release\n\nACME ROYALTY TRUST \u{201c}B\u{201d}\nANNOUNCES SECOND QUARTER CASH DISTRIBUTION",
    );
    assert_eq!(
        front.title,
        "ACME Royalty Trust \u{201c}B\u{201d} Announces Second Quarter Cash Distribution"
    );
    assert_eq!(front.subtitle, None);
    // A headline line that ends on a semicolon goes on.
    let (front, _) = under_a_dateline(
        "Acme Proposal to Convert Class B Units Approved;\nPartnership Adjourns Special Meeting",
    );
    assert_eq!(
        front.title,
        "Acme Proposal to Convert Class B Units Approved; Partnership Adjourns Special Meeting"
    );
}
