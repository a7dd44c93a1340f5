//! The two faces every PDF is set in, loaded from the theme and measured for layout.
//!
//! The font files come from the theme's `static/fonts/` (the repository ships Lato under the
//! OFL), so a site restyles its PDFs by dropping in its own `<Family>-Regular.ttf` and
//! `<Family>-Bold.ttf` and naming the family in `brand.font`. Widths come from the font's own
//! `cmap` and `hmtx` tables, the same tables the PDF viewer uses, so what the layout measures is
//! what the page shows.

use printpdf::ParsedFont;

use crate::theme::Theme;

use crate::diagnostics::Diagnostic;

/// Regular for body text, bold for headings, labels and totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    fn file_suffix(self) -> &'static str {
        match self {
            Face::Regular => "Regular",
            Face::Bold => "Bold",
        }
    }
}

/// Characters below this code point have their advance precomputed: Latin, punctuation,
/// currency and the dashes and quotes typography needs.
const TABLE_SIZE: usize = 0x2200;

/// One parsed face plus a width table for fast measuring.
pub struct LoadedFont {
    pub parsed: ParsedFont,
    /// Advance of each code point below [`TABLE_SIZE`], in units of the em; `None` when the font
    /// has no glyph for it.
    advances: Vec<Option<f32>>,
}

impl LoadedFont {
    fn parse(bytes: &[u8], origin: &str) -> Result<LoadedFont, Diagnostic> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
            font_error(
                origin,
                "is not a TrueType or OpenType font that can be read; replace it with a \
                     valid .ttf file",
            )
        })?;
        let upm = f32::from(parsed.font_metrics.units_per_em.max(1));
        let advances = (0..TABLE_SIZE as u32)
            .map(|code| advance_em(&parsed, code, upm))
            .collect();
        Ok(LoadedFont { parsed, advances })
    }

    /// Advance of one character in ems; characters the font lacks measure as the font's
    /// `.notdef` box would, half an em.
    fn advance(&self, c: char) -> f32 {
        let code = c as usize;
        let advance = if code < TABLE_SIZE {
            self.advances[code]
        } else {
            let upm = f32::from(self.parsed.font_metrics.units_per_em.max(1));
            advance_em(&self.parsed, c as u32, upm)
        };
        advance.unwrap_or(0.5)
    }

    pub fn has_glyph(&self, c: char) -> bool {
        match self.advances.get(c as usize) {
            Some(advance) => advance.is_some(),
            None => self.parsed.lookup_glyph_index(c as u32).is_some(),
        }
    }
}

fn advance_em(font: &ParsedFont, code: u32, upm: f32) -> Option<f32> {
    let glyph = font.lookup_glyph_index(code)?;
    Some(f32::from(font.get_horizontal_advance(glyph)) / upm)
}

/// The regular and bold faces of the brand's family.
pub struct FontSet {
    regular: LoadedFont,
    bold: LoadedFont,
}

impl FontSet {
    /// Loads `fonts/<Family>-Regular.ttf` and `fonts/<Family>-Bold.ttf` from the theme, where
    /// `<Family>` is `brand.font` without spaces (`Source Sans 3` → `SourceSans3`).
    pub fn load(theme: &Theme, family: &str) -> Result<FontSet, Diagnostic> {
        let files = theme.static_files().map_err(|err| {
            Diagnostic::general(format!("PDFs: cannot read the theme's static files: {err}"))
        })?;
        let stem: String = family.chars().filter(|c| !c.is_whitespace()).collect();
        let load = |face: Face| -> Result<LoadedFont, Diagnostic> {
            let name = format!("fonts/{stem}-{}.ttf", face.file_suffix());
            let file = files.get(&name).ok_or_else(|| {
                font_error(
                    &format!("static/{name}"),
                    &format!(
                    "is missing: the PDFs are set in brand.font `{family}` and need its regular \
                     and bold faces as static/fonts/{stem}-Regular.ttf and \
                     static/fonts/{stem}-Bold.ttf (or set brand.font to `Lato`, which is built in)"
                    ),
                )
            })?;
            LoadedFont::parse(&file.contents, &file.origin)
        };
        Ok(FontSet {
            regular: load(Face::Regular)?,
            bold: load(Face::Bold)?,
        })
    }

    pub fn face(&self, face: Face) -> &LoadedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Width of `text` set in `face` at `size` points, in points.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let font = self.face(face);
        text.chars().map(|c| font.advance(c)).sum::<f32>() * size
    }
}

/// A font file at fault: `origin` is where it was read from (`static/fonts/Lato-Bold.ttf`).
fn font_error(origin: &str, message: &str) -> Diagnostic {
    Diagnostic::error(std::path::Path::new(origin), 0, format!("PDFs: {message}"))
}
