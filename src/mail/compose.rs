//! Composing one message per recipient: subject, plain text and HTML from the theme's
//! `email/` templates, and the quarter's summary PDF attached.
//!
//! ```text
//! multipart/mixed
//! ├── multipart/alternative
//! │   ├── text/plain   email/body.txt
//! │   └── text/html    email/body.html
//! └── application/pdf  HemaCare-Quarterly-Summary-2003-Q3.pdf
//! ```
//!
//! Everything but the `Date` header follows from the content, the recipient and how many times
//! the recipient was sent this quarter before, so a preview (`--dry-run`) shows exactly what
//! `--send` sends, and a `Message-ID` identifies one (quarter, recipient, send).

use std::collections::BTreeMap;
use std::time::SystemTime;

use lettre::address::Envelope;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use pulldown_cmark::{Event, Parser, TagEnd};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::recipients::{Recipient, check_field};
use crate::config::SiteConfig;
use crate::diagnostics::template_error;
use crate::model::{Column, Figure, Quarter, Release, StatementKind, Unit};
use crate::theme::Theme;

/// The templates a message is made from, by their name under `templates/`.
pub const SUBJECT_TEMPLATE: &str = "email/subject.txt";
pub const TEXT_TEMPLATE: &str = "email/body.txt";
pub const HTML_TEMPLATE: &str = "email/body.html";

/// The figures the message body quotes, in this order, when the release has them.
const KEY_FIGURES: [&str; 6] = [
    "revenue",
    "gross_profit",
    "operating_income",
    "net_income",
    "eps_basic_diluted",
    "eps_diluted",
];

/// A message ready to hand to a transport or to write as an `.eml` file.
#[derive(Debug, Clone)]
pub struct Composed {
    pub message_id: String,
    pub envelope: Envelope,
    /// The whole message, headers and body, as sent (CRLF line ends).
    pub bytes: Vec<u8>,
}

/// What every message of one mailing shares; composes one per recipient.
pub struct Composer {
    tera: tera::Tera,
    /// Template name → where it was read from, for error messages.
    origins: BTreeMap<String, String>,
    from: Mailbox,
    domain: String,
    list_unsubscribe: String,
    quarter: Quarter,
    pdf: Vec<u8>,
    pdf_name: String,
    shared: Shared,
}

impl std::fmt::Debug for Composer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("from", &self.from)
            .field("quarter", &self.quarter)
            .field("pdf_name", &self.pdf_name)
            .finish_non_exhaustive()
    }
}

