//! Outgoing mail: verification, password reset, invitations, membership decisions.
//!
//! Mail goes out through SMTP when `CORRIDOR_SMTP_URL` is set. Without it, every message is
//! written to an outbox folder as an `.eml` file (named by time and recipient), so a demo or a
//! fresh install works without a mail server and the operator can still open each link.
//! Sending never blocks a request: messages are handed to a task, and a failure is logged.

use lettre::message::{header::ContentType, Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
enum Transport {
    Smtp(Arc<AsyncSmtpTransport<Tokio1Executor>>),
    Outbox(PathBuf),
}

/// Where mail goes, and who it comes from.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // Never prints the SMTP URL: it may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.transport {
            Transport::Smtp(_) => write!(f, "Mailer(SMTP, from {})", self.from),
            Transport::Outbox(dir) => {
                write!(f, "Mailer(outbox {}, from {})", dir.display(), self.from)
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid sender address {0:?}: {1}")]
    From(String, String),
    #[error("invalid SMTP URL (expected smtp://[user:password@]host[:port][?tls=required] or smtps://…): {0}")]
    Url(String),
    #[error("invalid recipient address")]
    To,
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not send: {0}")]
    Send(String),
}

/// One message, plain text (links work in every mail client, and nothing is tracked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    /// Sends through the SMTP server at `url` (lettre's URL form: `smtp://host:25`,
    /// `smtp://user:pass@host:587?tls=required`, `smtps://user:pass@host`).
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self {
            transport: Transport::Smtp(Arc::new(transport)),
            from: parse_from(from)?,
        })
    }

    /// Writes every message to `dir` as an `.eml` file instead of sending it.
    pub fn outbox(dir: impl Into<PathBuf>, from: &str) -> Result<Self, MailError> {
        Ok(Self {
            transport: Transport::Outbox(dir.into()),
            from: parse_from(from)?,
        })
    }

    /// The outbox folder, when mail is not sent.
    pub fn outbox_dir(&self) -> Option<&std::path::Path> {
        match &self.transport {
            Transport::Outbox(dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        use lettre::message::{header::ContentTransferEncoding, Body};
        let to: Mailbox = mail.to.parse().map_err(|_| MailError::To)?;
        // 8bit keeps links whole and readable in the raw message (lettre would pick base64 or
        // quoted-printable for a line longer than 76 characters, as a link with a token is);
        // SMTP only needs lines under 998 bytes, which these short texts always are.
        let crlf = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
        let body = if crlf.split("\r\n").all(|line| line.len() < 900) && !crlf.contains('\0') {
            Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit)
        } else {
            Body::new(mail.body.clone())
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// Sends now and reports the outcome (used by tests and by [`Mailer::send_later`]).
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let outcome = self.deliver(mail).await;
        let outcome_label = if outcome.is_ok() { "sent" } else { "failed" };
        metrics::counter!("corridor_mails_total", "outcome" => outcome_label).increment(1);
        outcome
    }

    async fn deliver(&self, mail: &Mail) -> Result<(), MailError> {
        let message = self.message(mail)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
            Transport::Outbox(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| MailError::Send(e.to_string()))?;
                let name = format!(
                    "{}-{}-{:08x}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
                    mail.to
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() || c == '.' {
                            c
                        } else {
                            '_'
                        })
                        .collect::<String>(),
                    rand::random::<u32>()
                );
                tokio::fs::write(dir.join(name), message.formatted())
                    .await
                    .map_err(|e| MailError::Send(e.to_string()))
            }
        }
    }

    /// Sends in the background: a slow or broken mail server never holds up a request. The
    /// outcome is logged (the recipient's address is not).
    pub fn send_later(&self, mail: Mail) {
        let mailer = self.clone();
        let subject = mail.subject.clone();
        tokio::spawn(async move {
            match mailer.send(&mail).await {
                Ok(()) => tracing::info!(%subject, "mail sent"),
                Err(error) => tracing::error!(%subject, %error, "mail not sent"),
            }
        });
    }
}

