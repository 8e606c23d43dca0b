//! The job runner's side of coordination's notifications: the events
//! changes raise, their fan-out to the people concerned, reminders and
//! digests. What they queue is sent by the platform's mail outbox
//! ([`OutboxStore`](samspil_storage::OutboxStore)).

use async_trait::async_trait;
use samspil_coordination::task::TaskId;
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// The raised events, their fan-out, reminders and digests.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Events raised after the event `after_id`, oldest first: what the
    /// notification worker delivers.
    async fn events_after(&self, after_id: i64, limit: u32) -> Result<Vec<EventRecord>>;

    /// Turns events raised by changes into notifications for the people
    /// concerned, each event once.
    async fn fan_out_events(&self, limit: u32) -> Result<QueueReport>;

    /// Queues the reminders due on `today` (once per day).
    async fn queue_reminders(&self, today: time::Date) -> Result<QueueReport>;

    /// Queues the daily and weekly digests due at `now`.
    async fn queue_digests(&self, now: time::OffsetDateTime) -> Result<QueueReport>;
}

/// An event in the outbox, for the notification worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub id: i64,
    pub kind: String,
    pub task_id: Option<TaskId>,
    pub payload: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
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
