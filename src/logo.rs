//! The company's logo, `brand.logo` in `site.yaml`: an SVG or PNG file under `static/`, read
//! once and checked, for the site's header (its size), the PDFs (drawn, see
//! [`crate::pdf`]) and the mail.
//!
//! A PNG is decoded to 8-bit pixels and an alpha channel (palette, grey and 16-bit images
//! included). An SVG is drawn as vector, so it is reduced (by usvg, which resolves styles, `use`,
//! transforms and shapes to paths) to [`Shape`]s: paths filled or stroked with one colour.
//! Anything a PDF cannot draw that way (text, embedded images, gradients, patterns, clipping,
//! masks, filters, transparency) is refused with an error that says what to change, rather than
//! left out of the picture.

use std::path::Path;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::line_of_key;
use crate::theme::Theme;

pub use crate::config::LOGO_KEY as KEY;

/// A logo, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    /// Its path under `static/` (`logo.svg`), which is also its URL relative to the site root.
    pub path: String,
    /// Its size in CSS pixels (an SVG's own width and height or view box, a PNG's pixels).
    pub width: f32,
    pub height: f32,
    pub image: LogoImage,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LogoImage {
    Png(Raster),
    Svg(Vec<Shape>),
}

/// A PNG's pixels: 8 bits a channel, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// `true`: one grey channel; `false`: red, green, blue.
    pub grey: bool,
    pub pixels: Vec<u8>,
    /// One byte a pixel, when the image has transparency.
    pub alpha: Option<Vec<u8>>,
}

/// One path of an SVG, in its own coordinates (y downwards, as SVG has it).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub segments: Vec<Segment>,
    /// SVG's transform for the path, `[sx, ky, kx, sy, tx, ty]` (a PDF `cm` in that order).
    pub transform: [f32; 6],
    pub fill: Option<Fill>,
    pub stroke: Option<Stroke>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Segment {
    Move(f32, f32),
    Line(f32, f32),
    Cubic([f32; 6]),
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    pub colour: Rgb,
    pub even_odd: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub colour: Rgb,
    pub width: f32,
    /// PDF's line cap and join styles: 0 butt / miter, 1 round, 2 square / bevel.
    pub cap: u8,
    pub join: u8,
    pub miter_limit: f32,
}

impl Logo {
    /// The logo `site.yaml` names, from the site's `static/` or the built-in theme's; `None`
    /// when it names none. `site_yaml` is where errors point (the line of `brand.logo`).
    pub fn load(
        config: &SiteConfig,
        theme: &Theme,
        site_yaml: &Path,
    ) -> Result<Option<Logo>, Diagnostic> {
        let Some(name) = config.brand.logo.as_deref() else {
            return Ok(None);
        };
        let error = |message: String| {
            let line = std::fs::read_to_string(site_yaml)
                .ok()
                .and_then(|text| line_of_key(&text, KEY))
                .map_or(0, |(line, _)| line);
            Diagnostic::error(site_yaml, line, format!("{KEY}: {message}"))
        };
        let file = theme
            .static_file(name)
            .map_err(|err| error(format!("cannot read static/{name}: {err}")))?;
        let file = file.ok_or_else(|| {
            error(format!(
                "there is no file `static/{name}`; put the logo there, or correct the path \
                 (it is relative to static/, e.g. `logo.svg`)"
            ))
        })?;
        Logo::from_bytes(name, &file.contents)
            .map(Some)
            .map_err(error)
    }

    /// A logo from the bytes of `static/<name>`; the error says what is wrong with them.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Logo, String> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".png") {
            let raster = png(bytes).map_err(|why| format!("`static/{name}` {why}"))?;
            Ok(Logo {
                path: name.to_string(),
                width: raster.width as f32,
                height: raster.height as f32,
                image: LogoImage::Png(raster),
            })
        } else if lower.ends_with(".svg") {
            let (width, height, shapes) =
                svg(bytes).map_err(|why| format!("`static/{name}` {why}"))?;
            Ok(Logo {
                path: name.to_string(),
                width,
                height,
                image: LogoImage::Svg(shapes),
            })
        } else {
            Err(format!(
                "`{name}` is neither an SVG nor a PNG file; name a `.svg` or `.png` file under \
                 static/"
            ))
        }
    }
}

pub use crate::config::logo_path_problem as path_problem;

