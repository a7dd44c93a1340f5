//! Accessible inline SVG bar charts of a concept by quarter (revenue, net income).
//!
//! The chart is a picture of the table next to it, never a replacement: `role="img"` with a
//! `<title>` and a `<desc>` that lists every value, and each bar carries its own `<title>` (the
//! exact value, and the formula when derived). Geometry uses `f64`; every printed label is the
//! exact figure. Negative values (a net loss) hang below a zero line. Derived bars are drawn
//! lighter with a dashed outline, and their class is `bar derived` so a stylesheet can restyle
//! them.

use std::fmt::Write;

use crate::model::Figure;

use super::escape::xml_escape;
use crate::format::money;
use crate::ledger::{Entry, Ledger, Origin, Period};

/// One bar: a period's exact value, or a gap marked "n/a" for a quarter between two reported
/// ones that no release gives (so that the bars keep a regular time axis, as the PDFs do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Short label under the bar, `Q3 2003`.
    pub label: String,
    /// Long name for the bar's tooltip and the description, `Third Quarter 2003`.
    pub name: String,
    pub value: Option<i64>,
    /// `Some(formula with values)` when the value is derived, not printed in a release.
    pub derived: Option<String>,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct BarChart<'a> {
    /// Unique on the page; used for the `<title>`/`<desc>` ids. Reduced to `a-z0-9-`.
    pub id: &'a str,
    pub title: &'a str,
    /// One sentence on what the chart shows; the values are appended to it.
    pub summary: &'a str,
    pub bars: &'a [Bar],
    /// ISO 4217 code for labels.
    pub currency: &'a str,
    /// Bar colour, `#rrggbb` (the brand's accent); anything else falls back to a dark blue.
    pub color: &'a str,
}

/// Labels are set in the page's own font (no `font-family`: inline SVG text inherits it) at a
/// size that stays legible when a phone shows the chart at its minimum width (see style.css).
const FONT_SIZE: f64 = 13.0;
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 36.0;
const SIDE: f64 = 12.0;

/// The quarterly values of `concept`, oldest first, as bars: every quarter from the first to the
/// last with a value, those without one as gaps.
pub fn quarterly_bars(ledger: &Ledger, concept: &str) -> Vec<Bar> {
    let entries = ledger.quarters(concept);
    let quarter_of = |entry: &&Entry| match entry.period {
        Period::Quarter(quarter) => Some(quarter),
        _ => None,
    };
    let (Some(first), Some(last)) = (
        entries.first().and_then(quarter_of),
        entries.last().and_then(quarter_of),
    ) else {
        return Vec::new();
    };
    let mut bars = Vec::new();
    let mut quarter = first;
    while quarter <= last {
        let entry = entries
            .iter()
            .find(|entry| entry.period == Period::Quarter(quarter));
        let value = entry.and_then(|entry| match entry.value {
            Figure::Amount(value) => Some(value),
            Figure::PerShare(_) => None,
        });
        bars.push(Bar {
            label: crate::format::quarter_short(quarter),
            name: crate::format::quarter_long(quarter),
            value,
            derived: entry.and_then(|entry| match &entry.origin {
                Origin::Derived(derivation) => Some(derivation.formula_with_values()),
                Origin::Reported(_) => None,
            }),
        });
        quarter = quarter.next();
    }
    bars
}

