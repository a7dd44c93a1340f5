//! What the site makes of each release: its page (`releases/<slug>/`), its printable PDF
//! (`releases/<slug>.pdf`) and the copy of its original filing beside the page.

use tera::Context;

use super::inputs::{At, Inputs, Made, Output, Reader};
use super::page::Page;
use super::sources::Catalog;
use crate::diagnostics::Diagnostic;
use crate::model::Release;
use crate::site::views::{self, ReleaseView};
use crate::urls;

/// A release's page: its text, tables, events, and links to its neighbours.
#[derive(Hash)]
pub struct ReleasePage(pub At<Release>);

impl Page for ReleasePage {
    fn name(&self) -> &'static str {
        "release page"
    }

    fn path(&self, catalog: &Catalog) -> String {
        urls::page_file(&catalog.summary(self.0).url)
    }

    fn template(&self) -> &str {
        "release.html"
    }

    /// The page shows its neighbours' summaries, and its events' ids, which depend on other
    /// releases' events of the same day and title.
    fn inputs(&self) -> Inputs<'_> {
        Inputs::none()
            .release(self.0)
            .neighbours(self.0)
            .release_events(self.0)
    }

    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic> {
        context.insert("section", "news/");
        let (newer, older) = reader.neighbours(self.0)?;
        let view = ReleaseView::new(reader.release(self.0)?, newer, older);
        context.insert("page_title", &view.summary.title);
        // A printable PDF of the release, when the build makes PDFs.
        if reader.pdfs()? {
            context.insert("release_pdf", &urls::release_pdf(&view.summary.slug));
        }
        context.insert("release", &view);
        context.insert("events", &reader.release_events(self.0)?);
        Ok(())
    }
}

/// The printable PDF of a release.
#[derive(Hash)]
pub struct ReleasePdf(pub At<Release>);

impl Output for ReleasePdf {
    fn name(&self) -> &'static str {
        "release PDF"
    }

    fn path(&self, catalog: &Catalog) -> String {
        urls::release_pdf(&catalog.summary(self.0).slug)
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().pdf().release(self.0)
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        let release = reader.release(self.0)?;
        crate::pdf::fiscal_quarter(release)?;
        reader.pdf()?.release(release).map(Made::Bytes)
    }
}

/// The filing as the release page links to it: the raw file itself for a bare text exhibit,
/// else the release's own document cut out of its submission, sanitised when it is HTML.
/// Copied beside the release page so that every figure can be checked against the filing it
/// came from.
#[derive(Hash)]
pub struct FilingCopy(pub At<Release>);

impl Output for FilingCopy {
    fn name(&self) -> &'static str {
        "copy of a filing"
    }

    fn path(&self, catalog: &Catalog) -> String {
        catalog.meta(self.0).filing.clone()
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs::none().filing(self.0)
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        let (release, path) = reader.filing(self.0)?;
        if views::filing_is_copied_whole(release) {
            return Ok(Made::CopyOf(path));
        }
        let bytes = std::fs::read(&path).map_err(|err| {
            Diagnostic::general(format!("{}: cannot read the filing: {err}", path.display()))
        })?;
        let source = &release.front.source;
        crate::ingest::source::as_filed(&bytes, source.exhibit.as_deref(), source.filename.as_deref())
            .map(|copy| Made::Bytes(copy.bytes))
            .ok_or_else(|| {
                Diagnostic::general(format!(
                    "{}: the filing holds no document {} named in {}; run `hemasite ingest --force` to read it again",
                    path.display(),
                    source.filename.as_deref().or(source.exhibit.as_deref()).unwrap_or("?"),
                    release.path.display()
                ))
            })
    }
}