impl Composer {
    /// Loads the email templates and works out what every message shares. Fails with a sentence
    /// naming the setting or template at fault.
    pub fn new(
        theme: &Theme,
        config: &SiteConfig,
        quarter: Quarter,
        pdf: Vec<u8>,
        release: Option<&Release>,
    ) -> Result<Composer, String> {
        let (tera, origins) = load_templates(theme)?;
        let contact = config.contact.as_ref().ok_or(
            "site.yaml: the mail is sent from the investor-relations contact: add \
             `contact:` with at least `name` and `email`",
        )?;
        let from_address: Address = contact.email.parse().map_err(|_| {
            format!(
                "site.yaml: contact.email `{}` is not a valid email address",
                contact.email
            )
        })?;
        let domain = site_domain(&config.base_url).ok_or_else(|| {
            format!(
                "site.yaml: cannot find a host name in base_url `{}`",
                config.base_url
            )
        })?;
        // Header values from site.yaml: a line break in one would panic lettre or add headers.
        check_field("name", &contact.name)
            .map_err(|why| format!("site.yaml: contact.name: {why}"))?;
        let unsubscribe = unsubscribe_links(config, &from_address);
        for link in &unsubscribe {
            check_field("link", link)
                .map_err(|why| format!("site.yaml: mail.unsubscribe: {why}"))?;
        }
        let list_unsubscribe = unsubscribe
            .iter()
            .map(|link| format!("<{link}>"))
            .collect::<Vec<_>>()
            .join(", ");
        let pdf_name = attachment_name(&config.company.name, quarter);
        let shared = Shared {
            company: CompanyView {
                name: config.company.name.clone(),
                ticker: config.company.ticker.clone(),
                market: config.company.market.clone(),
            },
            site: SiteView {
                title: config.title.clone(),
                url: config.base_url.clone(),
                primary_colour: config.brand.primary.clone(),
            },
            quarter: QuarterView {
                id: quarter.to_string(),
                name: quarter.long_name(),
                phrase: quarter_phrase(quarter),
            },
            summary: SummaryView {
                file_name: pdf_name.clone(),
                url: join_url(&config.base_url, &crate::site::urls::summary_pdf(quarter)),
                size: human_size(pdf.len()),
            },
            release: release.map(ReleaseView::new),
            contact: ContactView {
                name: contact.name.clone(),
                title: contact.title.clone(),
                email: contact.email.clone(),
                phone: contact.phone.clone(),
            },
            unsubscribe: UnsubscribeView {
                email: config
                    .mail
                    .unsubscribe
                    .mailto
                    .clone()
                    .unwrap_or_else(|| contact.email.clone()),
                mailto: unsubscribe
                    .iter()
                    .find(|l| l.starts_with("mailto:"))
                    .cloned(),
                url: unsubscribe.iter().find(|l| l.starts_with("http")).cloned(),
            },
        };
        Ok(Composer {
            tera,
            origins,
            from: Mailbox::new(Some(contact.name.clone()), from_address),
            domain,
            list_unsubscribe,
            quarter,
            pdf,
            pdf_name,
            shared,
        })
    }

    /// The attachment's file name, e.g. `HemaCare-Quarterly-Summary-2003-Q3.pdf`.
    pub fn attachment_name(&self) -> &str {
        &self.pdf_name
    }

    /// The `Message-ID` of the `send`-th message (1 for the first) of this quarter to this
    /// address: `<hemasite.2003-q3.1.<hash of the address>@ir.example.com>`. A deliberate resend
    /// gets a new one, so mail systems that drop duplicate IDs still show it.
    pub fn message_id(&self, address_key: &str, send: u32) -> String {
        let digest = Sha256::digest(address_key.as_bytes());
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "<hemasite.{}-q{}.{send}.{hash}@{}>",
            self.quarter.year, self.quarter.number, self.domain
        )
    }

    /// The message for one recipient. `send` counts the sends of this quarter to this
    /// recipient, this one included; `date` is the `Date` header.
    pub fn compose(
        &self,
        recipient: &Recipient,
        send: u32,
        date: SystemTime,
    ) -> Result<Composed, String> {
        // The list refuses these already; a recipient made some other way must not reach
        // lettre, whose header encoding panics on a line break in a name.
        check_field("name", &recipient.name)?;
        check_field("address", recipient.address.as_ref())?;
        let context = tera::Context::from_serialize(&Context {
            shared: &self.shared,
            recipient: RecipientView {
                name: recipient.name.clone(),
                email: recipient.address.to_string(),
            },
        })
        .map_err(|err| format!("cannot pass the message data to the templates: {err}"))?;
        let render = |name: &str| {
            self.tera
                .render(name, &context)
                .map_err(|err| format!("template {name}: {}", template_error(&err, &self.origins)))
        };
        let subject = one_line(&render(SUBJECT_TEMPLATE)?);
        if subject.is_empty() {
            return Err(format!(
                "template {SUBJECT_TEMPLATE}: the subject came out empty"
            ));
        }
        let text = render(TEXT_TEMPLATE)?;
        let html = render(HTML_TEMPLATE)?;

        let message_id = self.message_id(&recipient.key(), send);
        let boundary = |kind: &str| {
            let digest = Sha256::digest(format!("{kind}{message_id}").as_bytes());
            let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
            // `=_` cannot occur in quoted-printable or base64 text, so the boundary cannot
            // appear in a part.
            format!("=_hemasite_{kind}_{hex}")
        };
        let pdf_type = ContentType::parse("application/pdf").expect("a valid MIME type");
        let body = MultiPart::mixed()
            .boundary(boundary("mixed"))
            .multipart(
                MultiPart::alternative()
                    .boundary(boundary("alt"))
                    .singlepart(SinglePart::plain(text))
                    .singlepart(SinglePart::html(html)),
            )
            .singlepart(Attachment::new(self.pdf_name.clone()).body(self.pdf.clone(), pdf_type));
        let to = Mailbox::new(
            Some(recipient.name.clone()).filter(|name| !name.is_empty()),
            recipient.address.clone(),
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .date(date)
            .message_id(Some(message_id.clone()))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                self.list_unsubscribe.clone(),
            ))
            .multipart(body)
            .map_err(|err| format!("cannot build the message to {}: {err}", recipient.address))?;
        Ok(Composed {
            message_id,
            envelope: message.envelope().clone(),
            bytes: message.formatted(),
        })
    }
}

