//! The ledger over the demo site's releases (`content/releases/`, written by `ingest` from the
//! seeds; two of them are the second and third quarter 2003 earnings releases), and the checks
//! over altered copies of them, edited as a user would edit the files.
//!
//! The fixtures in `tests/fixtures/ledger/` are the two earnings releases' front matter and prose
//! typed by hand from `content/raw/2003-08-11-q2-2003-results.txt` and `…-q3-2003-results.txt`,
//! every row and column: the first test holds them against what `ingest` wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

use hemasite::config::SiteConfig;
use hemasite::ledger::{Finding, Ledger, Origin, Period, Severity, check, export};
use hemasite::model::{Figure, Release, StatementKind};
use hemasite::site::chart;
use rust_decimal::Decimal;

const Q2: &str = "2003-08-11-hemacare-reports-second-quarter-financial-results";
const Q3: &str = "2003-11-14-hemacare-reports-third-quarter-financial-results";

const SITE_YAML: &str = "title: HemaCare Investor Relations\nbase_url: https://ir.example.com/\n\
                         company: { name: HemaCare Corporation, ticker: HEMA }\n";

/// A site folder holding the fixtures, optionally edited, as a user would edit them.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A copy of the demo site's five releases.
    fn seeds() -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE_YAML).unwrap();
        let releases = dir.path().join("content/releases");
        std::fs::create_dir_all(&releases).unwrap();
        for entry in std::fs::read_dir("content/releases").unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, releases.join(path.file_name().unwrap())).unwrap();
        }
        Site { dir }
    }

    /// Replaces the one occurrence of `from` in release `slug` by `to`.
    fn edit(self, slug: &str, from: &str, to: &str) -> Site {
        let path = self.release_path(slug);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur once in {slug}"
        );
        std::fs::write(&path, text.replace(from, to)).unwrap();
        self
    }

    fn release_path(&self, slug: &str) -> PathBuf {
        self.dir
            .path()
            .join("content/releases")
            .join(format!("{slug}.md"))
    }

    fn releases(&self) -> Vec<Release> {
        let (releases, errors) = Release::load_dir(&self.dir.path().join("content/releases"));
        assert!(errors.is_empty(), "{errors:?}");
        releases
    }

    fn config(&self) -> SiteConfig {
        SiteConfig::load(&self.dir.path().join("site.yaml")).unwrap()
    }

    fn ledger(&self) -> Ledger {
        Ledger::build(&self.releases(), &self.config())
    }

    fn findings(&self) -> Vec<Finding> {
        let releases = self.releases();
        check::run(&releases, &Ledger::build(&releases, &self.config()))
    }

    /// Findings other than unchecked prose figures.
    fn problems(&self) -> Vec<Finding> {
        self.findings()
            .into_iter()
            .filter(|finding| finding.severity != Severity::Unchecked)
            .collect()
    }
}

fn period(text: &str) -> Period {
    Period::parse(text).unwrap()
}

fn amount(ledger: &Ledger, concept: &str, at: &str) -> i64 {
    match ledger.get(concept, period(at)).map(|entry| entry.value) {
        Some(Figure::Amount(value)) => value,
        other => panic!("{concept} {at}: {other:?}"),
    }
}

/// The one problem a test expects: its severity, file, line and exact sentence.
fn assert_one(findings: &[Finding], slug: &str, line: usize, message: &str) {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding.severity, Severity::Error);
    assert!(
        finding.path.ends_with(format!("{slug}.md")),
        "{}",
        finding.path.display()
    );
    assert_eq!(finding.line, line, "{finding}");
    assert_eq!(finding.message, message);
}

