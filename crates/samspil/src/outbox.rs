//! The job runner for messages and notifications: turns events into
//! notifications, queues reminders and digests, and delivers the outbox's
//! e-mails over SMTP.
//!
//! It runs inside `samspil serve` / `samspil demo`. Without an SMTP server
//! configured it still fills the inboxes; the e-mails stay queued until a
//! server is configured. How "never twice" is kept is explained at the top
//! of `samspil-sql/src/shared/outbox.rs`: the lease taken
//! when a delivery is claimed is longer than the SMTP timeout, every
//! delivery carries a Message-ID made from its id, and it is marked sent
//! right after the server accepts it.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use samspil_coordination::notification::{
    FailureKind, MAX_ATTEMPTS, classify_failure, retry_delay,
};
use samspil_coordination_storage::{NotificationStore, QueueReport};
use samspil_storage::{PendingDelivery, Storage, now};
use tokio::task::JoinSet;

/// How the job runner delivers mail.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://HOST:PORT` of the relay; `None` keeps e-mails queued.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `samspil <samspil@kombit.dk>`.
    pub from: String,
    /// How long a claimed delivery is reserved for its worker. Longer than
    /// the SMTP timeout, so that no other worker sends it meanwhile.
    pub lease: Duration,
    /// The first retry's delay; each further one doubles, up to an hour.
    pub retry_base: Duration,
    /// How often the runner looks for work.
    pub poll: Duration,
    /// Deliveries claimed at once.
    pub batch: u32,
    /// SMTP connections used at once.
    pub concurrency: usize,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            from: "samspil <samspil@localhost>".to_owned(),
            lease: Duration::from_secs(120),
            retry_base: Duration::from_secs(30),
            poll: Duration::from_secs(5),
            batch: 200,
            concurrency: 4,
        }
    }
}

impl MailConfig {
    /// The SMTP timeout: well inside the lease.
    pub fn smtp_timeout(&self) -> Duration {
        (self.lease / 2).min(Duration::from_secs(60))
    }
}

/// `smtp://HOST[:PORT]` (port 25 by default). Only plain SMTP to a relay is
/// supported: samspil hands mail to the local or internal relay, which
/// does TLS and authentication towards the world.
pub fn parse_smtp_url(url: &str) -> anyhow::Result<(String, u16)> {
    let parsed = url::Url::parse(url).with_context(|| format!("'{url}' is not an SMTP URL"))?;
    if parsed.scheme() != "smtp" {
        bail!("unsupported SMTP URL '{url}': use smtp://HOST:PORT");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        bail!("the SMTP URL must not carry credentials: samspil sends through a relay");
    }
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .with_context(|| format!("the SMTP URL '{url}' names no host"))?;
    Ok((host.to_owned(), parsed.port().unwrap_or(25)))
}

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub claimed: u64,
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
    /// Claimed but not tried in time; claimed again when the lease ends.
    pub skipped: u64,
}

/// The job runner.
#[derive(Clone)]
pub struct Outbox {
    /// The mail outbox (the platform's).
    storage: Arc<dyn Storage>,
    /// Coordination's events, reminders and digests, which fill it.
    coordination: Arc<dyn NotificationStore>,
    /// The tools' store: incident links past their deadline escalate.
    tools: Arc<dyn samspil_tools_storage::ToolsStorage>,
    /// The relay's host and port.
    relay: Option<(String, u16)>,
    from: Mailbox,
    domain: String,
    config: MailConfig,
}

