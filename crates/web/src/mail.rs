//! Sending messages by SMTP when a mail server is configured. The job queue gives retries
//! with backoff, so a mail server that is down delays messages but loses none.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::Config;
use crate::jobs::Message;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `None` without `smtp_url`; an error for a URL or sender that cannot be used, so that
    /// a misconfiguration stops the start instead of silently dropping mail.
    pub fn from_config(config: &Config) -> Result<Option<Mailer>, String> {
        let Some(url) = config.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("HOITHI_SMTP_URL is not usable: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| format!("HOITHI_MAIL_FROM is not a mail address: {e}"))?;
        Ok(Some(Mailer { transport, from }))
    }

    pub async fn send(&self, msg: &Message) -> Result<(), String> {
        let to: Mailbox = msg
            .to
            .parse()
            .map_err(|e| format!("bad recipient {}: {e}", msg.to))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(msg.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(msg.body.clone())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| format!("smtp: {e}"))
    }
}
