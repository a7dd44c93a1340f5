//! Fiscal periods: what a column of figures is about.
//!
//! A statement of operations column covers a span of months (a quarter, the year to date, a whole
//! fiscal year); a balance-sheet column is one day. The ledger keys every figure by one of these,
//! so that the "three months ended September 30, 2003" of one release and of the next are the same
//! period. Fiscal years are named after the calendar year they end in (`Quarter::containing`).

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::model::{Column, FiscalCalendar, Quarter, fiscal_month_end, fiscal_month_start};

/// A fiscal period a figure belongs to. Printed (and parsed) as `2003-Q3`, `2003-9M`, `2003-FY`
/// or `2003-09-30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Three months: `2003-Q3`.
    Quarter(Quarter),
    /// From the start of the fiscal year to the end of its second or third quarter: `2003-6M`,
    /// `2003-9M`. (Three months to date is the first quarter; twelve is the fiscal year.)
    YearToDate { year: i32, months: u32 },
    /// The whole fiscal year: `2003-FY`.
    FiscalYear(i32),
    /// A balance-sheet date: `2003-09-30`.
    Instant(NaiveDate),
}

impl Period {
    /// Parses the printed form, `2003-Q3`, `2003-6M`, `2003-9M`, `2003-FY` or `2003-09-30`.
    pub fn parse(text: &str) -> Option<Period> {
        if let Some(quarter) = Quarter::parse(text) {
            return Some(Period::Quarter(quarter));
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Period::Instant(date));
        }
        let (year, span) = text.split_once('-')?;
        let year: i32 = year.parse().ok()?;
        match span {
            "FY" => Some(Period::FiscalYear(year)),
            "6M" => Some(Period::YearToDate { year, months: 6 }),
            "9M" => Some(Period::YearToDate { year, months: 9 }),
            _ => None,
        }
    }

    /// The fiscal year a flow period belongs to; the calendar year of an instant.
    pub fn year(self) -> i32 {
        match self {
            Period::Quarter(q) => q.year,
            Period::YearToDate { year, .. } | Period::FiscalYear(year) => year,
            Period::Instant(date) => date.year(),
        }
    }

    /// How many months a flow period covers; 0 for an instant.
    pub fn months(self) -> u32 {
        match self {
            Period::Quarter(_) => 3,
            Period::YearToDate { months, .. } => months,
            Period::FiscalYear(_) => 12,
            Period::Instant(_) => 0,
        }
    }

    pub fn quarter(self) -> Option<Quarter> {
        match self {
            Period::Quarter(q) => Some(q),
            _ => None,
        }
    }

    /// The same period one year earlier (for "compared with the same quarter of 2002").
    pub fn year_before(self) -> Period {
        match self {
            Period::Quarter(q) => Period::Quarter(q.previous_year()),
            Period::YearToDate { year, months } => Period::YearToDate {
                year: year - 1,
                months,
            },
            Period::FiscalYear(year) => Period::FiscalYear(year - 1),
            Period::Instant(date) => Period::Instant(
                date.with_year(date.year() - 1)
                    // February 29 has no twin a year before: use the 28th.
                    .or_else(|| date.pred_opt().and_then(|d| d.with_year(d.year() - 1)))
                    .unwrap_or(date),
            ),
        }
    }

    /// A name for readers: `Third Quarter 2003`, `Nine Months 2003`, `Fiscal Year 2003`,
    /// `September 30, 2003`.
    pub fn long_name(self) -> String {
        match self {
            Period::Quarter(q) => q.long_name(),
            Period::YearToDate { year, months } => {
                let count = if months == 6 { "Six" } else { "Nine" };
                format!("{count} Months {year}")
            }
            Period::FiscalYear(year) => format!("Fiscal Year {year}"),
            Period::Instant(date) => date.format("%B %-d, %Y").to_string(),
        }
    }

    /// Orders periods in time: by fiscal year, then by the quarter they end in, shorter spans
    /// first (`2003-Q3` before `2003-9M`); balance-sheet dates by date, after all spans.
    fn sort_key(self) -> (u8, i32, u32, u32) {
        match self {
            Period::Quarter(q) => (0, q.year, q.number * 3, 3),
            Period::YearToDate { year, months } => (0, year, months, months),
            Period::FiscalYear(year) => (0, year, 12, 12),
            Period::Instant(date) => (1, date.year(), date.ordinal(), 0),
        }
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Quarter(q) => write!(f, "{q}"),
            Period::YearToDate { year, months } => write!(f, "{year}-{months}M"),
            Period::FiscalYear(year) => write!(f, "{year}-FY"),
            Period::Instant(date) => write!(f, "{}", date.format("%Y-%m-%d")),
        }
    }
}