fn parse_from(from: &str) -> Result<Mailbox, MailError> {
    from.parse()
        .map_err(|e: lettre::address::AddressError| MailError::From(from.to_owned(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_outbox_keeps_each_message_as_a_file() {
        let dir =
            std::env::temp_dir().join(format!("corridor-outbox-test-{}", rand::random::<u32>()));
        let mailer = Mailer::outbox(&dir, "Corridor <no-reply@corridor.test>").unwrap();
        mailer
            .send(&Mail {
                to: "asha@hospital.in".into(),
                subject: "Verify your address".into(),
                body: "Open https://corridor.test/verify-email?token=abc".into(),
            })
            .await
            .unwrap();
        let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].path()).unwrap();
        assert!(text.contains("To: asha@hospital.in"));
        assert!(text.contains("Subject: Verify your address"));
        assert!(text.contains("verify-email?token=abc"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(Mailer::outbox("/tmp", "not an address").is_err());
        assert!(Mailer::smtp("ftp://mail.example", "a@b.in").is_err());
        let mailer = Mailer::outbox("/tmp", "a@b.in").unwrap();
        assert!(mailer
            .message(&Mail {
                to: "nobody".into(),
                subject: "x".into(),
                body: "y".into()
            })
            .is_err());
    }
}

/// The messages Corridor sends, in plain words. `link` is a full URL under the public address.
pub mod messages {
    use super::Mail;

    pub fn verify(to: &str, name: &str, link: &str) -> Mail {
        Mail {
            to: to.to_owned(),
            subject: "Confirm your e-mail address for Corridor".into(),
            body: format!(
                "Dear {name},\n\nPlease confirm that this is your address by opening this link \
                 (valid for 3 days):\n\n{link}\n\nIf you did not create a Corridor account, you \
                 can ignore this message.\n\n— Corridor\n"
            ),
        }
    }

    pub fn reset(to: &str, name: &str, link: &str) -> Mail {
        Mail {
            to: to.to_owned(),
            subject: "Reset your Corridor password".into(),
            body: format!(
                "Dear {name},\n\nSomeone (we hope you) asked to reset the password of your \
                 Corridor account. Open this link within an hour to choose a new one:\n\n{link}\n\n\
                 Setting a new password signs you out everywhere else. If you did not ask for \
                 this, ignore this message: your password stays as it is.\n\n— Corridor\n"
            ),
        }
    }

    pub fn invitation(to: &str, inviter: &str, department: &str, link: &str) -> Mail {
        Mail {
            to: to.to_owned(),
            subject: format!("{inviter} invites you to {department} on Corridor"),
            body: format!(
                "Hello,\n\n{inviter} invites you to join {department} on Corridor, where \
                 clinicians share case sketches and earn CME credit.\n\nOpen this link within 14 \
                 days to join:\n\n{link}\n\n— Corridor\n"
            ),
        }
    }

    pub fn decision(to: &str, name: &str, department: &str, approved: bool, reason: &str) -> Mail {
        let (subject, text) = if approved {
            (
                format!("You are now a member of {department}"),
                format!(
                    "Your request to join {department} was approved. You can now read the \
                     department's cases and be assigned its modules."
                ),
            )
        } else {
            (
                format!("Your request to join {department}"),
                format!(
                    "Your request to join {department} was declined.{}",
                    if reason.is_empty() {
                        String::new()
                    } else {
                        format!(" The department admin wrote: \"{reason}\"")
                    }
                ),
            )
        };
        Mail {
            to: to.to_owned(),
            subject,
            body: format!("Dear {name},\n\n{text}\n\n— Corridor\n"),
        }
    }
}

/// Consult mails say only that something happened and where to look: the clinical text stays
/// in Corridor, behind sign-in.
pub mod consult_messages {
    use super::Mail;

    pub fn step(to: &str, name: &str, headline: &str, id: i64, link: &str) -> Mail {
        Mail {
            to: to.to_owned(),
            subject: format!("Consult #{id}: {headline}"),
            body: format!(
                "Dear {name},\n\n{headline} (consult #{id}).\n\nOpen it in Corridor:\n\n{link}\n\n\
                 Corridor is not for emergencies.\n\n— Corridor\n"
            ),
        }
    }
}
