//! `hemasite serve`: builds the site, serves it over HTTP, rebuilds it when a source changes and
//! reloads the open browser tabs.
//!
//! Three parts, each in its own submodule, around one [`site::Builder`] kept for the whole
//! session (so that it can build incrementally):
//!
//! - [`watch`]: the file-system watch on `content/`, `templates/`, `static/` and `site.yaml`,
//!   debounced so that one burst of changes is one rebuild;
//! - [`http`]: answers requests from the output folder, `<root>/.hemasite/serve/` (never
//!   `public/`, which users publish: serve builds for `http://127.0.0.1:<port>/` and must not
//!   leave localhost URLs where a deploy would pick them up);
//! - [`reload`]: tells open pages when a build finished (Server-Sent Events) and adds the reload
//!   script, and the error overlay while the last build failed, to HTML on its way out. The
//!   files on disk stay byte-identical to what `hemasite build` writes for the same URL.
//!
//! A new or changed raw filing in `content/raw/` is ingested before the rebuild, as `hemasite
//! ingest` would (a release edited by hand is kept, and the report says so).
//!
//! Serve builds with `allow_inconsistent`: a preview has to show the site while the figures are
//! being fixed, so disagreeing figures are printed (whenever they change) instead of refusing
//! the build the way `hemasite build` does.

pub mod http;
pub mod reload;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::ingest;
use crate::progress::Silent;
use crate::site::{self, BuildOptions, BuildReport, WriteMode};

use reload::Reloader;
use watch::{Burst, Changes, Fingerprints, Watch};

/// Where serve builds the site, relative to the site folder.
pub const OUTPUT: &str = ".hemasite/serve";

/// How long the rebuild waits after a report for more of the same burst.
const BURST_GAP: Duration = Duration::from_millis(60);

/// Receives every line serve prints (the command line passes one that writes to stderr).
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// What `hemasite serve` was asked to do.
#[derive(Clone)]
pub struct ServeOptions {
    /// The site folder holding `site.yaml`.
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user asks otherwise, because a preview may
    /// show releases that are not public yet.
    pub bind: IpAddr,
    /// The port; 0 lets the system choose a free one ([`Server::url`] tells which).
    pub port: u16,
    /// Print only warnings and errors (and what ingest kept).
    pub quiet: bool,
    pub log: Log,
}

