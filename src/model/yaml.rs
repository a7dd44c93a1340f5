//! Writes front matter as YAML in the layout of the contract's example: block mappings for the
//! release, and one line per table row and column (`- { key: revenue, label: Revenues, values:
//! [6980000, 7181000] }`) so that a person can read and hand-edit a statement.
//!
//! serde_yaml reads these files back; it cannot write this layout (it has no flow style), and it
//! is several times slower, which matters when ingesting tens of thousands of releases. The
//! round-trip tests below and in `tests/ingest.rs` keep the two in agreement.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::{
    Column, Contact, Event, EventTime, Figure, Financials, FrontMatter, Person, Quote, Replay, Row,
    Statement,
};

/// The front matter, without the `---` fences, ending in a newline.
pub fn front_matter(front: &FrontMatter) -> String {
    let mut out = Yaml::default();
    out.field(0, "title", &front.title);
    out.optional(0, "subtitle", front.subtitle.as_deref());
    out.raw(0, "date", &front.date.to_string());
    out.raw(0, "category", front.category.slug());
    out.field(0, "company", &front.company);
    out.field(0, "ticker", &front.ticker);
    out.optional(0, "market", front.market.as_deref());
    out.optional(0, "dateline", front.dateline.as_deref());
    out.heading(0, "source");
    out.field(1, "file", &front.source.file);
    out.field(1, "sha256", &front.source.sha256);
    out.optional(1, "exhibit", front.source.exhibit.as_deref());
    out.optional(1, "filename", front.source.filename.as_deref());
    out.optional(1, "form_type", front.source.form_type.as_deref());
    if let Some(filed) = front.source.filed {
        out.raw(1, "filed", &filed.to_string());
    }
    out.optional(1, "accession", front.source.accession.as_deref());
    out.optional(1, "cik", front.source.cik.as_deref());
    if let Some(contact) = &front.contact {
        out.contact(contact);
    }
    out.list(0, "people", &front.people, Yaml::person);
    out.list(0, "quotes", &front.quotes, Yaml::quote);
    out.list(0, "events", &front.events, Yaml::event);
    if let Some(financials) = &front.financials {
        out.financials(financials);
    }
    out.optional(0, "about", front.about.as_deref());
    out.optional(0, "safe_harbor", front.safe_harbor.as_deref());
    out.text
}

#[derive(Default)]
struct Yaml {
    text: String,
}

impl Yaml {
    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
    }

    /// `key: value` with the value quoted as needed.
    fn field(&mut self, level: usize, key: &str, value: &str) {
        self.raw(level, key, &scalar(value, false));
    }

    /// `key: value` for a value that is already valid YAML (a date, a number, a known word).
    fn raw(&mut self, level: usize, key: &str, value: &str) {
        self.indent(level);
        let _ = writeln!(self.text, "{key}: {value}");
    }

    fn optional(&mut self, level: usize, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.field(level, key, value);
        }
    }

    fn heading(&mut self, level: usize, key: &str) {
        self.indent(level);
        let _ = writeln!(self.text, "{key}:");
    }

    /// A block sequence of mappings; `item` writes each one's fields at level + 2, and the first
    /// field's indentation is replaced by the `- ` marker.
    fn list<T>(&mut self, level: usize, key: &str, items: &[T], item: fn(&mut Yaml, usize, &T)) {
        if items.is_empty() {
            return;
        }
        self.heading(level, key);
        for value in items {
            let start = self.text.len();
            item(self, level + 2, value);
            let marker_at = start + 2 * level;
            self.text.replace_range(marker_at..marker_at + 4, "  - ");
        }
    }

    fn contact(&mut self, contact: &Contact) {
        self.heading(0, "contact");
        self.optional(1, "organization", contact.organization.as_deref());
        self.optional(1, "name", contact.name.as_deref());
        self.optional(1, "title", contact.title.as_deref());
        self.optional(1, "phone", contact.phone.as_deref());
        self.optional(1, "website", contact.website.as_deref());
    }

    fn person(&mut self, level: usize, person: &Person) {
        self.field(level, "name", &person.name);
        self.field(level, "role", &person.role);
    }

    fn quote(&mut self, level: usize, quote: &Quote) {
        self.field(level, "speaker", &quote.speaker);
        self.field(level, "text", &quote.text);
    }

    fn event(&mut self, level: usize, event: &Event) {
        self.raw(level, "kind", &scalar(&kebab(&event.kind), false));
        self.field(level, "title", &event.title);
        self.raw(level, "start", &event_time(&event.start));
        self.optional(level, "location", event.location.as_deref());
        self.optional(level, "dial_in", event.dial_in.as_deref());
        if let Some(replay) = &event.replay {
            self.replay(level, replay);
        }
        self.optional(level, "webcast", event.webcast.as_deref());
    }

    fn replay(&mut self, level: usize, replay: &Replay) {
        self.heading(level, "replay");
        self.field(level + 1, "phone", &replay.phone);
        self.optional(level + 1, "passcode", replay.passcode.as_deref());
        if let Some(until) = replay.until {
            self.raw(
                level + 1,
                "until",
                &until.to_rfc3339_opts(SecondsFormat::Secs, false),
            );
        }
    }

    fn financials(&mut self, financials: &Financials) {
        self.heading(0, "financials");
        self.field(1, "currency", &financials.currency);
        self.field(1, "fiscal_period", &financials.fiscal_period);
        self.list(1, "statements", &financials.statements, Yaml::statement);
    }

    fn statement(&mut self, level: usize, statement: &Statement) {
        self.raw(level, "kind", &kebab(&statement.kind));
        self.field(level, "title", &statement.title);
        if let Some(scale) = statement.scale {
            self.raw(level, "scale", &scale.to_string());
        }
        self.heading(level, "columns");
        for column in &statement.columns {
            self.indent(level + 1);
            let _ = writeln!(self.text, "- {}", flow_column(column));
        }
        self.heading(level, "rows");
        for row in &statement.rows {
            self.indent(level + 1);
            let _ = writeln!(self.text, "- {}", flow_row(row));
        }
    }
}

