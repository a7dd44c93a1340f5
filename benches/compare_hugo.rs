//! The synthetic site (`benches/synthetic`) built by `hemasite build` and by Hugo: the same
//! releases, for Hugo as Markdown pages with a minimal theme that makes comparable pages (a page
//! per release with its neighbours, the news list, by year and by category, 20 to a page, the
//! home page, feeds and the sitemap). Best of three clean builds each, run alternately so that
//! both see the same machine load; prints both times and their ratio. Skipped, with a message,
//! when `hugo` is not on the PATH.
//!
//! Run with `cargo bench --bench compare_hugo` (or `benches/compare-hugo.sh`). Set
//! `HEMASITE_BENCH_SITE=DIR` to keep the synthetic site (and its Hugo twin, `DIR/hugo`) there.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hemasite::model::Release;

#[path = "synthetic/mod.rs"]
mod synthetic;

fn main() {
    let count = synthetic::release_count();
    let Ok(version) = Command::new("hugo").arg("version").output() else {
        println!("hugo is not installed (e.g. `apt-get install hugo`): nothing to compare");
        return;
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temporary = tempfile::tempdir().expect("temporary folder");
    let site = std::env::var_os("HEMASITE_BENCH_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| temporary.path().to_path_buf());
    synthetic::synthesize(manifest, &site, count);
    let hugo = site.join("hugo");
    hugo_twin(&site, &hugo);

    let (mut ours, mut theirs) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        ours = ours.min(time_clean(&site, &["public"], hemasite_build(&site)));
        theirs = theirs.min(time_clean(
            &hugo,
            &["public", "resources"],
            hugo_build(&hugo),
        ));
    }
    let files = |dir: &Path| count_files(&dir.join("public"));
    println!("{}", String::from_utf8_lossy(&version.stdout).trim());
    println!(
        "{count} releases, best of 3 clean builds each, alternately: hemasite build {:.2} s \
         ({} files, every PDF included), Hugo {:.2} s ({} files); hemasite / Hugo = {:.2}",
        ours.as_secs_f64(),
        files(&site),
        theirs.as_secs_f64(),
        files(&hugo),
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

fn hemasite_build(site: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemasite"));
    command.arg("--root").arg(site).args([
        "build",
        "--quiet",
        "--allow-inconsistent",
        "--today",
        "2026-12-01",
    ]);
    command
}

fn hugo_build(site: &Path) -> Command {
    let mut command = Command::new("hugo");
    command.arg("--quiet").arg("--source").arg(site);
    command
}

/// Runs `command` after removing what an earlier build left in `site` (the `outputs` folders,
/// and hemasite's manifests, spare and cache beside `public/`), and returns how long it took.
fn time_clean(site: &Path, outputs: &[&str], mut command: Command) -> Duration {
    for entry in std::fs::read_dir(site).unwrap().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if outputs.contains(&name.as_str()) || name.starts_with(".public-") {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
    let started = Instant::now();
    let run = command.output().expect("build runs");
    let took = started.elapsed();
    assert!(
        run.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    took
}

/// Hugo's copy of the site: each release as a page with its title, date, category and year
/// (the two taxonomies the news lists are made of) and its Markdown body; the theme is the
/// minimal set of layouts below.
fn hugo_twin(site: &Path, hugo: &Path) {
    let content = hugo.join("content/releases");
    std::fs::create_dir_all(&content).unwrap();
    for path in Release::files_in(&site.join("content/releases")).unwrap() {
        let text = std::fs::read_to_string(&path).unwrap();
        let release = Release::parse(&path, &text).unwrap();
        let front = &release.front;
        let page = format!(
            "---\ntitle: {}\ndate: {}\ncategories: [{}]\nyears: [\"{}\"]\nslug: {}\n---\n{}",
            serde_json::to_string(&front.title).unwrap(),
            front.date,
            front.category.slug(),
            chrono::Datelike::year(&front.date),
            release.slug,
            release.body
        );
        std::fs::write(content.join(format!("{}.md", release.slug)), page).unwrap();
    }
    for (file, text) in THEME {
        let path = hugo.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const THEME: [(&str, &str); 6] = [
    (
        "config.toml",
        r#"baseURL = "https://ir.hemacare.example/"
title = "HemaCare Investor Relations"
paginate = 20
disableKinds = ["robotsTXT"]
[taxonomies]
category = "categories"
year = "years"
"#,
    ),
    (
        "layouts/_default/baseof.html",
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ .Site.Title }}</a> <nav><a href="/releases/">News</a> <a href="/categories/">Categories</a> <a href="/years/">Years</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>© HemaCare Corporation</footer></body></html>
"#,
    ),
    (
        "layouts/_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "January 2, 2006" }} · {{ range .Params.categories }}<a href="/categories/{{ . | urlize }}/">{{ . }}</a>{{ end }}</p>
{{ .Content }}</article>
<nav>{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
"#,
    ),
    (
        "layouts/_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ $pager := .Paginate .Pages }}{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "Jan 2, 2006" }}</time><p>{{ .Summary | plainify | truncate 220 }}</p></li>{{ end }}</ul>
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} {{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>{{ end }}
"#,
    ),
    (
        "layouts/_default/terms.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "layouts/index.html",
        r#"{{ define "main" }}<h1>{{ .Site.Title }}</h1><h2>Latest news</h2><ul>{{ range first 5 (where .Site.RegularPages "Section" "releases") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "Jan 2, 2006" }}</time><p>{{ .Summary | plainify | truncate 220 }}</p></li>{{ end }}</ul>{{ end }}
"#,
    ),
];

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| match entry.file_type() {
                    Ok(kind) if kind.is_dir() => count_files(&entry.path()),
                    _ => 1,
                })
                .sum()
        })
        .unwrap_or(0)
}
