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
}

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