fn flow_column(column: &Column) -> String {
    match column {
        Column::Period {
            label,
            start,
            end,
            months,
        } => format!(
            "{{ label: {}, start: {start}, end: {end}, months: {months} }}",
            scalar(label, true)
        ),
        Column::Instant { label, date } => {
            format!("{{ label: {}, date: {date} }}", scalar(label, true))
        }
    }
}

fn flow_row(row: &Row) -> String {
    let mut text = format!(
        "{{ key: {}, label: {}",
        scalar(&row.key, true),
        scalar(&row.label, true)
    );
    if let Some(section) = &row.section {
        let _ = write!(text, ", section: {}", scalar(section, true));
    }
    let values: Vec<String> = row
        .values
        .iter()
        .map(|value| match value {
            None => "null".to_string(),
            Some(Figure::Amount(amount)) => amount.to_string(),
            Some(Figure::PerShare(decimal)) => format!("\"{decimal}\""),
        })
        .collect();
    let _ = write!(text, ", values: [{}]", values.join(", "));
    if row.total {
        text.push_str(", total: true");
    }
    text.push_str(" }");
    text
}

fn event_time(time: &EventTime) -> String {
    match time {
        EventTime::At(at) => at.to_rfc3339_opts(SecondsFormat::Secs, false),
        EventTime::Day(day) => day.to_string(),
    }
}

/// The serde name of a unit enum value (`conference-call`, `balance_sheet`).
fn kebab<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A string as a YAML scalar: plain where that reads back as the same string, else double-quoted.
/// `flow` is for values inside `{ }` or `[ ]`, where commas and brackets end a plain scalar.
pub fn scalar(text: &str, flow: bool) -> String {
    if is_plain_safe(text, flow) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

fn is_plain_safe(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let starts_well = first.is_alphabetic() || (first == '(' && !flow);
    starts_well
        && text == text.trim()
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control())
        && !(flow && text.contains([',', '[', ']', '{', '}']))
        && !is_reserved_word(text)
}

/// Words YAML (1.1 or 1.2) reads as booleans or null.
fn is_reserved_word(text: &str) -> bool {
    // The longest is five letters: most scalars are out without a lower-cased copy.
    text.len() <= 5
        && matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "nan" | "inf"
        )
}

fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_strings_read_back_unchanged() {
        for text in [
            "plain words",
            "3901827",
            "800-309-8563",
            "yes",
            "Null",
            "key: value",
            "a #hash",
            "ends:",
            " padded ",
            "-0.60",
            "\"quoted\"",
            "back\\slash",
            "line\nbreak",
            "tab\there",
            "[bracket",
            "{brace",
            "a, b",
            "*star",
            "&amp",
            "!bang",
            "%pct",
            "@at",
            "`tick",
            "|pipe",
            ">gt",
            "'single",
            "?q",
            "",
            "Ünïcode – dash",
            "(Unaudited)",
            "\u{1}ctrl",
        ] {
            for flow in [false, true] {
                let yaml = if flow {
                    format!("[{}]", scalar(text, true))
                } else {
                    format!("v: {}", scalar(text, false))
                };
                let back: serde_yaml::Value =
                    serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
                let value = if flow {
                    back[0].clone()
                } else {
                    back["v"].clone()
                };
                assert_eq!(value.as_str(), Some(text), "{yaml}");
            }
        }
    }
}
