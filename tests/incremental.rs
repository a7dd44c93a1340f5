//! Incremental builds: after any change, the output is byte for byte what a clean build makes,
//! and only the files that depend on the change were made again.
//!
//! Each case builds a copy of the fixture site twice before the change, the way `hemasite
//! build` does (a new builder each run, the manifest beside the output, swap) and the way
//! `hemasite serve` does (one builder kept, files changed in place); then changes one input,
//! builds both again, and compares both outputs with a clean build of the changed site.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hemasite::progress::Silent;
use hemasite::site::{BuildOptions, Builder, WriteMode, build};

mod common;
use common::{copy_of_fixture, tree};

const Q3: &str = "2003-11-14-hemacare-reports-third-quarter-financial-results";
const Q2: &str = "2003-08-11-hemacare-reports-second-quarter-financial-results";
const BOARD: &str = "2003-05-19-hemacare-adds-new-members-to-its-board-of-directors";
const MEETING: &str =
    "2004-02-27-hemacare-corporation-sets-date-for-its-2004-annual-shareholders-meeting";

fn options(site: &Path, output: &Path, write: WriteMode) -> BuildOptions {
    BuildOptions {
        output: Some(output.to_path_buf()),
        write,
        // Some cases change a figure; the check would (rightly) refuse to publish.
        allow_inconsistent: true,
        ..BuildOptions::new(site)
    }
}

/// Builds before and after `change`, incrementally in both modes, and from scratch; asserts the
/// three outputs are identical and returns the files the incremental builds made.
fn made_after(change: impl Fn(&Path)) -> BTreeSet<String> {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let (swapped, in_place, clean) = (
        dir.path().join("public"),
        dir.path().join("serve"),
        dir.path().join("clean"),
    );
    build(&options(site.path(), &swapped, WriteMode::Swap)).unwrap();
    let mut server = Builder::new(options(site.path(), &in_place, WriteMode::InPlace));
    server.build(&Silent).unwrap();

    change(site.path());

    let by_build = build(&options(site.path(), &swapped, WriteMode::Swap)).unwrap();
    let by_serve = server.build(&Silent).unwrap();
    let from_scratch = build(&options(site.path(), &clean, WriteMode::Swap)).unwrap();
    assert_eq!(from_scratch.made.len(), from_scratch.files);
    assert_same_files(&swapped, &clean);
    assert_same_files(&in_place, &clean);
    assert_eq!(
        by_build.made, by_serve.made,
        "both modes make the same files"
    );
    by_build.made.into_iter().collect()
}

fn assert_same_files(incremental: &Path, clean: &Path) {
    let (incremental, clean) = (tree(incremental), tree(clean));
    let names = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        files.keys().cloned().collect::<BTreeSet<_>>()
    };
    assert_eq!(names(&incremental), names(&clean), "the same files");
    let differing: Vec<&String> = clean
        .iter()
        .filter(|(name, bytes)| incremental.get(*name) != Some(bytes))
        .map(|(name, _)| name)
        .collect();
    assert!(
        differing.is_empty(),
        "differ from a clean build: {differing:?}"
    );
}

