//! Answering one HTTP request from the output folder.
//!
//! Files are looked up in the output folder at every request, by path, never through a handle
//! kept open: a build may replace the whole folder at any moment (it swaps a staging folder in),
//! and the next request must see the new files. A request that arrives while the folder is being
//! swapped waits a moment for it to come back instead of failing.
//!
//! What a request may reach is kept narrow, since a preview can show releases not yet public: a
//! `Host` that is not this server's own name (a DNS-rebinding page) is refused, a path may not
//! leave the output folder, and neither may a symbolic link inside it.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::reload::{self, BuildState, EVENTS_PATH, Reloader};

/// How often the event stream sends a comment when nothing happens: a write is the only way to
/// notice that the page went away, and it keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// How long a request waits for the output folder to come back while a build swaps it.
const SWAP_WAIT: Duration = Duration::from_secs(2);

/// What a path segment must have percent-encoded in a URL this server writes (a redirect's
/// `Location`): a `/` inside a segment, and whatever could end the path or the header.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'?')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The names a request's `Host` may give for this server: `localhost`, `127.0.0.1`, `[::1]` and
/// the address it listens on, with its port. A page from another site that a DNS-rebinding
/// attack points at 127.0.0.1 sends its own name, and is refused.
#[derive(Debug, Clone)]
pub struct Hosts {
    listening: SocketAddr,
}

impl Hosts {
    pub fn new(listening: SocketAddr) -> Hosts {
        Hosts { listening }
    }

    /// Whether `host` (a `Host` header's value) names this server. On every address (`0.0.0.0`,
    /// `::`), any IP address does: an address is never a name that DNS could rebind.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim();
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !name.is_empty() && !port.contains(']') => (name, Some(port)),
            _ => (host, None),
        };
        if port.is_some_and(|port| port != self.listening.port().to_string()) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if name == "localhost" {
            return true;
        }
        let Some(ip) = parse_host_ip(&name) else {
            return false;
        };
        let bind = self.listening.ip();
        ip.is_loopback() || ip == bind || bind.is_unspecified()
    }
}

