//! Bytes as filed to text: BOM, UTF-8 or Windows-1252, CRLF, and a check that it is text at all.

/// Why a file cannot be read as a text filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary { line: usize },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Empty => {
                f.write_str("the file is empty; expected the text of a press release")
            }
            DecodeError::Binary { .. } => f.write_str(
                "the file looks binary (it holds NUL or control bytes), not a plain-text filing; \
                 pass the EX-99.1 text or the full EDGAR submission (.txt)",
            ),
        }
    }
}

/// Decodes a filing. UTF-8 (with or without BOM) is taken as is; anything else is read as
/// Windows-1252, the encoding old EDGAR filings use (0x92 is a right single quote), which is a
/// superset of Latin-1's printable range. Line ends become `\n`.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    if let Some(at) = bytes.iter().position(|&b| is_binary_byte(b)) {
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        return Err(DecodeError::Binary { line });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Control bytes that never occur in a text filing (tab, line ends and form feed do).
fn is_binary_byte(byte: u8) -> bool {
    byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r' | 0x0c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_quotes_become_unicode() {
        assert_eq!(
            decode(b"Company\x92s \x93plan\x94\r\n").unwrap(),
            "Company\u{2019}s \u{201c}plan\u{201d}\n"
        );
    }

    #[test]
    fn bom_and_crlf_are_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b" \n\n"), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"ok\nPK\x03\x04"),
            Err(DecodeError::Binary { line: 2 })
        );
    }
}
