//! `hemasite build`, checked the way a visitor, a feed reader and a calendar would see the site.
//!
//! The fixture site (`tests/fixtures/hemacare/`) holds the five seed releases; every test builds
//! it (or a changed copy) into a temporary folder and reads the output with real parsers:
//! html5ever (through scraper) for pages, quick-xml for feeds and the sitemap, and a strict
//! RFC 5545 line checker for the calendars.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hemasite::site::{BuildOptions, build};
use scraper::{Html, Selector};

mod common;
use common::{copy_of_fixture, fixture, tree};

const Q3: &str = "releases/2003-11-14-hemacare-reports-third-quarter-financial-results/";
const XSS_TITLE: &str = "Results <script>alert(1)</script> \"><img src=x onerror=alert(2)>";

/// Builds `root` into `<dir>/public`, without the PDFs (tests/pdf.rs has those), and returns
/// the output folder.
fn build_into(root: &Path, dir: &Path, base_url: Option<&str>) -> PathBuf {
    let mut options = BuildOptions::new(root);
    options.output = Some(dir.join("public"));
    options.pdfs = false;
    options.base_url = base_url.map(str::to_string);
    let report = build(&options).unwrap_or_else(|err| panic!("build failed: {err}"));
    assert!(report.pages >= 10, "{report:?}");
    report.output
}

fn built_fixture(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(&fixture(), dir.path(), base_url);
    (dir, out)
}

fn html_pages(files: &BTreeMap<String, Vec<u8>>) -> Vec<(&str, Html)> {
    files
        .iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| {
            let text = std::str::from_utf8(bytes).unwrap();
            (name.as_str(), Html::parse_document(text))
        })
        .collect()
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn text_of(page: &Html, css: &str) -> String {
    page.select(&selector(css))
        .map(|element| element.text().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_page_is_well_formed_html() {
    let (_dir, out) = built_fixture(None);
    let files = tree(&out);
    let pages = html_pages(&files);
    for expected in [
        "index.html",
        "news/index.html",
        "news/2003/index.html",
        "news/2004/index.html",
        "news/category/earnings/index.html",
        "events/index.html",
        "leadership/index.html",
        "404.html",
        &format!("{Q3}index.html"),
    ] {
        assert!(files.contains_key(expected), "missing page {expected}");
    }
    for (name, page) in &pages {
        assert!(page.errors.is_empty(), "{name}: {:?}", page.errors);
        assert_eq!(page.select(&selector("h1")).count(), 1, "{name}: one h1");
        assert!(!text_of(page, "title").is_empty(), "{name}: a title");
    }
}

/// Resolves every `href` and `src` of every page against the output tree: each must name a
/// file there, and each `#fragment` an element id on the target page.
fn assert_no_broken_links(out: &Path, base_url: &str) {
    let files = tree(out);
    let pages = html_pages(&files);
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(name, page)| {
            let ids = page
                .select(&selector("[id]"))
                .filter_map(|element| element.value().id().map(str::to_string))
                .collect();
            (*name, ids)
        })
        .collect();
    let base_path = base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].to_string()))
        .unwrap();
    let mut checked = 0;
    let linking = selector("[href], [src]");
    for (name, page) in &pages {
        let links = page
            .select(&linking)
            .flat_map(|element| {
                let value = element.value();
                [value.attr("href"), value.attr("src")]
            })
            .flatten();
        let site_host = base_url.split('/').take(3).collect::<Vec<_>>().join("/");
        for link in links {
            if link.starts_with("mailto:") || link.starts_with("tel:") {
                continue;
            }
            // A release's own web addresses (its webcast, its website) are other sites.
            let external = (link.starts_with("http://") || link.starts_with("https://"))
                && !link.starts_with(&site_host);
            if external {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let target = if let Some(rest) = path.strip_prefix(base_url) {
                rest.to_string()
            } else if path.starts_with("http://") || path.starts_with("https://") {
                panic!("{name}: link {link} leaves the site");
            } else if let Some(rest) = path.strip_prefix(&base_path) {
                rest.to_string()
            } else if path.is_empty() {
                name.to_string()
            } else {
                resolve(name, path).unwrap_or_else(|| panic!("{name}: {link} leaves the site"))
            };
            let target = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target
            };
            assert!(
                files.contains_key(&target),
                "{name}: broken link {link} (looked for {target})"
            );
            if !fragment.is_empty() {
                assert!(
                    ids.get(target.as_str())
                        .is_some_and(|ids| ids.contains(fragment)),
                    "{name}: broken anchor {link}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

/// `releases/x/index.html` + `../../news/` → `news/`; `None` when it climbs above the root.
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            ".." => {
                parts.pop()?;
            }
            "." => {}
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn no_link_or_anchor_is_broken_at_a_host_root() {
    let (_dir, out) = built_fixture(None);
    assert_no_broken_links(&out, "https://ir.hemacare.example/");
}

#[test]
fn no_link_or_anchor_is_broken_under_a_sub_path() {
    let base = "https://www.hemacare.example/investors/";
    let (_dir, out) = built_fixture(Some(base));
    assert_no_broken_links(&out, base);
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"/investors/news/\""),
        "{not_found}"
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains(&format!("<loc>{base}{Q3}</loc>")),
        "{sitemap}"
    );
}

/// Reads an XML document to its end; returns the names of its elements.
fn parse_xml(name: &str, text: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return names,
            Ok(quick_xml::events::Event::Start(tag) | quick_xml::events::Event::Empty(tag)) => {
                names.push(tag.name().as_ref().to_string());
            }
            Ok(_) => {}
            Err(err) => panic!(
                "{name}: not well-formed XML at {}: {err}",
                reader.error_position()
            ),
        }
    }
}

#[test]
fn feeds_and_sitemap_are_well_formed_xml() {
    let (_dir, out) = built_fixture(None);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let atom = parse_xml("feed.xml", &read("feed.xml"));
    assert_eq!(atom[0], "feed");
    assert_eq!(atom.iter().filter(|name| *name == "entry").count(), 5);
    let rss = parse_xml("rss.xml", &read("rss.xml"));
    assert_eq!(rss[0], "rss");
    assert_eq!(rss.iter().filter(|name| *name == "item").count(), 5);
    let sitemap = parse_xml("sitemap.xml", &read("sitemap.xml"));
    assert_eq!(sitemap[0], "urlset");
    // Home, news (all, 2 years, 4 categories), 5 releases, financials, events, leadership, SEC
    // filings, the two pages of the site's own; not the 404.
    assert_eq!(sitemap.iter().filter(|name| *name == "url").count(), 19);
    let sitemap_text = read("sitemap.xml");
    for url in ["filings/", "governance/", "governance/committees/"] {
        assert!(
            sitemap_text.contains(&format!("<loc>https://ir.hemacare.example/{url}</loc>")),
            "{url} in {sitemap_text}"
        );
    }
    // The newest release comes first in both feeds.
    let atom_text = read("feed.xml");
    let first = atom_text.find("<entry>").unwrap();
    assert!(atom_text[first..].starts_with(
        "<entry>\n    <title>HemaCare Corporation Sets Date for Its 2004 Annual Shareholders Meeting</title>"
    ));
    assert!(read("robots.txt").contains("Sitemap: https://ir.hemacare.example/sitemap.xml"));
}

