//! Exact figures as people read them: `6,980,000`, `-4,679,000`, `-0.60`, `-2.8%`.
//!
//! Everything here works on the exact integer or decimal; nothing goes through `f64`.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::format::group_thousands;
use crate::model::Figure;

/// An amount with thousands separators and a leading `-` when negative: `-4,679,000`.
pub fn grouped(amount: i64) -> String {
    let digits = group_thousands(&amount.unsigned_abs().to_string());
    if amount < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// A figure as printed in a sentence: amounts grouped, per-share amounts with their printed
/// precision (`-0.60`; a loss that rounds to nothing stays `-0.00`).
pub fn figure(value: &Figure) -> String {
    match value {
        Figure::Amount(amount) => grouped(*amount),
        Figure::PerShare(per_share) => per_share.to_string(),
    }
}

/// Half a unit of the last digit of a number written with `scale` decimals: the rounding that
/// writing implies (0.005 for `-0.60`). `None` beyond the 28 decimals `Decimal` carries.
pub fn half_unit(scale: u32) -> Option<Decimal> {
    Decimal::try_new(5, scale.checked_add(1)?).ok()
}

/// Whether `a` and `b` differ by at most `tolerance` (false if the difference overflows).
pub fn within(a: Decimal, b: Decimal, tolerance: Decimal) -> bool {
    a.checked_sub(b)
        .is_some_and(|difference| difference.abs() <= tolerance)
}

/// The change from `before` to `now` in percent of `before`'s magnitude, rounded half away from
/// zero to one decimal: revenue 6,980,000 after 7,181,000 is `-2.8`. `None` when `before` is 0.
pub fn percent_change(now: i64, before: i64) -> Option<Decimal> {
    exact_percent_change(now, before)
        .map(|percent| percent.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero))
}

/// The same change unrounded (to the 28 digits `Decimal` carries), for comparisons with a
/// percentage a text states.
pub fn exact_percent_change(now: i64, before: i64) -> Option<Decimal> {
    if before == 0 {
        return None;
    }
    let difference = Decimal::from(now) - Decimal::from(before);
    difference
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(Decimal::from(before).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_group_thousands() {
        assert_eq!(grouped(6_980_000), "6,980,000");
        assert_eq!(grouped(-4_679_000), "-4,679,000");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(-1_000), "-1,000");
        assert_eq!(grouped(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn percent_changes_round_half_away_from_zero() {
        assert_eq!(
            percent_change(6_980_000, 7_181_000),
            Some(Decimal::new(-28, 1))
        );
        assert_eq!(
            percent_change(-4_679_000, -462_000),
            Some(Decimal::new(-9128, 1))
        );
        assert_eq!(percent_change(1, 0), None);
    }
}
