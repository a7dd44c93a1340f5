//! `hemasite mail`: sends a quarter's summary PDF to the distribution list.
//!
//! A run has four steps:
//!
//! 1. **plan** — which quarter (the latest with a summary PDF unless told), its PDF from
//!    `public/` (written by `hemasite build`), its earnings release for the message body, the
//!    recipients from the list, less those the send log says already have it;
//! 2. **compose** — one message per recipient ([`compose`]);
//! 3. **send** — over SMTP ([`transport`]), holding the send log's lock, and recording each
//!    delivery in the send log ([`sendlog`]) as started before the SMTP transaction and as done
//!    (or failed) after it; or, with `--dry-run`, write the messages as `.eml` files into a new
//!    folder and send nothing;
//! 4. **summary** — sent, skipped as already delivered, in flight when an earlier run stopped,
//!    failed with reasons ([`Report`]).
//!
//! Nothing is lost and, as far as SMTP allows, nothing is sent twice: a run that stops half way,
//! for whatever reason, is finished by running it again, which sends only to those never
//! started. The few whose message was with the server when the run died are reported, not
//! guessed at (`--resend-uncertain` sends them). `--resend` sends again on purpose.

pub mod compose;
pub mod recipients;
pub mod sendlog;
pub mod transport;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::{Category, Quarter, Release};
use crate::project::Project;
use crate::site::urls;
use crate::theme::Theme;
use compose::Composer;
use recipients::{Recipient, RecipientList};
use sendlog::{LogLock, SendLog, State};
use transport::{RetryPolicy, SendError, SmtpSender, Transport};

/// What the user asked for on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The quarter to send; the latest one with a summary PDF when `None`.
    pub period: Option<Quarter>,
    pub mode: Mode,
    /// Send also to those the log says already have this quarter's summary.
    pub resend: bool,
    /// Send also to those whose delivery was started by an earlier run and never concluded.
    pub resend_uncertain: bool,
    /// Only the recipients on this list (the CSV's `lists` column).
    pub list: Option<String>,
    /// The folder the build wrote, where the summaries are; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Write the messages as `.eml` files to `out`, which must be new or empty (a new
    /// `mail-preview/<quarter>[-N]/` in the site folder when `None`), and send nothing.
    DryRun { out: Option<PathBuf> },
    /// Send over SMTP as `mail.smtp` in `site.yaml` says.
    Send,
}

/// What a run needs from the world beyond the site folder, so tests can provide a fake.
pub struct Runtime<'a> {
    /// Where `--send` hands the messages; may be `None` for a dry run.
    pub transport: Option<&'a mut dyn Transport>,
    pub retry: RetryPolicy,
    /// The clock, for the `Date` header and the send log.
    pub now: fn() -> SystemTime,
    /// How the run waits between retries.
    pub sleep: fn(Duration),
    /// Show a progress bar on stderr while sending.
    pub progress: bool,
}

/// How the run went, for the summary and the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub quarter: Quarter,
    /// The attachment's file name.
    pub attachment: String,
    /// Where the `.eml` files went, for a dry run.
    pub preview: Option<PathBuf>,
    /// Addresses sent to (or written as `.eml` in a dry run), in list order.
    pub sent: Vec<String>,
    /// Addresses skipped because the send log says they already have this quarter's summary.
    pub already_sent: Vec<String>,
    /// Addresses not sent because an earlier run stopped while their message was with the
    /// server (started, never done): it may or may not have arrived. `--resend-uncertain`.
    pub uncertain: Vec<String>,
    /// Addresses that failed, with the reason.
    pub failed: Vec<(String, String)>,
    /// Addresses not tried because the run stopped early.
    pub not_attempted: Vec<String>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<String>,
    /// Problems that did not stop the run: skipped list lines, unreadable releases.
    pub warnings: Vec<String>,
}

impl Report {
    /// True when every planned message went out (or was written).
    pub fn ok(&self) -> bool {
        self.failed.is_empty()
            && self.not_attempted.is_empty()
            && self.uncertain.is_empty()
            && self.stopped.is_none()
    }

