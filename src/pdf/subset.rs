//! Embedded font subsets, made once per build and written into every PDF as the same bytes.
//!
//! Subsetting a face and deflating the subset was most of the time a PDF took, and every
//! document repeated it for nearly the same glyphs. A [`FontCache`] makes each subset once: the
//! *shared* subset of a face holds a fixed set of characters (`SHARED_CHARACTERS` in
//! `pdf/mod.rs`), so every document whose characters it covers copies its objects verbatim; a
//! document that draws others gets a subset of its own, kept for the next document with the
//! same characters. Which subset a document gets depends only on its own characters, never on
//! what was rendered before, so output stays byte-identical from one build to the next.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::fonts::{Face, FontSet, LoadedFont};
use super::writer::{self, ObjRef, PdfWriter};

/// The characters documents draw, by face: what a shared subset must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glyphs(pub(super) BTreeMap<Face, BTreeSet<char>>);

impl Glyphs {
    /// `chars` in every face.
    pub fn in_every_face(chars: &str) -> Glyphs {
        let chars: BTreeSet<char> = chars.chars().collect();
        Glyphs(
            [Face::Regular, Face::Bold]
                .map(|face| (face, chars.clone()))
                .into(),
        )
    }
}

/// How many one-off subsets are kept for later documents: enough for a build's few unusual
/// documents, bounded so that a build of many unusual documents does not hold them all.
const KEPT_SUBSETS: usize = 64;

/// One face's subset: its font objects, ready-made, and the codes its glyphs are drawn with.
pub struct Subset {
    /// `/ABCDEF+Lato-Regular`: the tag is derived from the characters, so the same subset
    /// always has the same name.
    base_font: String,
    /// Resource name pages select the font by (`/Lato-Regular-ABCDEF`).
    pub resource: String,
    /// Identity-H code (the subset's glyph id) of each character, indexed by code point; 0,
    /// `.notdef`, for characters the subset lacks.
    codes: Vec<u16>,
    /// The `/W` array: glyph widths in thousandths of an em.
    widths: String,
    /// The font descriptor's entries but `/FontFile2`.
    descriptor: String,
    /// The subset font program, deflated, and its length before.
    program: Vec<u8>,
    program_length: usize,
    /// The `/ToUnicode` CMap, deflated, so that text can be copied and searched.
    to_unicode: Vec<u8>,
}

impl Subset {
    /// The subset of `font` with the glyphs of `chars`; `None` when the font cannot be subset.
    fn make(face: Face, font: &LoadedFont, chars: &BTreeSet<char>) -> Option<Subset> {
        let parsed = &font.parsed;
        // Where characters share a glyph (space and no-break space), copying the text gives
        // the first: a plain space rather than U+00A0.
        let mut glyphs: BTreeMap<u16, String> = BTreeMap::new();
        for &c in chars {
            if let Some(gid) = parsed.lookup_glyph_index(c as u32) {
                glyphs.entry(gid).or_insert_with(|| c.to_string());
            }
        }
        let subset = printpdf::subset_font(parsed, &glyphs).ok()?;
        let program = super::sfnt::trimmed(&subset.bytes).unwrap_or(subset.bytes);
        let name = parsed
            .font_name
            .clone()
            .unwrap_or_else(|| format!("{face:?}"));
        let tag = tag(face, chars);
        let mut codes = vec![0; chars.last().map_or(0, |&c| c as usize + 1)];
        for &c in chars {
            if let Some(gid) = parsed.lookup_glyph_index(c as u32)
                && let Some((code, _)) = subset.glyph_mapping.get(&gid)
            {
                codes[c as usize] = *code;
            }
        }
        // Code → (original glyph, text), ascending, as /W runs and the CMap need.
        let coded: BTreeMap<u16, (u16, &str)> = subset
            .glyph_mapping
            .iter()
            .map(|(gid, (code, text))| (*code, (*gid, text.as_str())))
            .collect();
        let resource = format!("{name}-{tag}");
        let cmap = printpdf::ToUnicodeCMap {
            mappings: coded
                .iter()
                .map(|(code, (_, text))| (u32::from(*code), text.chars().map(u32::from).collect()))
                .collect(),
        }
        .to_cmap_string(&resource);
        Some(Subset {
            base_font: format!("/{tag}+{name}"),
            resource,
            codes,
            widths: widths(font, &coded),
            descriptor: descriptor(font),
            program_length: program.len(),
            // Made once per build, so the best compression is worth its time.
            program: writer::deflate(&program, flate2::Compression::best()),
            to_unicode: writer::deflate(cmap.as_bytes(), flate2::Compression::best()),
        })
    }

    /// About how many bytes the subset's objects take in a file.
    pub fn size(&self) -> usize {
        self.program.len() + self.to_unicode.len() + self.widths.len() + 512
    }

    /// Appends the characters of a text as a string of two-byte Identity-H codes.
    ///
    /// A literal (binary) string takes half the bytes of a hex one before compression and
    /// compresses better; only the delimiters, the backslash and carriage return (which a
    /// reader would turn into a line feed) are escaped.
    pub fn encode(&self, text: impl Iterator<Item = char>, out: &mut Vec<u8>) {
        out.push(b'(');
        for c in text {
            let code = self.codes.get(c as usize).copied().unwrap_or(0);
            for byte in code.to_be_bytes() {
                match byte {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(byte),
                }
            }
        }
        out.push(b')');
    }

