//! The PDFs, opened with lopdf as a reader would: what they say, in what order, with which
//! fonts and metadata, and that building twice gives the same bytes.

use std::path::{Path, PathBuf};

use hemasite::config::SiteConfig;
use hemasite::model::{Quarter, Release};
use hemasite::pdf::PdfRenderer;
use hemasite::theme::Theme;
use lopdf::{Document, Object};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The demo site's releases, as ingest extracted them from the seeds.
fn releases() -> Vec<Release> {
    let (releases, errors) = Release::load_dir(&repo().join("content/releases"));
    assert!(errors.is_empty(), "{errors:?}");
    releases
}

fn config() -> SiteConfig {
    SiteConfig::load(&repo().join("site.yaml")).unwrap()
}

/// The demo's `site.yaml` for a site folder of a test's own, which has no `static/logo.svg` (the
/// demo's logo is the demo site's, not the built-in theme's).
fn config_without_logo() -> SiteConfig {
    let mut config = config();
    config.brand.logo = None;
    config
}

fn renderer() -> PdfRenderer {
    PdfRenderer::new(&config(), &Theme::new(&repo())).unwrap()
}

fn quarter(text: &str) -> Quarter {
    Quarter::parse(text).unwrap()
}

fn summary(text: &str) -> Vec<u8> {
    renderer()
        .quarterly_summary(quarter(text), &releases())
        .unwrap()
}

fn release(slug_start: &str) -> Vec<u8> {
    let releases = releases();
    let release = releases
        .iter()
        .find(|r| r.slug.starts_with(slug_start))
        .unwrap();
    renderer().release(release).unwrap()
}

