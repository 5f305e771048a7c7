//! Outgoing e-mail over SMTP (lettre), configured by `[mail]`: a relay URL and a sender. With
//! no relay configured the [`Mailer`] is off and sends nothing, and the portal works as before
//! (reset links are shown to the sysadmin only).
//!
//! [`Mailer::send`] blocks (it talks to the relay over one SMTP connection): call it off the
//! async threads (`web::block`, `spawn_blocking`), as the actions are. A relay that fails is an
//! error for the caller to log and report; it must never undo the change that wanted the mail.
//!
//! ```ignore
//! ctx.mail.send(OutgoingMail {
//!     to: "lan@tayninh.gov.vn".into(),
//!     subject: "Nhắc cập nhật dữ liệu".into(),
//!     text: "...".into(),
//! })?;
//! ```

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};

use crate::config::MailSettings;

/// The longest wait for the relay at each step (connect, each command). lettre's default is a
/// minute; a sysadmin's page waits for the send, and a relay that has not answered in 10 s is
/// not going to (a relay on the province's network answers in milliseconds).
const RELAY_TIMEOUT: Duration = Duration::from_secs(10);

/// One plain-text message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The recipient's address.
    pub to: String,
    /// The subject line (any Unicode; encoded as the standard asks).
    pub subject: String,
    /// The body, plain text (UTF-8).
    pub text: String,
}

/// What became of a mail an action wanted to send, as its result reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailOutcome {
    /// No relay is configured: nothing was sent.
    Off,
    /// The relay accepted the message.
    Sent,
    /// The relay refused it or could not be reached (the cause is in the server's log).
    Failed,
}

/// Sends mail through the configured relay; cheap to clone. Off when no relay is configured.
#[derive(Clone, Default)]
pub struct Mailer {
    relay: Option<Arc<Relay>>,
}

struct Relay {
    transport: SmtpTransport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The relay URL may hold a password: only whether mail is on is shown.
        f.debug_struct("Mailer")
            .field("enabled", &self.is_enabled())
            .finish()
    }
}

impl Mailer {
    /// A mailer that sends nothing.
    pub fn off() -> Mailer {
        Mailer { relay: None }
    }

    /// The mailer of the settings: off when `smtp_url` is empty; an error (at start-up) when
    /// the URL or the sender cannot be read, so a typo is found before the first mail.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Mailer> {
        let url = settings.smtp_url.trim();
        if url.is_empty() {
            return Ok(Mailer::off());
        }
        let from: Mailbox = settings.from.trim().parse().with_context(|| {
            format!(
                "[mail] from = {:?} is not an e-mail address (e.g. \"Cổng dữ liệu <noreply@tinh.gov.vn>\")",
                settings.from
            )
        })?;
        // lettre's error names the part of the URL it could not read, never the password.
        let transport = SmtpTransport::from_url(url)
            .context("[mail] smtp_url is not a relay URL (smtp://host:25, smtp://user:password@host:587?tls=required, smtps://host:465)")?
            .timeout(Some(RELAY_TIMEOUT))
            .build();
        Ok(Mailer {
            relay: Some(Arc::new(Relay { transport, from })),
        })
    }

    /// Whether a relay is configured.
    pub fn is_enabled(&self) -> bool {
        self.relay.is_some()
    }

    /// Sends one message, blocking until the relay has accepted or refused it. `Ok(Off)`
    /// without a relay; an error when the address is unusable or the relay fails.
    pub fn send(&self, mail: OutgoingMail) -> anyhow::Result<MailOutcome> {
        let Some(relay) = &self.relay else {
            return Ok(MailOutcome::Off);
        };
        let to: Mailbox = mail
            .to
            .trim()
            .parse()
            .with_context(|| format!("the recipient {:?} is not an e-mail address", mail.to))?;
        let message = Message::builder()
            .from(relay.from.clone())
            .to(to)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text)
            .context("building the message")?;
        relay
            .transport
            .send(&message)
            .with_context(|| format!("sending mail to {} through the relay", mail.to))?;
        Ok(MailOutcome::Sent)
    }

    /// [`Mailer::send`] for callers that must not fail because of mail: a failure is logged
    /// (with its cause) and reported as [`MailOutcome::Failed`].
    pub fn send_or_log(&self, mail: OutgoingMail) -> MailOutcome {
        match self.send(mail) {
            Ok(outcome) => outcome,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "an e-mail was not sent");
                MailOutcome::Failed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(smtp_url: &str, from: &str) -> MailSettings {
        MailSettings {
            smtp_url: smtp_url.to_owned(),
            from: from.to_owned(),
        }
    }

    #[test]
    fn an_empty_relay_means_no_mail() {
        let mailer = Mailer::from_settings(&settings("", "")).unwrap();
        assert!(!mailer.is_enabled());
        let outcome = mailer.send(OutgoingMail {
            to: "lan@tayninh.gov.vn".into(),
            subject: "x".into(),
            text: "y".into(),
        });
        assert_eq!(outcome.unwrap(), MailOutcome::Off);
    }

    #[test]
    fn a_bad_sender_or_relay_url_stops_the_start() {
        assert!(Mailer::from_settings(&settings("smtp://127.0.0.1:25", "không phải")).is_err());
        assert!(Mailer::from_settings(&settings("http://x", "a@b.vn")).is_err());
        let ok = Mailer::from_settings(&settings(
            "smtp://u:p@relay.tayninh.gov.vn:587?tls=required",
            "Cổng dữ liệu <noreply@tayninh.gov.vn>",
        ))
        .unwrap();
        assert!(ok.is_enabled());
        assert!(!format!("{ok:?}").contains("p@relay"));
    }

    #[test]
    fn a_relay_that_is_not_there_is_a_logged_failure() {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        let mailer = Mailer::from_settings(&settings("smtp://127.0.0.1:9", "a@b.vn")).unwrap();
        let mail = OutgoingMail {
            to: "lan@tayninh.gov.vn".into(),
            subject: "x".into(),
            text: "y".into(),
        };
        assert_eq!(mailer.send_or_log(mail), MailOutcome::Failed);
    }
}
