//! Why a PDF could not be made.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// Why a PDF could not be made; every message names the file at fault and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error("cannot read the theme's {what}: {message}")]
    Theme { what: String, message: String },
    /// `brand.logo` names no file, or one that cannot be drawn (the message names the key).
    #[error("{0}")]
    Logo(String),
    #[error("{origin} {message}")]
    Font { origin: String, message: String },
    #[error("{origin}: {message}")]
    Template { origin: String, message: String },
    #[error("{origin}: line {line} of the Markdown it renders: {message}")]
    Markdown {
        origin: String,
        line: usize,
        message: String,
    },
    #[error(
        "no release has `financials.fiscal_period: {quarter}`, so there is no quarterly summary \
         for it; add or fix the results release's front matter"
    )]
    NoResults { quarter: String },
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    #[error("{path}: cannot write the PDF: {message}")]
    Write { path: PathBuf, message: String },
}

impl From<PdfError> for Diagnostic {
    /// The error on the file it names (a template, a release), for the stages that report
    /// diagnostics; the text is the same.
    fn from(err: PdfError) -> Diagnostic {
        let message = format!("PDFs: {err}");
        match err {
            PdfError::Input { path, .. } | PdfError::Write { path, .. } => {
                Diagnostic::error(&path, 0, format!("PDFs: {}", after_path(&message)))
            }
            _ => Diagnostic::general(message),
        }
    }
}

/// The message after its leading `path: `, which the diagnostic shows itself.
fn after_path(message: &str) -> &str {
    message
        .strip_prefix("PDFs: ")
        .and_then(|rest| rest.split_once(": ").map(|(_, after)| after))
        .unwrap_or(message)
}
