//! How numbers and dates read on the site: one format everywhere, computed exactly in Rust.
//!
//! Templates receive these as ready strings, so a table, a feed and a calendar can never disagree
//! about how `-4679000` prints. Amounts come from `i64` and per-share figures from `Decimal`;
//! nothing printed goes through `f64`.

use chrono::{DateTime, FixedOffset, NaiveDate, Timelike};
use rust_decimal::Decimal;

use crate::ledger::format::group_thousands;
use crate::model::Figure;

/// `6980000` → `6,980,000`; `-176000` → `(176,000)`: the accountant's way to show a loss.
pub fn amount(value: i64) -> String {
    parenthesize(
        value < 0,
        &group_thousands(&value.unsigned_abs().to_string()),
    )
}

/// `-0.60` → `(0.60)`, keeping the decimals the release printed. A loss too small to show is
/// printed `(0.00)` in the filing and kept as `-0.00`, so it stays `(0.00)` here.
pub fn per_share(value: Decimal) -> String {
    let text = value.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = group_thousands(whole);
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    parenthesize(value.is_sign_negative(), &out)
}

/// A table cell: amounts and share counts as whole numbers, per-share figures as printed.
pub fn figure(value: &Figure) -> String {
    match value {
        Figure::Amount(amount_value) => amount(*amount_value),
        Figure::PerShare(decimal) => per_share(*decimal),
    }
}

/// Whether a figure is below zero, so that a template can mark the cell.
pub fn is_negative(value: &Figure) -> bool {
    match value {
        Figure::Amount(amount_value) => *amount_value < 0,
        Figure::PerShare(decimal) => decimal.is_sign_negative(),
    }
}

fn parenthesize(negative: bool, digits: &str) -> String {
    if negative {
        format!("({digits})")
    } else {
        digits.to_string()
    }
}

/// `November 14, 2003`: how a US company dates its releases.
pub fn long_date(day: NaiveDate) -> String {
    day.format("%B %-d, %Y").to_string()
}

/// `Nov 14, 2003`, for lists and table headers.
pub fn short_date(day: NaiveDate) -> String {
    day.format("%b %-d, %Y").to_string()
}

/// `Friday, November 14, 2003`.
pub fn weekday_date(day: NaiveDate) -> String {
    day.format("%A, %B %-d, %Y").to_string()
}

/// `4:30 p.m. (UTC−05:00)`: the time as the release gave it, with its offset, because the
/// offset alone does not name a time zone.
pub fn time_of_day(at: DateTime<FixedOffset>) -> String {
    let (is_pm, hour) = at.hour12();
    let meridiem = if is_pm { "p.m." } else { "a.m." };
    let offset = at.offset().local_minus_utc();
    let sign = if offset < 0 { '\u{2212}' } else { '+' };
    let minutes = offset.unsigned_abs() / 60;
    format!(
        "{hour}:{:02} {meridiem} (UTC{sign}{:02}:{:02})",
        at.minute(),
        minutes / 60,
        minutes % 60
    )
}

/// `3` → `Three`, for column headings such as "Three months ended".
pub fn months_in_words(months: u32) -> String {
    const WORDS: [&str; 12] = [
        "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
        "Twelve",
    ];
    match months {
        1..=12 => WORDS[months as usize - 1].to_string(),
        _ => months.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn amounts_have_thousands_separators_and_losses_in_parentheses() {
        assert_eq!(amount(6_980_000), "6,980,000");
        assert_eq!(amount(-176_000), "(176,000)");
        assert_eq!(amount(0), "0");
        assert_eq!(amount(999), "999");
        assert_eq!(amount(1_000), "1,000");
        assert_eq!(amount(i64::MIN), "(9,223,372,036,854,775,808)");
    }

    #[test]
    fn per_share_amounts_keep_their_printed_decimals() {
        let d = |text| Decimal::from_str(text).unwrap();
        assert_eq!(per_share(d("-0.60")), "(0.60)");
        assert_eq!(per_share(d("0.00")), "0.00");
        let mut loss_rounding_to_zero = d("0.00");
        loss_rounding_to_zero.set_sign_negative(true);
        assert_eq!(per_share(loss_rounding_to_zero), "(0.00)");
        assert_eq!(per_share(d("0.06")), "0.06");
        assert_eq!(per_share(d("1234.5")), "1,234.5");
    }

    #[test]
    fn dates_and_times_read_as_a_person_writes_them() {
        let day = NaiveDate::from_ymd_opt(2003, 11, 14).unwrap();
        assert_eq!(long_date(day), "November 14, 2003");
        assert_eq!(short_date(day), "Nov 14, 2003");
        assert_eq!(weekday_date(day), "Friday, November 14, 2003");
        let at = DateTime::parse_from_rfc3339("2003-11-14T16:30:00-05:00").unwrap();
        assert_eq!(time_of_day(at), "4:30 p.m. (UTC\u{2212}05:00)");
        assert_eq!(months_in_words(9), "Nine");
    }
}
