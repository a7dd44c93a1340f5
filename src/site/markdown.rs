//! Release bodies and the site's own pages: Markdown to HTML, with everything that could run in a
//! browser made inert.
//!
//! Bodies come from filings and hand edits, so they are content, not markup: raw HTML in them is
//! shown as text, images become their description, and links keep only web and mail addresses.
//! A page of the site's own may also link to a path of the site (`/governance/`), which is made
//! relative to the page so that it works under any base path.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::model::body::parser;
pub use crate::model::body::{lead_text, plain_text, summary};

/// A page of the site's own may also hold tables (a list of committees, of documents), which
/// releases never do: ingest puts their tables in the front matter.
fn page_parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_TABLES,
    )
}

/// Renders a release body to HTML that is safe to put in a page as it is.
pub fn to_safe_html(markdown: &str) -> String {
    to_safe_html_rooted(markdown, None)
}

/// [`to_safe_html`], with links to paths of the site (`/governance/`) kept and made relative
/// to the page through `root` (`../../`); without a root they are dropped as other relative
/// links are.
pub fn to_safe_html_rooted(markdown: &str, root: Option<&str>) -> String {
    let mut dropped_links = 0usize;
    let mut in_image = 0usize;
    let events = match root {
        Some(_) => page_parser(markdown),
        None => parser(markdown),
    };
    let events = events.filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if root.is_some() && is_site_link(&dest_url) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(format!(
                "{}{}",
                root.unwrap_or_default(),
                dest_url.trim_start_matches('/')
            )),
            title,
            id,
        })),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) if !is_safe_link(link_type, &dest_url) => {
            dropped_links += 1;
            None
        }
        Event::End(TagEnd::Link) if dropped_links > 0 => {
            dropped_links -= 1;
            None
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, events);
    out
}

/// Web and mail links are kept; `javascript:`, `data:` and relative links (which would break
/// when the page moves) are not.
fn is_safe_link(link_type: LinkType, dest: &str) -> bool {
    let dest = dest.trim().to_ascii_lowercase();
    matches!(link_type, LinkType::Email)
        || dest.starts_with("https://")
        || dest.starts_with("http://")
        || dest.starts_with("mailto:")
}

/// `/governance/`, a path from the site's root; not `//host/` (another site).
fn is_site_link(dest: &str) -> bool {
    dest.starts_with('/') && !dest.starts_with("//")
}

/// The links of `markdown` to paths of the site (`/governance/#audit`), each with the byte
/// offset it is at, so that the build can check they reach a page.
pub fn site_links(markdown: &str) -> Vec<(String, usize)> {
    page_parser(markdown)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) if is_site_link(&dest_url) => {
                Some((dest_url.to_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typewriter_quotes_become_curly() {
        let html = to_safe_html("He said, \"We're pleased.\"");
        assert_eq!(
            html,
            "<p>He said, \u{201c}We\u{2019}re pleased.\u{201d}</p>\n"
        );
    }

    #[test]
    fn plain_text_is_every_word_of_the_body() {
        let text = plain_text("First *para*.\n\n- item\n- [link](https://x.y)\n");
        assert_eq!(text, "First para. item link");
    }

    #[test]
    fn raw_html_in_a_body_is_shown_as_text() {
        let html = to_safe_html("Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        let html = to_safe_html("[a](javascript:alert(1)) [b](https://example.com) ![c](x.png)");
        assert!(!html.contains("javascript"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.com\">b</a>"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn site_links_are_relative_to_the_page_and_dropped_from_releases() {
        let body = "[board](/governance/) [x](//evil.example/) [y](page.html)";
        let html = to_safe_html_rooted(body, Some("../"));
        assert!(
            html.contains("<a href=\"../governance/\">board</a>"),
            "{html}"
        );
        assert!(
            !html.contains("evil") && !html.contains("page.html"),
            "{html}"
        );
        assert!(
            !to_safe_html(body).contains("href"),
            "{}",
            to_safe_html(body)
        );
        assert_eq!(site_links(body), [("/governance/".to_string(), 0)]);
    }

    #[test]
    fn summaries_end_at_a_sentence_or_a_word() {
        let body = "HemaCare announced results today. Revenue was up. More text follows here.";
        assert_eq!(summary(body, 200), body);
        assert_eq!(
            summary(body, 50),
            "HemaCare announced results today. Revenue was up."
        );
        assert_eq!(summary("one two three four five", 12), "one two\u{2026}");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever a body holds (raw HTML, images, links of every scheme, entities), the
            /// page gets no element or attribute that could run or load anything.
            #[test]
            fn no_body_makes_live_markup(
                parts in proptest::collection::vec(prop_oneof![
                    "\\PC{0,20}",
                    Just("<script>alert(1)</script>".to_string()),
                    Just("<img src=x onerror=alert(1)>".to_string()),
                    Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
                    Just("[x](javascript:alert(1))".to_string()),
                    Just("[x](  JaVaScRiPt:alert(1))".to_string()),
                    Just("![x](data:text/html,<script>alert(1)</script>)".to_string()),
                    Just("<iframe src=//evil>".to_string()),
                    Just("&lt;script&gt;".to_string()),
                    Just("\n\n".to_string()),
                    Just("`<b>`".to_string()),
                    Just("<div\nonclick=x>".to_string()),
                ], 0..12)
            ) {
                let html = to_safe_html(&parts.concat());
                let fragment = scraper::Html::parse_fragment(&html);
                let all = scraper::Selector::parse("*").unwrap();
                for element in fragment.select(&all) {
                    let name = element.value().name();
                    prop_assert!(
                        !matches!(name, "script" | "img" | "iframe" | "object" | "embed" | "style"),
                        "a live <{}> in {}", name, html
                    );
                    for (attribute, value) in element.value().attrs() {
                        prop_assert!(!attribute.starts_with("on"), "{} in {}", attribute, html);
                        let value = value.trim().to_ascii_lowercase();
                        prop_assert!(
                            !value.starts_with("javascript:") && !value.starts_with("data:"),
                            "{}={} in {}", attribute, value, html
                        );
                    }
                }
            }
        }
    }
}
