//! The mail outbox: the e-mails every context queues (in the transaction
//! of the change they tell of), claimed and sent by the job runner.

use crate::Result;
use async_trait::async_trait;
use samspil_domain::{OrgAccess, OrgId, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// The mail outbox's deliveries, as the job runner sends them.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` due deliveries for `lease`: queued ones whose
    /// time has come and ones whose earlier claim expired.
    async fn claim_deliveries(
        &self,
        now: time::OffsetDateTime,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<PendingDelivery>>;

    /// The server accepted the delivery: it is never sent again.
    async fn mark_delivery_sent(&self, id: i64, at: time::OffsetDateTime) -> Result<()>;

    /// A transient failure: try again at `next_attempt_at`, or give up
    /// (`None`).
    async fn mark_delivery_retry(
        &self,
        id: i64,
        next_attempt_at: Option<time::OffsetDateTime>,
        error: &str,
    ) -> Result<()>;

    /// A permanent failure: the delivery fails and its address is marked
    /// bouncing.
    async fn mark_delivery_bounced(
        &self,
        id: i64,
        at: time::OffsetDateTime,
        error: &str,
    ) -> Result<()>;

    /// A municipality's e-mails, newest first.
    async fn delivery_log(&self, access: &OrgAccess, limit: u32) -> Result<Vec<DeliveryRecord>>;

    /// The whole outbox in numbers.
    async fn outbox_totals(&self) -> Result<OutboxTotals>;
}

/// A delivery the job runner has claimed and now sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    pub id: i64,
    pub user_id: UserId,
    pub email: String,
    pub subject: String,
    pub body: String,
    /// An iCalendar invitation (RFC 5545) to send beside the body as
    /// `text/calendar`, for a meeting's invitation.
    pub calendar: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: u32,
    pub created_at: OffsetDateTime,
}

/// The state of one e-mail in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Queued,
    Sending,
    Sent,
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            DeliveryState::Queued,
            DeliveryState::Sending,
            DeliveryState::Sent,
            DeliveryState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One line of a municipality's delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryRecord {
    pub id: i64,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub recipient: String,
    pub email: String,
    pub subject: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub sent_at: Option<OffsetDateTime>,
    pub message_id: Option<i64>,
}

/// The outbox in numbers, for the job runner's logs and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxTotals {
    pub queued: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
}
