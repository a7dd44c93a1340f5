//! `site.yaml`: what the site, the PDFs and the mail need to know about the company and its brand.
//!
//! Unknown keys are errors (a typo must not be silently ignored), and every error names the key.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::diagnostics::{Schema, YamlFile, line_of_key, yaml_error};
use crate::model::FiscalCalendar;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's title, shown in the browser tab and feeds.
    pub title: String,
    /// Absolute URL the site is published at, with or without a sub-path
    /// (`https://ir.example.com/` or `https://example.com/investors/`).
    pub base_url: String,
    pub company: Company,
    #[serde(default)]
    pub brand: Brand,
    #[serde(default)]
    pub nav: Vec<NavItem>,
    /// Month and day the fiscal year ends, `MM-DD`; December 31 unless told.
    #[serde(default = "default_fiscal_year_end")]
    pub fiscal_year_end: String,
    /// Whether a fiscal year is named after the calendar year it `end`s in (the default) or
    /// the one it `start`s in (many retailers' years that end in January).
    #[serde(default = "default_fiscal_year_named_for")]
    pub fiscal_year_named_for: String,
    #[serde(default)]
    pub contact: Option<IrContact>,
    #[serde(default)]
    pub pdf: PdfSettings,
    /// How `hemasite mail` sends the quarterly summaries; every key has a default.
    #[serde(default)]
    pub mail: MailSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub name: String,
    pub ticker: String,
    #[serde(default)]
    pub market: Option<String>,
    /// One line that says what the company does.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Brand {
    /// Main colour, `#rrggbb`.
    pub primary: String,
    /// Accent colour, `#rrggbb`.
    pub accent: String,
    /// Font family name; the files live in `static/fonts/`.
    pub font: String,
    /// The company's logo, an SVG or PNG file under `static/` (`logo.svg`): shown in the site's
    /// header, the PDFs and the mail (see `crate::logo`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            primary: "#7a1020".into(),
            accent: "#1f4e79".into(),
            font: "Lato".into(),
            logo: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavItem {
    pub title: String,
    /// Path relative to the site root, e.g. `news/`.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IrContact {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PdfSettings {
    /// `a4` or `letter`.
    pub page_size: PageSize,
    /// Page margins in millimetres.
    pub margin_mm: f32,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings {
            page_size: PageSize::Letter,
            margin_mm: 18.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    A4,
    Letter,
}

/// `mail:` in `site.yaml`: the distribution list, the send log and the SMTP server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// The recipient list (CSV: `email,name,lists`), relative to the site folder.
    pub subscribers: String,
    /// The append-only record of deliveries, relative to the site folder. It lives with the
    /// content so that it is kept (and committed) with the list it records.
    pub sent_log: String,
    pub unsubscribe: Unsubscribe,
    /// Needed only by `hemasite mail --send`; `--dry-run` works without it.
    pub smtp: Option<SmtpSettings>,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            subscribers: "content/subscribers.csv".into(),
            sent_log: "content/mail/sent.log".into(),
            unsubscribe: Unsubscribe::default(),
            smtp: None,
        }
    }
}

/// Where a recipient asks to be taken off the list (the `List-Unsubscribe` header). When both
/// are empty, a `mailto:` to the IR contact's address is used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unsubscribe {
    /// An address to write to, e.g. `unsubscribe@ir.example.com`.
    #[serde(default)]
    pub mailto: Option<String>,
    /// A web page that unsubscribes on a POST (RFC 8058 one-click), `https://` only, e.g.
    /// `https://ir.example.com/unsubscribe`. Each message links it with the recipient's address
    /// and list in the query (and a token, with `token_secret_env`).
    #[serde(default)]
    pub url: Option<String>,
    /// Name of the environment variable holding the secret that signs the `token` in `url`'s
    /// query (HMAC-SHA256), so that nobody can unsubscribe someone else by writing the URL.
    #[serde(default)]
    pub token_secret_env: Option<String>,
}

