//! What the storage layer hands back and takes in.

use samspil_domain::{MunicipalityCode, OrgId, UserId, UserType};
use serde::Serialize;
use time::OffsetDateTime;

use samspil_domain::task::{ProjectId, TaskId};

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
