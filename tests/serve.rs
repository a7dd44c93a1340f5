//! `hemasite serve`, checked the way a browser sees it: over HTTP, on a copy of the fixture site
//! (`tests/fixtures/hemacare/`) in a temporary folder, on a port the system picks.
//!
//! The tests talk raw HTTP/1.1 over a `TcpStream` (every answer carries a `Content-Length`, and
//! the event stream is plain text), edit the site's files as a user would, and poll for the
//! result with a generous timeout: the machine is slow and shared, and a rebuild includes the
//! PDFs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hemasite::serve::reload::{EVENTS_PATH, OVERLAY_ID};
use hemasite::serve::{OUTPUT, ServeOptions, Server};
use hemasite::site::{BuildOptions, build};

mod common;
use common::{copy_tree, tree};

const TIMEOUT: Duration = Duration::from_secs(30);
const Q3: &str = "releases/2003-11-14-hemacare-reports-third-quarter-financial-results/";
const Q3_FILE: &str =
    "content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md";
const Q3_TITLE: &str = "HemaCare Reports Third Quarter Financial Results";
const BOARD_RAW: &str = "content/raw/2003-05-19-new-board-members.txt";
const BOARD_FILE: &str =
    "content/releases/2003-05-19-hemacare-adds-new-members-to-its-board-of-directors.md";
const BOARD_PAGE: &str = "releases/2003-05-19-hemacare-adds-new-members-to-its-board-of-directors/";

/// A copy of the fixture site, served on a free port of 127.0.0.1, and every line serve printed.
struct Served {
    site: tempfile::TempDir,
    server: Server,
    log: Arc<Mutex<Vec<String>>>,
}

impl Served {
    fn fixture() -> Served {
        Served::start(copy_of_fixture())
    }

    fn start(site: tempfile::TempDir) -> Served {
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        let options = ServeOptions {
            port: 0,
            log: Arc::new(move |line: &str| lines.lock().unwrap().push(line.to_string())),
            ..ServeOptions::new(site.path())
        };
        let server = Server::start(options).unwrap_or_else(|err| panic!("serve: {err}"));
        Served { site, server, log }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.site.path().join(relative)
    }

    fn get(&self, path: &str) -> Answer {
        request(self.server.url(), "GET", path)
    }

    /// Waits until the page at `path` satisfies `done`, and returns it.
    fn page_when(&self, path: &str, what: &str, done: impl Fn(&Answer) -> bool) -> Answer {
        eventually(what, || Some(self.get(path)).filter(&done))
    }

    fn printed(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

fn copy_of_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hemacare"),
        dir.path(),
    );
    dir
}

/// Polls `check` until it gives a value, or fails the test after [`TIMEOUT`].
fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(started.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn shows_error(&self) -> bool {
        self.body.contains(OVERLAY_ID)
    }
}

/// `127.0.0.1:1234` of `http://127.0.0.1:1234/`.
fn host(url: &str) -> &str {
    url.trim_start_matches("http://").trim_end_matches('/')
}

/// Opens a connection and sends a request with one more header line.
fn send(url: &str, method: &str, path: &str, header: &str) -> TcpStream {
    let host = host(url);
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{header}\r\n\r\n"
    )
    .unwrap();
    stream
}