/// Draws the chart as an inline `<svg>` element.
pub fn bar_chart_svg(chart: &BarChart) -> String {
    let id = safe_id(chart.id);
    let color = if is_hex_colour(chart.color) {
        chart.color
    } else {
        "#1f4e79"
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" font-size=\"{FONT_SIZE}\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        xml_escape(chart.title),
        xml_escape(&description(chart))
    );
    let scale = Scale::new(chart.bars);
    let zero = scale.y(0);
    let _ = writeln!(
        svg,
        "<line class=\"axis\" x1=\"{SIDE}\" y1=\"{zero:.1}\" x2=\"{:.1}\" y2=\"{zero:.1}\" stroke=\"#666\" stroke-width=\"1\"/>",
        WIDTH - SIDE
    );
    if chart.bars.iter().any(|bar| bar.derived.is_some()) {
        let _ = writeln!(
            svg,
            "<text class=\"legend\" x=\"{:.1}\" y=\"12\" text-anchor=\"end\" fill=\"#444\">* derived from year-to-date figures</text>",
            WIDTH - SIDE
        );
    }
    let slot = (WIDTH - 2.0 * SIDE) / chart.bars.len().max(1) as f64;
    for (i, bar) in chart.bars.iter().enumerate() {
        draw_bar(
            &mut svg,
            bar,
            SIDE + slot * i as f64,
            slot,
            &scale,
            chart.currency,
            color,
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn draw_bar(
    svg: &mut String,
    bar: &Bar,
    left: f64,
    slot: f64,
    scale: &Scale,
    currency: &str,
    color: &str,
) {
    let width = slot * 0.6;
    let x = left + (slot - width) / 2.0;
    let center = left + slot / 2.0;
    let Some(value) = bar.value else {
        let _ = writeln!(
            svg,
            "<g class=\"bar missing\"><title>{}: not reported</title>\
             <text x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444\">n/a</text>\
             <text x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444\">{}</text></g>",
            xml_escape(&bar.name),
            scale.y(0) - 5.0,
            HEIGHT - 12.0,
            xml_escape(&bar.label)
        );
        return;
    };
    let (y_value, y_zero) = (scale.y(value), scale.y(0));
    let (top, height) = (y_value.min(y_zero), (y_value - y_zero).abs());
    let label = money(value, currency);
    let tooltip = match &bar.derived {
        Some(formula) => format!("{}: {label} (derived: {formula})", bar.name),
        None => format!("{}: {label}", bar.name),
    };
    let (class, style) = match bar.derived {
        Some(_) => (
            "bar derived",
            " fill-opacity=\"0.45\" stroke-dasharray=\"4 2\"",
        ),
        None => ("bar", ""),
    };
    let _ = writeln!(
        svg,
        "<g class=\"{class}\"><title>{}</title>\
         <rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" fill=\"{color}\" stroke=\"{color}\"{style}/>",
        xml_escape(&tooltip)
    );
    // The value sits above a positive bar and below a negative one.
    let value_y = if value < 0 {
        top + height + FONT_SIZE + 2.0
    } else {
        top - 5.0
    };
    let _ = writeln!(
        svg,
        "<text x=\"{center:.1}\" y=\"{value_y:.1}\" text-anchor=\"middle\" fill=\"#222\">{}{}</text>",
        xml_escape(&label),
        if bar.derived.is_some() { "*" } else { "" }
    );
    let _ = writeln!(
        svg,
        "<text x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444\">{}</text></g>",
        HEIGHT - 12.0,
        xml_escape(&bar.label)
    );
}

/// The chart's summary, then every value, so a screen reader hears the data; derived values are
/// marked (the `*` on their labels).
fn description(chart: &BarChart) -> String {
    let values: Vec<String> = chart
        .bars
        .iter()
        .map(|bar| {
            let Some(value) = bar.value else {
                return format!("{} not reported", bar.name);
            };
            let value = money(value, chart.currency);
            match bar.derived {
                Some(_) => format!("{} {value} (derived*)", bar.name),
                None => format!("{} {value}", bar.name),
            }
        })
        .collect();
    if values.is_empty() {
        format!("{} No values yet.", chart.summary)
    } else {
        format!("{} {}.", chart.summary, values.join("; "))
    }
}

/// Maps values to heights: the plot spans from the largest value (or zero) down to the smallest
/// (or zero), leaving room for the labels.
struct Scale {
    high: f64,
    low: f64,
    top: f64,
    height: f64,
}

impl Scale {
    fn new(bars: &[Bar]) -> Scale {
        let high = bars
            .iter()
            .filter_map(|b| b.value)
            .max()
            .unwrap_or(0)
            .max(0) as f64;
        let low = bars
            .iter()
            .filter_map(|b| b.value)
            .min()
            .unwrap_or(0)
            .min(0) as f64;
        // A label hangs under negative bars: keep room for it.
        let room_below = if low < 0.0 { 16.0 } else { 0.0 };
        Scale {
            high,
            low,
            top: TOP,
            height: HEIGHT - TOP - BOTTOM - room_below,
        }
    }

    fn y(&self, value: i64) -> f64 {
        let span = self.high - self.low;
        if span <= 0.0 {
            return self.top + self.height;
        }
        self.top + (self.high - value as f64) / span * self.height
    }
}

fn safe_id(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "chart".into()
    } else {
        format!("chart-{id}")
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}
