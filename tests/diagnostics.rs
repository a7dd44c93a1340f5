//! What a person sees when a hand-edited release or `site.yaml` is wrong: the file, the line of
//! the key at fault (counted in the file, not in the YAML), a sentence saying what the key
//! expects, and the offending line with a caret under the problem.

use std::path::Path;

use hemasite::config::SiteConfig;
use hemasite::model::Release;

const RELEASE: &str = "\
---
title: HemaCare Adds New Members to Its Board of Directors
date: 2003-05-19
category: board
company: HemaCare Corporation
ticker: HEMA
source:
  file: raw/2003-05-19-new-board-members.txt
  sha256: e1d83c9ad32ae5c08d189164c3b09d235a240b152d3aaf77020561d7df9579a1
people:
  - { name: Jay Steffenhagen, role: Chairman }
---

HemaCare Corporation announced the appointment of two directors.
";

const PATH: &str = "content/releases/2003-05-19-board.md";

/// The error `Release::parse` gives for the release with `from` replaced by `to`.
fn front_matter_error(from: &str, to: &str) -> String {
    assert!(RELEASE.contains(from), "the fixture has no {from:?}");
    let text = RELEASE.replacen(from, to, 1);
    match Release::parse(Path::new(PATH), &text) {
        Ok(_) => panic!("{to:?} was accepted"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn the_fixture_release_is_valid() {
    Release::parse(Path::new(PATH), RELEASE).unwrap();
}

#[test]
fn an_unknown_key_is_named_with_its_line_and_the_closest_known_key() {
    assert_eq!(
        front_matter_error("category: board", "categroy: board"),
        "content/releases/2003-05-19-board.md:4: unknown key `categroy` (did you mean \
         `category`?); the keys the front matter allows are `title`, `subtitle`, `date`, `category`, \
         `company`, `ticker`, `market`, `dateline`, `source`, `contact`, `people`, `quotes`, \
         `events`, `financials`, `about`, `safe_harbor`
  |
4 | categroy: board
  | ^^^^^^^^"
    );
}

#[test]
fn an_unknown_nested_key_has_its_full_path() {
    assert_eq!(
        front_matter_error("  sha256:", "  sha:"),
        "content/releases/2003-05-19-board.md:9: unknown key `source.sha` (did you mean \
         `sha256`?); the keys `source` allows are `file`, `sha256`, `exhibit`, `filename`, \
         `form_type`, `filed`, `accession`, `cik`
  |
9 |   sha: e1d83c9ad32ae5c08d189164c3b09d235a240b152d3aaf77020561d7df9579a1
  |   ^^^"
    );
}

#[test]
fn a_value_of_the_wrong_kind_says_what_the_key_expects() {
    assert_eq!(
        front_matter_error("date: 2003-05-19", "date: yesterday"),
        "content/releases/2003-05-19-board.md:3: date: expected the release date as \
         YYYY-MM-DD, e.g. `2003-11-14`, found `yesterday`
  |
3 | date: yesterday
  |       ^^^^^^^^^"
    );
    assert_eq!(
        front_matter_error("role: Chairman", "role: [Chairman]"),
        "content/releases/2003-05-19-board.md:11: people[0].role: expected a string, found a \
         list
   |
11 |   - { name: Jay Steffenhagen, role: [Chairman] }
   |                                     ^^^^^^^^^^"
    );
}

#[test]
fn a_value_outside_a_list_of_choices_lists_them() {
    assert_eq!(
        front_matter_error("category: board", "category: bored"),
        "content/releases/2003-05-19-board.md:4: category: expected one of `earnings`, \
         `management`, `board`, `shareholder-meeting`, `dividend`, `business`, found `bored` (did you mean \
         `board`?)
  |
4 | category: bored
  |           ^^^^^"
    );
}

#[test]
fn a_missing_required_key_is_named_with_what_to_write() {
    // On the first line of the mapping it is missing from, without a caret: no line is wrong.
    assert_eq!(
        front_matter_error("ticker: HEMA\n", ""),
        "content/releases/2003-05-19-board.md:2: the front matter has no `ticker`, which is \
         required: add `ticker:` with the ticker symbol, e.g. `HEMA`"
    );
    assert_eq!(
        front_matter_error("  file: raw/2003-05-19-new-board-members.txt\n", ""),
        "content/releases/2003-05-19-board.md:8: `source` has no `file`, which is required: add \
         `file:` with the raw filing's path under content/, e.g. \
         `raw/2003-11-14-q3-2003-results.txt`"
    );
}

#[test]
fn broken_yaml_shows_the_line_it_was_found_on() {
    assert_eq!(
        front_matter_error(
            "company: HemaCare Corporation",
            "company: HemaCare: Corporation"
        ),
        "content/releases/2003-05-19-board.md:5: the front matter is not valid YAML: mapping \
         values are not allowed in this context; check the quotes, brackets and indentation on \
         this line and the one before
  |
5 | company: HemaCare: Corporation
  |                  ^"
    );
    let err = front_matter_error(
        "{ name: Jay Steffenhagen, role: Chairman }",
        "{ name: Jay Steffenhagen, role: Chairman",
    );
    assert!(
        err.starts_with(
            "content/releases/2003-05-19-board.md:12: the front matter is not valid YAML: did \
             not find expected ',' or '}', while parsing a flow mapping at line 11;"
        ),
        "{err}"
    );
}

const SITE: &str = "\
title: HemaCare Investor Relations
base_url: https://ir.hemacare.example/
company:
  name: HemaCare Corporation
  ticker: HEMA
brand:
  primary: \"#8c1c2b\"
mail:
  smtp:
    host: smtp.hemacare.example
    port: 587
";

/// The error `SiteConfig::parse` gives for `SITE` with `from` replaced by `to`.
fn config_error(from: &str, to: &str) -> String {
    assert!(SITE.contains(from), "the fixture has no {from:?}");
    let text = SITE.replacen(from, to, 1);
    match SiteConfig::parse(Path::new("site.yaml"), &text) {
        Ok(_) => panic!("{to:?} was accepted"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn the_fixture_config_is_valid() {
    SiteConfig::parse(Path::new("site.yaml"), SITE).unwrap();
}

#[test]
fn a_config_value_of_the_wrong_type_names_its_full_key() {
    assert_eq!(
        config_error("port: 587", "port: submission"),
        "site.yaml:11: mail.smtp.port: expected a port number from 1 to 65535, e.g. `587`, \
         found the text \"submission\"
   |
11 |     port: submission
   |           ^^^^^^^^^^"
    );
    assert_eq!(
        config_error("port: 587", "port: 70000"),
        "site.yaml:11: mail.smtp.port: expected a port number from 1 to 65535, e.g. `587`, \
         found the number 70000
   |
11 |     port: 70000
   |           ^^^^^"
    );
}

#[test]
fn a_config_value_that_makes_no_sense_names_its_key_and_line() {
    assert_eq!(
        config_error("primary: \"#8c1c2b\"", "primary: red"),
        "site.yaml:7: brand.primary: expected a colour like `#7a1020`, found `red`
  |
7 |   primary: red
  |            ^^^"
    );
}

#[test]
fn an_unknown_config_key_suggests_the_closest_one() {
    assert_eq!(
        config_error("    port: 587", "    prot: 587"),
        "site.yaml:11: unknown key `mail.smtp.prot` (did you mean `port`?); the keys \
         `mail.smtp` allows are `host`, `port`, `security`, `user`, `password_env`, \
         `timeout_secs`, `attempts`, `retry_delay_ms`
   |
11 |     prot: 587
   |     ^^^^"
    );
}

#[test]
fn a_missing_config_key_says_what_to_write() {
    assert_eq!(
        config_error("  ticker: HEMA\n", ""),
        "site.yaml:4: `company` has no `ticker`, which is required: add `ticker:` with the ticker \
         symbol, e.g. `HEMA`"
    );
}

/// A site folder holding only the given theme templates (name under `templates/`, text).
fn site_with_templates(templates: &[(&str, &str)]) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    for (name, text) in templates {
        let path = site.path().join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    site
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_pdf_template_error_points_at_its_file_line_and_column() {
    use hemasite::model::Quarter;
    use hemasite::pdf::PdfRenderer;
    use hemasite::theme::Theme;

    let site = site_with_templates(&[(
        "pdf/quarterly-summary.md",
        "# {{ quarter.short }}\n\nRevenue: {{ key_figures[0].nope }}\n",
    )]);
    let mut config = SiteConfig::load(&repo().join("site.yaml")).unwrap();
    // The demo's logo is the demo site's own, not the theme's: this site has none.
    config.brand.logo = None;
    let (releases, _) = Release::load_dir(&repo().join("content/releases"));
    let renderer = PdfRenderer::new(&config, &Theme::new(site.path())).unwrap();
    let err = renderer
        .quarterly_summary(Quarter::parse("2003-Q3").unwrap(), &releases)
        .unwrap_err()
        .to_string();
    let template = site.path().join("templates/pdf/quarterly-summary.md");
    assert!(
        err.contains("Tried to render a variable that is undefined"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            " --> {}:3:28\n  |\n3 | Revenue: {{{{ key_figures[0].nope }}}}\n  |                            ^^^^",
            template.display()
        )),
        "{err}"
    );
}

#[test]
fn a_mail_template_error_points_at_its_file_line_and_column() {
    use hemasite::mail::compose::{Composer, Letter};
    use hemasite::mail::mailing::Mailing;
    use hemasite::model::Quarter;
    use hemasite::theme::Theme;

    let site = site_with_templates(&[("email/subject.txt", "Results for {{ quarter.short }\n")]);
    let config = SiteConfig::load(&repo().join("site.yaml")).unwrap();
    let mailing = Mailing::Quarterly(Quarter::parse("2003-Q3").unwrap());
    let letter = Letter {
        mailing: &mailing,
        pdf: Vec::new(),
        release: None,
    };
    let err = Composer::new(&Theme::new(site.path()), &config, letter, &|_| None).unwrap_err();
    let template = site.path().join("templates/email/subject.txt");
    assert!(
        err.starts_with(&format!(
            "an email template has an error: Found `}}` but expected }}}}.\n --> {}:1:30\n",
            template.display()
        )),
        "{err}"
    );
    assert!(
        err.ends_with("1 | Results for {{ quarter.short }\n  |                              ^"),
        "{err}"
    );
}