fn parse(path: &Path) -> Release {
    Release::parse(path, &std::fs::read_to_string(path).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The series.

#[test]
fn ingest_reads_the_same_tables_as_the_hand_written_fixtures() {
    for slug in [Q2, Q3] {
        let typed = parse(&Path::new("tests/fixtures/ledger").join(format!("{slug}.md")));
        let ingested = parse(&Path::new("content/releases").join(format!("{slug}.md")));
        let (typed, ingested) = (
            typed.front.financials.unwrap(),
            ingested.front.financials.unwrap(),
        );
        assert_eq!(typed.currency, ingested.currency);
        assert_eq!(typed.fiscal_period, ingested.fiscal_period);
        assert_eq!(typed.statements.len(), ingested.statements.len());
        for (typed, ingested) in typed.statements.iter().zip(&ingested.statements) {
            assert_eq!(typed.kind, ingested.kind);
            // Every column's dates and label, every row's key, label, section and values.
            assert_eq!(typed.columns, ingested.columns, "{slug}");
            assert_eq!(typed.rows.len(), ingested.rows.len(), "{slug}");
            for (typed, ingested) in typed.rows.iter().zip(&ingested.rows) {
                assert_eq!(
                    (&typed.key, &typed.label, &typed.section, &typed.values),
                    (
                        &ingested.key,
                        &ingested.label,
                        &ingested.section,
                        &ingested.values
                    ),
                    "{slug}"
                );
                // `total` decides which balance-sheet rows are summed; on the statement of
                // operations it only records a rule printed above the row.
                if typed.key.starts_with("total") || ingested.total && typed.section.is_some() {
                    assert_eq!(typed.total, ingested.total, "{slug} {}", typed.key);
                }
            }
        }
    }
}

#[test]
fn the_seeds_give_2002_and_2003_first_to_third_quarters() {
    let ledger = Site::seeds().ledger();
    let expected = [
        // (concept, period, value, derived formula or reported)
        ("revenue", "2002-Q1", 6_321_000, Some("2002-6M − 2002-Q2")),
        ("revenue", "2002-Q2", 6_940_000, None),
        ("revenue", "2002-Q3", 7_181_000, None),
        ("revenue", "2003-Q1", 6_931_000, Some("2003-6M − 2003-Q2")),
        ("revenue", "2003-Q2", 6_937_000, None),
        ("revenue", "2003-Q3", 6_980_000, None),
        (
            "pretax_income",
            "2002-Q1",
            -219_000,
            Some("2002-6M − 2002-Q2"),
        ),
        (
            "pretax_income",
            "2003-Q1",
            14_000,
            Some("2003-6M − 2003-Q2"),
        ),
        ("pretax_income", "2003-Q3", -1_519_000, None),
        ("net_income", "2002-Q1", -138_000, Some("2002-6M − 2002-Q2")),
        ("net_income", "2002-Q2", -19_000, None),
        ("net_income", "2003-Q1", 8_000, Some("2003-6M − 2003-Q2")),
        ("net_income", "2003-Q3", -4_679_000, None),
    ];
    for (concept, at, value, formula) in expected {
        let entry = ledger.get(concept, period(at)).unwrap();
        assert_eq!(entry.value, Figure::Amount(value), "{concept} {at}");
        match (&entry.origin, formula) {
            (Origin::Derived(derivation), Some(formula)) => {
                assert_eq!(derivation.formula, formula);
                assert_eq!(derivation.releases(), [Q2]);
            }
            (Origin::Reported(source), None) => assert!(source.release.starts_with("2003-")),
            (origin, _) => panic!("{concept} {at}: {origin:?}"),
        }
    }
    for concept in ["revenue", "pretax_income", "net_income"] {
        let quarters: Vec<String> = ledger
            .quarters(concept)
            .iter()
            .map(|entry| entry.period.to_string())
            .collect();
        assert_eq!(
            quarters,
            [
                "2002-Q1", "2002-Q2", "2002-Q3", "2003-Q1", "2003-Q2", "2003-Q3"
            ],
            "{concept}"
        );
    }
}

#[test]
fn values_know_the_release_statement_row_and_column_they_come_from() {
    let ledger = Site::seeds().ledger();
    let entry = ledger.get("net_income", period("2003-9M")).unwrap();
    let Origin::Reported(source) = &entry.origin else {
        panic!("{entry:?}")
    };
    assert_eq!(source.release, Q3);
    assert_eq!(source.row_label, "Net loss");
    assert_eq!(source.column, 2);
    assert_eq!(source.column_label, "Nine Months Ended September 30, 2003");
    assert_eq!(entry.value, Figure::Amount(-4_943_000));
    // A loss printed "(0.00)" is stored "-0.00" and keeps its sign and precision.
    let nil = ledger.get("eps_basic_diluted", period("2002-Q2")).unwrap();
    assert_eq!(hemasite::ledger::format::figure(&nil.value), "-0.00");
}

#[test]
fn the_third_quarter_is_also_derived_from_two_releases_and_agrees() {
    let ledger = Site::seeds().ledger();
    for (concept, year, value) in [
        ("revenue", 2003, 6_980_000),
        ("revenue", 2002, 7_181_000),
        ("pretax_income", 2003, -1_519_000),
        ("net_income", 2003, -4_679_000),
        ("net_income", 2002, -462_000),
    ] {
        let derivation = ledger
            .derivations()
            .iter()
            .find(|d| d.concept == concept && d.period == period(&format!("{year}-Q3")))
            .unwrap();
        assert_eq!(derivation.formula, format!("{year}-9M − {year}-6M"));
        assert_eq!(derivation.releases(), [Q3, Q2]);
        assert_eq!(derivation.value, value);
        assert_eq!(amount(&ledger, concept, &format!("{year}-Q3")), value);
    }
}

#[test]
fn concepts_keep_their_printed_order_across_releases() {
    let ledger = Site::seeds().ledger();
    let keys = |kind| -> Vec<String> {
        ledger
            .concepts_of(kind)
            .iter()
            .map(|c| c.key.clone())
            .collect()
    };
    // Gross profit and income tax are printed only in November; they take their printed place.
    assert_eq!(
        keys(StatementKind::Operations),
        [
            "revenue",
            "gross_profit",
            "pretax_income",
            "income_tax",
            "net_income",
            "eps_basic_diluted",
            "weighted_shares_basic_diluted"
        ]
    );
    assert_eq!(keys(StatementKind::BalanceSheet).len(), 8);
    let net = ledger.concept("net_income").unwrap();
    assert_eq!(
        (net.label.as_str(), net.neutral_label()),
        ("Net loss", "Net income (loss)")
    );
}

#[test]
fn per_share_amounts_and_share_counts_are_never_derived() {
    let ledger = Site::seeds().ledger();
    for concept in ["eps_basic_diluted", "weighted_shares_basic_diluted"] {
        assert!(
            ledger.get(concept, period("2003-Q1")).is_none(),
            "{concept}"
        );
        assert!(ledger.derivations().iter().all(|d| d.concept != concept));
    }
}

#[test]
fn the_balance_sheet_is_by_date_and_the_latest_quarter_compares_with_a_year_before() {
    let ledger = Site::seeds().ledger();
    let dates: Vec<String> = ledger
        .balance_sheet_dates_newest_first()
        .iter()
        .map(Period::to_string)
        .collect();
    assert_eq!(dates, ["2003-09-30", "2003-06-30", "2002-12-31"]);
    assert_eq!(amount(&ledger, "total_assets", "2003-09-30"), 8_275_000);
    assert_eq!(
        amount(&ledger, "shareholders_equity", "2002-12-31"),
        8_087_000
    );

    let latest = ledger.latest_quarter().unwrap();
    assert_eq!(latest.to_string(), "2003-Q3");
    let change = ledger.change_from_year_before("revenue", latest).unwrap();
    assert_eq!(change.previous.value, Figure::Amount(7_181_000));
    assert_eq!(change.difference, Figure::Amount(-201_000));
    assert_eq!(change.percent, Some(Decimal::new(-28, 1)));
}

// ---------------------------------------------------------------------------------------------
// The checks.

#[test]
fn every_check_passes_on_the_seeds() {
    let site = Site::seeds();
    assert_eq!(site.problems(), []);
    let unchecked: Vec<String> = site
        .findings()
        .iter()
        .map(|finding| finding.message.split('"').nth(1).unwrap().to_string())
        .collect();
    // Figures the tables do not carry, or that no sentence ties to a period: counted, not errors.
    assert_eq!(
        unchecked,
        [
            "70%",
            "$272,000",
            "$454,000",
            "$182,000",
            "$843,000",
            "12%",
            "$890,000",
            "$3,160,000",
            "3.8%",
            "80%",
            "$176,000",
            "$156,000",
            "$3.16 million"
        ]
    );
}

#[test]
fn a_changed_total_is_named_with_its_components() {
    let site = Site::seeds().edit(
        Q3,
        "key: total_assets, label: Total assets, section: Assets, values: [8275000, 13455000]",
        "key: total_assets, label: Total assets, section: Assets, values: [8276000, 13455000]",
    );
    // Line 65: the `total_assets` row, where the changed value is.
    assert_one(
        &site.problems(),
        Q3,
        65,
        "The balance sheet at 2003-09-30 in 2003-11-14-hemacare-reports-third-quarter-financial-results \
         does not add up: Cash and marketable securities 1,057,000 + Other current assets 4,563,000 + \
         Non-current assets 2,655,000 = 8,275,000, but Total assets is 8,276,000. Compare the rows \
         with the filing.",
    );
}

#[test]
fn pretax_minus_tax_must_be_net_income() {
    let site = Site::seeds().edit(
        Q3,
        "key: income_tax, label: Provision (benefit) for income taxes, values: [3160000,",
        "key: income_tax, label: Provision (benefit) for income taxes, values: [3100000,",
    );
    // Line 53: the `net_income` row, the total that no longer matches its parts.
    assert_one(
        &site.problems(),
        Q3,
        53,
        "The statement of operations in 2003-11-14-hemacare-reports-third-quarter-financial-results, \
         column \"Three Months Ended September 30, 2003\", does not add up: Loss before income taxes \
         -1,519,000 − Provision (benefit) for income taxes 3,100,000 = -4,619,000, but Net loss is \
         -4,679,000. Compare the rows with the filing.",
    );
}

#[test]
fn per_share_must_be_net_income_over_shares_within_the_printed_rounding() {
    // -4,943,000 / 7,752,000 = -0.63764: "-0.64" is right, "-0.63" is not. (The text does not
    // state the nine months' figure, so this is the only finding.)
    let site = Site::seeds().edit(
        Q3,
        "values: [\"-0.60\", \"-0.06\", \"-0.64\", \"-0.08\"]",
        "values: [\"-0.60\", \"-0.06\", \"-0.63\", \"-0.08\"]",
    );
    // Line 54: the `eps_basic_diluted` row.
    assert_one(
        &site.problems(),
        Q3,
        54,
        "The per-share amount in 2003-11-14-hemacare-reports-third-quarter-financial-results, column \
         \"Nine Months Ended September 30, 2003\", does not match: Net loss -4,943,000 / Weighted \
         average shares outstanding - basic and diluted 7,752,000 = -0.6376, which prints as -0.64 \
         to 2 decimals, but Basic and diluted per share amounts is -0.63. Compare the rows with the \
         filing.",
    );
}

#[test]
fn a_contradicting_restatement_is_a_finding_and_the_later_value_is_used() {
    // The third-quarter release moves 36,000 between two December 31, 2002 asset lines: its own
    // balance sheet still adds up, but it contradicts the second-quarter release.
    let site = Site::seeds()
        .edit(
            Q3,
            "key: cash_and_marketable_securities, label: Cash and marketable securities, \
             section: Assets, values: [1057000, 1048000]",
            "key: cash_and_marketable_securities, label: Cash and marketable securities, \
             section: Assets, values: [1057000, 1084000]",
        )
        .edit(
            Q3,
            "key: other_current_assets, label: Other current assets, section: Assets, \
             values: [4563000, 6424000]",
            "key: other_current_assets, label: Other current assets, section: Assets, \
             values: [4563000, 6388000]",
        );
    let problems = site.problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    // Lines 62 and 63: the two rows of the third-quarter release that were changed.
    assert_eq!(problems[0].line, 62);
    assert_eq!(
        problems[0].message,
        format!(
            "cash_and_marketable_securities for 2002-12-31 differs between releases: {Q2}, balance \
             sheet row \"Cash and marketable securities\", column \"December 31, 2002\" reports \
             1,048,000 and {Q3}, balance sheet row \"Cash and marketable securities\", column \
             \"December 31, 2002\" reports 1,084,000. The ledger uses the later value; correct the \
             figure that differs from its filing, or publish with --allow-inconsistent if the later \
             release restates it."
        )
    );
    assert_eq!(problems[1].line, 63);
    assert!(
        problems[1]
            .message
            .starts_with("other_current_assets for 2002-12-31 differs")
    );
    assert_eq!(
        amount(
            &site.ledger(),
            "cash_and_marketable_securities",
            "2002-12-31"
        ),
        1_084_000
    );
}

#[test]
fn a_reported_quarter_must_agree_with_the_quarter_derived_from_year_to_date_spans() {
    let site = Site::seeds().edit(
        Q2,
        "key: revenue, label: Revenues, values: [6937000, 6940000, 13868000, 13261000]",
        "key: revenue, label: Revenues, values: [6937000, 6940000, 13878000, 13261000]",
    );
    // Line 49: the third-quarter release's `revenue` row, which holds the reported quarter.
    assert_one(
        &site.problems(),
        Q3,
        49,
        &format!(
            "revenue for 2003-Q3 is reported as 6,980,000 in {Q3}, statement of operations row \
             \"Revenues\", column \"Three Months Ended September 30, 2003\" but derives as 6,970,000 \
             from 2003-9M − 2003-6M = 20,848,000 − 13,878,000 ({Q3}, {Q2}). One of these figures \
             differs from its filing."
        ),
    );
}

#[test]
fn a_changed_prose_figure_is_named_with_the_table_value() {
    let site = Site::seeds().edit(Q3, "was $4,679,000, or", "was $4,769,000, or");
    assert_one(
        &site.problems(),
        Q3,
        76,
        &format!(
            "The text of {Q3} says \"$4,769,000\" for net_income in 2003-Q3, read as -4,769,000, but \
             the tables have -4,679,000 (reported in {Q3}). Correct whichever is wrong."
        ),
    );
}

#[test]
fn a_changed_percentage_is_checked_against_the_tables() {
    let site = Site::seeds().edit(Q3, "or 2.8% less", "or 3.8% less");
    assert_one(
        &site.problems(),
        Q3,
        76,
        &format!(
            "The text of {Q3} says revenue was \"3.8% less\" in 2003-Q3 than in 2002-Q3, but the \
             tables have 7,181,000 and 6,980,000, a change of -2.8%. Correct whichever is wrong."
        ),
    );
}

#[test]
fn prose_per_share_and_comparison_figures_are_checked() {
    // "$.06 per share … in the third quarter of 2002" and "a gross profit of $1,022,000 for the
    // same period in 2002" are tied to periods the tables carry.
    let site = Site::seeds().edit(Q3, "or $.06 per share", "or $.07 per share");
    let problems = site.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .message
            .contains("\"$.07\" for eps_basic_diluted in 2002-Q3, read as -0.07")
    );

    let site = Site::seeds().edit(
        Q3,
        "gross profit of $1,022,000",
        "gross profit of $1,022,500",
    );
    let problems = site.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .message
            .contains("\"$1,022,500\" for gross_profit in 2002-Q3")
    );

    let site = Site::seeds().edit(Q2, "loss of $19,000", "loss of $91,000");
    let problems = site.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .message
            .contains("\"$91,000\" for net_income in 2002-Q2")
    );
}

