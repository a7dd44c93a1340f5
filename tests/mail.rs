//! `hemasite mail`: what the messages hold, who gets them, and that nothing is lost or sent twice.
//!
//! Every test works on a copy of `tests/fixtures/mail/site/`: a `site.yaml` with a `mail:`
//! section, a recipient list with bad and duplicate lines, and a small fixture PDF in
//! `public/reports/` standing in for the built summary; plus the demo site's real releases from
//! `content/releases/`, whose third-quarter 2003 earnings release fills the message body.
//! Sending goes to a fake server behind the same `Transport` seam the SMTP client uses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use hemasite::config::SiteConfig;
use hemasite::mail::mailing::MailList;
use hemasite::mail::recipients::RecipientList;
use hemasite::mail::transport::{SendError, SmtpSender, Transport};
use hemasite::mail::{Mode, Options, Report, Runtime, What};
use hemasite::model::Quarter;
use lettre::address::Envelope;
use mail_parser::{MessageParser, MimeHeaders, PartType};

mod common;
use common::copy_tree;

const FIXTURE: &str = "tests/fixtures/mail/site";
const PDF: &str = "public/reports/quarterly-summary-2003-q3.pdf";
const SENT_LOG: &str = "content/mail/sent.log";
/// The valid, distinct addresses of the fixture list, in list order.
const EVERYONE: [&str; 4] = [
    "jane.doe@example.com",
    "robert.smith@example.com",
    "ana.garcia@example.com",
    "board.member@example.com",
];

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(Path::new(FIXTURE), dir.path());
    copy_tree(
        Path::new("content/releases"),
        &dir.path().join("content/releases"),
    );
    dir
}

fn config(root: &Path) -> SiteConfig {
    SiteConfig::load(&root.join("site.yaml")).unwrap()
}

/// 2003-11-17 14:00:00 UTC, so that messages do not depend on the clock.
fn monday() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_069_077_600)
}

fn options(mode: Mode) -> Options {
    Options {
        what: What::Quarter(Some(Quarter::parse("2003-Q3").unwrap())),
        mode,
        resend: false,
        resend_uncertain: false,
        group: None,
        output: None,
    }
}

fn runtime(transport: Option<&mut dyn Transport>) -> Runtime<'_> {
    Runtime {
        transport,
        retry: hemasite::mail::transport::RetryPolicy {
            attempts: 3,
            first_delay: Duration::ZERO,
        },
        now: monday,
        sleep: |_| {},
        progress: false,
        read_env: |name| (name == "HEMASITE_TEST_UNSUBSCRIBE_SECRET").then(|| "s3cret".to_string()),
    }
}

/// A run that sends one mailing (`--period`, `--release`), and its report.
fn run_with(
    root: &Path,
    config: &SiteConfig,
    options: &Options,
    runtime: Runtime<'_>,
) -> anyhow::Result<Report> {
    let mut reports = hemasite::mail::run_with(root, config, options, runtime)?;
    assert_eq!(reports.len(), 1, "one mailing: {reports:?}");
    Ok(reports.remove(0))
}

fn send(root: &Path, options: &Options, server: &mut FakeServer) -> Report {
    run_with(root, &config(root), options, runtime(Some(server))).unwrap()
}

fn dry_run(root: &Path, out: &Path) -> Report {
    let options = options(Mode::DryRun {
        out: Some(out.to_path_buf()),
    });
    run_with(root, &config(root), &options, runtime(None)).unwrap()
}

/// A mail server that can be told to refuse some recipients or to go away after a while.
#[derive(Default)]
struct FakeServer {
    /// (recipient, message) for every message accepted, in order.
    accepted: Vec<(String, Vec<u8>)>,
    /// After this many accepted messages the server stops answering.
    goes_away_after: Option<usize>,
    /// Recipients refused with a permanent 550.
    refuses: Vec<String>,
    /// Answers "451 try again later" this many times before accepting anything.
    busy_for: u32,
    /// The send log, checked before each message: every accepted message must be on it.
    log_to_check: Option<PathBuf>,
}

impl Transport for FakeServer {
    fn send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        if let Some(log) = &self.log_to_check {
            let logged = std::fs::read_to_string(log).unwrap_or_default();
            for (recipient, _) in &self.accepted {
                assert!(
                    logged.contains(&format!("\t{recipient}\t")),
                    "{recipient} was accepted but is not in the send log before the next message"
                );
            }
        }
        if self.goes_away_after == Some(self.accepted.len()) {
            return Err(SendError::Unreachable("connection refused".into()));
        }
        if self.busy_for > 0 {
            self.busy_for -= 1;
            return Err(SendError::Transient("451 try again later".into()));
        }
        let [to] = envelope.to() else {
            panic!("one recipient per message, got {:?}", envelope.to());
        };
        let to = to.to_string();
        if let Some(log) = &self.log_to_check {
            let logged = std::fs::read_to_string(log).unwrap_or_default();
            let started = logged
                .lines()
                .any(|line| line.contains(&format!("\t{to}\t")) && line.ends_with("\tstarted"));
            assert!(started, "{to} is sent before its start is in the send log");
        }
        if self.refuses.contains(&to) {
            return Err(SendError::Rejected(format!("550 no such user: {to}")));
        }
        self.accepted.push((to, message.to_vec()));
        Ok(())
    }
}

impl FakeServer {
    fn recipients(&self) -> Vec<&str> {
        self.accepted.iter().map(|(to, _)| to.as_str()).collect()
    }
}

fn eml_files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn a_message_is_text_and_html_alternatives_with_the_summary_pdf_attached() {
    let site = site();
    let out = site.path().join("preview");
    let report = dry_run(site.path(), &out);
    assert!(report.ok(), "{report:?}");
    let files = eml_files(&out);
    let bytes = &files["001-jane.doe_at_example.com.eml"];
    let message = MessageParser::default().parse(bytes).unwrap();

    let root = message.root_part();
    assert!(root.is_content_type("multipart", "mixed"));
    let PartType::Multipart(children) = &root.body else {
        panic!("the root is multipart")
    };
    assert_eq!(children.len(), 2, "the alternatives and the attachment");
    let alternative = &message.parts[children[0] as usize];
    assert!(alternative.is_content_type("multipart", "alternative"));
    let PartType::Multipart(alternatives) = &alternative.body else {
        panic!("multipart/alternative has parts")
    };
    let types: Vec<(String, String)> = alternatives
        .iter()
        .map(|&at| {
            let ct = message.parts[at as usize].content_type().unwrap();
            (
                ct.ctype().to_string(),
                ct.subtype().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            ("text".to_string(), "plain".to_string()),
            ("text".to_string(), "html".to_string())
        ],
        "plain text first, so that clients that prefer the last alternative show HTML"
    );

    let text = message.body_text(0).unwrap();
    assert!(text.starts_with("Dear Jane Doe,"), "{text}");
    assert!(text.contains("HemaCare Reports Third Quarter Financial Results"));
    assert!(
        text.contains("and the write-down of the Company's deferred tax assets."),
        "the release's first sentence: {text}"
    );
    assert!(
        !text.contains("As a result of an overall evaluation"),
        "{text}"
    );
    assert!(
        text.contains("Net loss: \u{2212}$4,679,000 (a year earlier: \u{2212}$462,000)"),
        "{text}"
    );
    assert!(text.contains("https://ir.hemacare.example/unsubscribe/"));
    let html = message.body_html(0).unwrap();
    assert!(html.contains("$6,980,000"), "{html}");
    assert!(html.contains("Quarterly Summary, Third Quarter 2003"));

    assert_eq!(message.attachment_count(), 1);
    let attachment = message.attachment(0).unwrap();
    assert!(attachment.is_content_type("application", "pdf"));
    assert_eq!(
        attachment.attachment_name(),
        Some("HemaCare-Quarterly-Summary-2003-Q3.pdf")
    );
    let pdf = std::fs::read(site.path().join(PDF)).unwrap();
    assert_eq!(
        attachment.contents(),
        &pdf[..],
        "the PDF arrives byte for byte"
    );
}

#[test]
fn headers_name_the_sender_recipient_and_unsubscribe_links() {
    let site = site();
    let out = site.path().join("preview");
    dry_run(site.path(), &out);
    let files = eml_files(&out);
    let message = MessageParser::default()
        .parse(&files["003-ana.garcia_at_example.com.eml"])
        .unwrap();

    let from = message.from().unwrap().first().unwrap();
    assert_eq!(
        from.name(),
        Some("JoAnn Stover"),
        "the IR contact from site.yaml"
    );
    assert_eq!(from.address(), Some("ir@hemacare.example"));
    let to = message.to().unwrap().first().unwrap();
    assert_eq!(
        to.name(),
        Some("Ana García"),
        "non-ASCII names survive encoding"
    );
    assert_eq!(to.address(), Some("ana.garcia@example.com"));
    assert_eq!(
        message.subject(),
        Some("HemaCare Corporation: Quarterly Summary, Third Quarter 2003")
    );
    let unsubscribe = message.header_raw("List-Unsubscribe").unwrap();
    let unsubscribe: String = unsubscribe.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        unsubscribe,
        "<mailto:unsubscribe@hemacare.example?subject=unsubscribe>, \
         <https://ir.hemacare.example/unsubscribe/?list=quarterly&email=ana.garcia%40example.com>",
        "the mailto, and the recipient's own one-click URL"
    );
    assert_eq!(
        message.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click"),
        "RFC 8058"
    );
    let id = message.message_id().unwrap();
    assert!(
        id.starts_with("hemasite.2003-q3.1.") && id.ends_with("@ir.hemacare.example"),
        "a Message-ID on the site's domain: {id}"
    );
    let date = message.date().unwrap();
    assert_eq!((date.year, date.month, date.day), (2003, 11, 17));
}