/// Reads `email/*` through the theme: the built-in templates, overridden by the site's own.
/// Returns them loaded, and where each was read from.
fn load_templates(theme: &Theme) -> Result<(tera::Tera, BTreeMap<String, String>), String> {
    let files = theme
        .templates("email/")
        .map_err(|err| format!("cannot read the email templates: {err}"))?;
    let mut tera = tera::Tera::new();
    for name in [SUBJECT_TEMPLATE, TEXT_TEMPLATE, HTML_TEMPLATE] {
        let file = files.get(name).ok_or_else(|| {
            format!("template {name} is missing from the theme (templates/{name})")
        })?;
        let text = file.text()?;
        tera.add_raw_template(name, text)
            .map_err(|err| format!("template {name}: {}", template_error(&err, &files)))?;
    }
    let origins = files
        .into_iter()
        .map(|(name, file)| (name, file.origin))
        .collect();
    Ok((tera, origins))
}

/// `https://ir.example.com:8443/investors/` → `ir.example.com`.
pub fn site_domain(base_url: &str) -> Option<String> {
    let rest = base_url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = host.split(':').next()?.trim().to_ascii_lowercase();
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    valid.then_some(host)
}

/// The `List-Unsubscribe` links: the configured ones, or a mailto to the IR contact.
fn unsubscribe_links(config: &SiteConfig, contact: &Address) -> Vec<String> {
    let settings = &config.mail.unsubscribe;
    let mut links = Vec::new();
    if let Some(mailto) = &settings.mailto {
        links.push(format!("mailto:{mailto}?subject=unsubscribe"));
    }
    if let Some(url) = &settings.url {
        links.push(url.clone());
    }
    if links.is_empty() {
        links.push(format!("mailto:{contact}?subject=unsubscribe"));
    }
    links
}

/// `HemaCare Corporation`, 2003-Q3 → `HemaCare-Quarterly-Summary-2003-Q3.pdf`: the company's
/// name without its legal form, in characters every mail client and file system accepts.
pub fn attachment_name(company: &str, quarter: Quarter) -> String {
    const LEGAL_FORMS: [&str; 9] = [
        "corporation",
        "corp",
        "incorporated",
        "inc",
        "company",
        "co",
        "ltd",
        "llc",
        "plc",
    ];
    let words: Vec<String> = company
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .filter(|word| !LEGAL_FORMS.contains(&word.to_ascii_lowercase().as_str()))
        .collect();
    let name = if words.is_empty() {
        "Company".to_string()
    } else {
        words.join("-")
    };
    format!("{name}-Quarterly-Summary-{quarter}.pdf")
}

/// `third quarter of 2003`: how the quarter reads inside a sentence.
fn quarter_phrase(quarter: Quarter) -> String {
    let ordinal = ["first", "second", "third", "fourth"][(quarter.number as usize - 1).min(3)];
    format!("{ordinal} quarter of {}", quarter.year)
}

fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// `212 KB`, for the line that tells the reader what is attached.
fn human_size(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{} KB", bytes.div_ceil(1_000)),
        _ => format!("{}.{} MB", bytes / 1_000_000, bytes % 1_000_000 / 100_000),
    }
}

