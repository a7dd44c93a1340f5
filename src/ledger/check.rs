//! Consistency checks: every figure agrees with the others that should equal it.
//!
//! Each check either passes or yields a [`Finding`], a sentence naming the releases and values
//! involved and the file and line to look at:
//!
//! - the balance sheet adds up (components to their total, section by section);
//! - the statement of operations adds up (pretax income minus income tax is net income, where a
//!   release prints all three) and per-share amounts are net income over weighted shares within
//!   the printed rounding;
//! - across releases, one period and concept never carries two values (a restatement is a
//!   finding), and a reported quarter equals the same quarter derived from year-to-date spans;
//! - the prose agrees with the tables ([`super::prose`]).
//!
//! `hemasite check` prints the findings; `hemasite build` refuses to publish when any is an
//! [`Severity::Error`].

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

pub use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Column, Figure, Release, Row, Statement, StatementKind};
use rust_decimal::{Decimal, RoundingStrategy};

use super::entry::{Origin, Reported};
use super::format::{figure, grouped, half_unit, within};
use super::pending::{Anchor, Pending};
use super::series::Ledger;

/// What a check found: a [`Diagnostic`] on the release's file and line.
pub type Finding = Diagnostic;

/// The heading of a severity's group in `hemasite check`'s output.
fn heading(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Errors",
        Severity::Warning => "Warnings",
        Severity::Unchecked => "Not checked, figures the tables do not carry",
    }
}

/// Prints findings for people: grouped by severity, worst first, then a one-line summary.
pub fn print_text(findings: &[Finding], releases: usize, out: &mut impl Write) -> io::Result<()> {
    print_groups(findings, out)?;
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    print_counts(
        releases,
        [Severity::Error, Severity::Warning, Severity::Unchecked].map(count),
        out,
    )
}

