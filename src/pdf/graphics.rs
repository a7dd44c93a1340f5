//! The two figures that are drawn rather than typeset: key-figure tiles and bar charts.
//!
//! Bar geometry uses `f64` (it only places shapes); every number printed on a chart is the
//! exact text the template wrote.

use super::fonts::Face;
use super::layout::{Colour, Drawings, Item, Typesetter, Unit, text_item};
use super::markdown::{Chart, KeyFigure, KeyFigures};

const TILE_GAP: f32 = 8.0;
const TILE_MIN_WIDTH: f32 = 86.0;
const TILE_PAD: f32 = 8.0;
/// Index of a tile's background among its items.
const BACKGROUND: usize = 1;

/// The drawings of the PDFs, for [`Typesetter::new`].
pub struct Graphics;

impl Drawings for Graphics {
    fn key_figures(&self, ts: &Typesetter<'_>, block: &KeyFigures) -> Vec<Unit> {
        key_figures(ts, block)
    }

    fn chart(&self, ts: &Typesetter<'_>, chart: &Chart) -> Unit {
        self::chart(ts, chart)
    }
}

/// Key figures as tiles, as many to a row as fit (five on Letter and A4), rows balanced.
pub fn key_figures(ts: &Typesetter<'_>, block: &KeyFigures) -> Vec<Unit> {
    let width = ts.style.content_width();
    let count = block.figures.len();
    if count == 0 {
        return Vec::new();
    }
    let fit = (((width + TILE_GAP) / (TILE_MIN_WIDTH + TILE_GAP)).floor() as usize).max(1);
    let rows = count.div_ceil(fit);
    let per_row = count.div_ceil(rows);
    let tile_width = (width - TILE_GAP * (per_row - 1) as f32) / per_row as f32;
    block
        .figures
        .chunks(per_row)
        .enumerate()
        .map(|(row, figures)| {
            let tiles: Vec<(Vec<Item>, f32)> = figures
                .iter()
                .map(|figure| tile(ts, figure, &block.compare, tile_width))
                .collect();
            let height = tiles.iter().map(|(_, h)| *h).fold(0.0, f32::max);
            let mut items = Vec::new();
            for (i, (mut tile, _)) in tiles.into_iter().enumerate() {
                // Tiles of one row share a height, so their backgrounds line up.
                if let Some(Item::Rect {
                    height: background, ..
                }) = tile.get_mut(BACKGROUND)
                {
                    *background = height - 2.0;
                }
                let x = i as f32 * (tile_width + TILE_GAP);
                items.extend(tile.into_iter().map(|item| shift(item, x)));
            }
            Unit {
                height,
                space_before: if row == 0 { 10.0 } else { TILE_GAP },
                items,
                ..Unit::default()
            }
        })
        .collect()
}

fn shift(item: Item, dx: f32) -> Item {
    match item {
        Item::Text {
            x,
            baseline,
            text,
            face,
            size,
            colour,
        } => Item::Text {
            x: x + dx,
            baseline,
            text,
            face,
            size,
            colour,
        },
        Item::Rule {
            x1,
            x2,
            y,
            width,
            colour,
        } => Item::Rule {
            x1: x1 + dx,
            x2: x2 + dx,
            y,
            width,
            colour,
        },
        Item::Rect {
            x,
            y,
            width,
            height,
            colour,
        } => Item::Rect {
            x: x + dx,
            y,
            width,
            height,
            colour,
        },
        Item::Logo {
            x,
            y,
            width,
            height,
        } => Item::Logo {
            x: x + dx,
            y,
            width,
            height,
        },
    }
}

/// One tile: label, the figure large, the prior figure and the change. Returns its items and
/// height.
fn tile(ts: &Typesetter<'_>, figure: &KeyFigure, compare: &str, width: f32) -> (Vec<Item>, f32) {
    let style = ts.style;
    let fonts = ts.fonts;
    let inner = width - 2.0 * TILE_PAD;
    let mut items = vec![Item::Rect {
        x: 0.0,
        y: 0.0,
        width,
        height: 2.0,
        colour: style.primary,
    }];
    let mut y = 2.0 + 11.0;
    let label = [super::markdown::Span {
        text: figure.label.clone(),
        bold: true,
        emphasis: false,
    }];
    for line in ts.wrap(&label, Face::Bold, 7.5, inner) {
        items.extend(Typesetter::line_items(
            &line,
            TILE_PAD,
            y,
            7.5,
            style.muted,
            style.muted,
        ));
        y += 9.5;
    }
    // The figure itself, shrunk if a long figure would not fit the tile.
    let mut size: f32 = 16.0;
    let natural = fonts.width(Face::Bold, size, &figure.current);
    if natural > inner {
        size = (size * inner / natural).max(8.0);
    }
    y += size * 0.95;
    items.push(text_item(
        TILE_PAD,
        y,
        &figure.current,
        Face::Bold,
        size,
        style.ink,
    ));
    y += 12.0;
    let prior = if compare.is_empty() {
        figure.prior.clone()
    } else {
        format!("{compare}: {}", figure.prior)
    };
    items.push(text_item(
        TILE_PAD,
        y,
        &prior,
        Face::Regular,
        7.5,
        style.muted,
    ));
    y += 10.0;
    let change = match (figure.change.is_empty(), figure.percent.is_empty()) {
        (false, false) => format!("{}  {}", figure.change, figure.percent),
        (false, true) => figure.change.clone(),
        (true, _) => figure.percent.clone(),
    };
    items.push(text_item(TILE_PAD, y, &change, Face::Bold, 7.5, style.ink));
    let height = y + 7.0;
    items.insert(
        BACKGROUND,
        Item::Rect {
            x: 0.0,
            y: 2.0,
            width,
            height: height - 2.0,
            colour: style.accent.tint(0.93),
        },
    );
    (items, height)
}

