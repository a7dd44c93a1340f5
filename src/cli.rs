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
    /// Check that every figure agrees with the others: tables add up, releases agree, and the
    /// text states what the tables show. Exits non-zero on any error.
    Check {
        /// `text` for people (grouped by severity), `json` for machines.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let ok = match &cli.command {
        Command::Ingest { paths, force } => run_ingest(&cli, paths, *force),
        Command::Check { format } => run_check(&cli, *format),
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

fn run_check(cli: &Cli, format: CheckFormat) -> bool {
    let config = match crate::config::SiteConfig::load(&site_path(cli, "site.yaml")) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return false;
        }
    };
    let (releases, unreadable) =
        crate::model::Release::load_dir(&site_path(cli, "content/releases"));
    let ledger = crate::ledger::Ledger::build(&releases, &config);
    let mut findings = crate::ledger::check::run(&releases, &ledger);
    findings.splice(
        0..0,
        unreadable.into_iter().map(crate::ledger::Finding::from),
    );
    let mut stdout = std::io::stdout().lock();
    let written = match format {
        CheckFormat::Text => {
            crate::ledger::check::print_text(&findings, releases.len(), &mut stdout)
        }
        CheckFormat::Json => crate::ledger::check::print_json(&findings, &mut stdout),
    };
    if let Err(err) = written {
        eprintln!("error: cannot write the findings: {err}");
        return false;
    }
    !crate::ledger::check::has_errors(&findings)
}

/// A path inside the site folder, written the short way (`content/releases`, not
/// `./content/releases`) when the site is the current folder, so that messages read cleanly.
fn site_path(cli: &Cli, relative: &str) -> PathBuf {
    if cli.root == std::path::Path::new(".") {
        PathBuf::from(relative)
    } else {
        cli.root.join(relative)
    }
}
