//! The send log: which recipient has been sent which mailing (a quarter's summary, a release's
//! alert), and which messages were in flight when a run stopped.
//!
//! SMTP cannot promise exactly-once delivery: a connection that drops after the message's final
//! `.` leaves the sender not knowing whether the server took it. So each delivery is written
//! twice, and synced to disk (`fsync`) each time: `started` before the SMTP transaction begins,
//! `done` (or `failed`, when the server said no) after it ends. A later run sends only to those
//! never started; a recipient started but neither done nor failed was *in flight* when the run
//! died, and is reported for a person to decide, never sent again on a guess (`--resend-uncertain`
//! sends them). A release alert first records every recipient it is for as `queued`, all at
//! once, so that `hemasite mail --new` after a crash finishes that mailing for exactly those,
//! never for someone who joined the list later. Only one run at a time may use the log: [`SendLog::lock`] takes an exclusive lock
//! on `<log>.lock`, which holds the process id of the run that has it.
//!
//! The file is plain text, tab-separated, so it can be read, searched and committed like the rest
//! of the content (`<TAB>` stands for a tab). Lines without a state, written by hemasite before
//! it logged the start of a delivery, are deliveries that were done:
//!
//! ```text
//! # hemasite mail send log: mailing, recipient, Message-ID, at (UTC), queued|started|done|failed
//! release:2003-11-14-results<TAB>jane.doe@example.com<TAB><hemasite.release.2003-11-14-results.1.1a2b3c4d5e6f7a8b@ir.example.com><TAB>2003-11-14T14:00:00Z<TAB>queued
//! 2003-Q3<TAB>jane.doe@example.com<TAB><hemasite.2003-q3.1.1a2b3c4d5e6f7a8b@ir.example.com><TAB>2003-11-17T14:02:10Z<TAB>started
//! 2003-Q3<TAB>jane.doe@example.com<TAB><hemasite.2003-q3.1.1a2b3c4d5e6f7a8b@ir.example.com><TAB>2003-11-17T14:02:11Z<TAB>done
//! ```

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};

use super::mailing::Mailing;
use crate::diagnostics::Diagnostic;

const HEADER: &str = "# hemasite mail send log: mailing, recipient, Message-ID, at (UTC), \
                      queued|started|done|failed\n";

/// Where a delivery stands, as the last line about it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Planned: a release alert is for this recipient (written for all of them before the first
    /// is sent).
    Queued,
    /// About to be handed to the server: if nothing follows, the run died while it was in flight.
    Started,
    /// The server accepted it.
    Done,
    /// The server refused it, or could not be reached: it was not delivered.
    Failed,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Started => "started",
            State::Done => "done",
            State::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<State> {
        match text {
            "queued" => Some(State::Queued),
            "started" => Some(State::Started),
            "done" => Some(State::Done),
            "failed" => Some(State::Failed),
            _ => None,
        }
    }
}

/// What the log says about one (mailing, recipient).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct History {
    /// A release alert's run planned to send to this recipient.
    queued: bool,
    /// Deliveries the server accepted.
    done: u32,
    /// The Message-ID of a delivery started and never concluded.
    in_flight: Option<String>,
}

impl History {
    /// The history after one more line about it, read from the log or just written to it.
    fn apply(&mut self, state: State, message_id: &str) {
        match state {
            State::Queued => self.queued = true,
            State::Started => self.in_flight = Some(message_id.to_string()),
            State::Done => {
                self.done += 1;
                self.in_flight = None;
            }
            State::Failed => self.in_flight = None,
        }
    }
}

/// The exclusive right to use a send log, held until dropped (or the process ends, however it
/// ends: the operating system releases the lock).
#[derive(Debug)]
pub struct LogLock {
    file: File,
}