    /// The end-of-run summary, in sentences.
    pub fn print(&self, out: &mut dyn Write) -> io::Result<()> {
        for warning in &self.warnings {
            writeln!(out, "warning: {warning}")?;
        }
        let dry = self.preview.is_some();
        writeln!(
            out,
            "{} {} ({}):",
            if dry { "mail preview" } else { "mail" },
            self.quarter,
            self.attachment
        )?;
        match &self.preview {
            Some(folder) => writeln!(
                out,
                "  written: {} (to {}; nothing was sent)",
                self.sent.len(),
                folder.display()
            )?,
            None => writeln!(out, "  sent: {}", self.sent.len())?,
        }
        if !self.already_sent.is_empty() {
            writeln!(
                out,
                "  skipped, already delivered: {} (the send log says so; --resend sends again)",
                self.already_sent.len()
            )?;
        }
        if !self.uncertain.is_empty() {
            writeln!(
                out,
                "  not sent, in flight when an earlier run stopped: {} (they may or may not \
                 have it; ask them, or send with --resend-uncertain)",
                self.uncertain.len()
            )?;
            for address in &self.uncertain {
                writeln!(out, "    {address}")?;
            }
        }
        if !self.failed.is_empty() {
            writeln!(out, "  failed: {}", self.failed.len())?;
            for (address, reason) in &self.failed {
                writeln!(out, "    {address}: {reason}")?;
            }
        }
        if !self.not_attempted.is_empty() {
            writeln!(
                out,
                "  not attempted: {} (the run stopped before them)",
                self.not_attempted.len()
            )?;
        }
        if let Some(reason) = &self.stopped {
            writeln!(out, "error: the run stopped: {reason}")?;
        }
        if !self.ok() && !dry {
            writeln!(
                out,
                "Run `hemasite mail --send --period {}` again to send what is missing; the send \
                 log keeps anyone from getting it twice.",
                self.quarter
            )?;
        }
        Ok(())
    }
}

/// The program's run: the project as `hemasite` loaded it, real SMTP, the system clock.
pub fn run(project: &Project, options: &Options) -> Result<Report, Diagnostic> {
    let (root, config) = (project.root.as_path(), &project.config);
    let progress = io::stderr().is_terminal();
    match options.mode {
        Mode::DryRun { .. } => run_with(
            root,
            config,
            options,
            Runtime {
                transport: None,
                retry: RetryPolicy {
                    attempts: 1,
                    first_delay: Duration::ZERO,
                },
                now: SystemTime::now,
                sleep: std::thread::sleep,
                progress,
            },
        ),
        Mode::Send => {
            let site_yaml = project.path("site.yaml");
            let smtp = config.mail.smtp.as_ref().ok_or_else(|| {
                Diagnostic::error(
                    &site_yaml,
                    0,
                    "`hemasite mail --send` needs the SMTP server: add `mail: { smtp: { host: …, \
                     port: …, security: starttls, user: …, password_env: \
                     HEMASITE_SMTP_PASSWORD } }`",
                )
            })?;
            let domain = compose::site_domain(&config.base_url)
                .ok_or_else(|| Diagnostic::error(&site_yaml, 0, "base_url has no host name"))?;
            let mut sender = SmtpSender::new(smtp, &domain, |name| std::env::var(name).ok())
                .map_err(Diagnostic::general)?;
            run_with(
                root,
                config,
                options,
                Runtime {
                    transport: Some(&mut sender),
                    retry: RetryPolicy::from_settings(smtp),
                    now: SystemTime::now,
                    sleep: std::thread::sleep,
                    progress,
                },
            )
        }
    }
}

/// A run with the given configuration and outside world.
pub fn run_with(
    root: &Path,
    config: &SiteConfig,
    options: &Options,
    runtime: Runtime<'_>,
) -> Result<Report, Diagnostic> {
    let plan = Plan::make(root, config, options)?;
    let composer = Composer::new(
        &Theme::new(root),
        config,
        plan.quarter,
        plan.pdf.clone(),
        plan.release.as_ref(),
    )
    .map_err(Diagnostic::general)?;
    let mut report = Report {
        quarter: plan.quarter,
        attachment: composer.attachment_name().to_string(),
        preview: None,
        sent: Vec::new(),
        already_sent: plan.already_sent.clone(),
        uncertain: plan.uncertain.clone(),
        failed: plan.list_errors.clone(),
        not_attempted: Vec::new(),
        stopped: None,
        warnings: plan.warnings.clone(),
    };
    match &options.mode {
        Mode::DryRun { out } => {
            let folder = match out {
                Some(out) => fresh_folder(out)?,
                None => new_preview_folder(&root.join("mail-preview"), plan.quarter)?,
            };
            write_previews(&plan, &composer, &folder, runtime.now, &mut report)?;
            report.preview = Some(folder);
        }
        Mode::Send => {
            let transport = runtime
                .transport
                .ok_or_else(|| Diagnostic::general("no mail transport to send with"))?;
            let mut log = plan.log;
            let mut sending = Sending {
                composer: &composer,
                quarter: plan.quarter,
                transport,
                retry: runtime.retry,
                now: runtime.now,
                sleep: runtime.sleep,
                log: &mut log,
            };
            sending.send_all(&plan.to_send, runtime.progress, &mut report);
        }
    }
    Ok(report)
}

