//! How figures and dates are printed in the PDFs: exact, in the conventions of financial
//! statements (thousands separators, negatives in parentheses).
//!
//! Amounts stay `i64` and per-share figures `Decimal` all the way to the string; the only
//! rounding is of percentages, which are computed exactly with `Decimal` and rounded once, here.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::ledger::format::group_thousands;
pub use crate::model::month_name;
use crate::model::{Figure, Quarter};

/// The unit amounts are printed in. Thousands only when every amount divides exactly, so that
/// no printed figure is ever rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Units,
    Thousands,
}

impl Scale {
    /// The largest scale at which all `amounts` print exactly.
    pub fn exact_for(amounts: impl IntoIterator<Item = i64>) -> Scale {
        if amounts.into_iter().all(|amount| amount % 1000 == 0) {
            Scale::Thousands
        } else {
            Scale::Units
        }
    }

    fn divisor(self) -> i64 {
        match self {
            Scale::Units => 1,
            Scale::Thousands => 1000,
        }
    }

    /// `in thousands of US dollars` / `in US dollars`, for table captions.
    pub fn describe(self, currency: &str) -> String {
        let currency = currency_name(currency);
        match self {
            Scale::Units => format!("in {currency}"),
            Scale::Thousands => format!("in thousands of {currency}"),
        }
    }
}

fn currency_name(code: &str) -> String {
    match code {
        "USD" => "US dollars".to_string(),
        "EUR" => "euros".to_string(),
        "GBP" => "pounds sterling".to_string(),
        "CAD" => "Canadian dollars".to_string(),
        other => other.to_string(),
    }
}

/// `$` for dollars, the ISO code followed by a space otherwise.
pub fn currency_symbol(code: &str) -> String {
    match code {
        "USD" | "CAD" | "AUD" => "$".to_string(),
        "EUR" => "€".to_string(),
        "GBP" => "£".to_string(),
        other => format!("{other} "),
    }
}

/// The size of an amount at `scale`, grouped, without sign: `$4,217` for −4,217,000.
fn magnitude(value: i64, scale: Scale, symbol: &str) -> String {
    let scaled = value / scale.divisor();
    format!(
        "{symbol}{}",
        group_thousands(&scaled.unsigned_abs().to_string())
    )
}

/// An amount at `scale`, grouped, negatives in parentheses: `(4,679)`. With a `symbol` the
/// symbol goes outside the parentheses, as statements print it: `$(4,679)`.
pub fn amount(value: i64, scale: Scale, symbol: &str) -> String {
    let scaled = value / scale.divisor();
    let digits = group_thousands(&scaled.unsigned_abs().to_string());
    if value < 0 {
        format!("{symbol}({digits})")
    } else {
        format!("{symbol}{digits}")
    }
}

/// A per-share figure with its printed precision: `0.04`, `(0.60)`.
pub fn per_share(value: Decimal, symbol: &str) -> String {
    let text = value.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits = group_thousands(int);
    if !frac.is_empty() {
        digits.push('.');
        digits.push_str(frac);
    }
    if value.is_sign_negative() {
        format!("{symbol}({digits})")
    } else {
        format!("{symbol}{digits}")
    }
}

/// Any figure: amounts at `scale`, per-share figures as printed, share counts in full.
pub fn figure(value: Figure, scale: Scale, symbol: &str, is_money: bool) -> String {
    match value {
        Figure::Amount(amount_value) if is_money => amount(amount_value, scale, symbol),
        Figure::Amount(count) => amount(count, Scale::Units, ""),
        Figure::PerShare(value) => per_share(value, symbol),
    }
}

/// A change with an explicit sign, for key figures: `+$201`, `−$4,217`, `−$0.54`.
pub fn signed_change(value: Figure, scale: Scale, symbol: &str) -> String {
    let (negative, body) = match value {
        Figure::Amount(v) => (v < 0, magnitude(v, scale, symbol)),
        Figure::PerShare(v) => (
            v.is_sign_negative() && !v.is_zero(),
            per_share(v.abs(), symbol),
        ),
    };
    let is_zero = match value {
        Figure::Amount(v) => v / scale.divisor() == 0,
        Figure::PerShare(v) => v.is_zero(),
    };
    if is_zero {
        body
    } else if negative {
        format!("\u{2212}{body}")
    } else {
        format!("+{body}")
    }
}