impl Outbox {
    pub fn new(stores: &crate::Stores, config: MailConfig) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .from
            .parse()
            .with_context(|| format!("'{}' is not a sender address", config.from))?;
        let domain = from.email.domain().to_owned();
        if config.lease <= config.smtp_timeout() {
            bail!("the mail lease must be longer than the SMTP timeout");
        }
        let relay = config.smtp_url.as_deref().map(parse_smtp_url).transpose()?;
        Ok(Outbox {
            storage: stores.platform.clone(),
            coordination: stores.coordination.clone(),
            tools: stores.tools.clone(),
            relay,
            from,
            domain,
            config,
        })
    }

    /// Fans out every waiting event, then queues due reminders and digests.
    pub async fn prepare(&self) -> anyhow::Result<QueueReport> {
        let mut total = QueueReport::default();
        let mut add = |r: QueueReport| {
            total.handled += r.handled;
            total.notifications += r.notifications;
            total.deliveries += r.deliveries;
        };
        loop {
            let report = self.coordination.fan_out_events(500).await?;
            add(report);
            if report.handled < 500 {
                break;
            }
        }
        let at = now();
        add(self.coordination.queue_reminders(at.date()).await?);
        add(self.coordination.queue_digests(at).await?);
        // Incident links past their deadline escalate to the community
        // (their notifications go into the outbox in the same transaction).
        let escalated = self.tools.escalate_due(at).await?;
        if escalated > 0 {
            tracing::info!(escalated, "incident links escalated");
        }
        // Reporters due word of progress at their desk's interval.
        let updates = self.tools.send_reporter_updates(at).await?;
        if updates > 0 {
            tracing::info!(updates, "incident reporters updated");
        }
        Ok(total)
    }

    /// Claims one batch of due deliveries and sends them over
    /// `concurrency` SMTP connections. Without an SMTP server nothing is
    /// claimed.
    pub async fn deliver_once(&self) -> anyhow::Result<DeliveryReport> {
        if self.relay.is_none() {
            return Ok(DeliveryReport::default());
        }
        let claimed_at = std::time::Instant::now();
        let claimed = self
            .storage
            .claim_deliveries(now(), self.config.lease, self.config.batch)
            .await?;
        let mut report = DeliveryReport {
            claimed: claimed.len() as u64,
            ..DeliveryReport::default()
        };
        // One lane per connection, each sending its share in turn.
        let lanes = self.config.concurrency.clamp(1, claimed.len().max(1));
        let mut shares: Vec<Vec<PendingDelivery>> = (0..lanes).map(|_| Vec::new()).collect();
        for (n, delivery) in claimed.into_iter().enumerate() {
            shares[n % lanes].push(delivery);
        }
        let mut sending = JoinSet::new();
        for share in shares {
            let this = self.clone();
            sending.spawn(async move { this.deliver_lane(share, claimed_at).await });
        }
        while let Some(outcome) = sending.join_next().await {
            match outcome {
                Ok(Ok(lane)) => {
                    report.sent += lane.sent;
                    report.retried += lane.retried;
                    report.failed += lane.failed;
                    report.skipped += lane.skipped;
                }
                Ok(Err(error)) => {
                    tracing::warn!(error = %format!("{error:#}"), "could not record a delivery")
                }
                Err(error) => tracing::warn!(%error, "a delivery task ended abnormally"),
            }
        }
        Ok(report)
    }

    /// Sends a share of a batch over one connection, opened when needed
    /// and again after any failure (lettre drops a connection on error).
    async fn deliver_lane(
        &self,
        share: Vec<PendingDelivery>,
        claimed_at: std::time::Instant,
    ) -> anyhow::Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let mut connection: Option<AsyncSmtpConnection> = None;
        for delivery in share {
            // A send starts only while the lease has a whole SMTP timeout
            // left, and is cut off at that timeout: it always ends before
            // the lease does, so no other worker can have claimed the
            // delivery meanwhile. One that waited too long for its turn is
            // left to be claimed again when its lease ends.
            if claimed_at.elapsed() + self.config.smtp_timeout() >= self.config.lease {
                report.skipped += 1;
                continue;
            }
            match self.deliver(&mut connection, delivery).await? {
                Outcome::Sent => report.sent += 1,
                Outcome::Retry => report.retried += 1,
                Outcome::Failed => report.failed += 1,
            }
        }
        if let Some(mut connection) = connection {
            let _ = tokio::time::timeout(Duration::from_secs(2), connection.quit()).await;
        }
        Ok(report)
    }

    /// A connection to the relay with Nagle's algorithm off: lettre writes
    /// a message and its closing dot separately, and with Nagle on each
    /// message waits for the server's delayed ACK (40 ms on Linux).
    /// Failures to connect are never the address' fault: no reply code.
    async fn connect(&self) -> Result<AsyncSmtpConnection, (Option<u16>, String)> {
        let Some((host, port)) = &self.relay else {
            return Err((None, "no SMTP server configured".to_owned()));
        };
        let stream = tokio::net::TcpStream::connect((host.as_str(), *port))
            .await
            .map_err(|e| (None, format!("cannot connect to {host}:{port}: {e}")))?;
        let _ = stream.set_nodelay(true);
        AsyncSmtpConnection::connect_with_transport(Box::new(stream), &ClientId::default())
            .await
            .map_err(|e| (None, format!("{host}:{port} refused the connection: {e}")))
    }

    /// Delivers until nothing is due.
    pub async fn deliver_all_due(&self) -> anyhow::Result<DeliveryReport> {
        let mut total = DeliveryReport::default();
        loop {
            let report = self.deliver_once().await?;
            total.claimed += report.claimed;
            total.sent += report.sent;
            total.retried += report.retried;
            total.failed += report.failed;
            total.skipped += report.skipped;
            if report.claimed == 0 || report.skipped == report.claimed {
                return Ok(total);
            }
        }
    }

    async fn deliver(
        &self,
        connection: &mut Option<AsyncSmtpConnection>,
        delivery: PendingDelivery,
    ) -> anyhow::Result<Outcome> {
        let storage = &self.storage;
        let message = match self.message(&delivery) {
            Ok(message) => message,
            Err(problem) => {
                // An address no server can take: as good as a bounce.
                storage
                    .mark_delivery_bounced(delivery.id, now(), &problem)
                    .await?;
                return Ok(Outcome::Failed);
            }
        };
        // Cut off at the timeout mid-dialogue, the server has not answered
        // 250: a transient failure, tried again with the same Message-ID.
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        let attempt = async {
            let conn = match connection {
                Some(conn) if !conn.has_broken() => conn,
                _ => connection.insert(self.connect().await?),
            };
            conn.send(&envelope, &bytes).await.map_err(|error| {
                (
                    error
                        .status()
                        .and_then(|code| code.to_string().parse::<u16>().ok()),
                    error.to_string(),
                )
            })
        };
        let sent = match tokio::time::timeout(self.config.smtp_timeout(), attempt).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(failure)) => Err(failure),
            Err(_) => Err((None, "SMTP timeout".to_owned())),
        };
        if sent.is_err() {
            // After a failure the connection is not trusted again.
            *connection = None;
        }
        let (code, text) = match sent {
            Ok(()) => {
                storage.mark_delivery_sent(delivery.id, now()).await?;
                return Ok(Outcome::Sent);
            }
            Err(failure) => failure,
        };
        match classify_failure(code) {
            FailureKind::Permanent => {
                tracing::warn!(delivery = delivery.id, error = %text, "permanent mail failure; the address bounces");
                storage
                    .mark_delivery_bounced(delivery.id, now(), &text)
                    .await?;
                Ok(Outcome::Failed)
            }
            FailureKind::Transient => {
                let next = (delivery.attempts < MAX_ATTEMPTS).then(|| {
                    let delay = retry_delay(delivery.attempts, self.config.retry_base);
                    now() + time::Duration::seconds(delay.as_secs().max(1) as i64)
                });
                tracing::info!(delivery = delivery.id, attempts = delivery.attempts, error = %text, "mail delivery will be retried");
                storage
                    .mark_delivery_retry(delivery.id, next, &text)
                    .await?;
                Ok(if next.is_some() {
                    Outcome::Retry
                } else {
                    Outcome::Failed
                })
            }
        }
    }

    fn message(&self, delivery: &PendingDelivery) -> Result<Message, String> {
        build_message(&self.from, &self.domain, delivery)
    }

    /// Runs until the task is aborted: prepare, deliver, wait, again.
    pub async fn run(self) {
        if self.relay.is_none() {
            tracing::info!("no SMTP server configured: e-mails stay queued, inboxes are filled");
        }
        let mut ticks = tokio::time::interval(self.config.poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match self.prepare().await {
                Ok(report) if report.notifications + report.deliveries > 0 => tracing::info!(
                    notifications = report.notifications,
                    emails = report.deliveries,
                    "notifications queued"
                ),
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(error = %format!("{error:#}"), "could not queue notifications")
                }
            }
            match self.deliver_all_due().await {
                Ok(report) if report.claimed > 0 => tracing::info!(
                    sent = report.sent,
                    retried = report.retried,
                    failed = report.failed,
                    "e-mails delivered"
                ),
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(error = %format!("{error:#}"), "could not deliver e-mails")
                }
            }
        }
    }
}