/// Everything decided before the first message is composed.
struct Plan {
    quarter: Quarter,
    pdf: Vec<u8>,
    release: Option<Release>,
    /// Recipients to send to, each with the number this send will be (1 for the first).
    to_send: Vec<(Recipient, u32)>,
    already_sent: Vec<String>,
    uncertain: Vec<String>,
    log: SendLog,
    /// Held for the whole run when sending, so no other run uses the log meanwhile.
    _lock: Option<LogLock>,
    /// List lines that cannot be sent to, as (`subscribers.csv:LINE`, why).
    list_errors: Vec<(String, String)>,
    warnings: Vec<String>,
}

impl Plan {
    fn make(root: &Path, config: &SiteConfig, options: &Options) -> Result<Plan, Diagnostic> {
        let mut warnings = Vec::new();
        let public = crate::site::output_dir(root, options.output.as_deref());
        let quarter = match options.period {
            Some(quarter) => quarter,
            None => latest_summary(&public)?,
        };
        let pdf_path = public.join(urls::summary_pdf(quarter));
        let pdf = std::fs::read(&pdf_path).map_err(|err| {
            Diagnostic::error(
                &pdf_path,
                0,
                format!(
                    "cannot read the {quarter} summary ({err}); run `hemasite build` first, it \
                     writes the quarterly summaries"
                ),
            )
        })?;
        let release = earnings_release(&root.join("content/releases"), quarter, &mut warnings);

        let list_path = root.join(&config.mail.subscribers);
        let list = RecipientList::load(&list_path)?;
        warnings.extend(list.warnings.iter().map(ToString::to_string));
        let list_errors = list
            .errors
            .iter()
            .map(|err| {
                let at = format!("{}:{}", err.path.display(), err.line);
                (at, err.message.clone())
            })
            .collect();
        let chosen = list.on_list(options.list.as_deref());
        if let (Some(name), true) = (&options.list, chosen.is_empty()) {
            let known: std::collections::BTreeSet<&str> = list
                .recipients
                .iter()
                .flat_map(|r| r.lists.iter().map(String::as_str))
                .collect();
            let known = known.into_iter().collect::<Vec<_>>().join(", ");
            return Err(Diagnostic::error(
                &list_path,
                0,
                format!("nobody is on the list `{name}`; the lists there are: {known}"),
            ));
        }

        let log_path = root.join(&config.mail.sent_log);
        let lock = match options.mode {
            Mode::Send => Some(SendLog::lock(&log_path)?),
            Mode::DryRun { .. } => None,
        };
        let log = SendLog::open(&log_path)?;
        let mut to_send = Vec::new();
        let mut already_sent = Vec::new();
        let mut uncertain = Vec::new();
        for recipient in chosen {
            let key = recipient.key();
            let before = log.deliveries(quarter, &key);
            if options.resend {
                to_send.push((recipient.clone(), before + 1));
            } else if before > 0 {
                already_sent.push(recipient.address.to_string());
            } else if log.in_flight(quarter, &key).is_some() && !options.resend_uncertain {
                uncertain.push(recipient.address.to_string());
            } else {
                // A message in flight is sent again with the same Message-ID (the same send
                // number), so a mail system that drops duplicate IDs shows it once.
                to_send.push((recipient.clone(), 1));
            }
        }
        Ok(Plan {
            quarter,
            pdf,
            release,
            to_send,
            already_sent,
            uncertain,
            log,
            _lock: lock,
            list_errors,
            warnings,
        })
    }
}

