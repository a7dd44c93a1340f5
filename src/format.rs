//! How figures, dates and times read, for the site, the PDFs and the email alike.
//!
//! One module so that a reader never meets the same figure written two ways (the house style is
//! in `docs/numbers.md`):
//!
//! - **tables** print a statement at the scale it was filed in, negatives in parentheses and no
//!   currency symbol: `(4,679,000)`, `(0.60)`; the table's heading or note names the unit;
//! - **running text, cards and charts** print a minus sign and the currency: `−$4,679,000`,
//!   `−$0.60` (a chart of figures in thousands `−$4,679`, its note saying so);
//! - **downloads** (CSV, JSON) carry plain machine numbers, `-4679000`, and are not made here.
//!
//! Amounts stay `i64` and per-share figures `Decimal` all the way to the string; the only rounding
//! is of percentages, computed exactly with `Decimal` and rounded once, here.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Weekday};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::{Figure, Quarter, Statement, Unit, month_name};

/// A true minus sign, for figures people read (a hyphen is for machines).
pub const MINUS: char = '\u{2212}';

/// The unit a statement's amounts were printed in; a table shows them in it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    #[default]
    Units,
    Thousands,
    Millions,
}

impl Scale {
    fn divisor(self) -> i64 {
        match self {
            Scale::Units => 1,
            Scale::Thousands => 1_000,
            Scale::Millions => 1_000_000,
        }
    }

    /// The scale for a statement filed with `multiplier` (1, 1,000, 1,000,000), falling back to
    /// whole units when an amount would not print exactly at it: no printed figure is rounded.
    pub fn filed(multiplier: i64, amounts: impl IntoIterator<Item = i64>) -> Scale {
        let scale = match multiplier {
            1_000 => Scale::Thousands,
            1_000_000 => Scale::Millions,
            _ => Scale::Units,
        };
        let exact = amounts
            .into_iter()
            .all(|amount| amount % scale.divisor() == 0);
        if exact { scale } else { Scale::Units }
    }

    /// `in thousands of US dollars` / `in US dollars`, for table headings and notes.
    pub fn describe(self, currency: &str) -> String {
        let currency = currency_name(currency);
        match self {
            Scale::Units => format!("in {currency}"),
            Scale::Thousands => format!("in thousands of {currency}"),
            Scale::Millions => format!("in millions of {currency}"),
        }
    }
}

/// The scale `statement` was filed in, when every money amount prints exactly at it.
pub fn statement_scale(statement: &Statement) -> Scale {
    Scale::filed(
        statement.scale.unwrap_or(1),
        statement
            .rows
            .iter()
            .filter(|row| row.unit() == Unit::Currency)
            .flat_map(|row| row.values.iter().flatten())
            .filter_map(|value| match value {
                Figure::Amount(amount) => Some(*amount),
                Figure::PerShare(_) => None,
            }),
    )
}

/// The unit note of a statement: `In thousands of US dollars, except per-share amounts and
/// shares`, naming only the exceptions the statement has.
pub fn statement_unit_note(statement: &Statement, currency: &str) -> String {
    let described = statement_scale(statement).describe(currency);
    let mut note = format!("I{}", &described[1..]);
    let has = |unit| statement.rows.iter().any(|row| row.unit() == unit);
    match (has(Unit::PerShare), has(Unit::Shares)) {
        (true, true) => note.push_str(", except per-share amounts and shares"),
        (true, false) => note.push_str(", except per-share amounts"),
        (false, true) => note.push_str(", except shares"),
        (false, false) => {}
    }
    note
}

/// `OPERATING EXPENSES` → `Operating expenses`, `fourth` → `Fourth`: lower case, the first
/// letter a capital.
pub fn sentence_case(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `US dollars` for `USD`; an unknown code stays as it is.
pub fn currency_name(code: &str) -> String {
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
        "USD" | "CAD" | "AUD" | "" => "$".to_string(),
        "EUR" => "€".to_string(),
        "GBP" => "£".to_string(),
        other => format!("{other} "),
    }
}

