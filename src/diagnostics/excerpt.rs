//! The offending line of a file, shown under a message with a caret under its problem.

/// The offending line of a file and a caret under its problem, with a gutter holding the line
/// number:
///
/// ```text
///   |
/// 3 | date: yesterday
///   |       ^^^^^^^^^
/// ```
///
/// `column` counts characters from 1; the caret is `width` characters wide (at least one).
/// Tabs before the column are kept in the caret line, so that it lines up however wide the
/// reader's tabs are.
pub fn excerpt(line_number: usize, line: &str, column: usize, width: usize) -> String {
    let line = line.trim_end_matches(['\r', '\n']);
    let number = line_number.to_string();
    let gutter = " ".repeat(number.len());
    let indent: String = line
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let carets = "^".repeat(width.max(1));
    format!("{gutter} |\n{number} | {line}\n{gutter} | {indent}{carets}")
}

/// The `number`th line of `text` (1-based), if there is one.
pub fn nth_line(text: &str, number: usize) -> Option<&str> {
    text.lines().nth(number.checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caret_sits_under_the_column() {
        assert_eq!(
            excerpt(3, "date: yesterday", 7, 9),
            "  |\n3 | date: yesterday\n  |       ^^^^^^^^^"
        );
    }

    #[test]
    fn tabs_stay_tabs_and_wide_line_numbers_widen_the_gutter() {
        assert_eq!(
            excerpt(120, "\t<b>{{ who }}</b>", 8, 0),
            "    |\n120 | \t<b>{{ who }}</b>\n    | \t      ^"
        );
    }
}