/// The latest quarter whose summary PDF is in `public/`.
fn latest_summary(public: &Path) -> Result<Quarter, Diagnostic> {
    let reports = public.join(urls::REPORTS);
    let entries = std::fs::read_dir(&reports).map_err(|err| {
        Diagnostic::error(
            &reports,
            0,
            format!("no quarterly summaries to send; run `hemasite build` first: {err}"),
        )
    })?;
    entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| urls::summary_quarter(&entry.file_name().to_string_lossy()))
        .max()
        .ok_or_else(|| {
            Diagnostic::error(
                &reports,
                0,
                "no quarterly summary PDF there; run `hemasite build` first, or name the quarter \
                 with --period",
            )
        })
}

/// The earnings release reporting `quarter`, the latest if several do. Files that cannot be read
/// are warnings here: the mail can go out without the release's figures.
fn earnings_release(
    folder: &Path,
    quarter: Quarter,
    warnings: &mut Vec<String>,
) -> Option<Release> {
    let (releases, unreadable) = Release::load_dir(folder);
    warnings.extend(
        unreadable
            .iter()
            .map(|err| format!("{err} (the message body leaves this release out)")),
    );
    let period = quarter.to_string();
    releases
        .into_iter()
        .filter(|release| {
            release.front.category == Category::Earnings
                && release
                    .front
                    .financials
                    .as_ref()
                    .is_some_and(|f| f.fiscal_period == period)
        })
        .max_by_key(|release| release.front.date)
}

/// `--out DIR`: `DIR` made if missing, or used if empty. A preview never removes anything, so a
/// folder holding files (an earlier preview, or anything else) is refused rather than mixed.
fn fresh_folder(folder: &Path) -> Result<PathBuf, Diagnostic> {
    std::fs::create_dir_all(folder)
        .map_err(|err| io_error(folder, "cannot create the preview folder", err))?;
    let mut entries = std::fs::read_dir(folder)
        .map_err(|err| io_error(folder, "cannot read the preview folder", err))?;
    if entries.next().is_some() {
        return Err(Diagnostic::error(
            folder,
            0,
            "the preview folder is not empty; a preview writes only into a new or empty folder \
             and never deletes anything: name another with --out, or empty this one",
        ));
    }
    Ok(folder.to_path_buf())
}

/// The default preview folder: `mail-preview/2003-Q3/`, or `2003-Q3-2/`, `-3`, … when earlier
/// previews are there, so each run has a folder of its own and none is overwritten.
fn new_preview_folder(parent: &Path, quarter: Quarter) -> Result<PathBuf, Diagnostic> {
    std::fs::create_dir_all(parent)
        .map_err(|err| io_error(parent, "cannot create the preview folder", err))?;
    for run in 1..10_000 {
        let name = match run {
            1 => quarter.to_string(),
            n => format!("{quarter}-{n}"),
        };
        let folder = parent.join(name);
        // `create_dir` fails if the folder exists: two runs at once never share one.
        match std::fs::create_dir(&folder) {
            Ok(()) => return Ok(folder),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => {
                return Err(io_error(&folder, "cannot create the preview folder", err));
            }
        }
    }
    Err(Diagnostic::error(
        parent,
        0,
        format!("too many previews of {quarter} there; remove the old ones"),
    ))
}

/// An I/O error on `path`: `path: what: why`.
fn io_error(path: &Path, what: &str, err: io::Error) -> Diagnostic {
    Diagnostic::error(path, 0, format!("{what}: {err}"))
}

/// `--dry-run`: each message as `<n>-<address>.eml`, into a folder that held nothing before.
fn write_previews(
    plan: &Plan,
    composer: &Composer,
    folder: &Path,
    now: fn() -> SystemTime,
    report: &mut Report,
) -> Result<(), Diagnostic> {
    for (index, (recipient, send)) in plan.to_send.iter().enumerate() {
        let address = recipient.address.to_string();
        match composer.compose(recipient, *send, now()) {
            Ok(message) => {
                let path = folder.join(preview_file_name(index + 1, &address));
                std::fs::write(&path, &message.bytes)
                    .map_err(|err| io_error(&path, "cannot write the preview", err))?;
                report.sent.push(address);
            }
            Err(reason) => report.failed.push((address, reason)),
        }
    }
    Ok(())
}

/// `001-jane.doe_at_example.com.eml`: only characters that are safe in any file system, so an
/// address can never name a path outside the folder.
fn preview_file_name(number: usize, address: &str) -> String {
    let safe: String = address
        .chars()
        .map(|c| match c {
            '@' => "_at_".to_string(),
            c if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' => c.to_string(),
            _ => "_".to_string(),
        })
        .collect();
    format!("{number:03}-{safe}.eml")
}

