//! What a run mails: a quarter's summary or one release's alert, and the lists subscribers
//! choose between.
//!
//! A [`Mailing`] is what the send log keys its records by, so a release alert and a quarterly
//! summary are different messages even when they go out the same day: `2003-Q3` is the third
//! quarter's summary, `release:2003-11-14-hemacare-reports-third-quarter-financial-results` the
//! alert for that release.

use std::fmt;

use crate::model::{Quarter, is_safe_slug};

/// The mail a subscriber can ask for, in the `lists` column of `subscribers.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MailList {
    /// An alert for every new release (`hemasite mail --release SLUG`, `--new`).
    Releases,
    /// The quarterly summary (`hemasite mail --period 2003-Q3`).
    Quarterly,
}

impl MailList {
    pub const ALL: [MailList; 2] = [MailList::Releases, MailList::Quarterly];

    /// The name written in `subscribers.csv`.
    pub fn name(self) -> &'static str {
        match self {
            MailList::Releases => "releases",
            MailList::Quarterly => "quarterly",
        }
    }

    /// `releases` or `quarterly`, in any letter case.
    pub fn parse(text: &str) -> Option<MailList> {
        MailList::ALL
            .into_iter()
            .find(|list| list.name().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for MailList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One mailing: everyone on its list gets it once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mailing {
    /// The quarter's summary PDF.
    Quarterly(Quarter),
    /// The alert for one release, by its slug (`<date>-<words>`, the file stem).
    Release(String),
}

impl Mailing {
    /// The list whose subscribers get this mailing.
    pub fn list(&self) -> MailList {
        match self {
            Mailing::Quarterly(_) => MailList::Quarterly,
            Mailing::Release(_) => MailList::Releases,
        }
    }

    /// Reads a send log's first field: `2003-Q3` or `release:<slug>`.
    pub fn parse(text: &str) -> Option<Mailing> {
        match text.strip_prefix("release:") {
            Some(slug) => is_safe_slug(slug).then(|| Mailing::Release(slug.to_string())),
            None => Quarter::parse(text).map(Mailing::Quarterly),
        }
    }

    /// The part of a `Message-ID` that names the mailing: `2003-q3`, `release.<slug>` (slugs
    /// hold only `a-z`, `0-9` and `-`, all allowed there).
    pub fn id_part(&self) -> String {
        match self {
            Mailing::Quarterly(quarter) => format!("{}-q{}", quarter.year, quarter.number),
            Mailing::Release(slug) => format!("release.{slug}"),
        }
    }

    /// The option that sends this mailing again: `--period 2003-Q3`, `--release <slug>`.
    pub fn option(&self) -> String {
        match self {
            Mailing::Quarterly(quarter) => format!("--period {quarter}"),
            Mailing::Release(slug) => format!("--release {slug}"),
        }
    }

    /// The default preview folder's name: `2003-Q3`, `release-<slug>`.
    pub fn folder_name(&self) -> String {
        match self {
            Mailing::Quarterly(quarter) => quarter.to_string(),
            Mailing::Release(slug) => format!("release-{slug}"),
        }
    }
}

/// As the send log writes it: `2003-Q3`, `release:<slug>`.
impl fmt::Display for Mailing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailing::Quarterly(quarter) => write!(f, "{quarter}"),
            Mailing::Release(slug) => write!(f, "release:{slug}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_keys_round_trip_and_tell_the_kinds_apart() {
        for text in ["2003-Q3", "release:2003-11-14-results"] {
            assert_eq!(Mailing::parse(text).unwrap().to_string(), text);
        }
        assert_ne!(
            Mailing::parse("2003-Q3").unwrap().list(),
            Mailing::parse("release:2003-q3").unwrap().list()
        );
        assert_eq!(Mailing::parse("release:../x"), None);
        assert_eq!(Mailing::parse("release:"), None);
        assert_eq!(MailList::parse("Releases"), Some(MailList::Releases));
        assert_eq!(MailList::parse("board"), None);
    }
}
