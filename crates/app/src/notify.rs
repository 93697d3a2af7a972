//! Delivering reminders outside the app: e-mail over SMTP, and group-robot webhooks in the
//! DingTalk (釘釘) and WeCom (企業微信) message formats.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::{Value, json};

/// The mail server and sender, from the configuration.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` or `smtps://user:pass@host`.
    pub smtp_url: String,
    /// `校安 <xiaoan@county.edu.cn>`.
    pub from: String,
}

/// The message format of a group robot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookKind {
    DingTalk,
    WeCom,
}

impl WebhookKind {
    pub const ALL: [WebhookKind; 2] = [WebhookKind::DingTalk, WebhookKind::WeCom];

    pub fn code(self) -> &'static str {
        match self {
            WebhookKind::DingTalk => "dingtalk",
            WebhookKind::WeCom => "wecom",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The JSON a robot of this kind accepts: a Markdown message.
    pub fn body(self, title: &str, text: &str) -> Value {
        match self {
            WebhookKind::DingTalk => json!({
                "msgtype": "markdown",
                "markdown": { "title": title, "text": format!("### {title}\n\n{text}") },
            }),
            WebhookKind::WeCom => json!({
                "msgtype": "markdown",
                "markdown": { "content": format!("### {title}\n{text}") },
            }),
        }
    }
}

/// Sends mail and webhook messages.
#[derive(Clone)]
pub struct Notifier {
    mailer: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    http: reqwest::Client,
    outbound: crate::outbound::OutboundPolicy,
}

impl Notifier {
    /// A notifier; without mail configuration, e-mail reminders are skipped (and logged).
    /// Webhooks go only where `outbound` allows.
    pub fn new(
        mail: Option<&MailConfig>,
        outbound: &crate::outbound::OutboundPolicy,
    ) -> Result<Self, String> {
        let mailer = match mail {
            Some(config) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
                    .map_err(|e| format!("SMTP URL {:?}: {e}", config.smtp_url))?
                    .build();
                let from: Mailbox = config
                    .from
                    .parse()
                    .map_err(|e| format!("mail sender {:?}: {e}", config.from))?;
                Some((transport, from))
            }
            None => None,
        };
        let http = outbound.client()?;
        Ok(Self {
            mailer,
            http,
            outbound: outbound.clone(),
        })
    }

    pub fn can_email(&self) -> bool {
        self.mailer.is_some()
    }

    pub async fn email(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let Some((transport, from)) = &self.mailer else {
            return Err("no SMTP server configured (--smtp-url)".into());
        };
        let to: Mailbox = to.parse().map_err(|e| format!("address {to:?}: {e}"))?;
        // Base64 keeps Chinese text intact through any mail server.
        let part = lettre::message::SinglePart::builder()
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .header(lettre::message::header::ContentTransferEncoding::Base64)
            .body(body.to_owned());
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .singlepart(part)
            .map_err(|e| e.to_string())?;
        transport.send(message).await.map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Posts to a group robot; a robot's own error (`errcode` not 0) is an error too.
    pub async fn webhook(
        &self,
        kind: WebhookKind,
        url: &str,
        title: &str,
        text: &str,
    ) -> Result<(), String> {
        let url = self
            .outbound
            .check_url(url)
            .map_err(|refusal| format!("webhook address refused ({refusal}): {url}"))?;
        let response = self
            .http
            .post(url)
            .json(&kind.body(title, text))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("webhook answered {status}"));
        }
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        match answer.get("errcode").and_then(Value::as_i64) {
            Some(0) | None => Ok(()),
            Some(code) => Err(format!(
                "webhook refused the message: {code} {}",
                answer
                    .get("errmsg")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_get_their_own_markdown_format() {
        let ding = WebhookKind::DingTalk.body("會議", "本月尚未召開");
        assert_eq!(ding["msgtype"], "markdown");
        assert_eq!(ding["markdown"]["title"], "會議");
        assert!(
            ding["markdown"]["text"]
                .as_str()
                .unwrap()
                .contains("本月尚未召開")
        );
        let wecom = WebhookKind::WeCom.body("會議", "本月尚未召開");
        assert!(
            wecom["markdown"]["content"]
                .as_str()
                .unwrap()
                .starts_with("### 會議")
        );
        assert_eq!(WebhookKind::parse("wecom"), Some(WebhookKind::WeCom));
    }
}
