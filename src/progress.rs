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

/// A progress bar on stderr, for the command line: drawn only when `show` is set (stderr is a
/// terminal and the user did not ask for `--quiet`), so that logs and pipes get no escape codes.
/// With `verbose`, each stage also prints its name and count when it finishes, terminal or not.
#[derive(Debug)]
pub struct Bar {
    bar: indicatif::ProgressBar,
    show: bool,
    verbose: bool,
}

impl Bar {
    pub fn new(show: bool, verbose: bool) -> Bar {
        let bar = styled_bar(0);
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        Bar { bar, show, verbose }
    }

    /// The bar the command line uses: shown on a terminal unless `quiet`.
    pub fn for_stderr(quiet: bool, verbose: bool) -> Bar {
        use std::io::IsTerminal;
        Bar::new(std::io::stderr().is_terminal() && !quiet, verbose)
    }
}

impl Progress for Bar {
    /// Sets the stage up while the bar is hidden, so that the first frame drawn is already
    /// this stage's, at zero.
    fn start(&self, stage: &str, total: usize) {
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::hidden());
        self.bar.reset();
        self.bar.set_length(total as u64);
        self.bar.set_message(stage.to_string());
        if self.show {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn advance(&self, steps: usize) {
        self.bar.inc(steps as u64);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
        if self.verbose {
            eprintln!("{}: {}", self.bar.message(), self.bar.position());
        }
    }
}

/// A progress bar of `len` steps in hemasite's one look (`████░░░░ 12/31 what is going on`),
/// for the stages and for `mail`, which shows the address being sent to as its message.
pub fn styled_bar(len: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len as u64);
    let style = indicatif::ProgressStyle::with_template("{bar:32} {pos}/{len} {wide_msg}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_bar_still_counts_each_stage_from_zero() {
        let bar = Bar::new(false, false);
        bar.start("Reading filings", 3);
        bar.advance(1);
        bar.advance(2);
        assert_eq!((bar.bar.position(), bar.bar.length()), (3, Some(3)));
        bar.finish();
        bar.start("Rendering pages", 10);
        assert_eq!(bar.bar.position(), 0);
        assert_eq!(bar.bar.message(), "Rendering pages");
        assert!(bar.bar.is_hidden());
    }
}