#[test]
fn a_sentence_about_a_part_of_the_company_is_not_checked_against_its_totals() {
    let paragraph =
        "Net loss in the third quarter of 2003 was $4,679,000, or $0.60 per share basic";
    let site = Site::seeds().edit(
        Q3,
        paragraph,
        &format!(
            "The closed donor centers' revenue in the third quarter of 2003 was $843,000. Mobile \
             operations revenue in the third quarter of 2003 was $1,000,000. The Company's revenue \
             in the third quarter of 2003 was $6,980,000. {paragraph}"
        ),
    );
    assert_eq!(site.problems(), []);
    let unchecked: Vec<String> = site.findings().iter().map(|f| f.message.clone()).collect();
    assert!(
        unchecked
            .iter()
            .any(|m| m.starts_with("\"$1,000,000\" is not tied"))
    );
    assert_eq!(unchecked.len(), 15, "{unchecked:#?}");
}

#[test]
fn a_loss_the_text_calls_income_is_a_finding() {
    let site = Site::seeds().edit(
        Q3,
        "Net loss in the third quarter",
        "Net income in the third quarter",
    );
    // The per-share amount after it is read as income too. Findings come in text order.
    let messages: Vec<String> = site.problems().iter().map(|f| f.message.clone()).collect();
    assert_eq!(
        messages,
        [
            format!(
                "The text of {Q3} says \"$4,679,000\" for net_income in 2003-Q3, read as \
                 4,679,000, but the tables have -4,679,000 (reported in {Q3}). Correct whichever \
                 is wrong."
            ),
            format!(
                "The text of {Q3} says \"$0.60\" for eps_basic_diluted in 2003-Q3, read as 0.60, \
                 but the tables have -0.60 (reported in {Q3}). Correct whichever is wrong."
            ),
        ]
    );
}