/// The text of every page, in page order, one string per page: every positioned run of text
/// (each `Tm`) is separated by a space, as a reader copying the text would see it.
fn pages_text(bytes: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(bytes).expect("a PDF lopdf can read");
    doc.get_pages()
        .values()
        .map(|page_id| {
            let encodings: std::collections::BTreeMap<Vec<u8>, lopdf::Encoding> = doc
                .get_page_fonts(*page_id)
                .unwrap()
                .into_iter()
                .map(|(name, font)| (name, font.get_font_encoding(&doc).unwrap()))
                .collect();
            let content = lopdf::content::Content::decode(&doc.get_page_content(*page_id)).unwrap();
            let mut text = String::new();
            let mut encoding = None;
            for op in &content.operations {
                match op.operator.as_str() {
                    "Tf" => encoding = encodings.get(op.operands[0].as_name().unwrap()),
                    "Tm" => text.push(' '),
                    "Tj" | "TJ" => {
                        let strings = match &op.operands[0] {
                            Object::Array(items) => items.clone(),
                            other => vec![other.clone()],
                        };
                        for item in strings {
                            if let Object::String(bytes, _) = item {
                                text.push_str(
                                    &Document::decode_text(encoding.unwrap(), &bytes).unwrap(),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
            text
        })
        .collect()
}

/// Whitespace-normalised text of the whole document.
fn text(bytes: &[u8]) -> String {
    pages_text(bytes)
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that `needles` occur in `haystack` in this order.
fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("`{needle}` missing after byte {from} in:\n{haystack}"),
        }
    }
}

fn document_info(bytes: &[u8]) -> (Document, lopdf::Dictionary) {
    let doc = Document::load_mem(bytes).unwrap();
    let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_ref).unwrap().clone();
    (doc, info)
}

/// Document-information strings are UTF-16BE with a byte-order mark.
fn info_text(info: &lopdf::Dictionary, key: &str) -> String {
    let bytes = info.get(key.as_bytes()).unwrap().as_str().unwrap();
    match bytes.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[test]
fn third_quarter_summary_leads_with_its_key_figures_against_a_year_before() {
    let text = text(&summary("2003-Q3"));
    assert_in_order(
        &text,
        &[
            "HemaCare Corporation",
            "Quarterly Summary — Third Quarter 2003",
            "Quarter ended September 30, 2003",
            "Issued November 14, 2003",
            "Key figures",
            "Revenues $6,980,000 Q3 2002: $7,181,000 −$201,000 −2.8%",
            "Gross profit (loss)",
            "−$176,000",
            "Q3 2002: $1,022,000",
            "Loss before income taxes",
            "−$1,519,000",
            "Net loss",
            "−$4,679,000",
            "Q3 2002: −$462,000",
            "−$4,217,000",
            "Basic and diluted per share amounts",
            "−$0.60",
            "Q3 2002: −$0.06",
            "−$0.54",
        ],
    );
}

#[test]
fn third_quarter_summary_has_every_section_in_template_order() {
    let text = text(&summary("2003-Q3"));
    assert_in_order(
        &text,
        &[
            "Key figures",
            "Revenue and net income by quarter",
            "Highlights",
            "today announced third quarter 2003 results",
            "We are certainly not pleased",
            "Judi Irving, President and Chief Executive Officer",
            "Statement of operations",
            "In US dollars, except per-share amounts and shares",
            "Nine months ended September 30, 2003",
            "Revenues",
            "6,980,000",
            "7,181,000",
            "20,848,000",
            "20,442,000",
            "Net loss",
            "(4,679,000)",
            "(462,000)",
            "(4,943,000)",
            "(619,000)",
            "Balance sheet",
            "Total assets",
            "8,275,000",
            "13,455,000",
            "Corporate developments",
            "Events",
            "Friday, November 14, 2003, 4:30 p.m. EST",
            "passcode 3901827",
            "Sources",
            "November 14, 2003, “HemaCare Reports Third Quarter Financial Results”.",
            "Forward-looking statements",
        ],
    );
    assert!(
        !text.contains("raw/"),
        "no build paths for the public: {text}"
    );
}

#[test]
fn chart_shows_the_ledger_quarters_up_to_the_summary_quarter_with_derived_ones_marked() {
    let text = text(&summary("2003-Q2"));
    // Q1 figures are derived by the ledger (six months minus the second quarter); Q4 2002 is
    // in no release.
    assert_in_order(
        &text,
        &[
            "Revenue",
            "Q1 2002 $6,321,000*",
            "Q2 2002 $6,940,000",
            "Q3 2002 $7,181,000",
            "Q4 2002 n/a",
            "Q1 2003 $6,931,000*",
            "Q2 2003 $6,937,000",
            "Net income (loss)",
            "Q1 2003 $8,000*",
            "Q2 2003 \u{2212}$272,000",
            "Lighter bars (*) are derived from year-to-date figures.",
        ],
    );
    let chart = &text[text.find("by quarter").unwrap()..text.find("Highlights").unwrap()];
    // Charts print money as the site's charts and running text do: a minus sign, never a
    // table's parentheses (docs/numbers.md).
    assert!(!chart.contains("(272,000)"), "{chart}");
    assert!(
        chart.contains("Q2 2002") && chart.contains("Q2 2003"),
        "{chart}"
    );
    assert!(
        !chart.contains("Q3 2003"),
        "the Q2 summary must not chart later quarters: {chart}"
    );
}

#[test]
fn second_quarter_summary_lists_the_board_and_cfo_releases_as_developments() {
    let text = text(&summary("2003-Q2"));
    assert_in_order(
        &text,
        &[
            "Quarterly Summary — Second Quarter 2003",
            "Revenues $6,937,000 Q2 2002: $6,940,000 −$3,000 0.0%",
            "Net loss −$272,000 Q2 2002: −$19,000 −$253,000",
            "Corporate developments",
            "May 19, 2003 — HemaCare Adds New Members to Its Board of Directors.",
            "appointment of Wm. Andrew L. Heaton, M.D. and Terry Van Der Tuuk to its Board of Directors.",
            "June 27, 2003 — Marcario Joins HemaCare as Chief Financial Officer.",
            "Events",
            "Monday, August 11, 2003, 4:30 p.m. EDT",
            "Sources",
            "May 19, 2003, “HemaCare Adds New Members",
            "June 27, 2003, “Marcario Joins",
            "August 11, 2003, “HemaCare Reports Second Quarter",
        ],
    );
}

#[test]
fn every_page_carries_the_running_header_and_page_n_of_m() {
    for bytes in [
        summary("2003-Q2"),
        summary("2003-Q3"),
        release("2003-11-14"),
    ] {
        let pages = pages_text(&bytes);
        let count = pages.len();
        assert!((2..=3).contains(&count), "{count} pages");
        for (n, page) in pages.iter().enumerate() {
            let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                page.starts_with("HemaCare Corporation ·"),
                "page {}: {page}",
                n + 1
            );
            assert!(
                page.contains(&format!("Page {} of {count}", n + 1)),
                "page {}: {page}",
                n + 1
            );
        }
    }
}

#[test]
fn summaries_fit_on_two_pages() {
    assert_eq!(pages_text(&summary("2003-Q2")).len(), 2);
    assert_eq!(pages_text(&summary("2003-Q3")).len(), 2);
}

#[test]
fn release_pdf_has_title_block_body_tables_contact_about_and_safe_harbor() {
    let text = text(&release("2003-08-11"));
    assert_in_order(
        &text,
        &[
            "HemaCare Reports Second Quarter Financial Results",
            "Los Angeles, August 11, 2003",
            "Contact: JoAnn Mannise, Director of Investor Relations",
            "877-310-0717",
            "today announced second quarter 2003 revenue of $6,937,000",
            "Dates to note",
            "Statements of Operations",
            "Six months ended June 30, 2003",
            "Revenues",
            "6,937,000",
            "13,868,000",
            "Basic and diluted per share amounts",
            "(0.04)",
            "Weighted average shares",
            "7,751,060",
            "Balance Sheet",
            "Total liabilities and shareholders' equity",
            "12,484,000",
            "About HemaCare Corporation",
            "Founded in 1978",
            "forward-looking statements",
        ],
    );
    // Build internals (the raw/ path, the file's hash) are not for the public.
    assert!(!text.contains("raw/"), "{text}");
    assert!(!text.contains("SHA-256"), "{text}");
}

/// The Q3 2003 release runs to three pages; its closing matter (About, safe harbor) no
/// longer fills the last one alone: the balance sheet moves there with it.
#[test]
fn the_last_page_of_a_release_never_holds_only_its_boilerplate() {
    for release in releases() {
        let pages = pages_text(&renderer().release(&release).unwrap());
        let last = pages.last().unwrap();
        // The running header is on every page; the news is what comes between it and the
        // closing matter.
        let header = format!(
            "News release \u{b7} {}",
            hemasite::format::long_date(release.front.date)
        );
        let after_header = last
            .split_once(&header)
            .map_or(last.as_str(), |(_, rest)| rest);
        let news = after_header
            .split("About HemaCare Corporation")
            .next()
            .unwrap_or_default();
        assert!(
            pages.len() == 1 || news.split_whitespace().count() > 3,
            "{}: the last of {} pages holds only boilerplate:\n{last}",
            release.slug,
            pages.len()
        );
    }
    let q3 = pages_text(&release("2003-11-14"));
    assert_eq!(q3.len(), 3);
    let last = q3.last().unwrap();
    assert_in_order(
        last,
        &[
            "Balance Sheet",
            "Total liabilities and shareholders' equity",
            "About HemaCare Corporation",
            "forward-looking statements",
        ],
    );
}

/// Times read as on the site: minutes always, the zone named (not "9 a.m.", not "UTC−07:00").
#[test]
fn event_times_in_a_release_pdf_read_as_on_the_site() {
    let text = text(&release("2004-02-27"));
    assert!(
        text.contains("Tuesday, May 25, 2004, 9:00 a.m. PDT"),
        "{text}"
    );
    assert!(!text.contains("UTC"), "{text}");
}

#[test]
fn releases_without_financials_have_no_tables() {
    let text = text(&release("2003-06-27"));
    assert!(text.contains("Marcario Joins HemaCare as Chief Financial Officer"));
    assert!(!text.contains("Statements of Operations"));
}

#[test]
fn fonts_are_embedded_and_subset() {
    for bytes in [summary("2003-Q3"), release("2004-02-27")] {
        let doc = Document::load_mem(&bytes).unwrap();
        let mut fonts = Vec::new();
        for (_, object) in doc.objects.iter() {
            let Ok(dict) = object.as_dict() else { continue };
            if dict.get(b"Type").and_then(Object::as_name).ok()
                != Some(b"FontDescriptor".as_slice())
            {
                continue;
            }
            let name =
                String::from_utf8(dict.get(b"FontName").unwrap().as_name().unwrap().to_vec())
                    .unwrap();
            assert!(dict.has(b"FontFile2"), "{name} is not embedded");
            let (tag, family) = name.split_once('+').expect("a subset tag");
            assert!(
                tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
                "{name}"
            );
            fonts.push(family.to_string());
        }
        fonts.sort();
        assert_eq!(fonts, ["Lato-Bold", "Lato-Regular"]);
    }
}

/// Each embedded font program, by the font's name without its subset tag: the stream's bytes
/// as stored (deflated), and its tag.
fn font_programs(bytes: &[u8]) -> std::collections::BTreeMap<String, (String, Vec<u8>)> {
    let doc = Document::load_mem(bytes).unwrap();
    let mut programs = std::collections::BTreeMap::new();
    for (_, object) in doc.objects.iter() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let name =
            String::from_utf8(dict.get(b"FontName").unwrap().as_name().unwrap().to_vec()).unwrap();
        let (tag, family) = name.split_once('+').unwrap();
        let program = dict.get(b"FontFile2").unwrap().as_reference().unwrap();
        let stream = doc.get_object(program).unwrap().as_stream().unwrap();
        programs.insert(
            family.to_string(),
            (tag.to_string(), stream.content.clone()),
        );
    }
    programs
}

#[test]
fn documents_of_one_build_share_their_font_subsets_byte_for_byte() {
    let renderer = renderer();
    let releases = releases();
    let summary = renderer
        .quarterly_summary(quarter("2003-Q3"), &releases)
        .unwrap();
    let board = releases
        .iter()
        .find(|r| r.slug.starts_with("2003-05-19"))
        .unwrap();
    let (first, second) = (
        font_programs(&summary),
        font_programs(&renderer.release(board).unwrap()),
    );
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        ["Lato-Bold", "Lato-Regular"]
    );
    assert!(first == second, "the two documents embed different subsets");
}

#[test]
fn a_document_with_other_characters_embeds_a_subset_that_has_them() {
    let renderer = renderer();
    let releases = releases();
    let mut release = releases
        .iter()
        .find(|r| r.slug.starts_with("2003-06-27"))
        .unwrap()
        .clone();
    release.front.title = "Łukasz Wróbel Joins HemaCare".to_string();
    release.body = format!("Zoltán Erdős welcomed him.\n\n{}", release.body);
    let bytes = renderer.release(&release).unwrap();
    let text = text(&bytes);
    assert!(text.contains("Łukasz Wróbel Joins HemaCare"), "{text}");
    assert!(text.contains("Zoltán Erdős welcomed him."), "{text}");
    let shared = font_programs(&renderer.release(&releases[0]).unwrap());
    let own = font_programs(&bytes);
    for face in ["Lato-Bold", "Lato-Regular"] {
        assert_ne!(
            own[face].0, shared[face].0,
            "{face} has the shared subset's tag"
        );
        assert_ne!(
            own[face].1, shared[face].1,
            "{face} embeds the shared subset"
        );
    }
}

#[test]
fn metadata_names_the_document_and_dates_it_from_the_data() {
    let (_, info) = document_info(&summary("2003-Q3"));
    assert_eq!(
        info_text(&info, "Title"),
        "HemaCare Corporation — Quarterly Summary — Third Quarter 2003"
    );
    assert_eq!(info_text(&info, "Author"), "HemaCare Corporation");
    assert!(info_text(&info, "Subject").contains("third quarter of 2003"));
    assert_eq!(
        info_text(&info, "Keywords"),
        "HemaCare Corporation,HEMA,quarterly summary,Q3 2003,results"
    );
    assert_eq!(info_text(&info, "CreationDate"), "D:20031114000000+00'00'");
    let (_, info) = document_info(&release("2003-05-19"));
    assert_eq!(
        info_text(&info, "Title"),
        "HemaCare Adds New Members to Its Board of Directors"
    );
    assert_eq!(info_text(&info, "CreationDate"), "D:20030519000000+00'00'");
}

#[test]
fn building_twice_gives_identical_bytes() {
    let releases = releases();
    let first = renderer()
        .quarterly_summary(quarter("2003-Q3"), &releases)
        .unwrap();
    // Other documents in between move printpdf's internal id counter; the output must not care.
    let other = renderer();
    other
        .quarterly_summary(quarter("2003-Q2"), &releases)
        .unwrap();
    other.release(&releases[0]).unwrap();
    let second = other
        .quarterly_summary(quarter("2003-Q3"), &releases)
        .unwrap();
    assert!(first == second, "two builds of the Q3 summary differ");
    assert_eq!(release("2003-11-14"), release("2003-11-14"));
}

#[test]
fn the_site_has_a_summary_per_results_quarter_and_a_pdf_per_release() {
    let out = tempfile::tempdir().unwrap();
    let options = hemasite::site::BuildOptions {
        output: Some(out.path().join("public")),
        ..hemasite::site::BuildOptions::new(&repo())
    };
    hemasite::site::build(&options).unwrap();
    let pdfs: Vec<String> = ["reports", "releases"]
        .iter()
        .flat_map(|folder| {
            let mut names: Vec<String> = std::fs::read_dir(out.path().join("public").join(folder))
                .unwrap()
                .map(|entry| format!("{folder}/{}", entry.unwrap().file_name().to_string_lossy()))
                .filter(|name| name.ends_with(".pdf"))
                .collect();
            names.sort();
            names
        })
        .collect();
    assert_eq!(
        pdfs,
        [
            "reports/quarterly-summary-2003-q2.pdf",
            "reports/quarterly-summary-2003-q3.pdf",
            "releases/2003-05-19-hemacare-adds-new-members-to-its-board-of-directors.pdf",
            "releases/2003-06-27-marcario-joins-hemacare-as-chief-financial-officer.pdf",
            "releases/2003-08-11-hemacare-reports-second-quarter-financial-results.pdf",
            "releases/2003-11-14-hemacare-reports-third-quarter-financial-results.pdf",
            "releases/2004-02-27-hemacare-corporation-sets-date-for-its-2004-annual-shareholders-meeting.pdf",
        ]
    );
    for pdf in &pdfs {
        let bytes = std::fs::read(out.path().join("public").join(pdf)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{pdf}");
    }
}

#[test]
fn a_quarter_without_results_is_an_error_that_says_what_to_fix() {
    let err = renderer()
        .quarterly_summary(quarter("2004-Q1"), &releases())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("financials.fiscal_period: 2004-Q1"),
        "{err}"
    );
}

#[test]
fn a_site_restyles_the_summary_with_its_own_template() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("templates/pdf")).unwrap();
    std::fs::write(
        site.path().join("templates/pdf/quarterly-summary.md"),
        "# Letter to shareholders, {{ quarter.short }}\n\nRevenue: {{ key_figures[0].current }}\n",
    )
    .unwrap();
    let renderer = PdfRenderer::new(&config_without_logo(), &Theme::new(site.path())).unwrap();
    let bytes = renderer
        .quarterly_summary(quarter("2003-Q3"), &releases())
        .unwrap();
    assert_in_order(
        &text(&bytes),
        &["Letter to shareholders, Q3 2003", "Revenue: $6,980"],
    );
}