#[test]
fn message_ids_differ_per_recipient_and_stay_put_across_previews() {
    let site = site();
    let ids = |out: &Path| -> Vec<String> {
        dry_run(site.path(), out);
        eml_files(out)
            .values()
            .map(|bytes| {
                let message = MessageParser::default().parse(bytes).unwrap();
                message.message_id().unwrap().to_string()
            })
            .collect()
    };
    let first = ids(&site.path().join("a"));
    let second = ids(&site.path().join("b"));
    assert_eq!(first, second);
    let mut distinct = first.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), EVERYONE.len());
    assert_eq!(
        eml_files(&site.path().join("a")),
        eml_files(&site.path().join("b")),
        "a preview is byte-identical for the same clock"
    );
}

#[test]
fn content_is_escaped_in_the_html_part() {
    let site = site();
    std::fs::write(
        site.path().join("content/subscribers.csv"),
        "email,name,groups\neve@example.com,<script>alert(1)</script> & Co,board\n",
    )
    .unwrap();
    let out = site.path().join("preview");
    dry_run(site.path(), &out);
    let files = eml_files(&out);
    let message = MessageParser::default()
        .parse(&files["001-eve_at_example.com.eml"])
        .unwrap();
    let html = message.body_html(0).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    let text = message.body_text(0).unwrap();
    assert!(
        text.starts_with("Dear <script>alert(1)</script> & Co,"),
        "plain text is as written"
    );
}

#[test]
fn the_list_skips_bad_addresses_by_line_and_sends_duplicates_once() {
    let path = Path::new(FIXTURE).join("content/subscribers.csv");
    let list = RecipientList::load(&path).unwrap();
    let addresses: Vec<String> = list
        .recipients
        .iter()
        .map(|r| r.address.to_string())
        .collect();
    assert_eq!(addresses[..4], EVERYONE);
    assert_eq!(addresses[4..], ["press.desk@example.com"]);
    let quarterly: Vec<String> = list
        .on_list(MailList::Quarterly, None)
        .iter()
        .map(|r| r.address.to_string())
        .collect();
    assert_eq!(
        quarterly, EVERYONE,
        "an empty `lists` cell means quarterly; the press desk asked for releases only"
    );

    let warnings: Vec<(usize, &str)> = list
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert_eq!(warnings[0].0, 4, "the line with the columns swapped");
    assert!(
        warnings[0]
            .1
            .contains("`Smith, Robert`: not a valid email address")
    );
    assert_eq!(warnings[1].0, 6);
    assert!(warnings[1].1.contains("`not-an-address`"));
    assert_eq!(warnings[2].0, 7, "the upper-case repeat of line 3");
    assert!(
        warnings[2].1.contains("already on line 3"),
        "{}",
        warnings[2].1
    );
    assert!(
        list.warnings[0]
            .to_string()
            .starts_with(&format!("{}:4: ", path.display()))
    );

    let jane = &list.recipients[0];
    let groups: Vec<&str> = jane.groups.iter().map(String::as_str).collect();
    assert_eq!(
        groups,
        ["board", "shareholders"],
        "a duplicate adds its groups"
    );
    let board: Vec<String> = list
        .on_list(MailList::Quarterly, Some("board"))
        .iter()
        .map(|r| r.address.to_string())
        .collect();
    assert_eq!(
        board,
        [
            "jane.doe@example.com",
            "ana.garcia@example.com",
            "board.member@example.com"
        ]
    );
}

#[test]
fn a_list_without_an_email_column_is_an_error_on_line_one() {
    let err = RecipientList::parse(
        Path::new("subscribers.csv"),
        "address,name\na@example.com,A\n",
    )
    .unwrap_err();
    assert_eq!(err.line, 1);
    assert!(err.message.contains("`email`"), "{err}");
}

#[test]
fn sending_delivers_each_recipient_once_and_logs_it() {
    let site = site();
    let mut server = FakeServer {
        log_to_check: Some(site.path().join(SENT_LOG)),
        ..FakeServer::default()
    };
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert!(report.ok(), "{report:?}");
    assert_eq!(server.recipients(), EVERYONE);
    assert_eq!(report.sent, EVERYONE);
    assert_eq!(report.warnings.len(), 3, "the bad list lines are reported");

    let log = std::fs::read_to_string(site.path().join(SENT_LOG)).unwrap();
    let logged: Vec<(&str, &str)> = log
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields[1], fields[4])
        })
        .collect();
    let expected: Vec<(&str, &str)> = EVERYONE
        .iter()
        .flat_map(|&address| [(address, "started"), (address, "done")])
        .collect();
    assert_eq!(logged, expected, "each started before and done after");
    assert!(log.contains("2003-Q3\tjane.doe@example.com\t<hemasite.2003-q3.1."));
    assert!(log.contains("\t2003-11-17T14:00:00Z\tdone\n"));

    let again = send(site.path(), &options(Mode::Send), &mut server);
    assert!(again.ok());
    assert!(again.sent.is_empty(), "nothing is sent twice");
    assert_eq!(again.already_sent, EVERYONE);
    assert_eq!(server.accepted.len(), EVERYONE.len());
}

#[test]
fn an_interrupted_run_is_finished_by_the_next_one() {
    let site = site();
    let mut first = FakeServer {
        goes_away_after: Some(2),
        log_to_check: Some(site.path().join(SENT_LOG)),
        ..FakeServer::default()
    };
    let report = send(site.path(), &options(Mode::Send), &mut first);
    assert!(!report.ok());
    assert_eq!(report.sent, EVERYONE[..2]);
    assert_eq!(report.not_attempted, EVERYONE[2..]);
    let reason = report.stopped.as_deref().unwrap();
    assert!(
        reason.contains("connection refused (tried 3 times)"),
        "{reason}"
    );
    let mut summary = Vec::new();
    report.print(&mut summary).unwrap();
    let summary = String::from_utf8(summary).unwrap();
    assert!(summary.contains("  sent: 2\n"), "{summary}");
    assert!(summary.contains("not attempted: 2"), "{summary}");

    let mut second = FakeServer::default();
    let report = send(site.path(), &options(Mode::Send), &mut second);
    assert!(report.ok(), "{report:?}");
    assert_eq!(second.recipients(), EVERYONE[2..], "only what was missing");
    assert_eq!(report.already_sent, EVERYONE[..2]);
}

