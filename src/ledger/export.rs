//! The ledger as downloads: `public/data/financials.csv` and `public/data/financials.json`.
//!
//! One row per period and concept, oldest period first and concepts in printed order, with the
//! exact value (amounts as integers, per-share amounts as decimal strings keeping their printed
//! precision), its unit, whether it was reported or derived, where it came from and, for derived
//! values, the formula.
//!
//! CSV columns: `period,concept,label,value,unit,origin,source,formula`. `label` is the
//! concept's sign-neutral name (`Net income (loss)`), since one row's value may be a loss and
//! another's a profit. `source` is the release
//! slug (for derived values the releases of every input, `; `-separated); `formula` is
//! `2003-6M - 2003-Q2 = 13868000 - 6937000` for derived values and empty otherwise.
//!
//! Both carry plain machine numbers (`-4679000`, ASCII minus) so that spreadsheets and scripts
//! read them as numbers; the CSV starts with a UTF-8 byte-order mark, without which Excel reads
//! it as Windows-1252 and garbles every non-ASCII label.
//!
//! JSON: `{ "currency", "rows": [ { "period", "period_name", "concept", "label", "value", "unit",
//! "origin", "formula", "sources": [ { "release", "statement", "row", "column", "period",
//! "value" } ] } ] }`; `formula` is `null` for reported values, whose one source is where they are
//! printed; a derived value lists the figures its formula used.

use serde::Serialize;

use crate::model::{Figure, Unit};

use super::entry::{Entry, Origin, Provenance, Reported, statement_name};
use super::format::figure;
use super::series::Ledger;

/// The CSV download, RFC 4180 (comma-separated, `"`-quoted where needed, CRLF-free `\n` lines).
pub fn csv(ledger: &Ledger) -> String {
    let mut out = String::from("\u{feff}period,concept,label,value,unit,origin,source,formula\n");
    for row in rows(ledger) {
        let fields = [
            row.period,
            row.concept,
            row.label,
            plain_value(&row.value),
            row.unit,
            row.origin.to_string(),
            row.sources
                .iter()
                .map(|source| source.release.as_str())
                .fold(Vec::<&str>::new(), |mut releases, release| {
                    if !releases.contains(&release) {
                        releases.push(release);
                    }
                    releases
                })
                .join("; "),
            row.formula.unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The JSON download, pretty-printed, ending in a newline.
pub fn json(ledger: &Ledger) -> String {
    let document = Document {
        currency: &ledger.currency,
        rows: rows(ledger),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("plain data always serializes");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Document<'a> {
    currency: &'a str,
    rows: Vec<ExportRow>,
}

#[derive(Serialize)]
struct ExportRow {
    period: String,
    period_name: String,
    concept: String,
    label: String,
    value: Figure,
    unit: String,
    origin: &'static str,
    formula: Option<String>,
    sources: Vec<ExportSource>,
}

#[derive(Serialize)]
struct ExportSource {
    release: String,
    statement: &'static str,
    row: String,
    column: String,
    period: String,
    value: Figure,
}

fn rows(ledger: &Ledger) -> Vec<ExportRow> {
    let order = |key: &str| ledger.concepts().iter().position(|c| c.key == key);
    let mut entries: Vec<&Entry> = ledger.entries().collect();
    entries.sort_by_key(|entry| (entry.period, order(&entry.concept), entry.concept.clone()));
    entries
        .into_iter()
        .map(|entry| export_row(ledger, entry))
        .collect()
}

fn export_row(ledger: &Ledger, entry: &Entry) -> ExportRow {
    let label = ledger.concept(&entry.concept).map_or_else(
        || entry.concept.clone(),
        |concept| concept.neutral_label().to_string(),
    );
    let (origin, formula, sources) = match &entry.origin {
        Origin::Reported(source) => (
            "reported",
            None,
            vec![export_source(source, entry.period.to_string(), entry.value)],
        ),
        Origin::Derived(derivation) => (
            "derived",
            Some(derivation.formula_plain()),
            derivation.inputs.iter().map(input_source).collect(),
        ),
    };
    ExportRow {
        period: entry.period.to_string(),
        period_name: entry.period.long_name(),
        concept: entry.concept.clone(),
        label,
        value: entry.value,
        unit: unit_name(entry.unit, &ledger.currency),
        origin,
        formula,
        sources,
    }
}

fn input_source(input: &Reported) -> ExportSource {
    export_source(&input.source, input.period.to_string(), input.value)
}

fn export_source(source: &Provenance, period: String, value: Figure) -> ExportSource {
    ExportSource {
        release: source.release.clone(),
        statement: statement_name(source.statement),
        row: source.row_key.clone(),
        column: source.column_label.clone(),
        period,
        value,
    }
}

/// `USD`, `USD per share`, `shares`.
pub fn unit_name(unit: Unit, currency: &str) -> String {
    match unit {
        Unit::Currency => currency.to_string(),
        Unit::PerShare => format!("{currency} per share"),
        Unit::Shares => "shares".to_string(),
    }
}

/// Values in the CSV are plain numbers a spreadsheet reads: `-4679000`, `-0.60`.
fn plain_value(value: &Figure) -> String {
    match value {
        Figure::Amount(amount) => amount.to_string(),
        Figure::PerShare(_) => figure(value),
    }
}

/// Quotes a field when it holds a comma, a quote or a line break, doubling inner quotes.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("Revenues"), "Revenues");
        assert_eq!(csv_field("Gross profit, net"), "\"Gross profit, net\"");
        assert_eq!(csv_field("the \"best\""), "\"the \"\"best\"\"\"");
    }
}
