//! Full EDGAR submission files: one `.txt` holding the 8-K and its exhibits as `<DOCUMENT>`s.

/// A press release's text and the line of the file it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    pub text: &'a str,
    pub first_line: usize,
}

/// The press releases a file holds: every `EX-99*` document of a full submission, or the whole
/// file when it is a bare exhibit.
pub fn press_releases(text: &str) -> Vec<Document<'_>> {
    if !is_submission(text) {
        return vec![Document {
            text,
            first_line: 1,
        }];
    }
    let mut releases = Vec::new();
    let mut rest = text;
    while let Some(start) = find_tag(rest, "<DOCUMENT>") {
        let document = &rest[start..];
        let end = find_tag(document, "</DOCUMENT>").unwrap_or(document.len());
        let document = &document[..end];
        if let Some(body) = exhibit_99_text(document) {
            let offset = body.as_ptr() as usize - text.as_ptr() as usize;
            releases.push(Document {
                text: body,
                first_line: 1 + text[..offset].matches('\n').count(),
            });
        }
        rest = &rest[start + end.max(1)..];
    }
    releases
}

/// A submission opens with `<SEC-DOCUMENT>`, `<SEC-HEADER>` or `<DOCUMENT>` near its top.
fn is_submission(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(4096)];
    head.iter().enumerate().any(|(at, &b)| {
        b == b'<'
            && ["sec-document>", "sec-header>", "document>"]
                .iter()
                .any(|tag| {
                    head.get(at + 1..at + 1 + tag.len())
                        .is_some_and(|found| found.eq_ignore_ascii_case(tag.as_bytes()))
                })
    })
}

fn find_tag(text: &str, tag: &str) -> Option<usize> {
    text.find(tag)
        .or_else(|| text.find(&tag.to_ascii_lowercase()))
}

/// The `<TEXT>` of a document whose `<TYPE>` is an EX-99 exhibit.
fn exhibit_99_text(document: &str) -> Option<&str> {
    let type_at = find_tag(document, "<TYPE>")?;
    let kind = document[type_at + 6..].lines().next()?.trim();
    if !kind.to_ascii_uppercase().starts_with("EX-99") {
        return None;
    }
    let start = find_tag(document, "<TEXT>")? + "<TEXT>".len();
    let body = &document[start..];
    let end = find_tag(body, "</TEXT>").unwrap_or(body.len());
    Some(body[..end].trim_start_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_exhibit_is_one_release() {
        let docs = press_releases("EXHIBIT 99.1\nNews\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].first_line, 1);
    }

    #[test]
    fn submission_yields_each_ex_99() {
        let text = "<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nform\n</TEXT>\n</DOCUMENT>\n\
                    <DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\nfirst\n</TEXT>\n</DOCUMENT>\n\
                    <DOCUMENT>\n<TYPE>EX-99.2\n<TEXT>\nsecond\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
        let docs = press_releases(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "first\n");
        assert_eq!(docs[0].first_line, 11);
        assert_eq!(docs[1].text, "second\n");
    }
}