#[test]
fn a_figure_the_tables_do_not_carry_is_never_an_error() {
    let site = Site::seeds().edit(Q3, "revenue of $843,000", "revenue of $9,999,000");
    assert_eq!(site.problems(), []);
}

// ---------------------------------------------------------------------------------------------
// Downloads and charts.

#[test]
fn the_csv_download_reads_back_one_row_per_period_and_concept() {
    let ledger = Site::seeds().ledger();
    let text = export::csv(&ledger);
    // A byte-order mark, so that Excel reads UTF-8, and nothing but ASCII in the numbers.
    assert!(text.starts_with('\u{feff}'), "{}", &text[..20]);
    assert!(
        !text.contains('\u{2212}'),
        "no U+2212 minus sign in the CSV"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "period", "concept", "label", "value", "unit", "origin", "source", "formula"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), ledger.entries().count());
    let find = |at: &str, concept: &str| {
        rows.iter()
            .find(|row| &row[0] == at && &row[1] == concept)
            .unwrap_or_else(|| panic!("{at} {concept}"))
            .iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find("2003-Q1", "net_income"),
        [
            "2003-Q1",
            "net_income",
            "Net income (loss)",
            "8000",
            "USD",
            "derived",
            Q2,
            "2003-6M - 2003-Q2 = -264000 - (-272000)"
        ]
    );
    assert_eq!(
        find("2002-Q2", "eps_basic_diluted"),
        [
            "2002-Q2",
            "eps_basic_diluted",
            "Net income (loss) per share, basic and diluted",
            "-0.00",
            "USD per share",
            "reported",
            Q2,
            ""
        ]
    );
    assert_eq!(find("2003-09-30", "total_assets")[3], "8275000");
    // Oldest period first.
    assert_eq!(&rows[0][0], "2002-Q1");
}