/// One HTTP/1.1 request on its own connection.
fn request(url: &str, method: &str, path: &str) -> Answer {
    let mut stream = send(url, method, path, "Connection: close");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {head}"));
    Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// An open event stream, as a page's `EventSource` holds it. Serve sends one event a chunk.
struct Events {
    stream: BufReader<TcpStream>,
}

impl Events {
    fn open(url: &str) -> Events {
        let stream = send(url, "GET", EVENTS_PATH, "Accept: text/event-stream");
        let mut events = Events {
            stream: BufReader::new(stream),
        };
        let status = events.line();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut head = Vec::new();
        loop {
            match events.line() {
                line if line.is_empty() => break,
                line => head.push(line),
            }
        }
        assert!(
            head.contains(&"Content-Type: text/event-stream".to_string()),
            "{head:?}"
        );
        events
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stream.read_line(&mut line).unwrap();
        line.trim_end_matches(['\r', '\n']).to_string()
    }

    /// The next event's name and data (keep-alive comments are skipped), or `None` when the
    /// stream ended.
    fn next(&mut self) -> Option<(String, String)> {
        loop {
            let size = usize::from_str_radix(&self.line(), 16).unwrap();
            if size == 0 {
                return None;
            }
            let mut chunk = vec![0; size + 2];
            self.stream.read_exact(&mut chunk).unwrap();
            let text = String::from_utf8(chunk).unwrap();
            let field = |name: &str| {
                text.lines()
                    .find_map(|line| line.strip_prefix(name))
                    .map(str::to_string)
            };
            if let (Some(name), Some(data)) = (field("event: "), field("data: ")) {
                return Some((name, data));
            }
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_site_is_served_with_the_reload_script_that_the_files_on_disk_do_not_have() {
    let served = Served::fixture();
    let home = served.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.body.contains(EVENTS_PATH),
        "no reload script:\n{}",
        home.body
    );
    let script = home.body.rfind("<script>").unwrap();
    assert!(home.body[script..].trim_end().ends_with("</body>\n</html>"));

    let on_disk = std::fs::read_to_string(served.server.output().join("index.html")).unwrap();
    assert!(!on_disk.contains(EVENTS_PATH));
    assert!(served.server.output().ends_with(OUTPUT));
    assert!(
        !served.path("public").exists(),
        "serve must not write public/"
    );
}

#[test]
fn the_served_folder_is_what_hemasite_build_makes_for_the_same_url() {
    let served = Served::fixture();
    let elsewhere = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        output: Some(elsewhere.path().join("public")),
        base_url: Some(served.server.url().to_string()),
        allow_inconsistent: true,
        ..BuildOptions::new(served.site.path())
    };
    let report = build(&options).unwrap();
    let (served_files, built_files) = (tree(served.server.output()), tree(&report.output));
    assert_eq!(
        served_files.keys().collect::<Vec<_>>(),
        built_files.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &built_files {
        assert!(served_files[name] == *bytes, "{name} differs");
    }
}

#[test]
fn folders_files_errors_and_refusals_answer_as_a_static_host_would() {
    let served = Served::fixture();
    let url = served.server.url();

    let news = served.get("/news");
    assert_eq!(news.status, 302, "{news:?}");
    assert_eq!(news.header("Location"), Some("/news/"));
    assert_eq!(served.get("/news/").status, 200);

    let missing = served.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);
    assert!(missing.body.contains(EVENTS_PATH));

    for escape in [
        // The output is <site>/.hemasite/serve: two levels up is the site folder.
        "/../../site.yaml",
        "/%2e%2e/%2e%2e/site.yaml",
        "/news/%2E%2E/%2e%2e/%2e%2e/site.yaml",
        "/..%2f..%2fsite.yaml",
        "/..\\..\\site.yaml",
        "/%5c..%5c..%5csite.yaml",
    ] {
        let refused = request(url, "GET", escape);
        assert_eq!(refused.status, 400, "{escape}: {refused:?}");
        assert!(
            !refused.body.contains("base_url"),
            "{escape} leaked site.yaml"
        );
    }

    for (path, content_type) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/search.js", "text/javascript; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/feed.xml", "application/xml"),
        ("/calendar.ics", "text/calendar; charset=utf-8"),
    ] {
        let answer = served.get(path);
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header("Content-Type"), Some(content_type), "{path}");
        assert!(!answer.body.contains(EVENTS_PATH), "{path} got the script");
    }
    let pdf = served.get(&format!("/{}.pdf", Q3.trim_end_matches('/')));
    assert_eq!(
        pdf.header("Content-Type"),
        Some("application/pdf"),
        "{pdf:?}"
    );

    let head = request(url, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(url, "POST", "/").status, 405);
    assert_eq!(request(url, "DELETE", "/news/").status, 405);
}

