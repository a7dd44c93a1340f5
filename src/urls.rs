//! Every URL of the site, relative to its root, made here and nowhere else.
//!
//! The pages link to these, the feeds and the sitemap list them, the build writes its files at
//! them, and mail links to (and reads) the quarterly summaries at them: one function per kind of
//! address, so that the file written and every link to it cannot disagree.

use crate::model::{Category, Quarter, Release, slugify};

/// `releases/<slug>/`: a release's page.
pub fn release(release: &Release) -> String {
    release_at(&release.slug)
}

/// [`release`] by the release's slug alone (the ledger names releases by slug).
pub fn release_at(slug: &str) -> String {
    format!("releases/{slug}/")
}

/// `releases/<slug>.pdf`: the printable copy of a release.
pub fn release_pdf(slug: &str) -> String {
    format!("releases/{slug}.pdf")
}

/// Where a release's original filing is copied: `releases/<slug>/<name>.txt`.
/// The release's own document of a submission is named by its `<FILENAME>` when it has one;
/// HTML is published as `.htm` (sanitised, see [`crate::ingest::source::as_filed`]).
pub fn filing(release: &Release) -> String {
    let source = &release.front.source;
    let file = source.filename.as_deref().unwrap_or(&source.file);
    let file = file.rsplit('/').next().unwrap_or(file);
    let (stem, extension) = file.rsplit_once('.').unwrap_or((file, ""));
    let html = ["htm", "html"].contains(&extension.to_ascii_lowercase().as_str());
    let name = Some(slugify(stem))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "filing".to_string());
    format!(
        "{}{name}.{}",
        self::release(release),
        if html { "htm" } else { "txt" }
    )
}

/// The file of the page at `url` (a folder, `""` for the home page): `news/2003/index.html`.
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// `news/`: every release, newest first.
pub const NEWS: &str = "news/";

/// `events/`: the upcoming and past events.
pub const EVENTS: &str = "events/";

/// `events/<id>.ics`: one event's calendar file.
pub fn event_calendar(id: &str) -> String {
    format!("{EVENTS}{id}.ics")
}

/// `financials/`: every quarter of the ledger.
pub const FINANCIALS: &str = "financials/";

/// The ledger's downloads.
pub const FINANCIALS_CSV: &str = "data/financials.csv";
pub const FINANCIALS_JSON: &str = "data/financials.json";

/// `leadership/`: who holds which role.
pub const LEADERSHIP: &str = "leadership/";

/// `filings/`: the SEC filings the releases came from.
pub const FILINGS: &str = "filings/";

/// The page a static host serves for an address it does not have.
pub const NOT_FOUND: &str = "404.html";

/// Every event, as one calendar.
pub const CALENDAR: &str = "calendar.ics";

/// The feeds of the newest releases.
pub const ATOM: &str = "feed.xml";
pub const RSS: &str = "rss.xml";

pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// Every word of the site, for the search box (`static/search.js` reads it).
pub const SEARCH_INDEX: &str = "search-index.json";

/// `news/2003/`: the releases of a year.
pub fn news_year(year: i32) -> String {
    format!("{NEWS}{year}/")
}

/// `news/category/earnings/`: the releases of a category.
pub fn news_category(category: Category) -> String {
    format!("{NEWS}category/{}/", category.slug())
}

/// Page `number` of the list whose first page is at `folder`: the folder itself for the first,
/// `news/2003/page/2/` for the others.
pub fn list_page(folder: &str, number: usize) -> String {
    if number <= 1 {
        folder.to_string()
    } else {
        format!("{folder}page/{number}/")
    }
}

/// `reports/quarterly-summary-2003-q3.pdf`: a quarter's summary PDF.
pub fn summary_pdf(quarter: Quarter) -> String {
    format!(
        "{}quarterly-summary-{}-q{}.pdf",
        REPORTS, quarter.year, quarter.number
    )
}

/// The folder of the quarterly summaries.
pub const REPORTS: &str = "reports/";

/// The quarter of a summary PDF's file name (`quarterly-summary-2003-q3.pdf`), for the names
/// [`summary_pdf`] makes.
pub fn summary_quarter(file_name: &str) -> Option<Quarter> {
    let rest = file_name
        .strip_prefix("quarterly-summary-")?
        .strip_suffix(".pdf")?;
    let (year, number) = rest.rsplit_once("-q")?;
    let quarter = Quarter::parse(&format!("{year}-Q{number}"))?;
    (summary_pdf(quarter) == format!("{REPORTS}{file_name}")).then_some(quarter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_read_back_to_their_quarter_and_nothing_else() {
        let q3 = Quarter::parse("2003-Q3").unwrap();
        assert_eq!(summary_pdf(q3), "reports/quarterly-summary-2003-q3.pdf");
        assert_eq!(summary_quarter("quarterly-summary-2003-q3.pdf"), Some(q3));
        assert_eq!(summary_quarter("quarterly-summary-2003-q5.pdf"), None);
        assert_eq!(summary_quarter("quarterly-summary-2003-Q3.pdf"), None);
        assert_eq!(summary_quarter("annual-report-2003.pdf"), None);
        assert_eq!(list_page("news/2003/", 1), "news/2003/");
        assert_eq!(list_page("news/2003/", 2), "news/2003/page/2/");
        assert_eq!(news_category(Category::Earnings), "news/category/earnings/");
    }
}
