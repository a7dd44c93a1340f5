//! The send log: which recipient has been sent which quarter's summary.
//!
//! One line per message the server accepted, appended and flushed to disk (`fsync`) right after
//! the server accepts it, before the next message goes out. So a run that is interrupted at any
//! point, or fails half way, leaves a log that a second run can trust: it sends only what the log
//! does not hold. The file is plain text, tab-separated, so it can be read, searched and
//! committed like the rest of the content (`<TAB>` stands for a tab):
//!
//! ```text
//! # hemasite mail send log: period, recipient, Message-ID, delivered at (UTC)
//! 2003-Q3<TAB>jane.doe@example.com<TAB><hemasite.2003-q3.1.1a2b3c4d5e6f7a8b@ir.example.com><TAB>2003-11-17T14:02:11Z
//! ```

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::{FileError, Quarter};

const HEADER: &str =
    "# hemasite mail send log: period, recipient, Message-ID, delivered at (UTC)\n";

/// The log as read at the start of a run, plus what this run appends to it.
#[derive(Debug)]
pub struct SendLog {
    path: PathBuf,
    /// How many times each (period, lower-case address) was delivered.
    deliveries: BTreeMap<(Quarter, String), u32>,
    /// Opened on the first delivery, so a run that sends nothing leaves no file behind.
    file: Option<File>,
    /// The existing file lacks a final newline (a line was cut short): start on a new line.
    needs_newline: bool,
}

impl SendLog {
    /// Reads the log at `path`; a missing file is an empty log.
    pub fn open(path: &Path) -> Result<SendLog, FileError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => String::new(),
            Err(err) => {
                return Err(FileError::new(
                    path,
                    0,
                    format!("cannot read the send log: {err}"),
                ));
            }
        };
        let mut deliveries = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (period, address) = parse_line(line).ok_or_else(|| {
                FileError::new(
                    path,
                    index + 1,
                    "expected `period<TAB>address<TAB>Message-ID<TAB>time`; a line cut short by \
                     an interrupted run means that message may or may not have been delivered: \
                     complete the line to keep it as sent, or delete it to send again",
                )
            })?;
            *deliveries.entry((period, address)).or_insert(0) += 1;
        }
        Ok(SendLog {
            path: path.to_path_buf(),
            deliveries,
            file: None,
            needs_newline: !text.is_empty() && !text.ends_with('\n'),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many times the log says `address_key` (lower case) was sent `period`'s summary.
    pub fn deliveries(&self, period: Quarter, address_key: &str) -> u32 {
        self.deliveries
            .get(&(period, address_key.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// Records one delivery and makes sure it is on disk before returning.
    pub fn record(
        &mut self,
        period: Quarter,
        address_key: &str,
        message_id: &str,
        at: DateTime<Utc>,
    ) -> io::Result<()> {
        let line = format!(
            "{period}\t{address_key}\t{message_id}\t{}\n",
            at.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        let file = self.file()?;
        file.write_all(line.as_bytes())?;
        file.flush()?;
        file.sync_data()?;
        *self
            .deliveries
            .entry((period, address_key.to_string()))
            .or_insert(0) += 1;
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

/// `2003-Q3<TAB>jane@example.com<TAB><id@host><TAB>2003-11-17T14:02:11Z` → (quarter, address).
fn parse_line(line: &str) -> Option<(Quarter, String)> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [period, address, message_id, at] = fields[..] else {
        return None;
    };
    let complete = address.contains('@')
        && message_id.starts_with('<')
        && message_id.ends_with('>')
        && DateTime::parse_from_rfc3339(at).is_ok();
    if !complete {
        return None;
    }
    Some((Quarter::parse(period)?, address.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cut_short_is_not_taken_as_sent() {
        assert!(parse_line("2003-Q3\tjane@example.com\t<a@b>\t2003-11-17T14:02:11Z").is_some());
        assert!(parse_line("2003-Q3\tjane@example.com\t<a@b>\t2003-11-17T14:0").is_none());
        assert!(parse_line("2003-Q3\tjane@example.com\t<a@").is_none());
        assert!(parse_line("2003-Q3\tjane@exa").is_none());
    }
}