#[test]
fn a_refused_recipient_fails_alone_and_is_sent_by_the_next_run() {
    let site = site();
    let mut server = FakeServer {
        refuses: vec!["robert.smith@example.com".into()],
        ..FakeServer::default()
    };
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert!(!report.ok(), "a failure makes the run fail");
    assert_eq!(
        server.recipients(),
        [
            "jane.doe@example.com",
            "ana.garcia@example.com",
            "board.member@example.com"
        ]
    );
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].0, "robert.smith@example.com");
    assert!(report.failed[0].1.contains("550 no such user"));
    assert!(report.stopped.is_none(), "the others went on");

    server.refuses.clear();
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert!(report.ok());
    assert_eq!(report.sent, ["robert.smith@example.com"]);
    assert_eq!(server.accepted.len(), EVERYONE.len());
}

#[test]
fn a_busy_server_is_tried_again() {
    let site = site();
    let mut server = FakeServer {
        busy_for: 2,
        ..FakeServer::default()
    };
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert!(report.ok(), "{report:?}");
    assert_eq!(server.recipients(), EVERYONE);
}

#[test]
fn resend_sends_again_with_new_message_ids() {
    let site = site();
    let mut server = FakeServer::default();
    send(site.path(), &options(Mode::Send), &mut server);
    let resend = Options {
        resend: true,
        group: Some("board".into()),
        ..options(Mode::Send)
    };
    let report = send(site.path(), &resend, &mut server);
    assert!(report.ok());
    assert_eq!(
        report.sent,
        [
            "jane.doe@example.com",
            "ana.garcia@example.com",
            "board.member@example.com"
        ]
    );
    let ids: Vec<String> = server
        .accepted
        .iter()
        .filter(|(to, _)| to == "jane.doe@example.com")
        .map(|(_, bytes)| {
            let message = MessageParser::default().parse(bytes).unwrap();
            message.message_id().unwrap().to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids[0].starts_with("hemasite.2003-q3.1."), "{}", ids[0]);
    assert!(ids[1].starts_with("hemasite.2003-q3.2."), "{}", ids[1]);
    let log = std::fs::read_to_string(site.path().join(SENT_LOG)).unwrap();
    assert_eq!(log.matches("\tjane.doe@example.com\t").count(), 4, "{log}");
}

#[test]
fn a_preview_leaves_out_those_already_delivered_and_sends_nothing() {
    let site = site();
    let mut server = FakeServer {
        goes_away_after: Some(1),
        ..FakeServer::default()
    };
    send(site.path(), &options(Mode::Send), &mut server);
    let out = site.path().join("preview");
    let report = dry_run(site.path(), &out);
    assert_eq!(report.already_sent, ["jane.doe@example.com"]);
    let names: Vec<String> = eml_files(&out).into_keys().collect();
    assert_eq!(
        names,
        [
            "001-robert.smith_at_example.com.eml",
            "002-ana.garcia_at_example.com.eml",
            "003-board.member_at_example.com.eml"
        ]
    );
    let log = std::fs::read_to_string(site.path().join(SENT_LOG)).unwrap();
    assert_eq!(
        log.lines().count(),
        5,
        "the header, Jane's two lines, Robert's start and failure only: {log}"
    );
}

#[test]
fn the_latest_summary_is_the_default_period() {
    let site = site();
    let reports = site.path().join("public/reports");
    std::fs::write(
        reports.join("quarterly-summary-2003-q2.pdf"),
        b"%PDF-1.4 q2",
    )
    .unwrap();
    std::fs::write(reports.join("notes.txt"), b"not a summary").unwrap();
    let out = site.path().join("preview");
    let options = Options {
        what: What::Quarter(None),
        ..options(Mode::DryRun {
            out: Some(out.clone()),
        })
    };
    let report = run_with(site.path(), &config(site.path()), &options, runtime(None)).unwrap();
    assert_eq!(report.mailing.to_string(), "2003-Q3");
}

#[test]
fn the_summaries_are_read_from_the_folder_the_build_wrote() {
    // `hemasite build --output elsewhere` wrote the site: mail reads its PDFs there, and no
    // longer finds them in `public/`.
    let site = site();
    let elsewhere = site.path().join("elsewhere");
    std::fs::rename(site.path().join("public"), &elsewhere).unwrap();
    let out = site.path().join("preview");
    let dry = Options {
        what: What::Quarter(None),
        ..options(Mode::DryRun {
            out: Some(out.clone()),
        })
    };
    let err = run_with(site.path(), &config(site.path()), &dry, runtime(None)).unwrap_err();
    assert!(
        err.to_string().contains("run `hemasite build` first"),
        "{err}"
    );
    let options = Options {
        output: Some(elsewhere),
        ..dry
    };
    let reports = run_with(site.path(), &config(site.path()), &options, runtime(None)).unwrap();
    assert!(!eml_files(&out).is_empty(), "{reports:?}");
}

#[test]
fn a_missing_summary_says_to_build_first() {
    let site = site();
    std::fs::remove_file(site.path().join(PDF)).unwrap();
    let err = run_with(
        site.path(),
        &config(site.path()),
        &options(Mode::Send),
        runtime(Some(&mut FakeServer::default())),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("quarterly-summary-2003-q3.pdf"), "{err}");
    assert!(err.contains("run `hemasite build` first"), "{err}");
}

#[test]
fn an_unknown_group_is_an_error_naming_the_groups() {
    let site = site();
    let options = Options {
        group: Some("press".into()),
        ..options(Mode::Send)
    };
    let err = run_with(
        site.path(),
        &config(site.path()),
        &options,
        runtime(Some(&mut FakeServer::default())),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("nobody on the `quarterly` list is in the group `press`"),
        "{err}"
    );
    assert!(err.contains("analysts, board, shareholders"), "{err}");
}

const PASSWORD: &str = "pw-Zq8!never-shown";

#[test]
fn the_password_never_shows_in_debug_output() {
    let root = Path::new(FIXTURE);
    let config = config(root);
    let smtp = config.mail.smtp.as_ref().unwrap();
    let sender = SmtpSender::new(smtp, "ir.hemacare.example", |name| {
        (name == "HEMASITE_TEST_SMTP_PASSWORD").then(|| PASSWORD.to_string())
    })
    .unwrap();
    let debug = format!("{sender:?} {sender:#?} {config:?}");
    assert!(!debug.contains(PASSWORD), "{debug}");
    assert!(
        debug.contains("smtp.hemacare.example:587 (STARTTLS)"),
        "{debug}"
    );

    let err = SmtpSender::new(smtp, "ir.hemacare.example", |_| None).unwrap_err();
    assert!(err.contains("`HEMASITE_TEST_SMTP_PASSWORD`"), "{err}");
}

#[test]
fn the_password_never_shows_in_the_programs_output() {
    let site = site();
    // A port on this machine where nothing listens: the run fails to connect and says so.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let yaml = yaml.replace(
        "    host: smtp.hemacare.example\n    port: 587\n    security: starttls\n",
        &format!(
            "    host: 127.0.0.1\n    port: {port}\n    security: none\n    attempts: 2\n    \
             retry_delay_ms: 10\n"
        ),
    );
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .arg("--root")
        .arg(site.path())
        .args(["mail", "--send"])
        .env("HEMASITE_TEST_SMTP_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "nothing could be sent: {stderr}");
    assert!(
        stderr.contains(&format!("127.0.0.1:{port} (unencrypted)")),
        "{stderr}"
    );
    assert!(stderr.contains("not attempted: 4"), "{stderr}");
    assert!(
        !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
        "{stdout}{stderr}"
    );
    let log = std::fs::read_to_string(site.path().join(SENT_LOG)).unwrap();
    assert!(
        !log.contains("\tdone\n"),
        "nothing delivered, nothing logged as done: {log}"
    );
}

#[test]
fn a_log_line_cut_short_stops_the_run_and_says_what_to_do() {
    let site = site();
    let log = site.path().join(SENT_LOG);
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(
        &log,
        "# hemasite mail send log\n\
         2003-Q3\tjane.doe@example.com\t<hemasite.2003-q3.1.a@ir.hemacare.example>\t2003-11-17T14:00:00Z\n\
         2003-Q3\trobert.smith@exa",
    )
    .unwrap();
    let mut server = FakeServer::default();
    let err = run_with(
        site.path(),
        &config(site.path()),
        &options(Mode::Send),
        runtime(Some(&mut server)),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("sent.log:3: "), "{err}");
    assert!(err.contains("delete it to send again"), "{err}");
    assert!(
        server.accepted.is_empty(),
        "nothing is sent on a doubtful log"
    );
}

#[test]
fn a_log_without_a_final_newline_is_continued_on_a_new_line() {
    let site = site();
    let log = site.path().join(SENT_LOG);
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let jane = "2003-Q3\tjane.doe@example.com\t<hemasite.2003-q3.1.a@ir.hemacare.example>\t\
                2003-11-17T14:00:00Z";
    std::fs::write(&log, jane).unwrap();
    let mut server = FakeServer::default();
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert_eq!(report.already_sent, ["jane.doe@example.com"]);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert_eq!(lines[0], jane);
    assert!(
        lines[1].starts_with("2003-Q3\trobert.smith@example.com\t"),
        "{text}"
    );
}

#[test]
fn a_quarter_without_its_release_still_mails_the_summary() {
    let site = site();
    std::fs::remove_dir_all(site.path().join("content/releases")).unwrap();
    let mut server = FakeServer::default();
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert!(report.ok(), "{report:?}");
    let message = MessageParser::default()
        .parse(&server.accepted[0].1)
        .unwrap();
    let text = message.body_text(0).unwrap();
    assert!(
        text.contains("quarterly summary for the third quarter of 2003"),
        "{text}"
    );
    assert!(!text.contains("Key figures"), "{text}");
    assert_eq!(message.attachment_count(), 1);
}

#[test]
fn send_without_smtp_settings_says_what_to_add() {
    let site = site();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let without_smtp = &yaml[..yaml.find("  smtp:").unwrap()];
    std::fs::write(site.path().join("site.yaml"), without_smtp).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .arg("--root")
        .arg(site.path())
        .args(["mail", "--send"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("needs the SMTP server: add `mail:"),
        "{stderr}"
    );
}

#[test]
fn a_second_run_while_one_holds_the_log_says_which_process_and_sends_nothing() {
    let site = site();
    let _first = hemasite::mail::sendlog::SendLog::lock(&site.path().join(SENT_LOG)).unwrap();
    let mut server = FakeServer::default();
    let err = run_with(
        site.path(),
        &config(site.path()),
        &options(Mode::Send),
        runtime(Some(&mut server)),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(&format!("process {}", std::process::id())),
        "{err}"
    );
    assert!(err.contains("sent.log.lock"), "{err}");
    assert!(server.accepted.is_empty());
}

#[test]
fn a_second_program_run_exits_non_zero_while_the_first_holds_the_log() {
    let site = site();
    let _first = hemasite::mail::sendlog::SendLog::lock(&site.path().join(SENT_LOG)).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .arg("--root")
        .arg(site.path())
        .args(["mail", "--send"])
        .env("HEMASITE_TEST_SMTP_PASSWORD", "x")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("is using this send log"), "{stderr}");
}

/// A server that takes the message and then the process dies (here: the transport panics, the
/// way `kill -9` would stop the run between the server's answer and the log's `done`).
struct DiesAfterAccepting<'a> {
    server: &'a mut FakeServer,
    dies_on: usize,
}