enum Outcome {
    Sent,
    Retry,
    Failed,
}

/// The e-mail of a delivery, from `from`, its Message-ID in `domain`.
fn build_message(
    from: &Mailbox,
    domain: &str,
    delivery: &PendingDelivery,
) -> Result<Message, String> {
    let to: Mailbox = delivery
        .email
        .parse()
        .map_err(|e| format!("invalid address '{}': {e}", delivery.email))?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(delivery.subject.clone())
        // The same id on every attempt: a repeat after a crash is
        // recognisably the same message.
        .message_id(Some(format!(
            "<samspil-delivery-{}.{}@{}>",
            delivery.id,
            delivery.created_at.unix_timestamp(),
            domain
        )));
    match &delivery.calendar {
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(delivery.body.clone()),
        // A meeting's invitation: the text, and the iCalendar part that
        // mail programs show as an invitation to accept (RFC 6047).
        Some(calendar) => {
            let method = calendar_method(calendar);
            let kind =
                ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                    .map_err(|e| format!("cannot build the e-mail: {e}"))?;
            builder.multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(delivery.body.clone()))
                    .singlepart(SinglePart::builder().header(kind).body(calendar.clone())),
            )
        }
    }
    .map_err(|e| format!("cannot build the e-mail: {e}"))
}