const CHART_HEIGHT: f32 = 122.0;
const CHART_GAP: f32 = 18.0;

/// One bar chart per series, side by side, with a shared note underneath.
pub fn chart(ts: &Typesetter<'_>, chart: &Chart) -> Unit {
    let style = ts.style;
    let width = ts.style.content_width();
    let panels = chart.series.len().max(1);
    let panel_width = (width - CHART_GAP * (panels - 1) as f32) / panels as f32;
    let mut items = Vec::new();
    let colours = [style.accent, style.primary];
    for (s, title) in chart.series.iter().enumerate() {
        let x = s as f32 * (panel_width + CHART_GAP);
        let colour = colours[s % colours.len()];
        items.extend(
            panel(
                ts,
                title,
                &chart.labels,
                &chart.bars[s],
                panel_width,
                colour,
            )
            .into_iter()
            .map(|item| shift(item, x)),
        );
    }
    let derived = chart.bars.iter().flatten().flatten().any(|bar| bar.derived);
    let missing = chart.bars.iter().flatten().any(Option::is_none);
    let mut notes = Vec::new();
    if derived {
        notes.push("Lighter bars (*) are derived from year-to-date figures.".to_string());
    }
    if missing {
        notes.push("n/a: not reported in the releases.".to_string());
    }
    notes.extend(chart.note.clone());
    let mut height = CHART_HEIGHT;
    if !notes.is_empty() {
        let spans = [super::markdown::Span {
            text: notes.join(" "),
            bold: false,
            emphasis: false,
        }];
        for line in ts.wrap(&spans, Face::Regular, 7.5, width) {
            height += 10.0;
            items.extend(Typesetter::line_items(
                &line,
                0.0,
                height - 2.0,
                7.5,
                style.muted,
                style.muted,
            ));
        }
    }
    Unit {
        height: height + 4.0,
        space_before: 10.0,
        items,
        ..Unit::default()
    }
}

fn panel(
    ts: &Typesetter<'_>,
    title: &str,
    labels: &[String],
    bars: &[Option<super::markdown::Bar>],
    width: f32,
    colour: Colour,
) -> Vec<Item> {
    let style = ts.style;
    let fonts = ts.fonts;
    let mut items = vec![text_item(0.0, 10.0, title, Face::Bold, 9.0, style.ink)];
    let label_size = 7.0;
    let value_size = 6.5;
    // Plot area, leaving room for value labels above and below the bars.
    let top = 30.0f64;
    let bottom = f64::from(CHART_HEIGHT) - 34.0;
    let values: Vec<f64> = bars.iter().flatten().map(|bar| bar.value as f64).collect();
    let max = values.iter().copied().fold(0.0, f64::max);
    let min = values.iter().copied().fold(0.0, f64::min);
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let scale = (bottom - top) / span;
    let zero = top + max * scale;
    let count = labels.len().max(1);
    let slot = f64::from(width) / count as f64;
    let bar_width = slot * 0.58;
    for (i, label) in labels.iter().enumerate() {
        let centre = slot * (i as f64 + 0.5);
        let label_width = f64::from(fonts.width(Face::Regular, label_size, label));
        items.push(text_item(
            (centre - label_width / 2.0) as f32,
            CHART_HEIGHT - 6.0,
            label,
            Face::Regular,
            label_size,
            style.muted,
        ));
        let Some(bar) = bars.get(i).and_then(Option::as_ref) else {
            let na_width = f64::from(fonts.width(Face::Regular, value_size, "n/a"));
            items.push(text_item(
                (centre - na_width / 2.0) as f32,
                (zero - 3.0) as f32,
                "n/a",
                Face::Regular,
                value_size,
                style.muted,
            ));
            continue;
        };
        let value = bar.value as f64;
        let (y, height) = if value >= 0.0 {
            (zero - value * scale, value * scale)
        } else {
            (zero, -value * scale)
        };
        let fill = if bar.derived {
            colour.tint(0.55)
        } else {
            colour
        };
        items.push(Item::Rect {
            x: (centre - bar_width / 2.0) as f32,
            y: y as f32,
            width: bar_width as f32,
            height: height.max(0.5) as f32,
            colour: fill,
        });
        let text = if bar.derived {
            format!("{}*", bar.text)
        } else {
            bar.text.clone()
        };
        let mut size = value_size;
        let natural = fonts.width(Face::Regular, size, &text);
        if f64::from(natural) > slot - 2.0 {
            size = (size * (slot as f32 - 2.0) / natural).max(4.5);
        }
        let text_width = f64::from(fonts.width(Face::Regular, size, &text));
        let baseline = if value >= 0.0 {
            y - 3.0
        } else {
            y + height + f64::from(size) + 1.5
        };
        items.push(text_item(
            (centre - text_width / 2.0) as f32,
            baseline as f32,
            &text,
            Face::Regular,
            size,
            style.ink,
        ));
    }
    items.push(Item::Rule {
        x1: 0.0,
        x2: width,
        y: zero as f32,
        width: 0.6,
        colour: style.ink,
    });
    items
}
