//! The distribution list: a CSV file the IR team keeps with the content.
//!
//! ```csv
//! email,name,lists,groups
//! jane.doe@example.com,Jane Doe,releases;quarterly,shareholders analysts
//! ```
//!
//! `lists` says which mail the recipient gets: `releases` (an alert for every release),
//! `quarterly` (the quarterly summary), or both, separated by `;` (`releases;quarterly`). An
//! empty cell or no `lists` column at all means `quarterly`, the only mail there was before
//! release alerts, so nobody gets a new kind of mail they never asked for. Any other name is an
//! error on its line (not sent, the others are). `groups` holds the names `--group` selects,
//! separated by `;`, spaces or `|` (they were in `lists` before release alerts).
//! Lines starting with `#` are comments. A line whose address is not valid is reported with its
//! line number and skipped, so that one typo does not stop the mailing; a name or address holding
//! control characters is an error on its line (not sent, the others are); an address that appears
//! twice (compared without regard to case) is sent to once, and is on every list either line
//! names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lettre::Address;

use super::mailing::MailList;
use crate::diagnostics::Diagnostic;

/// Someone on the list, with a valid address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub address: Address,
    /// The name to greet and to put beside the address; may be empty.
    pub name: String,
    /// The mail the recipient asked for.
    pub lists: BTreeSet<MailList>,
    /// The groups `--group NAME` selects from.
    pub groups: BTreeSet<String>,
    /// The line of the list the recipient was first named on.
    pub line: usize,
}

impl Recipient {
    /// The address in the form used to compare and to record deliveries: lower case.
    pub fn key(&self) -> String {
        address_key(&self.address)
    }
}

/// The comparison form of an address. Strictly, only the domain is case-insensitive, but every
/// mail system in use treats the whole address so, and sending twice is the worse mistake.
pub fn address_key(address: &Address) -> String {
    AsRef::<str>::as_ref(address).to_lowercase()
}

/// What reading the list found: the recipients in file order, and the lines it skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientList {
    pub recipients: Vec<Recipient>,
    /// Lines that were skipped or merged, as `file:line: what and what to do` sentences.
    pub warnings: Vec<Diagnostic>,
    /// Lines naming someone who cannot be mailed as written (control characters in the name or
    /// address): not sent, and the run fails so that someone corrects them.
    pub errors: Vec<Diagnostic>,
}

/// Refuses a name or address that would break a message header or a log line: control
/// characters (CR and LF above all, which would start a new header) and Unicode line and
/// paragraph separators. Checked when the list is read and again when a message is composed.
pub fn check_field(what: &str, value: &str) -> Result<(), String> {
    match value
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        Some(c) => Err(format!(
            "the {what} {value:?} holds the control character U+{:04X}, which cannot go in a \
             mail header",
            c as u32
        )),
        None => Ok(()),
    }
}

impl RecipientList {
    /// Reads the list file. A missing or unreadable file, or one without an `email` column, is
    /// an error; a bad line is a warning.
    pub fn load(path: &Path) -> Result<RecipientList, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            Diagnostic::error(
                path,
                0,
                format!(
                    "cannot read the recipient list: {err}; create it with a header line \
                     `email,name,lists` or set `mail.subscribers` in site.yaml"
                ),
            )
        })?;
        RecipientList::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<RecipientList, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let columns = Columns::find(path, &mut reader)?;

        let mut list = RecipientList::default();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for record in reader.records() {
            let record = match record {
                Ok(record) => record,
                Err(err) => {
                    let line = err.position().map_or(0, |pos| pos.line() as usize);
                    list.warnings.push(Diagnostic::error(
                        path,
                        line,
                        format!("skipped: not a CSV line this program can read ({err})"),
                    ));
                    continue;
                }
            };
            let line = record
                .position()
                .map_or(0, |pos| record_line(text, pos.byte() as usize));
            if record.iter().all(str::is_empty) {
                continue;
            }
            let email = record.get(columns.email).unwrap_or_default();
            let name = columns
                .name
                .and_then(|at| record.get(at))
                .unwrap_or_default()
                .to_string();
            if let Err(problem) = check_field("address", email).and(check_field("name", &name)) {
                list.errors.push(Diagnostic::error(
                    path,
                    line,
                    format!("not sent: {problem}; correct the line to send to this recipient"),
                ));
                continue;
            }
            let address = match email.parse::<Address>() {
                Ok(address) => address,
                Err(_) => {
                    list.warnings.push(Diagnostic::error(
                        path,
                        line,
                        format!(
                            "skipped `{email}`: not a valid email address; correct it to send \
                             to this recipient"
                        ),
                    ));
                    continue;
                }
            };
            let cell = |column: Option<usize>| column.and_then(|at| record.get(at)).unwrap_or("");
            let lists = match parse_lists(cell(columns.lists)) {
                Ok(lists) => lists,
                Err(problem) => {
                    list.errors.push(Diagnostic::error(path, line, problem));
                    continue;
                }
            };
            let groups = names(cell(columns.groups));
            let key = address_key(&address);
            if let Some(&first) = seen.get(&key) {
                let earlier = &mut list.recipients[first];
                earlier.lists.extend(lists);
                earlier.groups.extend(groups);
                list.warnings.push(Diagnostic::error(
                    path,
                    line,
                    format!(
                        "`{email}` is already on line {}; it is sent to once",
                        earlier.line
                    ),
                ));
                continue;
            }
            seen.insert(key, list.recipients.len());
            list.recipients.push(Recipient {
                address,
                name,
                lists,
                groups,
                line,
            });
        }
        Ok(list)
    }

    /// The recipients who get `list`'s mail, only those in `group` when one is named.
    pub fn on_list(&self, list: MailList, group: Option<&str>) -> Vec<&Recipient> {
        self.recipients
            .iter()
            .filter(|recipient| recipient.lists.contains(&list))
            .filter(|recipient| group.is_none_or(|name| recipient.groups.contains(name)))
            .collect()
    }
}