fn edit(site: &Path, file: &str, from: &str, to: &str) {
    let path = site.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A theme file of the built-in theme, copied into the site with `from` replaced by `to`.
fn override_theme_file(site: &Path, file: &str, from: &str, to: &str) {
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let target = site.join(file);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(original, &target).unwrap();
    edit(site, file, from, to);
}

fn release_md(slug: &str) -> String {
    format!("content/releases/{slug}.md")
}

fn page(slug: &str) -> String {
    format!("releases/{slug}/index.html")
}

fn pdf(slug: &str) -> String {
    format!("releases/{slug}.pdf")
}

#[test]
fn nothing_changed_nothing_is_made() {
    assert_eq!(made_after(|_| {}), BTreeSet::new());
}

#[test]
fn a_release_body_remakes_that_release_its_quarter_summary_and_the_search_index_only() {
    // Past the first paragraph, so that the summary lists show is the same.
    let made = made_after(|site| {
        edit(
            site,
            &release_md(BOARD),
            "HemaCare Corporation",
            "HemaCare Corporation (the Company)",
        )
    });
    assert_eq!(
        made,
        BTreeSet::from([
            page(BOARD),
            pdf(BOARD),
            // Quarterly summaries list the quarter's other news.
            "reports/quarterly-summary-2003-q2.pdf".to_string(),
            // Search looks through every word of the bodies.
            "search-index.json".to_string(),
        ])
    );
}

#[test]
fn a_release_title_remakes_what_lists_it_and_its_neighbours() {
    let made = made_after(|site| {
        edit(
            site,
            &release_md(BOARD),
            "title: ",
            "title: Two Directors Join, ",
        )
    });
    for file in [
        page(BOARD),
        pdf(BOARD),
        // The next release's page links to it by title.
        page("2003-06-27-marcario-joins-hemacare-as-chief-financial-officer"),
        "index.html".into(),
        "news/index.html".into(),
        "news/2003/index.html".into(),
        "news/category/board/index.html".into(),
        "feed.xml".into(),
        "rss.xml".into(),
        "search-index.json".into(),
        // The leadership page names the release that named each director.
        "leadership/index.html".into(),
        "reports/quarterly-summary-2003-q2.pdf".into(),
    ] {
        assert!(made.contains(&file), "{file} was not made again: {made:?}");
    }
    for file in [
        pdf(Q3),
        page(MEETING),
        page(Q3),
        "news/2004/index.html".into(),
        "404.html".into(),
        "style.css".into(),
        "robots.txt".into(),
        "sitemap.xml".into(),
        "calendar.ics".into(),
        "financials/index.html".into(),
        // The third quarter's summary does not mention May's board news.
        "reports/quarterly-summary-2003-q3.pdf".into(),
    ] {
        assert!(!made.contains(&file), "{file} was made again needlessly");
    }
    assert!(
        !made.iter().any(|file| file.ends_with(".txt")),
        "no filing is copied again: {made:?}"
    );
}

#[test]
fn a_figure_remakes_the_ledger_pages_and_every_quarterly_summary() {
    let made = made_after(|site| {
        edit(
            site,
            &release_md(Q3),
            "values: [6980000,",
            "values: [6981000,",
        )
    });
    for file in [
        page(Q3),
        pdf(Q3),
        "financials/index.html".into(),
        "data/financials.csv".into(),
        "reports/quarterly-summary-2003-q3.pdf".into(),
        "reports/quarterly-summary-2003-q2.pdf".into(),
    ] {
        assert!(made.contains(&file), "{file} was not made again: {made:?}");
    }
    assert!(!made.contains(&pdf(Q2)) && !made.contains(&pdf(BOARD)));
}

#[test]
fn a_new_release_appears_and_a_deleted_one_is_gone() {
    let made = made_after(|site| {
        let releases = site.join("content/releases");
        let text = std::fs::read_to_string(releases.join(format!("{MEETING}.md"))).unwrap();
        std::fs::write(
            releases.join("2004-03-01-hemacare-names-a-new-director.md"),
            text.replacen("date: 2004-02-27", "date: 2004-03-01", 1)
                .replacen("title: ", "title: Names a New Director, ", 1),
        )
        .unwrap();
        std::fs::remove_file(releases.join(format!("{BOARD}.md"))).unwrap();
    });
    assert!(made.contains(&page("2004-03-01-hemacare-names-a-new-director")));
    assert!(made.contains(&page(MEETING)), "its neighbour links to it");
}

#[test]
fn a_page_template_remakes_the_pages_and_nothing_else() {
    let made = made_after(|site| {
        override_theme_file(site, "templates/release.html", "</article>", "</article>\n")
    });
    assert!(made.contains(&page(Q3)));
    assert!(
        made.iter().all(|file| file.ends_with(".html")),
        "only pages: {made:?}"
    );
}

#[test]
fn a_partial_remakes_the_pages() {
    let made = made_after(|site| {
        override_theme_file(
            site,
            "templates/partials/table.html",
            "<table",
            "<table data-x=\"1\"",
        )
    });
    assert!(made.contains("financials/index.html"));
    assert!(made.contains(&page(Q3)));
}

#[test]
fn a_pdf_template_remakes_only_pdfs() {
    let made = made_after(|site| {
        override_theme_file(
            site,
            "templates/pdf/release.md",
            "## Dates to note",
            "## Dates",
        )
    });
    assert!(made.contains(&pdf(Q3)));
    assert!(made.iter().all(|file| file.ends_with(".pdf")), "{made:?}");
}

#[test]
fn site_yaml_remakes_what_shows_the_company() {
    let made = made_after(|site| {
        let config = std::fs::read_to_string(site.join("site.yaml")).unwrap();
        let title = config
            .lines()
            .find(|line| line.starts_with("title:"))
            .unwrap()
            .to_string();
        edit(site, "site.yaml", &title, &format!("{title} (preview)"));
    });
    assert!(made.contains("index.html"));
    assert!(made.contains(&pdf(Q3)));
    assert!(!made.contains("style.css"));
}

#[test]
fn a_static_file_is_copied_again_alone() {
    let made = made_after(|site| override_theme_file(site, "static/style.css", "}", "}\n"));
    assert_eq!(made, BTreeSet::from(["style.css".to_string()]));
}

/// A filing changed, and its release's `source.sha256` with it (the build refuses a filing
/// whose SHA-256 differs from the release's): the filing is copied again, and what a change to
/// the release's text remakes (its page, its PDF, its quarter's summary) is made again; nothing
/// else is.
#[test]
fn a_changed_filing_is_copied_again_with_its_release_alone() {
    let made = made_after(|site| {
        let raw = site.join("content/raw/2003-11-14-q3-2003-results.txt");
        let old = std::fs::read(&raw).unwrap();
        let mut bytes = old.clone();
        bytes.extend_from_slice(b"\n");
        std::fs::write(raw, &bytes).unwrap();
        edit(
            site,
            &release_md(Q3),
            &sha256_hex(&old),
            &sha256_hex(&bytes),
        );
    });
    let expected = BTreeSet::from([
        format!("releases/{Q3}/2003-11-14-q3-2003-results.txt"),
        page(Q3),
        pdf(Q3),
        "reports/quarterly-summary-2003-q3.pdf".to_string(),
        // The search index reads every release's file whole (its body is searched).
        "search-index.json".to_string(),
    ]);
    assert_eq!(made, expected);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn serve_recovers_from_a_failed_build_with_the_clean_output() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let (in_place, clean) = (dir.path().join("serve"), dir.path().join("clean"));
    let mut server = Builder::new(options(site.path(), &in_place, WriteMode::InPlace));
    server.build(&Silent).unwrap();
    // A new title, and a template that fails while rendering: the other files are written in
    // place before the error is seen.
    edit(site.path(), &release_md(Q2), "title: ", "title: Restated, ");
    override_theme_file(
        site.path(),
        "templates/release.html",
        "</article>",
        "{{ no_such_variable }}</article>",
    );
    let err = server.build(&Silent).unwrap_err().to_string();
    assert!(err.contains("release.html"), "{err}");
    edit(
        site.path(),
        "templates/release.html",
        "{{ no_such_variable }}",
        "",
    );
    server.build(&Silent).unwrap();
    build(&options(site.path(), &clean, WriteMode::Swap)).unwrap();
    assert_same_files(&in_place, &clean);
}

#[test]
fn a_hand_edited_output_file_is_made_again() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = options(site.path(), &out, WriteMode::Swap);
    build(&options).unwrap();
    std::fs::write(out.join("404.html"), "edited by hand, a little longer").unwrap();
    let report = build(&options).unwrap();
    assert_eq!(report.made, ["404.html"]);
}

