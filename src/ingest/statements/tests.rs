//! Statements from hand-built grids: what every front end may hand over.

use super::*;
use crate::ingest::doc::{Cell, Filing, Format, Text};

/// A grid from rows of cells; `text|n` is a cell spanning `n` columns; `-rule` before a label
/// puts a rule above the row.
fn grid(caption: &[&str], rows: &[&[&str]]) -> Grid {
    let rows = rows
        .iter()
        .enumerate()
        .map(|(at, cells)| {
            let mut rule_above = false;
            let cells = cells
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let mut text = *text;
                    if i == 0 && text.starts_with("-rule ") {
                        rule_above = true;
                        text = &text["-rule ".len()..];
                    }
                    match text.rsplit_once('|') {
                        Some((text, span)) if span.parse::<usize>().is_ok() => Cell {
                            text: text.to_string(),
                            span: span.parse().unwrap(),
                            bold: false,
                        },
                        _ => Cell::new(text),
                    }
                })
                .collect();
            GridRow {
                line: 100 + at,
                cells,
                rule_above,
            }
        })
        .collect();
    Grid {
        line: 100,
        caption: caption.iter().map(|c| c.to_string()).collect(),
        rows,
    }
}

fn text(line: usize, words: &str) -> Block {
    Block::Text(Text {
        line,
        lines: vec![(line, words.to_string())],
        text: words.to_string(),
        ..Text::default()
    })
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        filing: Filing::default(),
        format: Format::Html,
        first_line: 1,
        blocks,
    }
}

fn read_grids(grids: Vec<Grid>, calendar: &FiscalCalendar) -> (Vec<Statement>, Warnings) {
    let doc = document(grids.into_iter().map(Block::Table).collect());
    let (financials, warnings) = read(&doc, calendar);
    (financials.map_or_else(Vec::new, |f| f.statements), warnings)
}

fn one(grid: Grid) -> (Statement, Warnings) {
    let (mut statements, warnings) = read_grids(vec![grid], &FiscalCalendar::default());
    assert_eq!(statements.len(), 1, "{warnings:?}");
    (statements.remove(0), warnings)
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn period(column: &Column) -> (NaiveDate, NaiveDate, u32) {
    match column {
        Column::Period {
            start, end, months, ..
        } => (*start, *end, *months),
        Column::Instant { date, .. } => panic!("an instant: {date}"),
    }
}

fn row<'a>(statement: &'a Statement, key: &str) -> &'a Row {
    statement
        .rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no row {key} in {:?}", statement.rows))
}

fn amounts(row: &Row) -> Vec<Option<i64>> {
    row.values
        .iter()
        .map(|v| match v {
            Some(Figure::Amount(a)) => Some(*a),
            _ => None,
        })
        .collect()
}