/// Where the columns are, from the header line; only `email` is required.
struct Columns {
    email: usize,
    name: Option<usize>,
    lists: Option<usize>,
    groups: Option<usize>,
}

impl Columns {
    fn find(path: &Path, reader: &mut csv::Reader<&[u8]>) -> Result<Columns, Diagnostic> {
        let headers = reader.headers().map_err(|err| {
            Diagnostic::error(path, 1, format!("cannot read the header line: {err}"))
        })?;
        let position = |wanted: &str| {
            headers
                .iter()
                .position(|header| header.eq_ignore_ascii_case(wanted))
        };
        let email = position("email").ok_or_else(|| {
            Diagnostic::error(
                path,
                1,
                "the first line must name the columns, with at least `email` \
                 (e.g. `email,name,lists`)",
            )
        })?;
        Ok(Columns {
            email,
            name: position("name"),
            lists: position("lists"),
            groups: position("groups"),
        })
    }
}

/// The line a record starts on. The CSV reader reports where it started reading, which is before
/// any comment or blank lines it skipped; the record is on the first line after those.
fn record_line(text: &str, byte: usize) -> usize {
    let before = text.get(..byte).unwrap_or(text);
    let mut line = 1 + before.matches('\n').count();
    let rest = text.get(byte..).unwrap_or_default();
    for skipped in rest.split('\n') {
        let skipped = skipped.trim();
        if skipped.is_empty() || skipped.starts_with('#') {
            line += 1;
        } else {
            break;
        }
    }
    line
}

/// Names separated by `;`, spaces or `|` (one rule for both columns).
fn names(text: &str) -> BTreeSet<String> {
    text.split([' ', ';', '|', '\t'])
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

/// The `lists` cell: `releases`, `quarterly` or both; empty means `quarterly`, as before there
/// were release alerts. An unknown name is refused, since guessing would send mail someone did
/// not ask for (or withhold mail they did).
fn parse_lists(text: &str) -> Result<BTreeSet<MailList>, String> {
    let names = names(text);
    if names.is_empty() {
        return Ok(BTreeSet::from([MailList::Quarterly]));
    }
    names
        .iter()
        .map(|name| {
            MailList::parse(name).ok_or_else(|| {
                format!(
                    "not sent: the `lists` column names `{name}`, which is not a mail this \
                     program sends: write `releases`, `quarterly` or `releases;quarterly`; \
                     names of groups for --group go in a `groups` column"
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_split_on_spaces_and_semicolons() {
        let groups = names("board;analysts  shareholders|press");
        let names: Vec<&str> = groups.iter().map(String::as_str).collect();
        assert_eq!(names, ["analysts", "board", "press", "shareholders"]);
    }

    #[test]
    fn lists_are_the_two_mails_and_default_to_quarterly() {
        use MailList::*;
        assert_eq!(parse_lists(""), Ok(BTreeSet::from([Quarterly])));
        assert_eq!(parse_lists("releases"), Ok(BTreeSet::from([Releases])));
        assert_eq!(
            parse_lists("releases;quarterly"),
            Ok(BTreeSet::from([Releases, Quarterly]))
        );
        let err = parse_lists("releases;board").unwrap_err();
        assert!(err.contains("`board`"), "{err}");
    }
}
