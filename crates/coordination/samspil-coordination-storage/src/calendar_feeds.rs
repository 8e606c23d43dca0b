//! A person's calendar feed of task deadlines, under a secret address.

use async_trait::async_trait;
use samspil_coordination::task::{TaskId, TaskStatus};
use samspil_domain::OrgAccess;
use samspil_storage::Result;
use time::{Date, OffsetDateTime};

/// The calendar feed: at most one per person, kept as the digest of its
/// secret only. Made, shown and revoked by the person (their own access);
/// read by whoever holds the secret, without a session, which is what a
/// calendar program can do.
#[async_trait]
pub trait CalendarFeedStore: Send + Sync {
    /// The person's feed, if they have one.
    async fn calendar_feed(&self, access: &OrgAccess) -> Result<Option<CalendarFeed>>;

    /// A new feed for the person under this digest; an earlier one stops
    /// working at once.
    async fn create_calendar_feed(
        &self,
        access: &OrgAccess,
        secret_digest: &str,
    ) -> Result<CalendarFeed>;

    /// Ends the person's feed; false when they had none.
    async fn revoke_calendar_feed(&self, access: &OrgAccess) -> Result<bool>;

    /// The deadlines of the feed with this digest: none for an unknown or
    /// revoked secret, or a person no longer active.
    async fn calendar_deadlines(&self, secret_digest: &str) -> Result<Option<CalendarDeadlines>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    pub created_at: OffsetDateTime,
    pub last_read_at: Option<OffsetDateTime>,
}

/// Whose feed it is and the deadlines in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDeadlines {
    pub person: String,
    pub organisation: String,
    pub deadlines: Vec<Deadline>,
}

/// An open task with a deadline: for a municipality's person, every task of
/// the municipality not yet completed; for staff, every published task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub task_id: TaskId,
    pub code: Option<String>,
    pub title: String,
    pub project: String,
    pub end: Date,
    /// The municipality's status (none for staff).
    pub status: Option<TaskStatus>,
    /// Given to the person or one of their roles.
    pub given_to_me: bool,
}
