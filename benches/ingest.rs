//! Ingest throughput on a synthetic corpus of 10,000 releases made from the five seeds, with
//! dates, names and figures varied (figures keep their width so the fixed-width tables still
//! line up). Prints releases per second and MB/s, single thread and on all cores.
//!
//! Then HTML: the EX-99 HTML exhibits of `../shared/corpus/` (Workiva, RR Donnelley and older
//! filing-agent HTML, 25 KB to 1.8 MB each), read over and over to about 50 MB: MB/s for the
//! HTML front end alone and for the whole ingest of each exhibit, on one core and on all. Skipped,
//! saying so, without the corpus.
//!
//! Run with `cargo bench --bench ingest`.

use std::time::Instant;

use hemasite::ingest;
use hemasite::model::FiscalCalendar;
use rayon::prelude::*;

/// How many synthetic releases; `BENCH_RELEASES` overrides it for a quick run.
fn releases() -> usize {
    std::env::var("BENCH_RELEASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}
const SURNAMES: [&str; 6] = ["Irving", "Irvine", "Ingram", "Iverso", "Irwins", "Isaacs"];

fn main() {
    let corpus = synthetic_corpus();
    let bytes: usize = corpus.iter().map(Vec::len).sum();
    println!(
        "corpus: {} releases, {:.1} MB, {} cores",
        corpus.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );

    let single = time(|| corpus.iter().map(|raw| ingest_one(raw)).sum::<usize>());
    report("ingest, 1 thread", single, corpus.len(), bytes);
    // On a busy machine wall time undercounts a core; the thread's own CPU time does not.
    let cpu = cpu_time(|| corpus.iter().map(|raw| ingest_one(raw)).sum::<usize>());
    report("ingest, 1 core (CPU)", cpu, corpus.len(), bytes);

    let parallel = time(|| corpus.par_iter().map(|raw| ingest_one(raw)).sum::<usize>());
    report("ingest, all cores", parallel, corpus.len(), bytes);

    // `BENCH_TEXT_ONLY=1`: the text figures alone (for a profiler).
    if std::env::var_os("BENCH_TEXT_ONLY").is_none() {
        html_figures();
    }
}

/// The HTML exhibits of the corpus, each with the raw-file line its text starts on.
fn html_exhibits() -> Option<Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut exhibits = Vec::new();
    for entry in std::fs::read_dir(&dir).ok()? {
        let bytes = std::fs::read(entry.ok()?.path()).ok()?;
        let text = ingest::decode::decode(&bytes).ok()?;
        for part in ingest::source::edgar::split(&text).parts {
            let release = part.kind.is_empty() || part.kind.starts_with("EX-99");
            if release && ingest::source::html::looks_like_html(part.text) {
                exhibits.push(part.text.to_string());
            }
        }
    }
    exhibits.sort();
    (!exhibits.is_empty()).then_some(exhibits)
}

fn html_figures() {
    let Some(exhibits) = html_exhibits() else {
        println!("html: skipped, no ../shared/corpus");
        return;
    };
    let one_round: usize = exhibits.iter().map(String::len).sum();
    let rounds = (50_000_000 / one_round).max(1);
    let corpus: Vec<&String> = (0..rounds).flat_map(|_| exhibits.iter()).collect();
    let bytes = one_round * rounds;
    println!(
        "html corpus: {} exhibits read {rounds} times, {:.1} MB",
        exhibits.len(),
        bytes as f64 / 1e6
    );
    let read_html = |html: &String| ingest::source::html::read(html, 1).blocks.len();
    // An exhibit as it sits in its submission: the header gives a release without a dated
    // dateline its filing date.
    let submissions: Vec<String> = corpus
        .iter()
        .map(|html| {
            format!(
                "<SEC-HEADER>\nFILED AS OF DATE:\t20240201\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n{html}</TEXT>\n</DOCUMENT>\n"
            )
        })
        .collect();
    let ingest_html = |html: &String| ingest_one(html.as_bytes());
    let single = cpu_time(|| corpus.iter().map(|h| read_html(h)).sum::<usize>());
    report("html reader, 1 core", single, corpus.len(), bytes);
    let parallel = time(|| corpus.par_iter().map(|h| read_html(h)).sum::<usize>());
    report("html reader, all", parallel, corpus.len(), bytes);
    let single = cpu_time(|| submissions.iter().map(ingest_html).sum::<usize>());
    report("html ingest, 1 core", single, corpus.len(), bytes);
    let parallel = time(|| submissions.par_iter().map(ingest_html).sum::<usize>());
    report("html ingest, all", parallel, corpus.len(), bytes);
}

/// What ingest does per file, short of the disk: decode, extract, render the Markdown file.
fn ingest_one(raw: &[u8]) -> usize {
    let (releases, _warnings) = ingest::extract_file(raw, "raw/x.txt", &FiscalCalendar::default())
        .expect("synthetic releases are well formed");
    releases.iter().map(|r| ingest::render_file(r).len()).sum()
}

fn time(work: impl Fn() -> usize) -> f64 {
    work(); // warm up
    let runs = 3;
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(work());
    }
    start.elapsed().as_secs_f64() / runs as f64
}

/// Seconds of this thread's CPU time for one run.
fn cpu_time(work: impl Fn() -> usize) -> f64 {
    let start = thread_cpu_seconds();
    std::hint::black_box(work());
    thread_cpu_seconds() - start
}

fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for clock_gettime to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
}

fn report(what: &str, seconds: f64, releases: usize, bytes: usize) {
    println!(
        "{what:<20} {:>9.0} releases/s  {:>6.1} MB/s  ({:.0} ms for {releases})",
        releases as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        seconds * 1e3
    );
}

fn synthetic_corpus() -> Vec<Vec<u8>> {
    let raw_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/content/raw");
    let mut seeds: Vec<_> = std::fs::read_dir(raw_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    let seeds: Vec<String> = seeds
        .iter()
        .map(|p| String::from_utf8(std::fs::read(p).unwrap()).unwrap())
        .collect();
    (0..releases())
        .map(|i| vary(&seeds[i % seeds.len()], i).into_bytes())
        .collect()
}

/// Shifts the years, swaps the CEO's surname and changes the digits of every figure.
fn vary(seed: &str, i: usize) -> String {
    let shift = (i / 5 % 20) as i32;
    let mut text = seed.to_string();
    for year in (2002..=2004).rev() {
        text = text.replace(&year.to_string(), &(year + shift).to_string());
    }
    text = text.replace("Irving", SURNAMES[i % SURNAMES.len()]);
    rotate_figures(&text, (i % 9 + 1) as u8)
}

/// `6,980,000` → `6,091,111` for k = 1: the groups after a comma change, the width does not.
fn rotate_figures(text: &str, k: u8) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    for (index, digit) in out.iter_mut().enumerate() {
        let group_start = index.saturating_sub(3)..index;
        let after_thousands_comma = digit.is_ascii_digit()
            && bytes[group_start]
                .iter()
                .rev()
                .find(|b| !b.is_ascii_digit())
                == Some(&b',')
            && index >= 2
            && bytes[..index]
                .iter()
                .rev()
                .skip_while(|b| b.is_ascii_digit())
                .nth(1)
                .is_some_and(u8::is_ascii_digit);
        if after_thousands_comma {
            *digit = b'0' + (*digit - b'0' + k) % 10;
        }
    }
    String::from_utf8(out).unwrap()
}