impl Transport for DiesAfterAccepting<'_> {
    fn send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        self.server.send(envelope, message)?;
        if self.server.accepted.len() == self.dies_on {
            panic!("killed");
        }
        Ok(())
    }
}

#[test]
fn a_run_killed_at_any_message_never_sends_it_twice_and_reports_the_one_in_flight() {
    for dies_on in 1..=EVERYONE.len() {
        let site = site();
        let mut server = FakeServer::default();
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut dying = DiesAfterAccepting {
                server: &mut server,
                dies_on,
            };
            run_with(
                site.path(),
                &config(site.path()),
                &options(Mode::Send),
                runtime(Some(&mut dying)),
            )
        }));
        assert!(crashed.is_err());

        let resumed = send(site.path(), &options(Mode::Send), &mut server);
        let in_flight = EVERYONE[dies_on - 1];
        assert_eq!(
            resumed.uncertain,
            [in_flight],
            "killed on message {dies_on}"
        );
        assert_eq!(resumed.already_sent, EVERYONE[..dies_on - 1]);
        assert_eq!(resumed.sent, EVERYONE[dies_on..]);
        assert!(!resumed.ok(), "a person must decide");
        let mut summary = Vec::new();
        resumed.print(&mut summary).unwrap();
        let summary = String::from_utf8(summary).unwrap();
        assert!(summary.contains("--resend-uncertain"), "{summary}");
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for to in server.recipients() {
            *count.entry(to).or_default() += 1;
        }
        assert!(count.values().all(|&n| n == 1), "nobody twice: {count:?}");
        assert_eq!(count.len(), EVERYONE.len());

        let uncertain = Options {
            resend_uncertain: true,
            ..options(Mode::Send)
        };
        let report = send(site.path(), &uncertain, &mut server);
        assert!(report.ok(), "{report:?}");
        assert_eq!(
            report.sent,
            [in_flight],
            "only the one in flight, on request"
        );
        let ids: Vec<String> = server
            .accepted
            .iter()
            .filter(|(to, _)| to == in_flight)
            .map(|(_, bytes)| {
                let message = MessageParser::default().parse(bytes).unwrap();
                message.message_id().unwrap().to_string()
            })
            .collect();
        assert_eq!(
            ids[0], ids[1],
            "the same Message-ID, so duplicates can be dropped"
        );
    }
}

#[test]
fn a_transaction_that_breaks_half_way_stops_the_run_and_is_not_retried() {
    struct TimesOut(usize);
    impl Transport for TimesOut {
        fn send(&mut self, _: &Envelope, _: &[u8]) -> Result<(), SendError> {
            self.0 += 1;
            Err(SendError::Uncertain("timed out after DATA".into()))
        }
    }
    let site = site();
    let mut server = TimesOut(0);
    let report = run_with(
        site.path(),
        &config(site.path()),
        &options(Mode::Send),
        runtime(Some(&mut server)),
    )
    .unwrap();
    assert_eq!(server.0, 1, "never retried: it may have been delivered");
    assert!(report.stopped.unwrap().contains("--resend-uncertain"));
    let mut fake = FakeServer::default();
    let again = send(site.path(), &options(Mode::Send), &mut fake);
    assert_eq!(again.uncertain, [EVERYONE[0]]);
    assert_eq!(fake.recipients(), EVERYONE[1..]);
}

