//! The command line's own output, from the built binary: one summary line and no escape codes
//! when stderr is not a terminal (a log, a pipe, CI), nothing but problems with `--quiet`, each
//! stage with `--verbose`, and colour only when asked for or on a terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ESCAPE: char = '\u{1b}';

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hemacare")
}

/// Runs `hemasite` with stderr piped (so not a terminal) and no colour settings inherited.
fn hemasite(args: &[&str], colour: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemasite"));
    command
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR");
    if let Some(value) = colour {
        command.env("CLICOLOR_FORCE", value);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn build_args<'a>(root: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--root", root];
    args.extend_from_slice(extra);
    args.extend(["build", "--output", out]);
    args
}

#[test]
fn a_build_into_a_log_prints_exactly_one_summary_line() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let (root, out_text) = (fixture(), out.display().to_string());
    let output = hemasite(&build_args(root.to_str().unwrap(), &out_text, &[]), None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(!text.contains(ESCAPE), "escape codes in a log: {text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let prefix = "Built 5 releases, 20 pages, 7 PDFs in ";
    // A first build makes every file.
    let suffix = format!(" ms into {out_text} (all 54 files made)");
    assert!(
        lines[0].starts_with(prefix) && lines[0].ends_with(&suffix),
        "{text}"
    );
    let millis = &lines[0][prefix.len()..lines[0].len() - suffix.len()];
    assert!(millis.parse::<u64>().is_ok(), "{text}");
    assert!(text.ends_with('\n'));
}

#[test]
fn quiet_prints_nothing_when_all_is_well() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public").display().to_string();
    let root = fixture().display().to_string();
    let output = hemasite(&build_args(&root, &out, &["--quiet"]), None);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn verbose_names_each_stage_with_its_count() {
    let site = tempfile::tempdir().unwrap();
    let raw = site.path().join("content/raw");
    std::fs::create_dir_all(&raw).unwrap();
    for name in [
        "2003-05-19-new-board-members.txt",
        "2003-11-14-q3-2003-results.txt",
    ] {
        std::fs::copy(fixture().join("content/raw").join(name), raw.join(name)).unwrap();
    }
    let root = site.path().display().to_string();
    let output = hemasite(&["--root", &root, "--verbose", "ingest"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(!text.contains(ESCAPE), "{text:?}");
    assert_eq!(text.lines().next(), Some("Reading filings: 2"), "{text}");
    assert!(
        text.lines().any(|line| line.starts_with("wrote ")),
        "{text}"
    );
}

/// A site whose `site.yaml` has a colour that is not one.
fn site_with_bad_config() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("site.yaml"),
        "title: T\nbase_url: https://example.com/\ncompany: { name: C, ticker: X }\nbrand:\n  primary: red\n",
    )
    .unwrap();
    site
}

#[test]
fn errors_are_red_when_colour_is_forced() {
    let site = site_with_bad_config();
    let root = site.path().display().to_string();
    let output = hemasite(&["--root", &root, "build"], Some("1"));
    assert!(!output.status.success());
    let text = stderr(&output);
    let red_bold = anstyle::AnsiColor::Red.on_default().bold();
    assert!(
        text.starts_with(&format!("{red_bold}error:{red_bold:#}")),
        "{text:?}"
    );
    // The place is bold, and the caret under `red` is red.
    assert!(
        text.contains("site.yaml:5\u{1b}[0m: brand.primary: expected a colour"),
        "{text:?}"
    );
    assert!(
        text.contains(&format!("{red_bold}^^^{red_bold:#}")),
        "{text:?}"
    );
}

#[test]
fn errors_are_plain_text_off_a_terminal() {
    let site = site_with_bad_config();
    let root = site.path().display().to_string();
    let output = hemasite(&["--root", &root, "build"], None);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(!text.contains(ESCAPE), "{text:?}");
    assert_eq!(
        text,
        format!(
            "error: {}:5: brand.primary: expected a colour like `#7a1020`, found `red`\n  |\n5 |   primary: red\n  |            ^^^\n",
            site.path().join("site.yaml").display()
        )
    );
}

#[test]
fn source_date_epoch_pins_the_day_upcoming_events_count_from() {
    let out = tempfile::tempdir().unwrap();
    let out_text = out.path().join("public").display().to_string();
    let root = fixture().display().to_string();
    // 1086048000 is June 1, 2004: the May 25 annual meeting is past, as of that day.
    let output = Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .args(build_args(&root, &out_text, &["--quiet"]))
        .env("SOURCE_DATE_EPOCH", "1086048000")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let events = std::fs::read_to_string(out.path().join("public/events/index.html")).unwrap();
    assert!(events.contains("as of June 1, 2004"), "{events}");
    let upcoming = events.split("id=\"past\"").next().unwrap();
    assert!(
        !upcoming.contains("annual meeting of shareholders"),
        "{upcoming}"
    );
    // Not a number of seconds: the build says what the variable should hold.
    let output = Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .args(build_args(&root, &out_text, &[]))
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("SOURCE_DATE_EPOCH is `yesterday`"));
}

#[test]
fn commands_without_a_site_folder_do_not_offer_site_options() {
    for command in ["init", "man", "completions"] {
        let help = hemasite(&[command, "--help"], None);
        let text = String::from_utf8_lossy(&help.stdout);
        for option in ["--root", "--quiet", "--verbose"] {
            assert!(
                !text.contains(option),
                "`{command} --help` lists {option}:\n{text}"
            );
        }
    }
    let help = hemasite(&["build", "--help"], None);
    assert!(String::from_utf8_lossy(&help.stdout).contains("--root"));
}

#[test]
fn a_folder_without_site_yaml_suggests_init_for_every_command() {
    let empty = tempfile::tempdir().unwrap();
    let root = empty.path().display().to_string();
    for args in [
        vec!["--root", &root, "build"],
        vec!["--root", &root, "check"],
    ] {
        let output = hemasite(&args, None);
        assert!(!output.status.success());
        let text = stderr(&output);
        assert!(text.contains("hemasite init"), "{args:?}: {text}");
    }
}
