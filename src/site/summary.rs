//! What lists show of a release: the news pages, the home page, the search index, the feeds.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::markdown;
use crate::format;
use crate::model::Release;
use crate::urls;

/// A release in a list: the news pages, the home page, the search index, the feeds.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseSummary {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub date: String,
    /// The same day, for the feeds' own formats; templates use `date`.
    #[serde(skip)]
    pub day: NaiveDate,
    pub date_long: String,
    pub date_short: String,
    pub year: i32,
    pub category: &'static str,
    pub category_label: &'static str,
    pub summary: String,
}

impl ReleaseSummary {
    pub fn new(release: &Release) -> ReleaseSummary {
        ReleaseSummary::with_summary(release, markdown::summary(&release.body, 220))
    }

    /// The same, with the summary of the body already made (by a build before: see
    /// `site/cache.rs`).
    pub fn with_summary(release: &Release, summary: String) -> ReleaseSummary {
        let front = &release.front;
        ReleaseSummary {
            slug: release.slug.clone(),
            url: urls::release(release),
            title: front.title.clone(),
            date: front.date.to_string(),
            day: front.date,
            date_long: format::long_date(front.date),
            date_short: format::short_date(front.date),
            year: front.date.year(),
            category: front.category.slug(),
            category_label: front.category.label(),
            summary,
        }
    }
}
