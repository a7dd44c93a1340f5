//! Composing one message per recipient: subject, plain text and HTML from the theme's
//! `email/` templates, and the mailing's PDF attached: the quarter's summary, or the release's
//! printable PDF for a release alert.
//!
//! ```text
//! multipart/mixed
//! ├── multipart/alternative
//! │   ├── text/plain   email/body.txt            (a release alert: email/release-body.txt)
//! │   └── text/html    email/body.html           (email/release-body.html)
//! │       (with a PNG logo: multipart/related holding the HTML and the logo, by Content-ID)
//! └── application/pdf  HemaCare-Quarterly-Summary-2003-Q3.pdf   (HemaCare-Release-2003-11-14.pdf)
//! ```
//!
//! Everything but the `Date` header follows from the content, the recipient and how many times
//! the recipient was sent this mailing before, so a preview (`--dry-run`) shows exactly what
//! `--send` sends, and a `Message-ID` identifies one (mailing, recipient, send). Header values
//! that come from content (the subject from a release's title, names) are encoded by lettre
//! (RFC 2047 encoded words for anything but printable ASCII) after line breaks and control
//! characters are refused or flattened; the `List-Unsubscribe` URLs are percent-encoded ASCII.

use std::collections::BTreeMap;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use lettre::address::Envelope;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use pulldown_cmark::{Event, Parser, TagEnd};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::mailing::{MailList, Mailing};
use super::recipients::{Recipient, check_field};
use crate::config::SiteConfig;
use crate::diagnostics::template_error;
use crate::model::{Column, Figure, Quarter, Release, StatementKind, Unit};
use crate::theme::Theme;
use crate::urls;

/// The templates a quarterly summary is made from, by their name under `templates/`.
pub const SUBJECT_TEMPLATE: &str = "email/subject.txt";
pub const TEXT_TEMPLATE: &str = "email/body.txt";
pub const HTML_TEMPLATE: &str = "email/body.html";
/// The templates a release alert is made from.
pub const RELEASE_SUBJECT_TEMPLATE: &str = "email/release-subject.txt";
pub const RELEASE_TEXT_TEMPLATE: &str = "email/release-body.txt";
pub const RELEASE_HTML_TEMPLATE: &str = "email/release-body.html";

/// The figures the message body quotes, in this order, when the release has them.
const KEY_FIGURES: [&str; 6] = [
    "revenue",
    "gross_profit",
    "operating_income",
    "net_income",
    "eps_basic_diluted",
    "eps_diluted",
];

/// The logo's height in the message, in CSS pixels; its width follows from the PNG's shape.
const LOGO_HEIGHT: u32 = 40;
/// The widest the logo may be, so a wide wordmark does not push the layout on a phone.
const LOGO_MAX_WIDTH: u32 = 240;

/// What the query of an unsubscribe URL may hold as it is: letters, digits and `-._~`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A message ready to hand to a transport or to write as an `.eml` file.
#[derive(Debug, Clone)]
pub struct Composed {
    pub message_id: String,
    pub envelope: Envelope,
    /// The whole message, headers and body, as sent (CRLF line ends).
    pub bytes: Vec<u8>,
}

/// What one mailing's messages say, besides whom they go to.
#[derive(Debug, Clone)]
pub struct Letter<'a> {
    pub mailing: &'a Mailing,
    /// The PDF to attach: the quarter's summary or the release's printable PDF.
    pub pdf: Vec<u8>,
    /// For a quarter, its earnings release when there is one; for a release alert, the release.
    pub release: Option<&'a Release>,
}

/// The logo shown at the top of the HTML part, attached inline.
#[derive(Debug, Clone)]
struct Logo {
    png: Vec<u8>,
    /// The Content-ID, without the angle brackets: `logo@ir.example.com`.
    content_id: String,
    view: LogoView,
}

/// Where unsubscribe requests go; the URL gets each recipient's own query.
#[derive(Clone)]
struct UnsubscribeLinks {
    /// `mailto:unsubscribe@example.com?subject=unsubscribe`.
    mailto: String,
    /// The address of the mailto, for the plain text.
    email: String,
    /// `https://…`, from `mail.unsubscribe.url`.
    url: Option<String>,
    /// Signs the URL's token; read from the environment, never printed.
    secret: Option<Vec<u8>>,
}