/// A strict reading of RFC 5545's syntax: CRLF line ends, lines of at most 75 octets, folded
/// lines starting with a space, `NAME[;PARAM=VALUE]:VALUE` content lines, balanced
/// BEGIN/END, and the properties every VEVENT must have. Returns the events' properties.
fn parse_ics(name: &str, text: &str) -> Vec<BTreeMap<String, String>> {
    assert!(text.ends_with("\r\n"), "{name}: must end with CRLF");
    let mut lines: Vec<String> = Vec::new();
    for physical in text.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(
            !physical.contains('\n') && !physical.contains('\r'),
            "{name}: bare LF or CR"
        );
        assert!(
            physical.len() <= 75,
            "{name}: line over 75 octets: {physical:?}"
        );
        match physical.strip_prefix(' ') {
            Some(continued) => lines
                .last_mut()
                .expect("fold on first line")
                .push_str(continued),
            None => lines.push(physical.to_string()),
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut events = Vec::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    for line in &lines {
        let (head, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}: no colon in {line:?}"));
        let property = head.split(';').next().unwrap();
        assert!(
            !property.is_empty()
                && property
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
            "{name}: bad property name in {line:?}"
        );
        match property {
            "BEGIN" => {
                stack.push(value.to_string());
                if value == "VEVENT" {
                    current = Some(BTreeMap::new());
                }
            }
            "END" => {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(value),
                    "{name}: unbalanced END"
                );
                if value == "VEVENT" {
                    events.push(current.take().unwrap());
                }
            }
            _ => {
                if let Some(event) = current.as_mut() {
                    assert!(
                        event.insert(property.to_string(), line.clone()).is_none(),
                        "{name}: {property} twice in one VEVENT"
                    );
                }
            }
        }
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
    assert!(lines[0] == "BEGIN:VCALENDAR" && lines.contains(&"VERSION:2.0".to_string()));
    assert!(
        lines.iter().any(|line| line.starts_with("PRODID:")),
        "{name}: PRODID"
    );
    for event in &events {
        for required in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
            assert!(
                event.contains_key(required),
                "{name}: VEVENT without {required}"
            );
        }
        let stamp = &event["DTSTAMP"]["DTSTAMP:".len()..];
        assert!(is_utc_date_time(stamp), "{name}: DTSTAMP {stamp}");
        let start = &event["DTSTART"];
        let valid_start = match start.strip_prefix("DTSTART;VALUE=DATE:") {
            Some(day) => NaiveDate::parse_from_str(day, "%Y%m%d").is_ok(),
            None => is_utc_date_time(&start["DTSTART:".len()..]),
        };
        assert!(valid_start, "{name}: {start}");
    }
    events
}

fn is_utc_date_time(text: &str) -> bool {
    chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ").is_ok()
}

