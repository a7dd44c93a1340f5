//! Bytes as filed to text: BOM, UTF-8, UTF-16 or Windows-1252, any line ends.
//!
//! Whether a document is text at all is asked of the part that is read ([`binary_line`]), not
//! of the whole file: a full EDGAR submission legitimately carries uuencoded graphics and ZIP
//! archives beside the press release.

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
                "the file looks binary (it holds NUL or control bytes), not a text or HTML filing; \
                 pass the EX-99.1 exhibit (.txt, .htm) or the full EDGAR submission (.txt)",
            ),
        }
    }
}

/// Decodes a filing. A byte-order mark decides first (UTF-8, UTF-16 LE or BE). Otherwise each
/// well-formed UTF-8 sequence is taken as UTF-8 and every other byte as Windows-1252, the
/// encoding old EDGAR filings use (0x92 is a right single quote): one stray byte in a UTF-8
/// file stays one character, and a Windows-1252 file decodes whole. Line ends become `\n`.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        mixed_utf8(rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        encoding_rs::UTF_16LE
            .decode_without_bom_handling(rest)
            .0
            .into_owned()
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned()
    } else {
        mixed_utf8(bytes)
    };
    if text.chars().all(char::is_whitespace) {
        return Err(DecodeError::Empty);
    }
    // Most filings have no carriage return left to fold: no copy for them.
    if !text.contains('\r') {
        return Ok(text);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn mixed_utf8(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            let (decoded, _) =
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(chunk.invalid());
            text.push_str(&decoded);
        }
    }
    text
}

/// The 1-based line (counted from `first_line`) of the first control character that never
/// occurs in a text filing, if any: such a document is binary.
pub fn binary_line(text: &str, first_line: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let at = bytes.iter().position(|&b| is_binary_byte(b))?;
    Some(first_line + bytes[..at].iter().filter(|&&b| b == b'\n').count())
}

/// Control characters other than tab, line ends and form feed (all ASCII, so a byte test on
/// UTF-8 is exact).
fn is_binary_byte(byte: u8) -> bool {
    byte < b' ' && !matches!(byte, b'\t' | b'\n' | b'\r' | 0x0c)
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
    fn one_stray_byte_in_utf8_stays_one_character() {
        assert_eq!(
            decode(b"caf\xc3\xa9 \xe2\x80\x94 \x96").unwrap(),
            "caf\u{e9} \u{2014} \u{2013}"
        );
        assert_eq!(
            decode(b"\xe2\x80\x94 and \x97").unwrap(),
            "\u{2014} and \u{2014}"
        );
    }

    #[test]
    fn utf16_with_bom_is_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Net sales\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap(), "Net sales\n");
        let mut bytes = vec![0xFE, 0xFF];
        for unit in "Q3".encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        assert_eq!(decode(&bytes).unwrap(), "Q3");
    }

    #[test]
    fn bom_and_crlf_are_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn empty_is_refused_and_binary_is_found_where_it_is() {
        assert_eq!(decode(b" \n\n"), Err(DecodeError::Empty));
        let text = decode(b"ok\nPK\x03\x04").unwrap();
        assert_eq!(binary_line(&text, 1), Some(2));
        assert_eq!(binary_line("plain\ttext\n\u{c}", 1), None);
    }
}
