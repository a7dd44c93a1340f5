//! Writes every PDF for a folder of release files: `write_pdfs <releases-dir> <site-root> <out-dir>`.
//!
//! Used by `.ci/checks/40-pdf.sh` until `hemasite build` writes the PDFs itself.

use std::path::Path;
use std::process::ExitCode;

use hemasite::config::SiteConfig;
use hemasite::model::Release;
use hemasite::theme::Theme;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [releases_dir, site_root, out_dir] = args.as_slice() else {
        eprintln!("usage: write_pdfs <releases-dir> <site-root> <out-dir>");
        return ExitCode::FAILURE;
    };
    match run(
        Path::new(releases_dir),
        Path::new(site_root),
        Path::new(out_dir),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(releases_dir: &Path, site_root: &Path, out_dir: &Path) -> Result<(), String> {
    let config = SiteConfig::load(&site_root.join("site.yaml")).map_err(|e| e.to_string())?;
    let mut paths: Vec<_> = std::fs::read_dir(releases_dir)
        .map_err(|e| format!("{}: {e}", releases_dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    let mut releases = Vec::new();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        releases.push(Release::parse(&path, &text).map_err(|e| e.to_string())?);
    }
    let written = hemasite::pdf::write_all(&releases, &config, &Theme::new(site_root), out_dir)
        .map_err(|e| e.to_string())?;
    for path in written {
        println!("{}", path.display());
    }
    Ok(())
}
