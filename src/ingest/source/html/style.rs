//! What an element's tag, attributes and inline `style` say about how its text is printed.
//!
//! Filing agents style text inline (`<font style="font-weight:700">`) rather than with style
//! sheets, so reading the `style` attribute and a handful of presentational attributes is enough
//! to tell headings, hidden text, page breaks and table rules apart.

use super::dom::Element;

/// Inherited formatting of text, as the reader tracks it down the tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Format {
    pub bold: bool,
    pub italic: bool,
    pub centred: bool,
    /// Inside `<h1>`–`<h6>`.
    pub heading: bool,
    /// White space is kept (`<pre>`, `white-space:pre`).
    pub pre: bool,
    /// The font size in tenths of a point (0: not known, read as the browser default).
    pub size: u16,
}

/// A browser's default font size, 12pt (16px), in tenths of a point.
pub const DEFAULT_SIZE: u16 = 120;

/// A rule drawn along one side of a table cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Rule {
    #[default]
    None,
    Single,
    /// `double`: closes a total, it does not open a subtotal.
    Double,
}

/// What one element's own tag and attributes say (not inherited).
#[derive(Debug, Clone, Copy, Default)]
pub struct Props {
    pub hidden: bool,
    pub page_break_before: bool,
    pub page_break_after: bool,
    pub border_top: Rule,
    pub border_bottom: Rule,
}

/// Elements whose content is never text of the release.
pub fn is_dropped_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "head"
            | "title"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "applet"
            | "select"
            | "textarea"
            | "button"
            | "input"
            | "datalist"
            | "frameset"
            | "frame"
            | "noembed"
            | "noframes"
            | "svg"
            | "map"
            | "ix:header"
    )
}

/// Elements that start a block of their own.
pub fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "td"
            | "th"
            | "tr"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "center"
            | "blockquote"
            | "pre"
            | "xmp"
            | "listing"
            | "plaintext"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "body"
            | "html"
            | "address"
            | "article"
            | "section"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "aside"
            | "figure"
            | "figcaption"
            | "hr"
            | "form"
            | "fieldset"
            | "legend"
            | "details"
            | "summary"
            | "page"
    )
}

/// The format of `element`'s text, given its parent's, and its own properties.
pub fn apply(element: &Element, parent: Format) -> (Format, Props) {
    let mut format = parent;
    let mut props = Props::default();
    let tag = element.tag();
    match tag {
        "b" | "strong" | "th" => format.bold = true,
        "i" | "em" | "cite" | "var" | "dfn" => format.italic = true,
        "center" => format.centred = true,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            format.heading = true;
            format.bold = true;
        }
        "pre" | "xmp" | "listing" | "plaintext" => format.pre = true,
        "font" => {
            if let Some(size) = element.attr("size").and_then(font_size) {
                format.size = size;
            }
        }
        _ => {}
    }
    if let Some(align) = element.attr("align")
        && aligns_text(tag)
    {
        format.centred = align.trim().eq_ignore_ascii_case("center");
    }
    if element.attr("hidden").is_some()
        || (tag == "input"
            && element
                .attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("hidden")))
    {
        props.hidden = true;
    }
    if let Some(style) = element.attr("style") {
        read_style(style, &mut format, &mut props);
    }
    (format, props)
}

/// `align` positions a table or an image; on these it aligns the text inside.
fn aligns_text(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "td"
            | "th"
            | "tr"
            | "tbody"
            | "thead"
            | "tfoot"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "caption"
    )
}

/// Reads the declarations of an inline `style` attribute that matter for reading.
fn read_style(style: &str, format: &mut Format, props: &mut Props) {
    for declaration in style.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        let property = property.trim().to_ascii_lowercase();
        let value = value.trim().to_ascii_lowercase();
        let value = value.trim_end_matches("!important").trim();
        match property.as_str() {
            "display" if value == "none" => props.hidden = true,
            "visibility" if value == "hidden" || value == "collapse" => props.hidden = true,
            "font-weight" => format.bold = is_bold(value),
            "font-size" => {
                if let Some(size) = css_size(value, format.size) {
                    format.size = size;
                }
            }
            "font-style" => format.italic = value == "italic" || value == "oblique",
            "text-align" => format.centred = value == "center" || value == "-webkit-center",
            "white-space" => format.pre = value.starts_with("pre"),
            "page-break-before" | "break-before" => {
                props.page_break_before |= is_page_break(value);
            }
            "page-break-after" | "break-after" => props.page_break_after |= is_page_break(value),
            "border-top" | "border-top-style" => props.border_top = rule(value),
            "border-bottom" | "border-bottom-style" => props.border_bottom = rule(value),
            _ => {}
        }
    }
}

/// The size of `<font size=N>` (1 to 7, or relative to 3 with a sign), as browsers map it.
fn font_size(value: &str) -> Option<u16> {
    const POINTS: [u16; 7] = [75, 100, 120, 135, 180, 240, 360];
    let value = value.trim();
    let number: i32 = value.trim_start_matches('+').parse().ok()?;
    let index = if value.starts_with(['+', '-']) {
        3 + number
    } else {
        number
    };
    let index = usize::try_from(index.clamp(1, 7) - 1).ok()?;
    POINTS.get(index).copied()
}

/// A CSS `font-size` in tenths of a point; relative sizes are read against `parent`.
fn css_size(value: &str, parent: u16) -> Option<u16> {
    let parent = f64::from(if parent == 0 { DEFAULT_SIZE } else { parent });
    let keyword = match value {
        "xx-small" | "x-small" => Some(75.0),
        "small" => Some(100.0),
        "medium" => Some(120.0),
        "large" => Some(135.0),
        "x-large" => Some(180.0),
        "xx-large" | "xxx-large" => Some(240.0),
        "smaller" => Some(parent / 1.2),
        "larger" => Some(parent * 1.2),
        _ => None,
    };
    let tenths = keyword.or_else(|| {
        let (number, factor) = [
            ("pt", 10.0),
            ("px", 7.5),
            ("em", parent),
            ("rem", 120.0),
            ("%", parent / 100.0),
        ]
        .iter()
        .find_map(|(unit, factor)| value.strip_suffix(unit).map(|n| (n, *factor)))?;
        Some(number.trim().parse::<f64>().ok()? * factor)
    })?;
    (tenths.is_finite() && tenths >= 0.0).then(|| tenths.min(10_000.0) as u16)
}

fn is_bold(value: &str) -> bool {
    match value {
        "bold" | "bolder" => true,
        _ => value.parse::<u32>().is_ok_and(|weight| weight >= 600),
    }
}

fn is_page_break(value: &str) -> bool {
    matches!(
        value,
        "always" | "page" | "left" | "right" | "recto" | "verso"
    )
}

/// The rule a `border-top`/`border-bottom` value draws: a line style, a width that is not zero,
/// and a colour that is not transparent.
fn rule(value: &str) -> Rule {
    let mut style = Rule::None;
    for word in value.split_ascii_whitespace() {
        match word {
            "solid" | "dashed" | "dotted" | "groove" | "ridge" | "inset" | "outset" => {
                style = Rule::Single;
            }
            "double" => style = Rule::Double,
            "none" | "hidden" | "transparent" => return Rule::None,
            _ if is_zero_width(word) => return Rule::None,
            _ => {}
        }
    }
    style
}

fn is_zero_width(word: &str) -> bool {
    let number = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !number.is_empty()
        && number.len() < word.len() + 1
        && number.parse::<f64>().is_ok_and(|n| n == 0.0)
}
