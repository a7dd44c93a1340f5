//! serde_yaml's errors, as sentences about the key at fault.
//!
//! serde_yaml says `people[0].role: invalid type: sequence, expected a string at line 5 column
//! 22`: the right facts, in Rust's words and with lines counted from the start of the YAML, not
//! of the file. A person editing a release or `site.yaml` needs the file's line, the key's full
//! path, and what to write instead (`expected the release date as YYYY-MM-DD …`), so this module
//! takes that message apart and says it again.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::diagnostic::Diagnostic;
use super::excerpt::{excerpt, nth_line};

/// What a YAML document's keys hold, for the messages about it.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// How messages name the whole document: `the front matter`, `site.yaml`.
    pub document: &'static str,
    /// `(key path, what it holds)` for the keys whose Rust type does not say it well. Paths
    /// leave list indices out (`events[].start`); what a key holds reads after "expected" and
    /// after "add `key:` with": `the release date as YYYY-MM-DD, e.g. 2003-11-14`.
    pub expected: &'static [(&'static str, &'static str)],
}

impl Schema {
    /// What `path` (`events[2].start`) holds, if the schema says. A list's items fall back to
    /// what the list says (`values[3]` to `values`).
    fn expected(&self, path: &str) -> Option<&'static str> {
        let general = INDEX.replace_all(path, "[]");
        let list = general.strip_suffix("[]");
        self.expected
            .iter()
            .find(|(key, _)| *key == general || Some(*key) == list)
            .map(|(_, what)| *what)
    }
}

/// A YAML document inside a file: the file's path and whole text, and the line of the file the
/// YAML starts on (1 for `site.yaml`, 2 for front matter after its opening `---`).
#[derive(Debug, Clone, Copy)]
pub struct YamlFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub first_line: usize,
}

impl YamlFile<'_> {
    /// An error about the YAML's `line` (1-based, counted in the YAML) and `column`, with the
    /// file's line shown under the message and the token at the column underlined.
    pub fn error_at(&self, line: usize, column: usize, message: &str) -> Diagnostic {
        let file_line = line + self.first_line - 1;
        match nth_line(self.text, file_line) {
            Some(text) => {
                let width = token(text, column).chars().count();
                let shown = excerpt(file_line, text, column, width);
                Diagnostic::error(self.path, file_line, message).at_column(column, shown)
            }
            None => Diagnostic::error(self.path, file_line, message),
        }
    }
}

/// serde_yaml's error on the YAML in `file`, as a [`Diagnostic`] on the file's line with a
/// sentence naming the key, what it expects, and the offending line.
pub fn yaml_error(err: &serde_yaml::Error, file: &YamlFile, schema: &Schema) -> Diagnostic {
    let (line, column) = err.location().map_or((1, 1), |at| (at.line(), at.column()));
    let found = nth_line(file.text, line + file.first_line - 1).map(|text| token(text, column));
    let raw = file_lines(&err.to_string(), file.first_line);
    let message = explain(&raw, schema, found);
    // A missing key has no line of its own: serde points at the mapping it is missing from,
    // whose first key would look like the culprit under a caret.
    if split_path(&raw).1.starts_with("missing field ") {
        return Diagnostic::error(file.path, line + file.first_line - 1, message);
    }
    file.error_at(line, column, &message)
}

static INDEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\d+\]").expect("valid regex"));
static LOCATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r" at line (\d+) column \d+").expect("valid regex"));

/// The message without its own location (the [`Diagnostic`] carries it), and with any further
/// location (`while parsing a flow mapping at line 3`) counted in the file's lines.
fn file_lines(message: &str, first_line: usize) -> String {
    let mut seen = false;
    LOCATION
        .replace_all(message, |found: &regex::Captures| {
            let line: usize = found[1].parse().unwrap_or(1);
            let text = if seen {
                format!(" at line {}", line + first_line - 1)
            } else {
                String::new()
            };
            seen = true;
            text
        })
        .into_owned()
}

/// Marks a message from one of hemasite's own deserializers, a sentence already, which
/// [`explain`] passes on as it is rather than rewording as "expected …, found …".
const OWN: char = '\u{1f}';

/// A deserializer's error message that reaches the user word for word, after the key's path.
pub fn own_message(text: impl std::fmt::Display) -> String {
    format!("{OWN}{text}")
}

