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
//! with it, in parallel if you like; the site build (`crate::site`) does exactly that.

mod document;
mod fonts;
mod graphics;
mod layout;
mod logo;
pub mod markdown;
pub mod release;
mod sfnt;
mod subset;
pub mod summary;
mod writer;

use std::collections::BTreeMap;

use crate::config::{PageSize, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::ledger::Ledger;
use crate::model::{Quarter, Release};
use crate::theme::Theme;

use fonts::FontSet;
use layout::{Colour, Page, Style, Typesetter};
use subset::{FontCache, Glyphs};

pub use summary::{ChartPoint, quarterly_series};

/// The characters every document's font subsets share: printable ASCII and the punctuation
/// the layout and the templates set. A document drawing only these embeds the same subset
/// objects as every other (made once per build); one drawing others (`Ł`, `ő`, `é`) gets a
/// subset of its own. A fixed set rather than the site's own keeps each PDF's bytes a matter
/// of its own content, so an incremental build that remakes one PDF gives the clean build's
/// bytes.
const SHARED_CHARACTERS: &str = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ\
                                 [\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u{a0}\u{b7}\u{2013}\u{2014}\
                                 \u{2018}\u{2019}\u{201c}\u{201d}\u{2022}\u{2026}\u{2212}";

/// Template names, under the theme's `templates/`.
pub const SUMMARY_TEMPLATE: &str = "pdf/quarterly-summary.md";
pub const RELEASE_TEMPLATE: &str = "pdf/release.md";

/// Fonts, templates, font subsets and page style, made once and shared by every document.
pub struct PdfRenderer {
    fonts: FontSet,
    subsets: FontCache,
    tera: tera::Tera,
    /// Template name → where it came from, for error messages.
    origins: BTreeMap<String, String>,
    style: Style,
    config: SiteConfig,
    /// `brand.logo`, drawn in every page's header.
    logo: Option<logo::LogoObject>,
}

impl PdfRenderer {
    pub fn new(config: &SiteConfig, theme: &Theme) -> Result<PdfRenderer, Diagnostic> {
        let fonts = FontSet::load(theme, &config.brand.font)?;
        let templates = theme.templates("pdf/").map_err(|err| {
            Diagnostic::general(format!("PDFs: cannot read the theme's templates: {err}"))
        })?;
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(markdown::escape);
        tera.autoescape_on([".md"]);
        let mut origins = BTreeMap::new();
        for (name, file) in &templates {
            let text = file
                .text()
                .map_err(|message| template_error(&file.origin, message))?;
            tera.add_raw_template(name, text).map_err(|err| {
                template_error(
                    &file.origin,
                    crate::diagnostics::template_error(&err, &templates),
                )
            })?;
            origins.insert(name.clone(), file.origin.clone());
        }
        let logo = crate::logo::Logo::load(config, theme, &theme.site_root().join("site.yaml"))?
            .map(|logo| logo::LogoObject::new(&logo));
        let mut subsets = FontCache::default();
        subsets.share(&fonts, &Glyphs::in_every_face(SHARED_CHARACTERS));
        Ok(PdfRenderer {
            fonts,
            subsets,
            tera,
            origins,
            style: style(config),
            config: config.clone(),
            logo,
        })
    }

    /// The quarterly summary of `quarter`, built from every release it draws on.
    pub fn quarterly_summary(
        &self,
        quarter: Quarter,
        releases: &[Release],
    ) -> Result<Vec<u8>, Diagnostic> {
        let ledger = Ledger::build(releases, &self.config);
        let calendar = self.config.fiscal_calendar();
        let drawn: Vec<&Release> = releases
            .iter()
            .filter(|release| summary::draws_on(release, quarter, calendar).is_some())
            .collect();
        self.quarterly_summary_from(quarter, &drawn, &ledger)
    }

    /// [`PdfRenderer::quarterly_summary`] with the ledger of all the releases already built,
    /// as a site build has it, from the releases [`summary::draws_on`] chooses.
    pub fn quarterly_summary_from(
        &self,
        quarter: Quarter,
        releases: &[&Release],
        ledger: &Ledger,
    ) -> Result<Vec<u8>, Diagnostic> {
        let context = summary::SummaryContext::new(quarter, releases, ledger, &self.config)
            .ok_or_else(|| no_results(quarter))?;
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
    pub fn release(&self, release: &Release) -> Result<Vec<u8>, Diagnostic> {
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
    ) -> Result<Vec<u8>, Diagnostic> {
        let pages = self.pages(template, context, header)?;
        Ok(document::render(
            &pages,
            &self.fonts,
            &self.subsets,
            &self.style,
            metadata,
            self.logo.as_ref(),
        ))
    }

    /// The laid-out pages of a document, headers and footers stamped.
    fn pages<C: serde::Serialize>(
        &self,
        template: &str,
        context: &C,
        header: &str,
    ) -> Result<Vec<Page>, Diagnostic> {
        let origin = self
            .origins
            .get(template)
            .cloned()
            .unwrap_or_else(|| format!("templates/{template}"));
        let markdown = self.markdown(template, context, &origin)?;
        let blocks = markdown::parse(&markdown).map_err(|err| {
            template_error(
                &origin,
                format!(
                    "line {} of the Markdown it renders: {}",
                    err.line, err.message
                ),
            )
        })?;
        let mut typesetter = Typesetter::new(&self.fonts, &self.style, &graphics::Graphics);
        for block in &blocks {
            typesetter.block(block);
        }
        let mut pages = layout::paginate(&typesetter.flow, &self.style);
        let website = summary::CompanyContext::new(&self.config).website;
        let footer = format!("{} \u{00b7} {website}", self.config.company.ticker);
        let logo = self.logo.as_ref().map(|logo| logo.aspect);
        layout::stamp(&mut pages, header, &footer, &self.fonts, &self.style, logo);
        Ok(pages)
    }

    /// The Markdown a template renders for `context`.
    fn markdown<C: serde::Serialize>(
        &self,
        template: &str,
        context: &C,
        origin: &str,
    ) -> Result<String, Diagnostic> {
        if !self.tera.contains_template(template) {
            return Err(template_error(
                origin,
                "is missing; restore it from the default theme (hemasite's templates/pdf/)".into(),
            ));
        }
        let render_error = |err: tera::Error| {
            template_error(
                origin,
                crate::diagnostics::template_error(&err, &self.origins),
            )
        };
        let context = tera::Context::from_serialize(context).map_err(render_error)?;
        self.tera.render(template, &context).map_err(render_error)
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

/// The quarter a release reports results for (`financials.fiscal_period`), if it has figures.
pub fn fiscal_quarter(release: &Release) -> Result<Option<Quarter>, Diagnostic> {
    let Some(financials) = &release.front.financials else {
        return Ok(None);
    };
    Quarter::parse(&financials.fiscal_period)
        .map(Some)
        .ok_or_else(|| {
            Diagnostic::error(
                &release.path,
                release.lines.key("financials.fiscal_period"),
                format!(
                    "PDFs: financials.fiscal_period `{}` is not a quarter such as `2003-Q3`",
                    financials.fiscal_period
                ),
            )
        })
}

/// A PDF template (or the Markdown it renders) at fault: `origin` is where it was read from.
fn template_error(origin: &str, message: String) -> Diagnostic {
    Diagnostic::error(std::path::Path::new(origin), 0, format!("PDFs: {message}"))
}

/// The quarterly summary of a quarter no release reports results for.
fn no_results(quarter: Quarter) -> Diagnostic {
    Diagnostic::general(format!(
        "PDFs: no release has `financials.fiscal_period: {quarter}`, so there is no quarterly \
         summary for it; add or fix the results release's front matter"
    ))
}
