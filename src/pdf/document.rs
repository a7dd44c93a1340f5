//! Laid-out pages to PDF bytes, byte-identical from one build to the next.
//!
//! Every id is derived from the content: each font's subset tag and resource name from the
//! characters its subset holds, and the trailer's document id from the title and the text. The
//! creation date comes from the data (the release date), never the clock. The font objects
//! come ready-made from the build's [`FontCache`]; only the pages are written here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::fonts::{Face, FontSet, LoadedFont};
use super::layout::{Colour, Item, Page, Style};
use super::logo::{self, LogoObject};
use super::subset::{FontCache, Glyphs, Subset};
use super::writer::{self, ObjRef, PdfWriter, operation};

/// What the PDF's document information says about it.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// The date the document is about (a release date), used as creation and modification
    /// date so that rebuilding does not change the file.
    pub date: NaiveDate,
}

/// Serializes `pages` into a PDF with the faces they use embedded as subsets from `cache`.
pub fn render(
    pages: &[Page],
    fonts: &FontSet,
    cache: &FontCache,
    style: &Style,
    metadata: &Metadata,
    logo: Option<&LogoObject>,
) -> Vec<u8> {
    let subsets: BTreeMap<Face, Arc<Subset>> = glyphs(pages, fonts)
        .0
        .iter()
        .filter_map(|(&face, chars)| Some((face, cache.subset(fonts, face, chars)?)))
        .collect();
    let mut pdf = PdfWriter::new(subsets.values().map(|s| s.size()).sum::<usize>() + 16_384);
    let [catalog, page_tree, resources, info] = [(); 4].map(|()| pdf.reserve());
    let font_refs: Vec<(&Subset, ObjRef)> = subsets
        .values()
        .map(|subset| (subset.as_ref(), pdf.reserve()))
        .collect();
    let mut kids = String::new();
    for page in pages {
        let (page_ref, contents) = (pdf.reserve(), pdf.reserve());
        let _ = write!(kids, "{page_ref} ");
        let content = content_stream(page, &subsets, fonts, style);
        // Fast deflate: content streams are small and made for every document, and the
        // best level would save a few bytes for several times the time.
        pdf.stream(
            contents,
            "/Filter /FlateDecode",
            &writer::deflate(&content, flate2::Compression::fast()),
        );
        let media_box = format!("[0 0 {} {}]", style.page_width, style.page_height);
        pdf.object(
            page_ref,
            &format!(
                "<</Type /Page /Parent {page_tree} /MediaBox {media_box} /Resources {resources} \
                 /Contents {contents}>>"
            ),
        );
    }
    pdf.object(
        page_tree,
        &format!(
            "<</Type /Pages /Count {} /Kids [{}]>>",
            pages.len(),
            kids.trim_end()
        ),
    );
    let mut font_dict = String::new();
    for (subset, font) in &font_refs {
        let _ = write!(font_dict, "/{} {font} ", subset.resource);
        subset.write(&mut pdf, *font);
    }
    // The logo's object only when a page draws it.
    let drawn = pages
        .iter()
        .flat_map(|page| &page.items)
        .any(|item| matches!(item, Item::Logo { .. }));
    let xobjects = match logo.filter(|_| drawn) {
        Some(logo) => format!(" /XObject <</{} {}>>", logo::RESOURCE, logo.write(&mut pdf)),
        None => String::new(),
    };
    pdf.object(
        resources,
        &format!("<</Font <<{}>>{xobjects}>>", font_dict.trim_end()),
    );
    pdf.object(
        catalog,
        &format!("<</Type /Catalog /Pages {page_tree} /PageLayout /OneColumn>>"),
    );
    pdf.object(info, &info_dictionary(metadata));
    pdf.finish(catalog, info, &document_id(metadata, pages))
}

/// The document information dictionary; dates are the data's, never the clock's.
fn info_dictionary(metadata: &Metadata) -> String {
    let date = format!("(D:{}000000+00'00')", metadata.date.format("%Y%m%d"));
    format!(
        "<</Title {} /Author {} /Subject {} /Keywords {} /Creator {} /Producer {} \
         /CreationDate {date} /ModDate {date}>>",
        writer::text_string(&metadata.title),
        writer::text_string(&metadata.author),
        writer::text_string(&metadata.subject),
        writer::text_string(&metadata.keywords.join(",")),
        writer::text_string("hemasite"),
        writer::text_string("hemasite"),
    )
}