#[test]
fn control_characters_in_the_list_are_errors_by_line_and_the_others_are_sent() {
    let site = site();
    std::fs::write(
        site.path().join("content/subscribers.csv"),
        "email,name,groups\n\
         jane.doe@example.com,Jane Doe,board\n\
         eve@example.com,\"Eve\r\nBcc: all@example.com\",board\n\
         \"mal\u{7}@example.com\",Mal,board\n\
         ana.garcia@example.com,Ana,board\n",
    )
    .unwrap();
    let list = RecipientList::load(&site.path().join("content/subscribers.csv")).unwrap();
    let lines: Vec<usize> = list.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 5]);
    assert!(list.errors[0].to_string().contains("subscribers.csv:3: "));
    assert!(
        list.errors[0].message.contains("U+000D"),
        "{}",
        list.errors[0]
    );

    let out = site.path().join("preview");
    let preview = dry_run(site.path(), &out);
    assert_eq!(
        preview.sent,
        ["jane.doe@example.com", "ana.garcia@example.com"]
    );
    let mut server = FakeServer::default();
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert_eq!(
        server.recipients(),
        ["jane.doe@example.com", "ana.garcia@example.com"]
    );
    assert!(!report.ok(), "the bad lines make the run fail");
    let failed: Vec<&str> = report.failed.iter().map(|(at, _)| at.as_str()).collect();
    assert!(failed[0].ends_with("subscribers.csv:3"), "{failed:?}");
    assert!(failed[1].ends_with("subscribers.csv:5"), "{failed:?}");
}

#[test]
fn a_preview_never_writes_into_a_folder_holding_files_and_never_deletes() {
    let site = site();
    let out = site.path().join("preview");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mine.eml"), "kept").unwrap();
    let err = run_with(
        site.path(),
        &config(site.path()),
        &options(Mode::DryRun {
            out: Some(out.clone()),
        }),
        runtime(None),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("mine.eml")).unwrap(),
        "kept"
    );

    let default = options(Mode::DryRun { out: None });
    let first = run_with(site.path(), &config(site.path()), &default, runtime(None)).unwrap();
    let second = run_with(site.path(), &config(site.path()), &default, runtime(None)).unwrap();
    let preview = site.path().join("mail-preview");
    assert_eq!(first.preview, Some(preview.join("2003-Q3")));
    assert_eq!(
        second.preview,
        Some(preview.join("2003-Q3-2")),
        "a folder per run"
    );
    assert_eq!(eml_files(&preview.join("2003-Q3")).len(), EVERYONE.len());
}

mod properties {
    use super::*;
    use hemasite::mail::compose::{Composer, Letter};
    use hemasite::mail::mailing::Mailing;
    use hemasite::mail::recipients::Recipient;
    use hemasite::theme::Theme;
    use proptest::prelude::*;

    fn composer(root: &Path) -> Composer {
        let config = config(root);
        let pdf = std::fs::read(root.join(PDF)).unwrap();
        let mailing = Mailing::Quarterly(Quarter::parse("2003-Q3").unwrap());
        let letter = Letter {
            mailing: &mailing,
            pdf,
            release: None,
        };
        Composer::new(&Theme::new(root), &config, letter, &|_| None).unwrap()
    }

    proptest! {
        /// Any list text reads without a panic, and everyone it accepts can be composed, or is
        /// refused with a reason: never a panic.
        #[test]
        fn any_list_reads_and_composes_without_a_panic(
            lines in proptest::collection::vec(("\\PC{0,12}|[a-z]{1,6}@[a-z]{1,6}\\.com", "(\\PC|[\r\n\t]){0,16}"), 0..6)
        ) {
            let text: String = std::iter::once("email,name,lists\n".to_string())
                .chain(lines.iter().map(|(email, name)| format!("{email:?},{name:?},board\n")))
                .collect();
            if let Ok(list) = RecipientList::parse(Path::new("subscribers.csv"), &text) {
                COMPOSER.with(|(_, composer)| {
                    for recipient in &list.recipients {
                        let _ = composer.compose(recipient, 1, monday());
                    }
                });
            }
        }

        /// A recipient made without the list, with any name, composes or is refused, never
        /// panics, and a composed message has the one `To:` it was made for.
        #[test]
        fn any_name_and_address_compose_without_a_panic(
            name in "(\\PC|[\r\n\t\u{0}\u{7f}\u{2028}]){0,24}",
            local in "[\\PC&&[^@ \"]]{1,20}",
            domain in "[a-z0-9é]{1,10}\\.(com|org)",
        ) {
            let Ok(address) = format!("{local}@{domain}").parse::<lettre::Address>() else {
                return Ok(());
            };
            let recipient = Recipient { address, name, lists: Default::default(), groups: Default::default(), line: 2 };
            let composed = COMPOSER.with(|(_, composer)| composer.compose(&recipient, 1, monday()));
            if let Ok(message) = composed {
                prop_assert_eq!(message.envelope.to().len(), 1);
                prop_assert!(MessageParser::default().parse(&message.bytes).is_some());
            }
        }
    }

    thread_local! {
        /// One fixture site and its composer per test thread: loading the templates for every
        /// case would spend the cases' time on that.
        static COMPOSER: (tempfile::TempDir, Composer) = {
            let site = site();
            let composer = composer(site.path());
            (site, composer)
        };
    }
}

/// A minimal SMTP server on 127.0.0.1 for one session per connection, offering SMTPUTF8 or not,
/// and hanging up instead of answering a message's final `.` when told (the moment a sender
/// cannot know whether the message was taken); returns its port and the `MAIL FROM` lines it was
/// sent.
fn tiny_smtp_server(
    offers_smtputf8: bool,
    hangs_up_after_data: bool,
) -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = stream.write_all(b"220 tiny ESMTP\r\n");
            let mut in_data = false;
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                let command = line.trim_end().to_string();
                line.clear();
                let answer: &[u8] = if in_data {
                    if command != "." {
                        continue;
                    }
                    if hangs_up_after_data {
                        break;
                    }
                    in_data = false;
                    b"250 queued\r\n"
                } else if command.starts_with("EHLO") {
                    if offers_smtputf8 {
                        b"250-tiny\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                    } else {
                        b"250-tiny\r\n250 8BITMIME\r\n"
                    }
                } else if command.starts_with("MAIL FROM") {
                    log.lock().unwrap().push(command);
                    b"250 ok\r\n"
                } else if command == "DATA" {
                    in_data = true;
                    b"354 go on\r\n"
                } else if command == "QUIT" {
                    let _ = stream.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                if stream.write_all(answer).is_err() {
                    break;
                }
            }
        }
    });
    (port, seen)
}

fn run_against_tiny_server(offers_smtputf8: bool) -> (std::process::Output, Vec<String>) {
    send_with_tiny_server(&site(), offers_smtputf8, false)
}

/// `hemasite mail --send` on `site`, listing Jürgen then Jane, against [`tiny_smtp_server`].
fn send_with_tiny_server(
    site: &tempfile::TempDir,
    offers_smtputf8: bool,
    hangs_up_after_data: bool,
) -> (std::process::Output, Vec<String>) {
    std::fs::write(
        site.path().join("content/subscribers.csv"),
        "email,name\njürgen@exämple.com,Jürgen\njane.doe@example.com,Jane\n",
    )
    .unwrap();
    let (port, seen) = tiny_smtp_server(offers_smtputf8, hangs_up_after_data);
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let yaml = yaml
        .replace(
            "    host: smtp.hemacare.example\n    port: 587\n    security: starttls\n",
            &format!("    host: 127.0.0.1\n    port: {port}\n    security: none\n"),
        )
        .replace("    user: ir-mailer\n", "")
        .replace("    password_env: HEMASITE_TEST_SMTP_PASSWORD\n", "");
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hemasite"))
        .arg("--root")
        .arg(site.path())
        .args(["mail", "--send", "--period", "2003-Q3"])
        .output()
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    (output, seen)
}

#[test]
fn a_non_ascii_address_goes_out_with_smtputf8() {
    let (output, mail_from) = run_against_tiny_server(true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(mail_from[0].contains(" SMTPUTF8"), "{mail_from:?}");
    assert!(
        !mail_from[1].contains("SMTPUTF8"),
        "only where needed: {mail_from:?}"
    );
}

#[test]
fn a_non_ascii_address_fails_alone_and_clearly_without_smtputf8() {
    let (output, mail_from) = run_against_tiny_server(false);
    let stderr = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("jürgen@exämple.com: "), "{stderr}");
    assert!(
        stderr.contains("need a server that offers SMTPUTF8"),
        "{stderr}"
    );
    assert_eq!(mail_from.len(), 1, "Jane is still sent: {mail_from:?}");
}

