//! The release file format: `---`, YAML front matter, `---`, then the Markdown body; reading
//! one (with the lines later stages point at) and writing one.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Schema, YamlFile, yaml_error};

use super::lines::{self, SourceLines, StatementLines};
use super::{FRONT_MATTER, FrontMatter, Release, aliases, is_safe_slug, yaml};

const FENCE: &str = "---";

impl Release {
    /// Reads a release file: `---`, YAML front matter, `---`, Markdown body.
    pub fn parse(path: &Path, text: &str) -> Result<Release, Diagnostic> {
        let (front, body): (FrontMatter, &str) =
            parse_front_matter(path, text, "a release", &FRONT_MATTER)?;
        let slug = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .filter(|stem| is_safe_slug(stem))
            .ok_or_else(|| {
                Diagnostic::error(
                    path,
                    0,
                    "file name must be `<date>-<slug>.md` with only a-z, 0-9 and `-`",
                )
            })?
            .to_string();
        let lines = scan_lines(text, &front, body);
        Ok(Release {
            front,
            body: body.to_string(),
            slug,
            path: path.to_path_buf(),
            lines,
        })
    }

    /// Writes the release in its file form; [`Release::parse`] reads it back unchanged.
    pub fn to_markdown(front: &FrontMatter, body: &str) -> String {
        let yaml = yaml::front_matter(front);
        let mut out = String::with_capacity(yaml.len() + body.len() + 16);
        out.push_str(FENCE);
        out.push('\n');
        out.push_str(&yaml);
        out.push_str(FENCE);
        out.push_str("\n\n");
        out.push_str(body.trim_end());
        out.push('\n');
        out
    }
}

impl Release {
    /// Reads every `*.md` release in `dir`, in file-name order (which is date order). Files that
    /// cannot be read or parsed are returned as errors next to the releases that could.
    pub fn load_dir(dir: &Path) -> (Vec<Release>, Vec<Diagnostic>) {
        let paths = match Release::files_in(dir) {
            Ok(paths) => paths,
            Err(err) => return (Vec::new(), vec![err]),
        };
        // Parsed in parallel; results are collected in path order, so the output is stable.
        let parsed: Vec<Result<Release, Diagnostic>> = {
            use rayon::prelude::*;
            paths
                .par_iter()
                .map(|path| Release::read_text(path).and_then(|text| Release::parse(path, &text)))
                .collect()
        };
        let (mut releases, mut errors) = (Vec::new(), Vec::new());
        for result in parsed {
            match result {
                Ok(release) => releases.push(release),
                Err(err) => errors.push(err),
            }
        }
        (releases, errors)
    }

    /// The `*.md` files in `dir`, sorted by name.
    pub fn files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
        let entries = std::fs::read_dir(dir).map_err(|err| {
            let message = format!(
                "cannot read the releases folder ({err}); run `hemasite ingest` to create it"
            );
            Diagnostic::error(dir, 0, message)
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        // All in one folder: comparing the bytes is the same order as comparing the paths.
        paths.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        Ok(paths)
    }

    /// A release file's text, for [`Release::parse`].
    pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
        std::fs::read_to_string(path)
            .map_err(|err| Diagnostic::error(path, 0, format!("cannot read the release: {err}")))
    }
}

/// A release file's text without the byte-order mark some editors put first.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The body of a release file's `text`, as [`Release::parse`] reads it, without parsing the
/// front matter (for the cache of parsed releases, which keeps only that).
pub fn body_of(text: &str) -> Option<&str> {
    split_front_matter(without_bom(text)).map(|(_, body)| body)
}

/// Reads a file made of `---`, YAML front matter, `---` and a Markdown body (a release, a page
/// of the site's own), with errors on the file's lines that name the key at fault. `what` names
/// the kind of file in messages (`a release`).
pub fn parse_front_matter<'t, T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &'t str,
    what: &str,
    schema: &Schema,
) -> Result<(T, &'t str), Diagnostic> {
    let text = without_bom(text);
    let (yaml, body) = split_front_matter(text).ok_or_else(|| {
        let opened = text.starts_with("---\n") || text.starts_with("---\r\n");
        Diagnostic::error(
            path,
            1,
            if opened {
                "the front matter opened on line 1 is never closed: add a line `---` after its \
                 last key, before the body"
                    .to_string()
            } else {
                format!(
                    "no front matter: {what} starts with a line `---`, its YAML, then another `---`"
                )
            },
        )
    })?;
    // After the opening `---`, the YAML's first line is the file's second.
    aliases::refuse(path, yaml, 2)?;
    let front = serde_yaml::from_str(yaml).map_err(|err| {
        let file = YamlFile {
            path,
            text,
            first_line: 2,
        };
        yaml_error(&err, &file, schema)
    })?;
    Ok((front, body))
}

/// Splits `---\n<yaml>---\n<body>` into its two parts.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == FENCE {
            let body = &rest[offset + line.len()..];
            return Some((&rest[..offset], body.trim_start_matches(['\r', '\n'])));
        }
        offset += line.len();
    }
    None
}

/// Where `front`'s statements, the body and the recorded keys are in `text`, the whole file
/// (also for a release the build cache gives back, whose file it has read).
pub fn scan_lines(text: &str, front: &FrontMatter, body: &str) -> SourceLines {
    let statements = front
        .financials
        .iter()
        .flat_map(|financials| financials.statements.iter())
        .enumerate()
        .map(|(index, statement)| StatementLines {
            columns: (0..statement.columns.len())
                .map(|column| lines::column(text, index, column))
                .collect(),
            rows: statement
                .rows
                .iter()
                .map(|row| {
                    let key = lines::row(text, index, &row.key, None);
                    let values = (0..row.values.len())
                        .map(|column| lines::row(text, index, &row.key, Some(column)))
                        .collect();
                    (row.key.clone(), (key, values))
                })
                .collect(),
        })
        .collect();
    SourceLines::new(text, statements, body)
}
