//! Making every file of the site, in parallel.
//!
//! [`render_site`] lists every output as a [`Job`] first (so that the sitemap knows all pages
//! before any is written; each job's kind is in [`super::kinds`]), gives each the
//! [`Fingerprint`] of what its kind declares it is made from, keeps the previous build's file
//! wherever the fingerprint is unchanged, and renders the rest on rayon's thread pool. Each job
//! builds its own template context from the shared, read-only [`Catalog`], so memory stays
//! flat however many releases there are.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Tera;

use super::data::SiteData;
use super::event::EventView;
use super::fingerprint::Fingerprint;
use super::kinds::inputs::{self, Made};
use super::kinds::page;
use super::kinds::sources::{Catalog, Globals, Sources};
use super::kinds::{Job, jobs};
use super::output::{Entry, Manifest, Output};
use super::views::{SiteView, all_events};
use super::{content, custom, sitemap};
use crate::diagnostics::Diagnostic;
use crate::pdf::PdfRenderer;
use crate::progress::Progress;
use crate::theme::Theme;

/// What rendering the site did.
pub struct Rendered {
    /// Every file of the output that was kept or written. When rendering failed, the files
    /// made before the failure: with [`super::data::WriteMode::InPlace`] they are in the output.
    pub manifest: Manifest,
    pub pages: usize,
    pub pdfs: usize,
    /// The files made this time, in job order; the others were kept from the previous build.
    pub made: Vec<String>,
    pub error: Option<Diagnostic>,
}

/// What one build leaves for the next (`serve` builds again and again): the PDF renderer
/// (fonts and templates loaded) and every event of the site, each with the fingerprint of what
/// it was made from.
#[derive(Default)]
pub struct Caches {
    pdf: Option<(Fingerprint, Arc<PdfRenderer>)>,
    events: Option<(Fingerprint, Arc<Vec<EventView>>)>,
}

impl Caches {
    /// The PDF renderer, made only when some PDF has to be made.
    fn pdf(
        &mut self,
        data: &SiteData,
        fingerprint: Fingerprint,
    ) -> Result<Arc<PdfRenderer>, Diagnostic> {
        if let Some((known, renderer)) = &self.pdf
            && *known == fingerprint
        {
            return Ok(Arc::clone(renderer));
        }
        let renderer = PdfRenderer::new(&data.config, &Theme::new(&data.root)).map(Arc::new)?;
        self.pdf = Some((fingerprint, Arc::clone(&renderer)));
        Ok(renderer)
    }

    /// Every event of every release, in the order of their start.
    fn events(&mut self, data: &SiteData) -> Arc<Vec<EventView>> {
        // `today` decides which events are upcoming.
        let fingerprint = Fingerprint::of("events")
            .fingerprint(content::all(&data.meta, |release| release.events))
            .text(&data.today.to_string())
            .finish();
        match &self.events {
            Some((known, events)) if *known == fingerprint => Arc::clone(events),
            _ => {
                let events = Arc::new(all_events(data));
                self.events = Some((fingerprint, Arc::clone(&events)));
                events
            }
        }
    }
}

/// Makes every file of the site that changed since the build `output` holds, and keeps the
/// others.
pub fn render_site(
    data: &SiteData,
    output: &Output,
    caches: &mut Caches,
    progress: &dyn Progress,
) -> Result<Rendered, Diagnostic> {
    let theme = Theme::new(&data.root);
    let (engine, origins, templates) = engine(data, &theme)?;
    let catalog = Catalog::new(data, caches.events(data));
    let static_files = theme.static_files().map_err(|err| {
        Diagnostic::general(format!(
            "{}: cannot read the static files: {err}",
            data.root.join("static").display()
        ))
    })?;
    let jobs = jobs(&catalog, &static_files);
    let sitemap_entries: Vec<sitemap::SitemapEntry> = jobs
        .iter()
        .filter(|job| job.output().in_sitemap())
        .map(|job| sitemap::SitemapEntry {
            path: page::url(job.output().path(&catalog)),
            lastmod: job.lastmod,
        })
        .collect();
    let globals = Globals::new(&catalog, &theme, templates, &static_files)?;
    let mut sources = Sources {
        catalog: &catalog,
        globals: &globals,
        engine: &engine,
        origins: &origins,
        sitemap: &sitemap_entries,
        pdf: None,
    };
    check_custom_pages(&sources, &jobs)?;
    let fingerprinted = keep_unchanged(&sources, &jobs, output);
    let pending: Vec<usize> = (0..jobs.len())
        .filter(|&i| fingerprinted[i].kept.is_none())
        .collect();
    if pending.iter().any(|&i| inputs::is_pdf(jobs[i].output())) {
        sources.pdf = Some(caches.pdf(data, globals.pdf)?);
    }
    progress.start("Making pages and PDFs", pending.len());
    let made: Vec<Result<Entry, Diagnostic>> = pending
        .par_iter()
        .map(|&i| {
            let job = &fingerprinted[i];
            let entry = make(&sources, &jobs[i], &job.path, output, job.fingerprint);
            progress.advance(1);
            entry
        })
        .collect();
    progress.finish();
    let made_paths = pending
        .iter()
        .map(|&i| fingerprinted[i].path.clone())
        .collect();
    let (manifest, error) = manifest(fingerprinted, made);
    let count =
        |is: fn(&dyn inputs::Output) -> bool| jobs.iter().filter(|job| is(job.output())).count();
    Ok(Rendered {
        manifest,
        pages: count(inputs::is_page),
        pdfs: count(inputs::is_pdf),
        made: made_paths,
        error,
    })
}