/// The sending loop and what it needs.
struct Sending<'a> {
    composer: &'a Composer,
    quarter: Quarter,
    transport: &'a mut dyn Transport,
    retry: RetryPolicy,
    now: fn() -> SystemTime,
    sleep: fn(Duration),
    log: &'a mut SendLog,
}

impl Sending<'_> {
    fn send_all(&mut self, to_send: &[(Recipient, u32)], progress: bool, report: &mut Report) {
        let bar = progress.then(|| crate::progress::styled_bar(to_send.len()));
        for (index, (recipient, send)) in to_send.iter().enumerate() {
            let address = recipient.address.to_string();
            if let Some(bar) = &bar {
                bar.set_message(address.clone());
            }
            match self.send_one(recipient, *send) {
                Ok(()) => report.sent.push(address),
                Err(Outcome::Failed(reason)) => {
                    if let Some(bar) = &bar {
                        bar.println(format!("failed: {address}: {reason}"));
                    }
                    report.failed.push((address, reason));
                }
                Err(Outcome::Stop { reason, delivered }) => {
                    if delivered {
                        report.sent.push(address);
                    } else {
                        report.not_attempted.push(address);
                    }
                    report.not_attempted.extend(
                        to_send[index + 1..]
                            .iter()
                            .map(|(recipient, _)| recipient.address.to_string()),
                    );
                    report.stopped = Some(reason);
                    break;
                }
            }
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
    }

    /// Composes, logs as started, sends, logs as done or failed. Nothing goes to the server
    /// before its start is on disk, so a crash at any point leaves it either never started (sent
    /// by the next run) or in flight (reported by the next run), never silently sent twice.
    fn send_one(&mut self, recipient: &Recipient, send: u32) -> Result<(), Outcome> {
        let message = self
            .composer
            .compose(recipient, send, (self.now)())
            .map_err(Outcome::Failed)?;
        let id = &message.message_id;
        self.record(recipient, id, State::Started)
            .map_err(|reason| Outcome::Stop {
                reason,
                delivered: false,
            })?;
        let mut sleep = self.sleep;
        let sent = self.retry.send(
            self.transport,
            &message.envelope,
            &message.bytes,
            &mut sleep,
        );
        let outcome = match sent {
            Ok(()) => return self.record_done(recipient, id),
            Err(SendError::Uncertain(reason)) => {
                // Left as started: the next run reports it rather than guess.
                return Err(Outcome::Stop {
                    reason: format!(
                        "{reason}; the message to {} may or may not have been delivered, so the \
                         next run does not send it again unless told (--resend-uncertain)",
                        recipient.address
                    ),
                    delivered: false,
                });
            }
            Err(SendError::Rejected(reason) | SendError::Transient(reason)) => {
                Outcome::Failed(reason)
            }
            Err(SendError::Unreachable(reason) | SendError::Fatal(reason)) => Outcome::Stop {
                reason,
                delivered: false,
            },
        };
        // Not delivered. Should this line not be written, the next run reports the recipient
        // as in flight: a question for a person, never a duplicate.
        let _ = self.record(recipient, id, State::Failed);
        Err(outcome)
    }

    fn record_done(&mut self, recipient: &Recipient, id: &str) -> Result<(), Outcome> {
        self.record(recipient, id, State::Done)
            .map_err(|reason| Outcome::Stop {
                reason: format!(
                    "{reason}; the message to {} was delivered: the next run reports it as in \
                     flight, do not send it again",
                    recipient.address
                ),
                delivered: true,
            })
    }

    /// One line in the send log, on disk before this returns; the error is a sentence.
    fn record(&mut self, recipient: &Recipient, id: &str, state: State) -> Result<(), String> {
        let at: DateTime<Utc> = (self.now)().into();
        self.log
            .record(self.quarter, &recipient.key(), id, at, state)
            .map_err(|err| {
                format!(
                    "{}: cannot write to the send log ({err})",
                    self.log.path().display()
                )
            })
    }
}

enum Outcome {
    /// This recipient failed; go on with the next.
    Failed(String),
    /// Nothing more can be sent in this run.
    Stop { reason: String, delivered: bool },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_names_stay_in_their_folder() {
        assert_eq!(
            preview_file_name(7, "jane.doe@example.com"),
            "007-jane.doe_at_example.com.eml"
        );
        let name = preview_file_name(1, "\"../../x\"@example.com");
        assert!(!name.contains('/'), "{name}");
    }
}
