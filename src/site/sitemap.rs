//! `sitemap.xml` and `robots.txt`, so that search engines find every page.

use super::escape::xml_escape;
use crate::config::SiteConfig;

/// One page of the sitemap: its path relative to the site root and the day it last changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: Option<chrono::NaiveDate>,
}

pub fn sitemap(config: &SiteConfig, entries: &[SitemapEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        out.push_str("  <url><loc>");
        out.push_str(&xml_escape(&config.absolute_url(&entry.path)));
        out.push_str("</loc>");
        if let Some(day) = entry.lastmod {
            out.push_str(&format!("<lastmod>{day}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute_url(crate::urls::SITEMAP)
    )
}
