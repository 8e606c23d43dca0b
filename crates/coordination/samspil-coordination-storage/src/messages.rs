//! Community messages, people's inboxes and their notification preferences.

use async_trait::async_trait;
use samspil_coordination::notification::{
    Audience, Frequency, MessageCategory, MessageSpec, NotificationKind,
};
use samspil_domain::{CommunityAccess, UserId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// Community messages, each person's inbox and their notification
/// preferences.
#[async_trait]
pub trait MessageStore: Send + Sync {
    /// How many people a message to `audience` would reach now.
    async fn message_recipient_count(
        &self,
        access: &CommunityAccess,
        audience: &Audience,
    ) -> Result<RecipientCount>;

    /// Stores a community message, puts it in every recipient's inbox and
    /// queues its e-mails, all in one transaction.
    async fn send_message(
        &self,
        access: &CommunityAccess,
        message: &MessageSpec,
        audience_label: &str,
    ) -> Result<MessageSummary>;

    /// The community's messages, newest first, with delivery totals.
    async fn messages(&self, access: &CommunityAccess, limit: u32) -> Result<Vec<MessageSummary>>;

    /// The operational messages sent at or after `from` and before `to`,
    /// oldest first: what a meeting's Servicemeddelelser item lists.
    async fn operational_messages_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<MessageHeadline>>;

    /// A person's own inbox, newest first.
    async fn inbox(&self, user: UserId, limit: u32) -> Result<Vec<InboxItem>>;

    /// Marks entries of a person's own inbox read (all when `ids` is empty).
    async fn mark_read(&self, user: UserId, ids: &[i64]) -> Result<u64>;

    /// A person's choice for every kind (the default where none is made).
    async fn notification_preferences(&self, user: UserId) -> Result<Vec<NotificationPreference>>;

    async fn set_notification_preference(
        &self,
        user: UserId,
        kind: NotificationKind,
        frequency: Frequency,
    ) -> Result<()>;
}

/// How many people a message would reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecipientCount {
    /// People whose inbox gets it.
    pub people: u64,
    /// Of them, those who also get it by e-mail now.
    pub by_email: u64,
}

/// A message's subject and when it went out, as a list of them shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageHeadline {
    pub id: i64,
    pub subject: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
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
