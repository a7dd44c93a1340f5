//! PDF throughput: quarterly summaries and release PDFs per second, on one thread and on all
//! cores, rendered from the demo site's releases with fonts, templates and the shared font
//! subsets made once (as a site build makes them).
//!
//! Run with `cargo bench --bench pdf`. Target: about half a millisecond per release PDF on one
//! core (issue 17). Take the best of several runs on a shared machine.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hemasite::config::SiteConfig;
use hemasite::model::{Quarter, Release};
use hemasite::pdf::PdfRenderer;
use hemasite::theme::Theme;
use rayon::prelude::*;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = SiteConfig::load(&root.join("site.yaml")).expect("site.yaml");
    let releases = load_releases(&root.join("content/releases"));
    let quarters: Vec<Quarter> = releases
        .iter()
        .filter_map(|r| r.front.financials.as_ref())
        .filter_map(|f| Quarter::parse(&f.fiscal_period))
        .collect();
    let started = Instant::now();
    let renderer = PdfRenderer::new(&config, &Theme::new(&root)).expect("renderer");
    println!(
        "setup (fonts, templates, shared subsets): {:.1} ms",
        ms(started.elapsed())
    );

    let rounds = 40;
    let summary = |i: usize| {
        renderer
            .quarterly_summary(quarters[i % quarters.len()], &releases)
            .expect("summary")
            .len()
    };
    let release = |i: usize| {
        renderer
            .release(&releases[i % releases.len()])
            .expect("release")
            .len()
    };
    // Warm up: first use of each font builds lazy tables.
    summary(0);
    release(0);

    report("summaries, 1 thread", rounds, || {
        (0..rounds).map(summary).sum()
    });
    report("summaries, parallel", rounds * 4, || {
        (0..rounds * 4).into_par_iter().map(summary).sum()
    });
    report("release PDFs, 1 thread", rounds, || {
        (0..rounds).map(release).sum()
    });
    report("release PDFs, parallel", rounds * 4, || {
        (0..rounds * 4).into_par_iter().map(release).sum()
    });
    println!("threads: {}", rayon::current_num_threads());
}

fn report(what: &str, count: usize, run: impl FnOnce() -> usize) {
    let started = Instant::now();
    let bytes = run();
    let elapsed = started.elapsed();
    println!(
        "{what:<24} {:>8.1} per second  {:>6.2} ms each  {:>5.1} KB each",
        count as f64 / elapsed.as_secs_f64(),
        ms(elapsed) / count as f64,
        bytes as f64 / count as f64 / 1024.0
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn load_releases(dir: &std::path::Path) -> Vec<Release> {
    let (releases, errors) = Release::load_dir(dir);
    assert!(errors.is_empty(), "{errors:?}");
    releases
}
