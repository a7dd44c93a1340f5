//! Tera's errors, told in the theme's terms.
//!
//! Tera 2 already reports syntax and render errors like rustc (message, ` --> name:line:col`,
//! the line, carets, and `note: called from …` for includes), but it names templates by the name
//! they were added under (`partials/head.html`), not the file a user must open, and its
//! structured error ([`tera::ReportError`]) keeps the source text private; some errors (an
//! unknown filter found at load) even arrive as a plain message holding the finished report.
//! So this module takes tera's report as it is and rewrites every location in it to the
//! template's origin: the site's file, or `templates/x.html (built-in)`.

use std::collections::BTreeMap;

/// Where each template (by its tera name) was read from.
pub trait Origins {
    fn origin(&self, template: &str) -> Option<&str>;
}

impl Origins for BTreeMap<String, String> {
    fn origin(&self, template: &str) -> Option<&str> {
        self.get(template).map(String::as_str)
    }
}

/// A tera error as a message: what is wrong, then where (file, line, column, the line and a
/// caret), and for an include or macro where it was called from. The first line has no
/// `error:` prefix: callers put the message into a sentence of their own ("cannot render
/// news/index.html: …") and the printing layer adds the severity.
pub fn template_error(err: &tera::Error, origins: &dyn Origins) -> String {
    let report = match err.kind() {
        tera::ErrorKind::MissingParent { current, parent } => format!(
            "{} extends `{parent}`, which is not a template of the theme; check the name in its \
             `{{% extends %}}`",
            origin_or_name(current, origins)
        ),
        tera::ErrorKind::TemplateNotFound(name) => {
            format!("there is no template `{name}`; check the name or restore the file")
        }
        _ => err.to_string(),
    };
    let mut text = report
        .trim_end()
        .lines()
        .map(|line| relocate(line, origins))
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(rest) = text.strip_prefix("error: ") {
        text = rest.to_string();
    }
    let mut cause = std::error::Error::source(err);
    while let Some(err) = cause {
        text.push_str(&format!(": {err}"));
        cause = err.source();
    }
    text
}

/// One line of tera's report, with the location in a ` --> ` or `note:` line rewritten.
fn relocate(line: &str, origins: &dyn Origins) -> String {
    let indent = &line[..line.len() - line.trim_start().len()];
    if let Some(at) = line.trim_start().strip_prefix("--> ") {
        return format!("{indent}--> {}", location(at, origins));
    }
    if let Some((label, at)) = line
        .strip_prefix("note: ")
        .and_then(|note| note.rsplit_once(' '))
    {
        return format!("note: {label} {}", location(at, origins));
    }
    line.to_string()
}

/// `partials/head.html:3:12` becomes `templates/partials/head.html:3:12 (built-in)` or
/// `/site/templates/partials/head.html:3:12`, the form editors and terminals make clickable.
fn location(at: &str, origins: &dyn Origins) -> String {
    let mut parts = at.rsplitn(3, ':');
    let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
        return at.to_string();
    };
    match origins.origin(name) {
        Some(origin) => match origin.strip_suffix(" (built-in)") {
            Some(path) => format!("{path}:{line}:{column} (built-in)"),
            None => format!("{origin}:{line}:{column}"),
        },
        None => at.to_string(),
    }
}

fn origin_or_name(name: &str, origins: &dyn Origins) -> String {
    origins.origin(name).unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins() -> BTreeMap<String, String> {
        BTreeMap::from([
            (
                "page.html".to_string(),
                "/site/templates/page.html".to_string(),
            ),
            (
                "partials/who.html".to_string(),
                "templates/partials/who.html (built-in)".to_string(),
            ),
        ])
    }

    fn load(templates: &[(&str, &str)]) -> Result<tera::Tera, tera::Error> {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(templates.iter().copied())?;
        Ok(tera)
    }

    #[test]
    fn a_syntax_error_points_at_the_file_line_and_column() {
        let err = load(&[("page.html", "<h1>Hi</h1>\n<p>{{ name( }}</p>\n")]).unwrap_err();
        assert_eq!(
            template_error(&err, &origins()),
            "Found `}}` but expected identifier.\n \
             --> /site/templates/page.html:2:13\n  \
             |\n\
             2 | <p>{{ name( }}</p>\n  \
             |             ^^"
        );
    }

    #[test]
    fn an_unknown_filter_is_found_at_load_with_its_place() {
        let err = load(&[("page.html", "<p>{{ name | shout }}</p>")]).unwrap_err();
        let message = template_error(&err, &origins());
        assert!(message.starts_with("Unknown filter `shout`\n"), "{message}");
        assert!(
            message.contains("--> /site/templates/page.html:1:14\n"),
            "{message}"
        );
        assert!(message.ends_with("\n  |              ^^^^^"), "{message}");
    }

    #[test]
    fn a_render_error_in_a_partial_says_where_it_was_included() {
        let tera = load(&[
            (
                "page.html",
                "<main>\n{% include \"partials/who.html\" %}\n</main>",
            ),
            ("partials/who.html", "<b>{{ who.name }}</b>\n"),
        ])
        .unwrap();
        let err = tera.render("page.html", &tera::Context::new()).unwrap_err();
        let message = template_error(&err, &origins());
        assert!(
            message.starts_with("Variable `who` is not defined."),
            "{message}"
        );
        assert!(
            message.contains(
                " --> templates/partials/who.html:1:7 (built-in)\n  |\n1 | <b>{{ who.name }}</b>\n  |       ^^^\n"
            ),
            "{message}"
        );
        assert!(
            message.contains("note: called from /site/templates/page.html:2:12\n"),
            "{message}"
        );
    }

    #[test]
    fn a_missing_parent_names_the_file_that_extends_it() {
        let err = load(&[("page.html", "{% extends \"layout.html\" %}")]).unwrap_err();
        assert_eq!(
            template_error(&err, &origins()),
            "/site/templates/page.html extends `layout.html`, which is not a template of the \
             theme; check the name in its `{% extends %}`"
        );
    }
}
