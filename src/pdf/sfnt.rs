//! Trims a TrueType subset down to the tables and bytes a PDF reader draws with.
//!
//! The subsetter keeps, besides the outlines, the `name` table (copyright and licence text in
//! several encodings, a fifth of a Lato subset) and the hinting: the `fpgm`, `prep` and `cvt `
//! programs and every glyph's instructions (a quarter of Lato's outline bytes). No PDF reader
//! uses `name` (the PDF names the font itself, and ISO 32000 does not list it among the tables
//! an embedded TrueType program needs), and hinting only moves outlines onto the pixel grid of
//! a low-resolution screen, which PDF renderers (poppler, pdf.js, MuPDF, Acrobat) set aside for
//! their own anti-aliased rendering: pdftoppm draws the trimmed and the full subset to the same
//! pixels. Trimmed, a subset of every ASCII glyph is smaller than the untrimmed subset of a
//! single document's glyphs was, which is what lets every document share one.

/// Tables left out of the embedded font program.
const DROPPED: [[u8; 4]; 4] = [*b"name", *b"fpgm", *b"prep", *b"cvt "];

/// `sfnt` without names and hinting, or `None` if it is not a TrueType font this can read.
pub fn trimmed(sfnt: &[u8]) -> Option<Vec<u8>> {
    let mut tables: Vec<([u8; 4], Vec<u8>)> = tables(sfnt)?
        .into_iter()
        .filter(|(tag, _)| !DROPPED.contains(tag))
        .map(|(tag, data)| (tag, data.to_vec()))
        .collect();
    let find = |tables: &[([u8; 4], Vec<u8>)], tag: &[u8; 4]| {
        tables.iter().position(|(name, _)| name == tag)
    };
    let (head, loca, glyf) = (
        find(&tables, b"head")?,
        find(&tables, b"loca")?,
        find(&tables, b"glyf")?,
    );
    let long = u16_at(&tables[head].1, 50)? != 0;
    let (new_glyf, new_loca) = without_instructions(&tables[glyf].1, &tables[loca].1, long)?;
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    if let Some(maxp) = find(&tables, b"maxp")
        && tables[maxp].1.len() >= 28
    {
        // maxSizeOfInstructions.
        tables[maxp].1[26..28].copy_from_slice(&[0, 0]);
    }
    Some(assemble(&sfnt[..4], &tables))
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The font's tables, in directory order.
fn tables(sfnt: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    (0..usize::from(u16_at(sfnt, 4)?))
        .map(|index| {
            let record = 12 + 16 * index;
            let tag = sfnt.get(record..record + 4)?.try_into().ok()?;
            let offset = u32_at(sfnt, record + 8)? as usize;
            let length = u32_at(sfnt, record + 12)? as usize;
            Some((tag, sfnt.get(offset..offset.checked_add(length)?)?))
        })
        .collect()
}

/// Every glyph without its instructions: `glyf` and `loca` rewritten, `loca` in the format
/// it had (`long`: 32-bit offsets).
fn without_instructions(glyf: &[u8], loca: &[u8], long: bool) -> Option<(Vec<u8>, Vec<u8>)> {
    let offset = |index: usize| -> Option<usize> {
        if long {
            u32_at(loca, index * 4).map(|at| at as usize)
        } else {
            u16_at(loca, index * 2).map(|at| usize::from(at) * 2)
        }
    };
    let count = loca.len() / if long { 4 } else { 2 };
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(loca.len());
    let push_offset = |loca: &mut Vec<u8>, at: usize| -> Option<()> {
        if long {
            loca.extend_from_slice(&u32::try_from(at).ok()?.to_be_bytes());
        } else {
            loca.extend_from_slice(&u16::try_from(at / 2).ok()?.to_be_bytes());
        }
        Some(())
    };
    for index in 0..count.saturating_sub(1) {
        push_offset(&mut new_loca, new_glyf.len())?;
        let glyph = glyf.get(offset(index)?..offset(index + 1)?)?;
        if !glyph.is_empty() {
            uninstructed(glyph, &mut new_glyf)?;
            // Short offsets count words, so every glyph starts on an even byte.
            new_glyf.resize(new_glyf.len().next_multiple_of(2), 0);
        }
    }
    push_offset(&mut new_loca, new_glyf.len())?;
    Some((new_glyf, new_loca))
}

/// Appends `glyph` without its instructions.
fn uninstructed(glyph: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        // Header, end points of the contours, then the instructions' length and bytes.
        let lengths = 10 + 2 * contours as usize;
        let instructions = usize::from(u16_at(glyph, lengths)?);
        out.extend_from_slice(glyph.get(..lengths)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(lengths + 2 + instructions..)?);
        return Some(());
    }
    // A composite: component records, each with flags saying how long it is and whether
    // instructions follow the last.
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAS_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAS_X_AND_Y_SCALE: u16 = 0x0040;
    const HAS_TWO_BY_TWO: u16 = 0x0080;
    const HAS_INSTRUCTIONS: u16 = 0x0100;
    out.extend_from_slice(glyph.get(..10)?);
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        let arguments = if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        let transform = if flags & HAS_SCALE != 0 {
            2
        } else if flags & HAS_X_AND_Y_SCALE != 0 {
            4
        } else if flags & HAS_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        let end = at + 4 + arguments + transform;
        let flags_at = out.len();
        out.extend_from_slice(glyph.get(at..end)?);
        out[flags_at..flags_at + 2].copy_from_slice(&(flags & !HAS_INSTRUCTIONS).to_be_bytes());
        at = end;
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    Some(())
}

/// An sfnt of `tables` (sorted by tag, as the directory must be), with their checksums.
fn assemble(version: &[u8], tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = tables.len() as u16;
    // The binary-search fields of the table directory (OpenType spec, "Table directory").
    let power = 1u16 << (15 - count.max(1).leading_zeros());
    let mut out = Vec::with_capacity(tables.iter().map(|(_, data)| data.len() + 20).sum());
    out.extend_from_slice(version);
    for field in [
        count,
        power * 16,
        power.trailing_zeros() as u16,
        (count - power) * 16,
    ] {
        out.extend_from_slice(&field.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    out
}

/// The sum of a table's big-endian 32-bit words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, word| {
        let mut bytes = [0; 4];
        bytes[..word.len()].copy_from_slice(word);
        sum.wrapping_add(u32::from_be_bytes(bytes))
    })
}
