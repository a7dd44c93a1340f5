//! A second company end to end, as a new user would set it up: `hemasite init` a site for
//! Oracle (a fiscal year that ends on May 31), drop its Q4 FY2022 filing (a full EDGAR
//! submission with an HTML EX-99.1) into `content/raw/`, then `ingest`, `check` and `build`.
//! Skips, saying so, when `../shared/corpus` is not there.

mod common;
use common::corpus;
use std::path::Path;
use std::process::{Command, Output};

const FILING: &str = "oracle-2022-06-13-q4-fy2022-earnings-submission.txt";

fn hemasite(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn succeeds(output: &Output, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "{what} failed: {stderr}");
    stderr
}

const SITE_YAML: &str = "title: Oracle Investor Relations
base_url: https://ir.oracle.example/
company:
  name: Oracle Corporation
  ticker: ORCL
  market: NYSE
  description: Integrated cloud applications and platform services.
brand:
  primary: \"#312d2a\"
  accent: \"#c74634\"
  font: Lato
fiscal_year_end: \"05-31\"
contact:
  name: Investor Relations
  email: investor_us@oracle.example
pdf:
  page_size: letter
  margin_mm: 18
";

#[test]
fn a_company_with_a_may_fiscal_year_from_filing_to_site() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("oracle-ir");
    let init = Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    succeeds(&init, "init");
    std::fs::write(site.join("site.yaml"), SITE_YAML).unwrap();
    std::fs::copy(corpus.join(FILING), site.join("content/raw").join(FILING)).unwrap();

    succeeds(&hemasite(&site, &["ingest"]), "ingest");
    succeeds(&hemasite(&site, &["check"]), "check");
    succeeds(&hemasite(&site, &["build"]), "build");

    let public = site.join("public");
    let slug =
        "2022-06-13-oracle-announces-fiscal-2022-fourth-quarter-and-fiscal-full-year-financial";
    let page =
        std::fs::read_to_string(public.join("releases").join(slug).join("index.html")).unwrap();
    for statement in [
        "Condensed Consolidated Statements of Operations",
        "Condensed Consolidated Balance Sheets",
        "Condensed Consolidated Statements of Cash Flows",
        "Reconciliation of Selected GAAP Measures to Non-GAAP Measures",
    ] {
        assert!(
            page.contains(statement),
            "the release page lacks `{statement}`"
        );
    }
    // Oracle's quarter ended May 31, 2022 is the fourth of its fiscal 2022, not 2022-Q2.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        home.contains("Fourth Quarter 2022"),
        "the home page shows the fiscal quarter"
    );
    let financials = std::fs::read_to_string(public.join("financials/index.html")).unwrap();
    assert!(
        financials.contains("Fourth Quarter 2022") && financials.contains("Fourth Quarter 2021")
    );
    let summary = public.join("reports/quarterly-summary-2022-q4.pdf");
    assert!(
        std::fs::read(&summary).unwrap().starts_with(b"%PDF-"),
        "no summary PDF for FY2022 Q4"
    );
    // The copy as filed is the EX-99.1 alone, sanitised: not the 2 MB submission with its 8-K,
    // XBRL and graphics.
    let copy = public.join("releases").join(slug).join("orcl-ex991-6.htm");
    let copy =
        std::fs::read_to_string(&copy).unwrap_or_else(|err| panic!("{}: {err}", copy.display()));
    assert!(page.contains("orcl-ex991-6.htm") && page.contains("(Exhibit 99.1, HTML)"));
    assert!(copy.contains("Total revenues") && !copy.contains("<script"));
    assert!(!copy.contains("<TYPE>") && !copy.contains("ix:header"));
    let submission = std::fs::metadata(corpus.join(FILING)).unwrap().len();
    assert!(
        (copy.len() as u64) < submission,
        "the copy holds more than the exhibit"
    );
    let csv = std::fs::read_to_string(public.join("data/financials.csv")).unwrap();
    assert!(
        csv.lines()
            .any(|line| line.starts_with("2022-Q4,revenue,") && line.contains(",11840000000,")),
        "the quarter ended May 31, 2022 is FY2022 Q4 in the CSV"
    );
}