/// The findings grouped by severity, each group under its heading.
pub fn print_groups(findings: &[Finding], out: &mut impl Write) -> io::Result<()> {
    for severity in [Severity::Error, Severity::Warning, Severity::Unchecked] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "{} ({}):", heading(severity), group.len())?;
        for finding in group {
            // A finding may show the offending line under it (a release that cannot be read).
            writeln!(out, "  {}", finding.to_string().replace('\n', "\n  "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `Checked 5 releases: 0 errors, 1 warning, 13 figures in the text not checked.`, given the
/// counts of errors, warnings and unchecked figures.
pub fn print_counts(releases: usize, counts: [usize; 3], out: &mut impl Write) -> io::Result<()> {
    let [errors, warnings, unchecked] = counts;
    writeln!(
        out,
        "Checked {releases} release{}: {errors} error{}, {warnings} warning{}, {unchecked} figure{} in the text not checked.",
        plural(releases),
        plural(errors),
        plural(warnings),
        plural(unchecked),
    )
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Prints findings for machines: `{"errors": n, "warnings": n, "unchecked": n, "findings": [...]}`.
pub fn print_json(findings: &[Finding], out: &mut impl Write) -> io::Result<()> {
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    let document = serde_json::json!({
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "unchecked": count(Severity::Unchecked),
        "findings": findings,
    });
    let text = serde_json::to_string_pretty(&document).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

/// True when any finding is an error: `build` must not publish.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|finding| finding.severity == Severity::Error)
}

/// Runs every check over `releases` and the `ledger` built from them. Findings come worst first,
/// then by file and line (on one line, in the order of the text), so that the output is the same
/// on every run.
pub fn run(releases: &[Release], ledger: &Ledger) -> Vec<Finding> {
    use rayon::prelude::*;
    let per_release: Vec<Finding> = releases
        .par_iter()
        .flat_map_iter(|release| release_findings(release, ledger))
        .collect();
    combine(releases, ledger, per_release)
}

/// The findings about one release alone, with their lines: its tables add up, and its text
/// states what the tables show. They depend on nothing but the release and the `ledger`, so a
/// caller that checks again and again (`hemasite serve`) may keep them while both are the same.
pub fn release_findings(release: &Release, ledger: &Ledger) -> Vec<Finding> {
    let mut pending = Vec::new();
    for (index, statement) in statements(release) {
        match statement.kind {
            StatementKind::BalanceSheet => balance_sheet(release, index, statement, &mut pending),
            StatementKind::Operations => operations(release, index, statement, &mut pending),
            StatementKind::CashFlow => cash_flow(release, index, statement, &mut pending),
            StatementKind::Other => {}
        }
    }
    fiscal_period(release, ledger, &mut pending);
    super::prose::check(release, ledger, &mut pending);
    resolve(pending, std::slice::from_ref(release))
}

/// `financials.fiscal_period` is the quarter the site's fiscal calendar gives the statements:
/// ingest wrote it with the calendar of its day, and a `fiscal_year_end` changed since (or a
/// hand edit) would file the release's summary under one quarter and its figures under another.
fn fiscal_period(release: &Release, ledger: &Ledger, out: &mut Vec<Pending>) {
    let Some(financials) = &release.front.financials else {
        return;
    };
    let Some(quarter) = ledger.calendar.period_reported(&financials.statements) else {
        return;
    };
    if quarter.to_string() != financials.fiscal_period {
        out.push(Pending {
            severity: Severity::Warning,
            message: format!(
                "financials.fiscal_period is `{}`, but the site's fiscal calendar (`fiscal_year_end` in site.yaml) makes the quarter these statements report {quarter}; ingest the release again (`hemasite ingest --force`) or correct the key",
                financials.fiscal_period
            ),
            path: release.path.clone(),
            anchor: Anchor::Key("financials.fiscal_period"),
        });
    }
}

/// [`run`], given the [`release_findings`] of every release in order: adds what concerns
/// several releases and sorts.
pub fn combine(releases: &[Release], ledger: &Ledger, per_release: Vec<Finding>) -> Vec<Finding> {
    let mut findings = unplaced(releases, ledger);
    findings.extend(per_release);
    findings.extend(across_releases(releases, ledger));
    sort(&mut findings);
    findings
}

/// The figures the ledger could not place (a column of no fiscal period, …).
pub fn unplaced(releases: &[Release], ledger: &Ledger) -> Vec<Finding> {
    resolve(ledger.problems.clone(), releases)
}

/// What concerns several releases: restated figures, derived quarters that disagree with
/// reported ones.
pub fn across_releases(releases: &[Release], ledger: &Ledger) -> Vec<Finding> {
    let mut pending = Vec::new();
    restatements(ledger, &mut pending);
    derivations(ledger, &mut pending);
    resolve(pending, releases)
}

/// Worst first, then by file and line. A stable sort: findings on one line keep the order the
/// checks met them (text order).
pub fn sort(findings: &mut [Finding]) {
    Diagnostic::sort(findings);
}

fn resolve(pending: Vec<Pending>, releases: &[Release]) -> Vec<Finding> {
    let by_path: BTreeMap<&Path, &Release> =
        releases.iter().map(|r| (r.path.as_path(), r)).collect();
    pending
        .into_iter()
        .map(|pending| {
            let release = by_path.get(pending.path.as_path()).copied();
            pending.resolve(release)
        })
        .collect()
}

fn statements(release: &Release) -> impl Iterator<Item = (usize, &Statement)> {
    release
        .front
        .financials
        .iter()
        .flat_map(|financials| financials.statements.iter().enumerate())
}

// ---------------------------------------------------------------------------------------------
// Within one statement.

/// One column of one statement of one release: where a within-statement check looks.
struct Cell<'a> {
    release: &'a Release,
    statement: usize,
    column: usize,
    label: &'a Column,
}

impl Cell<'_> {
    /// Points at `row`'s value in this column.
    fn anchor(&self, row: &Row) -> Anchor {
        Anchor::Row {
            statement: self.statement,
            key: row.key.clone(),
            column: Some(self.column),
        }
    }

    fn error(&self, row: &Row, message: String) -> Pending {
        Pending {
            severity: Severity::Error,
            message,
            path: self.release.path.clone(),
            anchor: self.anchor(row),
        }
    }
}

/// Each total on the balance sheet equals the rows just above it that no total has summed yet
/// (subtotals count as one row each), so "Total current assets", then "Total assets" (current
/// plus non-current), then "Total liabilities and equity" (liabilities plus equity) all work
/// however the statement nests them. A total right under another total, with no rows of its
/// own, is not checked.
fn balance_sheet(release: &Release, index: usize, statement: &Statement, out: &mut Vec<Pending>) {
    for (column, label) in statement.columns.iter().enumerate() {
        let cell = Cell {
            release,
            statement: index,
            column,
            label,
        };
        // Rows and subtotals not yet summed by a total, in order.
        let mut open: Vec<(&Row, i64)> = Vec::new();
        for row in &statement.rows {
            let Some(value) = row.amount(column) else {
                continue;
            };
            if !row.total {
                open.push((row, value));
                continue;
            }
            // A total printed straight under another total (`Total equity` with no rows of its
            // own in a condensed sheet) sums nothing it shows: it cannot be checked.
            let loose = open.iter().rev().take_while(|(r, _)| !r.total).count();
            match summed_suffix(&open, value) {
                Some(terms) => open.truncate(open.len() - terms),
                None if loose > 0 => {
                    // Say what the old rule summed: the subtotal above and the rows since.
                    let from = open.len() - loose;
                    let from = if from > 0 { from - 1 } else { from };
                    out.extend(check_total(&cell, &open[from..], (row, value)));
                }
                None => {}
            }
            open.push((row, value));
        }
    }
}

/// How many of the last `open` rows add up to `total`, if some do.
fn summed_suffix(open: &[(&Row, i64)], total: i64) -> Option<usize> {
    let mut sum = 0i64;
    for (count, (_, value)) in open.iter().rev().enumerate() {
        sum = sum.checked_add(*value)?;
        if sum == total {
            return Some(count + 1);
        }
    }
    None
}

/// Operating, investing and financing cash flows (and the effect of exchange rates, when
/// printed) add up to the change in cash. A statement without those rows cannot be checked, and
/// says so.
fn cash_flow(release: &Release, index: usize, statement: &Statement, out: &mut Vec<Pending>) {
    let row = |key: &str| statement.rows.iter().find(|row| row.key == key);
    let parts = [
        "operating_cash_flow",
        "investing_cash_flow",
        "financing_cash_flow",
    ];
    let (Some(change), Some(rows)) = (
        row("net_change_in_cash"),
        parts.iter().map(|key| row(key)).collect::<Option<Vec<_>>>(),
    ) else {
        out.push(Pending {
            severity: Severity::Unchecked,
            message: format!(
                "The statement of cash flows in {} was not footed: it has no row for each of                  operating, investing and financing cash flows and the change in cash.",
                release.slug
            ),
            path: release.path.clone(),
            anchor: Anchor::Column {
                statement: index,
                column: 0,
            },
        });
        return;
    };
    let fx = row("fx_effect_on_cash");
    for (column, label) in statement.columns.iter().enumerate() {
        let cell = Cell {
            release,
            statement: index,
            column,
            label,
        };
        let amount = |row: &Row| row.amount(column);
        let mut terms: Vec<(&Row, i64)> = Vec::new();
        for part in rows.iter().copied().chain(fx) {
            if let Some(value) = amount(part) {
                terms.push((part, value));
            }
        }
        let Some(total) = amount(change) else {
            continue;
        };
        if terms.len() < 3 {
            continue;
        }
        let sum = terms
            .iter()
            .try_fold(0i64, |sum, (_, v)| sum.checked_add(*v));
        if sum != Some(total) {
            let addition = terms
                .iter()
                .map(|(row, value)| format!("{} {}", row.label, grouped(*value)))
                .collect::<Vec<_>>()
                .join(" + ");
            let sum = sum.map_or_else(|| "more than a 64-bit amount holds".to_string(), grouped);
            let message = format!(
                "The statement of cash flows in {}, column \"{}\", does not foot: {addition} = \
                 {sum}, but {} is {}. Compare the rows with the filing.",
                release.slug,
                label.label(),
                change.label,
                grouped(total)
            );
            out.push(cell.error(change, message));
        }
    }
}

fn check_total(
    cell: &Cell,
    terms: &[(&Row, i64)],
    (total_row, total): (&Row, i64),
) -> Option<Pending> {
    let sum = terms
        .iter()
        .try_fold(0i64, |sum, (_, value)| sum.checked_add(*value));
    if sum == Some(total) {
        return None;
    }
    let addition = terms
        .iter()
        .map(|(row, value)| format!("{} {}", row.label, grouped(*value)))
        .collect::<Vec<_>>()
        .join(" + ");
    let sum = sum.map_or_else(|| "more than a 64-bit amount holds".to_string(), grouped);
    let message = format!(
        "The balance sheet at {} in {} does not add up: {addition} = {sum}, but {} is {}. \
         Compare the rows with the filing.",
        cell.label.end(),
        cell.release.slug,
        total_row.label,
        grouped(total)
    );
    Some(cell.error(total_row, message))
}

/// Pretax income minus income tax is net income; per-share amounts are net income over the
/// weighted shares. Rows a release does not print are not checked (the second-quarter release
/// has no income tax row: that is no finding).
fn operations(release: &Release, index: usize, statement: &Statement, out: &mut Vec<Pending>) {
    let row = |key: &str| statement.rows.iter().find(|row| row.key == key);
    for (column, label) in statement.columns.iter().enumerate() {
        let cell = Cell {
            release,
            statement: index,
            column,
            label,
        };
        let amount = |row: &Row| row.amount(column);
        let net = row("net_income").and_then(|r| Some((r, amount(r)?)));
        let pretax = row("pretax_income").and_then(|r| Some((r, amount(r)?)));
        let tax = row("income_tax").and_then(|r| Some((r, amount(r)?)));
        if let (Some(pretax), Some(tax), Some(net)) = (pretax, tax, net)
            && nothing_between(statement, tax.0, net.0)
        {
            out.extend(check_net_income(&cell, pretax, tax, net));
        }
        let Some(net) = net else { continue };
        for eps_row in statement.rows.iter().filter(|r| r.key.starts_with("eps")) {
            let shares_key = format!("weighted_shares{}", &eps_row.key["eps".len()..]);
            let shares = row(&shares_key).and_then(|r| Some((r, amount(r)?)));
            let eps = eps_row.values.get(column).copied().flatten();
            if let (Some(shares), Some(Figure::PerShare(eps))) = (shares, eps) {
                let eps = (eps_row, eps);
                out.extend(check_per_share(&cell, net, shares, eps));
            }
        }
    }
}

/// Whether net income follows the tax row with no other line of figures in between
/// (discontinued operations, equity in earnings of affiliates): only then is net income pretax
/// income less tax.
fn nothing_between(statement: &Statement, tax: &Row, net: &Row) -> bool {
    let at = |row: &Row| statement.rows.iter().position(|r| std::ptr::eq(r, row));
    let (Some(tax), Some(net)) = (at(tax), at(net)) else {
        return false;
    };
    tax < net
        && statement.rows[tax + 1..net]
            .iter()
            .all(|row| row.total || row.values.iter().all(Option::is_none))
}

fn check_net_income(
    cell: &Cell,
    (pretax_row, pretax): (&Row, i64),
    (tax_row, tax): (&Row, i64),
    (net_row, net): (&Row, i64),
) -> Option<Pending> {
    let expected = pretax.checked_sub(tax);
    // Some statements print the provision as a deduction, `(128)`, or a benefit as a gain
    // (`(Provision for) benefit from income taxes  747`): then it is added.
    if expected == Some(net) || pretax.checked_add(tax) == Some(net) {
        return None;
    }
    let expected = expected.map_or_else(|| "more than a 64-bit amount holds".into(), grouped);
    let message = format!(
        "The statement of operations in {}, column \"{}\", does not add up: {} {} − {} {} = \
         {expected}, but {} is {}. Compare the rows with the filing.",
        cell.release.slug,
        cell.label.label(),
        pretax_row.label,
        grouped(pretax),
        tax_row.label,
        grouped(tax),
        net_row.label,
        grouped(net)
    );
    Some(cell.error(net_row, message))
}

/// The printed per-share amount may differ from net income over shares by half a unit of its
/// last printed decimal: `-0.04` covers -0.035 to -0.045, and a loss printed `(0.00)` covers
/// anything under half a cent; and by what rounding net income and shares to millions may
/// move the quotient, when they are printed in millions.
fn check_per_share(
    cell: &Cell,
    (net_row, net): (&Row, i64),
    (shares_row, shares): (&Row, i64),
    (eps_row, eps): (&Row, Decimal),
) -> Option<Pending> {
    let quotient = Decimal::from(net).checked_div(Decimal::from(shares));
    // Tables in millions round net income and shares too: allow for that rounding on top of
    // half a unit of the printed precision.
    let relative = rounding_error(net) + rounding_error(shares);
    let rounding = quotient.map_or(Decimal::ZERO, |q| q.abs() * relative);
    let tolerance = half_unit(eps.scale())?.checked_add(rounding)?;
    if let Some(quotient) = quotient
        && within(quotient, eps, tolerance)
    {
        return None;
    }
    let computed = match quotient {
        Some(quotient) => format!(
            "{}, which prints as {} to {} decimals",
            quotient.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero),
            quotient.round_dp_with_strategy(eps.scale(), RoundingStrategy::MidpointAwayFromZero),
            eps.scale()
        ),
        None => "not a number (there are no shares)".to_string(),
    };
    let message = format!(
        "The per-share amount in {}, column \"{}\", does not match: {} {} / {} {} = {computed}, \
         but {} is {eps}. Compare the rows with the filing.",
        cell.release.slug,
        cell.label.label(),
        net_row.label,
        grouped(net),
        shares_row.label,
        grouped(shares),
        eps_row.label,
    );
    Some(cell.error(eps_row, message))
}

/// How far off a figure printed in millions may be, relative to itself: half a million over
/// its size (0 for figures printed to a finer unit, whose rounding the precision tolerance
/// already covers).
fn rounding_error(value: i64) -> Decimal {
    const MILLION: i64 = 1_000_000;
    if value == 0 || value % MILLION != 0 {
        return Decimal::ZERO;
    }
    Decimal::from(MILLION / 2)
        .checked_div(Decimal::from(value.unsigned_abs()))
        .unwrap_or(Decimal::ZERO)
}

// ---------------------------------------------------------------------------------------------
// Across releases.

/// The same concept and period printed with two values: the ledger keeps the later release's, and
/// says so.
fn restatements(ledger: &Ledger, out: &mut Vec<Pending>) {
    let mut by_key: BTreeMap<(&str, super::period::Period), Vec<&Reported>> = BTreeMap::new();
    for reported in ledger.reported() {
        by_key
            .entry((&reported.concept, reported.period))
            .or_default()
            .push(reported);
    }
    for ((concept, period), reports) in by_key {
        let first = reports[0];
        for later in reports.iter().skip(1).filter(|r| r.value != first.value) {
            out.push(Pending {
                severity: Severity::Error,
                message: format!(
                    "{concept} for {period} differs between releases: {} reports {} and {} \
                     reports {}. The ledger uses the later value; correct the figure that differs \
                     from its filing, or publish with --allow-inconsistent if the later release \
                     restates it.",
                    first.source.describe(),
                    figure(&first.value),
                    later.source.describe(),
                    figure(&later.value)
                ),
                path: later.source.path.clone(),
                anchor: Anchor::Row {
                    statement: later.source.statement_index,
                    key: later.source.row_key.clone(),
                    column: Some(later.source.column),
                },
            });
        }
    }
}

/// Every derivation agrees with the value the ledger holds: a reported quarter with the same
/// quarter derived from year-to-date spans, and two derivations of one quarter with each other.
fn derivations(ledger: &Ledger, out: &mut Vec<Pending>) {
    for derivation in ledger.derivations() {
        let Some(entry) = ledger.get(&derivation.concept, derivation.period) else {
            continue;
        };
        if entry.value == Figure::Amount(derivation.value) {
            continue;
        }
        let derived = format!(
            "{} from {} ({})",
            grouped(derivation.value),
            derivation.formula_with_values(),
            derivation.releases().join(", ")
        );
        let (message, path, anchor) = match &entry.origin {
            Origin::Reported(source) => (
                format!(
                    "{} for {} is reported as {} in {} but derives as {derived}. One of these \
                     figures differs from its filing.",
                    derivation.concept,
                    derivation.period,
                    figure(&entry.value),
                    source.describe()
                ),
                source.path.clone(),
                Anchor::Row {
                    statement: source.statement_index,
                    key: source.row_key.clone(),
                    column: Some(source.column),
                },
            ),
            Origin::Derived(first) => {
                let input = &derivation.inputs[0].source;
                (
                    format!(
                        "{} for {} derives as {} from {} ({}) but as {derived}. One of these \
                         figures differs from its filing.",
                        derivation.concept,
                        derivation.period,
                        grouped(first.value),
                        first.formula_with_values(),
                        first.releases().join(", ")
                    ),
                    input.path.clone(),
                    Anchor::Row {
                        statement: input.statement_index,
                        key: input.row_key.clone(),
                        column: Some(input.column),
                    },
                )
            }
        };
        out.push(Pending {
            severity: Severity::Error,
            message,
            path,
            anchor,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    /// A release file with these statements for the fourth quarter of 2003, written to disk so
    /// that lines are the file's.
    fn release(statements: &str) -> (tempfile::TempDir, Release) {
        release_for("2003-Q4", statements)
    }

    /// A release file with these statements for `quarter`.
    fn release_for(quarter: &str, statements: &str) -> (tempfile::TempDir, Release) {
        let text = format!(
            "---\ntitle: T\ndate: 2004-02-10\ncategory: earnings\ncompany: C\nticker: X\n\
             source: {{ file: raw/x.txt, sha256: abc }}\nfinancials:\n  currency: USD\n  \
             fiscal_period: {quarter}\n  statements:\n{statements}---\n\nBody.\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2004-02-10-results.md");
        std::fs::write(&path, &text).unwrap();
        (dir, Release::parse(&path, &text).unwrap())
    }

    fn findings((_dir, release): (tempfile::TempDir, Release)) -> Vec<Finding> {
        let config = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://x.example/\ncompany: { name: C, ticker: X }\n",
        )
        .unwrap();
        let releases = [release];
        run(&releases, &Ledger::build(&releases, &config))
    }

    const SUBTOTALS: &str = "  - kind: balance_sheet\n    title: B\n    columns: [ { label: D, date: 2003-12-31 } ]\n    rows:\n\
        \x20   - { key: cash, label: Cash, section: Assets, values: [10] }\n\
        \x20   - { key: receivables, label: Receivables, section: Assets, values: [20] }\n\
        \x20   - { key: total_current_assets, label: Total current assets, section: Assets, values: [30], total: true }\n\
        \x20   - { key: equipment, label: Equipment, section: Assets, values: [5] }\n\
        \x20   - { key: total_assets, label: Total assets, section: Assets, values: [TOTAL], total: true }\n";

    #[test]
    fn subtotals_and_totals_each_add_up() {
        assert_eq!(findings(release(&SUBTOTALS.replace("TOTAL", "35"))), []);
        let wrong = findings(release(&SUBTOTALS.replace("TOTAL", "36")));
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert_eq!(wrong[0].line, 20, "the total's line");
        assert!(
            wrong[0]
                .message
                .contains("Total current assets 30 + Equipment 5 = 35, but Total assets is 36.")
        );
    }

    #[test]
    fn a_fiscal_period_the_sites_calendar_does_not_give_is_a_warning() {
        let (_dir, release) = release(&SUBTOTALS.replace("TOTAL", "35"));
        let config = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://x.example/\ncompany: { name: C, ticker: X }\nfiscal_year_end: \"09-30\"\n",
        )
        .unwrap();
        let releases = [release];
        let found = run(&releases, &Ledger::build(&releases, &config));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(found[0].line, 10, "the fiscal_period line");
        assert!(
            found[0]
                .message
                .contains("financials.fiscal_period is `2003-Q4`, but the site's fiscal calendar"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("2004-Q1"), "{}", found[0].message);
    }

    #[test]
    fn missing_rows_are_not_findings_but_bad_rows_are() {
        // No income tax row: pretax minus tax is not checked. No shares: per share is not checked.
        let operations = "  - kind: operations\n    title: O\n    columns:\n\
            \x20   - { label: Q4, start: 2003-10-01, end: 2003-12-31, months: 3 }\n\
            \x20   - { label: Trailing, start: 2002-10-01, end: 2003-09-30, months: 12 }\n    rows:\n\
            \x20   - { key: pretax_income, label: Pretax, values: [5, 5] }\n\
            \x20   - { key: net_income, label: Net, values: [3, 3] }\n\
            \x20   - { key: eps_basic, label: EPS, values: [\"0.10\", \"0.10\"] }\n\
            \x20   - { key: revenue, label: Revenue, values: [1] }\n";
        let found = findings(release(operations));
        let messages: Vec<(Severity, usize, &str)> = found
            .iter()
            .map(|f| (f.severity, f.line, f.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    Severity::Error,
                    21,
                    "Row `revenue` of the statement of operations in 2004-02-10-results has 1 values \
                     but the statement has 2 columns: give one value per column, `null` for a blank \
                     cell. Its figures are left out of the ledger."
                ),
                (
                    Severity::Warning,
                    16,
                    "Column \"Trailing\" of 2004-02-10-results is not a fiscal quarter, year to \
                     date or fiscal year of the fiscal calendar set by `fiscal_year_end` in \
                     site.yaml (check its start, end and months), so its figures are left out of \
                     the ledger."
                ),
            ]
        );
    }

    #[test]
    fn per_share_allows_half_a_unit_of_the_printed_precision() {
        let statement = |eps: &str| {
            format!(
                "  - kind: operations\n    title: O\n    columns: [ {{ label: Q4, start: 2003-10-01, end: 2003-12-31, months: 3 }} ]\n    rows:\n\
                 \x20   - {{ key: net_income, label: Net loss, values: [-19000] }}\n\
                 \x20   - {{ key: eps_basic_diluted, label: EPS, values: [\"{eps}\"] }}\n\
                 \x20   - {{ key: weighted_shares_basic_diluted, label: Shares, values: [7611000] }}\n"
            )
        };
        // -19,000 / 7,611,000 = -0.002496…: printed (0.00), or -0.002, or -0.0025.
        for eps in ["-0.00", "0.00", "-0.002", "-0.0025"] {
            assert_eq!(findings(release(&statement(eps))), [], "{eps}");
        }
        for eps in ["-0.01", "-0.003", "-0.0024"] {
            assert_eq!(findings(release(&statement(eps))).len(), 1, "{eps}");
        }
    }

    fn cash_flow_statement(change: i64, with_financing: bool) -> String {
        let financing = if with_financing {
            "\x20   - { key: financing_cash_flow, label: Cash used in financing activities, values: [-30585000000] }\n"
        } else {
            ""
        };
        format!(
            "  - kind: cash_flow\n    title: C\n    columns: [ {{ label: Q1, start: 2023-10-01, end: 2023-12-30, months: 3 }} ]\n    rows:\n\
             \x20   - {{ key: operating_cash_flow, label: Cash generated by operating activities, values: [39895000000] }}\n\
             \x20   - {{ key: investing_cash_flow, label: Cash generated by investing activities, values: [1927000000] }}\n\
             {financing}\
             \x20   - {{ key: net_change_in_cash, label: Increase in cash, values: [{change}] }}\n"
        )
    }

    #[test]
    fn cash_flows_foot_where_printed_and_say_so_where_not() {
        assert_eq!(
            findings(release_for(
                "2023-Q4",
                &cash_flow_statement(11_237_000_000, true)
            )),
            []
        );
        let wrong = findings(release_for(
            "2023-Q4",
            &cash_flow_statement(11_238_000_000, true),
        ));
        assert_eq!(wrong.len(), 1);
        assert_eq!(wrong[0].severity, Severity::Error);
        assert!(
            wrong[0].message.contains("does not foot"),
            "{}",
            wrong[0].message
        );
        let unchecked = findings(release_for(
            "2023-Q4",
            &cash_flow_statement(11_237_000_000, false),
        ));
        assert_eq!(unchecked.len(), 1);
        assert_eq!(unchecked[0].severity, Severity::Unchecked);
    }

    #[test]
    fn nested_balance_sheet_totals_and_other_tables() {
        let statement = "  - kind: balance_sheet\n    title: B\n    columns: [ { label: D, date: 2023-12-30 } ]\n    rows:\n\
             \x20   - { key: cash, label: Cash, values: [40] }\n\
             \x20   - { key: receivables, label: Receivables, values: [60] }\n\
             \x20   - { key: total_current_assets, label: Total current assets, values: [100], total: true }\n\
             \x20   - { key: ppe, label: PP&E, values: [50] }\n\
             \x20   - { key: total_non_current_assets, label: Total non-current assets, values: [50], total: true }\n\
             \x20   - { key: total_assets, label: Total assets, values: [150], total: true }\n\
             \x20   - { key: total_liabilities, label: Total liabilities, values: [90], total: true }\n\
             \x20   - { key: total_equity, label: Total equity, values: [60], total: true }\n\
             \x20   - { key: total_liabilities_and_equity, label: Total liabilities and equity, values: [150], total: true }\n\
             \x20 - kind: other\n    title: Segments\n    columns: [ { label: D, date: 2023-12-30 } ]\n    rows:\n\
             \x20   - { key: total_assets, label: Total assets, values: [1], total: true }\n";
        assert_eq!(findings(release_for("2023-Q4", statement)), []);
    }

    #[test]
    fn per_share_amounts_of_statements_in_millions_allow_for_rounding() {
        // 33,916 million / 15,576,641 thousand shares = 2.17737…, printed 2.18.
        let statement = "  - kind: operations\n    title: O\n    columns: [ { label: Q1, start: 2023-10-01, end: 2023-12-30, months: 3 } ]\n    rows:\n\
             \x20   - { key: net_income, label: Net income, values: [33916000000] }\n\
             \x20   - { key: eps_diluted, label: Diluted, values: [\"2.18\"] }\n\
             \x20   - { key: weighted_shares_diluted, label: Diluted, values: [15576641000] }\n";
        assert_eq!(findings(release_for("2023-Q4", statement)), []);
    }

    #[test]
    fn net_income_of_a_cash_flow_statement_stays_an_operations_concept() {
        let statements = "  - kind: operations\n    title: O\n    columns: [ { label: Q4, start: 2003-10-01, end: 2003-12-31, months: 3 } ]\n    rows:\n\
             \x20   - { key: net_income, label: Net income, values: [5] }\n\
             \x20 - kind: cash_flow\n    title: C\n    columns: [ { label: Q4, start: 2003-10-01, end: 2003-12-31, months: 3 } ]\n    rows:\n\
             \x20   - { key: net_income, label: Net income, values: [5] }\n\
             \x20   - { key: operating_cash_flow, label: Cash from operations, values: [7] }\n\
             \x20   - { key: cash_end_of_period, label: Cash at end of period, values: [70] }\n";
        let (_dir, release) = release(statements);
        let config = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://x.example/\ncompany: { name: C, ticker: X }\n",
        )
        .unwrap();
        let ledger = Ledger::build(std::slice::from_ref(&release), &config);
        let operations: Vec<&str> = ledger
            .concepts_of(StatementKind::Operations)
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(operations, ["net_income"]);
        let cash: Vec<&str> = ledger
            .concepts_of(StatementKind::CashFlow)
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(cash, ["operating_cash_flow"]);
    }
}
