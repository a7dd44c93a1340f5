//! hemasite turns a company's SEC press releases into an investor-relations microsite and PDF
//! quarterly summaries.
//!
//! The modules are the stages of the pipeline, and data flows one way through them:
//!
//! ```text
//! content/raw/*.txt ──ingest──▶ content/releases/*.md ──model──▶ ledger ──▶ site, pdf ──▶ mail
//! ```
//!
//! [`ledger`] turns the releases' tables into one checked time series.
//! [`model`] holds the types every stage shares; [`config`] reads `site.yaml`; [`cli`] is the
//! command line that drives it all.

/// mimalloc rather than the system allocator: ingest, the site and the PDFs make many small
/// short-lived strings, and the system allocator took an eighth of ingest's time. Set here, in
/// the library, so the binary, the tests and the benchmarks all run on what ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod format;
pub mod ingest;
pub mod init;
pub mod ledger;
pub mod logo;
pub mod mail;
pub mod model;
pub mod pdf;
pub mod progress;
pub mod project;
pub mod serve;
pub mod site;
pub mod terminal;
pub mod theme;
pub mod urls;
