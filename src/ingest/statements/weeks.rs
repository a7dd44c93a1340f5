//! The 14-week quarters and 53-week years of a 52/53-week fiscal calendar.
//!
//! A heading such as `Three Months Ended December 31, 2022` does not say whether the quarter
//! had 13 weeks or 14, so a column is first read as 13 weeks a quarter. The release often says
//! more: its text (`the Company's fiscal 2023 first quarter had 14 weeks`, `fiscal 2022 included
//! a 53rd week`), or another column that ends exactly where a longer period would start (the
//! balance sheet's prior year end). Both are read here, after every table, so that a column's
//! start is the real one wherever the release tells it.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::{Duration, NaiveDate};
use regex::Regex;

use super::super::doc::{Block, Document};
use crate::model::{Column, FiscalCalendar, Quarter, Statement};

/// Sets the start of each period column whose heading named months (not weeks) and whose
/// start is not already the day after a printed column's end: to the day after the end that
/// another column prints 13 or 14 weeks a quarter back, or else a week earlier when the text
/// says the period was long. A calendar-month company's columns start after a printed end (the
/// prior year end) or keep their start: no printed date falls 13 or 14 weeks a quarter back.
pub(super) fn fit_long_periods(
    statements: &mut [Statement],
    document: &Document,
    calendar: &FiscalCalendar,
) {
    // Most columns are settled by the dates printed; the text is read only if one is not.
    let told = std::cell::LazyCell::new(|| LongPeriods::told_in(document));
    let boundaries: BTreeSet<NaiveDate> = statements
        .iter()
        .flat_map(|s| &s.columns)
        .map(Column::end)
        .collect();
    let follows_printed_end = |start: NaiveDate| {
        start
            .pred_opt()
            .is_some_and(|day| boundaries.contains(&day))
    };
    for column in statements.iter_mut().flat_map(|s| &mut s.columns) {
        let Column::Period {
            label,
            start,
            end,
            months,
        } = column
        else {
            continue;
        };
        // Only whole quarters count in weeks: a one- or two-month stub keeps its start.
        if *months == 0
            || !months.is_multiple_of(3)
            || is_weeks_label(label)
            || follows_printed_end(*start)
        {
            continue;
        }
        let weeks = i64::from(*months / 3 * 13);
        let [short, long] = [weeks, weeks + 1].map(|w| *end - Duration::days(w * 7 - 1));
        *start = match (follows_printed_end(short), follows_printed_end(long)) {
            (true, false) => short,
            (false, true) => long,
            _ if told.lengthens(calendar.quarter_ending(*end), *months) => long,
            _ => *start,
        };
    }
}

/// `13 Weeks Ended December 30, 2023`: a column whose heading counted weeks, so its start is
/// known.
pub(super) fn weeks_label(weeks: u32, date_text: &str) -> String {
    format!("{weeks} Weeks Ended {date_text}")
}

fn is_weeks_label(label: &str) -> bool {
    label.contains(" Weeks Ended ")
}

/// What the release's text says was longer than usual.
#[derive(Default)]
struct LongPeriods {
    /// Fiscal quarters of 14 weeks.
    quarters: Vec<Quarter>,
    /// Fiscal years of 53 weeks.
    years: Vec<i32>,
}

impl LongPeriods {
    fn told_in(document: &Document) -> LongPeriods {
        let mut told = LongPeriods::default();
        for text in document.blocks.iter().filter_map(Block::as_text) {
            if !mentions_weeks(&text.text) {
                continue;
            }
            for clause in clauses(&text.text) {
                told.read_clause(clause);
            }
        }
        told
    }

