//! Laid-out pages to PDF bytes with printpdf, byte-identical from one build to the next.
//!
//! printpdf names fonts and the document with ids from a process-wide counter, so the same
//! document made twice would differ. Here every id is derived from the content instead: each
//! font's resource name (whose first six letters become the `ABCDEF+` subset tag) from the set
//! of characters it draws, and the trailer's document id from the title and the text. The
//! creation date comes from the data (the release date), never the clock.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};

use super::fonts::{Face, FontSet};
use super::layout::{Colour, Item, Page, Style};

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

/// Serializes `pages` into a PDF with both faces embedded and subset.
pub fn render(pages: &[Page], fonts: &FontSet, style: &Style, metadata: &Metadata) -> Vec<u8> {
    let pages = with_available_glyphs(pages, fonts);
    let font_ids = font_ids(&pages);
    let mut doc = PdfDocument::new(&metadata.title);
    let info = &mut doc.metadata.info;
    info.author = metadata.author.clone();
    info.subject = metadata.subject.clone();
    info.keywords = metadata.keywords.clone();
    info.creator = "hemasite".to_string();
    info.producer = "hemasite with printpdf".to_string();
    let timestamp = metadata
        .date
        .and_hms_opt(0, 0, 0)
        .map_or(0, |at| at.and_utc().timestamp());
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(timestamp) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
    for (face, id) in &font_ids {
        doc.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(fonts.face(*face).parsed.clone()));
    }
    doc.pages = pages
        .iter()
        .map(|page| pdf_page(page, &font_ids, style))
        .collect();

    let mut warnings = Vec::new();
    let mut lopdf = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    let id = document_id(metadata, &pages);
    if let Ok(ids) = lopdf
        .trailer
        .get_mut(b"ID")
        .and_then(|ids| ids.as_array_mut())
    {
        for part in ids.iter_mut() {
            if let Ok(bytes) = part.as_str_mut() {
                *bytes = id.as_bytes().to_vec();
            }
        }
    }
    // Deflate every stream that allows it at zlib's default level: lopdf's own `compress` uses
    // the best level, which takes several times as long (font subsets are most of the bytes)
    // for a file a few per cent smaller. (Inline, as printpdf does not export its lopdf types.)
    for object in lopdf.objects.values_mut() {
        let Ok(stream) = object.as_stream_mut() else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        if let Some(compressed) = deflate(&stream.content) {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = lopdf.save_to(&mut bytes);
    bytes
}

/// `data` deflated, if that makes it smaller.
fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).ok()?;
    let compressed = encoder.finish().ok()?;
    (compressed.len() < data.len()).then_some(compressed)
}

/// Replaces characters the font has no glyph for with close equivalents it has, so that no
/// `.notdef` box is drawn where a reader expects a dash or a quote.
fn with_available_glyphs(pages: &[Page], fonts: &FontSet) -> Vec<Page> {
    let fallback = |c: char| match c {
        '\u{2212}' | '\u{2013}' | '\u{2011}' | '\u{2010}' => Some('-'),
        '\u{2018}' | '\u{2019}' => Some('\''),
        '\u{201C}' | '\u{201D}' => Some('"'),
        '\u{00A0}' | '\u{2009}' | '\u{202F}' => Some(' '),
        _ => None,
    };
    pages
        .iter()
        .map(|page| Page {
            items: page
                .items
                .iter()
                .map(|item| match item {
                    Item::Text { text, face, .. } => {
                        let font = fonts.face(*face);
                        let text = text
                            .chars()
                            .map(|c| match fallback(c) {
                                Some(plain) if !font.has_glyph(c) => plain,
                                _ => c,
                            })
                            .collect();
                        let mut item = item.clone();
                        if let Item::Text { text: t, .. } = &mut item {
                            *t = text;
                        }
                        item
                    }
                    other => other.clone(),
                })
                .collect(),
        })
        .collect()
}

/// A resource id per face that is used, whose first six letters are a tag derived from the
/// characters drawn in it: the same text gives the same tag, a different subset another one.
fn font_ids(pages: &[Page]) -> BTreeMap<Face, FontId> {
    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for item in pages.iter().flat_map(|page| &page.items) {
        if let Item::Text { text, face, .. } = item {
            used.entry(*face).or_default().extend(text.chars());
        }
    }
    used.into_iter()
        .map(|(face, chars)| {
            let mut hash = Sha256::new();
            hash.update(format!("{face:?}"));
            hash.update(chars.into_iter().collect::<String>());
            let tag: String = hash
                .finalize()
                .iter()
                .take(6)
                .map(|byte| char::from(b'A' + byte % 26))
                .collect();
            (face, FontId(format!("{tag}{face:?}")))
        })
        .collect()
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

fn colour(colour: Colour) -> Color {
    Color::Rgb(Rgb {
        r: colour.r,
        g: colour.g,
        b: colour.b,
        icc_profile: None,
    })
}

/// Shapes first, then all text in one text section, so text is always on top.
fn pdf_page(page: &Page, font_ids: &BTreeMap<Face, FontId>, style: &Style) -> PdfPage {
    let height = style.page_height;
    let mut ops = Vec::new();
    for item in &page.items {
        match item {
            Item::Rect {
                x,
                y,
                width,
                height: h,
                colour: c,
            } => {
                ops.push(Op::SetFillColor { col: colour(*c) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(height - y - h),
                        width: Pt(*width),
                        height: Pt(*h),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Item::Rule {
                x1,
                x2,
                y,
                width,
                colour: c,
            } => {
                let point = |x: f32| LinePoint {
                    p: Point {
                        x: Pt(x),
                        y: Pt(height - y),
                    },
                    bezier: false,
                };
                ops.push(Op::SetOutlineColor { col: colour(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(*x1), point(*x2)],
                        is_closed: false,
                    },
                });
            }
            Item::Text { .. } => {}
        }
    }
    ops.push(Op::StartTextSection);
    let mut current: Option<(Face, f32)> = None;
    let mut current_colour: Option<Colour> = None;
    for item in &page.items {
        let Item::Text {
            x,
            baseline,
            text,
            face,
            size,
            colour: c,
        } = item
        else {
            continue;
        };
        if current != Some((*face, *size)) {
            if let Some(id) = font_ids.get(face) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(id.clone()),
                    size: Pt(*size),
                });
            }
            current = Some((*face, *size));
        }
        if current_colour != Some(*c) {
            ops.push(Op::SetFillColor { col: colour(*c) });
            current_colour = Some(*c);
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(*x), Pt(height - baseline)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.clone())],
        });
    }
    ops.push(Op::EndTextSection);
    let size = Rect::from_wh(Pt(style.page_width), Pt(style.page_height));
    PdfPage {
        media_box: size.clone(),
        trim_box: size.clone(),
        crop_box: size,
        ops,
    }
}
