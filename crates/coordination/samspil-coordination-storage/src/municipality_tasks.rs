//! A municipality's side of its tasks.

use crate::{NewTask, Task, TaskAssignee, TaskFilter};
use async_trait::async_trait;
use samspil_coordination::task::{TaskId, TaskStatus};
use samspil_domain::OrgAccess;
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// A municipality's side of its tasks: the tasks published to it with its
/// own status, setting that status, and its local tasks.
#[async_trait]
pub trait MunicipalityTaskStore: Send + Sync {
    /// The tasks published to one municipality, with its own status.
    async fn municipality_tasks(
        &self,
        access: &OrgAccess,
        filter: &TaskFilter,
    ) -> Result<Vec<MunicipalityTask>>;

    async fn municipality_task(
        &self,
        access: &OrgAccess,
        id: TaskId,
    ) -> Result<Option<MunicipalityTask>>;

    /// Sets one municipality's status on a task by the domain's rule.
    async fn set_task_status(
        &self,
        access: &OrgAccess,
        id: TaskId,
        status: TaskStatus,
        reason: Option<&str>,
    ) -> Result<MunicipalityTask>;

    /// A municipality's own task, published at once to it alone and never
    /// part of the national status or the community's lists.
    async fn create_local_task(
        &self,
        access: &OrgAccess,
        task: &NewTask,
    ) -> Result<MunicipalityTask>;
}

/// A task as one municipality sees it: with its own status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityTask {
    pub task: Task,
    pub status: TaskStatus,
    pub status_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub status_changed_at: Option<OffsetDateTime>,
    /// The role or person the municipality gave the task to.
    pub assignee: Option<TaskAssignee>,
    pub assignee_name: Option<String>,
}
