//! The tasks a municipality gave to someone who cannot act on them: a
//! reader, or a role nobody holds (`samspil_coordination::role::assignment_warning`).

use async_trait::async_trait;
use samspil_coordination::role::AssignmentWarning;
use samspil_coordination::task::TaskId;
use samspil_domain::{CommunityAccess, MunicipalityCode, OrgAccess, OrgId};
use samspil_storage::Result;
use serde::Serialize;

/// The open tasks (published, not completed by the municipality) whose
/// assignment reaches nobody who can act on it, on `today`.
#[async_trait]
pub trait AssignmentWarningStore: Send + Sync {
    /// Every municipality's, for the community's gap report.
    async fn all_assignment_warnings(
        &self,
        access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<TaskAssignmentWarning>>;

    /// One municipality's: its gap report and its task pages.
    async fn assignment_warnings(
        &self,
        access: &OrgAccess,
        today: time::Date,
    ) -> Result<Vec<TaskAssignmentWarning>>;
}

/// A task given to a reader or to an empty role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskAssignmentWarning {
    pub task_id: TaskId,
    pub task_code: Option<String>,
    pub task_title: String,
    pub org_id: OrgId,
    pub org_name: String,
    pub org_code: Option<MunicipalityCode>,
    /// The person's or the role's name.
    pub assignee_name: String,
    pub warning: AssignmentWarning,
}
