//! Where things are in a release file, recorded when it is parsed.
//!
//! The checks and the site report problems about a statement's row or column, a place in the
//! body, or a key such as `source.file`, long after the file was read. serde gives no positions,
//! so `Release::parse` scans the text once for the lines of what later
//! stages point at and keeps them here: no later stage reads the file again or searches its
//! YAML, and a file changed on disk since it was parsed cannot make a line number lie.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// The keys (`a.b` paths) whose lines are recorded, for the stages that report about them.
const RECORDED_KEYS: &[&str] = &["source.file", "source.sha256", "financials.fiscal_period"];

/// Line numbers (1-based) of a release file's statements, body and recorded keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLines {
    statements: Vec<StatementLines>,
    /// The line the body starts on.
    body: Option<usize>,
    keys: BTreeMap<&'static str, usize>,
}

/// The lines of one statement's column labels, and by row key the line of its `key:` and of
/// each of its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementLines {
    pub columns: Vec<usize>,
    pub rows: BTreeMap<String, (usize, Vec<usize>)>,
}

impl SourceLines {
    /// The lines of a file `text` with these `statements`, whose body is the slice `body` of
    /// it.
    pub fn new(text: &str, statements: Vec<StatementLines>, body: &str) -> SourceLines {
        let body_start = (body.as_ptr() as usize).checked_sub(text.as_ptr() as usize);
        let body = body_start
            .filter(|&start| start <= text.len())
            .map(|start| line_of(text, start));
        let keys = RECORDED_KEYS
            .iter()
            .filter_map(|key| Some((*key, crate::diagnostics::line_of_key(text, key)?.0)))
            .collect();
        SourceLines {
            statements,
            body,
            keys,
        }
    }

    /// The line of row `key` of statement `statement`, or of its value in `column`; 0 when not
    /// found.
    pub fn row(&self, statement: usize, key: &str, column: Option<usize>) -> usize {
        let Some((line, values)) = self.statements.get(statement).and_then(|s| s.rows.get(key))
        else {
            return 0;
        };
        match column {
            None => *line,
            Some(column) => values.get(column).copied().unwrap_or(0),
        }
    }

    /// The line of column `column`'s label in statement `statement`; 0 when not found.
    pub fn column(&self, statement: usize, column: usize) -> usize {
        self.statements
            .get(statement)
            .and_then(|s| s.columns.get(column))
            .copied()
            .unwrap_or(0)
    }

    /// The line of byte `offset` of `body` (the release's body as parsed); 0 when unknown.
    pub fn body(&self, body: &str, offset: usize) -> usize {
        match self.body {
            Some(first) => {
                let before = &body.as_bytes()[..offset.min(body.len())];
                first + before.iter().filter(|&&b| b == b'\n').count()
            }
            None => 0,
        }
    }

    /// The line of a recorded key (`source.file`); 0 when the file does not have it.
    pub fn key(&self, key: &str) -> usize {
        self.keys.get(key).copied().unwrap_or(0)
    }
}

/// The line of row `key` of the statement at `statement` in `text`, or of its value in
/// `column`; 0 when not found.
pub fn row(text: &str, statement: usize, key: &str, column: Option<usize>) -> usize {
    row_offset(text, statement, key, column).map_or(0, |offset| line_of(text, offset))
}

