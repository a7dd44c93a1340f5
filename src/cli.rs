//! The command line: parses arguments, runs a stage, reports what happened.
//!
//! Each subcommand is a thin call into its stage's module; the exit status is non-zero when
//! anything failed, so that scripts and CI can rely on it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "hemasite", version, about, long_about = None)]
pub struct Cli {
    /// The site folder: the one holding `site.yaml`, `content/`, `templates/` and `static/`.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract releases from raw EDGAR filings into `content/releases/*.md`.
    Ingest {
        /// Raw files or folders; `content/raw/` when none is given.
        paths: Vec<PathBuf>,
        /// Overwrite releases that were edited by hand.
        #[arg(long)]
        force: bool,
    },
    /// Render the investor-relations site into `public/` (or `--output`).
    Build {
        /// Publish under another URL than `base_url` in `site.yaml`, e.g.
        /// `https://example.com/investors/` to serve the site under a sub-path.
        #[arg(long)]
        base_url: Option<String>,
        /// Where to write the site; `<root>/public` by default. Replaced only when the build
        /// succeeds.
        #[arg(long)]
        output: Option<PathBuf>,
        /// The day "upcoming events" are counted from, `YYYY-MM-DD`; the newest release's date
        /// by default, so that a build never depends on the clock.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let ok = match &cli.command {
        Command::Ingest { paths, force } => run_ingest(&cli, paths, *force),
        Command::Build {
            base_url,
            output,
            today,
        } => run_build(&cli, base_url, output, *today),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_ingest(cli: &Cli, paths: &[PathBuf], force: bool) -> bool {
    let options = crate::ingest::Options { force };
    let report = crate::ingest::ingest_site(&cli.root, paths, &options);
    report.print(&mut std::io::stderr());
    report.failed.is_empty()
}

fn run_build(
    cli: &Cli,
    base_url: &Option<String>,
    output: &Option<PathBuf>,
    today: Option<chrono::NaiveDate>,
) -> bool {
    let options = crate::site::BuildOptions {
        root: cli.root.clone(),
        output: output.clone(),
        base_url: base_url.clone(),
        today,
    };
    match crate::site::build(&options) {
        Ok(report) => {
            eprintln!(
                "built {} pages ({} files) into {}",
                report.pages,
                report.files,
                report.output.display()
            );
            true
        }
        Err(err) => {
            eprintln!("error: {err}");
            false
        }
    }
}
