//! `hemasite mail`: sends a quarter's summary PDF, or an alert for a new release with its
//! printable PDF, to those on the distribution list who asked for it.
//!
//! A run has four steps:
//!
//! 1. **plan** — which mailings: a quarter (the latest with a summary PDF unless told), one
//!    release (`--release SLUG`), or each release not yet announced (`--new`); for each, its PDF
//!    from `public/` (written by `hemasite build`), the release its body quotes, and the
//!    recipients on its list (`quarterly` or `releases`), less those the send log says already
//!    have it;
//! 2. **compose** — one message per recipient ([`compose`]);
//! 3. **send** — over SMTP ([`transport`]), holding the send log's lock for the whole run, and
//!    recording each delivery in the send log ([`sendlog`]) as started before the SMTP
//!    transaction and as done (or failed) after it; a release alert first records its whole
//!    list as queued. Or, with `--dry-run`, write the messages as `.eml` files into a new folder
//!    and send nothing;
//! 4. **summary** — per mailing: sent, skipped as already delivered, in flight when an earlier
//!    run stopped, failed with reasons ([`Report`]).
//!
//! Nothing is lost and, as far as SMTP allows, nothing is sent twice: a run that stops half way,
//! for whatever reason, is finished by running it again, which sends only to those never
//! started. The few whose message was with the server when the run died are reported, not
//! guessed at (`--resend-uncertain` sends them). `--resend` sends again on purpose. What `--new`
//! picks is decided under the lock, from the log as it is then, so two runs from cron never
//! announce the same release twice.

pub mod compose;
pub mod mailing;
pub mod recipients;
pub mod sendlog;
pub mod transport;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::diagnostics::{Context as _, Diagnostic};
use chrono::{DateTime, Utc};

use crate::config::SiteConfig;
use crate::model::{Category, Quarter, Release};
use crate::project::Project;
use crate::theme::Theme;
use crate::urls;
use compose::{Composer, Letter};

/// A mail run's error, worded as a sentence: the run stops and `cli` prints it.
macro_rules! failure {
    ($($message:tt)*) => {
        Diagnostic::general(format!($($message)*))
    };
}

/// Stops the run with [`failure!`].
macro_rules! fail {
    ($($message:tt)*) => {
        return Err(failure!($($message)*))
    };
}
use mailing::Mailing;
use recipients::{Recipient, RecipientList};
use sendlog::{SendLog, State};
use transport::{RetryPolicy, SendError, SmtpSender, Transport};

/// What the user asked for on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub what: What,
    pub mode: Mode,
    /// Send also to those the log says already have this mailing.
    pub resend: bool,
    /// Send also to those whose delivery was started by an earlier run and never concluded.
    pub resend_uncertain: bool,
    /// Only the recipients in this group (the CSV's `groups` column).
    pub group: Option<String>,
    /// The folder the build wrote, where the PDFs are; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
}

/// Which mailings a run sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A quarter's summary; the latest one with a summary PDF when `None`.
    Quarter(Option<Quarter>),
    /// The alert for one release, by its slug (the file stem in `content/releases/`).
    Release(String),
    /// Each release not yet announced to the list, oldest first, and any announcement an
    /// earlier run left unfinished. When nothing was ever announced, only the latest release:
    /// the ones before it are not news any more.
    NewReleases,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Write the messages as `.eml` files to `out`, which must be new or empty (a new
    /// `mail-preview/<mailing>[-N]/` in the site folder when `None`), and send nothing.
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
    /// Reads an environment variable (the unsubscribe tokens' secret).
    pub read_env: fn(&str) -> Option<String>,
}

