//! The command line: parses arguments, runs a stage, reports what happened.
//!
//! Each subcommand is a thin call into its stage's module; the exit status is non-zero when
//! anything failed, so that scripts and CI can rely on it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::model::Quarter;
use crate::terminal;

#[derive(Debug, Parser)]
#[command(name = "hemasite", version, about, long_about = None)]
pub struct Cli {
    /// The site folder: the one holding `site.yaml`, `content/`, `templates/` and `static/`.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Print only warnings and errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also list every file written, and each stage with its count as it finishes.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The global options again, hidden, for the commands that work on no site folder (`init`,
/// `completions`, `man`): clap then leaves them out of those commands' help, where `--root`,
/// `--quiet` and `--verbose` would promise something the command does not do.
#[derive(Debug, Clone, clap::Args)]
pub struct NoSiteFolder {
    #[arg(long, hide = true, default_value = ".")]
    root: PathBuf,
    #[arg(long, short, hide = true)]
    quiet: bool,
    #[arg(long, short, hide = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site folder: a `site.yaml` to fill in and empty `content/raw/` and
    /// `content/releases/`.
    Init {
        /// The folder to create (it must not hold a `site.yaml` yet).
        dir: PathBuf,
        /// Also copy the built-in theme (`templates/`, `static/`) to change it.
        #[arg(long)]
        with_theme: bool,
        #[command(flatten)]
        no_site: NoSiteFolder,
    },
    /// Extract releases from raw EDGAR filings into `content/releases/*.md`.
    Ingest {
        /// Raw files or folders; `content/raw/` when none is given.
        paths: Vec<PathBuf>,
        /// Overwrite releases that were edited by hand.
        #[arg(long)]
        force: bool,
    },
    /// Render the investor-relations site and its PDFs into `public/` (or `--output`), making
    /// only the files whose inputs changed since the last build.
    Build {
        /// Publish under another URL than `base_url` in `site.yaml`, e.g.
        /// `https://example.com/investors/` to serve the site under a sub-path.
        #[arg(long)]
        base_url: Option<String>,
        /// Where to write the site; `<root>/public` by default. Replaced only when the build
        /// succeeds.
        #[arg(long)]
        output: Option<PathBuf>,
        /// The day "upcoming events" are counted from, `YYYY-MM-DD`; by default the day
        /// `SOURCE_DATE_EPOCH` names (for reproducible builds), else the day of the build.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        /// Publish even when the figures disagree (`hemasite check` finds an error); the
        /// findings are still printed.
        #[arg(long)]
        allow_inconsistent: bool,
    },
    /// Build the site, serve it at http://127.0.0.1:1111/, rebuild it whenever a source changes
    /// and reload the open browser tabs. Build errors show in the browser until fixed; a raw
    /// filing dropped into `content/raw/` is ingested. Stop with Ctrl-C.
    ///
    /// The site is built into `.hemasite/serve/` (never `public/`, which is for publishing).
    Serve {
        /// The port to listen on; 0 picks a free one (the URL is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but loopback shows the preview, unpublished
        /// releases included, to other machines on the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Email a quarter's summary PDF, or an alert for a new release, to those on the
    /// distribution list (`content/subscribers.csv`) who asked for it.
    ///
    /// Needs the PDFs in `public/` or `--output` (run `hemasite build` first). Each delivery is recorded in
    /// the send log, so running again after an interruption or a failure sends only what is
    /// missing.
    #[command(group(clap::ArgGroup::new("mode").required(true).args(["dry_run", "send"])))]
    #[command(group(clap::ArgGroup::new("what").args(["period", "release", "new"])))]
    Mail {
        /// The quarter, e.g. `2003-Q3`; the latest one with a summary PDF when neither this,
        /// --release nor --new is given.
        #[arg(long, value_parser = parse_quarter)]
        period: Option<Quarter>,
        /// Announce this release (its slug: the file stem in content/releases/) to the
        /// `releases` list, with its printable PDF.
        #[arg(long, value_parser = parse_slug)]
        release: Option<String>,
        /// Announce each release not yet announced (and finish any announcement an earlier run
        /// left unfinished); safe to run from cron. The first time, only the latest release.
        #[arg(long, conflicts_with = "resend")]
        new: bool,
        /// Write the messages as `.eml` files and send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Where `--dry-run` writes the `.eml` files: a new or empty folder [default: a new
        /// mail-preview/<quarter>/ in the site folder, or <quarter>-2, -3, … after that].
        #[arg(long, requires = "dry_run")]
        out: Option<PathBuf>,
        /// Send over SMTP as `mail.smtp` in `site.yaml` says.
        #[arg(long)]
        send: bool,
        /// Send also to those the send log says already have this mailing.
        #[arg(long)]
        resend: bool,
        /// Send also to those whose message was in flight when an earlier run stopped (the
        /// send log says it was started, not whether it arrived): they may get it twice.
        #[arg(long)]
        resend_uncertain: bool,
        /// Only the recipients in this group (the `groups` column of the recipient list;
        /// `--list`, its name before release alerts, still works).
        #[arg(long, alias = "list")]
        group: Option<String>,
        /// The folder `hemasite build --output` wrote, where the PDFs are; `<root>/public` by
        /// default.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check that every figure agrees with the others: tables add up, releases agree, and the
    /// text states what the tables show. Exits non-zero on any error.
    Check {
        /// `text` for people (grouped by severity), `json` for machines.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Print a shell completion script, e.g. `hemasite completions bash > /etc/bash_completion.d/hemasite`.
    Completions {
        shell: clap_complete::Shell,
        #[command(flatten)]
        no_site: NoSiteFolder,
    },
    /// Print the manual page (roff), e.g. `hemasite man > hemasite.1`.
    Man {
        #[command(flatten)]
        no_site: NoSiteFolder,
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
        Command::Init {
            dir, with_theme, ..
        } => run_init(dir, *with_theme),
        Command::Completions { shell, .. } => {
            use clap::CommandFactory;
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "hemasite",
                &mut std::io::stdout(),
            );
            true
        }
        Command::Man { .. } => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .is_ok()
        }
        Command::Ingest { paths, force } => run_ingest(&cli, paths, *force),
        Command::Build {
            base_url,
            output,
            today,
            allow_inconsistent,
        } => run_build(&cli, base_url, output, *today, *allow_inconsistent),
        Command::Serve { port, bind } => run_serve(&cli, *port, *bind),
        Command::Mail {
            period,
            release,
            new,
            dry_run: _,
            out,
            send,
            resend,
            resend_uncertain,
            group,
            output,
        } => {
            let mode = if *send {
                crate::mail::Mode::Send
            } else {
                crate::mail::Mode::DryRun { out: out.clone() }
            };
            let what = match (release, *new) {
                (Some(slug), _) => crate::mail::What::Release(slug.clone()),
                (None, true) => crate::mail::What::NewReleases,
                (None, false) => crate::mail::What::Quarter(*period),
            };
            let options = crate::mail::Options {
                what,
                mode,
                resend: *resend,
                resend_uncertain: *resend_uncertain,
                group: group.clone(),
                output: output.clone(),
            };
            run_mail(&cli, &options)
        }
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
    let report = crate::ingest::ingest_site(&cli.root, paths, &options, &progress_bar(cli));
    let mut text = Vec::new();
    report.print(&mut text, verbosity(cli));
    terminal::eprint(&String::from_utf8_lossy(&text));
    report.failed.is_empty()
}

/// The progress bar on stderr: drawn on a terminal unless `--quiet`; with `--verbose`, each
/// stage also says what it did.
fn progress_bar(cli: &Cli) -> crate::progress::Bar {
    crate::progress::Bar::for_stderr(cli.quiet, cli.verbose)
}

/// Prints an error the way every command does: `error: ` and the message, in red on a
/// terminal.
fn print_error(message: impl std::fmt::Display) {
    terminal::eprint(&format!("error: {message}\n"));
}

fn verbosity(cli: &Cli) -> crate::ingest::Verbosity {
    if cli.quiet {
        crate::ingest::Verbosity::Quiet
    } else if cli.verbose {
        crate::ingest::Verbosity::Verbose
    } else {
        crate::ingest::Verbosity::Normal
    }
}

fn run_init(dir: &std::path::Path, with_theme: bool) -> bool {
    match crate::init::init(dir, with_theme) {
        Ok(created) => {
            eprintln!(
                "created {} ({} files and folders): fill in {}, put filings in {}, then run `hemasite --root {} ingest` and `build`",
                dir.display(),
                created.files.len(),
                dir.join("site.yaml").display(),
                dir.join("content/raw").display(),
                dir.display()
            );
            true
        }
        Err(message) => {
            print_error(message);
            false
        }
    }
}

fn run_build(
    cli: &Cli,
    base_url: &Option<String>,
    output: &Option<PathBuf>,
    today: Option<chrono::NaiveDate>,
    allow_inconsistent: bool,
) -> bool {
    let options = crate::site::BuildOptions {
        output: output.clone(),
        base_url: base_url.clone(),
        today,
        allow_inconsistent,
        ..crate::site::BuildOptions::new(&cli.root)
    };
    let started = std::time::Instant::now();
    let mut builder = crate::site::Builder::new(options);
    let result = builder.build(&progress_bar(cli));
    // The process ends after this command: the system takes back the builder's memory at once,
    // where freeing its 10,000 parsed releases one allocation at a time took a twentieth of a
    // build after one edit.
    std::mem::forget(builder);
    match result {
        Ok(report) => {
            for warning in &report.warnings {
                terminal::eprint(&format!("warning: {warning}\n"));
            }
            print_build_findings(&report, cli.verbose);
            if cli.verbose {
                for file in &report.made {
                    eprintln!("wrote {}", report.output.join(file).display());
                }
            }
            if !cli.quiet {
                eprintln!(
                    "{} into {} {}",
                    report.summary(started.elapsed().as_millis()),
                    report.output.display(),
                    report.made_summary()
                );
            }
            true
        }
        Err(err) => {
            print_error(err);
            false
        }
    }
}

/// Errors (allowed with `--allow-inconsistent`) and warnings are printed in full; figures in the
/// text that the tables do not carry are only counted, with `--verbose`, as `hemasite check`
/// lists them: a build that went well says so in its one summary line.
fn print_build_findings(report: &crate::site::BuildReport, verbose: bool) {
    if !report.findings.is_empty() {
        let mut text = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = report.print_findings(&mut text);
        terminal::eprint(&String::from_utf8_lossy(&text));
    } else if report.unchecked > 0 && verbose {
        eprintln!(
            "figures agree; {} in the text not checked (run `hemasite check` to list them)",
            crate::format::count(report.unchecked, "figure", "figures")
        );
    }
}

/// Serves until Ctrl-C (or SIGTERM), then stops the server cleanly.
/// How long serve waits, after Ctrl-C or SIGTERM, for a build under way to finish before it
/// leaves anyway: the preview folder is serve's own and is rebuilt from scratch next time.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_millis(700);

fn run_serve(cli: &Cli, port: u16, bind: std::net::IpAddr) -> bool {
    let options = crate::serve::ServeOptions {
        port,
        bind,
        quiet: cli.quiet,
        ..crate::serve::ServeOptions::new(&cli.root)
    };
    let (interrupted, interrupt) = std::sync::mpsc::channel();
    if let Err(err) = ctrlc::set_handler(move || {
        let _ = interrupted.send(());
    }) {
        eprintln!("error: cannot handle Ctrl-C ({err}); serve would not stop cleanly");
        return false;
    }
    // Started on a thread of its own, so that a signal during the first build (seconds, on a
    // large site) is answered at once.
    let (started, starting) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("hemasite-start".into())
        .spawn(move || {
            let _ = started.send(crate::serve::Server::start(options));
        });
    let server = loop {
        if interrupt.try_recv().is_ok() {
            return stopped(cli);
        }
        match starting.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(Ok(server)) => break server,
            Ok(Err(err)) => {
                eprintln!("error: {err}");
                return false;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                eprintln!("error: serve could not start");
                return false;
            }
        }
    };
    if !cli.quiet {
        crate::serve::to_stderr("Press Ctrl-C to stop.");
    }
    let _ = interrupt.recv();
    let (done, finished) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("hemasite-stop".into())
        .spawn(move || {
            server.stop();
            let _ = done.send(());
        });
    // A build under way is given a moment; past it, the process ends with the build.
    let _ = finished.recv_timeout(STOP_GRACE);
    stopped(cli)
}

fn stopped(cli: &Cli) -> bool {
    if !cli.quiet {
        crate::serve::to_stderr("Stopped.");
    }
    true
}

fn run_mail(cli: &Cli, options: &crate::mail::Options) -> bool {
    let project = match crate::project::Project::load(&cli.root) {
        Ok(project) => project,
        Err(err) => {
            print_error(err);
            return false;
        }
    };
    match crate::mail::run(&project, options) {
        Ok(reports) => {
            let mut text = Vec::new();
            if reports.is_empty() {
                text.extend_from_slice(
                    b"mail: no new release to announce (the send log has every release up to \
                      the newest announced)\n",
                );
            }
            for report in &reports {
                // Writing into a Vec cannot fail.
                let _ = report.print(&mut text);
            }
            terminal::eprint(&String::from_utf8_lossy(&text));
            reports.iter().all(crate::mail::Report::ok)
        }
        Err(err) => {
            print_error(format!("{err:#}"));
            false
        }
    }
}

fn parse_slug(text: &str) -> Result<String, String> {
    let slug = text.strip_suffix(".md").unwrap_or(text);
    let slug = slug.rsplit('/').next().unwrap_or(slug);
    if crate::model::is_safe_slug(slug) {
        Ok(slug.to_string())
    } else {
        Err(format!(
            "expected a release's slug such as `2003-11-14-hemacare-reports-third-quarter-\
             financial-results` (the file stem in content/releases/), found `{text}`"
        ))
    }
}

fn parse_quarter(text: &str) -> Result<Quarter, String> {
    Quarter::parse(text)
        .ok_or_else(|| format!("expected a quarter such as `2003-Q3`, found `{text}`"))
}
fn run_check(cli: &Cli, format: CheckFormat) -> bool {
    let project = match crate::project::Project::load(&cli.root) {
        Ok(project) => project,
        Err(err) => {
            print_error(err);
            return false;
        }
    };
    let releases = &project.releases;
    let mut findings = crate::ledger::check::run(releases, &project.ledger);
    findings.splice(0..0, project.unreadable.iter().cloned());
    let written = match format {
        CheckFormat::Text => {
            let mut text = Vec::new();
            // Writing into a Vec cannot fail.
            let _ = crate::ledger::check::print_text(&findings, releases.len(), &mut text);
            terminal::print(&String::from_utf8_lossy(&text))
        }
        // Machines get the findings as they are: colour would break the JSON.
        CheckFormat::Json => {
            crate::ledger::check::print_json(&findings, &mut std::io::stdout().lock())
        }
    };
    if let Err(err) = written {
        print_error(format!("cannot write the findings: {err}"));
        return false;
    }
    !crate::ledger::check::has_errors(&findings)
}