    /// Writes the font's objects (Type 0 font, CID font, descriptor, program, CMap) as
    /// object `font` and four new ones.
    pub fn write(&self, pdf: &mut PdfWriter, font: ObjRef) {
        let [cid_font, descriptor, program, to_unicode] = [(); 4].map(|()| pdf.reserve());
        let base = &self.base_font;
        pdf.object(
            font,
            &format!(
                "<</Type /Font /Subtype /Type0 /BaseFont {base} /Encoding /Identity-H \
                 /DescendantFonts [{cid_font}] /ToUnicode {to_unicode}>>"
            ),
        );
        pdf.object(
            cid_font,
            &format!(
                "<</Type /Font /Subtype /CIDFontType2 /BaseFont {base} /CIDSystemInfo \
                 <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /DW 1000 /W {} \
                 /FontDescriptor {descriptor}>>",
                self.widths
            ),
        );
        pdf.object(
            descriptor,
            &format!(
                "<</Type /FontDescriptor /FontName {base} {} /FontFile2 {program}>>",
                self.descriptor
            ),
        );
        pdf.stream(
            program,
            &format!("/Filter /FlateDecode /Length1 {}", self.program_length),
            &self.program,
        );
        pdf.stream(to_unicode, "/Filter /FlateDecode", &self.to_unicode);
    }
}

/// Six capital letters derived from the face and the characters: the same subset gets the
/// same tag, a different one (almost surely) another.
fn tag(face: Face, chars: &BTreeSet<char>) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("{face:?}"));
    hash.update(chars.iter().collect::<String>());
    hash.finalize()
        .iter()
        .take(6)
        .map(|byte| char::from(b'A' + byte % 26))
        .collect()
}

/// The `/W` array for glyphs by code: runs of consecutive codes share one entry.
fn widths(font: &LoadedFont, coded: &BTreeMap<u16, (u16, &str)>) -> String {
    let scale = 1000.0 / f32::from(font.parsed.pdf_font_metrics.units_per_em.max(1));
    let mut out = String::from("[");
    let mut next = None;
    for (&code, &(gid, _)) in coded {
        if next != Some(code) {
            if next.is_some() {
                out.push(']');
            }
            let _ = write!(out, "{code} [");
        } else {
            out.push(' ');
        }
        // Truncated, as printpdf wrote them.
        let width = (f32::from(font.parsed.get_horizontal_advance(gid)) * scale) as i64;
        let _ = write!(out, "{width}");
        next = code.checked_add(1);
    }
    if next.is_some() {
        out.push(']');
    }
    out.push(']');
    out
}

/// The font descriptor's metrics in thousandths of an em, computed as printpdf does.
fn descriptor(font: &LoadedFont) -> String {
    let parsed = &font.parsed;
    let m = &parsed.pdf_font_metrics;
    let scale = 1000.0 / f32::from(m.units_per_em.max(1));
    let scaled = |v: f32| (v * scale).round() as i64;
    let ascent = scaled(parsed.font_metrics.ascent.trunc());
    let descent = scaled(parsed.font_metrics.descent.trunc());
    let cap_height = parsed.font_metrics.cap_height.map_or(ascent, scaled);
    let italic_angle = if m.caret_slope_rise == 0 {
        0
    } else {
        (-f32::from(m.caret_slope_run)
            .atan2(f32::from(m.caret_slope_rise))
            .to_degrees())
        .round() as i64
    };
    // Non-symbolic (Latin character set), italic when slanted.
    let flags = 32 | if italic_angle != 0 { 64 } else { 0 };
    // No table carries the stem width; estimated from the weight class as producers do.
    let stem_v = if m.us_weight_class == 0 {
        80
    } else {
        50 + (f32::from(m.us_weight_class) / 65.0).powi(2).round() as i64
    };
    format!(
        "/Ascent {ascent} /Descent {descent} /CapHeight {cap_height} /ItalicAngle {italic_angle} \
         /Flags {flags} /StemV {stem_v} /FontBBox [{} {} {} {}]",
        scaled(f32::from(m.x_min)),
        scaled(f32::from(m.y_min)),
        scaled(f32::from(m.x_max)),
        scaled(f32::from(m.y_max)),
    )
}

/// Documents' own subsets, by face and characters.
type OwnSubsets = HashMap<(Face, BTreeSet<char>), Arc<Subset>>;

/// Every subset a build has made: the shared one of each face and the documents' own.
#[derive(Default)]
pub struct FontCache {
    shared: BTreeMap<Face, (BTreeSet<char>, Arc<Subset>)>,
    own: Mutex<OwnSubsets>,
}

impl FontCache {
    /// Makes the shared subset of each face, of the characters `glyphs` gives it.
    pub fn share(&mut self, fonts: &FontSet, glyphs: &Glyphs) {
        self.shared = glyphs
            .0
            .iter()
            .filter_map(|(&face, chars)| {
                let subset = Subset::make(face, fonts.face(face), chars)?;
                Some((face, (chars.clone(), Arc::new(subset))))
            })
            .collect();
    }

    /// The subset a document drawing `chars` in `face` embeds: the shared one if it has them
    /// all, else one with exactly `chars`.
    pub fn subset(
        &self,
        fonts: &FontSet,
        face: Face,
        chars: &BTreeSet<char>,
    ) -> Option<Arc<Subset>> {
        if let Some((shared, subset)) = self.shared.get(&face)
            && chars.is_subset(shared)
        {
            return Some(Arc::clone(subset));
        }
        let key = (face, chars.clone());
        if let Some(subset) = self.lock().get(&key) {
            return Some(Arc::clone(subset));
        }
        let subset = Arc::new(Subset::make(face, fonts.face(face), chars)?);
        let mut own = self.lock();
        if own.len() < KEPT_SUBSETS {
            own.insert(key, Arc::clone(&subset));
        }
        Some(subset)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, OwnSubsets> {
        // A panic while holding the lock leaves a usable map: entries are inserted whole.
        self.own
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
