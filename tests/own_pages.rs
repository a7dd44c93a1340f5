//! What an IR team adds beyond the releases: pages of its own (`content/pages/`), its logo
//! (`brand.logo`) and the SEC filings page, built from the fixture site (which has two pages
//! and HemaCare's demo logo) and read back with html5ever, as a visitor's browser would.

use std::path::{Path, PathBuf};
use std::process::Command;

use hemasite::site::{BuildOptions, build};
use scraper::{Html, Selector};

mod common;
use common::{copy_of_fixture, tree};

fn build_site(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let mut options = BuildOptions::new(root);
    options.output = Some(out.to_path_buf());
    options.pdfs = false;
    build(&options)
        .map(|report| report.output)
        .map_err(|err| err.to_string())
}

fn page(out: &Path, path: &str) -> Html {
    let text =
        std::fs::read_to_string(out.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"));
    Html::parse_document(&text)
}

fn texts(page: &Html, css: &str) -> Vec<String> {
    page.select(&Selector::parse(css).unwrap())
        .map(|element| {
            element
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn attrs(page: &Html, css: &str, attribute: &str) -> Vec<String> {
    page.select(&Selector::parse(css).unwrap())
        .filter_map(|element| element.value().attr(attribute).map(str::to_string))
        .collect()
}

#[test]
fn pages_of_the_sites_own_are_built_at_their_paths_and_in_the_navigation() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    // A second page in the navigation, before the governance page (nav: 10).
    std::fs::write(
        site.path().join("content/pages/contacts.md"),
        "---\ntitle: Contacts\nnav: 5\n---\n\nWrite to [investor relations](mailto:ir@hemacare.example).\n",
    )
    .unwrap();
    let out = build_site(site.path(), &dir.path().join("public")).unwrap();

    let governance = page(&out, "governance/index.html");
    assert_eq!(texts(&governance, "main h1"), ["Corporate Governance"]);
    assert_eq!(
        attrs(&governance, "meta[name=description]", "content"),
        [
            "How HemaCare's Board of Directors and its committees oversee the company, and how to reach them."
        ]
    );
    // Site links are relative to the page, so they work under any base path.
    assert!(
        attrs(&governance, ".page-body a", "href").starts_with(&[
            "../leadership/".to_string(),
            "../governance/committees/".to_string()
        ]),
        "{:?}",
        attrs(&governance, ".page-body a", "href")
    );
    let committees = page(&out, "governance/committees/index.html");
    assert_eq!(
        texts(&committees, ".page-body td")[..2],
        [
            "Audit",
            "The financial statements, the independent auditors and internal controls"
        ]
    );
    assert_eq!(
        attrs(&committees, ".page-body a", "href"),
        ["../../governance/"]
    );

    // Every page has the built-in items, then the pages that ask for it, in `nav` order; a
    // page under a page in the navigation marks that item as the current one.
    let expected = [
        "Overview",
        "News",
        "Financials",
        "Events",
        "Leadership",
        "SEC filings",
        "Contacts",
        "Corporate Governance",
    ];
    for path in [
        "index.html",
        "news/index.html",
        "governance/committees/index.html",
        "404.html",
    ] {
        assert_eq!(
            texts(&page(&out, path), "nav[aria-label=Main] a"),
            expected,
            "{path}"
        );
    }
    assert_eq!(
        texts(&committees, "nav[aria-label=Main] a[aria-current=page]"),
        ["Corporate Governance"]
    );
    assert_eq!(
        texts(
            &page(&out, "contacts/index.html"),
            "nav[aria-label=Main] a[aria-current=page]"
        ),
        ["Contacts"]
    );
}

#[test]
fn a_page_that_takes_the_sites_own_path_or_is_broken_stops_the_build_and_names_its_file() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = build_site(site.path(), &dir.path().join("public")).unwrap();
    let before = tree(&out);
    let pages = site.path().join("content/pages");
    std::fs::create_dir_all(pages.join("news")).unwrap();
    std::fs::write(pages.join("news/extra.md"), "---\ntitle: Extra\n---\n").unwrap();
    std::fs::write(pages.join("filings.md"), "---\ntitle: Mine\n---\n").unwrap();
    std::fs::write(
        pages.join("broken.md"),
        "---\ntitle: Broken\nnav: first\n---\n",
    )
    .unwrap();
    std::fs::write(
        pages.join("links.md"),
        "---\ntitle: Links\n---\n\nSee [the board](/governance/comittees/).\n",
    )
    .unwrap();

    // Front matter is read first: the broken page is named with its line, the others are
    // still read.
    let err = build_site(site.path(), &out).unwrap_err();
    assert!(err.contains("content/pages/broken.md:3"), "{err}");
    assert!(err.contains("nav"), "{err}");
    assert_eq!(tree(&out), before, "nothing is published");

    std::fs::remove_file(pages.join("broken.md")).unwrap();
    let err = build_site(site.path(), &out).unwrap_err();
    for expected in [
        "content/pages/filings.md: this page would be published at `/filings/`",
        "content/pages/news/extra.md: this page would be published at `/news/extra/`",
        "content/pages/links.md:5: the link `/governance/comittees/` goes to no page",
        "did you mean `/governance/committees/`",
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
    assert_eq!(tree(&out), before, "nothing is published");
}

#[test]
fn the_header_shows_the_logo_with_the_company_name_as_its_text() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = build_site(site.path(), &dir.path().join("public")).unwrap();
    for path in [
        "index.html",
        "releases/2003-11-14-hemacare-reports-third-quarter-financial-results/index.html",
        "governance/committees/index.html",
    ] {
        let html = page(&out, path);
        let depth = path.matches('/').count();
        assert_eq!(
            attrs(&html, ".brand img", "src"),
            [format!("{}logo.svg", "../".repeat(depth))],
            "{path}"
        );
        assert_eq!(attrs(&html, ".brand img", "alt"), ["HemaCare Corporation"]);
        assert_eq!(attrs(&html, ".brand img", "width"), ["64"]);
    }
    assert!(out.join("logo.svg").is_file());

    // A logo that is missing, or that a PDF cannot draw, is an error naming the key.
    let yaml = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replace("logo: logo.svg", "logo: brand/mark.png"),
    )
    .unwrap();
    let err = build_site(site.path(), &out).unwrap_err();
    assert!(
        err.contains("site.yaml:13: brand.logo: there is no file `static/brand/mark.png`"),
        "{err}"
    );
    std::fs::write(&yaml, text.replace("logo: logo.svg", "logo: ../site.yaml")).unwrap();
    let err = build_site(site.path(), &out).unwrap_err();
    assert!(
        err.contains("brand.logo: expected a path under static/"),
        "{err}"
    );
    std::fs::write(&yaml, &text).unwrap();
    std::fs::write(
        site.path().join("static/logo.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>HemaCare</text></svg>"#,
    )
    .unwrap();
    let err = build_site(site.path(), &out).unwrap_err();
    assert!(
        err.contains("brand.logo: `static/logo.svg` has text (a <text> element on line 1)"),
        "{err}"
    );
}

#[test]
fn the_filings_page_lists_bare_exhibits_with_what_they_show() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = build_site(site.path(), &dir.path().join("public")).unwrap();
    let filings = page(&out, "filings/index.html");
    let headings = texts(&filings, ".filing h2");
    assert_eq!(
        headings,
        [
            "Released February 27, 2004",
            "Released November 14, 2003",
            "Released August 11, 2003",
            "Released June 27, 2003",
            "Released May 19, 2003",
        ],
        "newest first"
    );
    assert_eq!(
        texts(&filings, ".filing-ids")[1],
        "Kept as the exhibit alone (2003-11-14-q3-2003-results.txt), without the submission’s header: form type, filing date and accession number not recorded."
    );
    // Each links to the release and to the copy as filed, which the build publishes.
    let links = attrs(&filings, ".exhibits a", "href");
    assert_eq!(links.len(), 10);
    for link in &links {
        let target = link.trim_start_matches("../");
        let target = if target.ends_with('/') {
            format!("{target}index.html")
        } else {
            target.to_string()
        };
        assert!(out.join(&target).is_file(), "{link}");
    }
}

/// The Q3 seed wrapped in an EDGAR submission, as the whole `.txt` of a filing is.
fn submission() -> String {
    let exhibit = std::fs::read_to_string(
        common::fixture().join("content/raw/2003-11-14-q3-2003-results.txt"),
    )
    .unwrap();
    format!(
        "<SEC-DOCUMENT>0000912345-03-000042.txt : 20031114\n<SEC-HEADER>0000912345-03-000042.hdr.sgml : 20031114\n\
         ACCESSION NUMBER:\t\t0000912345-03-000042\nCONFORMED SUBMISSION TYPE:\t8-K\nPUBLIC DOCUMENT COUNT:\t\t2\n\
         FILED AS OF DATE:\t\t20031114\n\nFILER:\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\tHEMACARE CORP\n\
         \t\tCENTRAL INDEX KEY:\t\t\t0000012345\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>form8k.txt\n<TEXT>\n\
         FORM 8-K\nItem 12. Results of Operations and Financial Condition.\n</TEXT>\n</DOCUMENT>\n\
         <DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>ex99-1.txt\n<DESCRIPTION>PRESS RELEASE\n<TEXT>\n{exhibit}</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
}

#[test]
fn a_submission_is_listed_with_its_form_date_accession_and_edgar_index() {
    let site = copy_of_fixture();
    let root = site.path();
    std::fs::remove_file(root.join("content/raw/2003-11-14-q3-2003-results.txt")).unwrap();
    std::fs::remove_file(
        root.join(
            "content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md",
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("content/raw/0000912345-03-000042.txt"),
        submission(),
    )
    .unwrap();
    let ingested = Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .args(["--root", root.to_str().unwrap(), "ingest"])
        .output()
        .unwrap();
    assert!(
        ingested.status.success(),
        "{}",
        String::from_utf8_lossy(&ingested.stderr)
    );
    let release =
        std::fs::read_to_string(root.join(
            "content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md",
        ))
        .unwrap();
    assert!(
        release.contains(
            "  exhibit: EX-99.1\n  filename: ex99-1.txt\n  form_type: \"8-K\"\n  filed: 2003-11-14\n  accession: \"0000912345-03-000042\"\n  cik: \"12345\"\n"
        ),
        "the front matter records the filing: {release}"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = build_site(root, &dir.path().join("public")).unwrap();
    let filings = page(&out, "filings/index.html");
    assert_eq!(
        texts(&filings, ".filing h2")[1],
        "Form 8-K, filed November 14, 2003"
    );
    assert_eq!(
        texts(&filings, ".filing-ids")[1],
        "Accession number 0000912345-03-000042 · Filing index on EDGAR"
    );
    assert_eq!(
        attrs(&filings, ".filing-ids a", "href"),
        [
            "https://www.sec.gov/Archives/edgar/data/12345/000091234503000042/0000912345-03-000042-index.htm"
        ]
    );
    let q3 = "releases/2003-11-14-hemacare-reports-third-quarter-financial-results/";
    assert_eq!(
        attrs(&filings, ".exhibits li:nth-child(1) a", "href")[2..4],
        [format!("../{q3}"), format!("../{q3}ex99-1.txt")]
    );
    assert!(out.join(format!("{q3}ex99-1.txt")).is_file());
}
