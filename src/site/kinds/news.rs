//! The news lists: every release, each year's and each category's, newest first, in pages of
//! [`PAGE_SIZE`] (`news/`, `news/2003/page/2/`, `news/category/earnings/`).

use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

use super::inputs::{At, Inputs, Reader};
use super::page::Page;
use super::sources::{Catalog, LinkView};
use crate::diagnostics::Diagnostic;
use crate::model::{Category, Release};
use crate::urls;

/// Releases per news page: keeps every page light however long the history.
pub const PAGE_SIZE: usize = 20;

/// One page of a release list: all news, a year, or a category.
#[derive(Hash)]
pub struct NewsPage {
    heading: String,
    filter: ListFilter,
    /// Folder of the list's first page, relative to the site root (`news/2003/`).
    folder: String,
    releases: Vec<At<Release>>,
    number: usize,
    count: usize,
}

/// Which releases a list holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ListFilter {
    All,
    Year(i32),
    Category(Category),
}

/// Every news page, each with the day of its newest release (for the sitemap): the list of
/// all releases, then each year's, newest first, then each category's.
pub fn each(catalog: &Catalog, mut page: impl FnMut(NewsPage, Option<NaiveDate>)) {
    let all: Vec<At<Release>> = At::all(catalog.summaries.len()).collect();
    let mut list = |heading: String, filter, folder: String, releases: &[At<Release>]| {
        let lastmod = releases.first().map(|&at| catalog.summary(at).day);
        for news in NewsPage::split(heading, filter, folder, releases) {
            page(news, lastmod);
        }
    };
    list("News".into(), ListFilter::All, urls::NEWS.into(), &all);
    for (year, releases) in &catalog.years {
        let heading = format!("News from {year}");
        list(
            heading,
            ListFilter::Year(*year),
            urls::news_year(*year),
            releases,
        );
    }
    for (category, releases) in &catalog.categories {
        let heading = category.label().to_string();
        let filter = ListFilter::Category(*category);
        list(heading, filter, urls::news_category(*category), releases);
    }
}

impl NewsPage {
    /// The pages of a release list, [`PAGE_SIZE`] releases each; one, empty, when it has none.
    fn split(
        heading: String,
        filter: ListFilter,
        folder: String,
        releases: &[At<Release>],
    ) -> impl Iterator<Item = NewsPage> + '_ {
        let count = releases.len().div_ceil(PAGE_SIZE).max(1);
        (1..=count).map(move |number| {
            let start = (number - 1) * PAGE_SIZE;
            let end = (start + PAGE_SIZE).min(releases.len());
            NewsPage {
                heading: heading.clone(),
                filter,
                folder: folder.clone(),
                releases: releases[start..end].to_vec(),
                number,
                count,
            }
        })
    }

    fn links<T: Copy>(
        &self,
        items: impl Iterator<Item = T>,
        link: impl Fn(T) -> (String, String, ListFilter),
    ) -> Vec<LinkView> {
        items
            .map(|item| {
                let (title, url, filter) = link(item);
                LinkView {
                    title,
                    url,
                    current: self.filter == filter,
                }
            })
            .collect()
    }
}

impl Page for NewsPage {
    fn name(&self) -> &'static str {
        "news page"
    }

    fn path(&self, _: &Catalog) -> String {
        urls::page_file(&urls::list_page(&self.folder, self.number))
    }

    fn template(&self) -> &str {
        "news.html"
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().navigation().listed(&self.releases)
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        context.insert("section", "news/");
        let title = if self.number > 1 {
            format!("{} \u{2013} page {}", self.heading, self.number)
        } else {
            self.heading.clone()
        };
        context.insert("page_title", &title);
        context.insert("heading", &self.heading);
        context.insert("releases", &reader.listed()?);
        context.insert("pagination", &self.pagination());
        let (years, categories) = reader.navigation()?;
        let years = self.links(years, |year| {
            (
                year.to_string(),
                urls::news_year(year),
                ListFilter::Year(year),
            )
        });
        let categories = self.links(categories, |category| {
            (
                category.label().to_string(),
                urls::news_category(category),
                ListFilter::Category(category),
            )
        });
        context.insert("years", &years);
        context.insert("categories", &categories);
        context.insert("all_current", &(self.filter == ListFilter::All));
        Ok(())
    }
}

#[derive(Debug, Serialize)]
struct Pagination {
    number: usize,
    count: usize,
    newer: Option<String>,
    older: Option<String>,
}

impl NewsPage {
    fn pagination(&self) -> Pagination {
        let (number, count) = (self.number, self.count);
        Pagination {
            number,
            count,
            newer: (number > 1).then(|| urls::list_page(&self.folder, number - 1)),
            older: (number < count).then(|| urls::list_page(&self.folder, number + 1)),
        }
    }
}