#[test]
fn a_line_break_in_the_senders_name_is_an_error_not_a_panic() {
    let site = site();
    let mut config = config(site.path());
    config.contact.as_mut().unwrap().name = "Investor Relations\r\nBcc: all@example.com".into();
    let err = run_with(
        site.path(),
        &config,
        &options(Mode::DryRun { out: None }),
        runtime(None),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("site.yaml: contact.name"), "{err}");
}

#[test]
fn a_connection_lost_after_the_message_leaves_it_in_flight_for_a_person_to_decide() {
    let site = site();
    let (output, _) = send_with_tiny_server(&site, true, true);
    let printed = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{printed}");
    assert!(
        printed.contains("may or may not have been delivered"),
        "{printed}"
    );
    let log = std::fs::read_to_string(site.path().join(SENT_LOG)).unwrap();
    assert!(
        log.trim_end().ends_with("\tstarted"),
        "left in flight: {log}"
    );

    let mut server = FakeServer::default();
    let report = send(site.path(), &options(Mode::Send), &mut server);
    assert_eq!(report.uncertain, ["jürgen@exämple.com"]);
    assert_eq!(server.recipients(), ["jane.doe@example.com"]);
}

// Release alerts: `hemasite mail --release SLUG` and `--new`.

const Q3_RELEASE: &str = "2003-11-14-hemacare-reports-third-quarter-financial-results";
const MEETING: &str =
    "2004-02-27-hemacare-corporation-sets-date-for-its-2004-annual-shareholders-meeting";
/// Those on the fixture's `releases` list, in list order.
const RELEASE_LIST: [&str; 3] = [
    "jane.doe@example.com",
    "ana.garcia@example.com",
    "press.desk@example.com",
];

/// The fixture site with a printable PDF for each release, as `hemasite build` writes them.
fn release_site() -> tempfile::TempDir {
    let site = site();
    let folder = site.path().join("public/releases");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(site.path().join("content/releases")).unwrap() {
        let path = entry.unwrap().path();
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        std::fs::write(
            folder.join(format!("{slug}.pdf")),
            format!("%PDF-1.4 {slug}"),
        )
        .unwrap();
    }
    site
}

fn alert(slug: &str, mode: Mode) -> Options {
    Options {
        what: What::Release(slug.to_string()),
        ..options(mode)
    }
}

fn new_releases(mode: Mode) -> Options {
    Options {
        what: What::NewReleases,
        ..options(mode)
    }
}

/// `--new`: every report, none when there is nothing new.
fn send_new(root: &Path, server: &mut FakeServer) -> Vec<Report> {
    hemasite::mail::run_with(
        root,
        &config(root),
        &new_releases(Mode::Send),
        runtime(Some(server)),
    )
    .unwrap()
}

/// A copy of a demo release under a new date and slug, with its PDF: a release just ingested.
fn add_release(root: &Path, from: &str, slug: &str, date: &str) {
    let text = std::fs::read_to_string(root.join(format!("content/releases/{from}.md"))).unwrap();
    let old_date = &from[..10];
    let text = text.replacen(&format!("date: {old_date}"), &format!("date: {date}"), 1);
    std::fs::write(root.join(format!("content/releases/{slug}.md")), text).unwrap();
    std::fs::write(
        root.join(format!("public/releases/{slug}.pdf")),
        b"%PDF-1.4 new",
    )
    .unwrap();
}

fn log_lines(root: &Path) -> Vec<String> {
    std::fs::read_to_string(root.join(SENT_LOG))
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_release_alert_goes_to_the_releases_list_with_the_releases_pdf() {
    let site = release_site();
    let out = site.path().join("preview");
    let options = alert(
        Q3_RELEASE,
        Mode::DryRun {
            out: Some(out.clone()),
        },
    );
    let report = run_with(site.path(), &config(site.path()), &options, runtime(None)).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(
        report.sent, RELEASE_LIST,
        "only those who asked for releases"
    );
    let files = eml_files(&out);
    let message = MessageParser::default()
        .parse(&files["001-jane.doe_at_example.com.eml"])
        .unwrap();
    assert_eq!(
        message.subject(),
        Some("HemaCare Reports Third Quarter Financial Results"),
        "a title that names the company is the subject as it is"
    );
    let id = message.message_id().unwrap();
    assert!(
        id.starts_with(&format!("hemasite.release.{Q3_RELEASE}.1.")),
        "{id}"
    );
    let text = message.body_text(0).unwrap();
    assert!(text.starts_with("Dear Jane Doe,"), "{text}");
    assert!(
        text.contains(&format!(
            "https://ir.hemacare.example/releases/{Q3_RELEASE}/"
        )),
        "a link to the release's page: {text}"
    );
    assert!(text.contains("Net loss: \u{2212}$4,679,000"), "{text}");
    assert!(
        text.contains("asked for HemaCare Corporation's press releases"),
        "{text}"
    );
    let html = message.body_html(0).unwrap();
    assert!(html.contains("Read the release"), "{html}");
    assert_eq!(message.attachment_count(), 1);
    let pdf = message.attachment(0).unwrap();
    assert_eq!(
        pdf.attachment_name(),
        Some("HemaCare-Release-2003-11-14.pdf")
    );
    let built = std::fs::read(
        site.path()
            .join(format!("public/releases/{Q3_RELEASE}.pdf")),
    )
    .unwrap();
    assert_eq!(pdf.contents(), &built[..], "the build's PDF, byte for byte");
    let unsubscribe = message.header_raw("List-Unsubscribe").unwrap();
    assert!(
        unsubscribe.contains("?list=releases&email=jane.doe%40example.com>"),
        "{unsubscribe}"
    );
}

#[test]
fn a_release_alert_and_the_quarterly_summary_are_different_mailings_in_the_log() {
    let site = release_site();
    let mut server = FakeServer {
        log_to_check: Some(site.path().join(SENT_LOG)),
        ..FakeServer::default()
    };
    let quarterly = send(site.path(), &options(Mode::Send), &mut server);
    assert_eq!(quarterly.sent, EVERYONE);
    let release = send(site.path(), &alert(Q3_RELEASE, Mode::Send), &mut server);
    assert!(release.ok(), "{release:?}");
    assert_eq!(
        release.sent, RELEASE_LIST,
        "jane had the summary, not the alert"
    );
    let lines = log_lines(site.path());
    let key = format!("release:{Q3_RELEASE}\t");
    let states: Vec<&str> = lines
        .iter()
        .filter(|line| line.starts_with(&key))
        .map(|line| line.rsplit('\t').next().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "queued", "queued", "queued", "started", "done", "started", "done", "started", "done"
        ],
        "the whole list queued at once, then each started and done"
    );
    let again = send(site.path(), &alert(Q3_RELEASE, Mode::Send), &mut server);
    assert_eq!(again.sent.len(), 0);
    assert_eq!(again.already_sent, RELEASE_LIST);
    assert_eq!(server.accepted.len(), EVERYONE.len() + RELEASE_LIST.len());
}

#[test]
fn new_announces_the_latest_release_first_then_each_newer_one_once() {
    let site = release_site();
    let mut server = FakeServer::default();
    let first = send_new(site.path(), &mut server);
    let mailings: Vec<String> = first.iter().map(|r| r.mailing.to_string()).collect();
    assert_eq!(
        mailings,
        [format!("release:{MEETING}")],
        "not the whole back catalogue"
    );
    assert_eq!(first[0].sent, RELEASE_LIST);

    assert!(
        send_new(site.path(), &mut server).is_empty(),
        "nothing new: cron sends nothing"
    );

    add_release(
        site.path(),
        Q3_RELEASE,
        "2004-03-12-hemacare-reports-fourth-quarter",
        "2004-03-12",
    );
    add_release(
        site.path(),
        Q3_RELEASE,
        "2004-03-15-hemacare-names-a-director",
        "2004-03-15",
    );
    add_release(
        site.path(),
        Q3_RELEASE,
        "2003-01-02-an-old-release-ingested-late",
        "2003-01-02",
    );
    let next = send_new(site.path(), &mut server);
    let mailings: Vec<String> = next.iter().map(|r| r.mailing.to_string()).collect();
    assert_eq!(
        mailings,
        [
            "release:2004-03-12-hemacare-reports-fourth-quarter",
            "release:2004-03-15-hemacare-names-a-director"
        ],
        "each newer release, oldest first; an old one ingested late is not news"
    );
    assert!(next.iter().all(|r| r.ok() && r.sent == RELEASE_LIST));
    assert!(send_new(site.path(), &mut server).is_empty());
    assert_eq!(
        server.accepted.len(),
        3 * RELEASE_LIST.len(),
        "each alert once to each"
    );
}