/// Subjects are one line: template line breaks and runs of spaces become single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Serialize)]
struct Context<'a> {
    #[serde(flatten)]
    shared: &'a Shared,
    recipient: RecipientView,
}

#[derive(Serialize)]
struct Shared {
    company: CompanyView,
    site: SiteView,
    quarter: QuarterView,
    summary: SummaryView,
    release: Option<ReleaseView>,
    contact: ContactView,
    unsubscribe: UnsubscribeView,
}

#[derive(Serialize)]
struct CompanyView {
    name: String,
    ticker: String,
    market: Option<String>,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    url: String,
    primary_colour: String,
}

#[derive(Serialize)]
struct QuarterView {
    /// `2003-Q3`
    id: String,
    /// `Third Quarter 2003`, for titles.
    name: String,
    /// `third quarter of 2003`, for sentences.
    phrase: String,
}

#[derive(Serialize)]
struct SummaryView {
    file_name: String,
    url: String,
    size: String,
}

#[derive(Serialize)]
struct ContactView {
    name: String,
    title: Option<String>,
    email: String,
    phone: Option<String>,
}

#[derive(Serialize)]
struct UnsubscribeView {
    /// The address to write to, for the plain text: `ir@example.com`.
    email: String,
    /// The same as a link: `mailto:ir@example.com?subject=unsubscribe`.
    mailto: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct RecipientView {
    name: String,
    email: String,
}

/// The quarter's earnings release, as the message quotes it.
#[derive(Serialize)]
struct ReleaseView {
    title: String,
    /// `November 14, 2003`
    date: String,
    /// The first sentence of the body, as plain text: what the release announced.
    lead: String,
    /// The whole first paragraph, for templates that want more.
    lead_paragraph: String,
    /// Column headings of the key figures, e.g. `Three Months Ended September 30 2003`.
    current_label: Option<String>,
    prior_label: Option<String>,
    figures: Vec<FigureView>,
}

#[derive(Serialize)]
struct FigureView {
    label: String,
    current: String,
    prior: Option<String>,
}

impl ReleaseView {
    fn new(release: &Release) -> ReleaseView {
        let front = &release.front;
        let paragraph = lead_paragraph(&release.body);
        let mut view = ReleaseView {
            title: front.title.clone(),
            date: front.date.format("%B %-d, %Y").to_string(),
            lead: first_sentence(&paragraph).to_string(),
            lead_paragraph: paragraph,
            current_label: None,
            prior_label: None,
            figures: Vec::new(),
        };
        let Some(financials) = &front.financials else {
            return view;
        };
        let Some(statement) = financials
            .statements
            .iter()
            .find(|s| s.kind == StatementKind::Operations)
        else {
            return view;
        };
        let Some(current) = statement.columns.iter().position(|c| months(c) == Some(3)) else {
            return view;
        };
        let current_end = statement.columns[current].end();
        let prior = statement.columns.iter().position(|c| {
            months(c) == Some(3)
                && c.end() < current_end
                && current_end.signed_duration_since(c.end()).num_days() > 300
        });
        view.current_label = Some(statement.columns[current].label().to_string());
        view.prior_label = prior.map(|at| statement.columns[at].label().to_string());
        for key in KEY_FIGURES {
            let Some(row) = statement.rows.iter().find(|row| row.key == key) else {
                continue;
            };
            let cell = |at: usize| {
                row.values
                    .get(at)
                    .copied()
                    .flatten()
                    .map(|figure| format_figure(figure, row.unit(), &financials.currency))
            };
            let Some(current) = cell(current) else {
                continue;
            };
            view.figures.push(FigureView {
                label: row.label.clone(),
                current,
                prior: prior.and_then(cell),
            });
        }
        view
    }
}

fn months(column: &Column) -> Option<u32> {
    match column {
        Column::Period { months, .. } => Some(*months),
        Column::Instant { .. } => None,
    }
}

/// The first paragraph of a Markdown body, as plain text (markup dropped, lines joined).
fn lead_paragraph(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            _ => {}
        }
    }
    one_line(&text)
}