const GOVERNANCE: &str = "content/pages/governance/index.md";
const COMMITTEES: &str = "content/pages/governance/committees.md";

/// Every page (`.html`) of the fixture site.
fn every_page() -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let site = copy_of_fixture();
    build(&options(site.path(), dir.path(), WriteMode::Swap)).unwrap();
    tree(dir.path())
        .into_keys()
        .filter(|name| name.ends_with(".html"))
        .collect()
}

/// Its text, or its title when it is not in the navigation: the page and the search index.
#[test]
fn a_page_of_the_sites_own_remakes_itself_and_the_search_index_only() {
    for (from, to) in [
        ("three standing", "three permanent"),
        ("title: Board", "title: The Board's"),
    ] {
        let made = made_after(|site| edit(site, COMMITTEES, from, to));
        assert_eq!(
            made,
            BTreeSet::from([
                "governance/committees/index.html".to_string(),
                "search-index.json".to_string(),
            ]),
            "after {from:?} became {to:?}"
        );
    }
}

#[test]
fn a_page_in_the_navigation_retitled_remakes_every_page() {
    let made = made_after(|site| edit(site, GOVERNANCE, "title: Corporate", "title: Our"));
    let mut expected = every_page();
    expected.insert("search-index.json".to_string());
    assert_eq!(
        made, expected,
        "every page shows the navigation; nothing else does"
    );
}