impl Drop for LogLock {
    /// Unlocks before the file closes: a child process forked by another thread in the moment
    /// before it runs its program shares the open file, and would hold the lock a little
    /// longer if closing were all that released it.
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// The log as read at the start of a run, plus what this run appends to it.
#[derive(Debug)]
pub struct SendLog {
    path: PathBuf,
    history: BTreeMap<(Mailing, String), History>,
    /// Opened on the first record, so a run that sends nothing leaves no file behind.
    file: Option<File>,
    /// The existing file lacks a final newline (a line was cut short): start on a new line.
    needs_newline: bool,
}

impl SendLog {
    /// Takes the exclusive lock on the log at `path` for this process, or says which process has
    /// it. Taken before the log is read, so what the run plans from is what no one else changes.
    pub fn lock(path: &Path) -> Result<LogLock, Diagnostic> {
        let lock_path = lock_path(path);
        let fail = |what: String| Diagnostic::error(&lock_path, 0, what);
        if let Some(parent) = lock_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|err| fail(format!("cannot create the send log's folder: {err}")))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|err| fail(format!("cannot open the send log's lock: {err}")))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // A holder that has not written its id yet reads as empty: say "another process".
                let _ = file.read_to_string(&mut holder);
                let holder = match holder.trim().parse::<u32>() {
                    Ok(pid) => format!("process {pid}"),
                    Err(_) => "another process".to_string(),
                };
                return Err(fail(format!(
                    "another `hemasite mail --send` ({holder}) is using this send log; wait for \
                     it to finish (or stop it) and run again, so that nobody gets a message \
                     twice"
                )));
            }
            Err(TryLockError::Error(err)) => {
                return Err(fail(format!("cannot lock the send log: {err}")));
            }
        }
        let write_pid = |file: &mut File| -> io::Result<()> {
            file.set_len(0)?;
            file.rewind()?;
            writeln!(file, "{}", std::process::id())?;
            file.flush()
        };
        write_pid(&mut file)
            .map_err(|err| fail(format!("cannot write to the send log's lock: {err}")))?;
        Ok(LogLock { file })
    }

    /// Reads the log at `path`; a missing file is an empty log.
    pub fn open(path: &Path) -> Result<SendLog, Diagnostic> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => String::new(),
            Err(err) => {
                return Err(Diagnostic::error(
                    path,
                    0,
                    format!("cannot read the send log: {err}"),
                ));
            }
        };
        let mut history: BTreeMap<(Mailing, String), History> = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = parse_line(line).ok_or_else(|| {
                Diagnostic::error(
                    path,
                    index + 1,
                    "expected `mailing<TAB>address<TAB>Message-ID<TAB>time<TAB>state`; a line cut \
                     short by an interrupted run means that message may or may not have been \
                     delivered: complete the line to keep it as sent, or delete it to send again",
                )
            })?;
            history
                .entry((entry.mailing, entry.address))
                .or_default()
                .apply(entry.state, &entry.message_id);
        }
        Ok(SendLog {
            path: path.to_path_buf(),
            history,
            file: None,
            needs_newline: !text.is_empty() && !text.ends_with('\n'),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many times the log says `address_key` (lower case) was sent `mailing`.
    pub fn deliveries(&self, mailing: &Mailing, address_key: &str) -> u32 {
        self.past(mailing, address_key).map_or(0, |past| past.done)
    }

    /// The Message-ID of a delivery to `address_key` that was started and never concluded: the
    /// run died while the message was with the server, and it may or may not have arrived.
    pub fn in_flight(&self, mailing: &Mailing, address_key: &str) -> Option<&str> {
        self.past(mailing, address_key)?.in_flight.as_deref()
    }

    /// Whether a run of `mailing` planned to send to `address_key`.
    pub fn queued(&self, mailing: &Mailing, address_key: &str) -> bool {
        self.past(mailing, address_key)
            .is_some_and(|past| past.queued)
    }

    /// Whether any run ever planned or sent `mailing`.
    pub fn mentions(&self, mailing: &Mailing) -> bool {
        self.history.keys().any(|(logged, _)| logged == mailing)
    }

    /// The recipients a run of `mailing` queued and that have not had it yet.
    pub fn unfinished(&self, mailing: &Mailing) -> Vec<&str> {
        self.history
            .iter()
            .filter(|((logged, _), past)| logged == mailing && past.queued && past.done == 0)
            .map(|((_, address), _)| address.as_str())
            .collect()
    }

    /// Every mailing the log mentions.
    pub fn mailings(&self) -> std::collections::BTreeSet<&Mailing> {
        self.history.keys().map(|(mailing, _)| mailing).collect()
    }

    fn past(&self, mailing: &Mailing, address_key: &str) -> Option<&History> {
        self.history
            .get(&(mailing.clone(), address_key.to_string()))
    }

    /// Records where one delivery stands and makes sure it is on disk before returning.
    pub fn record(
        &mut self,
        mailing: &Mailing,
        address_key: &str,
        message_id: &str,
        at: DateTime<Utc>,
        state: State,
    ) -> io::Result<()> {
        self.record_all(mailing, &[(address_key, message_id)], at, state)
    }

    /// Records the same state for several deliveries with one write and one sync: a release
    /// alert queues its whole list this way before the first message goes out.
    pub fn record_all(
        &mut self,
        mailing: &Mailing,
        deliveries: &[(&str, &str)],
        at: DateTime<Utc>,
        state: State,
    ) -> io::Result<()> {
        let at = at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let lines: String = deliveries
            .iter()
            .map(|(address_key, message_id)| {
                format!(
                    "{mailing}\t{address_key}\t{message_id}\t{at}\t{}\n",
                    state.name()
                )
            })
            .collect();
        if lines.is_empty() {
            return Ok(());
        }
        let file = self.file()?;
        file.write_all(lines.as_bytes())?;
        file.flush()?;
        file.sync_data()?;
        for (address_key, message_id) in deliveries {
            self.history
                .entry((mailing.clone(), address_key.to_string()))
                .or_default()
                .apply(state, message_id);
        }
        Ok(())
    }

    fn file(&mut self) -> io::Result<&mut File> {
        if self.file.is_none() {
            let file = self.open_for_append()?;
            self.file = Some(file);
        }
        Ok(self.file.as_mut().expect("opened just above"))
    }

    fn open_for_append(&mut self) -> io::Result<File> {
        let parent = self.path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(parent) = parent {
            std::fs::create_dir_all(parent)?;
        }
        let is_new = !self.path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        if is_new {
            file.write_all(HEADER.as_bytes())?;
            file.sync_all()?;
            // The new file's name must survive a crash too.
            if let Some(parent) = parent {
                File::open(parent)?.sync_all()?;
            }
        } else if self.needs_newline {
            file.write_all(b"\n")?;
            self.needs_newline = false;
        }
        Ok(file)
    }
}

/// `content/mail/sent.log` → `content/mail/sent.log.lock`.
fn lock_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    log.with_file_name(name)
}

