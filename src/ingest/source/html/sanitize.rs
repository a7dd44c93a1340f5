//! The copy as filed: the exhibit's HTML made safe to publish on the issuer's site.
//!
//! The parsed tree (the same one the reader walks) is serialized again with everything that
//! runs code or loads something from elsewhere left out, so the published page shows the filing
//! and nothing else: no scripts (sec.gov's bot check was injected into some saved copies), no
//! tracking pixels, no frames, no forms. Images stay when their file sits next to the page or is
//! inlined as `data:image`; links stay when they point into the site (or are `mailto:`/`tel:`).
//! A link to another site loses its `href` (its text stays): the published copy points nowhere
//! the issuer has not put it.

use std::fmt::Write as _;

use super::dom::{Data, Dom, Element, NONE, ROOT};

/// The exhibit as it will be published on the issuer's site ("the copy as filed"): the same
/// document without `<script>`, `<noscript>`, `<iframe>`, `<object>`, `<embed>`, `<form>` and
/// its controls, `<link>`, `<meta http-equiv>`, `<base>`, event-handler attributes (`on*`),
/// `javascript:`/`data:` URLs (except `data:` images), and external loads (`src`, `srcset`,
/// `href`, `style` `url()` pointing off the page: the attribute goes, and an image left without
/// a source goes). Comments go too (old browsers run script hidden in
/// conditional comments). The output is the parsed tree serialized, so it is well-formed.
pub fn sanitize(html: &str) -> String {
    let dom = Dom::parse(html);
    let mut out = String::with_capacity(html.len());
    // The end tag to write on leaving each open element ("" for none).
    let mut stack: Vec<(usize, &str)> = Vec::new();
    let mut id = dom.node(ROOT).map_or(NONE, |n| n.first_child);
    while id != NONE {
        let Some(node) = dom.node(id) else { break };
        let mut close = None;
        match &node.data {
            Data::Doctype(name) => {
                let name = if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() {
                    name
                } else {
                    "html"
                };
                let _ = write!(out, "<!DOCTYPE {name}>");
            }
            Data::Text(text) => {
                let parent = dom.element(node.parent).map(Element::tag);
                if parent == Some("style") {
                    out.push_str(text);
                } else {
                    escape(text, false, &mut out);
                }
            }
            Data::Element(element) => close = open_tag(&dom, id, element, &mut out),
            Data::Document | Data::Comment => {}
        }
        if let Some(end) = close {
            if node.first_child != NONE {
                stack.push((id, end));
                id = node.first_child;
                continue;
            }
            end_tag(end, &mut out);
        }
        loop {
            let next = dom.node(id).map_or(NONE, |n| n.next);
            if next != NONE {
                id = next;
                break;
            }
            let Some((parent, end)) = stack.pop() else {
                id = NONE;
                break;
            };
            end_tag(end, &mut out);
            id = parent;
        }
    }
    out
}

fn end_tag(name: &str, out: &mut String) {
    if !name.is_empty() && !is_void(name) {
        let _ = write!(out, "</{name}>");
    }
}

/// Writes `element`'s start tag if it is kept. Returns the end tag to write after its content
/// (`""` to keep the content without the element), or `None` to leave the content out.
fn open_tag<'a>(dom: &Dom, id: usize, element: &'a Element, out: &mut String) -> Option<&'a str> {
    let tag = element.tag();
    if is_dropped(element) {
        return None;
    }
    if tag == "form" || !is_name(tag) {
        return Some("");
    }
    // Elements whose text the parser keeps raw become `<pre>`, so escaping stays simple.
    let name = match tag {
        "xmp" | "plaintext" | "listing" => "pre",
        _ => tag,
    };
    let mut attrs = String::new();
    let mut has_source = false;
    for attr in &element.attrs {
        let local: &str = &attr.name.local;
        let value: &str = &attr.value;
        if !is_name(local) || !keeps_attribute(tag, local, value) {
            continue;
        }
        has_source |= local == "src" || local == "srcset";
        attrs.push(' ');
        if let Some(prefix) = &attr.name.prefix {
            attrs.push_str(prefix);
            attrs.push(':');
        }
        attrs.push_str(local);
        attrs.push_str("=\"");
        escape(value, true, &mut attrs);
        attrs.push('"');
    }
    if tag == "img" && !has_source {
        return None;
    }
    if tag == "style" && !is_safe_css(&style_text(dom, id)) {
        return None;
    }
    let _ = write!(out, "<{name}{attrs}>");
    Some(name)
}

