//! What the command line prints: the library's plain-text messages, coloured for a terminal.
//!
//! Messages stay plain text everywhere else (`serve` shows them in a browser, `check --format
//! json` hands them to machines), so colour is added here, at the last moment, by recognising
//! the shapes the messages have: `error:` and `warning:` lines, `file:line:` places, rustc-style
//! excerpts (` --> `, the `|` gutter, carets) and `hemasite check`'s headings. Output goes
//! through `anstream`, which drops the colour again when the stream is not a terminal and
//! honours `NO_COLOR` and `CLICOLOR_FORCE`.

use std::io::Write;
use std::sync::LazyLock;

use anstyle::{AnsiColor, Style};
use regex::Regex;

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();
const PLACE: Style = Style::new().bold();

/// Writes `text` to stderr, coloured when stderr shows colour.
pub fn eprint(text: &str) {
    let mut stderr = anstream::stderr().lock();
    // Nothing sensible is left to do when stderr itself cannot be written.
    let _ = stderr.write_all(paint(text).as_bytes());
}

/// Writes `text` to stdout, coloured when stdout shows colour.
pub fn print(text: &str) -> std::io::Result<()> {
    anstream::stdout().lock().write_all(paint(text).as_bytes())
}

/// `text` with ANSI colours on the parts a reader looks for first.
pub fn paint(text: &str) -> String {
    let mut painted = String::with_capacity(text.len() + text.len() / 4);
    // Carets take the colour of the message they belong to.
    let mut severity = ERROR;
    for line in text.split_inclusive('\n') {
        let (line, end) = match line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (line, ""),
        };
        painted.push_str(&paint_line(line, &mut severity));
        painted.push_str(end);
    }
    painted
}

static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(error:|warning:|note:|help:|kept )").expect("valid regex"));
/// `path:12:` or `path:12:7:` at the start of a message.
static PLACE_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)([^\s:]+:\d+(?::\d+)?)(:|$)").expect("valid regex"));
/// ` --> place`, `  |`, `12 | source`, `   |    ^^^`.
static EXCERPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*-->|\s*\d*\s\|)( ?)(.*)$").expect("valid regex"));

fn paint_line(line: &str, severity: &mut Style) -> String {
    if let Some(label) = LABEL.captures(line) {
        let style = match &label[1] {
            "error:" => ERROR,
            "warning:" | "kept " => WARNING,
            _ => NOTE,
        };
        if style != NOTE {
            *severity = style;
        }
        let end = label.get(0).map_or(0, |m| m.end());
        return format!("{}{}", styled(style, &line[..end]), place(&line[end..]));
    }
    if let Some(parts) = EXCERPT.captures(line) {
        let rest = &parts[3];
        let rest = if parts[1].ends_with("-->") {
            styled(PLACE, rest)
        } else if !rest.is_empty() && rest.trim().chars().all(|c| c == '^') {
            let carets = rest.trim_start();
            format!(
                "{}{}",
                &rest[..rest.len() - carets.len()],
                styled(*severity, carets)
            )
        } else {
            rest.to_string()
        };
        return format!("{}{}{rest}", styled(GUTTER, &parts[1]), &parts[2]);
    }
    // `hemasite check` groups its findings under these headings.
    if line.starts_with("Errors (") {
        *severity = ERROR;
        return styled(ERROR, line);
    }
    if line.starts_with("Warnings (") {
        *severity = WARNING;
        return styled(WARNING, line);
    }
    place(line)
}

/// The line with a leading `file:line:` in bold.
fn place(text: &str) -> String {
    let start = text.len() - text.trim_start().len();
    match PLACE_AT_START.captures(&text[start..]) {
        Some(found) => {
            let at = found.get(2).map_or(0..0, |m| m.range());
            let (at, rest) = (start + at.start..start + at.end, start + at.end);
            format!(
                "{}{}{}",
                &text[..at.start],
                styled(PLACE, &text[at]),
                &text[rest..]
            )
        }
        None => text.to_string(),
    }
}

fn styled(style: Style, text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("{style}{text}{style:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The painted text with escape codes written as `<red>`…`</>`, to read in assertions.
    fn show(text: &str) -> String {
        let mut shown = paint(text);
        for (style, name) in [
            (ERROR, "red"),
            (WARNING, "yellow"),
            (NOTE, "cyan"),
            (GUTTER, "blue"),
            (PLACE, "bold"),
        ] {
            shown = shown.replace(&style.to_string(), &format!("<{name}>"));
        }
        shown.replace(&ERROR.render_reset().to_string(), "</>")
    }

    #[test]
    fn severities_places_and_excerpts_are_coloured() {
        let text = "error: site.yaml:7: brand.primary: expected a colour\n  |\n7 |   primary: red\n  |            ^^^\n";
        assert_eq!(
            show(text),
            "<red>error:</> <bold>site.yaml:7</>: brand.primary: expected a colour\n\
             <blue>  |</>\n\
             <blue>7 |</>   primary: red\n\
             <blue>  |</>            <red>^^^</>\n"
        );
    }

    #[test]
    fn carets_of_a_warning_are_yellow_and_notes_cyan() {
        let text = "warning: a.txt:2: odd\n  |\n2 | x\n  | ^\nnote: called from b.html:1:1\n";
        let shown = show(text);
        assert!(
            shown.starts_with("<yellow>warning:</> <bold>a.txt:2</>: odd\n"),
            "{shown}"
        );
        assert!(shown.contains("<blue>  |</> <yellow>^</>\n"), "{shown}");
        assert!(
            shown.ends_with("<cyan>note:</> called from b.html:1:1\n"),
            "{shown}"
        );
    }

    #[test]
    fn check_headings_and_finding_places_are_coloured() {
        let text = "Errors (1):\n  content/releases/a.md:12: revenue does not add up\n\nChecked 5 releases.";
        assert_eq!(
            show(text),
            "<red>Errors (1):</>\n  <bold>content/releases/a.md:12</>: revenue does not add up\n\nChecked 5 releases."
        );
    }

    #[test]
    fn plain_sentences_stay_plain() {
        let text = "Built 5 releases, 17 pages, 7 PDFs in 48 ms into public\n";
        assert_eq!(paint(text), text);
    }
}