/// The SMTP server the mail goes out through.
///
/// The password is deliberately not a setting: `site.yaml` is committed, so it only names the
/// environment variable that holds the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    /// 587 for `starttls`, 465 for `tls`, 25 for `none` unless told.
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: SmtpSecurity,
    /// User name for SMTP authentication; none means no authentication.
    #[serde(default)]
    pub user: Option<String>,
    /// Name of the environment variable holding the password, e.g. `HEMASITE_SMTP_PASSWORD`.
    #[serde(default)]
    pub password_env: Option<String>,
    /// Seconds to wait for the server before a try counts as failed.
    #[serde(default = "default_smtp_timeout")]
    pub timeout_secs: u64,
    /// Tries per message when the server answers "try again later" (4xx) or cannot be reached.
    #[serde(default = "default_smtp_attempts")]
    pub attempts: u32,
    /// Wait before the second try, doubled before each further one.
    #[serde(default = "default_smtp_retry_delay")]
    pub retry_delay_ms: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: allowed only for a server on this machine (127.0.0.1, ::1, localhost).
    None,
}

impl SmtpSettings {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }

    fn validate(&self) -> Result<(), Invalid> {
        if self.host.trim().is_empty() {
            return Err(invalid(
                "mail.smtp.host",
                "expected the SMTP server's host name",
            ));
        }
        if self.security == SmtpSecurity::None && !is_loopback_host(&self.host) {
            return Err(invalid(
                "mail.smtp.security",
                format!(
                    "`none` sends mail and password unencrypted, so it is allowed only for a \
                     server on this machine (127.0.0.1, ::1, localhost), not `{}`; use \
                     `starttls` or `tls`",
                    self.host
                ),
            ));
        }
        if let Some(name) = &self.password_env {
            if !is_env_name(name) {
                return Err(invalid(
                    "mail.smtp.password_env",
                    format!(
                        "expected the name of an environment variable such as \
                         `HEMASITE_SMTP_PASSWORD`, found `{name}` (the password itself never \
                         goes in site.yaml)"
                    ),
                ));
            }
            if self.user.is_none() {
                return Err(invalid(
                    "mail.smtp.password_env",
                    "set `user` too, or remove `password_env`",
                ));
            }
        }
        if self.attempts == 0 {
            return Err(invalid("mail.smtp.attempts", "expected at least 1"));
        }
        // lettre takes a zero timeout as "fail every read at once", which reads as a server that
        // never answers: refuse it here, where the user can see why.
        if self.timeout_secs == 0 {
            return Err(invalid(
                "mail.smtp.timeout_secs",
                "expected at least 1 second (0 would give up on the server before it answers);                  the default is 30",
            ));
        }
        Ok(())
    }
}

/// `HEMASITE_SMTP_PASSWORD`: letters, digits and `_`, not starting with a digit.
fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `https://host/…` in printable ASCII without spaces or the characters that end a URL in a
/// mail header (`<`, `>`, `,`, `"`), so it can go into `List-Unsubscribe` as it is.
fn is_https_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty()
            && url
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"<>,\"\\`".contains(&b))
    })
}

/// Hosts that reach only this machine.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn default_smtp_timeout() -> u64 {
    30
}

fn default_smtp_attempts() -> u32 {
    4
}

fn default_smtp_retry_delay() -> u64 {
    2000
}

impl MailSettings {
    fn validate(&self) -> Result<(), Invalid> {
        if let Some(url) = &self.unsubscribe.url
            && !is_https_url(url)
        {
            return Err(invalid(
                "mail.unsubscribe.url",
                format!(
                    "expected an https:// URL with a host and no spaces, such as \
                     `https://ir.example.com/unsubscribe`, found `{url}` (mail clients make \
                     one-click unsubscribe requests only over https)"
                ),
            ));
        }
        if let Some(name) = &self.unsubscribe.token_secret_env {
            if !is_env_name(name) {
                return Err(invalid(
                    "mail.unsubscribe.token_secret_env",
                    format!(
                        "expected the name of an environment variable such as \
                         `HEMASITE_UNSUBSCRIBE_SECRET`, found `{name}`"
                    ),
                ));
            }
            if self.unsubscribe.url.is_none() {
                return Err(invalid(
                    "mail.unsubscribe.token_secret_env",
                    "the token signs the unsubscribe URL: set `url` too, or remove this key",
                ));
            }
        }
        if let Some(mailto) = &self.unsubscribe.mailto
            && (!mailto.contains('@') || mailto.contains(['<', '>', ',', ' ']))
        {
            return Err(invalid(
                "mail.unsubscribe.mailto",
                format!(
                    "expected an email address such as `unsubscribe@example.com`, found \
                     `{mailto}`"
                ),
            ));
        }
        match &self.smtp {
            Some(smtp) => smtp.validate(),
            None => Ok(()),
        }
    }
}

