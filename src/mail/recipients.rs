//! The distribution list: a CSV file the IR team keeps with the content.
//!
//! ```csv
//! email,name,lists
//! jane.doe@example.com,Jane Doe,shareholders analysts
//! ```
//!
//! `lists` holds the names of the lists a recipient is on, separated by spaces, `;` or `|`.
//! Lines starting with `#` are comments. A line whose address is not valid is reported with its
//! line number and skipped, so that one typo does not stop the mailing; a name or address holding
//! control characters is an error on its line (not sent, the others are); an address that appears
//! twice (compared without regard to case) is sent to once, and is on every list either line
//! names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lettre::Address;

use crate::diagnostics::Diagnostic;

/// Someone on the list, with a valid address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub address: Address,
    /// The name to greet and to put beside the address; may be empty.
    pub name: String,
    pub lists: BTreeSet<String>,
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
            let lists = columns
                .lists
                .and_then(|at| record.get(at))
                .map(parse_lists)
                .unwrap_or_default();
            let key = address_key(&address);
            if let Some(&first) = seen.get(&key) {
                let earlier = &mut list.recipients[first];
                earlier.lists.extend(lists);
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
                line,
            });
        }
        Ok(list)
    }

    /// The recipients on the named list, or everyone when no list is named.
    pub fn on_list(&self, list: Option<&str>) -> Vec<&Recipient> {
        self.recipients
            .iter()
            .filter(|recipient| list.is_none_or(|name| recipient.lists.contains(name)))
            .collect()
    }
}

/// Where the columns are, from the header line; only `email` is required.
struct Columns {
    email: usize,
    name: Option<usize>,
    lists: Option<usize>,
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

fn parse_lists(text: &str) -> BTreeSet<String> {
    text.split([' ', ';', '|', '\t'])
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_spaces_and_semicolons() {
        let lists = parse_lists("board;analysts  shareholders|press");
        let names: Vec<&str> = lists.iter().map(String::as_str).collect();
        assert_eq!(names, ["analysts", "board", "press", "shareholders"]);
    }
}
