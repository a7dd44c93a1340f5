//! The PDF file syntax: numbered objects, streams, the cross-reference table and the trailer.
//!
//! Our documents use a handful of object kinds, so they are written straight to bytes instead
//! of being built as a generic object tree first (printpdf's and lopdf's way): that tree cost
//! more than the pages themselves, and writing directly lets the font objects a whole build
//! shares be copied in as ready-made bytes.

use std::fmt::Write as _;
use std::io::Write as _;

/// An object number; generation numbers are always 0 in a file written at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjRef(usize);

impl std::fmt::Display for ObjRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 0 R", self.0)
    }
}

/// A PDF file being written, object by object.
pub struct PdfWriter {
    out: Vec<u8>,
    /// Byte offset of each object, by number − 1; `None` until it is written.
    offsets: Vec<Option<usize>>,
}

impl PdfWriter {
    pub fn new(capacity: usize) -> PdfWriter {
        let mut out = Vec::with_capacity(capacity);
        // The binary comment tells transfer tools the file is not text.
        out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
        PdfWriter {
            out,
            offsets: Vec::new(),
        }
    }

    /// A number for an object written later, so that objects can refer to each other.
    pub fn reserve(&mut self) -> ObjRef {
        self.offsets.push(None);
        ObjRef(self.offsets.len())
    }

    /// Writes `body` (a dictionary, array or other direct object) as object `id`.
    pub fn object(&mut self, id: ObjRef, body: &str) {
        self.begin(id);
        self.out.extend_from_slice(body.as_bytes());
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// Writes a stream object; `entries` are the dictionary's other entries (a filter, say),
    /// `/Length` is added.
    pub fn stream(&mut self, id: ObjRef, entries: &str, data: &[u8]) {
        self.begin(id);
        let _ = write!(self.out, "<<{entries} /Length {}>>\nstream\n", data.len());
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    fn begin(&mut self, id: ObjRef) {
        self.offsets[id.0 - 1] = Some(self.out.len());
        let _ = writeln!(self.out, "{} 0 obj", id.0);
    }

    /// The finished file: cross-reference table and trailer added. `id` is the document id
    /// (both halves of the trailer's `/ID`).
    pub fn finish(mut self, root: ObjRef, info: ObjRef, id: &str) -> Vec<u8> {
        let xref = self.out.len();
        let _ = write!(
            self.out,
            "xref\n0 {}\n0000000000 65535 f \n",
            self.offsets.len() + 1
        );
        for offset in &self.offsets {
            // Every reserved object is written; an unwritten one would be a free entry.
            match offset {
                Some(at) => {
                    let _ = writeln!(self.out, "{at:010} 00000 n ");
                }
                None => self.out.extend_from_slice(b"0000000000 65535 f \n"),
            }
        }
        let _ = write!(
            self.out,
            "trailer\n<</Size {} /Root {root} /Info {info} /ID [({id}) ({id})]>>\n\
             startxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        );
        self.out
    }
}

/// A text string as UTF-16BE with a byte-order mark, in hex: the one encoding every reader
/// decodes for any character.
pub fn text_string(text: &str) -> String {
    let mut hex = String::with_capacity(4 + text.len() * 4 + 2);
    hex.push_str("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// A number as PDF writes it: shortest decimal that reads back as the same `f32`, never in
/// exponent notation (which PDF does not have).
pub fn number(out: &mut Vec<u8>, value: f32) {
    let _ = write!(out, "{value}");
}

/// `data` deflated at `level`, for a `/FlateDecode` stream.
pub fn deflate(data: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::with_capacity(data.len() / 2), level);
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}
/// Appends numbers separated by spaces, then `operator`.
pub(super) fn operation(out: &mut Vec<u8>, operands: &[f32], operator: &str) {
    for &value in operands {
        number(out, value);
        out.push(b' ');
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}
