//! The community's projects and tasks.

use async_trait::async_trait;
use samspil_coordination::task::{
    ProjectId, Schedule, StatusCounts, TaskId, TaskState, TaskStatus, TaskType,
};
use samspil_coordination::task_audience::TaskAudience;
use samspil_coordination::task_list::{SortDirection, TaskSort};
use samspil_domain::{CommunityAccess, MunicipalityCode, OrgId, UserId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// The community's projects and tasks: drafts, publishing, changes with
/// their history, closing, and every municipality's status on a task.
#[async_trait]
pub trait TaskStore: Send + Sync {
    async fn projects(&self) -> Result<Vec<Project>>;

    /// Creates a project with its participating municipalities (all 98
    /// unless chosen).
    async fn create_project(
        &self,
        access: &CommunityAccess,
        project: &NewProject,
    ) -> Result<Project>;

    /// Creates a task as a draft for all the project's municipalities.
    async fn create_task(&self, access: &CommunityAccess, task: &NewTask) -> Result<Task> {
        self.create_task_for(access, task, &TaskAudience::AllParticipants)
            .await
    }

    /// Creates a task as a draft for the municipalities chosen among the
    /// project's participants (`samspil_coordination::task_audience`).
    async fn create_task_for(
        &self,
        access: &CommunityAccess,
        task: &NewTask,
        audience: &TaskAudience,
    ) -> Result<Task>;

    /// The municipalities chosen for a task; none when it goes to all the
    /// project's participants.
    async fn task_municipalities(&self, id: TaskId) -> Result<TaskAudience>;

    /// Publishes a draft to the project's municipalities, or to those
    /// chosen among them.
    async fn publish_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task>;

    /// Changes a task's type or schedule; for a published task the change
    /// is kept as history and raised as an event.
    async fn change_task(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        change: &TaskChange,
    ) -> Result<Task>;

    /// Edits a task's texts and roles: everything on a draft; on a
    /// published task (with a reason) its texts and roles, kept as history
    /// and raised as an event (`samspil_coordination::task::check_task_edit`).
    async fn edit_task(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        edit: &TaskEdit,
    ) -> Result<Task>;

    /// A task, whatever its state; callers decide who may see drafts.
    async fn task(&self, id: TaskId) -> Result<Option<Task>>;

    /// Tasks with their national counts, in the filter's order (by
    /// default critical first and by deadline).
    async fn tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>>;

    async fn task_history(&self, id: TaskId) -> Result<Vec<TaskChangeRecord>>;

    /// Every municipality's status on a task: the lists behind the numbers.
    async fn task_statuses(
        &self,
        access: &CommunityAccess,
        id: TaskId,
    ) -> Result<Vec<MunicipalityStatus>>;

    /// Sets many municipalities' statuses on a published task at once, as
    /// when statuses are brought over from the old coordination tool (and
    /// for the demo). One transaction, one audit entry; the step rule of
    /// [`set_task_status`](crate::MunicipalityTaskStore::set_task_status) does not apply because
    /// these are reports of where municipalities already stand.
    async fn import_task_statuses(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        statuses: &[(OrgId, TaskStatus)],
    ) -> Result<Task>;

    /// Closes a published task: its statuses and answers stay as they are.
    async fn close_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub description: String,
    pub participant_count: i64,
}

#[derive(Debug, Clone)]
pub struct NewProject {
    pub name: String,
    pub description: String,
    /// The municipalities taking part; `None` means all 98.
    pub participants: Option<Vec<OrgId>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub id: TaskId,
    pub project_id: ProjectId,
    pub project_name: String,
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    pub task_type: TaskType,
    pub schedule: Schedule,
    pub executor_role: Option<String>,
    pub involved_roles: Option<String>,
    /// The business area within the project (DOS: Socialret, Bibliotek …).
    pub business_area: Option<String>,
    /// The municipality whose local task this is; `None` for the
    /// community's tasks.
    pub owner: Option<OrgId>,
    pub guidance: samspil_coordination::task::Guidance,
    pub state: TaskState,
    /// How many municipalities were chosen for the task; 0 when it goes to
    /// all the project's participants.
    pub chosen_municipalities: u32,
    /// Kept up to date with every status change, so that the national
    /// overview reads one row per task.
    pub counts: StatusCounts,
}

#[derive(Debug, Clone)]
pub struct NewTask {
    pub project_id: ProjectId,
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    pub task_type: TaskType,
    pub schedule: Schedule,
    pub executor_role: Option<String>,
    pub involved_roles: Option<String>,
    pub business_area: Option<String>,
    pub guidance: samspil_coordination::task::Guidance,
}

/// A change of a task's deadline or type, with why. What it leaves out
/// (`None`) stays as it is.
#[derive(Debug, Clone)]
pub struct TaskChange {
    pub task_type: Option<TaskType>,
    pub schedule: samspil_coordination::task::SchedulePatch,
    pub reason: String,
}

/// A task's texts and roles as the edit form sends them all: what is the
/// same as before stays unrecorded.
#[derive(Debug, Clone, Default)]
pub struct TaskEdit {
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    pub business_area: Option<String>,
    pub executor_role: Option<String>,
    /// The involved roles' names, as chosen in the catalogue's list.
    pub involved_roles: Vec<String>,
    pub guidance: samspil_coordination::task::Guidance,
    /// The municipalities it goes to (a draft's only); `None` keeps them.
    pub municipalities: Option<TaskAudience>,
    /// Why (required once the task is published).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskChangeRecord {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The login (or `operator`) of who made the change.
    pub actor_label: String,
    /// Who made it as people read it: name and organisation.
    pub actor_name: String,
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub project_id: Option<ProjectId>,
    pub task_type: Option<TaskType>,
    /// Words that must all occur in the code, title or description.
    pub words: Option<String>,
    /// Tasks whose period overlaps [from, to].
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    pub include_drafts: bool,
    /// Only a municipality's tasks given to this person or to a role they
    /// hold today (municipality lists only).
    pub assigned_to: Option<UserId>,
    /// Only tasks in this state (the community's list; a municipality's
    /// list has no drafts).
    pub state: Option<TaskState>,
    /// Only tasks with this status of the municipality's own (municipality
    /// lists only).
    pub status: Option<TaskStatus>,
    /// The column the list is sorted by and which way; every order ends
    /// with the task's id, so that pages never share or skip a task.
    pub sort: TaskSort,
    pub direction: SortDirection,
    pub limit: u32,
    pub offset: u32,
}

/// One municipality's status on a task, for the lists behind the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityStatus {
    pub org_id: OrgId,
    pub name: String,
    pub code: Option<MunicipalityCode>,
    pub region: Option<String>,
    pub status: TaskStatus,
}