#[test]
fn calendars_are_valid_icalendar_with_times_in_utc() {
    let (_dir, out) = built_fixture(None);
    let all = std::fs::read_to_string(out.join("calendar.ics")).unwrap();
    let events = parse_ics("calendar.ics", &all);
    assert_eq!(events.len(), 5);
    let uids: BTreeSet<&String> = events.iter().map(|event| &event["UID"]).collect();
    assert_eq!(uids.len(), 5, "UIDs are unique");
    // 4:30 pm Eastern Standard Time is 21:30 UTC; 9:00 Pacific Daylight Time is 16:00 UTC.
    assert!(
        events
            .iter()
            .any(|e| e["DTSTART"] == "DTSTART:20031114T213000Z")
    );
    assert!(
        events
            .iter()
            .any(|e| e["DTSTART"] == "DTSTART:20040525T160000Z")
    );
    assert!(
        events
            .iter()
            .any(|e| e["DTSTART"] == "DTSTART;VALUE=DATE:20040407")
    );
    let singles: Vec<_> = tree(&out.join("events"))
        .into_iter()
        .filter(|(name, _)| name.ends_with(".ics"))
        .collect();
    assert_eq!(singles.len(), 5);
    for (name, bytes) in singles {
        let single = parse_ics(&name, std::str::from_utf8(&bytes).unwrap());
        assert_eq!(single.len(), 1);
        assert!(
            uids.contains(&single[0]["UID"]),
            "{name}: same UID as in calendar.ics"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, first) = built_fixture(None);
    let (_b, second) = built_fixture(None);
    let (first, second) = (tree(&first), tree(&second));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(bytes == &second[name], "{name} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let before = tree(&out);
    std::fs::write(
        site.path().join("content/releases/2004-03-01-broken.md"),
        "---\ntitle: Broken\ndate: 2004-13-45\n---\nbody\n",
    )
    .unwrap();
    let mut options = BuildOptions::new(site.path());
    options.output = Some(out.clone());
    let err = build(&options).unwrap_err().to_string();
    assert!(err.contains("2004-03-01-broken.md:3"), "{err}");
    assert_eq!(tree(&out), before, "public/ changed after a failed build");
    assert_eq!(
        folder_names(dir.path()),
        [".public-cache", ".public-manifest", "public"],
        "staging folder left behind"
    );
}

#[test]
fn a_failure_while_rendering_also_leaves_the_output_untouched() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let before = tree(&out);
    // A filing that went missing is found only while the pages are written.
    std::fs::remove_file(
        site.path()
            .join("content/raw/2003-11-14-q3-2003-results.txt"),
    )
    .unwrap();
    let mut options = BuildOptions::new(site.path());
    options.output = Some(out.clone());
    let err = build(&options).unwrap_err().to_string();
    assert!(err.contains("source.file"), "{err}");
    assert_eq!(tree(&out), before);
    assert_eq!(
        folder_names(dir.path()),
        [".public-cache", ".public-manifest", "public"]
    );
}

/// The names in a folder, sorted: the output and the manifest beside it, and nothing else
/// once a build is over.
fn folder_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds the fixture with the site's own `templates/<name>` holding `text`, which must fail;
/// returns the template's path and the error. Nothing may be published.
fn build_error_with_template(name: &str, text: &str) -> (PathBuf, String) {
    let site = copy_of_fixture();
    let template = site.path().join("templates").join(name);
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::write(&template, text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(site.path());
    options.output = Some(dir.path().join("public"));
    let err = build(&options).unwrap_err().to_string();
    assert!(!dir.path().join("public").exists(), "published: {err}");
    (template, err)
}

#[test]
fn a_template_error_names_the_template_its_line_and_the_page() {
    let (template, err) = build_error_with_template(
        "leadership.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ leadership.nobody.name }}</h1>\n{% endblock content %}\n",
    );
    assert!(
        err.starts_with(
            "cannot render leadership/index.html with template `leadership.html`: Field `nobody` \
             is not defined."
        ),
        "page and problem first: {err}"
    );
    // File, line and column; the line itself; a caret under `nobody` (column 19).
    let place = format!(
        " --> {}:3:19\n  |\n3 | <h1>{{{{ leadership.nobody.name }}}}</h1>\n  |                   ^^^^^^\n",
        template.display()
    );
    assert!(err.contains(&place), "place missing: {err}");
}

#[test]
fn a_template_syntax_error_is_shown_with_its_line_and_column_before_any_page_is_rendered() {
    let (partial, err) = build_error_with_template(
        "partials/broken.html",
        "<p>\n  {% if release.title %}{{ release.title }\n</p>\n",
    );
    let expected = format!(
        "a template has an error: Found `}}` but expected }}}}.\n --> {}:2:42\n  |\n2 |   {{% if release.title %}}{{{{ release.title }}\n  |                                          ^\n",
        partial.display()
    );
    assert!(err.starts_with(&expected), "{err}");
}

#[test]
fn an_error_in_a_built_in_partial_names_it_as_built_in_and_where_it_was_included() {
    // The leadership page has no `event`, which the built-in event partial needs.
    let (page, err) = build_error_with_template(
        "leadership.html",
        "{% extends \"base.html\" %}\n{% block content %}{% include \"partials/event.html\" %}{% endblock content %}\n",
    );
    assert!(err.contains("Variable `event` is not defined"), "{err}");
    assert!(
        err.contains(" --> templates/partials/event.html:1:"),
        "the built-in file: {err}"
    );
    assert!(err.contains(" (built-in)\n"), "{err}");
    assert!(
        err.contains(&format!("note: called from {}:2:", page.display())),
        "the site's page that includes it: {err}"
    );
}

/// Puts markup into a title, a quote and a table label of the Q3 release.
fn site_with_hostile_content() -> tempfile::TempDir {
    let site = copy_of_fixture();
    let path = site
        .path()
        .join("content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let quoted = serde_json::to_string(XSS_TITLE).unwrap();
    let text = text
        .replace(
            "title: HemaCare Reports Third Quarter Financial Results",
            &format!("title: {quoted}"),
        )
        .replace(
            "text: \"We are certainly",
            &format!("text: {}", &quoted[..quoted.len() - 1]),
        )
        .replace("label: Revenues,", &format!("label: {quoted},"));
    assert_eq!(
        text.matches("<script>").count(),
        3,
        "fixture did not change"
    );
    std::fs::write(&path, text).unwrap();
    // A page of the site's own with the same markup in every field and in its body.
    let page = format!(
        "---\ntitle: {quoted}\ndescription: {quoted}\nnav: 1\n---\n\n{XSS_TITLE}\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![y](x.png)\n"
    );
    std::fs::write(site.path().join("content/pages/hostile.md"), page).unwrap();
    site
}

#[test]
fn markup_in_content_is_never_live_in_the_output() {
    let site = site_with_hostile_content();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let files = tree(&out);
    let mut seen_as_text = 0;
    for (name, page) in html_pages(&files) {
        for script in page.select(&selector("script")) {
            assert!(
                script
                    .value()
                    .attr("src")
                    .is_some_and(|src| src.ends_with("search.js"))
                    && script.text().collect::<String>().trim().is_empty(),
                "{name}: unexpected script {:?}",
                script.html()
            );
        }
        // The one image is the logo, from site.yaml.
        assert_eq!(
            page.select(&selector("img:not(.brand-logo[src$='logo.svg'])"))
                .count(),
            0,
            "{name}: an img appeared"
        );
        for element in page.select(&selector("*")) {
            for (attribute, _) in element.value().attrs() {
                assert!(
                    !attribute.starts_with("on"),
                    "{name}: live {attribute} attribute"
                );
            }
        }
        seen_as_text += page
            .root_element()
            .text()
            .filter(|text| text.contains("<script>alert(1)</script>"))
            .count();
    }
    assert!(
        seen_as_text >= 4,
        "the text itself is shown ({seen_as_text})"
    );
    let own = std::str::from_utf8(&files["hostile/index.html"]).unwrap();
    assert!(
        own.contains("\n&lt;script&gt;alert(1)&lt;/script&gt;\n")
            && own.contains("<p>Results &lt;script&gt;")
            && own.contains("<title>Results &lt;script&gt;")
            && own.contains("<h1>Results &lt;script&gt;"),
        "the page's raw HTML and title are text: {own}"
    );
    assert!(!own.contains("javascript:"), "{own}");
    for feed in ["feed.xml", "rss.xml", "sitemap.xml"] {
        let text = std::str::from_utf8(&files[feed]).unwrap();
        parse_xml(feed, text);
        assert!(!text.contains("<script"), "{feed}");
    }
}

#[test]
fn content_cannot_make_the_build_write_outside_the_output() {
    let site = copy_of_fixture();
    let path = site
        .path()
        .join("content/releases/2003-06-27-marcario-joins-hemacare-as-chief-financial-officer.md");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "file: raw/2003-06-27-new-chief-financial-officer.txt",
        "file: ../site.yaml",
    );
    std::fs::write(&path, text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(site.path());
    options.output = Some(dir.path().join("public"));
    let err = build(&options).unwrap_err().to_string();
    assert!(err.contains("must name a file under content/raw/"), "{err}");
    // A file name that is not a safe slug is refused when releases are read.
    std::fs::write(site.path().join("content/releases/..md"), "").unwrap();
    assert!(build(&options).is_err());
}

#[test]
fn financial_tables_use_one_number_format() {
    let (_dir, out) = built_fixture(None);
    let page = Html::parse_document(
        &std::fs::read_to_string(out.join(format!("{Q3}index.html"))).unwrap(),
    );
    let headers = text_of(&page, "#operations-1 thead th");
    assert!(
        headers.contains("Three months ended Sep 30, 2003"),
        "{headers}"
    );
    assert!(
        headers.contains("Nine months ended Sep 30, 2002"),
        "{headers}"
    );
    let row = |label: &str| -> Vec<String> {
        page.select(&selector("tbody tr"))
            .find(|tr| {
                let heading: String = tr
                    .select(&selector("th"))
                    .flat_map(|th| th.text())
                    .collect();
                heading == label
            })
            .map(|tr| {
                tr.select(&selector("td"))
                    .map(|td| td.text().collect())
                    .collect()
            })
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    assert_eq!(
        row("Revenues"),
        ["6,980,000", "7,181,000", "20,848,000", "20,442,000"]
    );
    assert_eq!(
        row("Net loss"),
        ["(4,679,000)", "(462,000)", "(4,943,000)", "(619,000)"]
    );
    assert_eq!(
        row("Basic and diluted per share amounts"),
        ["(0.60)", "(0.06)", "(0.64)", "(0.08)"]
    );
    let totals = page.select(&selector("tr.total th")).count();
    assert_eq!(
        totals, 3,
        "net loss and both balance-sheet totals are ruled"
    );
    for cell in page.select(&selector("td")) {
        assert!(cell.value().classes().any(|class| class == "num"));
    }
}

#[test]
fn leadership_shows_the_june_2003_cfo_change() {
    let (_dir, out) = built_fixture(None);
    let page =
        Html::parse_document(&std::fs::read_to_string(out.join("leadership/index.html")).unwrap());
    let current = text_of(&page, "section[aria-labelledby=current]");
    let former = text_of(&page, "section[aria-labelledby=former]");
    assert!(
        current.contains("Robert Chilton Chief Financial Officer"),
        "{current}"
    );
    assert!(
        current.contains("Judi Irving President and Chief Executive Officer"),
        "{current}"
    );
    assert!(
        !current.contains("Marcario") && !current.contains("Fractor"),
        "{current}"
    );
    assert!(
        former.contains("Rose Marcario Chief Financial Officer (succeeded by Robert Chilton)"),
        "{former}"
    );
    assert!(
        former
            .contains("David Fractor Former Chief Financial Officer (succeeded by Rose Marcario)"),
        "{former}"
    );
    // Both directors named in May 2003 still hold their seats.
    assert!(current.contains("Terry Van Der Tuuk Director"), "{current}");
}

#[test]
fn events_are_upcoming_or_past_relative_to_the_reference_date() {
    let titles = |out: &Path, section: &str| {
        let page =
            Html::parse_document(&std::fs::read_to_string(out.join("events/index.html")).unwrap());
        text_of(&page, &format!("section[aria-labelledby={section}] h3"))
    };
    // By default the reference date is the day of the build, long after the fixture's dates: a
    // site built in 2004 or later lists the May 2004 meeting as past, never as upcoming.
    let (_dir, out) = built_fixture(None);
    assert_eq!(titles(&out, "upcoming"), "");
    assert!(titles(&out, "past").starts_with("2004 annual meeting of shareholders"));
    // The day the newest release was issued: its dates are upcoming, and the page says as of when.
    let dir = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(&fixture());
    options.output = Some(dir.path().join("public"));
    options.pdfs = false;
    options.today = NaiveDate::from_ymd_opt(2004, 2, 27);
    build(&options).unwrap();
    let out = options.output_dir();
    let upcoming = titles(&out, "upcoming");
    assert!(
        upcoming.starts_with("Record date for the 2004 annual meeting"),
        "{upcoming}"
    );
    assert!(upcoming.contains("2004 annual meeting of shareholders"));
    assert!(titles(&out, "past").starts_with("Third quarter 2003 results conference call"));
    let page = std::fs::read_to_string(out.join("events/index.html")).unwrap();
    assert!(
        page.contains("as of February 27, 2004"),
        "the events page says as of when"
    );
    // --today moves it.
    let dir = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(&fixture());
    options.output = Some(dir.path().join("public"));
    options.today = NaiveDate::from_ymd_opt(2004, 4, 8);
    build(&options).unwrap();
    let upcoming = titles(&options.output_dir(), "upcoming");
    assert!(upcoming.starts_with("Proxy statement mailed"), "{upcoming}");
    assert!(!upcoming.contains("Record date"), "{upcoming}");
}

#[test]
fn the_events_page_lists_the_latest_25_past_events_and_says_where_the_others_are() {
    let site = copy_of_fixture();
    let releases = site.path().join("content/releases");
    let meeting =
        "2004-02-27-hemacare-corporation-sets-date-for-its-2004-annual-shareholders-meeting";
    let text = std::fs::read_to_string(releases.join(format!("{meeting}.md"))).unwrap();
    // Ten more announcements of the same three dates: 35 events in all.
    for day in 1..=10 {
        let date = format!("2004-03-{day:02}");
        let copy = text.replacen("date: 2004-02-27", &format!("date: {date}"), 1);
        std::fs::write(
            releases.join(format!("{date}-meeting-notice-{day}.md")),
            copy,
        )
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(site.path());
    options.output = Some(dir.path().join("public"));
    options.pdfs = false;
    options.today = NaiveDate::from_ymd_opt(2005, 1, 1);
    build(&options).unwrap();
    let page = Html::parse_document(
        &std::fs::read_to_string(options.output_dir().join("events/index.html")).unwrap(),
    );
    let past = page
        .select(&selector("section[aria-labelledby=past] h3"))
        .count();
    assert_eq!(past, 25);
    let note = text_of(&page, "section[aria-labelledby=past] p.muted");
    assert!(note.starts_with("10 earlier events are listed"), "{note}");
    let calendar = std::fs::read_to_string(options.output_dir().join("calendar.ics")).unwrap();
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 35);
}

#[test]
fn every_page_with_its_css_and_scripts_stays_under_60_kb() {
    let (_dir, out) = built_fixture(None);
    let files = tree(&out);
    for (name, page) in html_pages(&files) {
        let mut weight = files[name].len();
        for asset in page.select(&selector("link[rel=stylesheet], script[src]")) {
            let link = asset
                .value()
                .attr("href")
                .or(asset.value().attr("src"))
                .unwrap();
            let path = match link.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => resolve(name, link).unwrap(),
            };
            weight += files[&path].len();
        }
        assert!(weight < 60 * 1024, "{name} weighs {weight} bytes");
    }
}

#[test]
fn the_original_filing_is_published_beside_its_release() {
    let (_dir, out) = built_fixture(None);
    let copied = std::fs::read(out.join(format!("{Q3}2003-11-14-q3-2003-results.txt"))).unwrap();
    let original =
        std::fs::read(fixture().join("content/raw/2003-11-14-q3-2003-results.txt")).unwrap();
    assert_eq!(copied, original);
}

#[test]
fn the_home_page_links_the_quarterly_summaries_and_release_pages_their_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(&fixture());
    options.output = Some(dir.path().join("public"));
    let report = build(&options).unwrap();
    assert_eq!(report.pdfs, 7, "two summaries and one PDF per release");
    let out = options.output_dir();
    let home = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let reports = text_of(&home, "section[aria-labelledby=reports] a");
    assert_eq!(
        reports,
        "Third Quarter 2003 summary (PDF) Second Quarter 2003 summary (PDF)"
    );
    let release = std::fs::read_to_string(out.join(format!("{Q3}index.html"))).unwrap();
    assert!(release.contains("hemacare-reports-third-quarter-financial-results.pdf"));
    assert_no_broken_links(&out, "https://ir.hemacare.example/");
    // Without the PDFs, no links to them.
    let (_dir, plain) = built_fixture(None);
    let home = std::fs::read_to_string(plain.join("index.html")).unwrap();
    assert!(!home.contains("reports/"));
    let release = std::fs::read_to_string(plain.join(format!("{Q3}index.html"))).unwrap();
    assert!(!release.contains(".pdf"));
}

// The ledger on the site: the financials page, the home page's key figures, the downloads and
// the consistency gate. The fixture holds the seed releases' figures.

#[test]
fn the_financials_page_shows_quarters_charts_and_every_derived_value_with_its_formula() {
    let (_dir, out) = built_fixture(None);
    let page =
        Html::parse_document(&std::fs::read_to_string(out.join("financials/index.html")).unwrap());
    let headers = text_of(&page, "#quarterly thead th");
    assert!(
        headers.starts_with("Line item Third Quarter 2003 Second Quarter 2003 First Quarter 2003"),
        "newest first: {headers}"
    );
    // 2003-Q1 revenue is printed by no release; it is six months minus the second quarter.
    let formula = "derived: 2003-6M − 2003-Q2 = 13,868,000 − 6,937,000";
    let derived = page
        .select(&selector("#quarterly td.derived"))
        .find(|cell| cell.text().collect::<String>().ends_with("6,931,000"))
        .expect("2003-Q1 revenue is marked as derived");
    assert_eq!(derived.value().attr("title"), Some(formula));
    let note_link = derived
        .select(&selector("a.note-ref"))
        .next()
        .and_then(|link| link.value().attr("href"))
        .unwrap();
    let note = text_of(&page, note_link).replace(" :", ":");
    assert_eq!(note, format!("First Quarter 2003, Revenue: {formula}"));
    // Losses in a formula: minus signs, a negative after the first in parentheses.
    let notes = text_of(&page, "body");
    assert!(
        notes.contains(
            "derived: 2003-6M \u{2212} 2003-Q2 = \u{2212}440,000 \u{2212} (\u{2212}454,000)"
        ),
        "{notes}"
    );
    // Reported quarters carry no mark.
    let q3_revenue = page
        .select(&selector("#quarterly tbody tr"))
        .find(|row| text_of_element(row, "th") == "Revenue")
        .and_then(|row| row.select(&selector("td")).next())
        .unwrap();
    assert_eq!(text_of_element(&q3_revenue, "*"), "");
    assert_eq!(q3_revenue.text().collect::<String>(), "6,980,000");
    assert!(!q3_revenue.value().classes().any(|class| class == "derived"));
    // Both charts, each with its accessible name and description.
    for (id, title) in [
        ("revenue", "Revenue by quarter"),
        ("net-income", "Net income (loss) by quarter"),
    ] {
        let svg = page
            .select(&selector(&format!("#chart-{id} svg[role=img]")))
            .next()
            .unwrap_or_else(|| panic!("no {id} chart"));
        assert_eq!(
            svg.value().attr("aria-labelledby"),
            Some(format!("chart-{id}-title chart-{id}-desc").as_str())
        );
        assert_eq!(text_of(&page, &format!("#chart-{id}-title")), title);
        assert!(!text_of(&page, &format!("#chart-{id}-desc")).is_empty());
    }
    assert!(text_of(&page, "#chart-revenue-desc").contains("$6,980,000"));
    // The balance sheet by date, its totals ruled.
    let dates = text_of(&page, "#balance-sheet thead th");
    assert!(dates.contains("As of Sep 30, 2003"), "{dates}");
    let totals = text_of(&page, "#balance-sheet tr.total th");
    assert_eq!(
        totals,
        "Total assets Total liabilities and shareholders' equity"
    );
    // Tables, notes and charts share the page: every id is unique.
    let mut ids = BTreeSet::new();
    for element in page.select(&selector("[id]")) {
        let id = element.value().attr("id").unwrap();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
    }
    // Linked from the navigation of every page and from the home page's figures.
    let home = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    assert!(text_of(&home, "nav a").contains("Financials"));
    assert!(
        home.select(&selector("section[aria-labelledby=key-figures] a"))
            .any(|link| link.value().attr("href") == Some("financials/"))
    );
}

fn text_of_element(element: &scraper::ElementRef, css: &str) -> String {
    element
        .select(&selector(css))
        .flat_map(|child| child.text())
        .collect::<String>()
        .trim()
        .to_string()
}

#[test]
fn the_home_page_compares_the_latest_quarter_with_the_same_quarter_a_year_before() {
    let (_dir, out) = built_fixture(None);
    let home = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    assert_eq!(text_of(&home, "#key-figures"), "Third Quarter 2003 results");
    let figures: Vec<String> = home
        .select(&selector(".key-figures > div"))
        .map(|row| {
            row.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        figures,
        [
            "Revenue $6,980,000 −2.8% vs $7,181,000",
            // No percentage for a loss against a loss: it would read −912.8%.
            "Net income (loss) −$4,679,000 vs −$462,000",
            "Net income (loss) per share, basic and diluted −$0.60 vs −$0.06",
        ]
    );
}

#[test]
fn the_financials_downloads_read_back_with_the_third_quarter_revenue() {
    let (_dir, out) = built_fixture(None);
    let mut reader = csv::Reader::from_path(out.join("data/financials.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let q3 = rows
        .iter()
        .find(|row| &row[column("period")] == "2003-Q3" && &row[column("concept")] == "revenue")
        .expect("a 2003-Q3 revenue row");
    assert_eq!(&q3[column("value")], "6980000");
    assert_eq!(&q3[column("unit")], "USD");
    assert_eq!(&q3[column("origin")], "reported");
    assert_eq!(
        &q3[column("source")],
        "2003-11-14-hemacare-reports-third-quarter-financial-results"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/financials.json")).unwrap()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    let q3 = rows
        .iter()
        .find(|row| row["period"] == "2003-Q3" && row["concept"] == "revenue")
        .expect("a 2003-Q3 revenue row");
    assert_eq!(q3["value"], 6_980_000);
    assert_eq!(q3["origin"], "reported");
    let q1 = rows
        .iter()
        .find(|row| row["period"] == "2003-Q1" && row["concept"] == "revenue")
        .unwrap();
    assert_eq!(q1["origin"], "derived");
    assert_eq!(q1["value"], 6_931_000);
}

#[test]
fn inconsistent_figures_stop_the_build_unless_allowed() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let before = tree(&out);
    let release = site
        .path()
        .join("content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md");
    let text = std::fs::read_to_string(&release).unwrap();
    let changed = text.replacen(
        "key: total_assets, label: Total assets, section: Assets, values: [8275000,",
        "key: total_assets, label: Total assets, section: Assets, values: [8276000,",
        1,
    );
    assert_ne!(changed, text, "the fixture's total assets line moved");
    std::fs::write(&release, changed).unwrap();

    let mut options = BuildOptions::new(site.path());
    options.output = Some(out.clone());
    let err = build(&options).unwrap_err().to_string();
    assert!(
        err.contains("total_assets") || err.contains("Total assets"),
        "{err}"
    );
    assert!(err.contains("--allow-inconsistent"), "{err}");
    assert_eq!(tree(&out), before, "public/ changed after a refused build");
    assert_eq!(
        folder_names(dir.path()),
        [".public-cache", ".public-manifest", "public"]
    );

    options.allow_inconsistent = true;
    let report = build(&options).unwrap();
    assert!(hemasite::ledger::check::has_errors(&report.findings));
    let balance_sheet = std::fs::read_to_string(out.join("financials/index.html")).unwrap();
    assert!(balance_sheet.contains("8,276,000"));
}

/// Runs `hemasite build` on `site` into `site/public` with extra environment variables.
fn build_process(site: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hemasite"));
    command.arg("--root").arg(site).args(["--quiet", "build"]);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// Edits the third-quarter release's title, so that the next build differs from the last.
fn retitle(site: &Path, title: &str) {
    let path = site.join(format!(
        "content/releases/{}.md",
        Q3.trim_start_matches("releases/").trim_end_matches('/')
    ));
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("\ntitle: ").unwrap() + 1;
    let end = start + text[start..].find('\n').unwrap();
    let text = format!("{}title: {title}{}", &text[..start], &text[end..]);
    std::fs::write(&path, text).unwrap();
}

/// What a build leaves beside the output: the output and its manifest, the spare (the site
/// the last swap replaced) and its manifest, and the release cache only.
fn leftovers(site: &Path) -> Vec<String> {
    const KEPT: [&str; 4] = [
        ".public-manifest",
        ".public-spare",
        ".public-spare-manifest",
        ".public-cache",
    ];
    folder_names(site)
        .into_iter()
        .filter(|name| name.starts_with(".public-"))
        .filter(|name| !KEPT.contains(&name.as_str()) && !name.ends_with(".hemasite-tmp"))
        .collect()
}

#[test]
fn a_build_killed_at_any_point_leaves_the_old_site_or_the_new_one() {
    let site = copy_of_fixture();
    assert!(build_process(site.path(), &[]).status.success());
    let public = site.path().join("public");
    for (round, point) in [
        "before-manifest",
        "after-manifest",
        "after-swap",
        "after-old-moved",
    ]
    .into_iter()
    .enumerate()
    {
        let old = tree(&public);
        retitle(site.path(), &format!("Results, Take {round}"));
        let killed = build_process(site.path(), &[("HEMASITE_TEST_CRASH_AT", point)]);
        assert!(!killed.status.success(), "{point}: the hook did not abort");
        let after_crash = tree(&public);
        assert!(
            after_crash.contains_key("index.html"),
            "{point}: no complete site"
        );

        let next = build_process(site.path(), &[]);
        assert!(next.status.success(), "{point}: {next:?}");
        let new = tree(&public);
        assert!(
            after_crash == old || after_crash == new,
            "{point}: public/ was neither the old site nor the new one"
        );
        assert_eq!(leftovers(site.path()), Vec::<String>::new(), "{point}");

        let mut clean = BuildOptions::new(site.path());
        let fresh = tempfile::tempdir().unwrap();
        clean.output = Some(fresh.path().join("public"));
        build(&clean).unwrap();
        assert!(
            tree(&fresh.path().join("public")) == new,
            "{point}: differs from a clean build"
        );
    }
}

#[test]
fn a_build_killed_between_the_fallbacks_two_renames_is_repaired_by_the_next() {
    let site = copy_of_fixture();
    assert!(build_process(site.path(), &[]).status.success());
    let public = site.path().join("public");
    let old = tree(&public);
    retitle(site.path(), "Results, Fallback");
    let fallback = [
        ("HEMASITE_TEST_NO_EXCHANGE", "1"),
        ("HEMASITE_TEST_CRASH_AT", "after-first-rename"),
    ];
    assert!(!build_process(site.path(), &fallback).status.success());
    let moved: Vec<String> = leftovers(site.path())
        .into_iter()
        .filter(|name| name.starts_with(".public-old-"))
        .collect();
    assert_eq!(moved.len(), 1, "{:?}", folder_names(site.path()));
    assert!(
        tree(&site.path().join(&moved[0])) == old,
        "the old site is kept whole"
    );

    let next = build_process(site.path(), &[("HEMASITE_TEST_NO_EXCHANGE", "1")]);
    assert!(next.status.success(), "{next:?}");
    assert!(tree(&public).contains_key("index.html"));
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn public_is_there_at_every_instant_while_builds_swap_it() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (stop, index) = (stop.clone(), out.join("index.html"));
        std::thread::spawn(move || {
            let mut missing = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if !index.exists() {
                    missing += 1;
                }
            }
            missing
        })
    };
    for round in 0..6 {
        retitle(site.path(), &format!("Results, Round {round}"));
        build_into(site.path(), dir.path(), None);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(watcher.join().unwrap(), 0, "public/index.html was missing");
}

#[test]
fn an_old_site_that_cannot_be_removed_is_a_warning_not_a_failure() {
    let site = copy_of_fixture();
    assert!(build_process(site.path(), &[]).status.success());
    retitle(site.path(), "Results, Kept Old");
    let run = build_process(site.path(), &[("HEMASITE_TEST_FAULT", "remove-old")]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(stderr.contains("cannot be removed"), "{stderr}");
    let page = std::fs::read_to_string(site.path().join("public").join(Q3).join("index.html"));
    assert!(
        page.unwrap().contains("Results, Kept Old"),
        "the new site is in place"
    );
    assert!(build_process(site.path(), &[]).status.success());
    assert_eq!(
        leftovers(site.path()),
        Vec::<String>::new(),
        "cleared by the next build"
    );
}

#[test]
fn a_running_builds_folders_are_left_alone_and_only_hemasites_names_are_cleared() {
    let site = copy_of_fixture();
    let mine = site.path().join(".public-staging-notes");
    let running = site
        .path()
        .join(format!(".public-staging-{}", std::process::id()));
    let dead = site.path().join(".public-old-4194305");
    for folder in [&mine, &running, &dead] {
        std::fs::create_dir_all(folder).unwrap();
    }
    assert!(build_process(site.path(), &[]).status.success());
    assert!(mine.exists(), "not a name hemasite makes");
    assert!(
        running.exists(),
        "the test process is running: its folder stays"
    );
    assert!(!dead.exists(), "a dead build's leftover goes");
}

const CFO: &str =
    "content/releases/2003-06-27-marcario-joins-hemacare-as-chief-financial-officer.md";
const CFO_RAW: &str = "raw/2003-06-27-new-chief-financial-officer.txt";

/// The CFO release's `source:` lines with `file` and `sha256` replaced.
fn point_source_at(site: &Path, file: &str, sha256: Option<&str>) {
    let path = site.join(CFO);
    let mut text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(&format!("file: {CFO_RAW}"), &format!("file: {file}"));
    if let Some(sha256) = sha256 {
        let start = text.find("  sha256: ").unwrap() + "  sha256: ".len();
        text.replace_range(start..start + 64, sha256);
    }
    std::fs::write(&path, text).unwrap();
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn build_error(site: &Path) -> (String, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut options = BuildOptions::new(site);
    options.output = Some(out.clone());
    let err = build(&options).unwrap_err().to_string();
    assert!(!out.exists(), "nothing is published: {err}");
    (err, out)
}

#[test]
fn only_raw_filings_are_published_so_the_subscriber_list_never_is() {
    let site = copy_of_fixture();
    let list = b"email,name\njane@example.com,Jane\n";
    std::fs::write(site.path().join("content/subscribers.csv"), list).unwrap();
    point_source_at(site.path(), "subscribers.csv", Some(&sha256_hex(list)));
    let (err, _) = build_error(site.path());
    assert!(err.contains(&format!("{CFO}:10: ")), "{err}");
    assert!(err.contains("must name a file under content/raw/"), "{err}");
}

#[test]
fn a_filing_whose_sha256_differs_is_an_error_on_that_line() {
    let site = copy_of_fixture();
    let raw = site.path().join("content").join(CFO_RAW);
    let mut bytes = std::fs::read(&raw).unwrap();
    bytes.extend_from_slice(b"tampered\n");
    std::fs::write(&raw, bytes).unwrap();
    let (err, _) = build_error(site.path());
    assert!(err.contains(&format!("{CFO}:11: ")), "{err}");
    assert!(err.contains("source.sha256 does not match"), "{err}");
    assert!(err.contains("hemasite ingest --force"), "{err}");
}

#[test]
fn a_symlink_out_of_the_site_is_refused_and_one_inside_is_published_as_a_file() {
    let site = copy_of_fixture();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("passwd");
    std::fs::write(&secret, b"root:x:0:0\n").unwrap();
    let link = site.path().join("content/raw/leak.txt");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    point_source_at(
        site.path(),
        "raw/leak.txt",
        Some(&sha256_hex(b"root:x:0:0\n")),
    );
    let (err, _) = build_error(site.path());
    assert!(err.contains(&format!("{CFO}:10: ")), "{err}");
    assert!(err.contains("outside the site folder"), "{err}");

    // A link to a filing kept elsewhere in the site is followed, and a copy published.
    let kept = site.path().join("filings/cfo.txt");
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    std::fs::rename(site.path().join("content").join(CFO_RAW), &kept).unwrap();
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("../../filings/cfo.txt", &link).unwrap();
    let sha = sha256_hex(&std::fs::read(&kept).unwrap());
    point_source_at(site.path(), "raw/leak.txt", Some(&sha));
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let published =
        out.join("releases/2003-06-27-marcario-joins-hemacare-as-chief-financial-officer/leak.txt");
    let metadata = std::fs::symlink_metadata(&published).unwrap();
    assert!(metadata.is_file(), "published as a file, not a link");
}

/// The text of every `<tag>` element in a feed (checked well-formed first), unescaped as a feed
/// reader's XML parser does.
fn feed_texts(xml: &str, tag: &str) -> Vec<String> {
    parse_xml(tag, xml);
    let opening = format!("<{tag}");
    let open = xml
        .match_indices(&opening)
        .filter_map(|(at, _)| Some(at + xml[at..].find('>')? + 1));
    open.filter_map(|start| {
        let end = start + xml[start..].find(&format!("</{tag}>"))?;
        Some(
            quick_xml::escape::unescape(&xml[start..end])
                .unwrap()
                .into_owned(),
        )
    })
    .collect()
}

#[test]
fn a_hostile_release_reaches_feed_readers_as_text() {
    let site = site_with_hostile_content();
    let path = site.path().join(format!(
        "content/releases/{}.md",
        Q3.trim_start_matches("releases/").trim_end_matches('/')
    ));
    let text = std::fs::read_to_string(&path).unwrap();
    let body_start = text[4..].find("\n---\n").unwrap() + 4 + 5;
    let hostile = format!(
        // Markdown escapes: the text reads `<script>…` and `<img …>` as characters.
        "{}Results \\<script\\>alert(1)\\</script\\> and &lt;img src=x onerror=alert(2)&gt; \
         today.\n\n{}",
        &text[..body_start],
        &text[body_start..]
    );
    std::fs::write(&path, hostile).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    for (feed, tag) in [("rss.xml", "description"), ("feed.xml", "summary")] {
        let xml = std::fs::read_to_string(out.join(feed)).unwrap();
        assert!(xml.contains("<summary type=\"html\">") || feed == "rss.xml");
        let texts = feed_texts(&xml, tag);
        let hostile: Vec<&String> = texts.iter().filter(|t| t.contains("alert(1)")).collect();
        assert!(
            !hostile.is_empty(),
            "{feed}: the release's text is there: {texts:?}"
        );
        for html in hostile {
            let fragment = Html::parse_fragment(html);
            for element in ["script", "img", "[onerror]"] {
                assert_eq!(
                    fragment.select(&selector(element)).count(),
                    0,
                    "{feed}: a reader sees a live {element} in {html:?}"
                );
            }
            let shown: String = fragment.root_element().text().collect();
            assert!(
                shown.contains("<script>alert(1)</script>"),
                "{feed}: {shown:?}"
            );
        }
    }
}

fn page_of(out: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(path)).unwrap())
}

#[test]
fn a_release_prints_each_quote_once_with_curly_quotes() {
    // The demo site (the repository), whose releases keep every quote in the body, as ingest
    // writes them: no pull-quote repeats one.
    let demo = tempfile::tempdir().unwrap();
    let out = build_into(Path::new(env!("CARGO_MANIFEST_DIR")), demo.path(), None);
    for entry in std::fs::read_dir(out.join("releases")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            let page = page_of(&dir, "index.html");
            assert_eq!(
                page.select(&selector("figure.quote")).count(),
                0,
                "{}",
                dir.display()
            );
        }
    }
    let page = page_of(&out, &format!("{Q3}index.html"));
    assert_eq!(page.select(&selector("figure.quote")).count(), 0);
    let text = text_of(&page, "main");
    assert_eq!(text.matches("We are certainly not pleased").count(), 1);
    let body = text_of(&page, ".release-body");
    assert!(body.contains("stated, \u{201c}We are certainly"), "{body}");
    assert!(!body.contains('"'), "straight quotes in {body}");
    // The fixture's CFO release does not hold its quotes in the body: they are shown once, as
    // pull-quotes.
    let (_dir, out) = built_fixture(None);
    let page = page_of(
        &out,
        "releases/2003-06-27-marcario-joins-hemacare-as-chief-financial-officer/index.html",
    );
    assert_eq!(page.select(&selector("figure.quote")).count(), 2);
    assert_eq!(
        text_of(&page, "main")
            .matches("Rose brings a wealth")
            .count(),
        1
    );
}

#[test]
fn a_release_page_shows_its_subtitle_pdf_link_first_and_links_phones_and_webcasts() {
    let site = copy_of_fixture();
    let path = site
        .path()
        .join("content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "date: 2003-11-14",
        "subtitle: Donor Centers Outside California Closed\ndate: 2003-11-14",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(site.path());
    options.output = Some(dir.path().join("public"));
    build(&options).unwrap();
    let page = page_of(&options.output_dir(), &format!("{Q3}index.html"));
    assert_eq!(
        text_of(&page, ".release-head .subtitle"),
        "Donor Centers Outside California Closed"
    );
    let first_link = page
        .select(&selector(".release-head a"))
        .find(|a| a.value().attr("href").is_some_and(|h| h.ends_with(".pdf")));
    assert!(
        first_link.is_some(),
        "the printable PDF is linked at the top"
    );
    let hrefs: Vec<&str> = page
        .select(&selector(".event-details a, .release-foot a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"tel:+18003098563"), "{hrefs:?}");
    assert!(hrefs.contains(&"https://www.hemacare.com"), "{hrefs:?}");
    assert!(hrefs.contains(&"tel:+18773100717"), "{hrefs:?}");
    let time = text_of(&page, ".event-time");
    assert_eq!(time, "4:30 p.m. EST");
    let og: Vec<(&str, &str)> = page
        .select(&selector("meta[property]"))
        .map(|m| {
            (
                m.value().attr("property").unwrap(),
                m.value().attr("content").unwrap(),
            )
        })
        .collect();
    assert!(og.contains(&("og:type", "article")), "{og:?}");
    assert!(og.contains(&(
        "og:title",
        "HemaCare Reports Third Quarter Financial Results"
    )));
    assert!(
        og.iter().any(|(p, c)| *p == "og:url" && c.ends_with(Q3)),
        "{og:?}"
    );
    // The PDF shows the subtitle under the title.
    let pdf = std::fs::read(
        options
            .output_dir()
            .join("releases/2003-11-14-hemacare-reports-third-quarter-financial-results.pdf"),
    )
    .unwrap();
    let text = pdf_extract_text(&pdf);
    assert!(
        text.contains("Donor Centers Outside California Closed"),
        "{text}"
    );
}

/// The text of every page of a PDF, as lopdf extracts it.
fn pdf_extract_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).unwrap_or_default()
}

#[test]
fn no_page_marks_the_wrong_navigation_item_and_the_home_page_shows_the_ticker_once() {
    let (_dir, out) = built_fixture(None);
    let missing = page_of(&out, "404.html");
    assert_eq!(missing.select(&selector("nav [aria-current]")).count(), 0);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let main = home.split("<main").nth(1).unwrap();
    assert!(
        !main.contains(">HEMA<") && !main.contains(": HEMA<"),
        "{main}"
    );
}

/// A phone is told to swipe only the tables too wide for it: the four-column statement of
/// operations, not the two-column balance sheet.
#[test]
fn only_wide_tables_carry_the_swipe_hint() {
    let (_dir, out) = built_fixture(None);
    let page = page_of(&out, &format!("{Q3}index.html"));
    let hinted: Vec<String> = page
        .select(&selector("figure.statement"))
        .filter(|figure| figure.select(&selector(".scroll-hint")).next().is_some())
        .map(|figure| {
            figure
                .select(&selector("caption"))
                .next()
                .unwrap()
                .text()
                .collect()
        })
        .collect();
    assert_eq!(hinted.len(), 1, "{hinted:?}");
    assert!(
        hinted[0].starts_with("Statements of Operations"),
        "{hinted:?}"
    );
}

/// The index's format and its terms are tested in `site::search`; here, that the build
/// publishes it for every release and that the news list stays for readers without JavaScript.
#[test]
fn search_covers_every_release_and_the_list_stays_without_javascript() {
    let (_dir, out) = built_fixture(None);
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("search-index.json")).unwrap())
            .unwrap();
    let records = index["r"].as_array().unwrap();
    // The five releases, then the site's own two pages, by their URL and with no date.
    assert_eq!(records.len(), 7);
    assert_eq!(records[5][1], "governance/");
    assert_eq!(records[6][1], "governance/committees/");
    assert_eq!(records[6][2], 0);
    assert_eq!(index["c"][records[6][3].as_u64().unwrap() as usize], "Page");
    // Newest first; the Q3 release is the second, dated as a number the script writes out.
    assert_eq!(
        records[1][0],
        "HemaCare Reports Third Quarter Financial Results"
    );
    assert_eq!(records[1][2], 20031114);
    // Words of its body only are in the term dictionary (front-coded: a capital letter says
    // how many characters a term shares with the one before it).
    let mut terms: Vec<String> = Vec::new();
    for c in index["t"].as_str().unwrap().chars() {
        if c.is_ascii_uppercase() {
            let shared = usize::from(c as u8 - b'A');
            let previous = terms.last().map_or("", String::as_str);
            terms.push(previous.chars().take(shared).collect());
        } else {
            terms.last_mut().unwrap().push(c);
        }
    }
    for word in ["deferred", "valuation", "allowance"] {
        assert!(terms.iter().any(|term| term == word), "{word}: {terms:?}");
    }
    let news = std::fs::read_to_string(out.join("news/index.html")).unwrap();
    assert!(
        news.contains("<noscript>"),
        "without JavaScript the page says the list is below"
    );
    let page = Html::parse_document(&news);
    assert_eq!(
        page.select(&selector(".news-grid .col-main .release-item"))
            .count(),
        5
    );
}

#[test]
fn a_dividend_release_is_filtered_and_labelled_like_the_others() {
    let site = copy_of_fixture();
    let releases = site.path().join("content/releases");
    let text = std::fs::read_to_string(releases.join(
        "2004-02-27-hemacare-corporation-sets-date-for-its-2004-annual-shareholders-meeting.md",
    ))
    .unwrap()
    .replacen("date: 2004-02-27", "date: 2004-03-01", 1)
    .replacen("category: shareholder-meeting", "category: dividend", 1)
    .replacen(
        "title: HemaCare Corporation Sets Date for Its 2004 Annual Shareholders Meeting",
        "title: HemaCare Declares a Special Dividend",
        1,
    );
    assert!(text.contains("category: dividend"));
    std::fs::write(releases.join("2004-03-01-special-dividend.md"), text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let news = page_of(&out, "news/index.html");
    let filters = text_of(&news, "nav.filter[aria-label='News by category']");
    assert!(filters.contains("Dividends"), "{filters}");
    let list = page_of(&out, "news/category/dividend/index.html");
    assert_eq!(
        text_of(&list, ".col-main .release-item h3"),
        "HemaCare Declares a Special Dividend"
    );
    assert!(text_of(&list, ".col-main .tag").contains("Dividends"));
}

#[test]
fn a_statement_filed_in_thousands_is_shown_in_thousands_and_says_so() {
    let site = copy_of_fixture();
    let path = site
        .path()
        .join("content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "    - kind: operations\n      title: Statements of Operations\n",
        "    - kind: operations\n      title: Statements of Operations\n      scale: 1000\n",
        1,
    );
    assert!(text.contains("scale: 1000"));
    std::fs::write(&path, text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(site.path(), dir.path(), None);
    let page = page_of(&out, &format!("{Q3}index.html"));
    let caption = text_of(&page, "#operations-1 caption");
    assert!(
        caption.contains("In thousands of US dollars, except per-share amounts and shares"),
        "{caption}"
    );
    let cells = text_of(&page, "#operations-1 tr.total td");
    assert!(cells.starts_with("(4,679)"), "{cells}");
    // Whole-dollar filings stay whole dollars.
    let balance = text_of(&page, "#balance_sheet-2 caption, #balance-sheet-2 caption");
    assert!(balance.contains("In US dollars"), "{balance}");
}