/// `127.0.0.1` or `[::1]` as an address; a bare IPv6 address without brackets is not a host.
fn parse_host_ip(name: &str) -> Option<IpAddr> {
    match name.strip_prefix('[') {
        Some(rest) => rest.strip_suffix(']')?.parse().ok(),
        None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

/// Answers `request`. Errors writing to the client (it went away) are not the server's problem
/// and are dropped.
pub fn handle(request: Request, output: &Path, reloader: &Reloader, hosts: &Hosts) {
    let host = request
        .headers()
        .iter()
        .find(|header| header.field.equiv("Host"))
        .map(|header| header.value.as_str().to_string());
    if !host.as_deref().is_some_and(|host| hosts.allows(host)) {
        let _ = request.respond(text(
            403,
            "Refused: the Host header must name this server (localhost, 127.0.0.1, [::1] or the \
             --bind address, with its port).\n",
        ));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = with_header(
            text(405, "Only GET and HEAD requests are served.\n"),
            "Allow",
            "GET, HEAD",
        );
        let _ = request.respond(response);
        return;
    }
    let (path, query) = split_url(request.url());
    if path == EVENTS_PATH && *request.method() == Method::Get {
        stream_events(request, reloader);
        return;
    }
    let response = match site_path(path) {
        None => text(
            400,
            "Refused: the path must stay inside the site (no `..`, `\\` or NUL).\n",
        ),
        Some(segments) => respond_with_file(output, path, query, &segments, reloader.state()),
    };
    let _ = request.respond(response);
}

type Body = Response<Box<dyn Read + Send>>;

/// The response for a path inside the site: the file, the folder's `index.html`, a redirect to
/// the folder's URL with its `/`, or the site's `404.html` with status 404.
fn respond_with_file(
    output: &Path,
    path: &str,
    query: &str,
    segments: &[String],
    state: BuildState,
) -> Body {
    let wants_folder = path.ends_with('/');
    let file = file_for(output, segments);
    if !state.has_good_build && state.error.is_some() && looks_like_a_page(&file, wants_folder) {
        return html(500, reload::error_page(&state));
    }
    if wants_folder {
        return match find(output, &file.join("index.html")) {
            Found::File(found) => page(200, found, &state),
            Found::Busy => busy(),
            Found::Folder | Found::Missing => not_found(output, &state),
        };
    }
    match find(output, &file) {
        Found::File(found) if is_html(&file) => page(200, found, &state),
        Found::File(found) => file_response(found, content_type(&file)),
        Found::Folder => {
            let location = folder_location(segments, query);
            with_header(
                text(302, &format!("See {location}\n")),
                "Location",
                &location,
            )
        }
        Found::Busy => busy(),
        Found::Missing => not_found(output, &state),
    }
}

/// Out of file handles: the file may well be there, so not a 404, which a browser would show and
/// keep; a 503 that says to try again in a second.
fn busy() -> Body {
    with_header(
        text(
            503,
            "Serve is out of file handles for a moment (too many open connections); try again.\n",
        ),
        "Retry-After",
        "1",
    )
}

/// `/news/` for the folder `news`: built from the decoded segments, so that a request for `//news`
/// is sent to `/news/` on this server and never to `//news/`, which a browser reads as the host
/// `news`.
fn folder_location(segments: &[String], query: &str) -> String {
    let mut location = String::from("/");
    for segment in segments {
        location.extend(utf8_percent_encode(segment, SEGMENT));
        location.push('/');
    }
    location.extend(utf8_percent_encode(query, CONTROLS));
    location
}

fn looks_like_a_page(file: &Path, wants_folder: bool) -> bool {
    wants_folder || is_html(file) || file.extension().is_none()
}

fn is_html(file: &Path) -> bool {
    file.extension().is_some_and(|ext| ext == "html")
}

/// The site's own `404.html` (with the live-reload script), or a line of text when the site has
/// none.
fn not_found(output: &Path, state: &BuildState) -> Body {
    match find(output, &output.join("404.html")) {
        Found::File(found) => page(404, found, state),
        Found::Busy => busy(),
        Found::Folder | Found::Missing => text(404, "Not found.\n"),
    }
}

/// What a path of the output folder holds.
enum Found {
    File(File),
    Folder,
    Missing,
    /// It could not be opened for want of file handles.
    Busy,
}

/// Whether an error opening a file means the process (EMFILE) or the system (ENFILE) has no file
/// handle left, rather than that the file is not there.
fn is_out_of_handles(err: &std::io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

/// Looks a path up in the output folder. When the folder itself is missing, a build is swapping
/// it: wait a moment for it to come back. A path that resolves outside the folder (through a
/// symbolic link) is missing.
fn find(output: &Path, path: &Path) -> Found {
    let waited = std::time::Instant::now();
    loop {
        if !stays_inside(output, path) {
            return Found::Missing;
        }
        match File::open(path).and_then(|file| Ok((file.metadata()?.is_dir(), file))) {
            Ok((false, file)) => return Found::File(file),
            Ok((true, _)) => return Found::Folder,
            Err(err) if is_out_of_handles(&err) => return Found::Busy,
            Err(_) if !output.is_dir() && waited.elapsed() < SWAP_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(_) => return Found::Missing,
        }
    }
}

/// Whether `path`, with every symbolic link followed, is inside `output`. A path that does not
/// exist stays inside (opening it fails).
fn stays_inside(output: &Path, path: &Path) -> bool {
    let Ok(resolved) = std::fs::canonicalize(path) else {
        return true;
    };
    std::fs::canonicalize(output).is_ok_and(|output| resolved.starts_with(output))
}

/// An HTML page with the live-reload script (and the error overlay, if the last build failed).
/// `state` must have been read before the file was opened: a build that ends in between then
/// leaves the page with an older version than the stream's, and it reloads, instead of showing
/// old content under the new version and never reloading.
fn page(status: u16, mut file: File, state: &BuildState) -> Body {
    let mut bytes = Vec::new();
    if let Err(err) = file.read_to_end(&mut bytes) {
        return text(500, &format!("Cannot read the page: {err}\n"));
    }
    match String::from_utf8(bytes) {
        Ok(source) => html(status, reload::inject(&source, state)),
        Err(not_text) => bytes_response(status, not_text.into_bytes(), "text/html"),
    }
}

fn html(status: u16, body: String) -> Body {
    bytes_response(status, body.into_bytes(), "text/html; charset=utf-8")
}

fn text(status: u16, body: &str) -> Body {
    bytes_response(
        status,
        body.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

fn bytes_response(status: u16, body: Vec<u8>, content_type: &str) -> Body {
    let length = body.len();
    let reader: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(body));
    let response = Response::new(StatusCode(status), Vec::new(), reader, Some(length), None);
    with_header(finish(response), "Content-Type", content_type)
}

fn file_response(file: File, content_type: &str) -> Body {
    let length = file
        .metadata()
        .ok()
        .and_then(|meta| usize::try_from(meta.len()).ok());
    let reader: Box<dyn Read + Send> = Box::new(file);
    let response = Response::new(StatusCode(200), Vec::new(), reader, length, None);
    with_header(finish(response), "Content-Type", content_type)
}

/// Headers every response carries: nothing is cached, so a reload always shows the last build;
/// and the browser takes the Content-Type as given, never guessing a filing's text as HTML.
fn finish(response: Body) -> Body {
    let response = with_header(response, "X-Content-Type-Options", "nosniff");
    with_header(response, "Cache-Control", "no-store")
}

/// Adds a header. Every value is ASCII (the redirect's location is percent-encoded), which is
/// all tiny_http checks for, so none is dropped in practice.
fn with_header(response: Body, name: &str, value: &str) -> Body {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

/// Splits `/news/?page=2#top` into the path and the query (with its `?`, for redirects).
fn split_url(url: &str) -> (&str, &str) {
    let url = url.split('#').next().unwrap_or("");
    match url.find('?') {
        Some(at) => (&url[..at], &url[at..]),
        None => (url, ""),
    }
}

/// The path's segments, decoded, when it stays inside the site: `None` for anything that could
/// leave the output folder or mean another file than it says (`..`, `.`, backslashes, NUL,
/// encoded or not, and paths that are not UTF-8 once decoded).
pub fn site_path(path: &str) -> Option<Vec<String>> {
    let relative = path.strip_prefix('/')?;
    let decoded = percent_decode_str(relative).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            name => segments.push(name.to_string()),
        }
    }
    Some(segments)
}

/// The Content-Type of a file of the site, by its extension.
pub fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .and_then(|ext| ext.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        _ => "application/octet-stream",
    }
}

/// Keeps the request's connection open as a Server-Sent Events stream: the current version
/// first, then each new one, until the page goes away or the server stops.
///
/// The stream is chunked, one chunk an event, and ends with the last (empty) chunk when the server
/// stops, so that the browser sees it end even though the connection itself stays with
/// tiny_http's keep-alive handling.
fn stream_events(request: Request, reloader: &Reloader) {
    let (version, versions) = reloader.subscribe();
    let mut stream = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nTransfer-Encoding: chunked\r\n\r\n";
    // `retry`: reconnect after a second when the stream breaks (e.g. serve restarted).
    let first = format!("retry: 1000\n{}", reload::event("version", &version));
    if send(&mut stream, head.as_bytes()).is_err() || send_chunk(&mut stream, &first).is_err() {
        return;
    }
    loop {
        let message = match versions.recv_timeout(KEEP_ALIVE) {
            Ok(version) => reload::event("reload", &version),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                let _ = send(&mut stream, b"0\r\n\r\n");
                return;
            }
        };
        if send_chunk(&mut stream, &message).is_err() {
            return;
        }
    }
}

fn send_chunk(stream: &mut Box<dyn Write + Send>, message: &str) -> std::io::Result<()> {
    let chunk = format!("{:x}\r\n{message}\r\n", message.len());
    send(stream, chunk.as_bytes())
}

fn send(stream: &mut Box<dyn Write + Send>, bytes: &[u8]) -> std::io::Result<()> {
    stream.write_all(bytes)?;
    stream.flush()
}

/// The file that a path's segments name in the output folder.
fn file_for(output: &Path, segments: &[String]) -> PathBuf {
    segments
        .iter()
        .fold(output.to_path_buf(), |file, segment| file.join(segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/news/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/news/%2e%2e/%2e%2e/x",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/./x",
            "/a%00b",
            "/%ff",
            "relative",
        ] {
            assert_eq!(site_path(bad), None, "{bad} was accepted");
        }
    }

    #[test]
    fn paths_inside_the_site_are_decoded() {
        let out = Path::new("/out");
        let resolve = |path| file_for(out, &site_path(path).unwrap());
        assert_eq!(resolve("/"), out);
        assert_eq!(
            resolve("/news/2003%20q3.html"),
            Path::new("/out/news/2003 q3.html")
        );
        assert_eq!(resolve("/a//b/"), Path::new("/out/a/b"));
    }

    #[test]
    fn a_request_during_the_swap_waits_for_the_new_folder() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("serve");
        let staging = dir.path().join(".serve-staging");
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("index.html"), "new").unwrap();
        let swap = {
            let (staging, output) = (staging.clone(), output.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                std::fs::rename(staging, output).unwrap();
            })
        };
        let found = find(&output, &output.join("index.html"));
        swap.join().unwrap();
        assert!(
            matches!(found, Found::File(_)),
            "the page was not found after the swap"
        );
        assert!(matches!(
            find(&output, &output.join("gone.html")),
            Found::Missing
        ));
        std::fs::create_dir(output.join("news")).unwrap();
        assert!(matches!(find(&output, &output.join("news")), Found::Folder));
        assert!(
            matches!(find(&output, dir.path()), Found::Missing),
            "outside the output folder"
        );
    }

    #[test]
    fn a_folder_redirect_stays_on_this_host() {
        let location = |path: &str, query: &str| folder_location(&site_path(path).unwrap(), query);
        assert_eq!(location("//news", ""), "/news/");
        assert_eq!(
            location("///evil.example/x", "?a=1"),
            "/evil.example/x/?a=1"
        );
        assert_eq!(location("/a%2fb", ""), "/a/b/");
        assert_eq!(location("/2003 q3", ""), "/2003%20q3/");
    }

    #[test]
    fn only_this_servers_names_are_hosts() {
        let local = Hosts::new("127.0.0.1:1111".parse().unwrap());
        for good in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:1111",
            "127.0.0.1",
        ] {
            assert!(local.allows(good), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "localhost.evil.example:1111",
            "192.168.1.5:1111",
            "",
            "::1",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.5:80".parse().unwrap());
        assert!(lan.allows("192.168.1.5"));
        assert!(!lan.allows("10.0.0.1"));
        let every = Hosts::new("0.0.0.0:80".parse().unwrap());
        assert!(every.allows("10.0.0.1:80"));
        assert!(!every.allows("rebound.example"));
    }

    #[test]
    fn running_out_of_file_handles_is_not_a_missing_file() {
        assert!(is_out_of_handles(&std::io::Error::from_raw_os_error(
            libc::EMFILE
        )));
        assert!(is_out_of_handles(&std::io::Error::from_raw_os_error(
            libc::ENFILE
        )));
        assert!(!is_out_of_handles(&std::io::Error::from_raw_os_error(
            libc::ENOENT
        )));
        assert_eq!(busy().status_code(), StatusCode(503));
    }

    #[test]
    fn the_query_and_fragment_are_not_part_of_the_path() {
        assert_eq!(split_url("/news?page=2#top"), ("/news", "?page=2"));
        assert_eq!(split_url("/news/#top"), ("/news/", ""));
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (name, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
            ("feed.xml", "application/xml"),
            ("search.json", "application/json"),
            ("calendar.ics", "text/calendar; charset=utf-8"),
            ("q3.PDF", "application/pdf"),
            ("filing.txt", "text/plain; charset=utf-8"),
            ("lato.woff2", "font/woff2"),
            ("lato.ttf", "font/ttf"),
            ("chart.png", "image/png"),
            ("unknown.bin", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any request path either is refused or names a file inside the output folder,
            /// and the redirect built from it stays on this server.
            #[test]
            fn no_path_leaves_the_output_folder(
                path in proptest::collection::vec(prop_oneof![
                    "[a-z0-9.]{0,6}",
                    Just("..".to_string()),
                    Just("%2e%2e".to_string()),
                    Just("%2F".to_string()),
                    Just("%5c".to_string()),
                    Just("%00".to_string()),
                    Just("\\".to_string()),
                    Just("".to_string()),
                    "\\PC{0,4}",
                ], 0..8),
            ) {
                let request = format!("/{}", path.join("/"));
                let out = Path::new("/out");
                if let Some(segments) = site_path(&request) {
                    let file = file_for(out, &segments);
                    prop_assert!(file.starts_with(out), "{} → {}", request, file.display());
                    for component in file.strip_prefix(out).unwrap().components() {
                        prop_assert!(
                            matches!(component, std::path::Component::Normal(_)),
                            "{} → {}", request, file.display()
                        );
                    }
                    let location = folder_location(&segments, "");
                    prop_assert!(location.starts_with('/') && !location.starts_with("//"), "{}", location);
                }
            }
        }
    }
}