fn per_share(row: &Row) -> Vec<String> {
    row.values
        .iter()
        .map(|v| match v {
            Some(Figure::PerShare(d)) => d.to_string(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn apple_operations() -> Grid {
    grid(
        &[
            "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (Unaudited)",
            "(In millions, except number of shares, which are reflected in thousands, and per-share amounts)",
        ],
        &[
            &["", "Three Months Ended|2"],
            &["", "December 30, 2023", "December 31, 2022"],
            &["Net sales:", "", ""],
            &["Products", "$96,458", "$96,388"],
            &["Services", "23,117", "20,766"],
            &["-rule Total net sales", "119,575", "117,154"],
            &["Cost of sales:", "", ""],
            &["Products", "58,440", "60,765"],
            &["Services", "6,280", "6,057"],
            &["-rule Total cost of sales", "64,720", "66,822"],
            &["-rule Gross margin", "54,855", "50,332"],
            &["Operating income", "40,373", "36,016"],
            &[
                "Income before provision for income taxes",
                "40,323",
                "35,623",
            ],
            &["Provision for income taxes", "6,407", "5,625"],
            &["-rule Net income", "$33,916", "$29,998"],
            &["Earnings per share:", "", ""],
            &["Basic", "$2.19", "$1.89"],
            &["Diluted", "$2.18", "$1.88"],
            &["Shares used in computing earnings per share:", "", ""],
            &["Basic", "15,509,763", "15,892,723"],
            &["Diluted", "15,576,641", "15,955,718"],
        ],
    )
}

#[test]
fn thirteen_week_quarters_under_a_spanning_header_in_millions() {
    let (statement, warnings) = one(apple_operations());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(statement.kind, StatementKind::Operations);
    assert_eq!(
        statement.title,
        "Condensed Consolidated Statements of Operations"
    );
    // Thirteen weeks ending on a Saturday: the real start, 91 days before the day after.
    assert_eq!(
        period(&statement.columns[0]),
        (date("2023-10-01"), date("2023-12-30"), 3)
    );
    assert_eq!(
        period(&statement.columns[1]),
        (date("2022-10-01"), date("2022-12-31"), 3)
    );
    assert_eq!(
        amounts(row(&statement, "revenue")),
        [Some(119_575_000_000), Some(117_154_000_000)]
    );
    assert_eq!(
        amounts(row(&statement, "net_income")),
        [Some(33_916_000_000), Some(29_998_000_000)]
    );
    assert_eq!(per_share(row(&statement, "eps_diluted")), ["2.18", "1.88"]);
    assert_eq!(per_share(row(&statement, "eps_basic")), ["2.19", "1.89"]);
    // Shares "reflected in thousands".
    assert_eq!(
        amounts(row(&statement, "weighted_shares_diluted")),
        [Some(15_576_641_000), Some(15_955_718_000)]
    );
    assert_eq!(
        row(&statement, "cost_of_revenue").label,
        "Total cost of sales"
    );
    assert!(row(&statement, "cost_of_revenue").total);
    assert_eq!(row(&statement, "gross_profit").label, "Gross margin");
    assert_eq!(
        row(&statement, "products").section.as_deref(),
        Some("Net sales")
    );
    assert_eq!(
        row(&statement, "cost_of_revenue_products")
            .section
            .as_deref(),
        Some("Cost of sales")
    );
}

/// Apple's fiscal year ends on the last Saturday of September.
const SEPTEMBER: FiscalCalendar = FiscalCalendar {
    year_end_month: 9,
    year_end_day: 30,
    named_for_start: false,
};

fn starts(statement: &Statement) -> Vec<NaiveDate> {
    statement.columns.iter().map(|c| period(c).0).collect()
}

#[test]
fn a_quarter_the_release_says_had_14_weeks_starts_a_week_earlier() {
    let doc = document(vec![
        text(
            10,
            "Based on the Company\u{2019}s fiscal calendar, the Company\u{2019}s fiscal 2024 first \
             quarter had 13 weeks, while the Company\u{2019}s fiscal 2023 first quarter had 14 weeks.",
        ),
        Block::Table(apple_operations()),
    ]);
    let statements = read(&doc, &SEPTEMBER).0.unwrap().statements;
    assert_eq!(
        starts(&statements[0]),
        [date("2023-10-01"), date("2022-09-25")]
    );
    // Without the site's fiscal year the sentence names another quarter: nothing changes.
    let statements = read(&doc, &FiscalCalendar::default()).0.unwrap().statements;
    assert_eq!(
        starts(&statements[0]),
        [date("2023-10-01"), date("2022-10-01")]
    );
}

#[test]
fn a_stub_of_months_keeps_its_start() {
    let stub = grid(
        &["CONSOLIDATED STATEMENTS OF OPERATIONS", "(In thousands)"],
        &[
            &[
                "",
                "Two Months Ended December 31, 2023",
                "Year Ended December 31, 2023",
            ],
            &["Revenues", "1,000", "9,000"],
            &["Operating income", "100", "900"],
            &["Net income", "50", "450"],
        ],
    );
    let (statements, _) = read_grids(vec![stub], &FiscalCalendar::default());
    assert_eq!(
        starts(&statements[0]),
        [date("2023-11-01"), date("2023-01-01")]
    );
}

#[test]
fn a_printed_year_end_fourteen_weeks_back_makes_the_quarter_14_weeks() {
    let balance = grid(
        &["CONDENSED CONSOLIDATED BALANCE SHEETS", "(In millions)"],
        &[
            &["", "December 31, 2022", "September 24, 2022"],
            &["Cash and cash equivalents", "$20,535", "$23,646"],
            &["-rule Total assets", "$346,747", "$352,755"],
        ],
    );
    let (statements, warnings) = read_grids(vec![apple_operations(), balance], &SEPTEMBER);
    assert!(warnings.is_empty(), "{warnings:?}");
    // The quarter ended December 31, 2022 began the day after the year end printed 98 days
    // before it; the other quarter's start stays 13 weeks back (nothing printed says more).
    assert_eq!(
        starts(&statements[0]),
        [date("2023-10-01"), date("2022-09-25")]
    );
}

#[test]
fn the_fiscal_period_follows_the_sites_fiscal_year() {
    let calendar = FiscalCalendar {
        year_end_month: 9,
        year_end_day: 30,
        named_for_start: false,
    };
    let doc = document(vec![Block::Table(apple_operations())]);
    let (financials, _) = read(&doc, &calendar);
    assert_eq!(financials.unwrap().fiscal_period, "2024-Q1");
}

#[test]
fn dates_missing_their_year_take_it_from_the_header_row_below() {
    let grid = grid(
        &[
            "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS",
            "($ in millions, except per share data)",
        ],
        &[
            &["", "Three Months Ended May 31,|3", "Year Ended May 31,|2"],
            &["", "2022", "2021", "% Increase", "2022", "2021"],
            &[
                "Total revenues",
                "$11,840",
                "$11,230",
                "5%",
                "$42,440",
                "$40,479",
            ],
            &[
                "Operating income",
                "4,436",
                "4,561",
                "(3%)",
                "13,003",
                "15,213",
            ],
            &[
                "Net income",
                "$3,189",
                "$4,018",
                "(21%)",
                "$6,717",
                "$13,746",
            ],
            &["Diluted", "$1.16", "$1.41", "", "$2.41", "$4.55"],
        ],
    );
    let (statement, _) = one(grid);
    assert_eq!(statement.columns.len(), 4, "the % column is left out");
    assert_eq!(
        period(&statement.columns[0]),
        (date("2022-03-01"), date("2022-05-31"), 3)
    );
    assert_eq!(
        period(&statement.columns[2]),
        (date("2021-06-01"), date("2022-05-31"), 12)
    );
    assert_eq!(
        amounts(row(&statement, "revenue")),
        [
            Some(11_840_000_000),
            Some(11_230_000_000),
            Some(42_440_000_000),
            Some(40_479_000_000)
        ]
    );
    // A bare `Diluted` with no per-share heading above keeps its slug.
    assert!(statement.rows.iter().any(|r| r.key == "diluted"));
}

#[test]
fn week_headings_and_dates_run_together() {
    let grid = grid(
        &["CONSOLIDATED STATEMENTS OF INCOME", "(in thousands)"],
        &[
            &["", "Thirteen Weeks Ended|2", "Twenty-Six Weeks Ended|2"],
            &["", "May 1,2021", "May 2,2020", "May 1,2021", "May 2,2020"],
            &["Net sales", "1,000", "900", "2,000", "1,800"],
            &["Income before income taxes", "100", "90", "200", "180"],
            &["Net income", "80", "70", "160", "140"],
        ],
    );
    let (statement, _) = one(grid);
    assert_eq!(
        period(&statement.columns[0]),
        (date("2021-01-31"), date("2021-05-01"), 3)
    );
    assert_eq!(
        period(&statement.columns[2]),
        (date("2020-11-01"), date("2021-05-01"), 6)
    );
    assert_eq!(amounts(row(&statement, "revenue"))[0], Some(1_000_000));
}

#[test]
fn quarter_and_fiscal_year_headings_use_the_fiscal_calendar() {
    let calendar = FiscalCalendar {
        year_end_month: 5,
        year_end_day: 31,
        named_for_start: false,
    };
    let grid = grid(
        &["STATEMENTS OF OPERATIONS", "(in millions)"],
        &[
            &["", "Q4 FY22", "Q4 FY21", "Fiscal Year 2022"],
            &["Revenues", "11,840", "11,230", "42,440"],
            &["Income taxes", "10", "10", "40"],
            &["Net income", "3,189", "4,018", "6,717"],
        ],
    );
    let (statements, warnings) = read_grids(vec![grid], &calendar);
    assert!(warnings.is_empty(), "{warnings:?}");
    let statement = &statements[0];
    assert_eq!(
        period(&statement.columns[0]),
        (date("2022-03-01"), date("2022-05-31"), 3)
    );
    assert_eq!(
        period(&statement.columns[2]),
        (date("2021-06-01"), date("2022-05-31"), 12)
    );
    let quarter = grid_with_heading("Quarter Ended June 30, 2003");
    let (statement, _) = one(quarter);
    assert_eq!(
        period(&statement.columns[0]),
        (date("2003-04-01"), date("2003-06-30"), 3)
    );
}

fn grid_with_heading(heading: &str) -> Grid {
    grid(
        &["STATEMENTS OF OPERATIONS"],
        &[
            &["", heading],
            &["Revenues", "$ 100"],
            &["Income taxes", "1"],
            &["Net income", "10"],
        ],
    )
}

#[test]
fn balance_sheet_columns_are_instants_and_keys_come_from_the_vocabulary() {
    let grid = grid(
        &["CONDENSED CONSOLIDATED BALANCE SHEETS", "(In millions)"],
        &[
            &["", "December 30, 2023", "September 30, 2023"],
            &["ASSETS:", "", ""],
            &["Current assets:", "", ""],
            &["Cash and cash equivalents", "$40,760", "$29,965"],
            &["Accounts receivable, net", "23,194", "29,508"],
            &["-rule Total current assets", "63,954", "59,473"],
            &["Property, plant and equipment, net", "290,000", "293,000"],
            &["-rule Total assets", "$353,954", "$352,473"],
            &["Total liabilities", "279,414", "290,437"],
            &["Total shareholders' equity", "74,540", "62,036"],
            &[
                "-rule Total liabilities and shareholders' equity",
                "$353,954",
                "$352,473",
            ],
        ],
    );
    let (statement, warnings) = one(grid);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(statement.kind, StatementKind::BalanceSheet);
    assert_eq!(
        statement.columns[0],
        Column::Instant {
            label: "December 30, 2023".into(),
            date: date("2023-12-30")
        }
    );
    assert_eq!(
        amounts(row(&statement, "total_assets")),
        [Some(353_954_000_000), Some(352_473_000_000)]
    );
    for key in [
        "cash",
        "total_current_assets",
        "total_liabilities",
        "total_equity",
    ] {
        row(&statement, key);
    }
    assert!(row(&statement, "total_liabilities_and_equity").total);
    assert_eq!(
        row(&statement, "cash").section.as_deref(),
        Some("Current assets")
    );
}

#[test]
fn scale_phrases() {
    let scale = |line: &str| scale_of(&[line.to_string()]).unwrap();
    assert_eq!(scale("(In thousands)").amounts, 1_000);
    assert_eq!(scale("(000's omitted)").amounts, 1_000);
    assert_eq!(scale("$000").amounts, 1_000);
    assert_eq!(scale("(in billions)").amounts, 1_000_000_000);
    let millions = scale("(In millions, except per share data)");
    assert_eq!((millions.amounts, millions.shares), (1_000_000, 1_000_000));
    let except_shares = scale("(in thousands, except share and per share data)");
    assert_eq!((except_shares.amounts, except_shares.shares), (1_000, 1));
    let apple = scale(
        "(In millions, except number of shares, which are reflected in thousands, and per-share amounts)",
    );
    assert_eq!((apple.amounts, apple.shares), (1_000_000, 1_000));
    assert_eq!(scale("Net sales were up").amounts, 1);
    assert!(scale_of(&["(In thousands)".into(), "(In millions)".into()]).is_err());
    let separate = scale_of(&["(In millions)".into(), "(Shares in thousands)".into()]).unwrap();
    assert_eq!((separate.amounts, separate.shares), (1_000_000, 1_000));
    let both = scale("(Dollars in millions, shares in thousands)");
    assert_eq!((both.amounts, both.shares), (1_000_000, 1_000));
    // The scale word alone opening the brackets (Sears, 2004).
    let bare = scale("(millions, except earnings per common share)");
    assert_eq!((bare.amounts, bare.shares), (1_000_000, 1_000_000));
    assert_eq!(scale("($ thousands)").amounts, 1_000);
    assert_eq!(scale("(millions of dollars)").amounts, 1_000_000);
    // The scale of a count, not of the money.
    assert_eq!(scale("(millions of shares)").amounts, 1);
    assert_eq!(scale("(Dollars millions)").amounts, 1_000_000);
}

#[test]
fn per_share_figures_are_exact_and_keep_their_sign() {
    let figure = |text: &str, unit| parse_figure(text, unit, 1000);
    assert_eq!(
        figure("$(4,679)", Unit::Currency),
        Ok(Figure::Amount(-4_679_000))
    );
    assert_eq!(figure("\u{2014}", Unit::Currency), Ok(Figure::Amount(0)));
    let Ok(Figure::PerShare(zero)) = figure("(0.00)", Unit::PerShare) else {
        panic!("not per share");
    };
    assert_eq!(zero.to_string(), "-0.00");
    assert_eq!(
        figure("$.06", Unit::PerShare),
        Ok(Figure::PerShare(Decimal::new(6, 2)))
    );
    assert!(figure("1.5555", Unit::Currency).is_err());
    assert!(parse_figure("99,999,999,999,999,999,999", Unit::Currency, 1_000_000).is_err());
}

#[test]
fn cash_flows_and_the_text_above_a_grid_name_it() {
    let grid = grid(
        &[],
        &[
            &["", "Three Months Ended|2"],
            &["", "December 30, 2023", "December 31, 2022"],
            &["Net income", "$33,916", "$29,998"],
            &["Cash generated by operating activities", "39,895", "34,005"],
            &[
                "Payments for acquisition of property, plant and equipment",
                "(2,392)",
                "(3,787)",
            ],
            &[
                "Cash generated by/(used in) investing activities",
                "1,927",
                "(1,445)",
            ],
            &["Cash used in financing activities", "(30,585)", "(35,563)"],
            &[
                "Increase/(Decrease) in cash, cash equivalents, and restricted cash",
                "11,237",
                "(3,003)",
            ],
        ],
    );
    let doc = document(vec![
        text(
            10,
            "CONDENSED CONSOLIDATED STATEMENTS OF CASH FLOWS (Unaudited)",
        ),
        text(11, "(In millions)"),
        Block::Table(grid),
    ]);
    let (financials, warnings) = read(&doc, &FiscalCalendar::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    let statement = &financials.unwrap().statements[0];
    assert_eq!(statement.kind, StatementKind::CashFlow);
    assert_eq!(
        amounts(row(statement, "operating_cash_flow")),
        [Some(39_895_000_000), Some(34_005_000_000)]
    );
    row(statement, "capital_expenditures");
    row(statement, "investing_cash_flow");
    row(statement, "financing_cash_flow");
    row(statement, "net_change_in_cash");
}

#[test]
fn non_gaap_tables_and_repeated_statements_are_other() {
    let reconciliation = grid(
        &[
            "RECONCILIATION OF SELECTED GAAP MEASURES TO NON-GAAP MEASURES",
            "($ in millions)",
        ],
        &[
            &["", "Three Months Ended May 31, 2022"],
            &["Total revenues", "$11,840"],
            &["Operating income", "4,436"],
            &["Net income", "3,189"],
        ],
    );
    let summary = grid(
        &["($ in millions)"],
        &[
            &["", "Three Months Ended May 31, 2022"],
            &["Total revenues", "$11,840"],
            &["Operating income", "4,436"],
            &["Net income", "3,189"],
        ],
    );
    let full = grid(
        &[
            "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS",
            "($ in millions)",
        ],
        &[
            &["", "Three Months Ended May 31, 2022"],
            &["Total revenues", "$11,840"],
            &["Total operating expenses", "7,404"],
            &["Operating income", "4,436"],
            &["Provision for income taxes", "500"],
            &["Net income", "3,189"],
        ],
    );
    let (statements, _) = read_grids(
        vec![summary, reconciliation, full],
        &FiscalCalendar::default(),
    );
    let kinds: Vec<StatementKind> = statements.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StatementKind::Other,
            StatementKind::Other,
            StatementKind::Operations
        ]
    );
    assert!(
        statements[1]
            .title
            .to_lowercase()
            .starts_with("reconciliation of selected gaap")
    );
}

#[test]
fn labels_map_to_the_vocabulary() {
    let cases = [
        ("Net loss", "net_income"),
        ("Net income (loss)", "net_income"),
        ("Net income attributable to Southern Company", "net_income"),
        (
            "Net income attributable to noncontrolling interests",
            "net_income_noncontrolling",
        ),
        ("Loss before income taxes", "pretax_income"),
        ("Provision (benefit) for income taxes", "income_tax"),
        ("Gross profit (loss)", "gross_profit"),
        ("Revenues", "revenue"),
        ("SALES, Net of returns and allowances", "revenue"),
        ("NET INCOME AS REPORTED (See Note)", "net_income"),
        ("Net income (see notes 2 and 3)", "net_income"),
        ("Net sales, net of discounts", "revenue"),
        ("Net sales", "revenue"),
        ("Total net revenue", "revenue"),
        ("Operating revenues", "revenue"),
        ("Cost of sales", "cost_of_revenue"),
        ("Total operating expenses", "operating_expenses"),
        ("Income from operations", "operating_income"),
        ("Interest expense", "interest_expense"),
        ("Basic and diluted per share amounts", "eps_basic_diluted"),
        ("Diluted earnings per share", "eps_diluted"),
        ("Basic net income per share", "eps_basic"),
        (
            "Weighted average shares outstanding - basic and diluted",
            "weighted_shares_basic_diluted",
        ),
        (
            "Weighted average shares outstanding - diluted",
            "weighted_shares_diluted",
        ),
        (
            "Total liabilities and shareholders' equity",
            "total_liabilities_and_equity",
        ),
        ("Total stockholders' equity", "total_equity"),
        ("Shareholders' equity", "shareholders_equity"),
        (
            "Cash and marketable securities",
            "cash_and_marketable_securities",
        ),
        (
            "Net cash provided by (used in) operating activities",
            "operating_cash_flow",
        ),
        (
            "Purchases of property and equipment",
            "capital_expenditures",
        ),
        (
            "Adjusted diluted earnings per share",
            "adjusted_diluted_earnings_per_share",
        ),
        (
            "Dividends declared per share",
            "dividends_declared_per_share",
        ),
        (
            "Proceeds from sales of marketable securities",
            "proceeds_from_sales_of_marketable_securities",
        ),
        ("Other income (loss), net", "other_income_net"),
        (
            "Common stock, $0.00001 par value: 50,400,000 shares authorized",
            "common_stock_0_00001_par_value_50_400",
        ),
    ];
    for (label, key) in cases {
        assert_eq!(key_for_label(label), key, "{label}");
    }
    assert_eq!(unit_of_key("dividends_declared_per_share"), Unit::PerShare);
}

#[test]
fn bad_tables_warn_and_are_kept_as_other_or_skipped() {
    let calendar = FiscalCalendar::default();
    // Ragged: a row narrower than the table.
    let mut ragged = grid_with_heading("Three Months Ended June 30, 2003");
    ragged.rows[2].cells.pop();
    let (statements, warnings) = read_grids(vec![ragged], &calendar);
    assert!(statements.is_empty());
    assert_eq!(warnings.len(), 1);
    // A column of text.
    let mut text_column = grid_with_heading("Three Months Ended June 30, 2003");
    text_column.rows[2].cells[1].text = "see note".into();
    let (statement, warnings) = one(text_column);
    assert_eq!(statement.kind, StatementKind::Other);
    assert!(warnings[0].message.contains("see note"), "{warnings:?}");
    // Too large for 64 bits at the scale.
    let mut huge = grid_with_heading("Three Months Ended June 30, 2003");
    huge.caption.push("(in billions)".into());
    huge.rows[1].cells[1].text = "$99,999,999,999".into();
    let (statement, warnings) = one(huge);
    assert_eq!(statement.kind, StatementKind::Other);
    assert_eq!(warnings.len(), 1);
    // Two scales.
    let mut two = grid_with_heading("Three Months Ended June 30, 2003");
    two.caption
        .extend(["(in thousands)".to_string(), "(in millions)".to_string()]);
    let (statement, warnings) = one(two);
    assert_eq!(statement.kind, StatementKind::Other);
    assert!(warnings[0].message.contains("two scales"));
    // A total that does not add up.
    let bad_total = grid(
        &["BALANCE SHEET"],
        &[
            &["", "June 30, 2003"],
            &["Current assets", ""],
            &["Cash", "10"],
            &["Receivables", "20"],
            &["Total current assets", "31"],
        ],
    );
    let (statement, warnings) = one(bad_total);
    assert_eq!(statement.kind, StatementKind::Other);
    assert!(
        warnings[0].message.contains("Total current assets"),
        "{warnings:?}"
    );
}

proptest::proptest! {
    #[test]
    fn any_grid_reads_without_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec(
                (proptest::sample::select(vec![
                    "", "Revenues", "Net income", "$(1,234)", "2023", "December 30, 2023",
                    "Three Months Ended", "13 Weeks Ended", "% Change", "(0.00)", "\u{2014}",
                    "99999999999999999999999", "Total assets", "Basic", "Q4 FY22", "(1) Note",
                    "(In millions)", "1.5", "ASSETS:", "$",
                ]), 1..3usize),
                1..6,
            ),
            0..12,
        ),
        caption in proptest::collection::vec(proptest::sample::select(vec![
            "BALANCE SHEET", "STATEMENTS OF CASH FLOWS", "(in thousands)", "Non-GAAP", "",
        ]), 0..3),
    ) {
        let grid = Grid {
            line: 1,
            caption: caption.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|cells| GridRow {
                    line: 1,
                    cells: cells
                        .iter()
                        .map(|(text, span)| Cell { text: text.to_string(), span: *span, bold: false })
                        .collect(),
                    rule_above: false,
                })
                .collect(),
        };
        let doc = document(vec![text(1, "Balance sheet"), Block::Table(grid)]);
        let _ = read(&doc, &FiscalCalendar { year_end_month: 2, year_end_day: 31, named_for_start: false });
    }
}