#[test]
fn an_edited_release_reloads_the_open_pages_and_shows_the_change() {
    let served = Served::fixture();
    let page = served.get(&format!("/{Q3}"));
    assert!(page.body.contains(Q3_TITLE));
    let mut events = Events::open(served.server.url());
    let (name, first) = events.next().unwrap();
    assert_eq!(name, "version");
    assert!(
        page.body.contains(&format!("\"{first}\"")),
        "the page's version is current"
    );

    edit(
        &served.path(Q3_FILE),
        &format!("title: {Q3_TITLE}"),
        "title: HemaCare Reports a Record Third Quarter",
    );
    let (name, second) = events.next().unwrap();
    assert_eq!(name, "reload");
    assert_ne!(second, first);
    let page = served.get(&format!("/{Q3}"));
    assert!(
        page.body
            .contains("HemaCare Reports a Record Third Quarter")
    );
    assert!(
        page.body.contains(&format!("\"{second}\"")),
        "the new page carries the new version"
    );
    assert!(
        served.printed().contains("Rebuilt in "),
        "{}",
        served.printed()
    );
    assert!(
        served.printed().contains("(1 file changed)"),
        "{}",
        served.printed()
    );
}

#[test]
fn pages_requested_while_the_site_is_rebuilt_are_always_served() {
    let served = Served::fixture();
    let url = served.server.url().to_string();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = {
        let (url, done) = (url.clone(), done.clone());
        std::thread::spawn(move || {
            let mut statuses = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                statuses.push(request(&url, "GET", "/").status);
            }
            statuses
        })
    };
    let mut events = Events::open(&url);
    events.next().unwrap();
    for round in 1..=3 {
        edit(
            &served.path(Q3_FILE),
            "\ntitle: ",
            &format!("\ntitle: Round {round} "),
        );
        assert_eq!(events.next().unwrap().0, "reload");
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let statuses = client.join().unwrap();
    assert!(statuses.len() > 3, "{statuses:?}");
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
}

#[test]
fn a_burst_of_changes_is_one_rebuild() {
    let served = Served::fixture();
    let mut events = Events::open(served.server.url());
    events.next().unwrap();
    let cfo = "content/releases/2003-06-27-marcario-joins-hemacare-as-chief-financial-officer.md";
    for file in [Q3_FILE, BOARD_FILE, cfo] {
        edit(&served.path(file), "\ntitle: ", "\ntitle: Updated ");
    }
    assert_eq!(events.next().unwrap().0, "reload");
    let rebuilt: Vec<String> = served
        .printed()
        .lines()
        .filter(|line| line.starts_with("Rebuilt"))
        .map(str::to_string)
        .collect();
    assert_eq!(rebuilt.len(), 1, "{rebuilt:?}");
    assert!(rebuilt[0].ends_with("(3 files changed)"), "{rebuilt:?}");
}