fn png(bytes: &[u8]) -> Result<Raster, String> {
    let unreadable =
        |err: png::DecodingError| format!("is not a PNG image that can be read ({err})");
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // Palettes and transparency become channels, 16-bit samples 8-bit: what PDF images hold.
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(unreadable)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "is too large an image for a logo".to_string())?;
    let mut buffer = vec![0; size];
    let info = reader.next_frame(&mut buffer).map_err(unreadable)?;
    buffer.truncate(info.buffer_size());
    let (channels, grey, has_alpha) = match info.color_type {
        png::ColorType::Grayscale => (1, true, false),
        png::ColorType::GrayscaleAlpha => (2, true, true),
        png::ColorType::Rgb => (3, false, false),
        png::ColorType::Rgba => (4, false, true),
        png::ColorType::Indexed => return Err("has a palette that could not be expanded".into()),
    };
    if info.bit_depth != png::BitDepth::Eight {
        return Err("has samples of a depth that could not be made 8-bit".into());
    }
    let colour = channels - usize::from(has_alpha);
    let mut pixels = Vec::with_capacity(buffer.len());
    let mut alpha = Vec::new();
    for row in buffer.chunks(info.line_size) {
        for pixel in row.chunks_exact(channels) {
            pixels.extend_from_slice(&pixel[..colour]);
            if has_alpha {
                alpha.push(pixel[colour]);
            }
        }
    }
    Ok(Raster {
        width: info.width,
        height: info.height,
        grey,
        pixels,
        // Fully opaque is no transparency at all: the PDF is smaller without a mask.
        alpha: (has_alpha && alpha.iter().any(|&a| a != 255)).then_some(alpha),
    })
}

/// What hemasite draws of an SVG, said once for every refusal.
const SVG_SUBSET: &str = "hemasite draws logos as paths and shapes (path, rect, circle, \
     ellipse, line, polyline, polygon, in groups with transforms) filled or stroked with solid, \
     opaque colours; convert text to paths and remove the rest, or use a PNG";

fn svg(bytes: &[u8]) -> Result<(f32, f32, Vec<Shape>), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "is not UTF-8 text, so not an SVG file")?;
    // usvg (without its text feature) leaves text out silently, and an image it cannot load:
    // refuse both here instead.
    let document = usvg::roxmltree::Document::parse(text)
        .map_err(|err| format!("is not well-formed SVG ({err})"))?;
    if let Some(element) = document
        .descendants()
        .find(|node| node.is_element() && matches!(node.tag_name().name(), "text" | "image"))
    {
        let name = element.tag_name().name();
        let line = document.text_pos_at(element.range().start).row;
        let (what, article) = if name == "text" {
            ("text", "a")
        } else {
            ("an embedded image", "an")
        };
        return Err(format!(
            "has {what} ({article} <{name}> element on line {line}), which hemasite cannot draw in a \
             PDF: {SVG_SUBSET}"
        ));
    }
    let options = usvg::Options {
        // Never read another file, whatever an <image> names.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options)
        .map_err(|err| format!("is not an SVG image that can be read ({err})"))?;
    let mut shapes = Vec::new();
    group(tree.root(), &mut shapes)?;
    if shapes.is_empty() {
        return Err(format!("draws nothing: {SVG_SUBSET}"));
    }
    let size = tree.size();
    Ok((size.width(), size.height(), shapes))
}

fn group(group: &usvg::Group, shapes: &mut Vec<Shape>) -> Result<(), String> {
    let refuse = |what: &str| {
        Err(format!(
            "uses {what}, which hemasite cannot draw: {SVG_SUBSET}"
        ))
    };
    if group.clip_path().is_some() {
        return refuse("a clipping path");
    }
    if group.mask().is_some() {
        return refuse("a mask");
    }
    if !group.filters().is_empty() {
        return refuse("a filter");
    }
    if group.opacity().get() < 1.0 {
        return refuse("transparency (opacity below 1)");
    }
    for node in group.children() {
        match node {
            usvg::Node::Group(inner) => self::group(inner, shapes)?,
            usvg::Node::Path(path) if path.is_visible() => shapes.push(shape(path)?),
            usvg::Node::Path(_) => {}
            usvg::Node::Image(_) => return refuse("an embedded image"),
            usvg::Node::Text(_) => return refuse("text"),
        }
    }
    Ok(())
}

fn shape(path: &usvg::Path) -> Result<Shape, String> {
    let colour = |paint: &usvg::Paint, opacity: f32| match paint {
        usvg::Paint::Color(c) if opacity >= 1.0 => Ok(Rgb(c.red, c.green, c.blue)),
        usvg::Paint::Color(_) => Err(format!(
            "uses transparency (an opacity below 1), which hemasite cannot draw: {SVG_SUBSET}"
        )),
        _ => Err(format!(
            "uses a gradient or pattern, which hemasite cannot draw: {SVG_SUBSET}"
        )),
    };
    let fill = match path.fill() {
        Some(fill) => Some(Fill {
            colour: colour(fill.paint(), fill.opacity().get())?,
            even_odd: fill.rule() == usvg::FillRule::EvenOdd,
        }),
        None => None,
    };
    let stroke = match path.stroke() {
        Some(stroke) => Some(Stroke {
            colour: colour(stroke.paint(), stroke.opacity().get())?,
            width: stroke.width().get(),
            cap: match stroke.linecap() {
                usvg::LineCap::Butt => 0,
                usvg::LineCap::Round => 1,
                usvg::LineCap::Square => 2,
            },
            join: match stroke.linejoin() {
                usvg::LineJoin::Miter | usvg::LineJoin::MiterClip => 0,
                usvg::LineJoin::Round => 1,
                usvg::LineJoin::Bevel => 2,
            },
            miter_limit: stroke.miterlimit().get(),
        }),
        None => None,
    };
    if path
        .stroke()
        .is_some_and(|stroke| stroke.dasharray().is_some())
    {
        return Err(format!(
            "uses a dashed line, which hemasite cannot draw: {SVG_SUBSET}"
        ));
    }
    let t = path.abs_transform();
    Ok(Shape {
        segments: segments(path.data()),
        transform: [t.sx, t.ky, t.kx, t.sy, t.tx, t.ty],
        fill,
        stroke,
    })
}

