//! Handing messages to a mail server: the [`Transport`] seam, SMTP through lettre behind it, and
//! the retry policy for answers that mean "try again later".
//!
//! The run talks to a `dyn Transport`, so tests can put a fake server behind the same code path
//! that sends real mail.

use std::fmt;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{SmtpTransport, Transport as _};

use crate::config::{SmtpSecurity, SmtpSettings, is_loopback_host};

/// Something that delivers one message to the recipients of its envelope.
pub trait Transport {
    fn send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError>;
}

/// Why a message was not delivered, sorted by what the run should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again after a pause: the server answered 4xx ("not now").
    Transient(String),
    /// No answer at all (connection refused or dropped, timeout): tried again after a pause,
    /// and when it stays away the run stops, since no other message would get through either.
    Unreachable(String),
    /// The server refused this message for good (5xx): this recipient fails, the others go on.
    Rejected(String),
    /// The server cannot be used at all (authentication refused, TLS failed): stop the run.
    Fatal(String),
    /// The connection failed during the transaction (timeout, dropped): the server may have
    /// taken the message. Never retried, since that could deliver it twice; the run stops and
    /// the send log keeps it as in flight for a person to decide.
    Uncertain(String),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Transient(reason)
            | SendError::Unreachable(reason)
            | SendError::Rejected(reason)
            | SendError::Fatal(reason)
            | SendError::Uncertain(reason) => f.write_str(reason),
        }
    }
}

/// How often, and how patiently, a message is tried again after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included; at least 1.
    pub attempts: u32,
    /// The pause before the second try; each further pause is twice the one before.
    pub first_delay: Duration,
}

impl RetryPolicy {
    pub fn from_settings(settings: &SmtpSettings) -> RetryPolicy {
        RetryPolicy {
            attempts: settings.attempts.max(1),
            first_delay: Duration::from_millis(settings.retry_delay_ms),
        }
    }

    /// Sends with retries. A transient failure on the last try is returned as it is, so the
    /// caller can tell "the server is away" from "the server said no".
    pub fn send(
        &self,
        transport: &mut dyn Transport,
        envelope: &Envelope,
        message: &[u8],
        sleep: &mut dyn FnMut(Duration),
    ) -> Result<(), SendError> {
        let mut delay = self.first_delay;
        let mut attempt = 1;
        loop {
            match transport.send(envelope, message) {
                Err(SendError::Transient(_) | SendError::Unreachable(_))
                    if attempt < self.attempts =>
                {
                    sleep(delay);
                    delay = delay.saturating_mul(2);
                    attempt += 1;
                }
                Err(SendError::Transient(reason)) => {
                    return Err(SendError::Transient(format!(
                        "{reason} (tried {attempt} times)"
                    )));
                }
                Err(SendError::Unreachable(reason)) => {
                    return Err(SendError::Unreachable(format!(
                        "{reason} (tried {attempt} times)"
                    )));
                }
                other => return other,
            }
        }
    }
}

/// A password read from the environment. Its `Debug` never shows it.
struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(hidden)")
    }
}

/// SMTP delivery through lettre, configured from `mail.smtp` in `site.yaml`.
pub struct SmtpSender {
    transport: SmtpTransport,
    /// `host:port (security)`, for messages; never holds the password.
    server: String,
    user: Option<String>,
}

impl fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSender")
            .field("server", &self.server)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl SmtpSender {
    /// Builds the SMTP client. `hello_domain` is the name this client gives in `EHLO` (the site's
    /// domain); `read_env` looks up the variable `password_env` names (`std::env::var` in the
    /// program, a map in tests).
    pub fn new(
        settings: &SmtpSettings,
        hello_domain: &str,
        read_env: impl Fn(&str) -> Option<String>,
    ) -> Result<SmtpSender, String> {
        let port = settings.port();
        let host = settings.host.trim();
        let server = format!("{host}:{port} ({})", security_name(settings.security));
        let builder = match settings.security {
            SmtpSecurity::Starttls => SmtpTransport::starttls_relay(host),
            SmtpSecurity::Tls => SmtpTransport::relay(host),
            SmtpSecurity::None if is_loopback_host(host) => Ok(SmtpTransport::builder_dangerous(
                host.trim_start_matches('[').trim_end_matches(']'),
            )),
            SmtpSecurity::None => {
                return Err(format!(
                    "mail.smtp.security: `none` is allowed only for a server on this machine, \
                     not `{host}`"
                ));
            }
        }
        .map_err(|err| format!("cannot set up TLS for {server}: {err}"))?;
        let mut builder = builder
            .port(port)
            .timeout(Some(Duration::from_secs(settings.timeout_secs)))
            .hello_name(ClientId::Domain(hello_domain.to_string()));
        if let Some(credentials) = credentials(settings, &read_env)? {
            builder = builder.credentials(credentials);
        }
        Ok(SmtpSender {
            transport: builder.build(),
            server,
            user: settings.user.clone(),
        })
    }

    pub fn server(&self) -> &str {
        &self.server
    }
}

