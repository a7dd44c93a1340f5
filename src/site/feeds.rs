//! Atom (`feed.xml`) and RSS 2.0 (`rss.xml`) feeds of the newest releases.
//!
//! Dates come from the releases, never from the clock, so that feeds are reproducible.
//!
//! A release's summary goes in as HTML (RSS `<description>`, which readers render as HTML, and
//! Atom `<summary type="html">`), so its text is escaped twice: for HTML, then for XML. Escaped
//! once, a reader would decode the XML and render `<script>` from a release's text as markup.

use chrono::NaiveDate;

use super::escape::xml_escape;

use super::summary::ReleaseSummary;
use crate::config::SiteConfig;
use crate::urls;

/// How many releases a feed carries; readers only want the recent ones.
pub const FEED_LENGTH: usize = 30;

/// Plain text as the content of an element that feed readers take as HTML.
fn html_in_xml(text: &str) -> String {
    // The HTML escape is the XML one: `&`, `<`, `>` and quotes as entities HTML knows too.
    xml_escape(&xml_escape(text))
}

fn rfc3339(day: NaiveDate) -> String {
    format!("{day}T00:00:00Z")
}

fn rfc2822(day: NaiveDate) -> String {
    day.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .format("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
}

/// The newest release's day, or `today` on a site without releases yet.
fn updated(releases: &[&ReleaseSummary], today: NaiveDate) -> NaiveDate {
    releases.first().map_or(today, |release| release.day)
}

/// The Atom feed of `releases`, the newest first (at most [`FEED_LENGTH`] of them are shown).
pub fn atom(config: &SiteConfig, today: NaiveDate, releases: &[&ReleaseSummary]) -> String {
    let base = config.site_url();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(&config.title)));
    if let Some(description) = &config.company.description {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(description)
        ));
    }
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(&base)));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&config.absolute_url(urls::ATOM))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&base)
    ));
    out.push_str(&format!(
        "  <updated>{}</updated>\n",
        rfc3339(updated(releases, today))
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&config.company.name)
    ));
    for summary in releases.iter().take(FEED_LENGTH) {
        let url = xml_escape(&config.absolute_url(&summary.url));
        let date = rfc3339(summary.day);
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&summary.title)
        ));
        out.push_str(&format!("    <id>{url}</id>\n"));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
        ));
        out.push_str(&format!("    <published>{date}</published>\n"));
        out.push_str(&format!("    <updated>{date}</updated>\n"));
        out.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            summary.category,
            xml_escape(summary.category_label)
        ));
        out.push_str(&format!(
            "    <summary type=\"html\">{}</summary>\n",
            html_in_xml(&summary.summary)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The RSS feed of `releases`, the newest first (at most [`FEED_LENGTH`] of them are shown).
pub fn rss(config: &SiteConfig, today: NaiveDate, releases: &[&ReleaseSummary]) -> String {
    let base = config.site_url();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str("  <channel>\n");
    out.push_str(&format!(
        "    <title>{}</title>\n",
        xml_escape(&config.title)
    ));
    out.push_str(&format!("    <link>{}</link>\n", xml_escape(&base)));
    out.push_str(&format!(
        "    <description>{}</description>\n",
        xml_escape(
            config
                .company
                .description
                .as_deref()
                .unwrap_or(&config.company.name)
        )
    ));
    out.push_str("    <language>en-us</language>\n");
    out.push_str(&format!(
        "    <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml_escape(&config.absolute_url(urls::RSS))
    ));
    out.push_str(&format!(
        "    <lastBuildDate>{}</lastBuildDate>\n",
        rfc2822(updated(releases, today))
    ));
    for summary in releases.iter().take(FEED_LENGTH) {
        let url = xml_escape(&config.absolute_url(&summary.url));
        out.push_str("    <item>\n");
        out.push_str(&format!(
            "      <title>{}</title>\n",
            xml_escape(&summary.title)
        ));
        out.push_str(&format!("      <link>{url}</link>\n"));
        out.push_str(&format!("      <guid isPermaLink=\"true\">{url}</guid>\n"));
        out.push_str(&format!(
            "      <pubDate>{}</pubDate>\n",
            rfc2822(summary.day)
        ));
        out.push_str(&format!(
            "      <category>{}</category>\n",
            xml_escape(summary.category_label)
        ));
        out.push_str(&format!(
            "      <description>{}</description>\n",
            html_in_xml(&summary.summary)
        ));
        out.push_str("    </item>\n");
    }
    out.push_str("  </channel>\n</rss>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_covers_markup_and_control_characters() {
        assert_eq!(
            xml_escape("<a href=\"x\">'&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn html_content_is_escaped_for_html_then_for_xml() {
        assert_eq!(
            html_in_xml("<script>AT&T</script>"),
            "&amp;lt;script&amp;gt;AT&amp;amp;T&amp;lt;/script&amp;gt;"
        );
    }

    #[test]
    fn feed_dates_are_rfc_formatted() {
        let day = NaiveDate::from_ymd_opt(2003, 11, 14).unwrap();
        assert_eq!(rfc3339(day), "2003-11-14T00:00:00Z");
        assert_eq!(rfc2822(day), "Fri, 14 Nov 2003 00:00:00 +0000");
    }
}
