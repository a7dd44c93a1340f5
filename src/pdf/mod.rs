//! PDF quarterly summaries and a printable PDF of every release.
//!
//! Each PDF goes through the same four steps:
//!
//! 1. [`summary`] or [`release`] gathers what the document says into a context of display
//!    strings (figures formatted exactly, once);
//! 2. a tera template from the theme (`templates/pdf/quarterly-summary.md`,
//!    `templates/pdf/release.md`) renders it to Markdown, so a site can reorder or reword a
//!    document without touching Rust;
//! 3. [`markdown`] parses that Markdown into blocks, and [`layout`] sets them in the brand's font
//!    and colours and breaks them into pages, then stamps headers and footers;
//! 4. [`document`] writes the pages with printpdf, fonts embedded and subset, byte-identical
//!    from one build to the next.
//!
//! Make a [`PdfRenderer`] once (it loads the fonts and templates) and render many documents
//! with it, in parallel if you like; [`write_all`] does exactly that for a whole site.

mod document;
mod fonts;
pub mod format;
mod graphics;
mod layout;
pub mod markdown;
pub mod release;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{PageSize, SiteConfig};
use crate::model::{Quarter, Release, is_safe_slug};
use crate::theme::Theme;

use fonts::FontSet;
use layout::{Colour, Style, Typesetter};

pub use summary::{ChartPoint, quarterly_series};

/// Template names, under the theme's `templates/`.
pub const SUMMARY_TEMPLATE: &str = "pdf/quarterly-summary.md";
pub const RELEASE_TEMPLATE: &str = "pdf/release.md";

/// Why a PDF could not be made; every message names the file at fault and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error("cannot read the theme's {what}: {message}")]
    Theme { what: String, message: String },
    #[error("{origin} {message}")]
    Font { origin: String, message: String },
    #[error("{origin}: {message}")]
    Template { origin: String, message: String },
    #[error("{origin}: line {line} of the Markdown it renders: {message}")]
    Markdown {
        origin: String,
        line: usize,
        message: String,
    },
    #[error(
        "no release has `financials.fiscal_period: {quarter}`, so there is no quarterly summary \
         for it; add or fix the results release's front matter"
    )]
    NoResults { quarter: String },
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    #[error("{path}: cannot write the PDF: {message}")]
    Write { path: PathBuf, message: String },
}

/// Fonts, templates and page style, loaded once and shared by every document.
pub struct PdfRenderer {
    fonts: FontSet,
    tera: tera::Tera,
    /// Template name → where it came from, for error messages.
    origins: BTreeMap<String, String>,
    style: Style,
    config: SiteConfig,
}

impl PdfRenderer {
    pub fn new(config: &SiteConfig, theme: &Theme) -> Result<PdfRenderer, PdfError> {
        let fonts = FontSet::load(theme, &config.brand.font)?;
        let templates = theme.templates("pdf/").map_err(|err| PdfError::Theme {
            what: "templates".to_string(),
            message: err.to_string(),
        })?;
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(markdown::escape);
        tera.autoescape_on([".md"]);
        let mut origins = BTreeMap::new();
        for (name, file) in &templates {
            let text = file.text().map_err(|message| PdfError::Template {
                origin: file.origin.clone(),
                message,
            })?;
            tera.add_raw_template(name, text)
                .map_err(|err| PdfError::Template {
                    origin: file.origin.clone(),
                    message: crate::diagnostics::template_error(&err, &templates),
                })?;
            origins.insert(name.clone(), file.origin.clone());
        }
        Ok(PdfRenderer {
            fonts,
            tera,
            origins,
            style: style(config),
            config: config.clone(),
        })
    }