/// How one mailing went, for the summary and the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub mailing: Mailing,
    /// The options that finish this mailing: `--period 2003-Q3`, `--release <slug>`, or
    /// `--new` for one `--new` sent (so that finishing it keeps to those it queued).
    pub again: String,
    /// The attachment's file name.
    pub attachment: String,
    /// Where the `.eml` files went, for a dry run.
    pub preview: Option<PathBuf>,
    /// Addresses sent to (or written as `.eml` in a dry run), in list order.
    pub sent: Vec<String>,
    /// Addresses skipped because the send log says they already have this mailing.
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
    fn new(mailing: Mailing, again: String, attachment: String) -> Report {
        Report {
            mailing,
            again,
            attachment,
            preview: None,
            sent: Vec::new(),
            already_sent: Vec::new(),
            uncertain: Vec::new(),
            failed: Vec::new(),
            not_attempted: Vec::new(),
            stopped: None,
            warnings: Vec::new(),
        }
    }

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
            self.mailing,
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
                "Run `hemasite mail --send {}` again to send what is missing; the send log \
                 keeps anyone from getting it twice.",
                self.again
            )?;
        }
        Ok(())
    }
}

/// The program's run: the project as `hemasite` loaded it, real SMTP, the system clock.
pub fn run(project: &Project, options: &Options) -> Result<Vec<Report>, Diagnostic> {
    let (root, config) = (project.root.as_path(), &project.config);
    let progress = io::stderr().is_terminal();
    let read_env = |name: &str| std::env::var(name).ok();
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
                read_env,
            },
        ),
        Mode::Send => {
            let smtp = config.mail.smtp.as_ref().ok_or_else(|| {
                failure!(
                    "site.yaml: `hemasite mail --send` needs the SMTP server: add `mail: {{ \
                     smtp: {{ host: …, port: …, security: starttls, user: …, password_env: \
                     HEMASITE_SMTP_PASSWORD }} }}`"
                )
            })?;
            let domain = compose::site_domain(&config.base_url)
                .ok_or_else(|| failure!("site.yaml: base_url has no host name"))?;
            let mut sender =
                SmtpSender::new(smtp, &domain, read_env).map_err(Diagnostic::general)?;
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
                    read_env,
                },
            )
        }
    }
}

/// Whom a mailing goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// Everyone on its list now (`--period`, `--release`, a release `--new` announces first).
    List,
    /// Only those an earlier run queued: `--new` finishing an announcement, which must not
    /// reach someone who joined the list after it.
    Queued,
}

