//! `hemasite init`: a new site for another company works with `ingest` and `build` right away;
//! completions and the man page come from the same command-line definition.

use std::path::Path;
use std::process::{Command, Output};

fn hemasite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(output: &Output) -> bool {
    output.status.success()
}

#[test]
fn a_new_site_ingests_and_builds() {
    let parent = tempfile::tempdir().unwrap();
    let site = parent.path().join("acme-ir");
    let root = site.to_str().unwrap();
    let created = hemasite(&["init", root]);
    assert!(ok(&created), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(site.join("site.yaml").is_file());
    assert!(site.join("content/raw").is_dir() && site.join("content/releases").is_dir());
    assert!(
        !site.join("templates").exists(),
        "no copy of the theme unless --with-theme"
    );

    let raw =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/raw/2003-11-14-q3-2003-results.txt");
    std::fs::copy(&raw, site.join("content/raw/q3.txt")).unwrap();
    let ingested = hemasite(&["--root", root, "ingest"]);
    assert!(
        ok(&ingested),
        "{}",
        String::from_utf8_lossy(&ingested.stderr)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&ingested.stdout),
        String::from_utf8_lossy(&ingested.stderr)
    );
    assert!(
        said.contains("Ingested 1 release: 1 written"),
        "one release, not `release(s)`: {said}"
    );
    let built = hemasite(&["--root", root, "build"]);
    assert!(ok(&built), "{}", String::from_utf8_lossy(&built.stderr));
    let summary = String::from_utf8_lossy(&built.stderr);
    assert!(summary.contains("Built 1 release, "), "{summary}");
    assert!(
        summary.contains(" pages, 2 PDFs in "),
        "one summary and one release PDF: {summary}"
    );
    let quiet = hemasite(&["--root", root, "--quiet", "build"]);
    assert!(
        ok(&quiet) && quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    let governance = std::fs::read_to_string(site.join("public/governance/index.html")).unwrap();
    assert!(
        governance.contains("<h1>Corporate Governance</h1>")
            && governance.contains("<td>Audit</td>")
            && governance.contains(r#"href="../leadership/""#),
        "init's example page is built: {governance}"
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        home.contains("Example Corporation"),
        "the new site.yaml is used"
    );
    assert!(
        site.join("public/reports/quarterly-summary-2003-q3.pdf")
            .is_file()
    );

    let again = hemasite(&["init", root]);
    assert!(!ok(&again), "init refuses an existing site");
}

#[test]
fn completions_and_man_page_are_generated() {
    let bash = hemasite(&["completions", "bash"]);
    assert!(ok(&bash));
    let script = String::from_utf8(bash.stdout).unwrap();
    assert!(
        script.contains("hemasite")
            && script.contains("ingest")
            && script.contains("--allow-inconsistent")
    );
    let man = hemasite(&["man"]);
    assert!(ok(&man));
    let page = String::from_utf8(man.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH hemasite"),
        "{}",
        &page[..80.min(page.len())]
    );
}
