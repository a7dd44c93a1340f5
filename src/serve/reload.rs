//! Live reload: what the browser is told after each build, and what is added to HTML on its way
//! to the browser.
//!
//! Every build, good or failed, gets a new *version*. A page is served with the version it shows
//! (in the small script [`inject`] adds before `</body>`), and the script listens to
//! [`EVENTS_PATH`] with an `EventSource`. The stream first names the current version, then every
//! new one; the script reloads only when the version differs from its own. That comparison is
//! what keeps a reconnecting `EventSource` (after a network hiccup, or a restart of `serve`) from
//! reloading in a loop: a page that is up to date never reloads, however often it reconnects.
//!
//! Nothing here touches the files on disk: the built output stays byte-identical to what
//! `hemasite build` writes, and only the copy sent to the browser carries the script (and, when
//! the last build failed, the error overlay).

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, RwLock};

use crate::diagnostics::Diagnostic;
use crate::site::xml_escape;

/// The path of the event stream. `__hemasite` cannot clash with a page: the site's own paths
/// are release slugs and fixed section names.
pub const EVENTS_PATH: &str = "/__hemasite/events";

/// What the last build left for the browser to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildState {
    /// Changes with every build; pages showing another version reload.
    pub version: String,
    /// The error of the last build, if it failed.
    pub error: Option<Diagnostic>,
    /// Whether this `serve` session has built the site successfully at least once: the output
    /// folder may hold an older session's files, built for another port, which must not be shown
    /// as "the last good page".
    pub has_good_build: bool,
}

/// Holds the current [`BuildState`] and tells every open event stream when it changes.
#[derive(Debug)]
pub struct Reloader {
    /// Distinguishes this `serve` session from an earlier one, so that a tab still open from a
    /// previous session reloads once when it reconnects to this one.
    session: String,
    generation: Mutex<u64>,
    state: RwLock<BuildState>,
    listeners: Mutex<Vec<Sender<String>>>,
}

impl Reloader {
    /// `session` must differ between runs of `serve` (the caller uses the process id and start
    /// time); it only ever reaches the browser, never the built files.
    pub fn new(session: String) -> Reloader {
        let state = BuildState {
            version: format!("{session}-0"),
            error: None,
            has_good_build: false,
        };
        Reloader {
            session,
            generation: Mutex::new(0),
            state: RwLock::new(state),
            listeners: Mutex::new(Vec::new()),
        }
    }