/// The first sentence of a paragraph. A full stop ends a sentence when a space and a capital
/// letter follow and the word before it is not an abbreviation (`Inc.`, `U.S.`, `J.`); when in
/// doubt the whole paragraph is kept.
fn first_sentence(paragraph: &str) -> &str {
    const ABBREVIATIONS: [&str; 12] = [
        "inc", "corp", "co", "ltd", "no", "mr", "mrs", "ms", "dr", "st", "jr", "sr",
    ];
    for (at, _) in paragraph.match_indices(". ") {
        let next = paragraph[at + 2..].chars().next();
        if !next.is_some_and(char::is_uppercase) {
            continue;
        }
        let word = paragraph[..at]
            .rsplit(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or_default();
        let abbreviation = word.chars().count() <= 1
            || word.contains('.')
            || ABBREVIATIONS.contains(&word.to_lowercase().as_str());
        if !abbreviation {
            return &paragraph[..=at];
        }
    }
    paragraph
}

/// A figure as an investor reads it in a sentence, in the house style of [`crate::format`]:
/// `$6,980,000`, `−$4,679,000`, `−$0.60`, `7,754,000`.
pub fn format_figure(figure: Figure, unit: Unit, currency: &str) -> String {
    crate::format::figure_text(figure, currency, unit != Unit::Shares)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn figures_read_as_printed() {
        let amount = |n| format_figure(Figure::Amount(n), Unit::Currency, "USD");
        assert_eq!(amount(6_980_000), "$6,980,000");
        assert_eq!(amount(-4_679_000), "\u{2212}$4,679,000");
        assert_eq!(amount(0), "$0");
        assert_eq!(amount(999), "$999");
        assert_eq!(
            format_figure(
                Figure::PerShare(Decimal::new(-60, 2)),
                Unit::PerShare,
                "USD"
            ),
            "\u{2212}$0.60"
        );
        assert_eq!(
            format_figure(Figure::Amount(7_754_000), Unit::Shares, "USD"),
            "7,754,000"
        );
        assert_eq!(
            format_figure(Figure::Amount(-1_500), Unit::Currency, "EUR"),
            "\u{2212}€1,500"
        );
    }

    #[test]
    fn attachment_names_drop_the_legal_form() {
        let q3 = Quarter::parse("2003-Q3").unwrap();
        assert_eq!(
            attachment_name("HemaCare Corporation", q3),
            "HemaCare-Quarterly-Summary-2003-Q3.pdf"
        );
        assert_eq!(
            attachment_name("Acme & Sons, Inc.", q3),
            "Acme-Sons-Quarterly-Summary-2003-Q3.pdf"
        );
        assert_eq!(
            attachment_name("../..", q3),
            "Company-Quarterly-Summary-2003-Q3.pdf"
        );
    }

    #[test]
    fn site_domain_is_the_base_url_host() {
        assert_eq!(
            site_domain("https://ir.hemacare.example/").as_deref(),
            Some("ir.hemacare.example")
        );
        assert_eq!(
            site_domain("https://Example.com:8443/investors/").as_deref(),
            Some("example.com")
        );
        assert_eq!(site_domain("https://"), None);
    }

    #[test]
    fn the_lead_is_the_first_sentence() {
        assert_eq!(
            first_sentence("HemaCare Corp. today announced results. Revenue rose."),
            "HemaCare Corp. today announced results."
        );
        assert_eq!(
            first_sentence("Blood for U.S. Hospitals and J. Smith. Next one."),
            "Blood for U.S. Hospitals and J. Smith."
        );
        assert_eq!(first_sentence("No full stop here"), "No full stop here");
        assert_eq!(first_sentence("Ends here."), "Ends here.");
    }

    #[test]
    fn lead_is_the_first_paragraph_as_text() {
        let body = "HemaCare *today* announced\nresults.\n\nSecond paragraph.\n";
        assert_eq!(lead_paragraph(body), "HemaCare today announced results.");
    }
}