#[test]
fn new_after_a_crash_finishes_the_announcement_for_those_it_queued_only() {
    let site = release_site();
    let mut server = FakeServer::default();
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut dying = DiesAfterAccepting {
            server: &mut server,
            dies_on: 1,
        };
        hemasite::mail::run_with(
            site.path(),
            &config(site.path()),
            &new_releases(Mode::Send),
            runtime(Some(&mut dying)),
        )
    }));
    assert!(crashed.is_err());
    // Someone joins the list before the next run.
    let list = site.path().join("content/subscribers.csv");
    let mut text = std::fs::read_to_string(&list).unwrap();
    text.push_str("late.joiner@example.com,Late Joiner,releases\n");
    std::fs::write(&list, text).unwrap();

    let resumed = send_new(site.path(), &mut server);
    assert_eq!(resumed.len(), 1);
    assert_eq!(resumed[0].mailing.to_string(), format!("release:{MEETING}"));
    assert_eq!(
        resumed[0].uncertain,
        [RELEASE_LIST[0]],
        "in flight when it died"
    );
    assert_eq!(
        resumed[0].sent,
        RELEASE_LIST[1..],
        "the rest of those queued"
    );
    assert!(!server.recipients().contains(&"late.joiner@example.com"));
    assert_eq!(server.recipients(), RELEASE_LIST, "nobody twice");
    let mut summary = Vec::new();
    resumed[0].print(&mut summary).unwrap();
    let summary = String::from_utf8(summary).unwrap();
    assert!(
        summary.contains("Run `hemasite mail --send --new` again"),
        "--new, which keeps to the queue, not --release: {summary}"
    );

    // The one in flight is for a person to decide; until then every run says so, and sends
    // nothing else.
    let again = send_new(site.path(), &mut server);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].uncertain, [RELEASE_LIST[0]]);
    assert!(again[0].sent.is_empty());
    // An explicit `--release` goes to the list as it is now, the late joiner included.
    let explicit = send(site.path(), &alert(MEETING, Mode::Send), &mut server);
    assert_eq!(explicit.sent, ["late.joiner@example.com"]);
}

#[test]
fn new_while_another_run_holds_the_log_sends_nothing() {
    let site = release_site();
    let _first = hemasite::mail::sendlog::SendLog::lock(&site.path().join(SENT_LOG)).unwrap();
    let mut server = FakeServer::default();
    let err = hemasite::mail::run_with(
        site.path(),
        &config(site.path()),
        &new_releases(Mode::Send),
        runtime(Some(&mut server)),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("is using this send log"), "{err}");
    assert!(server.accepted.is_empty());
    assert!(log_lines(site.path()).is_empty(), "nothing queued either");
}

#[test]
fn a_dry_run_of_new_previews_each_release_and_writes_no_log() {
    let site = release_site();
    let out = site.path().join("preview");
    let reports = hemasite::mail::run_with(
        site.path(),
        &config(site.path()),
        &new_releases(Mode::DryRun {
            out: Some(out.clone()),
        }),
        runtime(None),
    )
    .unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].sent, RELEASE_LIST);
    assert_eq!(eml_files(&out.join(format!("release-{MEETING}"))).len(), 3);
    assert!(!site.path().join(SENT_LOG).exists());
}

#[test]
fn a_release_without_its_built_pdf_says_to_run_build() {
    let site = site();
    let err = run_with(
        site.path(),
        &config(site.path()),
        &alert(Q3_RELEASE, Mode::Send),
        runtime(Some(&mut FakeServer::default())),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(&format!("public/releases/{Q3_RELEASE}.pdf")),
        "{err}"
    );
    assert!(err.contains("run `hemasite build` first"), "{err}");
    assert!(!site.path().join(SENT_LOG).exists(), "nothing logged");
}

#[test]
fn an_unknown_release_names_the_latest_ones() {
    let site = release_site();
    let err = run_with(
        site.path(),
        &config(site.path()),
        &alert("2003-11-14-no-such-release", Mode::DryRun { out: None }),
        runtime(None),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("no release `2003-11-14-no-such-release`"),
        "{err}"
    );
    assert!(err.contains(MEETING), "{err}");
}

#[test]
fn an_unknown_name_in_the_lists_column_is_an_error_naming_its_line() {
    let site = release_site();
    std::fs::write(
        site.path().join("content/subscribers.csv"),
        "email,name,lists\n\
         jane.doe@example.com,Jane Doe,releases\n\
         ana.garcia@example.com,Ana,board\n\
         press.desk@example.com,Press,releases;quarterly\n",
    )
    .unwrap();
    let mut server = FakeServer::default();
    let report = send(site.path(), &alert(Q3_RELEASE, Mode::Send), &mut server);
    assert!(!report.ok());
    assert_eq!(report.failed.len(), 1);
    let (at, why) = &report.failed[0];
    assert!(at.ends_with("subscribers.csv:3"), "{at}");
    assert!(why.contains("`board`") && why.contains("groups"), "{why}");
    assert_eq!(
        server.recipients(),
        ["jane.doe@example.com", "press.desk@example.com"]
    );
}

#[test]
fn a_title_from_the_release_is_encoded_in_the_subject_and_cannot_add_headers() {
    let site = release_site();
    let path = site
        .path()
        .join(format!("content/releases/{Q3_RELEASE}.md"));
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "title: HemaCare Reports Third Quarter Financial Results",
        "title: \"Résultats « T3 » =?utf-8?q?x?= \\r\\nBcc: all@example.com\"",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let bytes = &first_preview(site.path(), alert(Q3_RELEASE, Mode::Send));
    let head =
        String::from_utf8_lossy(&bytes[..bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap()])
            .into_owned();
    assert!(
        head.is_ascii(),
        "headers are ASCII, non-ASCII as RFC 2047 words: {head}"
    );
    assert!(!head.contains("\r\nBcc:"), "{head}");
    let message = MessageParser::default().parse(bytes).unwrap();
    assert_eq!(
        message.subject(),
        Some("HemaCare Corporation: Résultats « T3 » =?utf-8?q?x?= Bcc: all@example.com")
    );
    assert!(message.bcc().is_none());
}

#[test]
fn the_unsubscribe_url_carries_a_token_when_a_secret_is_set() {
    let site = release_site();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap().replace(
        "    url: https://ir.hemacare.example/unsubscribe/\n",
        "    url: https://ir.hemacare.example/unsubscribe/\n    token_secret_env: HEMASITE_TEST_UNSUBSCRIBE_SECRET\n",
    );
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let bytes = first_preview(site.path(), alert(Q3_RELEASE, Mode::Send));
    let message = MessageParser::default().parse(&bytes).unwrap();
    let token = hemasite::mail::compose::unsubscribe_token(
        b"s3cret",
        MailList::Releases,
        "jane.doe@example.com",
    );
    let header: String = message
        .header_raw("List-Unsubscribe")
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(
        header.ends_with(&format!(
            "?list=releases&email=jane.doe%40example.com&token={token}>"
        )),
        "{header}"
    );
    let html = message.body_html(0).unwrap();
    assert!(
        html.contains(&format!("token={token}")),
        "the footer's link is the same: {html}"
    );
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(!text.contains("s3cret"), "the secret itself never goes out");
}