    pub fn state(&self) -> BuildState {
        match self.state.read() {
            Ok(state) => state.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Records the outcome of a build (`None`: it worked) under a new version and tells every
    /// open page.
    pub fn publish(&self, error: Option<Diagnostic>) {
        let version = {
            let mut generation = self.generation.lock().unwrap_or_else(|p| p.into_inner());
            *generation += 1;
            format!("{}-{generation}", self.session)
        };
        {
            let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
            state.has_good_build |= error.is_none();
            state.error = error;
            state.version = version.clone();
        }
        let mut listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        // A listener whose page has gone away is dropped here.
        listeners.retain(|listener| listener.send(version.clone()).is_ok());
    }

    /// A new event stream: the current version, and a channel that receives every later one.
    /// The channel closes when [`close`](Self::close) is called.
    pub fn subscribe(&self) -> (String, Receiver<String>) {
        let (sender, receiver) = channel();
        let mut listeners = self.listeners.lock().unwrap_or_else(|p| p.into_inner());
        // Read under the listeners' lock: a build published in between would otherwise be missed.
        let version = self.state().version;
        listeners.push(sender);
        (version, receiver)
    }

    /// Ends every event stream (the server is stopping).
    pub fn close(&self) {
        self.listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// One Server-Sent Event, as the stream carries it.
pub fn event(name: &str, version: &str) -> String {
    format!("event: {name}\ndata: {version}\n\n")
}

/// The script every served page carries: it reloads the page when the site was built again.
fn script(version: &str) -> String {
    // `version` is made of hex digits, dashes and digits: safe inside a JS string.
    format!(
        "<script>/* hemasite serve: live reload */(function () {{\n\
         var version = \"{version}\";\n\
         var source = new EventSource(\"{EVENTS_PATH}\");\n\
         function check(event) {{ if (event.data !== version) {{ source.close(); location.reload(); }} }}\n\
         source.addEventListener(\"version\", check);\n\
         source.addEventListener(\"reload\", check);\n\
         }})();</script>\n"
    )
}

/// The id of the error overlay's element, for tests and the browser check.
pub const OVERLAY_ID: &str = "hemasite-build-error";

/// A panel over the page that says the build failed and shows the diagnostic as it was printed
/// (file and line included), escaped, and names the file to fix. Inline styles only, so that no
/// stylesheet of the site can hide or restyle it.
fn overlay(error: &Diagnostic, last_good: bool) -> String {
    let shown = if last_good {
        "The page behind this panel is from the last build that worked."
    } else {
        "There is no page to show until the site builds."
    };
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
         overflow:auto;background:rgba(24,24,27,0.72);padding:5vh 4vw;box-sizing:border-box;\
         font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;text-align:left\">\
         <div style=\"max-width:62rem;margin:0 auto;background:#fff;color:#18181b;\
         border-top:8px solid #b91c1c;border-radius:8px;padding:1.5rem 2rem;\
         box-shadow:0 12px 40px rgba(0,0,0,0.35)\">\
         <p style=\"margin:0 0 0.25rem;font-size:0.8rem;letter-spacing:0.08em;\
         text-transform:uppercase;color:#b91c1c;font-weight:700\">hemasite serve</p>\
         <h2 style=\"margin:0 0 0.75rem;font-size:1.5rem;color:#b91c1c\">The site could not be built</h2>\
         <pre style=\"margin:0 0 1rem;padding:1rem;background:#fef2f2;border:1px solid #fecaca;\
         border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere;\
         font:14px/1.5 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;color:#18181b\">{}</pre>\
         <p style=\"margin:0;color:#3f3f46\">Fix {} and save it: this page \
         reloads by itself when the site builds again. {shown}</p></div></div>\n",
        xml_escape(error.to_string().trim_end()),
        fix_what(error),
    )
}

/// What the overlay asks to fix: the file, when the diagnostic names one.
fn fix_what(error: &Diagnostic) -> String {
    match error.path.as_os_str().is_empty() {
        true => "the file named above".into(),
        false => format!("<code>{}</code>", xml_escape(&error.location())),
    }
}

/// Adds the live-reload script, and the error overlay when the last build failed, to an HTML
/// page on its way to the browser: just before the last `</body>`, or at the end when there is
/// none.
pub fn inject(html: &str, state: &BuildState) -> String {
    let mut addition = String::new();
    if let Some(error) = &state.error {
        addition.push_str(&overlay(error, state.has_good_build));
    }
    addition.push_str(&script(&state.version));
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + addition.len());
    out.push_str(&html[..at]);
    out.push_str(&addition);
    out.push_str(&html[at..]);
    out
}

/// The page shown for every HTML request when the site has not built once in this session: the
/// error alone.
pub fn error_page(state: &BuildState) -> String {
    inject(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Build failed | hemasite serve</title>\n</head>\n<body>\n</body>\n</html>\n",
        state,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(error: Option<&str>) -> BuildState {
        BuildState {
            version: "abc-2".into(),
            error: error.map(Diagnostic::general),
            has_good_build: true,
        }
    }

    #[test]
    fn the_script_goes_just_before_the_closing_body_tag() {
        let page = inject("<html><body><p>x</p></BODY></html>", &state(None));
        let script_at = page.find("<script>").unwrap();
        assert!(page[..script_at].ends_with("<p>x</p>"), "{page}");
        assert!(page.ends_with("</BODY></html>"), "{page}");
        assert!(page.contains("var version = \"abc-2\""), "{page}");
    }

    #[test]
    fn a_page_without_a_body_tag_gets_the_script_at_the_end() {
        let page = inject("<p>fragment</p>", &state(None));
        assert!(page.starts_with("<p>fragment</p><script>"), "{page}");
    }

    #[test]
    fn the_error_is_shown_escaped_and_only_when_there_is_one() {
        assert!(!inject("<body></body>", &state(None)).contains(OVERLAY_ID));
        let page = inject(
            "<body></body>",
            &state(Some("templates/release.html:3: <b>oops</b> & \"more\"")),
        );
        assert!(page.contains(OVERLAY_ID));
        assert!(
            page.contains(
                "templates/release.html:3: &lt;b&gt;oops&lt;/b&gt; &amp; &quot;more&quot;"
            )
        );
        assert!(!page.contains("<b>oops"));
    }

    #[test]
    fn every_listener_hears_each_new_version_once() {
        let reloader = Reloader::new("s".into());
        let (first, events) = reloader.subscribe();
        assert_eq!(first, "s-0");
        reloader.publish(None);
        reloader.publish(Some(Diagnostic::general("broken")));
        assert_eq!(events.try_iter().collect::<Vec<_>>(), ["s-1", "s-2"]);
        let state = reloader.state();
        assert_eq!(state.error.map(|e| e.message).as_deref(), Some("broken"));
        assert!(state.has_good_build, "the first build worked");
        reloader.close();
        assert!(events.recv().is_err(), "closing ends the stream");
    }
}
