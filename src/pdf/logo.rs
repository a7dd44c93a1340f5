//! The logo in the PDFs' running header: one XObject a document, drawn on every page.
//!
//! A PNG becomes an image XObject (its pixels deflated, transparency as a soft mask); an SVG a
//! form XObject of its paths, so that it stays sharp at any zoom. Both are made to fill the unit
//! square, so that a page places either with the same `cm`. The bytes are made once per
//! renderer and copied into each document, so every PDF with the logo carries the same object.

use std::fmt::Write as _;

use super::writer::{self, ObjRef, PdfWriter, operation};
use crate::logo::{Logo, LogoImage, Raster, Segment, Shape};

/// The resource name pages draw the logo by.
pub const RESOURCE: &str = "Logo";

/// The logo's PDF objects, ready to write.
#[derive(Debug, Clone)]
pub struct LogoObject {
    /// Width over height, to size it on the page.
    pub aspect: f32,
    /// The XObject's dictionary entries (beyond `/Length`) and its stream.
    entries: String,
    data: Vec<u8>,
    /// The soft mask of a PNG with transparency: entries and stream.
    mask: Option<(String, Vec<u8>)>,
}

impl LogoObject {
    pub fn new(logo: &Logo) -> LogoObject {
        let aspect = if logo.height > 0.0 {
            logo.width / logo.height
        } else {
            1.0
        };
        match &logo.image {
            LogoImage::Png(raster) => image(raster, aspect),
            LogoImage::Svg(shapes) => form(shapes, logo.width, logo.height, aspect),
        }
    }

    /// Writes the objects into `pdf` and gives the XObject's reference.
    pub fn write(&self, pdf: &mut PdfWriter) -> ObjRef {
        let id = pdf.reserve();
        let mut entries = self.entries.clone();
        if let Some((mask_entries, mask)) = &self.mask {
            let mask_id = pdf.reserve();
            pdf.stream(mask_id, mask_entries, mask);
            let _ = write!(entries, " /SMask {mask_id}");
        }
        pdf.stream(id, &entries, &self.data);
        id
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    writer::deflate(data, flate2::Compression::best())
}

fn image(raster: &Raster, aspect: f32) -> LogoObject {
    let image_entries = |space: &str| {
        format!(
            "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /{space} \
             /BitsPerComponent 8 /Filter /FlateDecode",
            raster.width, raster.height
        )
    };
    LogoObject {
        aspect,
        entries: image_entries(if raster.grey {
            "DeviceGray"
        } else {
            "DeviceRGB"
        }),
        data: deflate(&raster.pixels),
        mask: raster
            .alpha
            .as_ref()
            .map(|alpha| (image_entries("DeviceGray"), deflate(alpha))),
    }
}

/// The SVG's paths in a form whose content first maps the SVG's box (y downwards) onto the
/// unit square (y upwards).
fn form(shapes: &[Shape], width: f32, height: f32, aspect: f32) -> LogoObject {
    let mut out = Vec::new();
    let (sx, sy) = (
        1.0 / width.max(f32::MIN_POSITIVE),
        1.0 / height.max(f32::MIN_POSITIVE),
    );
    operation(&mut out, &[sx, 0.0, 0.0, -sy, 0.0, 1.0], "cm");
    for shape in shapes {
        path(&mut out, shape);
    }
    LogoObject {
        aspect,
        entries: "/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources <<>> \
                  /Filter /FlateDecode"
            .to_string(),
        data: deflate(&out),
        mask: None,
    }
}

fn path(out: &mut Vec<u8>, shape: &Shape) {
    out.extend_from_slice(b"q\n");
    operation(out, &shape.transform, "cm");
    if let Some(fill) = shape.fill {
        colour(out, fill.colour, "rg");
    }
    if let Some(stroke) = shape.stroke {
        colour(out, stroke.colour, "RG");
        operation(out, &[stroke.width], "w");
        operation(out, &[f32::from(stroke.cap)], "J");
        operation(out, &[f32::from(stroke.join)], "j");
        operation(out, &[stroke.miter_limit.max(1.0)], "M");
    }
    for segment in &shape.segments {
        match segment {
            Segment::Move(x, y) => operation(out, &[*x, *y], "m"),
            Segment::Line(x, y) => operation(out, &[*x, *y], "l"),
            Segment::Cubic(points) => operation(out, points, "c"),
            Segment::Close => out.extend_from_slice(b"h\n"),
        }
    }
    let even_odd = shape.fill.is_some_and(|fill| fill.even_odd);
    let paint = match (shape.fill.is_some(), shape.stroke.is_some(), even_odd) {
        (true, true, false) => "B",
        (true, true, true) => "B*",
        (true, false, false) => "f",
        (true, false, true) => "f*",
        (false, true, _) => "S",
        (false, false, _) => "n",
    };
    out.extend_from_slice(paint.as_bytes());
    out.extend_from_slice(b"\nQ\n");
}

fn colour(out: &mut Vec<u8>, rgb: crate::logo::Rgb, operator: &str) {
    let channel = |value: u8| f32::from(value) / 255.0;
    operation(
        out,
        &[channel(rgb.0), channel(rgb.1), channel(rgb.2)],
        operator,
    );
}
