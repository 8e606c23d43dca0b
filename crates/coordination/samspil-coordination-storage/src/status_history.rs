//! Each municipality's status history on a task.

use async_trait::async_trait;
use samspil_coordination::task::{TaskId, TaskStatus};
use samspil_domain::{CommunityAccess, OrgAccess, OrgId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// The status changes of a task, written by every status change in its
/// transaction (`MunicipalityTaskStore::set_task_status`, the community's
/// import), read by the municipality for itself and by staff for all.
#[async_trait]
pub trait StatusHistoryStore: Send + Sync {
    /// One municipality's changes on a task, oldest first.
    async fn status_history(&self, access: &OrgAccess, id: TaskId) -> Result<Vec<StatusChange>>;

    /// Every municipality's changes on a task, by municipality, oldest
    /// first within each.
    async fn all_status_history(
        &self,
        access: &CommunityAccess,
        id: TaskId,
    ) -> Result<Vec<StatusChange>>;
}

/// One status change: who (by name, with their organisation), when, from →
/// to, and the reason given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub org_id: OrgId,
    pub org_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The person's name, or the recorded label when the person is unknown.
    pub by: String,
    /// The organisation of the person who made the change, when known.
    pub by_org: Option<String>,
    /// None for a change made before the history was kept.
    pub from: Option<TaskStatus>,
    pub to: TaskStatus,
    pub reason: Option<String>,
}