/// Makes the job's file and writes it.
fn make(
    sources: &Sources,
    job: &Job,
    path: &str,
    output: &Output,
    fingerprint: Fingerprint,
) -> Result<Entry, Diagnostic> {
    match inputs::render(job.output(), path, sources)? {
        Made::Bytes(bytes) => output.write(path, &bytes, fingerprint),
        Made::CopyOf(source) => output.link_or_copy(&source, path, fingerprint),
    }
}

/// The site's own pages checked against everything else the site makes (see
/// [`custom::check`]), before anything is written.
fn check_custom_pages(sources: &Sources, jobs: &[Job]) -> Result<(), Diagnostic> {
    let data = sources.catalog.data;
    if data.pages.is_empty() {
        return Ok(());
    }
    let paths: Vec<String> = jobs
        .iter()
        .filter(|job| !job.is_own_page())
        .map(|job| job.output().path(sources.catalog))
        .collect();
    let generated = paths.iter().map(String::as_str).collect();
    let templates = sources.engine.get_template_names().collect();
    let errors = custom::check(&data.pages, &generated, &templates);
    if errors.is_empty() {
        return Ok(());
    }
    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    Err(Diagnostic::general(format!(
        "{}\nfix the pages above (in {}) and build again",
        errors.join("\n"),
        custom::FOLDER
    )))
}

/// A job's file, what it is made from, and its entry when the previous build's is kept.
struct Fingerprinted {
    path: String,
    fingerprint: Fingerprint,
    kept: Option<Entry>,
}

/// Fingerprints every job and keeps the previous build's file wherever it is unchanged.
fn keep_unchanged(sources: &Sources, jobs: &[Job], output: &Output) -> Vec<Fingerprinted> {
    jobs.par_iter()
        .map(|job| {
            let path = job.output().path(sources.catalog);
            let fingerprint = inputs::fingerprint(job.output(), &path, sources);
            let kept = output.keep(&path, fingerprint);
            Fingerprinted {
                path,
                fingerprint,
                kept,
            }
        })
        .collect()
}

/// The manifest of the files kept and made (`made` holds the results of the jobs not kept, in
/// order), and the first failure in job order, so that the same broken site always reports the
/// same.
fn manifest(
    fingerprinted: Vec<Fingerprinted>,
    made: Vec<Result<Entry, Diagnostic>>,
) -> (Manifest, Option<Diagnostic>) {
    let mut made = made.into_iter();
    let mut error = None;
    let mut files = Vec::with_capacity(fingerprinted.len());
    for job in fingerprinted {
        match job.kept.map(Ok).or_else(|| made.next()) {
            Some(Ok(entry)) => files.push((job.path, entry)),
            Some(Err(err)) => {
                error.get_or_insert(err);
            }
            None => {}
        }
    }
    (Manifest::from_entries(files), error)
}

/// Loads the site's HTML templates (top level and `partials/`; the PDF and mail templates
/// belong to their own stages) into a tera instance that escapes everything in `.html`.
/// Returns it with where each template came from (for error messages) and the fingerprint of
/// them all.
fn engine(
    data: &SiteData,
    theme: &Theme,
) -> Result<(Tera, BTreeMap<String, String>, Fingerprint), Diagnostic> {
    let templates = theme.templates("").map_err(|err| {
        Diagnostic::general(format!(
            "{}: cannot read the templates: {err}",
            data.root.join("templates").display()
        ))
    })?;
    let mut tera = Tera::new();
    let mut sources = Vec::new();
    let mut fingerprint = Fingerprint::of("html templates");
    for (name, file) in &templates {
        if !name.ends_with(".html") || name.starts_with("pdf/") || name.starts_with("email/") {
            continue;
        }
        let text = file.text().map_err(Diagnostic::general)?;
        fingerprint = fingerprint.text(name).text(text);
        sources.push((name.clone(), text.to_string(), file.origin.clone()));
    }
    tera.add_raw_templates(
        sources
            .iter()
            .map(|(name, text, _)| (name.as_str(), text.as_str())),
    )
    .map_err(|err| {
        Diagnostic::general(format!(
            "a template has an error: {}\nfix the template and build again",
            crate::diagnostics::template_error(&err, &templates)
        ))
    })?;
    tera.global_context().insert("site", &SiteView::new(data));
    let origins = sources
        .into_iter()
        .map(|(name, _, origin)| (name, origin))
        .collect();
    Ok((tera, origins, fingerprint.finish()))
}