/// What every message of one mailing shares; composes one per recipient.
pub struct Composer {
    tera: tera::Tera,
    /// Template name → where it was read from, for error messages.
    origins: BTreeMap<String, String>,
    templates: [&'static str; 3],
    from: Mailbox,
    domain: String,
    mailing: Mailing,
    unsubscribe: UnsubscribeLinks,
    pdf: Vec<u8>,
    pdf_name: String,
    logo: Option<Logo>,
    shared: Shared,
}

impl std::fmt::Debug for Composer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("from", &self.from)
            .field("mailing", &self.mailing)
            .field("pdf_name", &self.pdf_name)
            .finish_non_exhaustive()
    }
}

impl Composer {
    /// Loads the email templates and works out what every message shares. Fails with a sentence
    /// naming the setting or template at fault. `read_env` looks up the variable that
    /// `mail.unsubscribe.token_secret_env` names.
    pub fn new(
        theme: &Theme,
        config: &SiteConfig,
        letter: Letter<'_>,
        read_env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Composer, String> {
        let templates = match letter.mailing {
            Mailing::Quarterly(_) => [SUBJECT_TEMPLATE, TEXT_TEMPLATE, HTML_TEMPLATE],
            Mailing::Release(_) => [
                RELEASE_SUBJECT_TEMPLATE,
                RELEASE_TEXT_TEMPLATE,
                RELEASE_HTML_TEMPLATE,
            ],
        };
        let (tera, origins) = load_templates(theme, &templates)?;
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
        let unsubscribe = unsubscribe_links(config, &from_address, read_env)?;
        let logo = load_logo(theme, config, &domain)?;
        let company = CompanyView {
            name: config.company.name.clone(),
            short_name: short_name(&config.company.name),
            ticker: config.company.ticker.clone(),
            market: config.company.market.clone(),
        };
        let attachment = |file_name: String, path: String| AttachmentView {
            file_name,
            url: join_url(&config.base_url, &path),
            size: human_size(letter.pdf.len()),
        };
        let (pdf_name, mailing) = match (letter.mailing, letter.release) {
            (Mailing::Quarterly(quarter), release) => {
                let name = attachment_name(
                    &config.company.name,
                    &format!("Quarterly-Summary-{quarter}"),
                );
                let view = MailingView::Quarterly {
                    quarter: QuarterView {
                        id: quarter.to_string(),
                        name: quarter.long_name(),
                        phrase: quarter_phrase(*quarter),
                    },
                    summary: attachment(name.clone(), urls::summary_pdf(*quarter)),
                    release: release.map(|release| ReleaseView::new(release, config)),
                };
                (name, view)
            }
            (Mailing::Release(slug), Some(release)) if *slug == release.slug => {
                let name = attachment_name(
                    &config.company.name,
                    &format!("Release-{}", release.front.date),
                );
                let view = MailingView::Release {
                    pdf: attachment(name.clone(), urls::release_pdf(slug)),
                    release: ReleaseView::new(release, config),
                };
                (name, view)
            }
            (Mailing::Release(slug), _) => {
                return Err(format!("no release `{slug}` to compose the alert from"));
            }
        };
        let shared = Shared {
            company,
            site: SiteView {
                title: config.title.clone(),
                url: config.base_url.clone(),
                primary_colour: config.brand.primary.clone(),
            },
            logo: logo.as_ref().map(|logo| logo.view.clone()),
            mailing,
            contact: ContactView {
                name: contact.name.clone(),
                title: contact.title.clone(),
                email: contact.email.clone(),
                phone: contact.phone.clone(),
            },
        };
        Ok(Composer {
            tera,
            origins,
            templates,
            from: Mailbox::new(Some(contact.name.clone()), from_address),
            domain,
            mailing: letter.mailing.clone(),
            unsubscribe,
            pdf: letter.pdf,
            pdf_name,
            logo,
            shared,
        })
    }

    /// The attachment's file name, e.g. `HemaCare-Quarterly-Summary-2003-Q3.pdf`.
    pub fn attachment_name(&self) -> &str {
        &self.pdf_name
    }

    /// The `Message-ID` of the `send`-th message (1 for the first) of this mailing to this
    /// address: `<hemasite.2003-q3.1.<hash of the address>@ir.example.com>`, or
    /// `<hemasite.release.<slug>.1.<hash>@…>` for a release alert. A deliberate resend gets a new
    /// one, so mail systems that drop duplicate IDs still show it.
    pub fn message_id(&self, address_key: &str, send: u32) -> String {
        let digest = Sha256::digest(address_key.as_bytes());
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "<hemasite.{}.{send}.{hash}@{}>",
            self.mailing.id_part(),
            self.domain
        )
    }