/// Inserts a comma every three digits from the right: `20848000` → `20,848,000`.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The digits of a per-share figure without its sign, grouped, with its printed precision.
fn per_share_digits(value: Decimal) -> String {
    let text = value.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = group_thousands(whole);
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

fn parenthesize(negative: bool, digits: String) -> String {
    if negative {
        format!("({digits})")
    } else {
        digits
    }
}

/// A table cell: `6,980,000`, `(176,000)` at `scale`.
pub fn amount_cell(value: i64, scale: Scale) -> String {
    let scaled = value / scale.divisor();
    parenthesize(
        value < 0,
        group_thousands(&scaled.unsigned_abs().to_string()),
    )
}

/// A table cell for a per-share figure: `(0.60)`, keeping the printed decimals. A loss too small
/// to show, printed `(0.00)` and kept as `-0.00`, stays `(0.00)`.
pub fn per_share_cell(value: Decimal) -> String {
    parenthesize(value.is_sign_negative(), per_share_digits(value))
}

/// Any figure in a table: money at `scale`, share counts in full, per-share figures as printed.
pub fn figure_cell(value: Figure, scale: Scale, is_money: bool) -> String {
    match value {
        Figure::Amount(amount) if is_money => amount_cell(amount, scale),
        Figure::Amount(count) => amount_cell(count, Scale::Units),
        Figure::PerShare(decimal) => per_share_cell(decimal),
    }
}

/// Whether a figure is below zero, so that a table can mark the cell.
pub fn is_negative(value: &Figure) -> bool {
    match value {
        Figure::Amount(amount) => *amount < 0,
        Figure::PerShare(decimal) => decimal.is_sign_negative(),
    }
}

/// Money in a sentence or on a card: `$6,980,000`, `−$4,679,000`, `EUR 1,000`.
pub fn money(value: i64, currency: &str) -> String {
    money_at(value, Scale::Units, currency)
}

/// Money as running text prints it, at `scale`: a chart's bar label, `−$4,679` for
/// −4,679,000 in thousands (the chart's note names the unit). Exact: a caller picks a scale
/// only when every value divides (see [`Scale::filed`]).
pub fn money_at(value: i64, scale: Scale, currency: &str) -> String {
    let sign = if value < 0 {
        MINUS.to_string()
    } else {
        String::new()
    };
    format!(
        "{sign}{}{}",
        currency_symbol(currency),
        group_thousands(&(value / scale.divisor()).unsigned_abs().to_string())
    )
}

/// A per-share amount in a sentence or on a card: `$0.04`, `−$0.60`.
pub fn per_share_money(value: Decimal, currency: &str) -> String {
    let sign = if value.is_sign_negative() && !value.is_zero() {
        MINUS.to_string()
    } else {
        String::new()
    };
    format!(
        "{sign}{}{}",
        currency_symbol(currency),
        per_share_digits(value)
    )
}

/// Any figure in running text: money with its currency, share counts grouped, minus signs.
pub fn figure_text(value: Figure, currency: &str, is_money: bool) -> String {
    match value {
        Figure::Amount(amount) if is_money => money(amount, currency),
        Figure::Amount(count) => signed_plain(count),
        Figure::PerShare(decimal) => per_share_money(decimal, currency),
    }
}

/// `−440,000`: an amount grouped with a minus sign and no currency, for formulas.
pub fn signed_plain(value: i64) -> String {
    let sign = if value < 0 {
        MINUS.to_string()
    } else {
        String::new()
    };
    format!(
        "{sign}{}",
        group_thousands(&value.unsigned_abs().to_string())
    )
}

/// A change with an explicit sign, for key figures: `+$201,000`, `−$4,217,000`, `−$0.54`.
pub fn signed_change(value: Figure, currency: &str) -> String {
    let (zero, negative, body) = match value {
        Figure::Amount(v) => (v == 0, v < 0, money(v.abs(), currency)),
        Figure::PerShare(v) => (v.is_zero(), v.is_sign_negative(), {
            per_share_money(v.abs(), currency)
        }),
    };
    if zero {
        body
    } else if negative {
        format!("{MINUS}{body}")
    } else {
        format!("+{body}")
    }
}

/// The change from `prior` to `current` in percent of `prior`, exact, when it means something:
/// only when the prior figure is positive and the current one is not negative. A change between
/// losses, or from profit to loss, is "not meaningful" in financial reporting.
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
        format!("{MINUS}{text}%")
    } else {
        format!("+{text}%")
    }
}

/// `November 14, 2003`: how a US company dates its releases.
pub fn long_date(day: NaiveDate) -> String {
    format!("{} {}, {}", month_name(day.month()), day.day(), day.year())
}