#[test]
fn template_mistakes_name_the_template_file() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("templates/pdf")).unwrap();
    let template = site.path().join("templates/pdf/quarterly-summary.md");
    std::fs::write(&template, "```chart\nQ1 | 5\n```\n").unwrap();
    let renderer = PdfRenderer::new(&config_without_logo(), &Theme::new(site.path())).unwrap();
    let err = renderer
        .quarterly_summary(quarter("2003-Q3"), &releases())
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&template.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("line 1") && message.contains("series:"),
        "{message}"
    );
}

#[test]
fn missing_brand_font_is_reported_with_the_files_it_needs() {
    let mut config = config();
    config.brand.font = "Missing Sans".to_string();
    let err = PdfRenderer::new(&config, &Theme::new(Path::new("/nonexistent")))
        .err()
        .unwrap();
    let message = err.to_string();
    assert!(
        message.contains("static/fonts/MissingSans-Regular.ttf"),
        "{message}"
    );
}

#[test]
fn page_size_margins_and_brand_colours_come_from_site_yaml() {
    let mut config = config();
    config.pdf.page_size = hemasite::config::PageSize::A4;
    config.brand.primary = "#00ff00".to_string();
    let renderer = PdfRenderer::new(&config, &Theme::new(&repo())).unwrap();
    let bytes = renderer
        .quarterly_summary(quarter("2003-Q3"), &releases())
        .unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    for page_id in doc.get_pages().values() {
        let page = doc.get_dictionary(*page_id).unwrap();
        let media_box: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_float().unwrap())
            .collect();
        assert_eq!(media_box, [0.0, 0.0, 595.276, 841.89]);
        let content = String::from_utf8_lossy(&doc.get_page_content(*page_id)).into_owned();
        assert!(
            content.contains("0 1 0 rg"),
            "the primary colour fills the headings and rules"
        );
    }
}