#[test]
fn a_template_error_is_shown_with_file_and_line_until_it_is_fixed() {
    let served = Served::fixture();
    let template = served.path("templates/release.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::write(&template, "{% extends \"base.html\" %}\n{{ oops(\n").unwrap();

    let broken = served.page_when(&format!("/{Q3}"), "the error overlay", Answer::shows_error);
    assert!(
        broken.body.contains(Q3_TITLE),
        "the last good page stays under the overlay"
    );
    let overlay = &broken.body[broken.body.find(OVERLAY_ID).unwrap()..];
    let message = &overlay[overlay.find("<pre").unwrap()..overlay.find("</pre>").unwrap()];
    assert!(
        message.contains("release.html:2"),
        "no file and line in:\n{message}"
    );
    assert!(
        message.contains("{{ oops("),
        "the offending line is quoted:\n{message}"
    );
    assert!(served.get("/news/").shows_error(), "every page shows it");
    assert!(
        served.get("/no/such/page").shows_error(),
        "the 404 page too"
    );
    assert!(!served.get("/style.css").shows_error());
    assert!(served.printed().contains("error: "), "{}", served.printed());

    std::fs::remove_file(&template).unwrap();
    let fixed = served.page_when(&format!("/{Q3}"), "the overlay to go", |page| {
        !page.shows_error()
    });
    assert!(fixed.body.contains(Q3_TITLE));
}

#[test]
fn bad_front_matter_is_shown_with_the_release_file_and_line() {
    let served = Served::fixture();
    edit(
        &served.path(Q3_FILE),
        &format!("title: {Q3_TITLE}"),
        "title: Results: a colon",
    );
    let broken = served.page_when("/", "the error overlay", Answer::shows_error);
    let name = Path::new(Q3_FILE).file_name().unwrap().to_str().unwrap();
    assert!(
        broken.body.contains(&format!("{name}:2")),
        "{}",
        broken.body
    );
    edit(
        &served.path(Q3_FILE),
        "title: Results: a colon",
        &format!("title: {Q3_TITLE}"),
    );
    served.page_when("/", "the overlay to go", |page| !page.shows_error());
}

#[test]
fn a_site_that_never_built_shows_the_error_alone_and_recovers() {
    let site = copy_of_fixture();
    let config = site.path().join("site.yaml");
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{good}\nbrand: [not, a, map\n")).unwrap();
    let served = Served::start(site);

    let error = served.get("/");
    assert_eq!(error.status, 500);
    assert!(error.shows_error());
    assert!(error.body.contains("site.yaml"), "{}", error.body);
    assert!(error.body.contains(EVENTS_PATH), "it reloads when fixed");

    std::fs::write(&config, good).unwrap();
    let home = served.page_when("/", "the first good build", |page| page.status == 200);
    assert!(!home.shows_error());
}

#[test]
fn a_raw_filing_dropped_in_is_ingested_and_a_hand_edited_release_is_kept() {
    let site = copy_of_fixture();
    let filing = std::fs::read(site.path().join(BOARD_RAW)).unwrap();
    std::fs::remove_file(site.path().join(BOARD_RAW)).unwrap();
    std::fs::remove_file(site.path().join(BOARD_FILE)).unwrap();
    let served = Served::start(site);
    assert_eq!(served.get(&format!("/{BOARD_PAGE}")).status, 404);

    std::fs::write(served.path(BOARD_RAW), &filing).unwrap();
    let page = served.page_when(
        &format!("/{BOARD_PAGE}"),
        "the new release's page",
        |page| page.status == 200,
    );
    assert!(
        page.body
            .contains("HemaCare Adds New Members to Its Board of Directors")
    );
    assert!(
        served.printed().contains("1 written"),
        "{}",
        served.printed()
    );

    let release = served.path(BOARD_FILE);
    edit(
        &release,
        "title: HemaCare Adds New Members",
        "title: HemaCare Welcomes New Members",
    );
    let edited = std::fs::read_to_string(&release).unwrap();
    served.page_when(&format!("/{BOARD_PAGE}"), "the hand edit", |page| {
        page.body.contains("HemaCare Welcomes New Members")
    });

    let raw = std::fs::File::options()
        .append(true)
        .open(served.path(BOARD_RAW))
        .unwrap();
    raw.set_modified(std::time::SystemTime::now() + Duration::from_secs(60))
        .unwrap();
    eventually("ingest to report the kept release", || {
        served.printed().contains("kept ").then_some(())
    });
    assert!(
        served.printed().contains("edited by hand"),
        "{}",
        served.printed()
    );
    assert_eq!(std::fs::read_to_string(&release).unwrap(), edited);
}

#[test]
fn serve_listens_on_loopback_unless_told_and_warns_when_told() {
    let defaults = ServeOptions::new(Path::new("site"));
    assert_eq!(defaults.bind.to_string(), "127.0.0.1");
    assert_eq!(defaults.port, 1111);
    let served = Served::fixture();
    assert!(
        served.server.url().starts_with("http://127.0.0.1:"),
        "{}",
        served.server.url()
    );
    assert!(
        !served.printed().contains("warning"),
        "{}",
        served.printed()
    );

    let log = Arc::new(Mutex::new(Vec::new()));
    let lines = log.clone();
    let everywhere = Server::start(ServeOptions {
        port: 0,
        bind: "0.0.0.0".parse().unwrap(),
        log: Arc::new(move |line: &str| lines.lock().unwrap().push(line.to_string())),
        ..ServeOptions::new(served.site.path())
    })
    .unwrap();
    assert!(
        everywhere.url().starts_with("http://127.0.0.1:"),
        "{}",
        everywhere.url()
    );
    let printed = log.lock().unwrap().join("\n");
    assert!(
        printed.contains("warning: listening on 0.0.0.0:"),
        "{printed}"
    );
    everywhere.stop();
}

#[test]
fn stopping_closes_the_port_and_the_open_event_streams() {
    let served = Served::fixture();
    let url = served.server.url().to_string();
    let mut events = Events::open(&url);
    assert_eq!(events.next().unwrap().0, "version");
    served.server.stop();
    assert_eq!(events.next(), None, "the stream ends");
    // tiny_http closes its listening socket on its own thread, a moment after stop returns.
    eventually("the port to close", || {
        TcpStream::connect(host(&url)).is_err().then_some(())
    });
}

#[test]
fn a_site_folder_without_site_yaml_is_refused_with_what_to_do() {
    let empty = tempfile::tempdir().unwrap();
    let err = Server::start(ServeOptions {
        port: 0,
        ..ServeOptions::new(empty.path())
    })
    .err()
    .unwrap();
    assert!(err.to_string().contains("no site.yaml"), "{err}");
    assert!(err.to_string().contains("hemasite init"), "{err}");
}

/// One request with the given `Host` header value.
fn request_with_host(url: &str, path: &str, host_header: &str) -> u16 {
    let mut stream = TcpStream::connect(host(url)).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    raw.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap()
}

#[test]
fn a_host_header_naming_another_site_is_refused() {
    let served = Served::fixture();
    let url = served.server.url();
    let port = host(url).rsplit_once(':').unwrap().1;
    assert_eq!(
        request_with_host(url, "/", &format!("rebound.example:{port}")),
        403
    );
    assert_eq!(
        request_with_host(url, "/", "127.0.0.1:1"),
        403,
        "another port"
    );
    for own in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(request_with_host(url, "/", &own), 200, "{own}");
    }
}

#[test]
fn a_double_slash_is_redirected_on_this_host_and_every_answer_says_nosniff() {
    let served = Served::fixture();
    let answer = served.get("//news");
    assert_eq!(answer.status, 302, "{answer:?}");
    assert_eq!(answer.header("Location"), Some("/news/"));
    for path in ["/", "/style.css", "/no/such/", "//news", "/../x"] {
        let answer = served.get(path);
        assert_eq!(
            answer.header("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}: {answer:?}"
        );
    }
}

#[test]
fn a_symlink_in_the_output_folder_never_serves_a_file_outside_it() {
    let served = Served::fixture();
    served.page_when("/", "the first build", |answer| answer.status == 200);
    let link = served.path(OUTPUT).join("leak.txt");
    std::os::unix::fs::symlink(served.path("site.yaml"), &link).unwrap();
    let folder = served.path(OUTPUT).join("leaks");
    std::os::unix::fs::symlink(served.path("content"), &folder).unwrap();
    let answer = served.get("/leak.txt");
    assert_eq!(answer.status, 404, "{answer:?}");
    assert!(!answer.body.contains("base_url"));
    assert_eq!(served.get("/leaks/subscribers.csv").status, 404);
}

/// A child process, killed when the test ends however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `hemasite serve --port 0` on `site` as a process, with its stderr read line by line.
fn serve_process(
    site: &Path,
    limit_files: Option<u64>,
) -> (Child, std::sync::mpsc::Receiver<String>) {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hemasite"));
    command
        .arg("--root")
        .arg(site)
        .args(["serve", "--port", "0"])
        .stderr(std::process::Stdio::piped());
    if let Some(limit) = limit_files {
        let limit = libc::rlimit {
            rlim_cur: limit,
            rlim_max: limit,
        };
        // SAFETY: setrlimit is async-signal-safe, and only the child's own limit changes.
        unsafe {
            command.pre_exec(move || {
                if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    }
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    (Child(child), received)
}

/// The URL serve printed, waiting for it.
fn serving_url(lines: &std::sync::mpsc::Receiver<String>) -> String {
    loop {
        let line = lines.recv_timeout(TIMEOUT).expect("serve printed its URL");
        if let Some(at) = line.find("http://") {
            return line[at..].trim().to_string();
        }
    }
}

/// Sends SIGTERM and returns how long the process took to end.
fn terminate(child: &mut Child) -> Duration {
    let child = &mut child.0;
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let sent = Instant::now();
    // SAFETY: signals a child process this test started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    loop {
        if child.try_wait().unwrap().is_some() {
            return sent.elapsed();
        }
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "serve ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn symlink_loops_and_links_out_of_the_site_are_not_walked_and_sigterm_stops_within_a_second() {
    let site = copy_of_fixture();
    std::os::unix::fs::symlink("..", site.path().join("content/loop")).unwrap();
    std::os::unix::fs::symlink("/", site.path().join("content/disk")).unwrap();

    // Stopped during its first build.
    let (mut early, _lines) = serve_process(site.path(), None);
    std::thread::sleep(Duration::from_millis(300));
    let took = terminate(&mut early);
    assert!(
        took < Duration::from_secs(1),
        "took {took:?} to stop during a build"
    );

    let (mut child, lines) = serve_process(site.path(), None);
    let url = serving_url(&lines);
    assert_eq!(request(&url, "GET", "/").status, 200);
    let took = terminate(&mut child);
    assert!(took < Duration::from_secs(1), "took {took:?} to stop");
}

#[test]
fn serve_keeps_answering_after_running_out_of_file_handles() {
    let site = copy_of_fixture();
    let (mut child, lines) = serve_process(site.path(), Some(96));
    let url = serving_url(&lines);
    assert_eq!(request(&url, "GET", "/").status, 200);
    // Idle connections, each holding a file handle in serve, until it has none left. Each
    // connect is bounded: once serve stops accepting and the listen backlog is full, a plain
    // connect waits out the kernel's SYN retries (two minutes) instead of failing.
    let address: std::net::SocketAddr = host(&url).parse().expect("a socket address");
    let connect = || TcpStream::connect_timeout(&address, Duration::from_millis(500)).ok();
    let hoard: Vec<TcpStream> = (0..160).filter_map(|_| connect()).collect();
    std::thread::sleep(Duration::from_millis(500));
    drop(hoard);
    let answer_again = || {
        let mut stream = connect()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            host(&url)
        )
        .ok()?;
        let mut raw = String::new();
        stream.read_to_string(&mut raw).ok()?;
        raw.starts_with("HTTP/1.1 200").then_some(raw)
    };
    let started = Instant::now();
    let answered = loop {
        if let Some(answer) = answer_again() {
            break answer;
        }
        if started.elapsed() > TIMEOUT {
            let printed: Vec<String> = lines.try_iter().collect();
            panic!("serve did not answer again; it printed {printed:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(answered.contains("</html>"));
    let printed: Vec<String> = lines.try_iter().collect();
    assert!(
        printed
            .iter()
            .any(|line| line.contains("cannot accept connections")),
        "{printed:?}"
    );
    terminate(&mut child);
}
