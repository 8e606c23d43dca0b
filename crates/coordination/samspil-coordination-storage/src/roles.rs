//! The role gallery: the role catalogue, who holds which role, the gaps, and
//! giving a task to a role or person.

use async_trait::async_trait;
use samspil_coordination::role::{AssignmentId, AssignmentPeriod, GapKind, RoleId, RoleSpec};
use samspil_coordination::task::{ProjectId, TaskId};
use samspil_domain::{CommunityAccess, MunicipalityCode, OrgAccess, OrgId, UserId, UserType};
use samspil_storage::Result;
use serde::Serialize;

/// The role gallery: the catalogue, a municipality's role assignments, the
/// gaps, the holders as contact lists, and giving a task to one of a
/// municipality's roles or people.
#[async_trait]
pub trait RoleStore: Send + Sync {
    /// Gives a municipality's task to one of its roles or people, or to
    /// nobody (`None`).
    async fn assign_task(
        &self,
        access: &OrgAccess,
        task: TaskId,
        assignee: Option<TaskAssignee>,
    ) -> Result<()>;

    /// The whole catalogue.
    async fn roles(&self) -> Result<Vec<Role>>;

    /// The roles that apply to one municipality: cross-cutting ones and
    /// those of the IT solutions it uses.
    async fn municipality_roles(&self, access: &OrgAccess) -> Result<Vec<Role>>;

    /// Adds a role to the catalogue. With `announce` (every new role but
    /// those of a catalogue brought over from elsewhere) it also publishes
    /// the task in "KLIK" that asks every municipality the role applies to
    /// to fill it, and returns that task.
    async fn create_role(
        &self,
        access: &CommunityAccess,
        spec: RoleSpec,
        announce: bool,
    ) -> Result<(Role, Option<TaskId>)>;

    async fn update_role(
        &self,
        access: &CommunityAccess,
        id: RoleId,
        spec: RoleSpec,
    ) -> Result<Role>;

    /// A municipality's role assignments, current, future and ended.
    async fn role_assignments(&self, access: &OrgAccess) -> Result<Vec<RoleAssignment>>;

    async fn assign_role(
        &self,
        access: &OrgAccess,
        assignment: &NewAssignment,
    ) -> Result<RoleAssignment>;

    async fn end_role_assignment(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
        last_day: time::Date,
    ) -> Result<RoleAssignment>;

    async fn mark_primary_holder(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
    ) -> Result<RoleAssignment>;

    /// Every municipality's role gaps on `today`.
    async fn all_role_gaps(
        &self,
        access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<RoleGap>>;

    /// One municipality's role gaps on `today`.
    async fn role_gaps(&self, access: &OrgAccess, today: time::Date) -> Result<Vec<RoleGap>>;

    /// The current holders of a role in every municipality: a contact list.
    async fn role_holders(
        &self,
        access: &CommunityAccess,
        role: RoleId,
        today: time::Date,
    ) -> Result<Vec<RoleHolder>>;
}

/// A role of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    /// "Mere": what the role is and does.
    pub description: String,
    /// "Tildeling": whom a municipality should give the role to.
    pub assignment_guidance: String,
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

/// Whom a municipality gives one of its tasks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum TaskAssignee {
    /// The role's current holders (and so whoever holds it later).
    Role(RoleId),
    User(UserId),
}