#[test]
fn a_new_page_and_a_deleted_one_change_the_sitemap_and_the_search_index() {
    let made = made_after(|site| {
        std::fs::write(
            site.join("content/pages/contacts.md"),
            "---\ntitle: Contacts\n---\n\nWrite to us.\n",
        )
        .unwrap();
        std::fs::remove_file(site.join(COMMITTEES)).unwrap();
        // The governance page links to the deleted one: it links elsewhere now.
        edit(site, GOVERNANCE, "/governance/committees/", "/contacts/");
    });
    assert_eq!(
        made,
        BTreeSet::from([
            "contacts/index.html".to_string(),
            "governance/index.html".to_string(),
            "search-index.json".to_string(),
            "sitemap.xml".to_string(),
        ])
    );
}

#[test]
fn a_new_logo_remakes_every_page_and_pdf_and_copies_the_logo() {
    let made = made_after(|site| edit(site, "static/logo.svg", "#ffffff", "#fafafa"));
    for file in [
        "logo.svg".to_string(),
        "index.html".to_string(),
        "governance/committees/index.html".to_string(),
        pdf(Q3),
        "reports/quarterly-summary-2003-q3.pdf".to_string(),
    ] {
        assert!(made.contains(&file), "{file} was not made again: {made:?}");
    }
    assert!(!made.contains("style.css"), "{made:?}");
}

#[test]
fn a_release_source_remakes_the_filings_page() {
    let made = made_after(|site| {
        edit(
            site,
            &release_md(Q3),
            "  sha256:",
            "  accession: \"0000912345-03-000042\"\n  cik: \"12345\"\n  sha256:",
        )
    });
    assert!(made.contains("filings/index.html"), "{made:?}");
    assert!(made.contains(&page(Q3)), "{made:?}");
    assert!(!made.contains("index.html"), "{made:?}");
}

#[test]
fn a_hand_edited_output_file_is_made_again_in_the_spare_too() {
    // From the third build on, the site is built in the spare (the one the swap before
    // replaced), where the edited file ends up after the next swap.
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = options(site.path(), &out, WriteMode::Swap);
    build(&options).unwrap();
    build(&options).unwrap();
    std::fs::write(out.join("404.html"), "edited by hand, a little longer").unwrap();
    assert_eq!(build(&options).unwrap().made, ["404.html"]);
    // Now in the spare, the edited file is not kept: the published one is linked instead.
    for _ in 0..2 {
        build(&options).unwrap();
        assert_same_as_clean(site.path(), &out);
    }
}