/// The path's segments, quadratic curves raised to the cubic ones PDF has.
fn segments(data: &usvg::tiny_skia_path::Path) -> Vec<Segment> {
    use usvg::tiny_skia_path::PathSegment;
    let mut out = Vec::new();
    let mut at = (0.0f32, 0.0f32);
    for segment in data.segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                out.push(Segment::Move(p.x, p.y));
                at = (p.x, p.y);
            }
            PathSegment::LineTo(p) => {
                out.push(Segment::Line(p.x, p.y));
                at = (p.x, p.y);
            }
            PathSegment::QuadTo(c, p) => {
                let third = |from: f32, control: f32| from + 2.0 / 3.0 * (control - from);
                out.push(Segment::Cubic([
                    third(at.0, c.x),
                    third(at.1, c.y),
                    third(p.x, c.x),
                    third(p.y, c.y),
                    p.x,
                    p.y,
                ]));
                at = (p.x, p.y);
            }
            PathSegment::CubicTo(c1, c2, p) => {
                out.push(Segment::Cubic([c1.x, c1.y, c2.x, c2.y, p.x, p.y]));
                at = (p.x, p.y);
            }
            PathSegment::Close => out.push(Segment::Close),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_of_shapes_becomes_paths() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
            <rect x="0" y="0" width="40" height="40" rx="6" fill="#8c1c2b"/>
            <g transform="translate(50 0)"><circle cx="20" cy="20" r="10" fill="none" stroke="#1f4e79" stroke-width="3"/></g>
        </svg>"##;
        let logo = Logo::from_bytes("logo.svg", svg).unwrap();
        assert_eq!((logo.width, logo.height), (120.0, 40.0));
        let LogoImage::Svg(shapes) = &logo.image else {
            panic!("{logo:?}")
        };
        assert_eq!(shapes.len(), 2);
        assert_eq!(shapes[0].fill.unwrap().colour, Rgb(0x8c, 0x1c, 0x2b));
        assert_eq!(shapes[1].transform[4], 50.0);
        assert!(shapes[1].fill.is_none());
        assert_eq!(shapes[1].stroke.unwrap().width, 3.0);
    }

    #[test]
    fn what_cannot_be_drawn_is_refused_saying_why() {
        let cases = [
            (
                r#"<text x="0" y="10">HemaCare</text>"#,
                "has text (a <text> element on line 1)",
            ),
            (
                r#"<defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient></defs><rect width="9" height="9" fill="url(#g)"/>"#,
                "gradient",
            ),
            (
                r#"<rect width="9" height="9" fill="red" fill-opacity="0.5"/>"#,
                "transparency",
            ),
            (
                r#"<image href="/etc/passwd" width="9" height="9"/><rect width="9" height="9"/>"#,
                "has an embedded image (an <image> element",
            ),
            ("", "draws nothing"),
        ];
        for (body, why) in cases {
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">{body}</svg>"#
            );
            let err = Logo::from_bytes("logo.svg", svg.as_bytes()).unwrap_err();
            assert!(err.contains(why), "{body}: {err}");
        }
        let err = Logo::from_bytes("logo.svg", b"not svg").unwrap_err();
        assert!(err.contains("is not well-formed SVG"), "{err}");
        let err = Logo::from_bytes("logo.gif", b"GIF89a").unwrap_err();
        assert!(err.contains("neither an SVG nor a PNG"), "{err}");
    }

    #[test]
    fn a_png_is_decoded_to_pixels_and_alpha() {
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, 2, 1);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            writer
                .write_image_data(&[255, 0, 0, 255, 0, 0, 255, 128])
                .unwrap();
        }
        let logo = Logo::from_bytes("logo.png", &bytes).unwrap();
        let LogoImage::Png(raster) = &logo.image else {
            panic!("{logo:?}")
        };
        assert_eq!((raster.width, raster.height, raster.grey), (2, 1, false));
        assert_eq!(raster.pixels, [255, 0, 0, 0, 0, 255]);
        assert_eq!(raster.alpha.as_deref(), Some(&[255, 128][..]));
        let err = Logo::from_bytes("logo.png", b"\x89PNG\r\n\x1a\nbroken").unwrap_err();
        assert!(err.contains("is not a PNG image that can be read"), "{err}");
    }

    #[test]
    fn logo_paths_stay_in_static() {
        assert_eq!(path_problem("logo.svg"), None);
        assert_eq!(path_problem("brand/logo-2024.png"), None);
        for bad in [
            "../site.yaml",
            "/etc/x.png",
            "a//b.svg",
            ".hidden.svg",
            "a b.svg",
            "x\"onload.svg",
        ] {
            assert!(path_problem(bad).is_some(), "{bad}");
        }
    }
}
