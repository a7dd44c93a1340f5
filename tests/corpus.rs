//! Statements of real releases from other issuers (`../shared/corpus/`), checked against values
//! read from the documents line by line. Skips, saying so, when the corpus is not there.

mod common;
use common::corpus;
use std::path::Path;

use chrono::NaiveDate;
use hemasite::config::SiteConfig;
use hemasite::ingest::doc::{Block, Document, Filing, Format, Text};
use hemasite::ingest::source::plain_tables::{self, Region};
use hemasite::ingest::statements;
use hemasite::ingest::text::lines;
use hemasite::ledger::{Ledger, Severity, check};
use hemasite::model::FiscalCalendar;
use hemasite::model::{
    Category, Column, Figure, Financials, FrontMatter, Release, Row, Source, Statement,
    StatementKind,
};

/// The `<TEXT>` of the submission's `<DOCUMENT>` of type `kind`, with the file line it starts
/// on. (A local helper: the EDGAR container code is being rewritten.)
fn document_text(submission: &str, kind: &str) -> Option<(String, usize)> {
    let type_line = format!("<TYPE>{kind}");
    let mut offset = 0;
    for document in submission.split("<DOCUMENT>") {
        let start_line = submission[..offset].lines().count() + 1;
        offset += document.len() + "<DOCUMENT>".len();
        if !document.lines().any(|l| l.trim() == type_line) {
            continue;
        }
        let text_at = document.find("<TEXT>")? + "<TEXT>".len();
        let end = document.find("</TEXT>").unwrap_or(document.len());
        let first_line = start_line + document[..text_at].lines().count();
        return Some((document[text_at..end].to_string(), first_line));
    }
    None
}

