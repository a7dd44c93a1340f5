//! Progress of a long stage (ingest, pages, PDFs), reported to whoever is watching.
//!
//! The stages only count; how that is shown is the caller's business: the command line draws a
//! bar on a terminal and nothing otherwise, tests and `serve` pass [`Silent`].

/// Receives the progress of a stage. Implementations must be cheap: `advance` is called once
/// per file, from many threads.
pub trait Progress: Sync {
    /// A stage begins with `total` steps, e.g. `("Rendering pages", 11524)`.
    fn start(&self, stage: &str, total: usize);
    /// `steps` more steps of the current stage are done.
    fn advance(&self, steps: usize);
    /// The current stage is over.
    fn finish(&self);
}

/// Shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _stage: &str, _total: usize) {}
    fn advance(&self, _steps: usize) {}
    fn finish(&self) {}
}
