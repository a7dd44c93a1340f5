//! Pages of the site's own: `content/pages/**/*.md` (governance, contacts, FAQs), each a page
//! at its path.
//!
//! `content/pages/governance/committees.md` is published at `governance/committees/`, and
//! `content/pages/governance/index.md` at `governance/` (a folder's own page, as in Zola and
//! Hugo). A page's front matter has a `title`, and may have a `nav` position (the page is then
//! in the navigation, after the built-in items, in `nav` order), a `template` (default
//! `page.html`) and a `description` (the page's meta description). The body is Markdown made
//! safe as release bodies are ([`super::markdown`]): raw HTML is shown as text. A link to a path
//! of the site (`/governance/`, `/news/`) is made relative to the page, so it works at any base
//! path, and is checked: a link to no file of the site is an error on its line.
//!
//! Names become URLs, so every folder and file name must be a slug (a-z, 0-9, `-`); no path can
//! leave the output folder, and a page may not take a path the site makes itself ([`check`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fingerprint::Fingerprint;
use super::markdown;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::{Schema, line_of_key};
use crate::model::{file::parse_front_matter, is_safe_slug};

/// Where the pages are, under the site folder.
pub const FOLDER: &str = "content/pages";

/// The template a page is rendered with when its front matter names none.
pub const DEFAULT_TEMPLATE: &str = "page.html";

/// A page's front matter: the keys are a public interface (`docs/front-matter.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: String,
    /// Where the page goes in the navigation (lower first); absent: not in the navigation.
    #[serde(default)]
    pub nav: Option<u32>,
    /// The template under `templates/`, e.g. `page.html`.
    #[serde(default)]
    pub template: Option<String>,
    /// One or two sentences for search engines and link previews.
    #[serde(default)]
    pub description: Option<String>,
}

/// What the front-matter keys of a page hold, for error messages.
const PAGE_FRONT_MATTER: Schema = Schema {
    document: "the page's front matter",
    expected: &[
        ("title", "the page's heading, e.g. `Board Committees`"),
        (
            "nav",
            "the page's position in the navigation, a whole number such as `10` (lower comes \
             first); leave it out to keep the page out of the navigation",
        ),
        ("template", "a template under templates/, e.g. `page.html`"),
        ("description", "one or two sentences about the page"),
    ],
};

/// A page read from `content/pages/`.
#[derive(Debug, Clone)]
pub struct CustomPage {
    pub front: PageFront,
    /// Markdown, without the front matter.
    pub body: String,
    /// The file, `<root>/content/pages/governance/committees.md`.
    pub file: PathBuf,
    /// The page's URL relative to the site root, `governance/committees/`.
    pub url: String,
    /// The links of the body to paths of the site, to check once every output is known.
    pub links: Vec<SiteLink>,
    /// The line of `template:` in the file (0 when absent), for the error about a template
    /// that does not exist.
    pub template_line: usize,
    /// The whole file: the page itself and the search index.
    pub fingerprint: Fingerprint,
}

/// A link in a page's body to a path of the site: `/governance/` on line 12.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLink {
    pub target: String,
    pub line: usize,
}

impl CustomPage {
    /// Where the page is written, relative to the output folder.
    pub fn output_path(&self) -> String {
        crate::urls::page_file(&self.url)
    }

    pub fn template(&self) -> &str {
        self.front.template.as_deref().unwrap_or(DEFAULT_TEMPLATE)
    }

    /// The body as safe HTML, its site links made relative to the page (`root` is `../../`).
    pub fn body_html(&self, root: &str) -> String {
        markdown::to_safe_html_rooted(&self.body, Some(root))
    }

    fn error(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.file, line, message)
    }
}