/// The text of a `<style>` element (its children are text only).
fn style_text(dom: &Dom, id: usize) -> String {
    let mut text = String::new();
    let mut child = dom.node(id).map_or(NONE, |n| n.first_child);
    while let Some(node) = dom.node(child) {
        if let Data::Text(t) = &node.data {
            text.push_str(t);
        }
        child = node.next;
    }
    text
}

/// Elements that run code, load something, or take input: left out with their content.
fn is_dropped(element: &Element) -> bool {
    match element.tag() {
        "script" | "noscript" | "iframe" | "frame" | "frameset" | "object" | "embed" | "applet"
        | "param" | "link" | "base" | "template" | "input" | "button" | "select" | "textarea"
        | "option" | "optgroup" | "datalist" | "keygen" | "output" | "noembed" | "noframes"
        | "portal" | "animate" | "set" | "animatemotion" | "animatetransform" | "foreignobject"
        | "foreignObject" | "handler" | "listener" => true,
        "meta" => element.attr("http-equiv").is_some(),
        _ => false,
    }
}

/// Does this attribute stay? Event handlers never; URLs only when they load nothing from
/// elsewhere and run nothing.
fn keeps_attribute(tag: &str, name: &str, value: &str) -> bool {
    if name.starts_with("on") {
        return false;
    }
    match name {
        "href" if matches!(tag, "a" | "area") => is_link(value),
        "cite" => is_link(value),
        "href" => is_fragment(value) || is_local(value),
        "src" if tag == "img" => is_local(value) || is_data_image(value),
        "srcset" => value
            .split(',')
            .filter_map(|candidate| candidate.split_ascii_whitespace().next())
            .all(|url| is_local(url) || is_data_image(url)),
        "src" | "background" | "poster" | "lowsrc" | "dynsrc" | "longdesc" | "usemap" => {
            is_local(value)
        }
        "style" => is_safe_css(value),
        "ping" | "action" | "formaction" | "srcdoc" | "data" | "codebase" | "classid"
        | "archive" | "manifest" | "profile" | "icon" => false,
        _ => true,
    }
}

/// A URL as a browser reads it: white space and control characters removed, lower case,
/// backslashes read as slashes.
fn normalized(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| {
            if c == '\\' {
                '/'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The URL's scheme (`http`, `javascript`), if it has one.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    (url[end..].starts_with(':') && end > 0).then(|| &url[..end])
}

/// A URL on the same site: no scheme, not `//host`.
fn is_local(url: &str) -> bool {
    let url = normalized(url);
    scheme(&url).is_none() && !url.starts_with("//")
}

fn is_fragment(url: &str) -> bool {
    normalized(url).starts_with('#')
}

/// A link that stays: into the site, or to mail or a phone.
fn is_link(url: &str) -> bool {
    let url = normalized(url);
    match scheme(&url) {
        None => !url.starts_with("//"),
        Some(scheme) => matches!(scheme, "mailto" | "tel"),
    }
}

/// An image inlined in the page (not SVG, which may carry script).
fn is_data_image(url: &str) -> bool {
    let url = normalized(url);
    url.starts_with("data:image/") && !url.starts_with("data:image/svg")
}

/// CSS that loads nothing from elsewhere and runs nothing. A backslash (a CSS escape can spell
/// `url` or `expression` in disguise) makes it unsafe.
fn is_safe_css(css: &str) -> bool {
    if css.contains('\\') {
        return false;
    }
    let css = normalized(css);
    if [
        "/*",
        "expression(",
        "javascript:",
        "vbscript:",
        "behavior:",
        "-moz-binding",
        "@import",
    ]
    .iter()
    .any(|bad| css.contains(bad))
    {
        return false;
    }
    css.match_indices("url(").all(|(at, _)| {
        let target = &css[at + 4..];
        let target = &target[..target.find(')').unwrap_or(target.len())];
        let target = target.trim_matches(['"', '\'']);
        is_local(target) || is_data_image(target)
    })
}

/// Element and attribute names that serialize as they parse.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "basefont"
            | "bgsound"
            | "frame"
            | "keygen"
    )
}

/// Escapes text (or, with `attribute`, an attribute value) as the HTML serializer does.
fn escape(text: &str, attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            '"' if attribute => out.push_str("&quot;"),
            '<' if !attribute => out.push_str("&lt;"),
            '>' if !attribute => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}
