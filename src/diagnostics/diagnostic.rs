//! The one shape of a problem in a file, whatever stage found it.
//!
//! Ingest, the release and `site.yaml` readers, the consistency checks, the site build, mail and
//! serve all report a [`Diagnostic`]: the file, the line (and column when known), how bad it is,
//! the sentence saying what happened and what to do, and the offending line with a caret when
//! there is one. The terminal colours it, `check --format json` serialises it, serve shows it
//! over the page; none of them needs to know which stage it came from.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is. Ordered from worst to mildest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file, or a figure in it, is wrong: the stage could not use it, or publishing would
    /// show a wrong number.
    Error,
    /// Something left out or not checked, worth a look; the stage went on.
    Warning,
    /// A figure the text states that the tables do not carry, so it was not checked.
    Unchecked,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Unchecked => "unchecked",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A problem in a file: where (1-based line, 0 when the whole file is at fault; 1-based column
/// when known), how bad, what happened, and the offending line with a caret
/// ([`super::excerpt::excerpt`]) when there is one.
///
/// Shown as `file:line: message`, the excerpt under it; in JSON as
/// `{"severity", "message", "file", "line", "column"?, "excerpt"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    #[serde(rename = "file")]
    pub path: PathBuf,
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        path: &Path,
        line: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            message: message.into(),
            path: path.to_path_buf(),
            line,
            column: None,
            excerpt: None,
        }
    }

    /// An error on `line` of `path` (0: the whole file).
    pub fn error(path: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, path, line, message)
    }

    /// A warning on `line` of `path` (0: the whole file).
    pub fn warning(path: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, path, line, message)
    }

    /// An error about no one file (an option, a folder as a whole, a thread that cannot start):
    /// shown as its message alone.
    pub fn general(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, Path::new(""), 0, message)
    }

    /// A warning on `line` of the text being read, by a stage that reads text and does not know
    /// the file: the stage that does names it with [`Diagnostic::in_file`].
    pub fn line_warning(line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, Path::new(""), line, message)
    }

    /// An error on `line` of the text being read; see [`Diagnostic::line_warning`].
    pub fn line_error(line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, Path::new(""), line, message)
    }

    /// The same diagnostic, in the file at `path`.
    pub fn in_file(mut self, path: &Path) -> Diagnostic {
        self.path = path.to_path_buf();
        self
    }

    /// The same, at `column` of its line, with the line and a caret shown under the message.
    pub fn at_column(mut self, column: usize, excerpt: String) -> Diagnostic {
        self.column = Some(column);
        self.excerpt = Some(excerpt);
        self
    }

    /// The same with another severity (a file that failed in one stage may only be a warning
    /// in another).
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// The message and, under it, the excerpt: the text without the location, for a reader
    /// that shows the location itself.
    pub fn text(&self) -> String {
        match &self.excerpt {
            Some(excerpt) => format!("{}\n{excerpt}", self.message),
            None => self.message.clone(),
        }
    }

    /// `file:line` (or `file` for the whole file).
    pub fn location(&self) -> String {
        match self.line {
            0 => self.path.display().to_string(),
            line => format!("{}:{line}", self.path.display()),
        }
    }

    /// True when any of `diagnostics` is an error.
    pub fn any_error(diagnostics: &[Diagnostic]) -> bool {
        diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// Worst first, then by file and line. A stable sort: diagnostics on one line keep the
    /// order they were found in (text order).
    pub fn sort(diagnostics: &mut [Diagnostic]) {
        diagnostics.sort_by(|a, b| {
            (a.severity, a.path.as_os_str(), a.line).cmp(&(b.severity, b.path.as_os_str(), b.line))
        });
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line: message`, or `file: message` when the whole file is at fault (line 0), with
    /// the excerpt on the lines under it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.as_os_str().is_empty() {
            return f.write_str(&self.text());
        }
        write!(f, "{}: {}", self.location(), self.text())
    }
}

impl std::error::Error for Diagnostic {}

/// `.with_context(|| "what was being done")` on any result whose error prints: a
/// [`Diagnostic::general`] that reads `what was being done: why it failed`.
pub trait Context<T> {
    fn with_context<F: FnOnce() -> String>(self, what: F) -> Result<T, Diagnostic>;
}

impl<T, E: fmt::Display> Context<T> for Result<T, E> {
    fn with_context<F: FnOnce() -> String>(self, what: F) -> Result<T, Diagnostic> {
        self.map_err(|err| Diagnostic::general(format!("{}: {err}", what())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_reads_file_line_message_then_its_excerpt() {
        let whole = Diagnostic::error(Path::new("site.yaml"), 0, "cannot read it");
        assert_eq!(whole.to_string(), "site.yaml: cannot read it");
        let at = Diagnostic::warning(Path::new("a.md"), 3, "odd date")
            .at_column(7, "  |\n3 | date: x\n  |       ^".into());
        assert_eq!(
            at.to_string(),
            "a.md:3: odd date\n  |\n3 | date: x\n  |       ^"
        );
        let json = serde_json::to_value(&at).unwrap();
        assert_eq!(json["file"], "a.md");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["column"], 7);
        assert!(
            serde_json::to_value(&whole)
                .unwrap()
                .get("column")
                .is_none()
        );
        assert_eq!(Diagnostic::general("no site").to_string(), "no site");
    }
}
