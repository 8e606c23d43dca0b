//! What a person's front page and the inbox's pages read: the unread
//! count, one page of the inbox (of one kind), and the community's latest
//! status changes.

use async_trait::async_trait;
use samspil_coordination::notification::NotificationKind;
use samspil_coordination::task::{ProjectId, TaskId, TaskStatus};
use samspil_domain::{CommunityAccess, OrgId, UserId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

use crate::InboxItem;

/// The reads behind the front page and the inbox's pages.
#[async_trait]
pub trait OverviewStore: Send + Sync {
    /// How many of the person's notifications are unread.
    async fn unread_count(&self, user: UserId) -> Result<u64>;

    /// One page of the person's inbox, newest first: of one kind, or of
    /// every kind; only the unread ones when asked.
    async fn inbox_page(&self, user: UserId, query: &InboxQuery) -> Result<Vec<InboxItem>>;

    /// The latest status changes of every municipality on the community's
    /// tasks, newest first.
    async fn recent_status_changes(
        &self,
        access: &CommunityAccess,
        limit: u32,
    ) -> Result<Vec<RecentStatusChange>>;

    /// The municipalities taking part in a project, by name.
    async fn project_participants(&self, project: ProjectId) -> Result<Vec<Participant>>;
}

/// A municipality taking part in a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub org_id: OrgId,
    pub name: String,
    pub region: Option<String>,
}

/// Which part of an inbox to read.
#[derive(Debug, Clone, Default)]
pub struct InboxQuery {
    pub kind: Option<NotificationKind>,
    pub unread_only: bool,
    pub limit: u32,
    pub offset: u32,
}

/// A status change with its task, for the community's front page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecentStatusChange {
    pub task_id: TaskId,
    pub task_title: String,
    pub org_id: OrgId,
    pub org_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by: String,
    pub from: Option<TaskStatus>,
    pub to: TaskStatus,
}