/// The sentence for serde_yaml's message `raw` (without locations), about a value that reads
/// `found` in the file.
fn explain(raw: &str, schema: &Schema, found: Option<&str>) -> String {
    let (path, problem) = split_path(raw);
    if let Some(own) = problem.strip_prefix(OWN) {
        return format!("{path}: {own}");
    }
    // chrono says only "input is out of range" for 2003-02-30.
    if let Some(sentence) = found
        .filter(|_| problem == "input is out of range")
        .and_then(no_such_date)
    {
        return format!("{path}: {sentence}");
    }
    let subject = if path.is_empty() {
        schema.document.to_string()
    } else {
        format!("`{path}`")
    };
    let full = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    if let Some(rest) = problem.strip_prefix("unknown field ") {
        let (key, allowed) = quoted_names(rest);
        return unknown_key(&full(key), &subject, &allowed);
    }
    if let Some(rest) = problem.strip_prefix("missing field ") {
        let (key, _) = quoted_names(rest);
        let with = schema
            .expected(&full(key))
            .map_or(String::new(), |what| format!(" with {what}"));
        return format!("{subject} has no `{key}`, which is required: add `{key}:`{with}");
    }
    if let Some(rest) = problem.strip_prefix("duplicate field ") {
        let (key, _) = quoted_names(rest);
        return format!("{subject} gives `{key}` twice: keep one");
    }
    if let Some(rest) = problem.strip_prefix("unknown variant ") {
        let (value, allowed) = quoted_names(rest);
        let hint = closest(value, allowed.iter().copied())
            .map_or(String::new(), |near| format!(" (did you mean `{near}`?)"));
        return format!(
            "{path}: expected one of {}, found `{value}`{hint}",
            backticked(&allowed)
        );
    }
    let typed = problem
        .strip_prefix("invalid type: ")
        .or_else(|| problem.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected "));
    if let Some((actual, expected)) = typed {
        let what = schema
            .expected(path)
            .map_or_else(|| rust_type(expected), str::to_string);
        let name = if path.is_empty() {
            subject
        } else {
            path.to_string()
        };
        return format!("{name}: expected {what}, found {}", value_kind(actual));
    }
    match (path.is_empty(), schema.expected(path)) {
        (true, _) => format!(
            "{} is not valid YAML: {problem}; check the quotes, brackets and indentation on this \
             line and the one before",
            schema.document
        ),
        (false, Some(what)) => match found.filter(|found| !found.is_empty()) {
            Some(found) => format!("{path}: expected {what}, found `{found}`"),
            None => format!("{path}: expected {what}"),
        },
        (false, None) => format!("{path}: {problem}"),
    }
}

/// `2003-02-30` (or the date of `2003-02-30T10:00:00-05:00`) → "there is no such date …", for
/// a well-formed date that the calendar does not have; `None` for anything else.
fn no_such_date(text: &str) -> Option<String> {
    let date = text.trim_matches(['"', '\'']).get(..10)?;
    let mut parts = date.splitn(3, '-').map(|part| part.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let year = i32::try_from(year).ok()?;
    if chrono::NaiveDate::from_ymd_opt(year, month, day).is_some() {
        // The date is fine: what is out of range is elsewhere (the time, say).
        return None;
    }
    let why = match chrono::NaiveDate::from_ymd_opt(year, month, 1) {
        _ if day == 0 => "days start at 1".to_string(),
        None => "a month is 1 to 12".to_string(),
        Some(first) => {
            let next = first.checked_add_months(chrono::Months::new(1))?;
            let days = next.signed_duration_since(first).num_days();
            format!("{} has {days} days", first.format("%B %Y"))
        }
    };
    Some(format!(
        "there is no such date as `{date}` ({why}); correct the day or the month"
    ))
}

/// `people[0].role: invalid type: …` → (`people[0].role`, `invalid type: …`); a message
/// about the document as a whole has no path.
fn split_path(message: &str) -> (&str, &str) {
    let is_path = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c))
    };
    match message.split_once(": ") {
        Some((path, problem)) if is_path(path) => (path, problem),
        _ => ("", message),
    }
}

