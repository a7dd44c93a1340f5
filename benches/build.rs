//! `hemasite build` of a synthetic site: 10,000 releases (or `HEMASITE_BENCH_RELEASES`), about
//! one a day, made from the fixture's releases (see [`synthesize`]).
//!
//! 1. A full build of the pages (no PDFs): time, pages per second, peak memory.
//!    Target: under 2.5 s on two cores, peak memory under 500 MB.
//! 2. Incremental rebuilds after one release is edited, the way `hemasite serve` does them
//!    (one builder kept, files changed in place, PDFs included): a news release's text or
//!    title, an earnings release's text or one of its figures, seven edits each. Target for an
//!    edited release: under 100 ms.
//! 3. `hemasite build` in a new process, as a user runs it: a clean build with every PDF, then
//!    after one edit, seven times (see [`new_processes`]). Target after one edit: under 0.5 s.
//!
//! Run with `cargo bench --bench build`. With `HEMASITE_BENCH_SITE=folder`, the synthetic site
//! is made in that (new) folder and left there, so that a rebuild can be profiled after the
//! bench (`perf record -g target/release/hemasite --root folder build --allow-inconsistent
//! --output folder/public-full`, after editing a release).

use std::path::Path;
use std::time::Instant;

use hemasite::progress::Silent;
use hemasite::site::{BuildOptions, Builder, WriteMode, build};

#[path = "synthetic/mod.rs"]
mod synthetic;
use synthetic::synthesize;

fn main() {
    let count = synthetic::release_count();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::new();
    synthesize(manifest, site.path(), count);

    let options = BuildOptions {
        output: Some(site.path().join("public")),
        allow_inconsistent: true,
        pdfs: false,
        ..BuildOptions::new(site.path())
    };
    // Reading and parsing the releases alone, to show how the build time divides.
    let started = Instant::now();
    hemasite::site::load(&options).unwrap_or_else(|err| panic!("load failed: {err}"));
    println!(
        "load (read and parse {count} releases): {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let report = build(&options).unwrap_or_else(|err| panic!("build failed: {err}"));
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "built {count} releases: {} pages, {} files in {seconds:.2} s ({:.0} pages/s, {:.0} files/s); peak memory {} MB",
        report.pages,
        report.files,
        report.pages as f64 / seconds,
        report.files as f64 / seconds,
        peak_memory_kb() / 1024
    );

    incremental(site.path(), count);
}

/// Where the synthetic site is made: a temporary folder, or the folder `HEMASITE_BENCH_SITE`
/// names, which is kept.
enum Site {
    Temporary(tempfile::TempDir),
    Kept(std::path::PathBuf),
}

impl Site {
    fn new() -> Site {
        match std::env::var_os("HEMASITE_BENCH_SITE") {
            Some(folder) => {
                let folder = std::path::PathBuf::from(folder);
                assert!(
                    !folder.exists(),
                    "HEMASITE_BENCH_SITE={}: the folder exists; name a new one",
                    folder.display()
                );
                Site::Kept(folder)
            }
            None => Site::Temporary(tempfile::tempdir().expect("temporary folder")),
        }
    }

    fn path(&self) -> &Path {
        match self {
            Site::Temporary(dir) => dir.path(),
            Site::Kept(folder) => folder,
        }
    }
}

/// Edits one release after another and times the rebuild that follows each edit.
fn incremental(site: &Path, count: usize) {
    let serve_options = BuildOptions {
        output: Some(site.join("serve")),
        allow_inconsistent: true,
        write: WriteMode::InPlace,
        ..BuildOptions::new(site)
    };
    let mut server = Builder::new(serve_options.clone());
    let started = Instant::now();
    let first = server.build(&Silent).expect("serve's first build");
    println!(
        "serve's first build (with {} PDFs): {:.1} s",
        first.pdfs,
        started.elapsed().as_secs_f64()
    );
    let releases = site.join("content/releases");
    let mut names: Vec<_> = std::fs::read_dir(&releases)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    let (with_figures, news): (Vec<_>, Vec<_>) = names.iter().partition(|path| {
        std::fs::read_to_string(path)
            .unwrap()
            .contains("\nfinancials:")
    });
    let body =
        |text: &str| format!("{text}\nThe Company will publish further details in due course.\n");
    let title = |text: &str| text.replacen("title: ", "title: Update, ", 1);
    let figure = |text: &str| text.replacen("values: [", "values: [1", 1);
    time_edits(&mut server, "a news release's text", &news, body);
    time_edits(&mut server, "a news release's title", &news, title);
    time_edits(
        &mut server,
        "an earnings release's text",
        &with_figures,
        body,
    );
    time_edits(
        &mut server,
        "an earnings release's figure",
        &with_figures,
        figure,
    );

    new_processes(site, &names[count / 3]);
}

/// `hemasite build` as a user runs it, a new process each time, into `public-full`: a clean
/// build with every PDF; then one release edited before each of seven builds. The first of
/// these has no spare yet (it hard-links every kept file into an empty staging folder); the
/// others are built in the spare, with the parsed releases from the cache.
fn new_processes(site: &Path, edited: &Path) {
    let process = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hemasite"));
        command
            .arg("--root")
            .arg(site)
            .args(["build", "--quiet", "--allow-inconsistent", "--output"])
            .arg(site.join("public-full"));
        let started = Instant::now();
        let run = command.output().expect("hemasite build runs");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        started.elapsed().as_secs_f64()
    };
    println!(
        "hemasite build, clean, new process, with every PDF: {:.2} s",
        process()
    );
    let mut times = Vec::new();
    for round in 0..8 {
        let text = std::fs::read_to_string(edited).unwrap();
        std::fs::write(edited, format!("{text}\nFurther details, part {round}.\n")).unwrap();
        times.push(process());
    }
    let first = times.remove(0);
    times.sort_by(f64::total_cmp);
    println!(
        "hemasite build after one edit, new process: {first:.2} s the first time (no spare yet: \
         every kept file linked); then median {:.2} s (fastest {:.2}, slowest {:.2}) over 7 edits \
         (built in the spare, releases from the cache)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

/// Edits 7 of `releases` (spread over the list) with `edit`, one after the other, and prints
/// the median, fastest and slowest rebuild.
fn time_edits(
    server: &mut Builder,
    what: &str,
    releases: &[&std::path::PathBuf],
    edit: impl Fn(&str) -> String,
) {
    let mut times = Vec::new();
    let mut made = 0;
    for round in 0..7 {
        let path = releases[(releases.len() / 2 + round * 97) % releases.len()];
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, edit(&text)).unwrap();
        let started = Instant::now();
        let report = server.build(&Silent).expect("incremental build");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        made = report.made.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "serve, {what} edited: median {:.0} ms (fastest {:.0}, slowest {:.0}) over 7 edits; {made} files made",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

/// The process's peak resident memory (VmHWM) in kilobytes; 0 where /proc is not available.
fn peak_memory_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}