/// The change from `prior` to `current` in percent of `prior`, exact, when it means something:
/// only when the prior figure is positive and the current one is not negative. A change
/// between losses, or from profit to loss, is "not meaningful" in financial reporting.
pub fn percent_change(current: Decimal, prior: Decimal) -> Option<Decimal> {
    if prior <= Decimal::ZERO || current < Decimal::ZERO {
        return None;
    }
    current
        .checked_sub(prior)?
        .checked_div(prior)?
        .checked_mul(Decimal::ONE_HUNDRED)
}

/// A percentage rounded half away from zero to one decimal: `−2.8%`, `+12.0%`.
pub fn percent(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.1}", rounded.abs());
    if rounded.is_zero() {
        format!("{text}%")
    } else if rounded.is_sign_negative() {
        format!("\u{2212}{text}%")
    } else {
        format!("+{text}%")
    }
}

/// `August 11, 2003`.
pub fn long_date(day: NaiveDate) -> String {
    format!("{} {}, {}", month_name(day.month()), day.day(), day.year())
}

/// `Monday, August 11, 2003`.
pub fn weekday_date(day: NaiveDate) -> String {
    format!("{}, {}", day.format("%A"), long_date(day))
}

/// `Q3 2003`, the short form used on chart axes and key-figure comparisons.
pub fn quarter_short(quarter: Quarter) -> String {
    format!("Q{} {}", quarter.number, quarter.year)
}

/// `Three months ended June 30, 2003` for a statement column.
pub fn period_label(months: u32, end: NaiveDate) -> String {
    let count = match months {
        1 => "One month".to_string(),
        3 => "Three months".to_string(),
        6 => "Six months".to_string(),
        9 => "Nine months".to_string(),
        12 => "Twelve months".to_string(),
        n => format!("{n} months"),
    };
    format!("{count} ended {}", long_date(end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn amounts_group_and_bracket_losses() {
        assert_eq!(amount(6_937_000, Scale::Thousands, "$"), "$6,937");
        assert_eq!(amount(-4_679_000, Scale::Thousands, ""), "(4,679)");
        assert_eq!(amount(7_751_060, Scale::Units, ""), "7,751,060");
        assert_eq!(amount(0, Scale::Units, ""), "0");
    }

    #[test]
    fn thousands_only_when_exact() {
        assert_eq!(Scale::exact_for([6_937_000, -19_000]), Scale::Thousands);
        assert_eq!(Scale::exact_for([6_937_000, 7_751_060]), Scale::Units);
    }

    #[test]
    fn per_share_keeps_printed_precision() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(per_share(d("-0.60"), ""), "(0.60)");
        // Decimal has no negative zero: a printed `(0.00)` reads back, and prints, as 0.00.
        assert_eq!(per_share(d("-0.00"), "$"), "$0.00");
        assert_eq!(per_share(d("0.06"), "$"), "$0.06");
    }

    #[test]
    fn percent_change_is_exact_and_only_when_meaningful() {
        let change = percent_change(Decimal::from(6_980), Decimal::from(7_181)).unwrap();
        assert_eq!(percent(change), "\u{2212}2.8%");
        assert_eq!(
            percent_change(Decimal::from(-272), Decimal::from(-19)),
            None
        );
        assert_eq!(
            percent_change(Decimal::from(-176), Decimal::from(1_022)),
            None
        );
        assert_eq!(percent(Decimal::from_str("0.05").unwrap()), "+0.1%");
        assert_eq!(percent(Decimal::from_str("-0.04").unwrap()), "0.0%");
    }

    #[test]
    fn changes_carry_a_sign() {
        assert_eq!(
            signed_change(Figure::Amount(-201_000), Scale::Thousands, "$"),
            "\u{2212}$201"
        );
        assert_eq!(
            signed_change(Figure::Amount(3_000), Scale::Thousands, "$"),
            "+$3"
        );
        assert_eq!(
            signed_change(Figure::Amount(0), Scale::Thousands, "$"),
            "$0"
        );
    }

    #[test]
    fn dates_and_periods_read_as_prose() {
        let day = NaiveDate::from_ymd_opt(2003, 6, 30).unwrap();
        assert_eq!(period_label(3, day), "Three months ended June 30, 2003");
        assert_eq!(weekday_date(day), "Monday, June 30, 2003");
    }
}