/// One line of the log, read.
struct Entry {
    mailing: Mailing,
    address: String,
    message_id: String,
    state: State,
}

/// `2003-Q3` or `release:<slug>`, then `<TAB>jane@example.com<TAB><id@host><TAB>2003-11-17T14:02:11Z<TAB>done`; without the
/// state (logs written before states were), the line is a delivery done.
fn parse_line(line: &str) -> Option<Entry> {
    let fields: Vec<&str> = line.split('\t').collect();
    let (mailing, address, message_id, at, state) = match fields[..] {
        [mailing, address, message_id, at] => (mailing, address, message_id, at, State::Done),
        [mailing, address, message_id, at, state] => {
            (mailing, address, message_id, at, State::parse(state)?)
        }
        _ => return None,
    };
    let complete = address.contains('@')
        && message_id.starts_with('<')
        && message_id.ends_with('>')
        && DateTime::parse_from_rfc3339(at).is_ok();
    if !complete {
        return None;
    }
    Some(Entry {
        mailing: Mailing::parse(mailing)?,
        address: address.to_lowercase(),
        message_id: message_id.to_string(),
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cut_short_is_not_taken_as_sent() {
        assert!(parse_line("2003-Q3\tjane@example.com\t<a@b>\t2003-11-17T14:02:11Z").is_some());
        assert!(
            parse_line("2003-Q3\tjane@example.com\t<a@b>\t2003-11-17T14:02:11Z\tdone").is_some()
        );
        assert!(
            parse_line("2003-Q3\tjane@example.com\t<a@b>\t2003-11-17T14:02:11Z\tdon").is_none()
        );
        assert!(parse_line("2003-Q3\tjane@example.com\t<a@b>\t2003-11-17T14:0").is_none());
        assert!(parse_line("2003-Q3\tjane@example.com\t<a@").is_none());
        assert!(parse_line("2003-Q3\tjane@exa").is_none());
    }

    #[test]
    fn a_start_without_an_end_is_in_flight() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sent.log");
        let q3 = &Mailing::parse("2003-Q3").unwrap();
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let mut log = SendLog::open(&path).unwrap();
        log.record(q3, "a@x.com", "<1@x>", at, State::Started)
            .unwrap();
        log.record(q3, "a@x.com", "<1@x>", at, State::Done).unwrap();
        log.record(q3, "b@x.com", "<2@x>", at, State::Started)
            .unwrap();
        log.record(q3, "c@x.com", "<3@x>", at, State::Started)
            .unwrap();
        log.record(q3, "c@x.com", "<3@x>", at, State::Failed)
            .unwrap();
        let log = SendLog::open(&path).unwrap();
        assert_eq!(log.deliveries(q3, "a@x.com"), 1);
        assert_eq!(log.in_flight(q3, "a@x.com"), None);
        assert_eq!(log.deliveries(q3, "b@x.com"), 0);
        assert_eq!(log.in_flight(q3, "b@x.com"), Some("<2@x>"));
        assert_eq!(log.deliveries(q3, "c@x.com"), 0);
        assert_eq!(log.in_flight(q3, "c@x.com"), None);
    }

    #[test]
    fn a_release_alert_is_another_mailing_than_the_quarter_and_remembers_its_queue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sent.log");
        let q3 = &Mailing::parse("2003-Q3").unwrap();
        let alert = &Mailing::Release("2003-11-14-results".into());
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let mut log = SendLog::open(&path).unwrap();
        log.record(q3, "a@x.com", "<1@x>", at, State::Done).unwrap();
        log.record_all(
            alert,
            &[("a@x.com", "<2@x>"), ("b@x.com", "<3@x>")],
            at,
            State::Queued,
        )
        .unwrap();
        log.record(alert, "a@x.com", "<2@x>", at, State::Done)
            .unwrap();
        let log = SendLog::open(&path).unwrap();
        assert_eq!(log.deliveries(q3, "a@x.com"), 1);
        assert_eq!(log.deliveries(alert, "a@x.com"), 1);
        assert!(log.queued(alert, "b@x.com") && !log.queued(q3, "a@x.com"));
        assert_eq!(log.unfinished(alert), ["b@x.com"]);
        assert!(log.mentions(alert));
        assert!(!log.mentions(&Mailing::Release("other".into())));
    }

    #[test]
    fn a_second_lock_names_the_process_that_holds_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail/sent.log");
        let first = SendLog::lock(&path).unwrap();
        let err = SendLog::lock(&path).unwrap_err().to_string();
        assert!(
            err.contains(&format!("(process {})", std::process::id())),
            "{err}"
        );
        assert!(err.contains("sent.log.lock"), "{err}");
        drop(first);
        SendLog::lock(&path).expect("free again once the first is dropped");
    }

    #[test]
    fn a_dropped_lock_is_free_though_another_process_still_shares_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail/sent.log");
        let first = SendLog::lock(&path).unwrap();
        // What a child spawned by another thread holds between its fork and its exec: the same
        // open file, under another descriptor.
        let shared = first.file.try_clone().unwrap();
        drop(first);
        SendLog::lock(&path).expect("free once dropped, whoever still shares the file");
        drop(shared);
    }
}
