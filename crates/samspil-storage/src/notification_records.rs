//! What the storage layer hands back and takes in for messages,
//! notifications and the mail outbox.

use samspil_domain::notification::{Frequency, MessageCategory, NotificationKind};
use samspil_domain::{OrgId, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// How many people a message would reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecipientCount {
    /// People whose inbox gets it.
    pub people: u64,
    /// Of them, those who also get it by e-mail now.
    pub by_email: u64,
}

/// A community message with its delivery totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageSummary {
    pub id: i64,
    pub category: MessageCategory,
    pub subject: String,
    pub body: String,
    /// The audience in words, as chosen (e.g. "Roller: Dataansvarlig").
    pub audience: String,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub recipients: u64,
    pub emails_queued: u64,
    pub emails_sent: u64,
    pub emails_failed: u64,
    /// Read in the inbox.
    pub read: u64,
}

/// One entry of a person's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboxItem {
    pub id: i64,
    pub kind: NotificationKind,
    pub subject: String,
    pub body: String,
    /// A page in samspil the entry is about.
    pub link: Option<String>,
    pub message_id: Option<i64>,
    pub task_id: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub read: bool,
    /// How its e-mail goes: immediately, in a daily or weekly digest, or off.
    pub email: Frequency,
}

/// A person's choice for one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NotificationPreference {
    pub kind: NotificationKind,
    pub frequency: Frequency,
}

/// A delivery the job runner has claimed and now sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    pub id: i64,
    pub user_id: UserId,
    pub email: String,
    pub subject: String,
    pub body: String,
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

/// What one run of the fan-out, reminder or digest step queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueReport {
    /// Events or reminders handled.
    pub handled: u64,
    /// Notifications put in inboxes.
    pub notifications: u64,
    /// E-mails queued.
    pub deliveries: u64,
}

/// The outbox in numbers, for the job runner's logs and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxTotals {
    pub queued: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
}