/// Builds `site` from scratch into a new folder and compares `out` with it.
fn assert_same_as_clean(site: &Path, out: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean");
    build(&options(site, &clean, WriteMode::Swap)).unwrap();
    assert_same_files(out, &clean);
}

#[test]
fn each_new_build_takes_the_unchanged_releases_from_the_cache_and_equals_a_clean_build() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = options(site.path(), &out, WriteMode::Swap);
    assert_eq!(build(&options).unwrap().from_cache, 0);
    assert!(dir.path().join(".public-cache").is_dir());
    for round in 0..3 {
        let to = format!("HemaCare Corporation (round {round})");
        edit(site.path(), &release_md(BOARD), "HemaCare Corporation", &to);
        let report = build(&options).unwrap();
        assert_eq!(report.from_cache, report.releases - 1, "round {round}");
        assert!(!report.made.is_empty());
        assert_same_as_clean(site.path(), &out);
    }
    let report = build(&options).unwrap();
    assert_eq!(report.from_cache, report.releases);
    assert!(report.made.is_empty());
}

#[test]
fn a_damaged_cache_is_ignored_and_the_site_still_equals_a_clean_build() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let cache = dir.path().join(".public-cache");
    let options = options(site.path(), &out, WriteMode::Swap);
    build(&options).unwrap();
    type Damage = fn(Vec<u8>) -> Vec<u8>;
    let damages: [(&str, Damage); 4] = [
        ("one byte changed", |mut bytes| {
            let middle = bytes.len() / 2;
            bytes[middle] = if bytes[middle] == b'a' { b'b' } else { b'a' };
            bytes
        }),
        ("truncated", |bytes| bytes[..bytes.len() * 2 / 3].to_vec()),
        ("another version", |bytes| {
            String::from_utf8_lossy(&bytes)
                .replacen("release cache ", "release cache 9", 1)
                .into_bytes()
        }),
        ("not a cache", |_| b"<html>not a cache</html>\n".to_vec()),
    ];
    for (round, (what, damage)) in damages.into_iter().enumerate() {
        let to = format!("Round {round}: the Company");
        edit(site.path(), &release_md(Q3), "the Company", &to);
        for shard in std::fs::read_dir(&cache).unwrap() {
            let shard = shard.unwrap().path();
            std::fs::write(&shard, damage(std::fs::read(&shard).unwrap())).unwrap();
        }
        let report = build(&options).unwrap();
        assert_eq!(report.from_cache, 0, "a cache {what} was used");
        assert_same_as_clean(site.path(), &out);
        assert_eq!(
            build(&options).unwrap().from_cache,
            report.releases,
            "the cache was written again after it was found {what}"
        );
    }
}

#[test]
fn a_release_changed_with_its_size_and_time_kept_is_read_again() {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = options(site.path(), &out, WriteMode::Swap);
    build(&options).unwrap();
    let path = site.path().join(release_md(BOARD));
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    edit(site.path(), &release_md(BOARD), "HemaCare", "HemaCore");
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(modified).unwrap();
    let metadata = std::fs::metadata(&path).unwrap();
    assert_eq!(
        (metadata.len(), metadata.modified().unwrap()),
        (len, modified)
    );
    let report = build(&options).unwrap();
    assert_eq!(
        report.from_cache,
        report.releases - 1,
        "caught by the digest"
    );
    assert!(report.made.contains(&page(BOARD)));
    assert_same_as_clean(site.path(), &out);
}

/// A copy of the fixture site (kept while the first folder lives), a folder for its output
/// (the second), the output `public` in it and the options to build it as `hemasite build` does.
fn swapped() -> (tempfile::TempDir, tempfile::TempDir, PathBuf, BuildOptions) {
    let site = copy_of_fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = options(site.path(), &out, WriteMode::Swap);
    (site, dir, out, options)
}