    /// The unsubscribe web address for one recipient: the configured URL with
    /// `list=<list>&email=<address>` (and `&token=<HMAC-SHA256 of "list\naddress">` when a
    /// secret is set) in its query, percent-encoded.
    fn unsubscribe_url(&self, address_key: &str) -> Option<String> {
        let base = self.unsubscribe.url.as_ref()?;
        let list = self.mailing.list();
        let mut url = format!(
            "{base}{}list={}&email={}",
            if base.contains('?') { '&' } else { '?' },
            list.name(),
            utf8_percent_encode(address_key, QUERY_VALUE)
        );
        if let Some(secret) = &self.unsubscribe.secret {
            url.push_str("&token=");
            url.push_str(&unsubscribe_token(secret, list, address_key));
        }
        Some(url)
    }

    /// The message for one recipient. `send` counts the sends of this mailing to this
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
        let key = recipient.key();
        let url = self.unsubscribe_url(&key);
        let context = tera::Context::from_serialize(&Context {
            shared: &self.shared,
            recipient: RecipientView {
                name: recipient.name.clone(),
                email: recipient.address.to_string(),
            },
            unsubscribe: UnsubscribeView {
                email: self.unsubscribe.email.clone(),
                mailto: Some(self.unsubscribe.mailto.clone()),
                url: url.clone(),
            },
        })
        .map_err(|err| format!("cannot pass the message data to the templates: {err}"))?;
        let render = |name: &str| {
            self.tera
                .render(name, &context)
                .map_err(|err| format!("template {name}: {}", template_error(&err, &self.origins)))
        };
        let [subject_template, text_template, html_template] = self.templates;
        let subject = one_line(&render(subject_template)?);
        if subject.is_empty() {
            return Err(format!(
                "template {subject_template}: the subject came out empty"
            ));
        }
        let text = render(text_template)?;
        let html = render(html_template)?;

        let message_id = self.message_id(&key, send);
        let boundary = |kind: &str| {
            let digest = Sha256::digest(format!("{kind}{message_id}").as_bytes());
            let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
            // `=_` cannot occur in quoted-printable or base64 text, so the boundary cannot
            // appear in a part.
            format!("=_hemasite_{kind}_{hex}")
        };
        let html_part = SinglePart::html(html);
        let alternative = MultiPart::alternative()
            .boundary(boundary("alt"))
            .singlepart(SinglePart::plain(text));
        let alternative = match &self.logo {
            Some(logo) => alternative.multipart(
                MultiPart::related()
                    .boundary(boundary("rel"))
                    .singlepart(html_part)
                    .singlepart(Attachment::new_inline(logo.content_id.clone()).body(
                        logo.png.clone(),
                        ContentType::parse("image/png").expect("valid"),
                    )),
            ),
            None => alternative.singlepart(html_part),
        };
        let pdf_type = ContentType::parse("application/pdf").expect("a valid MIME type");
        let body = MultiPart::mixed()
            .boundary(boundary("mixed"))
            .multipart(alternative)
            .singlepart(Attachment::new(self.pdf_name.clone()).body(self.pdf.clone(), pdf_type));
        let to = Mailbox::new(
            Some(recipient.name.clone()).filter(|name| !name.is_empty()),
            recipient.address.clone(),
        );
        let mut links = vec![format!("<{}>", self.unsubscribe.mailto)];
        links.extend(url.iter().map(|url| format!("<{url}>")));
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .raw_header(subject_header(subject))
            .date(date)
            .message_id(Some(message_id.clone()))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                links.join(", "),
            ));
        if url.is_some() {
            // RFC 8058: the https URL unsubscribes on a POST with this body, no page to visit.
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        }
        let message = builder
            .multipart(body)
            .map_err(|err| format!("cannot build the message to {}: {err}", recipient.address))?;
        Ok(Composed {
            message_id,
            envelope: message.envelope().clone(),
            bytes: message.formatted(),
        })
    }
}