/// A release whose statement of operations has `extra` more rows than the real one.
fn release_with_long_statement(extra: usize) -> Release {
    let mut release = releases()
        .into_iter()
        .find(|r| r.slug.starts_with("2003-11-14"))
        .unwrap();
    let financials = release.front.financials.as_mut().unwrap();
    let operations = &mut financials.statements[0];
    let template = operations.rows[0].clone();
    for n in 0..extra {
        let mut row = template.clone();
        row.key = format!("line_item_{n}");
        row.label = format!("Line item {n}");
        operations.rows.push(row);
    }
    release
}

#[test]
fn a_table_that_breaks_across_pages_repeats_its_header_row() {
    let bytes = renderer()
        .release(&release_with_long_statement(60))
        .unwrap();
    let pages = pages_text(&bytes);
    let with_header: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, text)| text.contains("Three months ended September 30, 2003"))
        .map(|(n, _)| n + 1)
        .collect();
    let with_rows: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, text)| text.contains("Line item"))
        .map(|(n, _)| n + 1)
        .collect();
    assert!(
        with_rows.len() >= 2,
        "the table should span pages: {with_rows:?}"
    );
    for page in &with_rows {
        assert!(
            with_header.contains(page),
            "page {page} continues the table without its header"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    /// Whatever a release says, its PDF is made: Markdown and template syntax in the text,
    /// very long words, characters the font lacks. One renderer serves every case, as one serves
    /// a whole build (making one builds the shared font subsets, slow in a debug build).
    #[test]
    fn any_release_text_renders() {
        let renderer = renderer();
        let release = releases().remove(0);
        let texts = (
            "\\PC{0,120}",
            "(\\PC{0,80}(\n\n|\n|#|\\||\\*|```|> |- |1\\. )){0,12}",
            "[a-zA-Z0-9 ]{0,20}[^ ]{300}",
        );
        let mut runner = TestRunner::new(Config {
            cases: 24,
            ..Config::default()
        });
        runner
            .run(&texts, |(title, body, about)| {
                let mut release = release.clone();
                release.front.title = title;
                release.body = body;
                release.front.about = Some(about);
                let bytes = renderer.release(&release);
                prop_assert!(bytes.is_ok(), "{:?}", bytes.err());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_release_pdf_prints_the_releases_characters_never_markdown_escapes() {
    const HOSTILE: &str = "Results <script>alert(1)</script> & *bold* | [x](y) #1";
    let mut releases = releases();
    let index = releases
        .iter()
        .position(|r| r.slug.starts_with("2003-11-14"))
        .unwrap();
    let mut release = releases.remove(index);
    release.front.title = HOSTILE.to_string();
    release.front.about = Some(HOSTILE.to_string());
    release.front.safe_harbor = Some(HOSTILE.to_string());
    if let Some(contact) = release.front.contact.as_mut() {
        contact.name = Some(HOSTILE.to_string());
    }
    let statement = &mut release.front.financials.as_mut().unwrap().statements[0];
    statement.rows[0].label = HOSTILE.to_string();
    release.body = format!("Body \\<script\\> &lt;b&gt;\n\n{}", release.body);
    let text = text(&renderer().release(&release).unwrap());
    assert!(!text.contains('\\'), "a backslash is printed: {text}");
    assert!(text.contains("Body <script> <b>"), "{text}");
    assert!(
        text.matches("<script>alert(1)</script>").count() >= 4,
        "{text}"
    );
}

#[test]
fn a_quarterly_summary_prints_the_releases_characters_never_markdown_escapes() {
    const HOSTILE: &str = "Results <script>alert(1)</script> & *bold* | [x](y) #1";
    let mut releases = releases();
    for release in &mut releases {
        release.front.title = format!("{HOSTILE} {}", release.front.title);
        release.body = format!("Lead \\<script\\> &lt;b&gt; {HOSTILE}.\n\n{}", release.body);
        if let Some(about) = release.front.about.as_mut() {
            about.insert_str(0, HOSTILE);
        }
    }
    for period in ["2003-Q2", "2003-Q3"] {
        let bytes = renderer()
            .quarterly_summary(quarter(period), &releases)
            .unwrap();
        let text = text(&bytes);
        assert!(
            !text.contains('\\'),
            "{period}: a backslash is printed: {text}"
        );
        assert!(
            text.contains("<script>alert(1)</script>"),
            "{period}: {text}"
        );
    }
}

/// The logo XObject each page of `bytes` draws (`/Logo Do` in its content, `/Logo` among its
/// resources), the same object on every page.
fn logo_of_every_page(bytes: &[u8]) -> (Document, lopdf::ObjectId) {
    let doc = Document::load_mem(bytes).unwrap();
    let mut logos = std::collections::BTreeSet::new();
    for page_id in doc.get_pages().values() {
        let content = doc.get_page_content(*page_id);
        let content = String::from_utf8_lossy(&content);
        assert!(content.contains("/Logo Do"), "{content}");
        // The pages share one resource dictionary, by reference.
        let (direct, shared) = doc.get_page_resources(*page_id).unwrap();
        let resources = direct.unwrap_or_else(|| doc.get_dictionary(shared[0]).unwrap());
        let xobjects = resources.get(b"XObject").unwrap().as_dict().unwrap();
        logos.insert(xobjects.get(b"Logo").unwrap().as_reference().unwrap());
    }
    assert_eq!(logos.len(), 1, "one logo object: {logos:?}");
    (doc, logos.into_iter().next().unwrap())
}

#[test]
fn the_svg_logo_is_drawn_as_vector_paths_in_every_pages_header() {
    let bytes = release("2003-11-14");
    let (doc, logo) = logo_of_every_page(&bytes);
    let mut form = doc.get_object(logo).unwrap().as_stream().unwrap().clone();
    assert_eq!(
        form.dict.get(b"Subtype").unwrap().as_name().unwrap(),
        b"Form"
    );
    form.decompress().unwrap();
    let drawing = String::from_utf8(form.content).unwrap();
    // The demo logo: a rounded square in the brand red, a white drop, a red cross.
    assert!(
        drawing.contains("0.54901963 0.10980392 0.16862746 rg"),
        "{drawing}"
    );
    assert!(drawing.contains("1 1 1 rg"), "{drawing}");
    assert_eq!(drawing.matches("\nf\n").count(), 4, "{drawing}");
}

#[test]
fn a_png_logo_is_embedded_as_an_image_with_its_transparency() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    let mut png = Vec::new();
    {
        let mut encoder = ::png::Encoder::new(&mut png, 3, 2);
        encoder.set_color(::png::ColorType::Rgba);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let pixel = [140, 28, 43, 255];
        let clear = [255, 255, 255, 0];
        let pixels: Vec<u8> = [pixel, clear, pixel, clear, pixel, clear].concat();
        writer.write_image_data(&pixels).unwrap();
    }
    std::fs::write(site.path().join("static/mark.png"), &png).unwrap();
    let mut config = config();
    config.brand.logo = Some("mark.png".to_string());
    let renderer = PdfRenderer::new(&config, &Theme::new(site.path())).unwrap();
    let releases = releases();
    let bytes = renderer.release(&releases[0]).unwrap();
    let (doc, logo) = logo_of_every_page(&bytes);
    let mut image = doc.get_object(logo).unwrap().as_stream().unwrap().clone();
    let dict = image.dict.clone();
    assert_eq!(dict.get(b"Subtype").unwrap().as_name().unwrap(), b"Image");
    assert_eq!(dict.get(b"Width").unwrap().as_i64().unwrap(), 3);
    assert_eq!(
        dict.get(b"ColorSpace").unwrap().as_name().unwrap(),
        b"DeviceRGB"
    );
    image.decompress().unwrap();
    assert_eq!(&image.content[..6], [140, 28, 43, 255, 255, 255]);
    let mask = dict.get(b"SMask").unwrap().as_reference().unwrap();
    let mut mask = doc.get_object(mask).unwrap().as_stream().unwrap().clone();
    mask.decompress().unwrap();
    assert_eq!(mask.content, [255, 0, 255, 0, 255, 0]);
    // Twice the same bytes.
    assert_eq!(bytes, renderer.release(&releases[0]).unwrap());
}

#[test]
fn a_logo_that_cannot_be_drawn_is_an_error_naming_brand_logo() {
    let mut config = config();
    config.brand.logo = Some("missing.svg".to_string());
    let err = PdfRenderer::new(&config, &Theme::new(&repo()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("site.yaml:13: brand.logo: there is no file `static/missing.svg`"),
        "{err}"
    );
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(
        site.path().join("static/logo.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9" height="9" fill="url(#g)"/><defs><radialGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></radialGradient></defs></svg>"##,
    )
    .unwrap();
    config.brand.logo = Some("logo.svg".to_string());
    let err = PdfRenderer::new(&config, &Theme::new(site.path()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("brand.logo: `static/logo.svg` uses a gradient or pattern"),
        "{err}"
    );
    assert!(err.contains("or use a PNG"), "{err}");
}

#[test]
fn a_fiscal_period_that_is_no_quarter_names_the_release_and_its_line() {
    let mut release = releases()
        .into_iter()
        .find(|r| r.front.financials.is_some())
        .unwrap();
    let line = {
        let text = std::fs::read_to_string(&release.path).unwrap();
        text.lines()
            .position(|l| l.trim_start().starts_with("fiscal_period:"))
            .unwrap()
            + 1
    };
    release.front.financials.as_mut().unwrap().fiscal_period = "Q3 2003".to_string();
    let err = hemasite::pdf::fiscal_quarter(&release)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("{}:{line}: ", release.path.display())),
        "{err}"
    );
    assert!(
        err.contains("`Q3 2003` is not a quarter such as `2003-Q3`"),
        "{err}"
    );
}