fn default_fiscal_year_end() -> String {
    "12-31".into()
}

fn default_fiscal_year_named_for() -> String {
    "end".into()
}

impl SiteConfig {
    pub fn load(path: &Path) -> Result<SiteConfig, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            let message = if err.kind() == std::io::ErrorKind::NotFound {
                "no site.yaml here, so this is not a site folder; run hemasite in a site \
                 folder, pass --root, or make one with `hemasite init DIR`"
                    .to_string()
            } else {
                format!("cannot read the site configuration: {err}")
            };
            Diagnostic::error(path, 0, message)
        })?;
        Self::parse(path, &text)
    }

    /// Reads `site.yaml`'s text. Errors name the key (`mail.smtp.port`), its line, and what it
    /// expects, and show the line.
    pub fn parse(path: &Path, text: &str) -> Result<SiteConfig, Diagnostic> {
        let file = YamlFile {
            path,
            text,
            first_line: 1,
        };
        crate::model::aliases::refuse(path, text, 1)?;
        let config: SiteConfig =
            serde_yaml::from_str(text).map_err(|err| yaml_error(&err, &file, &SITE_YAML))?;
        config.validate().map_err(|invalid| invalid.at(&file))?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), Invalid> {
        if !(self.base_url.starts_with("https://") || self.base_url.starts_with("http://")) {
            return Err(invalid(
                "base_url",
                format!(
                    "expected an absolute http(s) URL such as `https://ir.example.com/`, found `{}`",
                    self.base_url
                ),
            ));
        }
        for (key, colour) in [
            ("brand.primary", &self.brand.primary),
            ("brand.accent", &self.brand.accent),
        ] {
            if !is_hex_colour(colour) {
                return Err(invalid(
                    key,
                    format!("expected a colour like `#7a1020`, found `{colour}`"),
                ));
            }
        }
        if let Some(problem) = self.brand.logo.as_deref().and_then(logo_path_problem) {
            return Err(invalid(LOGO_KEY, problem));
        }
        if self.fiscal_year_end_month_day().is_none() {
            return Err(invalid(
                "fiscal_year_end",
                format!(
                    "expected `MM-DD` such as `12-31`, found `{}`",
                    self.fiscal_year_end
                ),
            ));
        }
        if !matches!(self.fiscal_year_named_for.as_str(), "end" | "start") {
            return Err(invalid(
                "fiscal_year_named_for",
                format!(
                    "expected `end` (fiscal 2025 ends in 2025) or `start` (fiscal 2024 ends in \
                     January 2025), found `{}`",
                    self.fiscal_year_named_for
                ),
            ));
        }
        self.mail.validate()?;
        Ok(())
    }

    /// The fiscal year end as (month, day).
    /// The fiscal calendar `fiscal_year_end` names (December 31 when it is invalid, which
    /// `SiteConfig::parse` has already refused): the one every stage reads periods with.
    pub fn fiscal_calendar(&self) -> FiscalCalendar {
        match self.fiscal_year_end_month_day() {
            Some((year_end_month, year_end_day)) => FiscalCalendar {
                year_end_month,
                year_end_day,
                named_for_start: self.fiscal_year_named_for == "start",
            },
            None => FiscalCalendar::default(),
        }
    }

    pub fn fiscal_year_end_month_day(&self) -> Option<(u32, u32)> {
        let (month, day) = self.fiscal_year_end.split_once('-')?;
        let (month, day) = (month.parse().ok()?, day.parse().ok()?);
        chrono::NaiveDate::from_ymd_opt(2001, month, day).map(|_| (month, day))
    }

    /// `https://ir.example.com/investors/`: the base URL, always ending in `/`.
    pub fn site_url(&self) -> String {
        let url = self.base_url.trim_end_matches('/');
        format!("{url}/")
    }

    /// The absolute URL of a path relative to the site root (`news/` → `https://…/news/`).
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{path}", self.site_url())
    }

    /// The base URL's path, always ending in `/`: `/` at a host's root, `/investors/` under one.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
        if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        }
    }
}