impl ServeOptions {
    /// `127.0.0.1:1111`, printing to stderr.
    pub fn new(root: &Path) -> ServeOptions {
        ServeOptions {
            root: root.to_path_buf(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            quiet: false,
            log: Arc::new(to_stderr),
        }
    }
}

/// Prints a line to stderr. Unlike `eprintln!`, does not panic when stderr is gone (a closed
/// pipe, e.g. `hemasite serve | head`): serve goes on serving.
pub fn to_stderr(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// What the rebuild thread is told: a burst of changes (or the watcher's error), or to stop.
enum Message {
    Changed(Result<Burst, String>),
    Stop,
}

/// A running `serve`: the HTTP server, the watch and the rebuilds. Stops when dropped.
pub struct Server {
    url: String,
    output: PathBuf,
    http: Arc<Listener>,
    reloader: Arc<Reloader>,
    messages: Sender<Message>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Listens, builds the site once, then serves it and rebuilds on every change. A failing
    /// first build does not stop serve: the browser shows the error until it is fixed.
    pub fn start(options: ServeOptions) -> Result<Server, Diagnostic> {
        let root = options.root.clone();
        if !root.join("site.yaml").is_file() {
            return Err(Diagnostic::error(
                &root,
                0,
                "no site.yaml here, so this is not a site folder; run serve in a site folder, \
                 pass --root, or make one with `hemasite init`",
            ));
        }
        let (http, url, hosts) = listen(&options)?;
        let output = root.join(OUTPUT);
        let reloader = Arc::new(Reloader::new(session_id()));
        let mut session = Session::new(&options, &url, &output, reloader.clone());

        // Watch before the first build, so that nothing changed during it goes unnoticed.
        let (messages, received) = channel();
        let sender = messages.clone();
        let watch = Watch::start(&root, move |burst| {
            let _ = sender.send(Message::Changed(burst));
        })
        .map_err(Diagnostic::general)?;
        session.build(None);

        // Made before the threads, so that if one cannot start, dropping it stops the other.
        let mut server = Server {
            url,
            output,
            http: Arc::new(http),
            reloader,
            messages,
            threads: Vec::new(),
        };
        let rebuilds = spawn("hemasite-rebuild", move || session.run(watch, received))?;
        server.threads.push(rebuilds);
        let (http, output, reloader) = (
            server.http.clone(),
            server.output.clone(),
            server.reloader.clone(),
        );
        let log = options.log.clone();
        let requests = spawn("hemasite-http", move || {
            accept(&http, &output, &reloader, &hosts, &log);
        })?;
        server.threads.push(requests);
        if !options.quiet {
            let shown = root.canonicalize().unwrap_or_else(|_| root.clone());
            (options.log)(&format!("Serving {} at {}", shown.display(), server.url));
        }
        Ok(server)
    }

    /// The address to open in a browser, e.g. `http://127.0.0.1:1111/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The folder the site is built into (`<root>/.hemasite/serve`).
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Stops watching, ends the open event streams and closes the listening socket. A build
    /// under way is finished first, so that the output folder is never left half-swapped.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.messages.send(Message::Stop);
        self.reloader.close();
        self.http.stop();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The listening socket, and the tiny_http server accepting on it. tiny_http's accept thread
/// ends at the first failed `accept` (out of file handles, say), and panics when a connection's
/// handle cannot be duplicated, after which nothing would be answered again; so the socket is
/// kept here, and [`accept`] starts a new server on it after either.
struct Listener {
    socket: std::net::TcpListener,
    current: std::sync::Mutex<Arc<tiny_http::Server>>,
    stopping: std::sync::atomic::AtomicBool,
}

impl Listener {
    fn new(socket: std::net::TcpListener) -> std::io::Result<Listener> {
        let server = Listener::server_on(&socket)?;
        Ok(Listener {
            socket,
            current: std::sync::Mutex::new(Arc::new(server)),
            stopping: std::sync::atomic::AtomicBool::new(false),
        })
    }

    fn server_on(socket: &std::net::TcpListener) -> std::io::Result<tiny_http::Server> {
        tiny_http::Server::from_listener(socket.try_clone()?, None)
            .map_err(|err| std::io::Error::other(err.to_string()))
    }

    fn current(&self) -> Arc<tiny_http::Server> {
        match self.current.lock() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A new tiny_http server on the same socket, in place of one whose accept thread ended.
    ///
    /// The old one is never dropped: tiny_http's `Drop` connects to the socket to wake an accept
    /// thread that is gone already, and while the socket's backlog is full (which is how the
    /// handles ran out) that connect waits for minutes, with nothing draining the backlog. A few
    /// hundred bytes are lost per restart instead, and restarts are rare.
    fn restart(&self) -> std::io::Result<()> {
        let server = Arc::new(Listener::server_on(&self.socket)?);
        let old = match self.current.lock() {
            Ok(mut current) => std::mem::replace(&mut *current, server),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), server),
        };
        std::mem::forget(old);
        Ok(())
    }

    fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn stop(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.current().unblock();
    }
}

/// How many times a tiny_http thread has panicked in this process. Its accept thread panics when
/// it runs out of file handles (`try_clone().unwrap()`); [`accept`] sees the count change and
/// starts a new server. Counted for the whole process, so another server's panic also restarts
/// this one's, which costs nothing.
static TINY_HTTP_PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts tiny_http's panics instead of printing them; every other panic is printed as before.
fn count_tiny_http_panics() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info
                .location()
                .is_some_and(|at| at.file().contains("tiny_http"))
            {
                TINY_HTTP_PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            } else {
                previous(info);
            }
        }));
    });
}

fn tiny_http_panics() -> usize {
    TINY_HTTP_PANICS.load(std::sync::atomic::Ordering::SeqCst)
}

/// Opens the listening socket; returns it with the URL to print and the host names requests may
/// give. Warns when the address is not loopback.
fn listen(options: &ServeOptions) -> Result<(Listener, String, http::Hosts), Diagnostic> {
    let requested = SocketAddr::new(options.bind, options.port);
    let cannot = |err: &dyn std::fmt::Display| {
        Diagnostic::general(format!(
            "cannot listen on {requested}: {err}; stop what uses that port or choose another \
             with --port"
        ))
    };
    count_tiny_http_panics();
    let socket = std::net::TcpListener::bind(requested).map_err(|err| cannot(&err))?;
    let listening = socket.local_addr().unwrap_or(requested);
    let http = Listener::new(socket).map_err(|err| cannot(&err))?;
    if !options.bind.is_loopback() {
        (options.log)(&format!(
            "warning: listening on {listening}: other machines on the network can see this \
             preview, unpublished releases included; use --bind 127.0.0.1 to keep it to this \
             machine"
        ));
    }
    Ok((http, browsable_url(listening), http::Hosts::new(listening)))
}