/// The line of the label of column `column` of the statement at `statement`; 0 when not found.
pub fn column(text: &str, statement: usize, column: usize) -> usize {
    column_offset(text, statement, column).map_or(0, |offset| line_of(text, offset))
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

/// Where the `kind:` line of the statement at `index` starts: counted among the statements
/// under the top-level `financials:` key (events have a `kind:` too, and come before it).
fn statement_offset(text: &str, index: usize) -> Option<usize> {
    static FINANCIALS: LazyLock<Regex> = LazyLock::new(|| compile(r"(?m)^financials:"));
    static KINDS: LazyLock<Regex> =
        LazyLock::new(|| compile(r"kind:\s*['\x22]?(operations|balance_sheet|cash_flow|other)\b"));
    let from = FINANCIALS.find(text).map_or(0, |m| m.end());
    KINDS
        .find_iter(&text[from..])
        .nth(index)
        .map(|m| from + m.start())
}

/// Where a row's `key:` is, or, given a column, where that column's value is: the row's
/// `values: [a, b]` line in flow style, the value's own `- a` line in block style.
fn row_offset(text: &str, statement: usize, key: &str, column: Option<usize>) -> Option<usize> {
    let start = statement_offset(text, statement)?;
    let key_at = start + find_key(&text[start..], key)?;
    let Some(column) = column else {
        return Some(key_at);
    };
    let values_at = key_at + text[key_at..].find("values:")?;
    let after = &text[values_at + "values:".len()..];
    if after.trim_start_matches([' ', '\t']).starts_with('[') {
        return Some(values_at);
    }
    static ITEMS: LazyLock<Regex> = LazyLock::new(|| compile(r"\n[ \t]*- "));
    let item = ITEMS.find_iter(after).nth(column)?;
    Some(values_at + "values:".len() + item.start() + 1)
}

/// The first `key: <key>` (quoted or not, followed by `,`, `}` or the line's end) in `text`.
fn find_key(text: &str, key: &str) -> Option<usize> {
    static KEYS: LazyLock<Regex> =
        LazyLock::new(|| compile(r"(?m)\bkey:\s*['\x22]?([^'\x22,}\s]+)['\x22]?\s*(,|\}|$)"));
    KEYS.captures_iter(text)
        .find(|found| &found[1] == key)
        .and_then(|found| found.get(0))
        .map(|m| m.start())
}

fn column_offset(text: &str, statement: usize, column: usize) -> Option<usize> {
    let start = statement_offset(text, statement)?;
    let columns = start + text[start..].find("columns:")?;
    static LABELS: LazyLock<Regex> = LazyLock::new(|| compile(r"\blabel:"));
    LABELS
        .find_iter(&text[columns..])
        .nth(column)
        .map(|m| columns + m.start())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::Release;

    const RELEASE: &str = "---
title: T
date: 2003-11-14
category: earnings
company: C
ticker: X
source: { file: raw/x.txt, sha256: \"0\" }
events:
  - kind: other
    title: Something
    start: 2003-11-14T16:30:00-05:00
financials:
  currency: USD
  fiscal_period: 2003-Q3
  statements:
    - kind: other
      title: Backlog
      columns: [ { label: A, date: 2003-09-30 } ]
      rows: [ { key: backlog, label: Backlog, values: [1] } ]
    - kind: operations
      title: Operations
      columns:
        - { label: Q3 2003, start: 2003-07-01, end: 2003-09-30, months: 3 }
        - { label: Q3 2002, start: 2002-07-01, end: 2002-09-30, months: 3 }
      rows:
        - key: revenue
          label: Revenues
          values:
            - 10
            - 20
---

First paragraph.

Second paragraph.
";

    #[test]
    fn parsing_records_the_lines_of_rows_values_columns_body_and_keys() {
        let release = Release::parse(Path::new("2003-11-14-t.md"), RELEASE).unwrap();
        let lines = &release.lines;
        // The event's `kind: other` does not count as a statement.
        assert_eq!(lines.row(0, "backlog", None), 19);
        assert_eq!(lines.column(1, 0), 23);
        assert_eq!(lines.column(1, 1), 24);
        assert_eq!(lines.row(1, "revenue", None), 26);
        assert_eq!(lines.row(1, "revenue", Some(1)), 30);
        assert_eq!(lines.row(1, "missing", None), 0);
        assert_eq!(lines.key("source.file"), 7);
        let second = release.body.find("Second").unwrap();
        assert_eq!(lines.body(&release.body, second), 35);
    }
}