/// What the `site.yaml` keys hold, for error messages: the keys whose Rust type (a string, a
/// number) does not tell a person what to write.
const SITE_YAML: Schema = Schema {
    document: "site.yaml",
    expected: &[
        (
            "title",
            "the site's title, e.g. `HemaCare Investor Relations`",
        ),
        (
            "base_url",
            "the absolute URL the site is published at, e.g. `https://ir.example.com/`",
        ),
        (
            "company",
            "`name:` and `ticker:` (and optionally `market:`, `description:`)",
        ),
        (
            "company.name",
            "the company's name, e.g. `HemaCare Corporation`",
        ),
        ("company.ticker", "the ticker symbol, e.g. `HEMA`"),
        ("nav", "a list of `{ title: …, path: … }` links"),
        (
            "brand.logo",
            "the logo's path under static/, an SVG or PNG file, e.g. `logo.svg`",
        ),
        ("fiscal_year_end", "`MM-DD` in quotes, e.g. `\"12-31\"`"),
        (
            "pdf.margin_mm",
            "the page margins in millimetres, e.g. `18`",
        ),
        (
            "mail.smtp.port",
            "a port number from 1 to 65535, e.g. `587`",
        ),
        ("mail.smtp.timeout_secs", "a number of seconds, e.g. `30`"),
        (
            "mail.smtp.attempts",
            "how many times to try each message, e.g. `4`",
        ),
        (
            "mail.smtp.retry_delay_ms",
            "milliseconds to wait before retrying, e.g. `2000`",
        ),
    ],
};

/// A value that was read but makes no sense, under its key's full path (`brand.primary`).
#[derive(Debug)]
struct Invalid {
    key: &'static str,
    problem: String,
}

fn invalid(key: &'static str, problem: impl Into<String>) -> Invalid {
    Invalid {
        key,
        problem: problem.into(),
    }
}