/// A run with the given configuration and outside world: one report per mailing, in the order
/// sent (none when `--new` finds nothing to announce).
pub fn run_with(
    root: &Path,
    config: &SiteConfig,
    options: &Options,
    mut runtime: Runtime<'_>,
) -> Result<Vec<Report>, Diagnostic> {
    if options.what == What::NewReleases && options.resend {
        fail!("--resend sends one mailing again: name it with --release SLUG instead of --new");
    }
    let log_path = root.join(&config.mail.sent_log);
    // Taken before the log is read, and held to the end: what the run plans from, including
    // which releases `--new` picks, is what no other run changes meanwhile.
    let _lock = match options.mode {
        Mode::Send => Some(SendLog::lock(&log_path)?),
        Mode::DryRun { .. } => None,
    };
    let mut log = SendLog::open(&log_path)?;
    let list_path = root.join(&config.mail.subscribers);
    let list = RecipientList::load(&list_path)?;
    let mut warnings: Vec<String> = list.warnings.iter().map(ToString::to_string).collect();
    let list_errors: Vec<(String, String)> = list
        .errors
        .iter()
        .map(|err| {
            let at = format!("{}:{}", err.path.display(), err.line);
            (at, err.message.clone())
        })
        .collect();
    let (releases, unreadable) = Release::load_dir(&root.join("content/releases"));
    let public = crate::site::output_dir(root, options.output.as_deref());
    let mailings = choose(&public, &releases, &unreadable, &options.what, &log)?;
    warnings.extend(
        unreadable
            .iter()
            .map(|err| format!("{err} (this release is left out of the mail)")),
    );

    // Everything that can fail is prepared for every mailing before the first message goes
    // out, so a run either stops before sending or reports each mailing it sent.
    let theme = Theme::new(root);
    let mut prepared = Vec::new();
    for (mailing, audience) in mailings {
        let letter = Letter {
            pdf: read_pdf(&public, &mailing)?,
            release: match &mailing {
                Mailing::Quarterly(quarter) => earnings_release(&releases, *quarter),
                Mailing::Release(slug) => releases.iter().find(|r| r.slug == *slug),
            },
            mailing: &mailing,
        };
        let composer = Composer::new(&theme, config, letter, &runtime.read_env)
            .map_err(Diagnostic::general)?;
        let chosen = list.on_list(mailing.list(), options.group.as_deref());
        if let (Some(group), true) = (&options.group, chosen.is_empty()) {
            let known: std::collections::BTreeSet<&str> = list
                .recipients
                .iter()
                .flat_map(|r| r.groups.iter().map(String::as_str))
                .collect();
            fail!(
                "{}: nobody on the `{}` list is in the group `{group}`; the groups there are: {}",
                list_path.display(),
                mailing.list(),
                known.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
        let plan = Plan::make(&mailing, audience, &chosen, &log, options);
        if audience == Audience::Queued && plan.is_empty() {
            // Everyone it was queued for has left the list: nothing left to finish.
            continue;
        }
        let again = match options.what {
            What::NewReleases => "--new".to_string(),
            _ => mailing.option(),
        };
        let mut report = Report::new(
            mailing.clone(),
            again,
            composer.attachment_name().to_string(),
        );
        report.already_sent = plan.already_sent.clone();
        report.uncertain = plan.uncertain.clone();
        report.failed = list_errors.clone();
        if prepared.is_empty() {
            report.warnings = std::mem::take(&mut warnings);
        }
        prepared.push((mailing, composer, plan, report));
    }

    let many = options.what == What::NewReleases;
    let mut reports = Vec::new();
    for (mailing, composer, plan, mut report) in prepared {
        match &options.mode {
            Mode::DryRun { out } => {
                let folder = match out {
                    Some(out) if many => fresh_folder(&out.join(mailing.folder_name()))?,
                    Some(out) => fresh_folder(out)?,
                    None => new_preview_folder(&root.join("mail-preview"), &mailing)?,
                };
                write_previews(&plan, &composer, &folder, runtime.now, &mut report)?;
                report.preview = Some(folder);
            }
            Mode::Send => {
                let mut sending = Sending {
                    composer: &composer,
                    mailing: &mailing,
                    transport: runtime
                        .transport
                        .as_deref_mut()
                        .ok_or_else(|| failure!("no mail transport to send with"))?,
                    retry: runtime.retry,
                    now: runtime.now,
                    sleep: runtime.sleep,
                    log: &mut log,
                };
                if matches!(mailing, Mailing::Release(_)) {
                    sending.queue(&plan.to_send, &mut report);
                }
                if report.stopped.is_none() {
                    sending.send_all(&plan.to_send, runtime.progress, &mut report);
                }
            }
        }
        let stopped = report.stopped.is_some();
        reports.push(report);
        if stopped {
            break;
        }
    }
    Ok(reports)
}

/// The mailings a run sends, oldest first, each with whom it goes to. Fails when the one asked
/// for cannot be found.
fn choose(
    public: &Path,
    releases: &[Release],
    unreadable: &[crate::diagnostics::Diagnostic],
    what: &What,
    log: &SendLog,
) -> Result<Vec<(Mailing, Audience)>, Diagnostic> {
    Ok(match what {
        What::Quarter(Some(quarter)) => vec![(Mailing::Quarterly(*quarter), Audience::List)],
        What::Quarter(None) => vec![(Mailing::Quarterly(latest_summary(public)?), Audience::List)],
        What::Release(slug) => {
            if !releases.iter().any(|release| release.slug == *slug) {
                if let Some(err) = unreadable.iter().find(|err| {
                    err.path
                        .file_stem()
                        .is_some_and(|stem| stem == slug.as_str())
                }) {
                    fail!("{err}; correct the release before announcing it");
                }
                let latest: Vec<&str> = releases
                    .iter()
                    .rev()
                    .take(3)
                    .map(|release| release.slug.as_str())
                    .collect();
                fail!(
                    "content/releases: no release `{slug}` (the file stem of \
                     content/releases/<slug>.md); the latest are: {}",
                    latest.join(", ")
                );
            }
            vec![(Mailing::Release(slug.clone()), Audience::List)]
        }
        What::NewReleases => new_releases(releases, log),
    })
}

/// `--new`: announcements an earlier run left unfinished (to those it queued), then each
/// release never announced that is not older than the newest one announced (to the list). With
/// no announcement in the log at all, only the latest release.
fn new_releases(releases: &[Release], log: &SendLog) -> Vec<(Mailing, Audience)> {
    let mut sorted: Vec<&Release> = releases.iter().collect();
    sorted.sort_by(|a, b| (a.front.date, &a.slug).cmp(&(b.front.date, &b.slug)));
    let mailing = |release: &Release| Mailing::Release(release.slug.clone());
    let announced = |release: &Release| log.mentions(&mailing(release));
    let mut chosen: Vec<(Mailing, Audience)> = sorted
        .iter()
        .filter(|release| announced(release) && !log.unfinished(&mailing(release)).is_empty())
        .map(|release| (mailing(release), Audience::Queued))
        .collect();
    let newest_announced = sorted
        .iter()
        .filter(|release| announced(release))
        .map(|release| release.front.date)
        .max();
    match newest_announced {
        Some(newest) => chosen.extend(
            sorted
                .iter()
                .filter(|release| !announced(release) && release.front.date >= newest)
                .map(|release| (mailing(release), Audience::List)),
        ),
        None => chosen.extend(
            sorted
                .last()
                .map(|release| (mailing(release), Audience::List)),
        ),
    }
    chosen
}

/// The mailing's PDF from the build output: the quarter's summary, or the release's printable
/// PDF. Only `hemasite build` makes them; the mail never renders one of its own, so what is
/// sent is what the site publishes.
fn read_pdf(public: &Path, mailing: &Mailing) -> Result<Vec<u8>, Diagnostic> {
    let (path, what) = match mailing {
        Mailing::Quarterly(quarter) => (
            public.join(urls::summary_pdf(*quarter)),
            format!("the {quarter} summary"),
        ),
        Mailing::Release(slug) => (
            public.join(urls::release_pdf(slug)),
            format!("the printable PDF of release {slug}"),
        ),
    };
    std::fs::read(&path).map_err(|err| {
        failure!(
            "{}: cannot read {what} ({err}); run `hemasite build` first: it writes the PDFs \
             the mail attaches into public/",
            path.display()
        )
    })
}

/// Everything decided about one mailing before the first message is composed.
struct Plan {
    /// Recipients to send to, each with the number this send will be (1 for the first).
    to_send: Vec<(Recipient, u32)>,
    already_sent: Vec<String>,
    uncertain: Vec<String>,
}

impl Plan {
    fn make(
        mailing: &Mailing,
        audience: Audience,
        chosen: &[&Recipient],
        log: &SendLog,
        options: &Options,
    ) -> Plan {
        let mut plan = Plan {
            to_send: Vec::new(),
            already_sent: Vec::new(),
            uncertain: Vec::new(),
        };
        for recipient in chosen {
            let key = recipient.key();
            if audience == Audience::Queued && !log.queued(mailing, &key) {
                continue;
            }
            let before = log.deliveries(mailing, &key);
            if options.resend {
                plan.to_send.push(((*recipient).clone(), before + 1));
            } else if before > 0 {
                if audience == Audience::List {
                    plan.already_sent.push(recipient.address.to_string());
                }
            } else if log.in_flight(mailing, &key).is_some() && !options.resend_uncertain {
                plan.uncertain.push(recipient.address.to_string());
            } else {
                // A message in flight is sent again with the same Message-ID (the same send
                // number), so a mail system that drops duplicate IDs shows it once.
                plan.to_send.push(((*recipient).clone(), 1));
            }
        }
        plan
    }

    fn is_empty(&self) -> bool {
        self.to_send.is_empty() && self.uncertain.is_empty()
    }
}

/// The latest quarter whose summary PDF is in `public/`.
fn latest_summary(public: &Path) -> Result<Quarter, Diagnostic> {
    let reports = public.join(urls::REPORTS);
    let entries = std::fs::read_dir(&reports).with_context(|| {
        format!(
            "{}: no quarterly summaries to send; run `hemasite build` first",
            reports.display()
        )
    })?;
    entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| urls::summary_quarter(&entry.file_name().to_string_lossy()))
        .max()
        .ok_or_else(|| {
            failure!(
                "{}: no quarterly summary PDF there; run `hemasite build` first, or name the \
                 quarter with --period",
                reports.display()
            )
        })
}

/// The earnings release reporting `quarter`, the latest if several do.
fn earnings_release(releases: &[Release], quarter: Quarter) -> Option<&Release> {
    let period = quarter.to_string();
    releases
        .iter()
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
        .with_context(|| format!("{}: cannot create the preview folder", folder.display()))?;
    let mut entries = std::fs::read_dir(folder)
        .with_context(|| format!("{}: cannot read the preview folder", folder.display()))?;
    if entries.next().is_some() {
        fail!(
            "{}: the preview folder is not empty; a preview writes only into a new or empty \
             folder and never deletes anything: name another with --out, or empty this one",
            folder.display()
        );
    }
    Ok(folder.to_path_buf())
}

/// The default preview folder: `mail-preview/2003-Q3/` (`release-<slug>/` for an alert), or
/// `2003-Q3-2/`, `-3`, … when earlier previews are there, so each run has a folder of its own
/// and none is overwritten.
fn new_preview_folder(parent: &Path, mailing: &Mailing) -> Result<PathBuf, Diagnostic> {
    let base = mailing.folder_name();
    std::fs::create_dir_all(parent)
        .with_context(|| format!("{}: cannot create the preview folder", parent.display()))?;
    for run in 1..10_000 {
        let name = match run {
            1 => base.clone(),
            n => format!("{base}-{n}"),
        };
        let folder = parent.join(name);
        // `create_dir` fails if the folder exists: two runs at once never share one.
        match std::fs::create_dir(&folder) {
            Ok(()) => return Ok(folder),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => {
                return Err(err).with_context(|| {
                    format!("{}: cannot create the preview folder", folder.display())
                });
            }
        }
    }
    fail!(
        "{}: too many previews of {mailing} there; remove the old ones",
        parent.display()
    )
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
                    .with_context(|| format!("{}: cannot write the preview", path.display()))?;
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
    mailing: &'a Mailing,
    transport: &'a mut dyn Transport,
    retry: RetryPolicy,
    now: fn() -> SystemTime,
    sleep: fn(Duration),
    log: &'a mut SendLog,
}

impl Sending<'_> {
    /// Records everyone a release alert is for as queued, with one write and one sync, before
    /// the first message goes out; a failure stops the run before anything is sent.
    fn queue(&mut self, to_send: &[(Recipient, u32)], report: &mut Report) {
        let keys: Vec<(String, String)> = to_send
            .iter()
            .map(|(recipient, send)| {
                let key = recipient.key();
                let id = self.composer.message_id(&key, *send);
                (key, id)
            })
            .collect();
        let pairs: Vec<(&str, &str)> = keys.iter().map(|(k, i)| (k.as_str(), i.as_str())).collect();
        let at: DateTime<Utc> = (self.now)().into();
        if let Err(err) = self.log.record_all(self.mailing, &pairs, at, State::Queued) {
            report.stopped = Some(format!(
                "{}: cannot write to the send log ({err}); nothing was sent",
                self.log.path().display()
            ));
            report
                .not_attempted
                .extend(to_send.iter().map(|(r, _)| r.address.to_string()));
        }
    }

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
            .record(self.mailing, &recipient.key(), id, at, state)
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