#[test]
fn a_caption_gives_year_only_columns_their_period_and_continued_tables_join() {
    let first = grid(
        &[
            "CONSOLIDATED STATEMENTS OF CASH FLOWS",
            "Year Ended December 31",
            "(in thousands)",
        ],
        &[
            &["", "2023", "2022"],
            &["Net income", "100", "90"],
            &["Net cash provided by operating activities", "150", "120"],
        ],
    );
    let second = grid(
        &[
            "CONSOLIDATED STATEMENTS OF CASH FLOWS (continued)",
            "Year Ended December 31",
            "(in thousands)",
        ],
        &[
            &["", "2023", "2022"],
            &["Net cash used in investing activities", "(50)", "(40)"],
        ],
    );
    let (statements, warnings) = read_grids(vec![first, second], &FiscalCalendar::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(statements.len(), 1);
    let cash = &statements[0];
    assert_eq!(
        period(&cash.columns[0]),
        (date("2023-01-01"), date("2023-12-31"), 12)
    );
    assert_eq!(
        amounts(row(cash, "investing_cash_flow")),
        [Some(-50_000), Some(-40_000)]
    );
    // The year above the month and day.
    let balance = grid(
        &["BALANCE SHEETS"],
        &[
            &["", "2023", "2022"],
            &["", "December 31", "December 31"],
            &["Total assets", "10", "9"],
        ],
    );
    let (statement, _) = one(balance);
    assert_eq!(statement.columns[1].end(), date("2022-12-31"));
    assert_eq!(
        key_for_label("Net income applicable to common shares"),
        "net_income"
    );
    assert_eq!(key_for_label("Revenue, net"), "revenue");
}

#[test]
fn marks_of_no_figure_are_blank_and_footnote_marks_are_ignored() {
    let mut grid = grid_with_heading("Three Months Ended June 30, 2003");
    grid.rows[2].cells[1].text = "n/m".into();
    grid.rows[3].cells[1].text = "$ 10 (a)".into();
    let (statement, warnings) = one(grid);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(statement.kind, StatementKind::Operations);
    assert_eq!(amounts(row(&statement, "income_tax")), [None]);
    assert_eq!(amounts(row(&statement, "net_income")), [Some(10)]);
    assert_eq!(
        key_for_label("Total liabilities and stockholders' deficit"),
        "total_liabilities_and_equity"
    );
}

#[test]
fn per_share_phrasings() {
    let cases = [
        ("Earnings per share - assuming dilution", "eps_diluted"),
        ("Net income per diluted share", "eps_diluted"),
        ("Diluted EPS", "eps_diluted"),
        (
            "Earnings per share - basic and diluted",
            "eps_basic_diluted",
        ),
        ("Net income available for common stockholders", "net_income"),
        (
            "Weighted average common shares outstanding - diluted",
            "weighted_shares_diluted",
        ),
        ("Diluted shares", "weighted_shares_diluted"),
        (
            "Shares used in computing diluted net income per share",
            "weighted_shares_diluted",
        ),
        ("Diluted net income per share", "eps_diluted"),
    ];
    for (label, key) in cases {
        assert_eq!(key_for_label(label), key, "{label}");
    }
    // Under a section that is the variant alone (Sears, 2004): the total is the EPS, its parts
    // keep their slugs.
    let under = |label: &str, section: &str| key_in_context(label, Some(section));
    assert_eq!(
        under("Earnings/ (loss) per share", "Diluted"),
        "eps_diluted"
    );
    assert_eq!(under("Earnings/ (loss) per share", "Basic"), "eps_basic");
    assert_ne!(
        under(
            "Earnings per share before cumulative effect of change in accounting principle",
            "Diluted"
        ),
        "eps_diluted"
    );
    assert_ne!(
        under("Earnings per share", "Operating expenses"),
        "eps_diluted"
    );
}

/// A typed statement of the 1990s, through the plain-text front end's geometry.
#[test]
fn a_typed_statement_with_dotted_leaders_reads_end_to_end() {
    let text = "
                          XYZ CORPORATION
                 CONSOLIDATED STATEMENTS OF INCOME
               (In thousands, except per share data)
                            (Unaudited)

                                 Three Months Ended      Nine Months Ended
                                    September 30,          September 30,
                                 ------------------     ------------------
                                  1998       1997        1998       1997
                                 -------    -------     -------    -------
Net sales.....................   $45,123    $40,456    $130,234   $120,345
Cost of sales.................    30,000     27,000      87,000     80,000
                                 -------    -------     -------    -------
Gross profit..................    15,123     13,456      43,234     40,345
Income taxes..................     2,000      1,500       6,000      5,000
Net income....................   $ 3,000    $ 2,500     $ 9,000    $ 8,000
                                 =======    =======     =======    =======
Earnings per share:
  Basic.......................     $0.30      $0.25       $0.90      $0.80
  Diluted.....................     $0.29      $0.24       $0.88      $0.78
Weighted average shares:
  Basic.......................    10,000     10,000      10,000     10,000
  Diluted.....................    10,300     10,300      10,300     10,300
";
    let lines = crate::ingest::text::lines(text, 1);
    let (regions, warnings) = crate::ingest::source::plain_tables::split(&lines);
    assert!(warnings.is_empty(), "{warnings:?}");
    let blocks = regions
        .into_iter()
        .filter_map(|r| match r {
            crate::ingest::source::plain_tables::Region::Table(grid) => Some(Block::Table(grid)),
            crate::ingest::source::plain_tables::Region::Prose(_) => None,
        })
        .collect();
    let (financials, warnings) = read(&document(blocks), &FiscalCalendar::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    let financials = financials.unwrap();
    assert_eq!(financials.fiscal_period, "1998-Q3");
    let statement = &financials.statements[0];
    assert_eq!(statement.kind, StatementKind::Operations);
    assert_eq!(statement.title, "Consolidated Statements of Income");
    assert_eq!(
        period(&statement.columns[2]),
        (date("1998-01-01"), date("1998-09-30"), 9)
    );
    assert_eq!(
        amounts(row(statement, "revenue")),
        [
            Some(45_123_000),
            Some(40_456_000),
            Some(130_234_000),
            Some(120_345_000)
        ]
    );
    assert!(row(statement, "gross_profit").total);
    assert_eq!(
        per_share(row(statement, "eps_diluted")),
        ["0.29", "0.24", "0.88", "0.78"]
    );
    assert_eq!(
        amounts(row(statement, "weighted_shares_diluted")),
        [Some(10_300_000); 4]
    );
}

#[test]
fn weeks_are_months_of_a_fiscal_calendar() {
    let calendar = FiscalCalendar::default();
    let column = |heading: &str| match read_column(heading, None, false, &calendar) {
        ColumnReading::Column(column) => period(&column),
        _ => panic!("no period in {heading}"),
    };
    assert_eq!(
        column("39 Weeks Ended September 28, 2024"),
        (date("2023-12-31"), date("2024-09-28"), 9)
    );
    assert_eq!(
        column("52 Weeks Ended September 28, 2024"),
        (date("2023-10-01"), date("2024-09-28"), 12)
    );
    assert_eq!(
        column("Fifty-three weeks ended October 1, 2022"),
        (date("2021-09-26"), date("2022-10-01"), 12)
    );
    assert!(matches!(
        read_column("Variance", None, false, &calendar),
        ColumnReading::NotAPeriod
    ));
    assert!(matches!(
        read_column("Change", None, false, &calendar),
        ColumnReading::NotAPeriod
    ));
}

#[test]
fn a_table_that_states_no_scale_takes_the_one_stated_above() {
    let operations = grid(
        &[
            "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS",
            "($ in millions)",
        ],
        &[
            &["", "Three Months Ended May 31, 2022"],
            &["Total revenues", "$11,840"],
            &["Net income", "3,189"],
        ],
    );
    let footnote = grid(
        &["Stock-based compensation was included in the following categories"],
        &[
            &["", "Three Months Ended May 31, 2022"],
            &["Sales and marketing", "120"],
            &["Research and development", "445"],
        ],
    );
    let (statements, _) = read_grids(vec![operations, footnote], &FiscalCalendar::default());
    assert_eq!(
        amounts(row(&statements[1], "research_and_development")),
        [Some(445_000_000)]
    );
    let (alone, _) = one(grid(
        &["Stock-based compensation"],
        &[
            &["", "Three Months Ended May 31, 2022"],
            &["Research and development", "445"],
        ],
    ));
    assert_eq!(
        amounts(row(&alone, "research_and_development")),
        [Some(445)]
    );
}

#[test]
fn columns_repeating_one_period_carry_their_own_heading_words() {
    let (statement, _) = one(grid(
        &[
            "Reconciliation of Selected GAAP Measures to Non-GAAP Measures",
            "($ in millions)",
        ],
        &[
            &["", "Three Months Ended May 31, 2022|2"],
            &["", "GAAP", "Non-GAAP"],
            &["Net income", "3,189", "4,235"],
        ],
    ));
    let labels: Vec<&str> = statement.columns.iter().map(Column::label).collect();
    assert_eq!(
        labels,
        [
            "Three Months Ended May 31, 2022 (GAAP)",
            "Three Months Ended May 31, 2022 (Non-GAAP)"
        ]
    );
}

#[test]
fn cells_read_as_figures_in_every_printed_form() {
    let read = |text: &str| parse_number(text).map(|d| d.to_string());
    for (cell, figure) in [
        ("1,234", Some("1234")),
        ("(1,234)", Some("-1234")),
        ("$ (5.2)", Some("-5.2")),
        ("$-5", Some("-5")),
        ("- 5", Some("-5")),
        ("\u{2212}0.25", Some("-0.25")),
        (".25", Some("0.25")),
        ("12)", Some("12")),
        ("1,234 *", Some("1234")),
        ("12 (a)", Some("12")),
        ("\u{2014}", Some("0")),
        ("$ -", Some("0")),
        ("5.", None),
        (".", None),
        ("12 (abc)", None),
        ("5 * *", None),
        ("N/A", None),
        ("Revenue", None),
    ] {
        assert_eq!(read(cell).as_deref(), figure, "{cell}");
    }
}
