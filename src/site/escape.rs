//! Escaping for the XML and HTML the site writes (SVG charts, feeds, the sitemap) and for the
//! overlay `serve` puts over its pages.

/// Escapes text for XML content and attribute values (SVG charts, feeds, sitemap). The one
/// XML escape of the crate; `&#39;` rather than `&apos;` so that it is also valid in HTML.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and line ends are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_control_characters_are_escaped_or_dropped() {
        assert_eq!(
            xml_escape("<a href=\"x\">Tom's & Co\u{7}</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Co&lt;/a&gt;"
        );
        assert_eq!(xml_escape("tab\tand\nline"), "tab\tand\nline");
    }
}