#[test]
fn a_damaged_or_old_manifest_means_every_file_is_made_and_the_site_equals_a_clean_build() {
    let (site, dir, out, options) = swapped();
    type Damage = fn(Vec<u8>) -> Vec<u8>;
    let damages: [(&str, Damage); 3] = [
        ("one bit flipped", |mut bytes| {
            let at = bytes.len() * 3 / 4;
            bytes[at] ^= 1;
            bytes
        }),
        ("cut short", |bytes| bytes[..bytes.len() - 7].to_vec()),
        ("of the text layout before", |bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let tree = text.lines().nth(1).unwrap_or_default().to_string();
            format!(
                "hemasite build manifest 3\n{tree}\n{} 3 1 404.html\n",
                "0".repeat(64)
            )
            .into_bytes()
        }),
    ];
    // Twice first, so that there is a spare with its manifest too.
    build(&options).unwrap();
    build(&options).unwrap();
    for (round, (what, damage)) in damages.into_iter().enumerate() {
        for name in [".public-manifest", ".public-spare-manifest"] {
            let path = dir.path().join(name);
            std::fs::write(&path, damage(std::fs::read(&path).unwrap())).unwrap();
        }
        let to = format!("Round {round}: the Company");
        edit(site.path(), &release_md(Q3), "the Company", &to);
        let report = build(&options).unwrap();
        assert_eq!(
            report.made.len(),
            report.files,
            "a manifest {what} was used"
        );
        assert_same_as_clean(site.path(), &out);
        // The manifest written then is whole again.
        assert!(build(&options).unwrap().made.is_empty(), "after {what}");
        build(&options).unwrap();
    }
}

/// A file deleted from the published site by hand is made again, also when that site is the
/// spare the build after next starts from.
#[test]
fn a_file_deleted_from_the_output_by_hand_is_made_again_now_and_from_the_spare() {
    let (site, _dir, out, options) = swapped();
    build(&options).unwrap();
    build(&options).unwrap();
    let board = page(BOARD);
    std::fs::remove_file(out.join(&board)).unwrap();
    std::fs::remove_file(out.join("search-index.json")).unwrap();
    // Built in the spare, which still has both.
    build(&options).unwrap();
    assert!(out.join(&board).is_file() && out.join("search-index.json").is_file());
    assert_same_as_clean(site.path(), &out);
    // The folder the files were deleted from is now the spare: the next builds start from it.
    for round in 0..2 {
        let to = format!("Round {round}: the Company");
        edit(site.path(), &release_md(Q3), "the Company", &to);
        build(&options).unwrap();
        assert_same_as_clean(site.path(), &out);
    }
}

/// The checks' findings kept in the cache are those a clean build finds, after an edit that
/// makes the figures disagree and after the one that mends them; a damaged file of findings is
/// not used.
#[test]
fn the_kept_findings_are_those_a_clean_build_finds() {
    let (site, dir, _out, options) = swapped();
    let clean = |site: &Path| {
        let dir = tempfile::tempdir().unwrap();
        build(&self::options(
            site,
            &dir.path().join("clean"),
            WriteMode::Swap,
        ))
        .unwrap()
    };
    let first = build(&options).unwrap();
    assert!(dir.path().join(".public-cache/checks").is_file());
    let wrong = ("values: [6980000,", "values: [6981000,");
    for (from, to) in [wrong, (wrong.1, wrong.0)] {
        edit(site.path(), &release_md(Q3), from, to);
        let report = build(&options).unwrap();
        let expected = clean(site.path());
        assert_eq!(report.findings, expected.findings);
        assert_eq!(report.unchecked, expected.unchecked);
    }
    assert_eq!(build(&options).unwrap().findings, first.findings);
    edit(site.path(), &release_md(Q3), wrong.0, wrong.1);
    let checks = dir.path().join(".public-cache/checks");
    let mut bytes = std::fs::read(&checks).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&checks, bytes).unwrap();
    let report = build(&options).unwrap();
    assert_eq!(report.findings, clean(site.path()).findings);
    assert_ne!(report.findings, first.findings, "the edit is seen");
}