/// The first `quoted` name in a serde message and the ones after it: ``unknown field `x`,
/// expected `a` or `b` `` → (`x`, [`a`, `b`]).
fn quoted_names(text: &str) -> (&str, Vec<&str>) {
    let mut names = text.split('`').skip(1).step_by(2);
    let first = names.next().unwrap_or_default();
    (first, names.collect())
}

fn unknown_key(key: &str, subject: &str, allowed: &[&str]) -> String {
    let name = key.rsplit('.').next().unwrap_or(key);
    let mut text = format!("unknown key `{key}`");
    if let Some(near) = closest(name, allowed.iter().copied()) {
        text.push_str(&format!(" (did you mean `{near}`?)"));
    }
    if allowed.is_empty() {
        text.push_str(&format!("; {subject} takes no keys"));
    } else {
        text.push_str(&format!(
            "; the keys {subject} allows are {}",
            backticked(allowed)
        ));
    }
    text
}

/// The candidate a typo most likely meant, if one is close enough.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde's name of the type it wanted, in words.
fn rust_type(expected: &str) -> String {
    let words = match expected {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" | "u64" | "usize" => "a whole number, 0 or more",
        "i32" | "i64" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "`true` or `false`",
        "a sequence" => "a list",
        "a map" => "keys with values",
        other if other.starts_with("struct ") => "keys with values",
        other => other,
    };
    words.to_string()
}

/// serde's description of the value it found (`string "abc"`, ``integer `3` ``), in words.
fn value_kind(actual: &str) -> String {
    if let Some(text) = actual.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for prefix in ["integer ", "floating point "] {
        if let Some(number) = actual.strip_prefix(prefix) {
            return format!("the number {}", number.trim_matches('`'));
        }
    }
    match actual {
        "sequence" => "a list".to_string(),
        "map" => "keys with values".to_string(),
        "unit value" => "nothing".to_string(),
        other => other.to_string(),
    }
}

/// The value or key that starts at `column` (1-based, in characters) of `line`: up to the end
/// of a flow item (`,` `}` `]`), a key's colon, or the line's end.
fn token(line: &str, column: usize) -> &str {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(at, _)| at);
    let rest = &line[start..];
    // A quoted value or a flow list or mapping runs to its closing mark.
    let closing = match rest.chars().next() {
        Some('[') => Some(']'),
        Some('{') => Some('}'),
        Some(quote @ ('"' | '\'')) => Some(quote),
        _ => None,
    };
    if let Some(end) = closing.and_then(|close| rest[1..].find(close)) {
        return &rest[..end + 2];
    }
    let end = rest
        .char_indices()
        .find(|&(at, c)| {
            matches!(c, ',' | '}' | ']' | '#')
                || (c == ':' && rest[at + 1..].starts_with([' ', '\t']))
                || (c == ':' && at + 1 == rest.len())
        })
        .map_or(rest.len(), |(at, _)| at);
    rest[..end].trim_end()
}