/// The URL a browser on this machine can open: a server listening on every address
/// (`0.0.0.0`, `::`) is reached through loopback.
fn browsable_url(listening: SocketAddr) -> String {
    let host = match listening.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(host, listening.port()))
}

/// Different for every run of serve, so that a tab left open from an earlier run reloads once.
/// Only the browser sees it, never the built files.
fn session_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    format!("{:x}{nanos:x}", std::process::id())
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, Diagnostic> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(work)
        .map_err(|err| Diagnostic::general(format!("cannot start the {name} thread: {err}")))
}

/// The longest pause between tries to accept again after running out of file handles.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Answers requests until serve stops, each on its own thread: an event stream stays open as
/// long as its page, and must not hold up the others. When accepting fails (out of file handles,
/// most often), waits, longer each time up to [`MAX_BACKOFF`], and accepts again: once open
/// connections close, serve answers as before.
fn accept(
    listener: &Listener,
    output: &Path,
    reloader: &Arc<Reloader>,
    hosts: &http::Hosts,
    log: &Log,
) {
    let mut panics = tiny_http_panics();
    // Said once per spell of failures, not at every try.
    let mut warned = false;
    while !listener.is_stopping() {
        let failure = match listener.current().recv_timeout(ACCEPT_POLL) {
            Ok(Some(request)) => {
                warned = false;
                let (output, reloader, hosts) =
                    (output.to_path_buf(), reloader.clone(), hosts.clone());
                let answer = move || http::handle(request, &output, &reloader, &hosts);
                // Out of threads: the request is dropped (the browser retries) rather than serve
                // dying.
                let _ = std::thread::Builder::new()
                    .name("hemasite-request".into())
                    .spawn(answer);
                continue;
            }
            Ok(None) if tiny_http_panics() == panics => continue,
            Ok(None) => "out of file handles".to_string(),
            Err(_) if listener.is_stopping() => return,
            Err(err) => err.to_string(),
        };
        if !warned {
            log(&format!(
                "warning: cannot accept connections ({failure}); serve waits and tries again \
                 (too many open connections or files?)"
            ));
            warned = true;
        }
        restart_when_possible(listener);
        panics = tiny_http_panics();
    }
}

/// How often the accept loop looks up from waiting, to notice a dead accept thread.
const ACCEPT_POLL: Duration = Duration::from_millis(200);