/// `Nov 14, 2003`, for table headers.
pub fn short_date(day: NaiveDate) -> String {
    day.format("%b %-d, %Y").to_string()
}

/// `Friday, November 14, 2003`.
pub fn weekday_date(day: NaiveDate) -> String {
    format!("{}, {}", day.format("%A"), long_date(day))
}

/// `Third Quarter 2003`, as tables, charts and headings name a quarter.
pub fn quarter_long(quarter: Quarter) -> String {
    quarter.long_name()
}

/// `Q3 2003`, where room is short (chart axes on a phone, key-figure comparisons).
pub fn quarter_short(quarter: Quarter) -> String {
    format!("Q{} {}", quarter.number, quarter.year)
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

/// `Three months ended June 30, 2003`, for a statement column.
pub fn period_label(months: u32, end: NaiveDate) -> String {
    format!(
        "{} months ended {}",
        months_in_words(months),
        long_date(end)
    )
    .replacen("One months", "One month", 1)
}

/// `4:30 p.m. EST`: the time as the release gave it, minutes always shown, with the time zone a
/// US reader knows it by when the offset and the day name one ([`zone_name`]).
pub fn time_of_day(at: DateTime<FixedOffset>) -> String {
    let (is_pm, hour) = at.hour12();
    let meridiem = if is_pm { "p.m." } else { "a.m." };
    format!(
        "{hour}:{:02} {meridiem} {}",
        at.minute(),
        zone_name(at.offset().local_minus_utc(), at.date_naive())
    )
}

/// `EST`, `EDT`, `PST`…: the US zone an offset means on `day` (daylight saving time as US law had
/// it that year); `UTC−03:00` for an offset no US zone has then.
pub fn zone_name(offset_seconds: i32, day: NaiveDate) -> String {
    let hours = (offset_seconds % 3600 == 0).then_some(offset_seconds / 3600);
    let name = match (hours, us_daylight_saving(day)) {
        (Some(-4), true) => Some("EDT"),
        (Some(-5), true) => Some("CDT"),
        (Some(-6), true) => Some("MDT"),
        (Some(-7), true) => Some("PDT"),
        (Some(-5), false) => Some("EST"),
        (Some(-6), false) => Some("CST"),
        (Some(-7), false) => Some("MST"),
        (Some(-8), false) => Some("PST"),
        (Some(0), _) => Some("UTC"),
        _ => None,
    };
    name.map(str::to_string).unwrap_or_else(|| {
        let sign = if offset_seconds < 0 { MINUS } else { '+' };
        let minutes = offset_seconds.unsigned_abs() / 60;
        format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    })
}

/// Whether US clocks were on daylight saving time on `day`: from 2007 the second Sunday of March
/// to the first Sunday of November, before that the first Sunday of April to the last Sunday of
/// October. The change happens at 2 a.m.; events are never set in that hour.
fn us_daylight_saving(day: NaiveDate) -> bool {
    let year = day.year();
    let (start, end) = if year >= 2007 {
        (nth_sunday(year, 3, 2), nth_sunday(year, 11, 1))
    } else {
        (nth_sunday(year, 4, 1), last_sunday(year, 10))
    };
    match (start, end) {
        (Some(start), Some(end)) => day >= start && day < end,
        _ => false,
    }
}

fn nth_sunday(year: i32, month: u32, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n)
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    nth_sunday(year, month, 5).or_else(|| nth_sunday(year, month, 4))
}

