//! Statements of real releases from other issuers (`../shared/corpus/`), checked against values
//! read from the documents line by line. Skips, saying so, when the corpus is not there.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hemasite::ingest::doc::{Block, Document, Filing, Format, Text};
use hemasite::ingest::source::plain_tables::{self, Region};
use hemasite::ingest::statements::{self, Settings};
use hemasite::ingest::text::lines;
use hemasite::model::{Column, Figure, Row, Statement, StatementKind};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: no corpus at {}", dir.display());
        None
    }
}

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
        let (financials, warnings) = statements::read(&document, &Settings::default());
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