impl Invalid {
    /// The error on the key's line in `file`, or on the whole file when the key is not written
    /// there (a default that another setting makes wrong).
    fn at(&self, file: &YamlFile) -> Diagnostic {
        let message = format!("{}: {}", self.key, self.problem);
        match line_of_key(file.text, self.key) {
            Some((line, column)) => file.error_at(line, column, &message),
            None => Diagnostic::error(file.path, 0, message),
        }
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The key in `site.yaml`, which every error names.
pub const LOGO_KEY: &str = "brand.logo";

/// What a path that `site.yaml` may give is: relative, inside `static/`, a file name a URL can
/// hold as it is. `None` when it is fine, else why not.
pub fn logo_path_problem(name: &str) -> Option<String> {
    let safe = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && !part.starts_with('.')
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    let lower = name.to_ascii_lowercase();
    if !name.split('/').all(safe) {
        Some(format!(
            "expected a path under static/ such as `logo.svg` (letters, digits, `-`, `_` and \
             `.`, folders separated by `/`, no `..`), found `{name}`"
        ))
    } else if !(lower.ends_with(".svg") || lower.ends_with(".png")) {
        Some(format!(
            "expected an .svg or .png file under static/ such as `logo.svg`, found `{name}`"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "title: T\nbase_url: https://example.com/ir\ncompany: { name: C, ticker: X }\n";

    #[test]
    fn unknown_keys_are_named() {
        let err = SiteConfig::parse(Path::new("site.yaml"), &format!("{MINIMAL}colour: red\n"))
            .unwrap_err();
        assert!(err.message.contains("colour"), "{err}");
        assert_eq!(err.line, 4);
    }

    #[test]
    fn bad_values_are_named() {
        let err = SiteConfig::parse(
            Path::new("site.yaml"),
            &format!("{MINIMAL}brand: {{ primary: red }}\n"),
        )
        .unwrap_err();
        assert!(err.message.starts_with("brand.primary"), "{err}");
    }

    #[test]
    fn mail_settings_are_optional_with_defaults() {
        let config = SiteConfig::parse(Path::new("site.yaml"), MINIMAL).unwrap();
        assert_eq!(config.mail, MailSettings::default());
        assert_eq!(config.mail.subscribers, "content/subscribers.csv");
        assert!(config.mail.smtp.is_none());
    }

    #[test]
    fn unencrypted_smtp_only_to_this_machine() {
        let yaml = |host: &str| {
            format!("{MINIMAL}mail:\n  smtp: {{ host: \"{host}\", port: 2525, security: none }}\n")
        };
        for host in ["127.0.0.1", "localhost", "::1", "[::1]"] {
            let config = SiteConfig::parse(Path::new("site.yaml"), &yaml(host)).unwrap();
            assert_eq!(config.mail.smtp.unwrap().port(), 2525);
        }
        let err = SiteConfig::parse(Path::new("site.yaml"), &yaml("smtp.example.com")).unwrap_err();
        assert!(err.message.starts_with("mail.smtp.security"), "{err}");
    }

    #[test]
    fn password_is_named_not_written() {
        let with = |smtp: &str| format!("{MINIMAL}mail:\n  smtp: {smtp}\n");
        let err = SiteConfig::parse(
            Path::new("site.yaml"),
            &with("{ host: smtp.example.com, user: ir, password: hunter2 }"),
        )
        .unwrap_err();
        assert!(err.message.contains("password"), "{err}");
        let err = SiteConfig::parse(
            Path::new("site.yaml"),
            &with("{ host: smtp.example.com, user: ir, password_env: \"not a name\" }"),
        )
        .unwrap_err();
        assert!(err.message.starts_with("mail.smtp.password_env"), "{err}");
        let config = SiteConfig::parse(
            Path::new("site.yaml"),
            &with("{ host: smtp.example.com, user: ir, password_env: HEMASITE_SMTP_PASSWORD }"),
        )
        .unwrap();
        let smtp = config.mail.smtp.unwrap();
        assert_eq!(smtp.security, SmtpSecurity::Starttls);
        assert_eq!(smtp.port(), 587);
    }

    #[test]
    fn a_zero_timeout_is_refused() {
        let err = SiteConfig::parse(
            Path::new("site.yaml"),
            &format!("{MINIMAL}mail:\n  smtp: {{ host: smtp.example.com, timeout_secs: 0 }}\n"),
        )
        .unwrap_err();
        assert!(err.message.starts_with("mail.smtp.timeout_secs"), "{err}");
        assert!(err.message.contains("at least 1 second"), "{err}");
    }

    #[test]
    fn the_unsubscribe_url_must_be_https() {
        let with = |url: &str| format!("{MINIMAL}mail:\n  unsubscribe:\n    url: \"{url}\"\n");
        for url in [
            "http://ir.example.com/unsubscribe",
            "mailto:x@example.com",
            "https://",
            "https://ir.example.com/a b",
            "https://ir.example.com/a>,<javascript:x",
        ] {
            let err = SiteConfig::parse(Path::new("site.yaml"), &with(url)).unwrap_err();
            assert!(
                err.message.starts_with("mail.unsubscribe.url"),
                "{url}: {err}"
            );
            assert_eq!(err.line, 6, "{url}: the key's line");
        }
        let ok = SiteConfig::parse(
            Path::new("site.yaml"),
            &with("https://ir.example.com/u?x=1"),
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn the_logo_is_an_svg_or_png_inside_static() {
        let with = |logo: &str| format!("{MINIMAL}brand: {{ logo: \"{logo}\" }}\n");
        for logo in ["logo.svg", "images/Logo.PNG"] {
            let config = SiteConfig::parse(Path::new("site.yaml"), &with(logo)).unwrap();
            assert_eq!(config.brand.logo.as_deref(), Some(logo));
        }
        for logo in [
            "../logo.svg",
            "/etc/logo.png",
            "logo.gif",
            "a//logo.png",
            "",
        ] {
            let err = SiteConfig::parse(Path::new("site.yaml"), &with(logo)).unwrap_err();
            assert!(err.message.starts_with("brand.logo"), "{logo}: {err}");
        }
    }

    #[test]
    fn a_fiscal_year_is_named_for_its_end_unless_told() {
        let parse = |extra: &str| {
            SiteConfig::parse(
                Path::new("site.yaml"),
                &format!("{MINIMAL}fiscal_year_end: \"01-31\"\n{extra}"),
            )
        };
        assert!(!parse("").unwrap().fiscal_calendar().named_for_start);
        let start = parse("fiscal_year_named_for: start\n").unwrap();
        assert!(start.fiscal_calendar().named_for_start);
        let err = parse("fiscal_year_named_for: beginning\n").unwrap_err();
        assert!(err.message.starts_with("fiscal_year_named_for"), "{err}");
        assert_eq!(err.line, 5, "the key's own line");
    }

    #[test]
    fn base_path_handles_sub_paths() {
        let config = SiteConfig::parse(Path::new("site.yaml"), MINIMAL).unwrap();
        assert_eq!(config.base_path(), "/ir/");
        assert_eq!(config.fiscal_year_end_month_day(), Some((12, 31)));
    }
}
