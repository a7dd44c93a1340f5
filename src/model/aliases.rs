//! Finds YAML aliases (`*name`) in front matter before serde_yaml reads it.
//!
//! An alias repeats the node its anchor names, so a file of a few kilobytes of nested aliases
//! ("billion laughs") expands to gigabytes while it is read. Releases have no use for them: a
//! person writes each value where it belongs, and hemasite never writes one. So front matter
//! with an alias is refused, with its line, before any of it is expanded; `site.yaml` too.
//!
//! This is a scanner, not a parser: it follows quotes, comments, flow brackets and block scalars
//! well enough to tell an alias (a `*` where a value starts) from a `*` in text. YAML does not
//! let a value start with `*` unless it is an alias, so text such as `*Restated*` must be quoted
//! anyway; the one `*` it cannot tell is at the start of a continuation line of an unquoted
//! multi-line value, which it takes for an alias (quoting the value fixes that).

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Refuses YAML holding an alias, naming the file's line: `first_line` is the file's line the
/// YAML starts on (2 for front matter, after its `---`; 1 for `site.yaml`).
pub fn refuse(path: &Path, yaml: &str, first_line: usize) -> Result<(), Diagnostic> {
    match first_alias_line(yaml) {
        Some(line) => Err(Diagnostic::error(
            path,
            line + first_line - 1,
            "this uses a YAML alias (`*name`), which hemasite does not read: an alias repeats \
             another value, and a few of them can make a small file huge; write the value out \
             instead (or put text that starts with `*` in quotes)",
        )),
        None => Ok(()),
    }
}

/// The line (1-based, counted in `yaml`) of the first alias, if any.
pub fn first_alias_line(yaml: &str) -> Option<usize> {
    let mut scanner = Scanner::default();
    yaml.lines()
        .enumerate()
        .find_map(|(index, line)| scanner.line_has_alias(line).then_some(index + 1))
}

/// What carries over from one line to the next.
#[derive(Debug, Default)]
struct Scanner {
    /// Inside a quoted value that goes on past the end of a line: its closing quote.
    quote: Option<char>,
    /// Inside a block scalar (`|` or `>`) begun on a line indented this far: its lines are text.
    block: Option<usize>,
    /// How deep inside `[` and `{`, where `,` also starts a value.
    flow: usize,
}

impl Scanner {
    fn line_has_alias(&mut self, line: &str) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(block) = self.block {
            if line.trim().is_empty() || indent > block {
                return false;
            }
            self.block = None;
        }
        let mut chars = line.chars().peekable();
        // A value may start here: the line's start, after `- `, `: `, `? `, `[`, `{` or `,`.
        let mut value_start = self.quote.is_none();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            if let Some(close) = self.quote {
                match c {
                    '\\' if close == '"' => {
                        chars.next();
                    }
                    c if c == close => {
                        // `''` inside single quotes is a quote, not the end.
                        if close == '\'' && chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            self.quote = None;
                        }
                    }
                    _ => {}
                }
                previous = c;
                continue;
            }
            let next_is_space = chars.peek().is_none_or(|next| next.is_whitespace());
            match c {
                '#' if previous.is_whitespace() => return false,
                ' ' | '\t' => {}
                '*' if value_start => return true,
                '"' | '\'' if value_start => {
                    self.quote = Some(c);
                    value_start = false;
                }
                '|' | '>' if value_start => {
                    self.block = Some(indent);
                    return false;
                }
                '[' | '{' if value_start || self.flow > 0 => {
                    self.flow += 1;
                    value_start = true;
                }
                ']' | '}' if self.flow > 0 => {
                    self.flow -= 1;
                    value_start = false;
                }
                ',' if self.flow > 0 => value_start = true,
                '-' | '?' | ':' if next_is_space => value_start = true,
                _ => value_start = false,
            }
            previous = c;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_found_where_values_start() {
        assert_eq!(first_alias_line("a: &x [1, 2]\nb: *x\n"), Some(2));
        assert_eq!(first_alias_line("a:\n  - *x\n"), Some(2));
        assert_eq!(first_alias_line("a: [1, *x]\n"), Some(1));
        assert_eq!(first_alias_line("a: { b: *x }\n"), Some(1));
        assert_eq!(first_alias_line("a: [\n  *x\n]\n"), Some(2));
        assert_eq!(first_alias_line("*x : 1\n"), Some(1));
    }

    #[test]
    fn stars_in_text_are_not_aliases() {
        for yaml in [
            "title: Results *restated*\n",
            "title: \"*Restated* results\"\n",
            "title: '*Restated*, it''s *x*'\n",
            "title: \"a \\\" *x\"\n",
            "title: a # *x\n",
            "about: |\n  *x\n  * y\nnext: 1\n",
            "about: >-\n  *x\n",
            "text: \"line one\n  *still text\"\n",
            "dial_in: 800-309-8563 *5\n",
            "a: b,*c\n",
        ] {
            assert_eq!(first_alias_line(yaml), None, "{yaml}");
        }
    }

    #[test]
    fn after_a_block_scalar_aliases_count_again() {
        assert_eq!(first_alias_line("about: |\n  text\nb: *x\n"), Some(3));
    }
}