#[test]
fn the_json_download_reads_back_with_sources_and_formulas() {
    let ledger = Site::seeds().ledger();
    let json: serde_json::Value = serde_json::from_str(&export::json(&ledger)).unwrap();
    assert_eq!(json["currency"], "USD");
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), ledger.entries().count());
    let q1 = rows
        .iter()
        .find(|row| row["period"] == "2003-Q1" && row["concept"] == "revenue")
        .unwrap();
    assert_eq!(q1["value"], 6_931_000);
    assert_eq!(q1["origin"], "derived");
    assert_eq!(q1["formula"], "2003-6M - 2003-Q2 = 13868000 - 6937000");
    assert_eq!(q1["sources"][0]["column"], "Six Months Ended June 30, 2003");
    assert_eq!(q1["sources"][1]["value"], 6_937_000);
    let eps = rows
        .iter()
        .find(|row| row["period"] == "2003-Q3" && row["concept"] == "eps_basic_diluted")
        .unwrap();
    assert_eq!(eps["value"], "-0.60");
    assert_eq!(eps["sources"][0]["release"], Q3);
    assert!(eps["formula"].is_null());
}

#[test]
fn the_chart_is_accessible_and_labels_exact_values() {
    let ledger = Site::seeds().ledger();
    let bars = chart::quarterly_bars(&ledger, "net_income");
    let svg = chart::bar_chart_svg(&chart::BarChart {
        id: "net income",
        title: "Net income by quarter",
        summary: "Net income (loss) of each quarter, oldest first.",
        bars: &bars,
        currency: "USD",
        color: "#1f4e79",
    });
    // Read the way a browser reads inline SVG in a page.
    let page = scraper::Html::parse_fragment(&svg);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    let root = page.select(&select("svg")).next().unwrap().value();
    let (root_role, labelled_by) = (root.attr("role"), root.attr("aria-labelledby"));
    let rects = page.select(&select("rect")).count();
    let texts: Vec<String> = page
        .select(&select("text"))
        .map(|text| text.text().collect())
        .collect();
    assert_eq!(root_role, Some("img"));
    assert_eq!(
        labelled_by,
        Some("chart-net-income-title chart-net-income-desc")
    );
    assert!(svg.contains("<title id=\"chart-net-income-title\">Net income by quarter</title>"));
    assert!(
        svg.contains("Third Quarter 2003 \u{2212}$4,679,000;")
            || svg.contains("Third Quarter 2003 \u{2212}$4,679,000.")
    );
    // Q4 2002 is in no release: a gap marked n/a keeps the time axis regular, as in the PDFs.
    assert_eq!(rects, 6);
    assert!(texts.contains(&"n/a".to_string()), "{texts:?}");
    assert!(svg.contains("Fourth Quarter 2002 not reported"));
    // Set in the page's font, not a generic one.
    assert!(!svg.contains("font-family"));
    assert!(
        texts.contains(&"\u{2212}$4,679,000".to_string()),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"$8,000*".to_string()),
        "derived bars are starred: {texts:?}"
    );
    assert!(texts.contains(&"Q1 2003".to_string()), "{texts:?}");
    assert!(svg.contains("class=\"bar derived\""));
}