/// Every page under `<root>/content/pages/`, in URL order. A missing folder is a site without
/// pages. Every file is read; the errors of all broken ones come back together.
pub fn load(root: &Path) -> Result<Vec<CustomPage>, Vec<Diagnostic>> {
    let folder = root.join(FOLDER);
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    walk(root, &folder, &mut files, &mut errors);
    files.sort();
    let mut pages: Vec<CustomPage> = Vec::new();
    for file in files {
        match read(&folder, &file) {
            Ok(page) => pages.push(page),
            Err(err) => errors.push(err),
        }
    }
    let mut by_url: BTreeMap<&str, &CustomPage> = BTreeMap::new();
    for page in &pages {
        if let Some(other) = by_url.insert(&page.url, page) {
            errors.push(page.error(
                0,
                format!(
                    "this page and {} are both published at `{}`; rename or remove one of them",
                    other.file.display(),
                    page.url
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(pages)
}

/// The `.md` files under `dir`. A symbolic link is followed only to a file inside the site;
/// dot files (editor swap files) are skipped.
fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            errors.push(Diagnostic::error(
                dir,
                0,
                format!("cannot read the folder: {err}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if hidden {
            continue;
        }
        if kind.is_symlink()
            && let Err(err) = crate::theme::check_link(root, &path)
        {
            errors.push(Diagnostic::error(&path, 0, err.to_string()));
            continue;
        }
        if kind.is_dir() {
            walk(root, &path, files, errors);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            files.push(path);
        }
    }
}

fn read(folder: &Path, file: &Path) -> Result<CustomPage, Diagnostic> {
    let url = url_of(folder, file)?;
    let text = std::fs::read_to_string(file)
        .map_err(|err| Diagnostic::error(file, 0, format!("cannot read the page: {err}")))?;
    let (front, body): (PageFront, &str) =
        parse_front_matter(file, &text, "a page", &PAGE_FRONT_MATTER)?;
    if front.title.trim().is_empty() {
        let line = line_of_key(&text, "title").map_or(2, |(line, _)| line);
        return Err(Diagnostic::error(
            file,
            line,
            "title: the page needs a title, its heading and its name in the navigation",
        ));
    }
    // The body is the end of the file: its first line is the one after what comes before it.
    let body_line = text[..text.len() - body.len()].matches('\n').count() + 1;
    let links = markdown::site_links(body)
        .into_iter()
        .map(|(target, offset)| SiteLink {
            target,
            line: body_line + body[..offset].matches('\n').count(),
        })
        .collect();
    Ok(CustomPage {
        template_line: line_of_key(&text, "template").map_or(0, |(line, _)| line),
        fingerprint: Fingerprint::of("custom page")
            .text(&url)
            .text(&text)
            .finish(),
        front,
        body: body.to_string(),
        file: file.to_path_buf(),
        url,
        links,
    })
}

/// `governance/committees/` for `<folder>/governance/committees.md`, `governance/` for
/// `<folder>/governance/index.md`.
fn url_of(folder: &Path, file: &Path) -> Result<String, Diagnostic> {
    let relative = file.strip_prefix(folder).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(bad) = parts.iter().find(|part| !is_safe_slug(part)) {
        return Err(Diagnostic::error(
            file,
            0,
            format!(
                "`{bad}` cannot be part of a URL: a page's folder and file names are its URL, so \
                 they may hold only a-z, 0-9 and inner `-`; rename it (e.g. `{}`)",
                crate::model::slugify(bad)
            ),
        ));
    }
    if parts.last().is_some_and(|last| last == "index") {
        parts.pop();
    }
    Ok(parts.iter().map(|part| format!("{part}/")).collect())
}

/// What a page's template gets: made from the page's own file (its [`CustomPage::fingerprint`])
/// and the navigation ([`nav_fingerprint`]), which is all its output depends on. `root` is the
/// way up to the site's root from the page (`../../`).
pub fn fill(context: &mut tera::Context, pages: &[CustomPage], index: usize, root: &str) {
    let page = &pages[index];
    context.insert("section", section(pages, page));
    context.insert("page_title", &page.front.title);
    context.insert("page_description", &page.front.description);
    context.insert("body_html", &page.body_html(root));
}

/// The navigation items the pages ask for, in `nav` order (then by URL): `(title, url)`.
pub fn nav_items(pages: &[CustomPage]) -> Vec<(&str, &str)> {
    let mut items: Vec<(u32, &str, &str)> = pages
        .iter()
        .filter_map(|page| {
            page.front
                .nav
                .map(|position| (position, page.url.as_str(), page.front.title.as_str()))
        })
        .collect();
    items.sort();
    items
        .into_iter()
        .map(|(_, url, title)| (title, url))
        .collect()
}

/// The navigation item a page is under: its own when it has one, else the nearest folder's
/// in the navigation (`governance/` for `governance/committees/`), else none.
pub fn section<'a>(pages: &'a [CustomPage], page: &'a CustomPage) -> &'a str {
    nav_items(pages)
        .into_iter()
        .map(|(_, url)| url)
        .filter(|url| page.url.starts_with(url))
        .max_by_key(|url| url.len())
        .unwrap_or(&page.url)
}

/// What the navigation shows of the pages: every page of the site shows it.
pub fn nav_fingerprint(pages: &[CustomPage]) -> Fingerprint {
    let mut fingerprint = Fingerprint::of("page navigation");
    for (title, url) in nav_items(pages) {
        fingerprint = fingerprint.text(title).text(url);
    }
    fingerprint.finish()
}

/// Every page's whole file, for the search index.
pub fn all_fingerprint(pages: &[CustomPage]) -> Fingerprint {
    Fingerprint::of("custom pages")
        .fingerprints(pages.iter().map(|page| &page.fingerprint))
        .finish()
}

/// Checks the pages against every other output of the site, whose paths (relative to the
/// output folder) are `generated`: a page may not be published where the site puts something
/// of its own (`news/`, `releases/`, `fonts/`: any folder the site writes into, or the home
/// page), its template must be one of `templates`, and each of its site links must reach a
/// file of the site. Every problem of every page is reported.
pub fn check(
    pages: &[CustomPage],
    generated: &BTreeSet<&str>,
    templates: &BTreeSet<&str>,
) -> Vec<Diagnostic> {
    let folders: BTreeSet<&str> = generated
        .iter()
        .filter_map(|path| path.split_once('/').map(|(first, _)| first))
        .collect();
    let mut published: BTreeSet<String> = generated.iter().map(|path| path.to_string()).collect();
    published.extend(pages.iter().map(CustomPage::output_path));
    let mut errors = Vec::new();
    for page in pages {
        let first = page.url.split('/').next().unwrap_or_default();
        if page.url.is_empty() || folders.contains(first) {
            let taken = if page.url.is_empty() {
                "the home page".to_string()
            } else {
                format!("`{first}/`, where the site publishes pages of its own")
            };
            errors.push(page.error(
                0,
                format!(
                    "this page would be published at `/{}`, which is {taken}; move it to \
                     another folder or name (e.g. content/pages/about/{}.md)",
                    page.url,
                    if page.url.is_empty() { "index" } else { first }
                ),
            ));
        }
        if !templates.contains(page.template()) {
            errors.push(page.error(
                page.template_line,
                format!(
                    "template: there is no template `{}` in templates/ (the built-in ones \
                     include `{DEFAULT_TEMPLATE}`); add it, or correct the name",
                    page.template()
                ),
            ));
        }
        for link in &page.links {
            if let Some(message) = broken(&link.target, &published) {
                errors.push(page.error(link.line, message));
            }
        }
    }
    errors
}

/// Why the site link `target` (`/governance/#audit`) reaches no file of `published`, if it
/// does not.
fn broken(target: &str, published: &BTreeSet<String>) -> Option<String> {
    let path = target
        .split(['#', '?'])
        .next()
        .unwrap_or_default()
        .trim_start_matches('/');
    let found = published.contains(path)
        || (path.is_empty() || path.ends_with('/'))
            && published.contains(&format!("{path}index.html"));
    if found {
        return None;
    }
    let closest = published
        .iter()
        .map(|file| file.strip_suffix("index.html").unwrap_or(file))
        .min_by_key(|candidate| strsim::levenshtein(candidate, path))
        .map(|candidate| format!(" (did you mean `/{candidate}`?)"))
        .unwrap_or_default();
    Some(format!(
        "the link `{target}` goes to no page or file of this site{closest}; correct it, or link \
         to the full address (https://…) of a page elsewhere"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(FOLDER).join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_page_is_published_at_its_path_and_index_is_its_folder() {
        let dir = site(&[
            (
                "governance/committees.md",
                "---\ntitle: Committees\n---\nText\n",
            ),
            (
                "governance/index.md",
                "---\ntitle: Governance\nnav: 5\n---\nText\n",
            ),
            ("contacts.md", "---\ntitle: Contacts\nnav: 1\n---\n"),
        ]);
        let pages = load(dir.path()).unwrap();
        let urls: Vec<&str> = pages.iter().map(|page| page.url.as_str()).collect();
        assert_eq!(urls, ["contacts/", "governance/", "governance/committees/"]);
        assert_eq!(pages[2].output_path(), "governance/committees/index.html");
        assert_eq!(
            nav_items(&pages),
            [("Contacts", "contacts/"), ("Governance", "governance/")]
        );
    }

    #[test]
    fn bad_front_matter_is_an_error_on_its_line_and_the_others_are_read() {
        let dir = site(&[
            ("a.md", "---\ntitle: A\nnav: first\n---\n"),
            ("b.md", "---\ntitle: B\ncolour: red\n---\n"),
            ("c.md", "---\ntitle: C\n---\n"),
            ("D E.md", "---\ntitle: D\n---\n"),
        ]);
        let errors = load(dir.path()).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{shown:#?}");
        assert!(
            shown[0].contains("D E.md") && shown[0].contains("only a-z"),
            "{shown:#?}"
        );
        assert!(shown[1].contains("a.md:3"), "{shown:#?}");
        assert!(
            shown[2].contains("b.md:3") && shown[2].contains("colour"),
            "{shown:#?}"
        );
    }

    #[test]
    fn a_link_out_of_the_site_is_refused_and_dot_files_are_skipped() {
        let dir = site(&[
            ("about.md", "---\ntitle: About\n---\n"),
            (".about.md.swp", "x"),
        ]);
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "---\ntitle: S\n---\n").unwrap();
        let pages = dir.path().join(FOLDER);
        std::os::unix::fs::symlink(outside.path().join("secret.md"), pages.join("secret.md"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), pages.join("elsewhere")).unwrap();
        let errors: Vec<String> = load(dir.path())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors
                .iter()
                .all(|err| err.contains("outside the site folder")),
            "{errors:#?}"
        );
        std::fs::remove_file(pages.join("secret.md")).unwrap();
        std::fs::remove_file(pages.join("elsewhere")).unwrap();
        let urls: Vec<String> = load(dir.path())
            .unwrap()
            .into_iter()
            .map(|p| p.url)
            .collect();
        assert_eq!(urls, ["about/"]);
    }

    #[test]
    fn two_files_at_one_url_are_refused() {
        let dir = site(&[
            ("about.md", "---\ntitle: A\n---\n"),
            ("about/index.md", "---\ntitle: B\n---\n"),
        ]);
        let errors = load(dir.path()).unwrap_err();
        assert!(
            errors[0].message.contains("both published at `about/`"),
            "{errors:?}"
        );
    }

    #[test]
    fn pages_may_not_take_the_sites_own_paths_and_links_are_checked() {
        let dir = site(&[
            ("index.md", "---\ntitle: Home\n---\n"),
            ("news/extra.md", "---\ntitle: Extra\n---\n"),
            (
                "about.md",
                "---\ntitle: About\ntemplate: nope.html\n---\n\nSee [news](/news/) and\n[the board](/goverance/#board).\n",
            ),
            ("governance.md", "---\ntitle: Governance\n---\n"),
        ]);
        let pages = load(dir.path()).unwrap();
        let generated = BTreeSet::from(["index.html", "news/index.html", "style.css"]);
        let templates = BTreeSet::from(["page.html"]);
        let errors: Vec<String> = check(&pages, &generated, &templates)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(
            errors[0]
                .contains("index.md: this page would be published at `/`, which is the home page"),
            "{errors:#?}"
        );
        assert!(
            errors[1].contains("about.md:3: template: there is no template `nope.html`"),
            "{errors:#?}"
        );
        assert!(
            errors[2].contains("about.md:7: the link `/goverance/#board`")
                && errors[2].contains("did you mean `/governance/`"),
            "{errors:#?}"
        );
        assert!(
            errors[3].contains("extra.md") && errors[3].contains("`news/`"),
            "{errors:#?}"
        );
    }
}