/// Starts a new server on the socket, waiting longer between tries (up to [`MAX_BACKOFF`]) while
/// there are no file handles for it.
fn restart_when_possible(listener: &Listener) {
    let mut backoff = Duration::from_millis(50);
    loop {
        std::thread::sleep(backoff);
        if listener.is_stopping() || listener.restart().is_ok() {
            return;
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// The rebuild side of serve: the builder, and what was last said about the build.
struct Session {
    root: PathBuf,
    builder: site::Builder,
    reloader: Arc<Reloader>,
    log: Log,
    quiet: bool,
    /// The serious findings last printed, so that the same ones are not printed at every build.
    findings: String,
    fingerprints: Fingerprints,
}

impl Session {
    /// A session building `options.root` into `output` for `url`.
    ///
    /// `allow_inconsistent`: a preview must show the site while figures are being fixed, so the
    /// consistency gate of `hemasite build` only prints here (see [`Session::print_findings`]).
    fn new(options: &ServeOptions, url: &str, output: &Path, reloader: Arc<Reloader>) -> Session {
        let builder = site::Builder::new(BuildOptions {
            output: Some(output.to_path_buf()),
            base_url: Some(url.to_string()),
            write: WriteMode::InPlace,
            allow_inconsistent: true,
            ..BuildOptions::new(&options.root)
        });
        Session {
            root: options.root.clone(),
            builder,
            reloader,
            log: options.log.clone(),
            quiet: options.quiet,
            findings: String::new(),
            fingerprints: Fingerprints::of_sources(&options.root),
        }
    }

    /// Rebuilds after every burst of changes until told to stop.
    fn run(mut self, mut watch: Watch, messages: Receiver<Message>) {
        while let Ok(first) = messages.recv() {
            let mut burst = Burst::new();
            let mut stop = self.take(first, &mut burst);
            // The debouncer reports each file once it is quiet, so a burst can come in pieces:
            // collect them until nothing more comes for a moment.
            while !stop && let Ok(message) = messages.recv_timeout(BURST_GAP) {
                stop = self.take(message, &mut burst);
            }
            if stop {
                return;
            }
            if let Err(err) = watch.refresh(&burst) {
                (self.log)(&format!("warning: {err}"));
            }
            let changes = Changes::of(&self.root, &self.fingerprints.real_changes(&burst));
            if changes.is_empty() {
                continue;
            }
            if !changes.raw.is_empty() {
                self.ingest(&changes.raw);
            }
            self.build(Some(changes.sources.len()));
        }
    }

    /// Adds a message's paths to the burst; true when it says to stop.
    fn take(&self, message: Message, burst: &mut Burst) -> bool {
        match message {
            Message::Stop => true,
            Message::Changed(Ok(more)) => {
                for (path, touch) in more {
                    watch::add(burst, path, touch);
                }
                false
            }
            Message::Changed(Err(err)) => {
                (self.log)(&format!(
                    "warning: watching for changes: {err}; save the file again, or restart serve \
                     if changes stop showing"
                ));
                false
            }
        }
    }

    /// Ingests new or changed raw filings, as `hemasite ingest` would, and prints its report.
    fn ingest(&mut self, raw: &[PathBuf]) {
        let report = ingest::ingest_site(
            &self.root,
            raw,
            &ingest::Options { force: false },
            &crate::progress::Silent,
        );
        let verbosity = if self.quiet {
            ingest::Verbosity::Quiet
        } else {
            ingest::Verbosity::Normal
        };
        let mut text = Vec::new();
        report.print(&mut text, verbosity);
        self.print(&String::from_utf8_lossy(&text));
        self.fingerprints.record_own_writes(&report.written);
    }

    /// Builds, prints one line (or the error), and tells the open pages.
    fn build(&mut self, changed: Option<usize>) {
        let started = Instant::now();
        match self.builder.build(&Silent) {
            Ok(report) => {
                let elapsed = started.elapsed().as_millis();
                if !self.quiet {
                    (self.log)(&match changed {
                        None => report.summary(elapsed),
                        Some(1) => format!("Rebuilt in {elapsed} ms (1 file changed)"),
                        Some(n) => format!("Rebuilt in {elapsed} ms ({n} files changed)"),
                    });
                }
                self.print_findings(&report);
                self.reloader.publish(None);
            }
            Err(err) => {
                (self.log)(&format!(
                    "error: {err}\n(the browser shows this error until the site builds again)"
                ));
                self.reloader.publish(Some(err));
            }
        }
    }

    /// Errors and warnings about the figures, in full, when they differ from the last build's:
    /// serve publishes despite them, so the terminal is where they are seen.
    fn print_findings(&mut self, report: &BuildReport) {
        let mut text = Vec::new();
        if !report.findings.is_empty() {
            // Writing into a Vec cannot fail.
            let _ = report.print_findings(&mut text);
        }
        let text = String::from_utf8_lossy(&text).into_owned();
        if text == self.findings {
            return;
        }
        if text.is_empty() {
            if !self.quiet {
                (self.log)("The figures agree again.");
            }
        } else {
            (self.log)(&format!(
                "{text}(serve shows the site anyway; `hemasite build` refuses to publish it until \
                 the errors above are fixed)"
            ));
        }
        self.findings = text;
    }

    /// Prints text line by line through the log, without a trailing empty line.
    fn print(&self, text: &str) {
        let text = text.trim_end();
        if !text.is_empty() {
            (self.log)(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_every_address_is_opened_through_loopback() {
        let url = |addr: &str| browsable_url(addr.parse().unwrap());
        assert_eq!(url("0.0.0.0:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("[::]:80"), "http://[::1]:80/");
        assert_eq!(url("192.168.1.5:8080"), "http://192.168.1.5:8080/");
        assert_eq!(url("127.0.0.1:4000"), "http://127.0.0.1:4000/");
    }
}
