//! What the storage layer hands back and takes in.

use samspil_domain::{CommunityAccess, MunicipalityCode, OrgAccess, OrgId, UserId, UserType};
use serde::Serialize;
use time::OffsetDateTime;

// ---- Projects, tasks and statuses -------------------------------------

use samspil_domain::task::{
    ProjectId, Schedule, StatusCounts, TaskId, TaskState, TaskStatus, TaskType,
};

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
    pub guidance: samspil_domain::task::Guidance,
    pub state: TaskState,
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
    pub guidance: samspil_domain::task::Guidance,
}

/// A change of a task's deadline or type, with why. What it leaves out
/// (`None`) stays as it is.
#[derive(Debug, Clone)]
pub struct TaskChange {
    pub task_type: Option<TaskType>,
    pub schedule: samspil_domain::task::SchedulePatch,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskChangeRecord {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_label: String,
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
    pub limit: u32,
    pub offset: u32,
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

/// One municipality's status on a task, for the lists behind the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityStatus {
    pub org_id: OrgId,
    pub name: String,
    pub code: Option<MunicipalityCode>,
    pub region: Option<String>,
    pub status: TaskStatus,
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

/// How far a project has come: municipalities with any published task left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectProgress {
    pub project_id: ProjectId,
    pub name: String,
    pub participants: i64,
    pub published_tasks: i64,
    /// Municipalities with at least one published task not completed.
    pub municipalities_not_done: i64,
}

/// Where a business area of a project stands ("Bibliotek: 29 municipalities
/// still have tasks left").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaProgress {
    pub project_id: ProjectId,
    pub project_name: String,
    pub area: String,
    pub published_tasks: i64,
    pub municipalities_not_done: i64,
}

/// A municipality's open, overdue and critical tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityProgress {
    pub org_id: OrgId,
    pub name: String,
    pub code: Option<MunicipalityCode>,
    pub region: Option<String>,
    /// Published tasks not completed.
    pub open: i64,
    /// Open tasks past their end date.
    pub overdue: i64,
    /// Open tasks on the critical path.
    pub critical_open: i64,
}

/// A question of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: samspil_domain::question::QuestionId,
    pub task_id: TaskId,
    pub spec: samspil_domain::question::QuestionSpec,
}

/// One municipality's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerRecord {
    pub question_id: samspil_domain::question::QuestionId,
    pub org_id: OrgId,
    pub values: Vec<String>,
}

/// A municipality's comment on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub task_id: TaskId,
    pub org_id: OrgId,
    pub org_name: String,
    pub author: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

// ---- The role gallery ---------------------------------------------------

use samspil_domain::role::{AssignmentId, AssignmentPeriod, GapKind, RoleId};

/// A role of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    pub description: String,
    /// The IT solution (project) the role belongs to; `None`: cross-cutting.
    pub solution_id: Option<ProjectId>,
    pub solution_name: Option<String>,
    pub mandatory: bool,
    pub max_holders: Option<u32>,
    pub requires_primary: bool,
}

/// Who holds (held, will hold) a role in a municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleAssignment {
    pub id: AssignmentId,
    pub org_id: OrgId,
    pub role_id: RoleId,
    pub role_name: String,
    pub user_id: UserId,
    pub user_login: String,
    pub user_name: String,
    pub user_email: Option<String>,
    pub user_type: UserType,
    pub user_active: bool,
    pub period: AssignmentPeriod,
    pub primary: bool,
    /// A note or case number.
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub role_id: RoleId,
    pub user_id: UserId,
    pub period: AssignmentPeriod,
    pub primary: bool,
    pub note: String,
}

/// A user's access to an IT solution ("Brugerhåndtering").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SolutionAccess {
    pub user_id: UserId,
    pub user_name: String,
    pub solution_id: ProjectId,
    pub solution_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
    pub granted_by: String,
}

/// Something wrong with a role in a municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleGap {
    pub org_id: OrgId,
    pub org_name: String,
    pub org_code: Option<MunicipalityCode>,
    pub role_id: RoleId,
    pub role_name: String,
    pub kind: GapKind,
    /// The holders concerned, for a disabled or bouncing holder.
    pub holders: Vec<String>,
}

/// A current holder of a role, as a line of a contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleHolder {
    pub org_id: OrgId,
    pub org_name: String,
    pub org_code: Option<MunicipalityCode>,
    pub role_name: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub primary: bool,
}

/// A contact list the community keeps by hand (DPO function mailboxes,
/// billing details, mayors…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactList {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub entry_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactEntry {
    pub id: i64,
    pub list_id: i64,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The function or title, e.g. "Borgmester", "DPO-funktionspostkasse".
    pub function: String,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct NewContactEntry {
    pub org_id: Option<OrgId>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub function: String,
    pub note: String,
}

/// Whom a municipality gives one of its tasks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum TaskAssignee {
    /// The role's current holders (and so whoever holds it later).
    Role(RoleId),
    User(UserId),
}

/// Who acts on a task's files: the community or one municipality.
#[derive(Debug, Clone, Copy)]
pub enum TaskParty<'a> {
    Community(&'a CommunityAccess),
    Municipality(&'a OrgAccess),
}

/// A file kept on a task (its content is read separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub task_id: TaskId,
    /// The municipality that uploaded it; `None` for the community's files.
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
    pub uploaded_by: String,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// As the browser or client sent it; checked and cut to its last part.
    pub file_name: String,
    pub content: Vec<u8>,
    /// Hex SHA-256 of the content.
    pub sha256: String,
}

/// What a directory import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectoryReport {
    pub units_created: u32,
    pub units_updated: u32,
    pub users_created: u32,
    pub users_updated: u32,
    pub users_deactivated: u32,
    /// Logins of the people who moved here from another municipality.
    pub users_moved: Vec<String>,
}

impl DirectoryReport {
    pub fn changed_anything(&self) -> bool {
        *self != DirectoryReport::default()
    }
}
