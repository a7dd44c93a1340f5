//! The SEC filings page (`filings/`): every filing the releases were ingested from, newest
//! first, with what its submission header says (form type, filing date, accession number, a
//! link to its index on EDGAR), the exhibits it holds and the copy of each on this site.
//!
//! It is made from the releases' front matter alone (`source.*`, see `docs/front-matter.md`),
//! never from the raw files, so it depends only on each release's filing fingerprint
//! ([`super::ReleaseFingerprints::filing`]), which is what its kind declares.

use chrono::NaiveDate;
use serde::Serialize;

use super::views::{document_name, filing_format};
use crate::format;
use crate::model::{Release, Source};
use crate::urls;

/// One filing: a raw file of `content/raw/`, and the exhibits of it that are releases.
#[derive(Debug, Clone, Serialize)]
pub struct FilingView {
    /// `8-K`, when the submission header says.
    pub form_type: Option<String>,
    /// `2003-11-14`, and `November 14, 2003`: the filing date when the header gives it, else
    /// the date of its (newest) release, which `dated_by_release` then says.
    pub date: String,
    pub date_long: String,
    pub dated_by_release: bool,
    /// `0000320193-24-000005`.
    pub accession: Option<String>,
    /// EDGAR's index of the filing, when the header gives its accession number and the filer's
    /// central index key.
    pub edgar_url: Option<String>,
    /// The raw file's name, `2003-11-14-q3-2003-results.txt`.
    pub file: String,
    pub exhibits: Vec<ExhibitView>,
}

/// A document of a filing that is a release.
#[derive(Debug, Clone, Serialize)]
pub struct ExhibitView {
    /// `Exhibit 99.1`, `Form 8-K` (a release typed into the 8-K itself).
    pub name: String,
    pub release_title: String,
    pub release_url: String,
    /// The copy as filed on this site, and its format (`plain text`, `HTML`).
    pub copy: String,
    pub copy_format: &'static str,
}

/// Every filing, newest first (same day: by file name, so that the order is stable).
pub fn filings(releases: &[Release]) -> Vec<FilingView> {
    let mut by_file: std::collections::BTreeMap<&str, Vec<&Release>> = Default::default();
    for release in releases {
        by_file
            .entry(release.front.source.file.as_str())
            .or_default()
            .push(release);
    }
    let mut filings: Vec<(NaiveDate, FilingView)> = by_file
        .into_values()
        .map(|mut releases| {
            // Exhibits in the order of the filing's documents (EX-99.1 before EX-99.2).
            releases.sort_by(|a, b| {
                a.front
                    .source
                    .exhibit
                    .cmp(&b.front.source.exhibit)
                    .then(a.slug.cmp(&b.slug))
            });
            view(&releases)
        })
        .collect();
    filings.sort_by(|(a, x), (b, y)| b.cmp(a).then(x.file.cmp(&y.file)));
    filings.into_iter().map(|(_, view)| view).collect()
}

/// The view of one filing, with the day it sorts by. The releases of one raw file share its
/// header, so the first one's is the filing's.
fn view(releases: &[&Release]) -> (NaiveDate, FilingView) {
    let source = &releases[0].front.source;
    let newest = releases
        .iter()
        .map(|release| release.front.date)
        .max()
        .unwrap_or_default();
    let date = source.filed.unwrap_or(newest);
    let view = FilingView {
        form_type: source.form_type.clone(),
        date: date.to_string(),
        date_long: format::long_date(date),
        dated_by_release: source.filed.is_none(),
        accession: source.accession.clone(),
        edgar_url: edgar_index(source),
        file: source
            .file
            .rsplit('/')
            .next()
            .unwrap_or(&source.file)
            .to_string(),
        exhibits: releases
            .iter()
            .map(|release| ExhibitView {
                name: document_name(release.front.source.exhibit.as_deref()),
                release_title: release.front.title.clone(),
                release_url: urls::release(release),
                copy: urls::filing(release),
                copy_format: filing_format(release),
            })
            .collect(),
    };
    (date, view)
}

/// `https://www.sec.gov/Archives/edgar/data/<CIK>/<accession without dashes>/<accession>-index.htm`,
/// when the accession number (`0000320193-24-000005`) and the central index key (digits) have
/// their forms: both come from hand-editable front matter and go into a URL.
pub fn edgar_index(source: &Source) -> Option<String> {
    let accession = source.accession.as_deref()?.trim();
    let cik = source.cik.as_deref()?.trim().trim_start_matches('0');
    let parts: Vec<&str> = accession.split('-').collect();
    let digits =
        |text: &str, count: usize| text.len() == count && text.bytes().all(|b| b.is_ascii_digit());
    let well_formed = parts.len() == 3
        && digits(parts[0], 10)
        && digits(parts[1], 2)
        && digits(parts[2], 6)
        && !cik.is_empty()
        && cik.len() <= 10
        && cik.bytes().all(|b| b.is_ascii_digit());
    well_formed.then(|| {
        format!(
            "https://www.sec.gov/Archives/edgar/data/{cik}/{}/{accession}-index.htm",
            parts.concat()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(accession: Option<&str>, cik: Option<&str>) -> Source {
        Source {
            file: "raw/x.txt".into(),
            sha256: "0".into(),
            exhibit: None,
            filename: None,
            form_type: None,
            filed: None,
            accession: accession.map(String::from),
            cik: cik.map(String::from),
        }
    }

    #[test]
    fn the_edgar_index_needs_a_well_formed_accession_and_cik() {
        assert_eq!(
            edgar_index(&source(Some("0000320193-24-000005"), Some("320193"))).as_deref(),
            Some(
                "https://www.sec.gov/Archives/edgar/data/320193/000032019324000005/0000320193-24-000005-index.htm"
            )
        );
        assert_eq!(
            edgar_index(&source(Some("0000320193-24-000005"), None)),
            None
        );
        assert_eq!(edgar_index(&source(None, Some("320193"))), None);
        assert_eq!(
            edgar_index(&source(Some("../../x-24-000005"), Some("320193"))),
            None
        );
        assert_eq!(
            edgar_index(&source(Some("0000320193-24-000005"), Some("32/0193"))),
            None
        );
    }

    #[test]
    fn documents_are_named_as_a_reader_knows_them() {
        assert_eq!(document_name(Some("EX-99.1")), "Exhibit 99.1");
        assert_eq!(document_name(Some("ex-20")), "Exhibit 20");
        assert_eq!(document_name(Some("8-K")), "Form 8-K");
        assert_eq!(document_name(None), "Exhibit 99.1");
    }
}
