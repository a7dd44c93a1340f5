//! The synthetic site built by `hemasite build` and by Hugo, best of three clean builds each,
//! run alternately so that both see the same machine load; prints both times and their ratio.
//! Skipped, with a message, when `hugo` is not on the PATH.
//!
//! Run with `cargo bench --bench compare_hugo` (or `benches/compare-hugo.sh`). Set
//! `HEMASITE_BENCH_SITE=DIR` to keep the synthetic site (and its Hugo twin, `DIR/hugo`) there.

#[path = "synthetic/mod.rs"]
mod synthetic;

fn main() {
    let count: usize = std::env::var("HEMASITE_BENCH_RELEASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(10_000);
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let temporary = tempfile::tempdir().expect("temporary folder");
    let site = std::env::var_os("HEMASITE_BENCH_SITE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temporary.path().to_path_buf());
    synthetic::synthesize(manifest, &site, count);
}