    fn read_clause(&mut self, clause: &str) {
        static LONG_QUARTER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:14|fourteen)[-\s]weeks?\b|\b(?:extra|additional|14th|fourteenth)\s+week\b").unwrap()
        });
        static LONG_YEAR: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?i)\b(?:53|fifty[-\s]three)[-\s]weeks?\b|\b(?:53rd|fifty[-\s]third)\s+week\b",
            )
            .unwrap()
        });
        let Some(year) = fiscal_year_in(clause) else {
            return;
        };
        match quarter_number_in(clause) {
            Some(number) if LONG_QUARTER.is_match(clause) => {
                self.quarters.push(Quarter { year, number })
            }
            None if LONG_YEAR.is_match(clause) => self.years.push(year),
            _ => {}
        }
    }

    /// Whether a period of `months` months that closes fiscal quarter `last` takes in a long
    /// quarter or is a long year. Periods of 6, 9 and 12 months run from the fiscal year's start.
    fn lengthens(&self, last: Quarter, months: u32) -> bool {
        let quarters = months / 3;
        let covers = |q: &Quarter| {
            q.year == last.year && q.number <= last.number && q.number + quarters > last.number
        };
        self.quarters.iter().any(covers) || (months == 12 && self.years.contains(&last.year))
    }
}

/// A cheap test before the clause patterns: most text blocks never mention weeks.
fn mentions_weeks(text: &str) -> bool {
    text.contains("week") || text.contains("Week") || text.contains("WEEK")
}

/// A sentence cut where it turns to another period (`…had 13 weeks, while … had 14 weeks`).
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    static TURN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[.;]\s|,?\s+(?:while|whereas|compared|versus|vs\.|as opposed)\s").unwrap()
    });
    TURN.split(text)
}

/// `first quarter`, `Q1`: the quarter's number.
fn quarter_number_in(clause: &str) -> Option<u32> {
    static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:(?P<word>first|second|third|fourth)[-\s]+(?:fiscal\s+)?quarter|q(?P<digit>[1-4]))\b").unwrap()
    });
    let found = QUARTER.captures(clause)?;
    if let Some(digit) = found.name("digit") {
        return digit.as_str().parse().ok();
    }
    let word = found.name("word")?.as_str().to_lowercase();
    ["first", "second", "third", "fourth"]
        .iter()
        .position(|ordinal| *ordinal == word)
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// `fiscal 2023`, `2023`, `FY23`: the fiscal year a clause names.
fn fiscal_year_in(clause: &str) -> Option<i32> {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<full>(?:19|20)\d\d)\b|\bfy\s?'?(?P<short>\d\d)\b").unwrap()
    });
    let found = YEAR.captures(clause)?;
    match (found.name("full"), found.name("short")) {
        (Some(full), _) => full.as_str().parse().ok(),
        (None, Some(short)) => short.as_str().parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn told(text: &str) -> LongPeriods {
        let mut told = LongPeriods::default();
        for clause in clauses(text) {
            told.read_clause(clause);
        }
        told
    }

    #[test]
    fn the_text_names_the_long_quarter_and_not_the_short_one() {
        let told = told(
            "Based on the Company’s fiscal calendar, the Company’s fiscal 2024 first quarter had \
             13 weeks, while the Company’s fiscal 2023 first quarter had 14 weeks.",
        );
        assert_eq!(
            told.quarters,
            [Quarter {
                year: 2023,
                number: 1
            }]
        );
        assert!(told.years.is_empty());
    }

    #[test]
    fn a_53rd_week_lengthens_the_year_and_its_quarter() {
        let told = told(
            "The fourth quarter of fiscal 2022 included an extra week. Fiscal 2022 was a \
             53-week year.",
        );
        assert_eq!(
            told.quarters,
            [Quarter {
                year: 2022,
                number: 4
            }]
        );
        assert_eq!(told.years, [2022]);
        assert!(told.lengthens(
            Quarter {
                year: 2022,
                number: 4
            },
            3
        ));
        assert!(told.lengthens(
            Quarter {
                year: 2022,
                number: 4
            },
            12
        ));
        assert!(!told.lengthens(
            Quarter {
                year: 2022,
                number: 3
            },
            9
        ));
        assert!(!told.lengthens(
            Quarter {
                year: 2021,
                number: 4
            },
            3
        ));
    }

    #[test]
    fn weeks_without_a_quarter_or_a_year_say_nothing() {
        let told = told("Sales rose 14 weeks in a row. The quarter had 14 weeks.");
        assert!(told.quarters.is_empty() && told.years.is_empty());
    }
}