/// The characters `text` is drawn with in `font`: a character the font has no glyph for is
/// replaced with a close equivalent it has, so that no `.notdef` box is drawn where a reader
/// expects a dash or a quote.
fn drawn<'a>(text: &'a str, font: &'a LoadedFont) -> impl Iterator<Item = char> + 'a {
    let fallback = |c: char| match c {
        '\u{2212}' | '\u{2013}' | '\u{2011}' | '\u{2010}' => Some('-'),
        '\u{2018}' | '\u{2019}' => Some('\''),
        '\u{201C}' | '\u{201D}' => Some('"'),
        '\u{00A0}' | '\u{2009}' | '\u{202F}' => Some(' '),
        _ => None,
    };
    text.chars().map(move |c| match fallback(c) {
        Some(plain) if !font.has_glyph(c) => plain,
        _ => c,
    })
}

/// The characters `pages` draw in each face.
fn glyphs(pages: &[Page], fonts: &FontSet) -> Glyphs {
    // A bit per character below U+2200 (where nearly all text is), a set for the rest: one
    // set insertion per character drawn was a tenth of a document's time.
    const COMMON: usize = 0x2200;
    let mut common: BTreeMap<Face, Vec<u64>> = BTreeMap::new();
    let mut rare: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for item in pages.iter().flat_map(|page| &page.items) {
        if let Item::Text { text, face, .. } = item {
            let bits = common.entry(*face).or_insert_with(|| vec![0; COMMON / 64]);
            for c in drawn(text, fonts.face(*face)) {
                match bits.get_mut(c as usize / 64) {
                    Some(word) => *word |= 1 << (c as usize % 64),
                    None => {
                        rare.entry(*face).or_default().insert(c);
                    }
                }
            }
        }
    }
    let mut used = Glyphs::default();
    for (face, bits) in common {
        let chars = (0..COMMON)
            .filter(|&code| bits[code / 64] & (1 << (code % 64)) != 0)
            .filter_map(|code| char::from_u32(code as u32))
            .chain(rare.remove(&face).unwrap_or_default());
        used.0.insert(face, chars.collect());
    }
    used
}

/// 32 hex digits from the title and every piece of text, in order.
fn document_id(metadata: &Metadata, pages: &[Page]) -> String {
    let mut hash = Sha256::new();
    hash.update(&metadata.title);
    hash.update(metadata.date.to_string());
    for item in pages.iter().flat_map(|page| &page.items) {
        if let Item::Text { text, .. } = item {
            hash.update(text);
            hash.update([0]);
        }
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Appends the operator setting the fill (`rg`) or stroke (`RG`) colour.
fn set_colour(out: &mut Vec<u8>, colour: Colour, operator: &str) {
    for channel in [colour.r, colour.g, colour.b] {
        writer::number(out, channel);
        out.push(b' ');
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}

/// A page's drawing operators (bytes: text strings are binary): shapes first, then all text in one text object, so text is
/// always on top.
fn content_stream(
    page: &Page,
    subsets: &BTreeMap<Face, Arc<Subset>>,
    fonts: &FontSet,
    style: &Style,
) -> Vec<u8> {
    let height = style.page_height;
    let mut out = Vec::with_capacity(page.items.len() * 40);
    for item in &page.items {
        match item {
            Item::Rect {
                x,
                y,
                width,
                height: h,
                colour,
            } => {
                set_colour(&mut out, *colour, "rg");
                operation(&mut out, &[*x, height - y - h, *width, *h], "re");
                out.extend_from_slice(b"f\n");
            }
            Item::Rule {
                x1,
                x2,
                y,
                width,
                colour,
            } => {
                set_colour(&mut out, *colour, "RG");
                operation(&mut out, &[*width], "w");
                operation(&mut out, &[*x1, height - y], "m");
                operation(&mut out, &[*x2, height - y], "l");
                out.extend_from_slice(b"S\n");
            }
            Item::Logo {
                x,
                y,
                width,
                height: h,
            } => {
                out.extend_from_slice(b"q\n");
                operation(&mut out, &[*width, 0.0, 0.0, *h, *x, height - y - h], "cm");
                let _ = writeln!(out, "/{} Do\nQ", logo::RESOURCE);
            }
            Item::Text { .. } => {}
        }
    }
    out.extend_from_slice(b"BT\n");
    let mut current: Option<(Face, f32)> = None;
    let mut current_colour: Option<Colour> = None;
    for item in &page.items {
        let Item::Text {
            x,
            baseline,
            text,
            face,
            size,
            colour,
        } = item
        else {
            continue;
        };
        let Some(subset) = subsets.get(face) else {
            continue;
        };
        if current != Some((*face, *size)) {
            let _ = write!(out, "/{} ", subset.resource);
            operation(&mut out, &[*size], "Tf");
            current = Some((*face, *size));
        }
        if current_colour != Some(*colour) {
            set_colour(&mut out, *colour, "rg");
            current_colour = Some(*colour);
        }
        operation(&mut out, &[1.0, 0.0, 0.0, 1.0, *x, height - baseline], "Tm");
        subset.encode(drawn(text, fonts.face(*face)), &mut out);
        out.extend_from_slice(b" Tj\n");
    }
    out.extend_from_slice(b"ET\n");
    out
}
