//! EDGAR containers: a full submission (`<SEC-DOCUMENT>`, also PEM-wrapped), one `<DOCUMENT>`
//! as some archives keep an exhibit, or a bare exhibit with no container at all.
//!
//! This module only cuts the file into its documents and reads the submission header; which
//! documents hold a press release is decided by the caller.

use chrono::NaiveDate;

use crate::ingest::doc::Filing;

/// One `<DOCUMENT>` of a submission (or the whole of a bare file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// `<TYPE>`: `8-K`, `EX-99.1`, `GRAPHIC`, `EX-101.SCH`; empty for a bare file.
    pub kind: String,
    pub filename: Option<String>,
    pub description: Option<String>,
    /// The document's `<TEXT>`.
    pub text: &'a str,
    /// The line of the file `text` starts on (1-based).
    pub first_line: usize,
}

/// A file cut into its documents, with what its header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission<'a> {
    pub header: Filing,
    pub parts: Vec<Part<'a>>,
}

/// Cuts a decoded file into its documents. A file with no `<DOCUMENT>` is one bare document.
pub fn split(text: &str) -> Submission<'_> {
    let mut lines = LineCounter { offset: 0, line: 1 };
    let mut parts = Vec::new();
    let first_document = find_tag(text, "<DOCUMENT>");
    let mut next = first_document;
    while let Some(start) = next {
        let end = find_tag(&text[start..], "</DOCUMENT>").map_or(text.len(), |at| start + at);
        parts.push(part(&text[start..end], start, &mut lines, text));
        let rest_at = end.max(start + 1);
        next = find_tag(&text[rest_at..], "<DOCUMENT>").map(|at| rest_at + at);
    }
    if parts.is_empty() {
        parts.push(Part {
            kind: String::new(),
            filename: None,
            description: None,
            text,
            first_line: 1,
        });
    }
    Submission {
        header: header(text, first_document),
        parts,
    }
}

fn part<'a>(document: &'a str, offset: usize, lines: &mut LineCounter, file: &str) -> Part<'a> {
    let head_end = find_tag(document, "<TEXT>").unwrap_or(document.len());
    let head = &document[..head_end];
    let body_start = (head_end + "<TEXT>".len()).min(document.len());
    let body = &document[body_start..];
    let body = &body[..find_tag(body, "</TEXT>").unwrap_or(body.len())];
    let trimmed = body.trim_start_matches(['\n', '\r']);
    let text_offset = offset + body_start + (body.len() - trimmed.len());
    Part {
        kind: tag_value(head, "<TYPE>")
            .unwrap_or_default()
            .to_ascii_uppercase(),
        filename: tag_value(head, "<FILENAME>"),
        description: tag_value(head, "<DESCRIPTION>"),
        text: trimmed,
        first_line: lines.line_at(file, text_offset),
    }
}

/// The value after an SGML tag that runs to the end of its line (`<TYPE>EX-99.1`).
fn tag_value(head: &str, tag: &str) -> Option<String> {
    let at = find_tag(head, tag)? + tag.len();
    let value = head[at..].lines().next()?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// SGML tags are written in capitals; some archives lower-case them. One pass over the `<`s,
/// not two searches, because a bare exhibit (no tag at all) is read from end to end.
fn find_tag(text: &str, tag: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices('<').map(|(at, _)| at).find(|&at| {
        bytes
            .get(at..at + tag.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(tag.as_bytes()))
    })
}

/// The submission header's facts: the lines `KEY:<tabs>VALUE` before the first document.
fn header(text: &str, first_document: Option<usize>) -> Filing {
    let end = first_document.unwrap_or(text.len()).min(64 * 1024);
    let mut filing = Filing::default();
    for line in text[..end].lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "ACCESSION NUMBER" => set_once(&mut filing.accession, value),
            "CONFORMED SUBMISSION TYPE" => set_once(&mut filing.form_type, value),
            "COMPANY CONFORMED NAME" => set_once(&mut filing.company, value),
            "CENTRAL INDEX KEY" => set_once(&mut filing.cik, value.trim_start_matches('0')),
            "FILED AS OF DATE" if filing.filed.is_none() => {
                filing.filed = NaiveDate::parse_from_str(value, "%Y%m%d").ok();
            }
            _ => {}
        }
    }
    filing
}

/// A submission names its filer first and co-registrants after: the first one is the issuer.
fn set_once(field: &mut Option<String>, value: &str) {
    if field.is_none() {
        *field = Some(value.to_string());
    }
}

/// Turns byte offsets into line numbers in one pass over the file, however many documents it
/// holds (offsets are asked for in increasing order).
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_exhibit_is_one_part() {
        let submission = split("EXHIBIT 99.1\nNews\n");
        assert_eq!(submission.parts.len(), 1);
        assert_eq!(submission.parts[0].first_line, 1);
        assert_eq!(submission.header, Filing::default());
    }

    #[test]
    fn submission_yields_each_document_with_its_header() {
        let text = "<SEC-DOCUMENT>\n<SEC-HEADER>\nACCESSION NUMBER:\t\t0000320193-24-000005\n\
                    CONFORMED SUBMISSION TYPE:\t8-K\nFILED AS OF DATE:\t\t20240201\n\
                    \t\tCOMPANY CONFORMED NAME:\t\t\tAPPLE INC\n\t\tCENTRAL INDEX KEY:\t\t\t0000320193\n\
                    \t\tCOMPANY CONFORMED NAME:\t\t\tOTHER CO\n</SEC-HEADER>\n\
                    <DOCUMENT>\n<TYPE>8-K\n<TEXT>\nform\n</TEXT>\n</DOCUMENT>\n\
                    <DOCUMENT>\n<TYPE>EX-99.1\n<FILENAME>ex991.htm\n<DESCRIPTION>PRESS RELEASE\n<TEXT>\nfirst\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
        let submission = split(text);
        assert_eq!(submission.parts.len(), 2);
        let release = &submission.parts[1];
        assert_eq!(release.kind, "EX-99.1");
        assert_eq!(release.filename.as_deref(), Some("ex991.htm"));
        assert_eq!(release.description.as_deref(), Some("PRESS RELEASE"));
        assert_eq!(release.text, "first\n");
        assert_eq!(release.first_line, 21);
        let header = submission.header;
        assert_eq!(header.accession.as_deref(), Some("0000320193-24-000005"));
        assert_eq!(header.form_type.as_deref(), Some("8-K"));
        assert_eq!(header.company.as_deref(), Some("APPLE INC"));
        assert_eq!(header.cik.as_deref(), Some("320193"));
        assert_eq!(header.filed, NaiveDate::from_ymd_opt(2024, 2, 1));
    }

    #[test]
    fn unclosed_document_runs_to_the_end() {
        let submission = split("<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nonly");
        assert_eq!(submission.parts[0].text, "only");
        assert_eq!(submission.parts[0].first_line, 4);
    }
}
