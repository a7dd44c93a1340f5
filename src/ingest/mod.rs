//! Ingest: raw EDGAR filings become `content/releases/*.md`. (Being written.)

use std::path::{Path, PathBuf};

use crate::model::FileError;

#[derive(Debug, Default, Clone)]
pub struct Options {
    pub force: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub written: Vec<PathBuf>,
    pub failed: Vec<FileError>,
}

impl Report {
    pub fn print(&self, out: &mut impl std::io::Write) {
        for err in &self.failed {
            let _ = writeln!(out, "error: {err}");
        }
    }
}

pub fn ingest_site(root: &Path, _paths: &[PathBuf], _options: &Options) -> Report {
    Report {
        written: Vec::new(),
        failed: vec![FileError::new(root, 0, "ingest is being written")],
    }
}