// ---------------------------------------------------------------------------------------------
// The command.

fn hemasite_check(site: &Site, format: &str) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .args(["--root"])
        .arg(site.dir.path())
        .args(["check", "--format", format])
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn hemasite_check_succeeds_on_the_seeds_and_fails_on_an_error() {
    let (ok, text) = hemasite_check(&Site::seeds(), "text");
    assert!(ok, "{text}");
    assert!(
        text.ends_with(
            "Checked 5 releases: 0 errors, 0 warnings, 13 figures in the text not checked.\n"
        ),
        "{text}"
    );

    let broken = Site::seeds().edit(Q3, "was $6,980,000, or", "was $6,908,000, or");
    let (ok, text) = hemasite_check(&broken, "text");
    assert!(!ok);
    assert!(text.starts_with("Errors (1):\n  "), "{text}");
    let path = broken.release_path(Q3);
    assert!(
        text.contains(&format!(
            "{}:76: The text of {Q3} says \"$6,908,000\"",
            path.display()
        )),
        "{text}"
    );

    let (ok, json) = hemasite_check(&broken, "json");
    assert!(!ok);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["unchecked"], 13);
    assert_eq!(json["findings"][0]["severity"], "error");
    assert_eq!(json["findings"][0]["line"], 76);
}

// ---------------------------------------------------------------------------------------------
// No input makes the ledger or the checks panic.

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Text made of the pieces the prose patterns look for, in any order, and any digits.
    fn prose() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("$".to_string()),
            "[0-9]{1,32}",
            "[0-9.,]{1,12}",
            Just(" million".to_string()),
            Just("Net loss in the third quarter of 2003 was ".to_string()),
            Just("second quarter 2003 revenue of ".to_string()),
            Just(", or ".to_string()),
            Just("% less than the ".to_string()),
            Just(" reported in the same period of 2002".to_string()),
            Just(" per share basic and diluted".to_string()),
            Just(" compared to a loss of ".to_string()),
            Just(" compared with a gross profit of ".to_string()),
            Just(", in the third quarter of 2002".to_string()),
            Just(". ".to_string()),
            Just("\n\n".to_string()),
            "\\PC{0,8}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn extreme_figure() -> impl Strategy<Value = Option<Figure>> {
        prop_oneof![
            Just(None),
            any::<i64>().prop_map(|v| Some(Figure::Amount(v))),
            (any::<i64>(), 0u32..=28)
                .prop_map(|(v, scale)| Some(Figure::PerShare(Decimal::new(v, scale)))),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn on_any_prose_or_any_figures(
            body in prose(),
            figures in prop::collection::vec(extreme_figure(), 64),
        ) {
            let mut releases =
                Release::load_dir(Path::new("content/releases")).0;
            let q3 = releases.iter_mut().find(|r| r.slug == Q3).unwrap();
            q3.body = body;
            let mut next = figures.into_iter().cycle();
            for statement in &mut q3.front.financials.as_mut().unwrap().statements {
                for row in &mut statement.rows {
                    for value in &mut row.values {
                        *value = next.next().unwrap();
                    }
                }
            }
            let config = SiteConfig::parse(Path::new("site.yaml"), SITE_YAML).unwrap();
            let ledger = Ledger::build(&releases, &config);
            let _ = check::run(&releases, &ledger);
            let _ = export::csv(&ledger);
            let _ = export::json(&ledger);
        }
    }
}
