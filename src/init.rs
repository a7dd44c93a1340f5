//! `hemasite init DIR`: a new site folder for another company, ready for `ingest` and `build`.
//!
//! The theme is not copied unless asked (`--with-theme`): a site without `templates/` and
//! `static/` uses the one built into the binary and picks up its improvements on upgrade.

use std::path::{Path, PathBuf};

use crate::theme::Theme;

/// The `site.yaml` a new site starts from; every value is a placeholder to replace.
const SITE_YAML: &str = r##"# hemasite configuration. Replace every value marked "change me", then:
#   hemasite ingest   (after putting the EX-99.1 filings in content/raw/)
#   hemasite build
title: Example Corporation Investor Relations   # change me
base_url: https://ir.example.com/                # change me: where the site is published
company:
  name: Example Corporation                      # change me
  ticker: EXMP                                   # change me
  market: Nasdaq                                 # change me
  description: What the company does, in one line.   # change me
brand:
  primary: "#1f4e79"
  accent: "#7a1020"
  font: Lato
fiscal_year_end: "12-31"
fiscal_year_named_for: end   # or start: a year ending in January 2025 is fiscal 2024 (many retailers)
contact:
  name: Investor Relations                       # change me
  email: ir@example.com                          # change me
pdf:
  page_size: letter
  margin_mm: 18
# `hemasite mail` emails each quarter's summary to content/subscribers.csv (see docs/mail.md).
mail:
  subscribers: content/subscribers.csv
  sent_log: content/mail/sent.log
  unsubscribe:
    mailto: unsubscribe@example.com              # change me
  smtp:                                          # needed for `hemasite mail --send` only
    host: smtp.example.com                       # change me
    security: starttls
    user: ir-mailer@example.com                  # change me
    # The password is never written here: export it in this variable before sending.
    password_env: HEMASITE_SMTP_PASSWORD
"##;

/// The distribution list a new site starts with: the header and how to fill it in, no one on it.
const SUBSCRIBERS_CSV: &str = "email,name,lists,groups
# Who receives what: one line each, e.g.
# jane.doe@example.com,Jane Doe,releases;quarterly,board analysts
# `lists`: releases (an alert for each new release), quarterly (the quarterly summary), or
# both as releases;quarterly; empty means quarterly. `groups` are for --group:
# `hemasite mail --send --group board` sends only to those in `board`.
";

/// The example page of the site's own a new site starts with (see `crate::site::custom`):
/// published at `governance/`, in the navigation.
const GOVERNANCE_MD: &str = "---
title: Corporate Governance
nav: 10
description: How the Board of Directors and its committees oversee Example Corporation.
---

This page is `content/pages/governance.md`: a page of the site's own, written in Markdown.
Change it, or add others beside it (`content/pages/governance/committees.md` is published at
`/governance/committees/`). `nav:` puts a page in the navigation, lower numbers first.

## Board of Directors

The directors named in our news releases are on the [leadership page](/leadership/).

## Committees

| Committee | Responsible for |
| --- | --- |
| Audit | The financial statements and the independent auditors |
| Compensation | The pay of the executive officers |
| Nominating | The choice of candidates for the board |

## Contacting the board

Write to the Board of Directors care of the Corporate Secretary.
";

/// What `init` made, for the message to the user.
#[derive(Debug)]
pub struct Created {
    pub files: Vec<PathBuf>,
}

/// Creates the site folder. Refuses to touch a folder that already has a `site.yaml`.
pub fn init(dir: &Path, with_theme: bool) -> Result<Created, String> {
    let config = dir.join("site.yaml");
    if config.exists() {
        return Err(format!(
            "{} already exists; init never overwrites a site. Choose an empty folder.",
            config.display()
        ));
    }
    let mut files = Vec::new();
    for folder in ["content/raw", "content/releases", "content/pages"] {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).map_err(|err| cannot_create(&path, &err))?;
        files.push(path);
    }
    std::fs::write(&config, SITE_YAML).map_err(|err| cannot_create(&config, &err))?;
    files.push(config);
    let subscribers = dir.join("content/subscribers.csv");
    std::fs::write(&subscribers, SUBSCRIBERS_CSV)
        .map_err(|err| cannot_create(&subscribers, &err))?;
    files.push(subscribers);
    let governance = dir.join("content/pages/governance.md");
    std::fs::write(&governance, GOVERNANCE_MD).map_err(|err| cannot_create(&governance, &err))?;
    files.push(governance);
    if with_theme {
        files.extend(copy_theme(dir)?);
    }
    Ok(Created { files })
}

/// Copies the built-in templates and static files so that the site can change them.
fn copy_theme(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let theme = Theme::new(Path::new(
        "/nonexistent-site-so-only-the-built-in-theme-is-read",
    ));
    let unreadable = |err: std::io::Error| format!("cannot read the built-in theme: {err}");
    let templates = theme.templates("").map_err(unreadable)?;
    let statics = theme.static_files().map_err(unreadable)?;
    let mut written = Vec::new();
    for (folder, files) in [("templates", templates), ("static", statics)] {
        for (name, file) in files {
            let path = dir.join(folder).join(&name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|err| cannot_create(parent, &err))?;
            }
            std::fs::write(&path, &file.contents).map_err(|err| cannot_create(&path, &err))?;
            written.push(path);
        }
    }
    Ok(written)
}

fn cannot_create(path: &Path, err: &std::io::Error) -> String {
    format!("cannot create {}: {err}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_site_yaml_is_valid() {
        crate::config::SiteConfig::parse(Path::new("site.yaml"), SITE_YAML).unwrap();
    }

    #[test]
    fn a_new_site_is_ready_for_mail() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), false).unwrap();
        let config = crate::config::SiteConfig::load(&dir.path().join("site.yaml")).unwrap();
        assert!(config.mail.smtp.is_some(), "site.yaml has a mail: section");
        let list = std::fs::read_to_string(dir.path().join("content/subscribers.csv")).unwrap();
        assert!(list.starts_with("email,name,lists,groups\n"), "{list}");
        let read =
            crate::mail::recipients::RecipientList::parse(Path::new("s.csv"), &list).unwrap();
        assert!(read.recipients.is_empty() && read.errors.is_empty() && read.warnings.is_empty());
        // The example line of the comment, written out, is a valid line.
        let example = list.lines().nth(2).unwrap().trim_start_matches("# ");
        let header = list.lines().next().unwrap();
        let read = crate::mail::recipients::RecipientList::parse(
            Path::new("s.csv"),
            &format!("{header}\n{example}\n"),
        )
        .unwrap();
        assert_eq!(read.recipients.len(), 1, "{example}: {read:?}");
    }

    #[test]
    fn an_existing_site_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "mine").unwrap();
        let err = init(dir.path(), false).unwrap_err();
        assert!(err.contains("never overwrites"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn the_theme_is_copied_only_when_asked() {
        let plain = tempfile::tempdir().unwrap();
        init(plain.path(), false).unwrap();
        assert!(!plain.path().join("templates").exists());
        let themed = tempfile::tempdir().unwrap();
        init(themed.path(), true).unwrap();
        assert!(themed.path().join("templates/base.html").is_file());
        assert!(themed.path().join("static/style.css").is_file());
    }
}