    /// The quarterly summary of `quarter`, built from every release it draws on.
    pub fn quarterly_summary(
        &self,
        quarter: Quarter,
        releases: &[Release],
    ) -> Result<Vec<u8>, PdfError> {
        let context =
            summary::SummaryContext::new(quarter, releases, &self.config).ok_or_else(|| {
                PdfError::NoResults {
                    quarter: quarter.to_string(),
                }
            })?;
        let company = &self.config.company.name;
        let title = format!("Quarterly Summary \u{2014} {}", quarter.long_name());
        let metadata = document::Metadata {
            title: format!("{company} \u{2014} {title}"),
            author: company.clone(),
            subject: format!(
                "Results, developments and events of {company} for the {} ({})",
                quarter
                    .long_name()
                    .to_lowercase()
                    .replacen("quarter", "quarter of", 1),
                format::quarter_short(quarter)
            ),
            keywords: vec![
                company.clone(),
                self.config.company.ticker.clone(),
                "quarterly summary".to_string(),
                format::quarter_short(quarter),
                "results".to_string(),
            ],
            date: context.date,
        };
        let header = format!("{company} \u{00b7} {title}");
        self.render(SUMMARY_TEMPLATE, &context, &header, &metadata)
    }

    /// The printable PDF of one release.
    pub fn release(&self, release: &Release) -> Result<Vec<u8>, PdfError> {
        let context = release::ReleaseContext::new(release, &self.config);
        let company = &self.config.company.name;
        let metadata = document::Metadata {
            title: release.front.title.clone(),
            author: company.clone(),
            subject: format!(
                "News release of {company}, {}",
                format::long_date(release.front.date)
            ),
            keywords: vec![
                company.clone(),
                self.config.company.ticker.clone(),
                "news release".to_string(),
                release.front.category.label().to_string(),
            ],
            date: release.front.date,
        };
        let header = format!(
            "{company} \u{00b7} News release \u{00b7} {}",
            format::long_date(release.front.date)
        );
        self.render(RELEASE_TEMPLATE, &context, &header, &metadata)
    }

    fn render<C: serde::Serialize>(
        &self,
        template: &str,
        context: &C,
        header: &str,
        metadata: &document::Metadata,
    ) -> Result<Vec<u8>, PdfError> {
        let origin = self
            .origins
            .get(template)
            .cloned()
            .unwrap_or_else(|| format!("templates/{template}"));
        let markdown = self.markdown(template, context, &origin)?;
        let blocks = markdown::parse(&markdown).map_err(|err| PdfError::Markdown {
            origin: origin.clone(),
            line: err.line,
            message: err.message,
        })?;
        let mut typesetter = Typesetter::new(&self.fonts, &self.style);
        for block in &blocks {
            typesetter.block(block);
        }
        let mut pages = layout::paginate(&typesetter.flow, &self.style);
        let website = summary::CompanyContext::new(&self.config).website;
        let footer = format!("{} \u{00b7} {website}", self.config.company.ticker);
        layout::stamp(&mut pages, header, &footer, &self.fonts, &self.style);
        Ok(document::render(&pages, &self.fonts, &self.style, metadata))
    }

    /// The Markdown a template renders for `context`.
    fn markdown<C: serde::Serialize>(
        &self,
        template: &str,
        context: &C,
        origin: &str,
    ) -> Result<String, PdfError> {
        if !self.tera.contains_template(template) {
            return Err(PdfError::Template {
                origin: origin.to_string(),
                message:
                    "is missing; restore it from the default theme (hemasite's templates/pdf/)"
                        .to_string(),
            });
        }
        let template_error = |err: tera::Error| PdfError::Template {
            origin: origin.to_string(),
            message: crate::diagnostics::template_error(&err, &self.origins),
        };
        let context = tera::Context::from_serialize(context).map_err(template_error)?;
        self.tera.render(template, &context).map_err(template_error)
    }
}