impl FiscalCalendar {
    /// The fiscal period a printed column covers, or `None` when it is no quarter, year to date
    /// or fiscal year of this calendar (a trailing twelve months, a two-month stub, a column whose
    /// dates contradict its month count). Fiscal quarters are matched by month, so a 52/53-week
    /// year ending a few days before the month's end still finds its quarter.
    pub fn period_of(&self, column: &Column) -> Option<Period> {
        match column {
            Column::Instant { date, .. } => Some(Period::Instant(*date)),
            Column::Period {
                start, end, months, ..
            } => {
                // 13/26/39/52/53-week periods start and end within a week of a month's turn:
                // counted in the months they stand for, the same rule as `Quarter::of_period_end`.
                let (start, end) = (fiscal_month_start(*start), fiscal_month_end(*end));
                let months_covered = month_index(end) - month_index(start) + 1;
                if *months == 0 || i64::from(*months) != months_covered {
                    return None;
                }
                let months_into_year = (end.month() + 11 - self.year_end_month) % 12 + 1;
                if !months_into_year.is_multiple_of(3) {
                    return None;
                }
                let quarter = self.quarter_ending(end);
                match *months {
                    3 => Some(Period::Quarter(quarter)),
                    m if m == months_into_year && m == 12 => Some(Period::FiscalYear(quarter.year)),
                    m if m == months_into_year => Some(Period::YearToDate {
                        year: quarter.year,
                        months: m,
                    }),
                    _ => None,
                }
            }
        }
    }
}

/// Months since year 0, so that two dates' month distance is a subtraction.
fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: &str, end: &str, months: u32) -> Column {
        Column::Period {
            label: String::new(),
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
            months,
        }
    }

    #[test]
    fn columns_map_to_fiscal_periods() {
        let december = FiscalCalendar::default();
        let cases = [
            (span("2003-07-01", "2003-09-30", 3), "2003-Q3"),
            (span("2003-01-01", "2003-09-30", 9), "2003-9M"),
            (span("2003-01-01", "2003-06-30", 6), "2003-6M"),
            (span("2003-01-01", "2003-12-31", 12), "2003-FY"),
        ];
        for (column, expected) in cases {
            assert_eq!(december.period_of(&column).unwrap().to_string(), expected);
        }
    }

    #[test]
    fn a_june_fiscal_year_names_quarters_after_the_year_they_end_in() {
        let june = FiscalCalendar {
            year_end_month: 6,
            year_end_day: 30,
            named_for_start: false,
        };
        let q1 = span("2003-07-01", "2003-09-30", 3);
        assert_eq!(june.period_of(&q1).unwrap().to_string(), "2004-Q1");
        let half = span("2003-07-01", "2003-12-31", 6);
        assert_eq!(june.period_of(&half).unwrap().to_string(), "2004-6M");
    }

    #[test]
    fn weeks_ending_near_a_month_end_are_that_months_periods() {
        let september = FiscalCalendar {
            year_end_month: 9,
            year_end_day: 30,
            named_for_start: false,
        };
        let q1 = span("2023-10-01", "2023-12-30", 3);
        assert_eq!(september.period_of(&q1).unwrap().to_string(), "2024-Q1");
        let year = span("2022-09-25", "2023-09-30", 12);
        assert_eq!(september.period_of(&year).unwrap().to_string(), "2023-FY");
        let long_year = span("2021-09-26", "2022-10-01", 12);
        assert_eq!(
            september.period_of(&long_year).unwrap().to_string(),
            "2022-FY"
        );
    }

    #[test]
    fn columns_that_are_no_fiscal_period_are_refused() {
        let december = FiscalCalendar::default();
        // Trailing twelve months, dates that contradict the month count, a two-month stub.
        assert_eq!(
            december.period_of(&span("2002-10-01", "2003-09-30", 12)),
            None
        );
        assert_eq!(
            december.period_of(&span("2003-04-01", "2003-09-30", 3)),
            None
        );
        assert_eq!(
            december.period_of(&span("2003-08-01", "2003-09-30", 2)),
            None
        );
    }

    #[test]
    fn periods_print_parse_and_sort_in_time() {
        let texts = [
            "2002-Q3",
            "2003-Q1",
            "2003-6M",
            "2003-Q3",
            "2003-9M",
            "2003-FY",
            "2002-12-31",
        ];
        let periods: Vec<Period> = texts.iter().map(|t| Period::parse(t).unwrap()).collect();
        let printed: Vec<String> = periods.iter().map(Period::to_string).collect();
        assert_eq!(printed, texts);
        let mut sorted = periods.clone();
        sorted.sort();
        assert_eq!(sorted, periods);
        assert_eq!(Period::parse("2003-5M"), None);
        assert_eq!(periods[3].year_before().to_string(), "2002-Q3");
    }
}