/// The METHOD of an iCalendar text (REQUEST unless it says CANCEL), for
/// the part's content type, which must repeat it.
fn calendar_method(calendar: &str) -> &'static str {
    if calendar.lines().any(|l| l.trim_end() == "METHOD:CANCEL") {
        "CANCEL"
    } else {
        "REQUEST"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_name_a_relay() {
        assert_eq!(
            parse_smtp_url("smtp://127.0.0.1:2525").expect("valid"),
            ("127.0.0.1".to_owned(), 2525)
        );
        assert_eq!(
            parse_smtp_url("smtp://relay.kommune.dk").expect("valid").1,
            25
        );
        assert!(parse_smtp_url("smtps://relay:465").is_err());
        assert!(parse_smtp_url("smtp://user:pw@relay").is_err());
        assert!(parse_smtp_url("relay").is_err());
    }

    #[test]
    fn the_lease_outlasts_the_smtp_timeout() {
        let config = MailConfig::default();
        assert!(config.smtp_timeout() < config.lease);
        let short = MailConfig {
            lease: Duration::from_secs(2),
            ..MailConfig::default()
        };
        assert_eq!(short.smtp_timeout(), Duration::from_secs(1));
    }

    #[test]
    fn an_invitation_is_sent_with_its_calendar_part() {
        let from: Mailbox = "samspil <noreply@samspil.example.dk>"
            .parse()
            .expect("address");
        let mut delivery = PendingDelivery {
            id: 7,
            user_id: samspil_domain::UserId(1),
            email: "pl@kk.dk".into(),
            subject: "Invitation".into(),
            body: "Du inviteres.".into(),
            calendar: Some("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n".into()),
            attempts: 1,
            created_at: now(),
        };
        let text = String::from_utf8(
            build_message(&from, "samspil.example.dk", &delivery)
                .expect("builds")
                .formatted(),
        )
        .expect("utf-8");
        assert!(text.contains("multipart/alternative"), "{text}");
        assert!(
            text.contains("text/calendar; charset=utf-8; method=REQUEST"),
            "{text}"
        );
        delivery.calendar = Some("METHOD:CANCEL\r\n".into());
        let text = String::from_utf8(
            build_message(&from, "samspil.example.dk", &delivery)
                .expect("builds")
                .formatted(),
        )
        .expect("utf-8");
        assert!(text.contains("method=CANCEL"), "{text}");
        delivery.calendar = None;
        let text = String::from_utf8(
            build_message(&from, "samspil.example.dk", &delivery)
                .expect("builds")
                .formatted(),
        )
        .expect("utf-8");
        assert!(!text.contains("text/calendar"));
    }
}
