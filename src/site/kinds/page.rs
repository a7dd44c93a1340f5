//! What every HTML page of the site shares: a template rendered with `site` (from the
//! templates' global context), `root` (the way up to the site root) and, for the pages the
//! sitemap lists, `canonical`; each page kind adds its own context in [`Page::fill`].

use tera::Context;

use super::inputs::{Inputs, Keyed, Made, Output, Reader};
use super::sources::Catalog;
use crate::diagnostics::Diagnostic;

/// One kind of HTML page. Every page reads `site.yaml` and the templates besides what
/// [`Page::inputs`] declares.
pub trait Page: Keyed + Sync {
    /// What the page is called in messages (`"news page"`).
    fn name(&self) -> &'static str;

    /// Where the page is written, relative to the site root (`news/2003/index.html`).
    fn path(&self, catalog: &Catalog) -> String;

    /// The template it is rendered with.
    fn template(&self) -> &str;

    /// What the page shows besides `site.yaml` and the navigation.
    fn inputs(&self) -> Inputs<'_> {
        Inputs::none()
    }

    /// Adds what the page's template needs to its context.
    fn fill(&self, reader: &Reader, context: &mut Context) -> Result<(), Diagnostic>;

    /// Whether the sitemap lists the page.
    fn in_sitemap(&self) -> bool {
        true
    }

    /// Whether the page is served at any depth (the 404 page), so that its links start from
    /// the base path rather than going up from where it is.
    fn at_any_depth(&self) -> bool {
        false
    }
}

impl<P: Page> Output for P {
    fn name(&self) -> &'static str {
        Page::name(self)
    }

    fn path(&self, catalog: &Catalog) -> String {
        Page::path(self, catalog)
    }

    fn inputs(&self) -> Inputs<'_> {
        Page::inputs(self).site().templates()
    }

    fn render(&self, reader: &Reader) -> Result<Made, Diagnostic> {
        render(self, reader).map(|html| Made::Bytes(html.into_bytes()))
    }

    fn in_sitemap(&self) -> bool {
        Page::in_sitemap(self)
    }
}

/// The page's URL relative to the site root: `news/2003/` for `news/2003/index.html`.
pub fn url(mut path: String) -> String {
    if path.ends_with("index.html") {
        path.truncate(path.len() - "index.html".len());
    }
    path
}

fn render<P: Page>(page: &P, reader: &Reader) -> Result<String, Diagnostic> {
    let config = reader.config()?;
    let path = reader.path();
    let mut context = Context::new();
    let root = if page.at_any_depth() {
        config.base_path()
    } else {
        root(path)
    };
    context.insert("root", &root);
    if page.in_sitemap() {
        context.insert("canonical", &config.absolute_url(&url(path.to_string())));
    }
    page.fill(reader, &mut context)?;
    let (engine, origins) = reader.templates()?;
    engine.render(page.template(), &context).map_err(|err| {
        Diagnostic::general(format!(
            "cannot render {path} with template `{}`: {}\nfix the template and build again",
            page.template(),
            crate::diagnostics::template_error(&err, origins)
        ))
    })
}

/// `../../` for `releases/x/index.html`: the way up to the site root, which makes links work
/// at any base path.
pub fn root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}