// The logo (`brand.logo`) in the HTML part of both kinds of mail.

/// The site with `brand: { logo: NAME }` and the given files in its `static/`.
fn site_with_logo(logo: &str, files: &[&str]) -> tempfile::TempDir {
    let site = release_site();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    std::fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}brand: {{ logo: {logo} }}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    for file in files {
        std::fs::copy(
            Path::new("tests/fixtures/mail").join(file),
            site.path().join("static").join(file),
        )
        .unwrap();
    }
    site
}

/// The first message a preview of the mailing writes (to jane.doe@example.com, first on every
/// list), as bytes.
fn first_preview(site: &Path, options: Options) -> Vec<u8> {
    let out = site.join("preview");
    let options = Options {
        mode: Mode::DryRun {
            out: Some(out.clone()),
        },
        ..options
    };
    run_with(site, &config(site), &options, runtime(None)).unwrap();
    eml_files(&out).into_values().next().unwrap()
}

#[test]
fn a_png_logo_is_shown_inline_by_content_id_in_both_kinds_of_mail() {
    for options in [options(Mode::Send), alert(Q3_RELEASE, Mode::Send)] {
        let site = site_with_logo("logo.png", &["logo.png"]);
        let bytes = first_preview(site.path(), options);
        let message = MessageParser::default().parse(&bytes).unwrap();
        let html = message.body_html(0).unwrap();
        assert!(
            html.contains(r#"<img src="cid:logo@ir.hemacare.example" width="160" height="40" alt="HemaCare Corporation""#),
            "{html}"
        );
        let logo = message
            .parts
            .iter()
            .find(|part| part.is_content_type("image", "png"))
            .expect("the logo travels with the message");
        assert_eq!(logo.content_id(), Some("logo@ir.hemacare.example"));
        let png = std::fs::read("tests/fixtures/mail/logo.png").unwrap();
        assert_eq!(logo.contents(), &png[..]);
        let related = message
            .parts
            .iter()
            .find(|part| part.is_content_type("multipart", "related"))
            .expect("the HTML and its logo are one multipart/related");
        let PartType::Multipart(children) = &related.body else {
            panic!("related has parts")
        };
        assert!(message.parts[children[0] as usize].is_content_type("text", "html"));
        assert_eq!(
            message.attachment_count(),
            2,
            "the logo (inline) and the PDF"
        );
    }
}

#[test]
fn an_svg_logo_is_replaced_by_its_png_or_else_by_the_company_name() {
    let with_png = site_with_logo("logo.svg", &["logo.svg", "logo.png"]);
    let bytes = first_preview(with_png.path(), alert(Q3_RELEASE, Mode::Send));
    let message = MessageParser::default().parse(&bytes).unwrap();
    assert!(
        message
            .body_html(0)
            .unwrap()
            .contains("cid:logo@ir.hemacare.example")
    );

    let svg_only = site_with_logo("logo.svg", &["logo.svg"]);
    let bytes = first_preview(svg_only.path(), alert(Q3_RELEASE, Mode::Send));
    let message = MessageParser::default().parse(&bytes).unwrap();
    let html = message.body_html(0).unwrap();
    assert!(
        !html.contains("<img"),
        "many mail clients do not show SVG: {html}"
    );
    assert!(html.contains("HemaCare Corporation"), "{html}");
    assert!(
        !message
            .parts
            .iter()
            .any(|part| part.is_content_type("image", "svg+xml"))
    );
}

#[test]
fn a_missing_or_broken_logo_is_an_error_naming_the_key() {
    let missing = site_with_logo("logo.png", &[]);
    let err = run_with(
        missing.path(),
        &config(missing.path()),
        &alert(Q3_RELEASE, Mode::DryRun { out: None }),
        runtime(None),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("brand.logo") && err.contains("static/logo.png"),
        "{err}"
    );

    let broken = site_with_logo("logo.png", &[]);
    std::fs::write(broken.path().join("static/logo.png"), b"<svg/>").unwrap();
    let err = run_with(
        broken.path(),
        &config(broken.path()),
        &options(Mode::DryRun { out: None }),
        runtime(None),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("brand.logo") && err.contains("not a PNG"),
        "{err}"
    );
}

#[test]
fn new_with_one_pdf_missing_sends_none_of_the_releases() {
    let site = release_site();
    let mut server = FakeServer::default();
    send_new(site.path(), &mut server);
    add_release(
        site.path(),
        Q3_RELEASE,
        "2004-03-12-first-news",
        "2004-03-12",
    );
    add_release(
        site.path(),
        Q3_RELEASE,
        "2004-03-15-second-news",
        "2004-03-15",
    );
    std::fs::remove_file(
        site.path()
            .join("public/releases/2004-03-15-second-news.pdf"),
    )
    .unwrap();
    let logged = log_lines(site.path());
    let err = hemasite::mail::run_with(
        site.path(),
        &config(site.path()),
        &new_releases(Mode::Send),
        runtime(Some(&mut server)),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("2004-03-15-second-news.pdf"), "{err}");
    assert!(err.contains("run `hemasite build` first"), "{err}");
    assert_eq!(
        server.accepted.len(),
        RELEASE_LIST.len(),
        "only the first run's"
    );
    assert_eq!(log_lines(site.path()), logged, "nothing queued for either");
}

#[test]
fn a_release_alert_lists_the_events_it_announces_with_calendar_links() {
    let site = release_site();
    let bytes = first_preview(site.path(), alert(MEETING, Mode::Send));
    let message = MessageParser::default().parse(&bytes).unwrap();
    let text = message.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(
        text.contains("Dates announced:\n  - 2004 Annual Meeting of Shareholders: Tuesday, May 25, 2004, 9:00 a.m. PDT"),
        "{text}"
    );
    let html = message.body_html(0).unwrap();
    let page = scraper::Html::parse_document(&html);
    let hrefs: Vec<&str> = page
        .select(&scraper::Selector::parse("a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let google = hrefs
        .iter()
        .find(|href| {
            href.starts_with("https://calendar.google.com/")
                && href.contains("Annual%20Meeting%20of")
        })
        .expect("a Google Calendar link for the meeting");
    assert!(
        google.contains("&dates=20040525T160000Z/20040525T170000Z&"),
        "9:00 at -07:00 is 16:00 UTC, for an hour: {google}"
    );
    assert!(
        hrefs
            .iter()
            .any(|href| href.starts_with("https://outlook.live.com/calendar/0/deeplink/compose?"))
    );
}

#[test]
fn new_does_not_finish_an_announcement_for_someone_who_left_the_list() {
    let site = release_site();
    let mut server = FakeServer {
        goes_away_after: Some(1),
        ..FakeServer::default()
    };
    let first = send_new(site.path(), &mut server);
    assert_eq!(first[0].sent, [RELEASE_LIST[0]]);
    assert!(first[0].stopped.is_some(), "the server went away");
    // Ana takes herself off the releases list before the next run.
    let list = site.path().join("content/subscribers.csv");
    let text = std::fs::read_to_string(&list).unwrap().replace(
        "ana.garcia@example.com,Ana García,releases;quarterly,",
        "ana.garcia@example.com,Ana García,quarterly,",
    );
    std::fs::write(&list, text).unwrap();
    server.goes_away_after = None;
    let resumed = send_new(site.path(), &mut server);
    assert_eq!(resumed.len(), 1);
    assert!(resumed[0].ok(), "{:?}", resumed[0]);
    assert_eq!(resumed[0].sent, ["press.desk@example.com"]);
    assert_eq!(server.recipients(), [RELEASE_LIST[0], RELEASE_LIST[2]]);
    // Nobody left to finish it for: the next run has nothing to say.
    let list_text = std::fs::read_to_string(&list).unwrap();
    assert!(send_new(site.path(), &mut server).is_empty(), "{list_text}");
}
