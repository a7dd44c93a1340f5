//! Quarters no release prints on their own, computed from year-to-date spans.
//!
//! A second-quarter release prints three and six months; the third-quarter release prints three
//! and nine. So the first quarter is six months minus the second quarter, and the third quarter
//! can be checked as nine months (November) minus six months (August). Only money is derived:
//! per-share amounts and weighted share counts are averages over different share counts and do
//! not subtract.
//!
//! Derivations use reported figures only, never other derived ones, so that every derived value
//! is one subtraction away from what was printed.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Figure, Quarter, Unit, unit_of_key};

use super::entry::{Derivation, Entry, Origin, Reported};
use super::period::Period;

/// Every quarter that can be derived from the reported `entries`, including quarters that are
/// also reported (so that `check` can compare), ordered by concept, period, then rule.
pub fn quarters(entries: &BTreeMap<(String, Period), Entry>) -> Vec<Derivation> {
    let mut years: BTreeSet<(&str, i32)> = BTreeSet::new();
    for (concept, period) in entries.keys() {
        if unit_of_key(concept) == Unit::Currency && !matches!(period, Period::Instant(_)) {
            years.insert((concept, period.year()));
        }
    }
    let mut derivations = Vec::new();
    for (concept, year) in years {
        for number in 1..=4 {
            for terms in formulas(year, number) {
                let period = Period::Quarter(Quarter { year, number });
                if let Some(derivation) = subtract(entries, concept, period, &terms) {
                    derivations.push(derivation);
                }
            }
        }
    }
    derivations
}

/// The subtractions that give quarter `number` of `year`, first term minus the others:
/// the span to the quarter's end minus the span before it (`2003-9M − 2003-6M`), or the next
/// span minus the next quarter and the span before (`2003-6M − 2003-Q2`, `2003-9M − 2003-Q3 −
/// 2003-Q1`).
fn formulas(year: i32, number: u32) -> Vec<Vec<Period>> {
    let to_date = |n: u32| -> Option<Period> {
        match n {
            1 => Some(Period::Quarter(Quarter { year, number: 1 })),
            2 | 3 => Some(Period::YearToDate {
                year,
                months: n * 3,
            }),
            4 => Some(Period::FiscalYear(year)),
            _ => None,
        }
    };
    let mut formulas = Vec::new();
    if number >= 2 {
        formulas.extend(
            to_date(number)
                .zip(to_date(number - 1))
                .map(|(a, b)| vec![a, b]),
        );
    }
    if let Some(next_span) = to_date(number + 1) {
        let mut terms = vec![
            next_span,
            Period::Quarter(Quarter {
                year,
                number: number + 1,
            }),
        ];
        terms.extend(to_date(number - 1));
        formulas.push(terms);
    }
    formulas
}

/// `terms[0] − terms[1] − …` for `concept`, if every term is a reported amount and nothing
/// overflows.
fn subtract(
    entries: &BTreeMap<(String, Period), Entry>,
    concept: &str,
    period: Period,
    terms: &[Period],
) -> Option<Derivation> {
    let mut inputs = Vec::with_capacity(terms.len());
    for term in terms {
        let entry = entries.get(&(concept.to_string(), *term))?;
        let Origin::Reported(source) = &entry.origin else {
            return None;
        };
        inputs.push(Reported {
            concept: concept.to_string(),
            period: *term,
            value: entry.value,
            source: source.clone(),
        });
    }
    let amounts: Vec<i64> = inputs
        .iter()
        .map(|input| match input.value {
            Figure::Amount(amount) => Some(amount),
            Figure::PerShare(_) => None,
        })
        .collect::<Option<_>>()?;
    let (first, rest) = amounts.split_first()?;
    let value = rest
        .iter()
        .try_fold(*first, |total, amount| total.checked_sub(*amount))?;
    let formula = terms
        .iter()
        .map(Period::to_string)
        .collect::<Vec<_>>()
        .join(" − ");
    Some(Derivation {
        concept: concept.to_string(),
        period,
        value,
        formula,
        inputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(year: i32, number: u32) -> Vec<String> {
        formulas(year, number)
            .iter()
            .map(|terms| {
                terms
                    .iter()
                    .map(Period::to_string)
                    .collect::<Vec<_>>()
                    .join(" − ")
            })
            .collect()
    }

    #[test]
    fn each_quarter_has_its_subtractions() {
        assert_eq!(printed(2003, 1), ["2003-6M − 2003-Q2"]);
        assert_eq!(
            printed(2003, 2),
            ["2003-6M − 2003-Q1", "2003-9M − 2003-Q3 − 2003-Q1"]
        );
        assert_eq!(
            printed(2003, 3),
            ["2003-9M − 2003-6M", "2003-FY − 2003-Q4 − 2003-6M"]
        );
        assert_eq!(printed(2003, 4), ["2003-FY − 2003-9M"]);
    }
}