/// `1 release`, `5 releases`: a count with its noun, never "release(s)".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn tables_put_losses_in_parentheses_at_the_filed_scale() {
        assert_eq!(amount_cell(6_980_000, Scale::Units), "6,980,000");
        assert_eq!(amount_cell(-4_679_000, Scale::Units), "(4,679,000)");
        assert_eq!(amount_cell(-4_679_000, Scale::Thousands), "(4,679)");
        assert_eq!(amount_cell(0, Scale::Units), "0");
        assert_eq!(
            amount_cell(i64::MIN, Scale::Units),
            "(9,223,372,036,854,775,808)"
        );
        assert_eq!(per_share_cell(d("-0.60")), "(0.60)");
        assert_eq!(per_share_cell(d("1234.5")), "1,234.5");
        let mut loss_rounding_to_zero = d("0.00");
        loss_rounding_to_zero.set_sign_negative(true);
        assert_eq!(per_share_cell(loss_rounding_to_zero), "(0.00)");
    }

    #[test]
    fn whole_dollar_filings_stay_whole_dollars() {
        assert_eq!(Scale::filed(1, [6_980_000, -4_679_000]), Scale::Units);
        assert_eq!(Scale::filed(1_000, [6_980_000, -19_000]), Scale::Thousands);
        assert_eq!(Scale::filed(1_000, [6_980_000, 7_751_060]), Scale::Units);
        assert_eq!(
            Scale::Thousands.describe("USD"),
            "in thousands of US dollars"
        );
    }

    #[test]
    fn running_text_and_cards_use_a_minus_sign() {
        assert_eq!(money(-4_679_000, "USD"), "\u{2212}$4,679,000");
        assert_eq!(money(1_000, "EUR"), "€1,000");
        assert_eq!(per_share_money(d("-0.60"), "USD"), "\u{2212}$0.60");
        assert_eq!(signed_plain(-440_000), "\u{2212}440,000");
        assert_eq!(
            signed_change(Figure::Amount(-201_000), "USD"),
            "\u{2212}$201,000"
        );
        assert_eq!(signed_change(Figure::Amount(3_000), "USD"), "+$3,000");
        assert_eq!(signed_change(Figure::Amount(0), "USD"), "$0");
    }

    #[test]
    fn charts_print_money_as_running_text_does_at_their_scale() {
        assert_eq!(
            money_at(-4_679_000, Scale::Units, "USD"),
            money(-4_679_000, "USD")
        );
        assert_eq!(
            money_at(-4_679_000, Scale::Thousands, "USD"),
            "\u{2212}$4,679"
        );
        assert_eq!(money_at(6_980_000, Scale::Millions, "EUR"), "€6");
    }

    #[test]
    fn percent_change_is_exact_and_only_when_meaningful() {
        let change = percent_change(Decimal::from(6_980), Decimal::from(7_181)).unwrap();
        assert_eq!(percent(change), "\u{2212}2.8%");
        assert_eq!(
            percent_change(Decimal::from(-272), Decimal::from(-19)),
            None
        );
        assert_eq!(percent(d("0.05")), "+0.1%");
        assert_eq!(percent(d("-0.04")), "0.0%");
    }

    #[test]
    fn dates_read_as_a_person_writes_them() {
        let day = NaiveDate::from_ymd_opt(2003, 11, 14).unwrap();
        assert_eq!(long_date(day), "November 14, 2003");
        assert_eq!(short_date(day), "Nov 14, 2003");
        assert_eq!(weekday_date(day), "Friday, November 14, 2003");
        assert_eq!(
            period_label(3, NaiveDate::from_ymd_opt(2003, 6, 30).unwrap()),
            "Three months ended June 30, 2003"
        );
        assert_eq!(period_label(1, day), "One month ended November 14, 2003");
        assert_eq!(months_in_words(9), "Nine");
    }

    #[test]
    fn times_name_the_us_time_zone_and_always_show_minutes() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        assert_eq!(
            time_of_day(at("2003-11-14T16:30:00-05:00")),
            "4:30 p.m. EST"
        );
        assert_eq!(
            time_of_day(at("2003-08-11T09:00:00-04:00")),
            "9:00 a.m. EDT"
        );
        assert_eq!(
            time_of_day(at("2004-05-25T10:00:00-07:00")),
            "10:00 a.m. PDT"
        );
        assert_eq!(
            time_of_day(at("2004-01-25T10:00:00-08:00")),
            "10:00 a.m. PST"
        );
        // Old and new US rules: April 1, 2006 was standard time, March 20, 2007 daylight time.
        assert_eq!(
            time_of_day(at("2006-04-01T09:00:00-05:00")),
            "9:00 a.m. EST"
        );
        assert_eq!(
            time_of_day(at("2007-03-20T09:00:00-04:00")),
            "9:00 a.m. EDT"
        );
        assert_eq!(
            time_of_day(at("2003-11-14T16:30:00-03:00")),
            "4:30 p.m. UTC\u{2212}03:00"
        );
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "release", "releases"), "1 release");
        assert_eq!(count(0, "release", "releases"), "0 releases");
    }
}
