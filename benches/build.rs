//! Full `hemasite build` of a synthetic site: 10,000 releases (or `HEMASITE_BENCH_RELEASES`)
//! made from the fixture's third-quarter release, with dates, titles and figures varied.
//! Prints the build time, pages per second and the peak memory of the process.
//!
//! Run with `cargo bench --bench build`. Target: 10,000 releases in under 2.5 s on two cores,
//! peak memory under 500 MB.

use std::path::Path;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use hemasite::site::{BuildOptions, build};

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