/// Page geometry and colours from `site.yaml`: `pdf.page_size`, `pdf.margin_mm`,
/// `brand.primary`, `brand.accent`. Margins are kept between 10 mm and a quarter of the page
/// width, so that the running header fits and some text always does.
fn style(config: &SiteConfig) -> Style {
    let (page_width, page_height) = match config.pdf.page_size {
        PageSize::Letter => (612.0, 792.0),
        PageSize::A4 => (595.276, 841.89),
    };
    let points_per_mm = 72.0 / 25.4;
    let margin = if config.pdf.margin_mm.is_finite() {
        config.pdf.margin_mm
    } else {
        18.0
    };
    let margin = (margin * points_per_mm).clamp(10.0 * points_per_mm, page_width / 4.0);
    let default_brand = crate::config::Brand::default();
    let colour = |hex: &str, fallback: &str| {
        Colour::from_hex(hex)
            .or_else(|| Colour::from_hex(fallback))
            .unwrap_or(Colour::grey(0.0))
    };
    Style {
        page_width,
        page_height,
        margin,
        primary: colour(&config.brand.primary, &default_brand.primary),
        accent: colour(&config.brand.accent, &default_brand.accent),
        ink: Colour::grey(0.13),
        muted: Colour::grey(0.40),
        hairline: Colour::grey(0.72),
        body_size: 9.5,
        leading: 13.0,
    }
}

/// The quarterly summary of `quarter` as PDF bytes.
pub fn quarterly_summary(
    quarter: Quarter,
    releases: &[Release],
    config: &SiteConfig,
    theme: &Theme,
) -> Result<Vec<u8>, PdfError> {
    PdfRenderer::new(config, theme)?.quarterly_summary(quarter, releases)
}

/// The printable PDF of `release` as bytes. `releases` is the whole set, for symmetry with the
/// summaries and for cross-references.
pub fn release_pdf(
    release: &Release,
    _releases: &[Release],
    config: &SiteConfig,
    theme: &Theme,
) -> Result<Vec<u8>, PdfError> {
    PdfRenderer::new(config, theme)?.release(release)
}

/// One PDF to make.
enum Job<'r> {
    Summary(Quarter),
    Release(&'r Release),
}

/// Writes every PDF of the site under `out_dir`, in parallel:
/// `reports/quarterly-summary-<year>-q<n>.pdf` for every quarter a release reports results
/// for, and `releases/<slug>.pdf` for every release. Returns the paths written, in a stable
/// order; on failure, the first error in that order.
pub fn write_all(
    releases: &[Release],
    config: &SiteConfig,
    theme: &Theme,
    out_dir: &Path,
) -> Result<Vec<PathBuf>, PdfError> {
    let renderer = PdfRenderer::new(config, theme)?;
    let mut quarters = BTreeSet::new();
    for release in releases {
        if let Some(financials) = &release.front.financials {
            let quarter =
                Quarter::parse(&financials.fiscal_period).ok_or_else(|| PdfError::Input {
                    path: release.path.clone(),
                    message: format!(
                        "financials.fiscal_period `{}` is not a quarter such as `2003-Q3`",
                        financials.fiscal_period
                    ),
                })?;
            quarters.insert(quarter);
        }
    }
    let mut jobs: Vec<Job<'_>> = quarters.into_iter().map(Job::Summary).collect();
    jobs.extend(releases.iter().map(Job::Release));
    let results: Vec<Result<PathBuf, PdfError>> = jobs
        .par_iter()
        .map(|job| {
            let (relative, bytes) = match job {
                Job::Summary(quarter) => (
                    quarter.summary_pdf_path(),
                    renderer.quarterly_summary(*quarter, releases)?,
                ),
                Job::Release(release) => {
                    if !is_safe_slug(&release.slug) {
                        return Err(PdfError::Input {
                            path: release.path.clone(),
                            message: "the file name must be `<date>-<slug>.md` with only a-z, 0-9 and `-`".to_string(),
                        });
                    }
                    (format!("releases/{}.pdf", release.slug), renderer.release(release)?)
                }
            };
            let path = out_dir.join(relative);
            write(&path, &bytes)?;
            Ok(path)
        })
        .collect();
    results.into_iter().collect()
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), PdfError> {
    let fail = |err: std::io::Error| PdfError::Write {
        path: path.to_path_buf(),
        message: err.to_string(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, bytes).map_err(fail)
}