/// The line and column (1-based) of the value of `path` (`mail.smtp.port`) in `yaml`, for
/// problems found after parsing. Follows block mappings by indentation and flow mappings
/// (`brand: { primary: red }`) on one line; good enough for configuration files, which is what
/// it is for.
pub fn line_of_key(yaml: &str, path: &str) -> Option<(usize, usize)> {
    let keys: Vec<&str> = path.split('.').collect();
    // Each key of `path` matched so far, outermost first: its indentation and that of its
    // children (known from its first child); `top` is the indentation of the outermost keys.
    let mut open: Vec<(usize, Option<usize>)> = Vec::new();
    let mut top = None;
    for (index, line) in yaml.lines().enumerate() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        while open.last().is_some_and(|&(parent, _)| indent <= parent) {
            open.pop();
        }
        let children = match open.last_mut() {
            Some((_, children)) => children,
            None => &mut top,
        };
        // Only a direct child can be the next key: `mail.port` is not `mail.smtp.port`.
        if indent != *children.get_or_insert(indent) {
            continue;
        }
        let Some(after) = keys
            .get(open.len())
            .and_then(|key| content.strip_prefix(key))
            .and_then(|rest| rest.strip_prefix(':'))
        else {
            continue;
        };
        open.push((indent, None));
        let mut rest = after;
        let mut matched = open.len();
        while matched < keys.len() {
            let Some(at) = rest.find(&format!("{}:", keys[matched])) else {
                break;
            };
            rest = &rest[at + keys[matched].len() + 1..];
            matched += 1;
        }
        if matched == keys.len() {
            let value = rest.trim_start();
            let column = line[..line.len() - value.len()].chars().count() + 1;
            return Some((index + 1, column));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: Schema = Schema {
        document: "the front matter",
        expected: &[("date", "a date as YYYY-MM-DD, e.g. `2003-11-14`")],
    };

    #[test]
    fn keys_are_found_in_blocks_and_flow_mappings() {
        let yaml = "title: T\nbrand: { primary: red }\nmail:\n  # the server\n  smtp:\n    host: x\n    port: 25\npdf:\n  port: 1\n";
        assert_eq!(line_of_key(yaml, "brand.primary"), Some((2, 19)));
        assert_eq!(line_of_key(yaml, "mail.smtp.port"), Some((7, 11)));
        assert_eq!(line_of_key(yaml, "title"), Some((1, 8)));
        assert_eq!(line_of_key(yaml, "pdf.host"), None);
        assert_eq!(line_of_key(yaml, "mail.port"), None);
    }

    #[test]
    fn tokens_end_where_the_value_does() {
        assert_eq!(token("date: yesterday", 7), "yesterday");
        assert_eq!(token("colour: red", 1), "colour");
        assert_eq!(token("role: [Chairman] }", 7), "[Chairman]");
        assert_eq!(token("title: \"A, B\" # x", 8), "\"A, B\"");
        assert_eq!(token("source: { file: a, sha: b }", 20), "sha");
        assert_eq!(
            token("  start: 2003-11-14T16:30:00-05:00", 10),
            "2003-11-14T16:30:00-05:00"
        );
    }

    #[test]
    fn serde_messages_become_sentences() {
        let cases = [
            (
                "unknown field `sha`, expected `file` or `sha256`",
                "unknown key `sha` (did you mean `sha256`?); the keys the front matter allows are `file`, `sha256`",
            ),
            (
                "source: missing field `sha256`",
                "`source` has no `sha256`, which is required: add `sha256:`",
            ),
            (
                "missing field `date`",
                "the front matter has no `date`, which is required: add `date:` with a date as YYYY-MM-DD, e.g. `2003-11-14`",
            ),
            (
                "people[0].role: invalid type: sequence, expected a string",
                "people[0].role: expected a string, found a list",
            ),
            (
                "category: unknown variant `earning`, expected one of `earnings`, `board`",
                "category: expected one of `earnings`, `board`, found `earning` (did you mean `earnings`?)",
            ),
            (
                "date: input contains invalid characters",
                "date: expected a date as YYYY-MM-DD, e.g. `2003-11-14`, found `x`",
            ),
            (
                "mapping values are not allowed in this context",
                "the front matter is not valid YAML: mapping values are not allowed in this context; check the quotes, brackets and indentation on this line and the one before",
            ),
        ];
        for (raw, sentence) in cases {
            assert_eq!(explain(raw, &SCHEMA, Some("x")), sentence, "for {raw}");
        }
    }

    #[test]
    fn a_date_the_calendar_lacks_is_no_such_date() {
        let explain_date =
            |found: &str| explain("date: input is out of range", &SCHEMA, Some(found));
        assert_eq!(
            explain_date("2003-02-30"),
            "date: there is no such date as `2003-02-30` (February 2003 has 28 days); correct the \
             day or the month"
        );
        assert!(explain_date("2003-06-31").contains("(June 2003 has 30 days)"));
        assert!(explain_date("2004-02-30").contains("(February 2004 has 29 days)"));
        assert!(explain_date("2003-13-01").contains("(a month is 1 to 12)"));
        assert!(explain_date("2003-02-30T10:00:00-05:00").contains("no such date"));
        assert!(!explain_date("2003-11-14T25:00:00-05:00").contains("no such date"));
    }

    #[test]
    fn later_locations_count_file_lines() {
        assert_eq!(
            file_lines(
                "did not find expected ',' or '}' at line 4 column 7, while parsing a flow mapping at line 3 column 9",
                2
            ),
            "did not find expected ',' or '}', while parsing a flow mapping at line 4"
        );
    }
}