/// User name from `site.yaml`, password from the environment variable it names.
fn credentials(
    settings: &SmtpSettings,
    read_env: &impl Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, String> {
    let Some(user) = &settings.user else {
        return Ok(None);
    };
    let Some(variable) = &settings.password_env else {
        return Err(format!(
            "mail.smtp.user is `{user}` but mail.smtp.password_env is not set: name the \
             environment variable that holds the password, e.g. `password_env: \
             HEMASITE_SMTP_PASSWORD`"
        ));
    };
    let password = read_env(variable)
        .filter(|password| !password.is_empty())
        .map(Password)
        .ok_or_else(|| {
            format!(
                "the SMTP password is read from the environment variable `{variable}` \
                 (mail.smtp.password_env), which is not set: set it before running \
                 `hemasite mail --send`"
            )
        })?;
    Ok(Some(Credentials::new(user.clone(), password.0)))
}

fn security_name(security: SmtpSecurity) -> &'static str {
    match security {
        SmtpSecurity::Starttls => "STARTTLS",
        SmtpSecurity::Tls => "TLS",
        SmtpSecurity::None => "unencrypted",
    }
}

impl Transport for SmtpSender {
    fn send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        self.transport
            .send_raw(envelope, message)
            .map(|_| ())
            .map_err(|err| classify(&self.server, &err))
    }
}

/// Sorts lettre's errors into what the run does next.
fn classify(server: &str, err: &lettre::transport::smtp::Error) -> SendError {
    let reason = format!("{server}: {err}");
    let code = err.status().map(|code| code.to_string());
    match code.as_deref() {
        // 530/534/535: authentication required or refused. Every message would fail the same way.
        Some("530" | "534" | "535") => SendError::Fatal(format!(
            "{reason}; check mail.smtp.user and the password variable"
        )),
        _ if err.is_permanent() => SendError::Rejected(reason),
        _ if err.is_transient() => SendError::Transient(reason),
        _ if err.is_tls() => SendError::Fatal(reason),
        // lettre's own refusals, made before anything is sent: for this recipient only (a
        // non-ASCII address for a server without SMTPUTF8, say).
        _ if err.is_client() => SendError::Rejected(client_refusal(&reason)),
        // No connection at all (refused, no route, a connect that timed out): nothing was sent,
        // and the server may come back.
        _ if err.to_string().starts_with("Connection error") => SendError::Unreachable(reason),
        // A session that broke half way (a timeout, a dropped connection, lettre's "network
        // error", or an answer cut short: "incomplete response" when the server hangs up after
        // the message's final `.`): the message may have been accepted.
        _ if err.is_timeout()
            || err.is_response()
            || err.to_string().starts_with("network error") =>
        {
            SendError::Uncertain(reason)
        }
        _ => SendError::Unreachable(reason),
    }
}

/// lettre's refusal in words that say what to do, for those a user can act on.
fn client_refusal(reason: &str) -> String {
    if reason.contains("SMTPUTF8") {
        format!(
            "{reason}: this address has non-ASCII characters, which need a server that offers \
             SMTPUTF8; send to an ASCII address for this recipient, or use such a server"
        )
    } else {
        reason.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Flaky {
        failures_left: u32,
        calls: u32,
    }

    impl Transport for Flaky {
        fn send(&mut self, _: &Envelope, _: &[u8]) -> Result<(), SendError> {
            self.calls += 1;
            if self.failures_left > 0 {
                self.failures_left -= 1;
                return Err(SendError::Transient("421 busy".into()));
            }
            Ok(())
        }
    }

    fn envelope() -> Envelope {
        Envelope::new(
            Some("ir@example.com".parse().unwrap()),
            vec!["a@example.com".parse().unwrap()],
        )
        .unwrap()
    }

    #[test]
    fn transient_failures_are_retried_with_doubling_pauses() {
        let policy = RetryPolicy {
            attempts: 4,
            first_delay: Duration::from_millis(100),
        };
        let mut pauses = Vec::new();
        let mut server = Flaky {
            failures_left: 2,
            calls: 0,
        };
        let result = policy.send(&mut server, &envelope(), b"x", &mut |d| pauses.push(d));
        assert_eq!(result, Ok(()));
        assert_eq!(server.calls, 3);
        assert_eq!(
            pauses,
            [Duration::from_millis(100), Duration::from_millis(200)]
        );
    }

    #[test]
    fn retries_stop_after_the_last_attempt() {
        let policy = RetryPolicy {
            attempts: 3,
            first_delay: Duration::ZERO,
        };
        let mut server = Flaky {
            failures_left: 10,
            calls: 0,
        };
        let result = policy.send(&mut server, &envelope(), b"x", &mut |_| {});
        assert_eq!(
            result,
            Err(SendError::Transient("421 busy (tried 3 times)".into()))
        );
        assert_eq!(server.calls, 3);
    }
}
