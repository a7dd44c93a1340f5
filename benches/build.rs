//! `hemasite build` of a synthetic site: 10,000 releases (or `HEMASITE_BENCH_RELEASES`) made
//! from the fixture's third-quarter release, with dates, titles and figures varied.
//!
//! 1. A full build of the pages (no PDFs): time, pages per second, peak memory.
//!    Target: under 2.5 s on two cores, peak memory under 500 MB.
//! 2. Incremental rebuilds after one release's text is edited, the way `hemasite serve` does
//!    them (one builder kept, files changed in place, PDFs included), and the way a second
//!    `hemasite build` does them (a new builder, the manifest read from disk, swap).
//!    Target for the first: under 100 ms.
//!
//! Run with `cargo bench --bench build`.

use std::path::Path;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use hemasite::progress::Silent;
use hemasite::site::{BuildOptions, Builder, WriteMode, build};

const TEMPLATE: &str = "tests/fixtures/hemacare/content/releases/2003-11-14-hemacare-reports-third-quarter-financial-results.md";
const RAW: &str = "tests/fixtures/hemacare/content/raw/2003-11-14-q3-2003-results.txt";

fn main() {
    let count: usize = std::env::var("HEMASITE_BENCH_RELEASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(10_000);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().expect("temporary folder");
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
    let mut times = Vec::new();
    for round in 0..7 {
        let path = &names[(count / 2 + round * 97) % names.len()];
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, text.replacen("HemaCare", "HemaCare Corporation", 1)).unwrap();
        let started = Instant::now();
        let report = server.build(&Silent).expect("incremental build");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if round == 0 {
            println!(
                "serve, one release edited: {} of {} files made",
                report.made.len(),
                report.files
            );
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "serve, one release edited, 7 rounds: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );

    let build_options = BuildOptions {
        write: WriteMode::Swap,
        output: Some(site.join("public-full")),
        ..serve_options
    };
    build(&build_options).expect("full build with PDFs");
    let path = &names[count / 3];
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, text.replacen("HemaCare", "HemaCare Corporation", 1)).unwrap();
    let started = Instant::now();
    let report = build(&build_options).expect("incremental build");
    println!(
        "hemasite build after one edit (new builder, manifest from disk, swap): {:.2} s, {} of {} files made",
        started.elapsed().as_secs_f64(),
        report.made.len(),
        report.files
    );
}

/// Writes `site.yaml`, one raw filing and `count` releases, each a variation of the template.
fn synthesize(manifest: &Path, site: &Path, count: usize) {
    let releases = site.join("content/releases");
    std::fs::create_dir_all(&releases).unwrap();
    std::fs::create_dir_all(site.join("content/raw")).unwrap();
    std::fs::copy(
        manifest.join("tests/fixtures/hemacare/site.yaml"),
        site.join("site.yaml"),
    )
    .unwrap();
    std::fs::copy(
        manifest.join(RAW),
        site.join("content/raw/2003-11-14-q3-2003-results.txt"),
    )
    .unwrap();
    let template = std::fs::read_to_string(manifest.join(TEMPLATE)).unwrap();
    let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    for index in 0..count {
        // About one release a day, so that years and categories fill up as on a real site.
        let day = first + Duration::days(index as i64);
        let number = index + 1;
        let text = template
            .replace("date: 2003-11-14", &format!("date: {day}"))
            .replace(
                "title: HemaCare Reports Third Quarter Financial Results",
                &format!("title: HemaCare Reports Results, Release {number}"),
            )
            .replace(
                "title: Third quarter 2003 results conference call",
                &format!("title: Results conference call {number}"),
            )
            .replace(
                "2003-11-14T16:30:00-05:00",
                &format!("{day}T16:30:00-05:00"),
            )
            .replace("6980000", &(6_980_000 + number * 1000).to_string())
            .replace("-4679000", &format!("-{}", 4_679_000 + number * 7));
        let name = format!("{day}-hemacare-reports-results-release-{number}.md");
        std::fs::write(releases.join(name), text).unwrap();
    }
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