/// A plain-text exhibit as a `Document`: prose regions as text blocks, tables as grids.
fn plain_document(text: &str, first_line: usize) -> Document {
    let lines = lines(text, first_line);
    let (regions, _) = plain_tables::split(&lines);
    let blocks = regions
        .into_iter()
        .map(|region| match region {
            Region::Table(grid) => Block::Table(grid),
            Region::Prose(range) => {
                let lines: Vec<(usize, String)> = lines[range]
                    .iter()
                    .filter(|l| !l.is_blank())
                    .map(|l| (l.number, l.trimmed().to_string()))
                    .collect();
                let text = lines
                    .iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                Block::Text(Text {
                    line: lines.first().map_or(first_line, |l| l.0),
                    lines,
                    text,
                    ..Text::default()
                })
            }
        })
        .collect();
    Document {
        filing: Filing::default(),
        format: Format::Text,
        first_line,
        blocks,
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn span(column: &Column) -> (NaiveDate, NaiveDate, u32) {
    match column {
        Column::Period {
            start, end, months, ..
        } => (*start, *end, *months),
        Column::Instant { date, .. } => panic!("an instant column: {date}"),
    }
}

fn row<'a>(statement: &'a Statement, key: &str) -> &'a Row {
    statement
        .rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no `{key}` row in {:#?}", statement.rows))
}

fn amounts(row: &Row) -> Vec<i64> {
    row.values
        .iter()
        .map(|v| match v {
            Some(Figure::Amount(a)) => *a,
            other => panic!("not an amount: {other:?} in {row:?}"),
        })
        .collect()
}

fn per_share(row: &Row) -> Vec<String> {
    row.values
        .iter()
        .map(|v| match v {
            Some(Figure::PerShare(d)) => d.to_string(),
            other => panic!("not a per-share figure: {other:?} in {row:?}"),
        })
        .collect()
}

/// Southern Company's Q4 2006 tables are plain-text exhibits EX-99.02 to .06 with the columns
/// `3 Months Ended December` / `12 Months Ended December` over 2006 and 2005, in millions.
/// EX-99.04 (`Analysis of Consolidated Earnings`) is the income statement; the others are
/// highlights, EPS factors, sales volumes and per-subsidiary figures: `other`.
#[test]
fn southern_company_2007_text_exhibits() {
    let Some(dir) = corpus() else { return };
    let path = dir.join("southern-company-2007-01-25-q4-earnings-submission.txt");
    let submission = std::fs::read_to_string(path).unwrap();
    let mut all = Vec::new();
    for kind in ["EX-99.02", "EX-99.03", "EX-99.04", "EX-99.05", "EX-99.06"] {
        let (text, first_line) = document_text(&submission, kind).unwrap();
        let document = plain_document(&text, first_line);
        let (financials, warnings) = statements::read(&document, &FiscalCalendar::default());
        if let Some(financials) = &financials {
            assert_no_check_errors(financials, &FiscalCalendar::default());
        }
        if std::env::var_os("DUMP").is_some() {
            eprintln!("== {kind} {warnings:?}\n{financials:#?}");
        }
        for statement in financials.map_or_else(Vec::new, |f| f.statements) {
            all.push((kind, statement));
        }
    }
    let operations: Vec<&(&str, Statement)> = all
        .iter()
        .filter(|(_, s)| s.kind == StatementKind::Operations)
        .collect();
    assert_eq!(operations.len(), 1, "{all:#?}");
    let (kind, ops) = operations[0];
    assert_eq!(*kind, "EX-99.04");
    assert_eq!(ops.columns.len(), 4, "the Change columns are left out");
    assert_eq!(
        span(&ops.columns[0]),
        (date("2006-10-01"), date("2006-12-31"), 3)
    );
    assert_eq!(
        span(&ops.columns[1]),
        (date("2005-10-01"), date("2005-12-31"), 3)
    );
    assert_eq!(
        span(&ops.columns[2]),
        (date("2006-01-01"), date("2006-12-31"), 12)
    );
    assert_eq!(
        span(&ops.columns[3]),
        (date("2005-01-01"), date("2005-12-31"), 12)
    );
    let m = 1_000_000;
    assert_eq!(
        amounts(row(ops, "revenue")),
        [3_152 * m, 3_290 * m, 14_356 * m, 13_554 * m]
    );
    assert_eq!(
        amounts(row(ops, "net_income")),
        [188 * m, 159 * m, 1_573 * m, 1_591 * m]
    );
    assert_eq!(
        amounts(row(ops, "operating_income")),
        [469 * m, 404 * m, 3_224 * m, 2_962 * m]
    );
    assert_eq!(
        amounts(row(ops, "income_tax")),
        [46 * m, 21 * m, 781 * m, 595 * m]
    );
    assert_eq!(
        amounts(row(ops, "discontinued_operations_net_of_tax")),
        [0, 6 * m, -m, 0]
    );
    // No balance sheet or cash-flow statement is printed.
    assert!(all.iter().all(|(_, s)| !matches!(
        s.kind,
        StatementKind::BalanceSheet | StatementKind::CashFlow
    )));
    // The highlights table's per-share figures are read (as `other`), not invented into GAAP.
    let (_, highlights) = all.iter().find(|(k, _)| *k == "EX-99.02").unwrap();
    assert_eq!(highlights.kind, StatementKind::Other);
    assert_eq!(
        per_share(row(highlights, "eps_basic")),
        ["0.25", "0.21", "2.12", "2.14"]
    );
}

fn html_document(submission: &str, kind: &str) -> Document {
    let (text, first_line) = document_text(submission, kind).unwrap();
    let blocks = hemasite::ingest::source::html::read(&text, first_line).blocks;
    Document {
        filing: Filing::default(),
        format: Format::Html,
        first_line,
        blocks,
    }
}

fn statements_of(document: &Document, calendar: &FiscalCalendar) -> (String, Vec<Statement>) {
    let (financials, warnings) = statements::read(document, calendar);
    if std::env::var_os("DUMP").is_some() {
        eprintln!("{warnings:?}\n{financials:#?}");
    }
    let financials = financials.expect("no statements");
    assert_no_check_errors(&financials, calendar);
    (financials.fiscal_period, financials.statements)
}

/// `hemasite check` finds nothing wrong in what was read: balance sheets add up, cash flows
/// foot, per-share amounts match net income over shares.
fn assert_no_check_errors(financials: &Financials, calendar: &FiscalCalendar) {
    let front = FrontMatter {
        title: "Results".into(),
        subtitle: None,
        date: date("2024-02-01"),
        category: Category::Earnings,
        company: "C".into(),
        ticker: "C".into(),
        market: None,
        dateline: None,
        source: Source {
            file: "raw/x.txt".into(),
            sha256: "0".into(),
            ..Source::default()
        },
        contact: None,
        people: Vec::new(),
        quotes: Vec::new(),
        events: Vec::new(),
        financials: Some(financials.clone()),
        about: None,
        safe_harbor: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2024-02-01-results.md");
    let text = Release::to_markdown(&front, "Body.");
    std::fs::write(&path, &text).unwrap();
    let release = Release::parse(&path, &text).unwrap();
    let yaml = format!(
        "title: T\nbase_url: https://x.example/\ncompany: {{ name: C, ticker: X }}\nfiscal_year_end: \"{:02}-{:02}\"\n",
        calendar.year_end_month, calendar.year_end_day
    );
    let config = SiteConfig::parse(Path::new("site.yaml"), &yaml).unwrap();
    let releases = [release];
    let findings = check::run(&releases, &Ledger::build(&releases, &config));
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn the(statements: &[Statement], kind: StatementKind) -> &Statement {
    let found: Vec<&Statement> = statements.iter().filter(|s| s.kind == kind).collect();
    assert_eq!(
        found.len(),
        1,
        "{kind:?}: {:#?}",
        statements
            .iter()
            .map(|s| (&s.title, s.kind))
            .collect::<Vec<_>>()
    );
    found[0]
}

/// Apple's Q1 FY2024: 13-week quarters ended December 30, 2023 and December 31, 2022, in
/// millions with shares in thousands; fiscal year ending the last Saturday of September.
#[test]
fn apple_2024_q1() {
    let Some(dir) = corpus() else { return };
    let submission =
        std::fs::read_to_string(dir.join("apple-2024-02-01-q1-fy2024-earnings-submission.txt"))
            .unwrap();
    let calendar = FiscalCalendar {
        year_end_month: 9,
        year_end_day: 30,
        named_for_start: false,
    };
    let (fiscal_period, statements) =
        statements_of(&html_document(&submission, "EX-99.1"), &calendar);
    assert_eq!(fiscal_period, "2024-Q1");
    let m = 1_000_000;
    let ops = the(&statements, StatementKind::Operations);
    assert_eq!(
        span(&ops.columns[0]),
        (date("2023-10-01"), date("2023-12-30"), 3)
    );
    // "the Company's fiscal 2023 first quarter had 14 weeks", the release says under its tables.
    assert_eq!(
        span(&ops.columns[1]),
        (date("2022-09-25"), date("2022-12-31"), 3)
    );
    assert_eq!(amounts(row(ops, "revenue")), [119_575 * m, 117_154 * m]);
    assert_eq!(amounts(row(ops, "net_income")), [33_916 * m, 29_998 * m]);
    assert_eq!(per_share(row(ops, "eps_diluted")), ["2.18", "1.88"]);
    assert_eq!(per_share(row(ops, "eps_basic")), ["2.19", "1.89"]);
    assert_eq!(
        amounts(row(ops, "weighted_shares_diluted")),
        [15_576_641_000, 15_955_718_000]
    );
    let balance = the(&statements, StatementKind::BalanceSheet);
    assert_eq!(balance.columns[0].end(), date("2023-12-30"));
    assert_eq!(balance.columns[1].end(), date("2023-09-30"));
    assert_eq!(
        amounts(row(balance, "total_assets")),
        [353_514 * m, 352_583 * m]
    );
    assert_eq!(
        amounts(row(balance, "total_equity")),
        [74_100 * m, 62_146 * m]
    );
    let cash = the(&statements, StatementKind::CashFlow);
    assert_eq!(
        span(&cash.columns[0]),
        (date("2023-10-01"), date("2023-12-30"), 3)
    );
    assert_eq!(
        amounts(row(cash, "operating_cash_flow")),
        [39_895 * m, 34_005 * m]
    );
    assert_eq!(
        amounts(row(cash, "capital_expenditures")),
        [-2_392 * m, -3_787 * m]
    );
    assert_eq!(
        amounts(row(cash, "net_change_in_cash")),
        [11_237 * m, -3_003 * m]
    );
}

/// Oracle's Q4 FY2022 (fiscal year ends May 31), in millions: a quarter statement, a full-year
/// statement, non-GAAP reconciliations and revenue analyses with the same row labels.
#[test]
fn oracle_2022_q4() {
    let Some(dir) = corpus() else { return };
    let submission =
        std::fs::read_to_string(dir.join("oracle-2022-06-13-q4-fy2022-earnings-submission.txt"))
            .unwrap();
    let calendar = FiscalCalendar {
        year_end_month: 5,
        year_end_day: 31,
        named_for_start: false,
    };
    let (fiscal_period, statements) =
        statements_of(&html_document(&submission, "EX-99.1"), &calendar);
    assert_eq!(fiscal_period, "2022-Q4");
    let m = 1_000_000;
    let operations: Vec<&Statement> = statements
        .iter()
        .filter(|s| s.kind == StatementKind::Operations)
        .collect();
    assert_eq!(operations.len(), 2, "the quarter and the year");
    let (quarter, year) = (operations[0], operations[1]);
    assert_eq!(
        span(&quarter.columns[0]),
        (date("2022-03-01"), date("2022-05-31"), 3)
    );
    assert_eq!(
        span(&quarter.columns[1]),
        (date("2021-03-01"), date("2021-05-31"), 3)
    );
    assert_eq!(quarter.columns.len(), 2, "percent columns are left out");
    assert_eq!(amounts(row(quarter, "revenue")), [11_840 * m, 11_227 * m]);
    assert_eq!(amounts(row(quarter, "net_income")), [3_189 * m, 4_033 * m]);
    assert_eq!(per_share(row(quarter, "eps_diluted")), ["1.16", "1.37"]);
    assert_eq!(
        amounts(row(quarter, "weighted_shares_diluted")),
        [2_742 * m, 2_943 * m]
    );
    assert_eq!(
        span(&year.columns[0]),
        (date("2021-06-01"), date("2022-05-31"), 12)
    );
    assert_eq!(amounts(row(year, "revenue")), [42_440 * m, 40_479 * m]);
    assert_eq!(amounts(row(year, "net_income")), [6_717 * m, 13_746 * m]);
    assert_eq!(per_share(row(year, "eps_diluted")), ["2.41", "4.55"]);
    let balance = the(&statements, StatementKind::BalanceSheet);
    assert_eq!(balance.columns[0].end(), date("2022-05-31"));
    assert_eq!(balance.columns[1].end(), date("2021-05-31"));
    assert_eq!(
        amounts(row(balance, "total_assets")),
        [109_297 * m, 131_107 * m]
    );
    let cash = the(&statements, StatementKind::CashFlow);
    assert_eq!(
        span(&cash.columns[0]),
        (date("2021-06-01"), date("2022-05-31"), 12)
    );
    assert_eq!(
        amounts(row(cash, "operating_cash_flow")),
        [9_539 * m, 15_887 * m]
    );
    assert_eq!(
        amounts(row(cash, "capital_expenditures")),
        [-4_511 * m, -2_135 * m]
    );
    // Every non-GAAP reconciliation is `other`.
    for statement in &statements {
        if statement.title.to_lowercase().contains("non-gaap") {
            assert_eq!(statement.kind, StatementKind::Other, "{}", statement.title);
        }
    }
}

/// eBay's Q3 2014, in millions: a net loss for the nine months (a tax charge), stock-based
/// compensation detail under the income statement, segment and supplemental tables.
#[test]
fn ebay_2014_q3() {
    let Some(dir) = corpus() else { return };
    let submission =
        std::fs::read_to_string(dir.join("ebay-2014-10-15-q3-earnings-submission.txt")).unwrap();
    let (fiscal_period, statements) = statements_of(
        &html_document(&submission, "EX-99.1"),
        &FiscalCalendar::default(),
    );
    assert_eq!(fiscal_period, "2014-Q3");
    let m = 1_000_000;
    let ops = the(&statements, StatementKind::Operations);
    assert_eq!(
        span(&ops.columns[0]),
        (date("2014-07-01"), date("2014-09-30"), 3)
    );
    assert_eq!(
        span(&ops.columns[1]),
        (date("2013-07-01"), date("2013-09-30"), 3)
    );
    assert_eq!(
        span(&ops.columns[2]),
        (date("2014-01-01"), date("2014-09-30"), 9)
    );
    assert_eq!(
        span(&ops.columns[3]),
        (date("2013-01-01"), date("2013-09-30"), 9)
    );
    assert_eq!(
        amounts(row(ops, "revenue")),
        [4_353 * m, 3_892 * m, 12_981 * m, 11_517 * m]
    );
    assert_eq!(
        amounts(row(ops, "net_income")),
        [673 * m, 689 * m, -977 * m, 2_006 * m]
    );
    assert_eq!(
        per_share(row(ops, "eps_diluted")),
        ["0.54", "0.53", "-0.78", "1.53"]
    );
    assert_eq!(
        amounts(row(ops, "weighted_shares_diluted")),
        [1_251 * m, 1_310 * m, 1_258 * m, 1_314 * m]
    );
    // The stock-based compensation detail is not part of the statement.
    assert!(ops.rows.iter().all(|r| r.key != "sales_and_marketing_2"));
    let balance = the(&statements, StatementKind::BalanceSheet);
    assert_eq!(balance.columns[0].end(), date("2014-09-30"));
    assert_eq!(balance.columns[1].end(), date("2013-12-31"));
    assert_eq!(
        amounts(row(balance, "total_assets")),
        [44_476 * m, 41_488 * m]
    );
    let cash = the(&statements, StatementKind::CashFlow);
    assert_eq!(
        amounts(row(cash, "operating_cash_flow")),
        [1_368 * m, 1_334 * m, 4_036 * m, 3_282 * m]
    );
    assert_eq!(
        amounts(row(cash, "capital_expenditures")),
        [-427 * m, -317 * m, -902 * m, -969 * m]
    );
}

/// Plain-text filings with no statements: nothing in their prose is taken for a table.
#[test]
fn plain_text_releases_without_tables_stay_prose() {
    let Some(dir) = corpus() else { return };
    for name in [
        "cisco-1995-08-10-combinet-acquisition-ex20-submission.txt",
        "food-concepts-1998-01-26-majority-shareholder-8k-submission.txt",
        "apple-1999-09-03-derivative-settlement-8k-submission.txt",
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let lines = lines(&text, 1);
        let (regions, _) = plain_tables::split(&lines);
        let tables: Vec<String> = regions
            .iter()
            .filter_map(|r| match r {
                Region::Table(grid) => Some(format!("{}: {:?}", grid.line, grid.rows.first())),
                Region::Prose(_) => None,
            })
            .collect();
        if std::env::var_os("DUMP").is_some() {
            eprintln!("{name}: {tables:#?}");
        }
        assert!(tables.is_empty(), "{name}: {tables:#?}");
    }
}