/// The `Subject` header. Printable ASCII goes as it is; anything else, and any subject holding
/// `=?` (which a mail client would take for the start of an encoded word, so a title could
/// smuggle one in), becomes RFC 2047 encoded words, `=?utf-8?b?…?=`, folded onto lines of their
/// own. Each word holds at most 39 bytes of UTF-8, whole characters only, so that every line
/// stays under 78 characters.
fn subject_header(subject: String) -> HeaderValue {
    let name = HeaderName::new_from_ascii_str("Subject");
    let plain =
        subject.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) && !subject.contains("=?");
    if plain {
        return HeaderValue::new(name, subject);
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in subject.chars() {
        if chunk.len() + c.len_utf8() > 39 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    let encoded = words
        .iter()
        .map(|word| format!("=?utf-8?b?{}?=", BASE64.encode(word)))
        .collect::<Vec<_>>()
        .join("\r\n ");
    HeaderValue::dangerous_new_pre_encoded(name, subject, encoded)
}

/// Reads every `email/` template through the theme (the built-in ones, overridden by the
/// site's own), so the mailing's three can include the shared parts (`email/header.html`,
/// `email/footer.txt`, …). Returns them loaded, and where each was read from.
fn load_templates(
    theme: &Theme,
    names: &[&str],
) -> Result<(tera::Tera, BTreeMap<String, String>), String> {
    let files = theme
        .templates("email/")
        .map_err(|err| format!("cannot read the email templates: {err}"))?;
    if let Some(name) = names.iter().find(|name| !files.contains_key(**name)) {
        return Err(format!(
            "template {name} is missing from the theme (templates/{name})"
        ));
    }
    let mut tera = tera::Tera::new();
    let texts = files
        .iter()
        .map(|(name, file)| Ok((name.as_str(), file.text()?)))
        .collect::<Result<Vec<_>, String>>()?;
    // All at once: tera resolves `{% include %}` as templates are added.
    tera.add_raw_templates(texts).map_err(|err| {
        format!(
            "an email template has an error: {}",
            template_error(&err, &files)
        )
    })?;
    let origins = files
        .into_iter()
        .map(|(name, file)| (name, file.origin))
        .collect();
    Ok((tera, origins))
}

/// The logo for the HTML part, from `brand.logo`: a PNG as it is; for an SVG, which many mail
/// clients do not show, a PNG of the same name beside it (`logo.png` for `logo.svg`) if there is
/// one, else none (the templates then show the company's name as text). A logo named but
/// missing or not a PNG is an error naming the key.
fn load_logo(theme: &Theme, config: &SiteConfig, domain: &str) -> Result<Option<Logo>, String> {
    let Some(name) = &config.brand.logo else {
        return Ok(None);
    };
    let read = |name: &str| {
        theme
            .static_file(name)
            .map_err(|err| format!("site.yaml: brand.logo: cannot read static/{name}: {err}"))
    };
    let Some(file) = read(name)? else {
        return Err(format!(
            "site.yaml: brand.logo: static/{name} does not exist; put the logo there, or \
             correct the path (it is relative to static/)"
        ));
    };
    let is_svg = name.to_ascii_lowercase().ends_with(".svg");
    let (png_name, png) = if is_svg {
        let stem = &name[..name.len() - ".svg".len()];
        let png_name = format!("{stem}.png");
        match read(&png_name)? {
            Some(png) => (png_name, png),
            None => return Ok(None),
        }
    } else {
        (name.clone(), file)
    };
    let decoded = crate::logo::Logo::from_bytes(&png_name, &png.contents)
        .map_err(|problem| format!("site.yaml: brand.logo: static/{png_name}: {problem}"))?;
    let (width, height) = (decoded.width.round() as u32, decoded.height.round() as u32);
    let (mut shown_width, mut shown_height) = (
        (u64::from(width) * u64::from(LOGO_HEIGHT) / u64::from(height).max(1)) as u32,
        LOGO_HEIGHT,
    );
    if shown_width > LOGO_MAX_WIDTH {
        shown_height = (u64::from(LOGO_HEIGHT) * u64::from(LOGO_MAX_WIDTH)
            / u64::from(shown_width).max(1)) as u32;
        shown_width = LOGO_MAX_WIDTH;
    }
    let content_id = format!("logo@{domain}");
    Ok(Some(Logo {
        png: png.contents.into_owned(),
        view: LogoView {
            src: format!("cid:{content_id}"),
            width: shown_width.max(1),
            height: shown_height.max(1),
            alt: config.company.name.clone(),
        },
        content_id,
    }))
}

/// A PNG's width and height from its header (signature, then the IHDR chunk), or `None` for
/// anything that is not a PNG.
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

/// The `List-Unsubscribe` targets: a mailto (to `mail.unsubscribe.mailto`, else the IR
/// contact), and the https URL when one is set, with the secret that signs its tokens.
fn unsubscribe_links(
    config: &SiteConfig,
    contact: &Address,
    read_env: &dyn Fn(&str) -> Option<String>,
) -> Result<UnsubscribeLinks, String> {
    let settings = &config.mail.unsubscribe;
    let email = settings
        .mailto
        .clone()
        .unwrap_or_else(|| contact.to_string());
    check_field("address", &email).map_err(|why| format!("site.yaml: mail.unsubscribe: {why}"))?;
    if let Some(url) = &settings.url {
        check_field("link", url)
            .map_err(|why| format!("site.yaml: mail.unsubscribe.url: {why}"))?;
    }
    let secret = match &settings.token_secret_env {
        Some(variable) => Some(
            read_env(variable)
                .filter(|secret| !secret.is_empty())
                .ok_or_else(|| {
                    format!(
                        "the unsubscribe tokens are signed with the secret in the environment \
                         variable `{variable}` (mail.unsubscribe.token_secret_env), which is not \
                         set: set it (the same secret your unsubscribe page checks them with)"
                    )
                })?
                .into_bytes(),
        ),
        None => None,
    };
    Ok(UnsubscribeLinks {
        // RFC 6068: the address percent-encoded where it is not plain ASCII.
        mailto: format!(
            "mailto:{}?subject=unsubscribe",
            utf8_percent_encode(&email, percent_encoding::CONTROLS)
        ),
        email,
        url: settings.url.clone(),
        secret,
    })
}

/// The token an unsubscribe page checks: HMAC-SHA256 over `<list>\n<address>` with the secret,
/// in lower-case hex.
pub fn unsubscribe_token(secret: &[u8], list: MailList, address_key: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(format!("{}\n{address_key}", list.name()).as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `HemaCare Corporation`, `Quarterly-Summary-2003-Q3` → `HemaCare-Quarterly-Summary-2003-Q3.pdf`:
/// the company's short name, in characters every mail client and file system accepts.
pub fn attachment_name(company: &str, what: &str) -> String {
    let words: Vec<String> = short_name(company)
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect();
    let name = if words.is_empty() {
        "Company".to_string()
    } else {
        words.join("-")
    };
    format!("{name}-{what}.pdf")
}

/// `HemaCare Corporation` → `HemaCare`, `Acme & Sons, Inc.` → `Acme & Sons`: the name without
/// its legal form, as a headline names the company.
pub fn short_name(company: &str) -> String {
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
    let words: Vec<&str> = company
        .split_whitespace()
        .filter(|word| {
            let bare: String = word
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            !LEGAL_FORMS.contains(&bare.as_str())
        })
        .collect();
    words.join(" ").trim_end_matches(',').to_string()
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
    unsubscribe: UnsubscribeView,
}

#[derive(Serialize)]
struct Shared {
    company: CompanyView,
    site: SiteView,
    /// The logo to show, or none: then the company's name as text.
    logo: Option<LogoView>,
    #[serde(flatten)]
    mailing: MailingView,
    contact: ContactView,
}

/// What only one kind of mailing has.
#[derive(Serialize)]
#[serde(untagged)]
enum MailingView {
    /// `quarter`, `summary` (the attachment) and the quarter's earnings `release`, if any.
    Quarterly {
        quarter: QuarterView,
        summary: AttachmentView,
        release: Option<ReleaseView>,
    },
    /// The `release` announced and its `pdf` (the attachment).
    Release {
        release: ReleaseView,
        pdf: AttachmentView,
    },
}

#[derive(Serialize)]
struct CompanyView {
    name: String,
    /// Without the legal form: `HemaCare`.
    short_name: String,
    ticker: String,
    market: Option<String>,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    url: String,
    primary_colour: String,
}

#[derive(Clone, Debug, Serialize)]
struct LogoView {
    /// `cid:logo@ir.example.com`: the PNG attached inline.
    src: String,
    width: u32,
    height: u32,
    /// The company's name.
    alt: String,
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
struct AttachmentView {
    file_name: String,
    /// The same PDF on the site.
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
    /// The recipient's own one-click unsubscribe URL, when `mail.unsubscribe.url` is set.
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
    subtitle: Option<String>,
    /// `Earnings`, `Management`, …
    category: &'static str,
    /// The release's page on the site.
    url: String,
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
    /// The events it announces, with links to put them in a calendar.
    events: Vec<EventView>,
}

#[derive(Serialize)]
struct EventView {
    kind: &'static str,
    title: String,
    /// `Friday, November 14, 2003, 4:30 p.m. EST`
    when: String,
    location: Option<String>,
    dial_in: Option<String>,
    webcast: Option<String>,
    /// "Add to Google Calendar" and "Outlook" links, as on the site.
    calendar: crate::site::calendar::Links,
}

#[derive(Serialize)]
struct FigureView {
    label: String,
    current: String,
    prior: Option<String>,
}

impl ReleaseView {
    fn new(release: &Release, config: &SiteConfig) -> ReleaseView {
        let front = &release.front;
        let paragraph = lead_paragraph(&release.body);
        let mut view = ReleaseView {
            title: front.title.clone(),
            subtitle: front.subtitle.clone(),
            category: front.category.label(),
            url: join_url(&config.base_url, &urls::release(release)),
            events: front
                .events
                .iter()
                .map(|event| EventView::new(event, release, config))
                .collect(),
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

impl EventView {
    fn new(event: &crate::model::Event, release: &Release, config: &SiteConfig) -> EventView {
        let page = join_url(&config.base_url, &urls::release(release));
        let day = crate::format::weekday_date(event.start.day());
        EventView {
            kind: event.kind.label(),
            title: event.title.clone(),
            when: match event.start {
                crate::model::EventTime::At(at) => {
                    format!("{day}, {}", crate::format::time_of_day(at))
                }
                crate::model::EventTime::Day(_) => day,
            },
            location: event.location.clone(),
            dial_in: event.dial_in.clone(),
            webcast: event.webcast.clone(),
            calendar: crate::site::calendar::Links::new(event, &release.front.title, &page),
        }
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
        let q3 = "Quarterly-Summary-2003-Q3";
        assert_eq!(
            attachment_name("HemaCare Corporation", q3),
            "HemaCare-Quarterly-Summary-2003-Q3.pdf"
        );
        assert_eq!(
            attachment_name("Acme & Sons, Inc.", "Release-2003-11-14"),
            "Acme-Sons-Release-2003-11-14.pdf"
        );
        assert_eq!(
            attachment_name("../..", q3),
            "Company-Quarterly-Summary-2003-Q3.pdf"
        );
    }

    #[test]
    fn short_names_drop_the_legal_form() {
        assert_eq!(short_name("HemaCare Corporation"), "HemaCare");
        assert_eq!(short_name("Acme & Sons, Inc."), "Acme & Sons");
        assert_eq!(short_name("Apple Inc."), "Apple");
    }

    #[test]
    fn tokens_depend_on_the_secret_the_list_and_the_address() {
        let token = unsubscribe_token(b"s3cret", MailList::Releases, "a@example.com");
        assert_eq!(token.len(), 64);
        assert_ne!(
            token,
            unsubscribe_token(b"other", MailList::Releases, "a@example.com")
        );
        assert_ne!(
            token,
            unsubscribe_token(b"s3cret", MailList::Quarterly, "a@example.com")
        );
        assert_ne!(
            token,
            unsubscribe_token(b"s3cret", MailList::Releases, "b@example.com")
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
