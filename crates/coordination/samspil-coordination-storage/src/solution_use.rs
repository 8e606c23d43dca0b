//! Which IT solutions a municipality uses and who in it has access to each.

use async_trait::async_trait;
use samspil_coordination::task::ProjectId;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId, UserId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// Which IT solutions (projects) a municipality uses, and who in it has
/// access to each ("Brugerhåndtering").
#[async_trait]
pub trait SolutionUseStore: Send + Sync {
    /// The IT solutions (projects) a municipality uses.
    async fn solutions_used(&self, access: &OrgAccess) -> Result<Vec<ProjectId>>;

    /// Records whether a municipality uses an IT solution (takes part in
    /// the project).
    async fn set_solution_use(
        &self,
        access: &CommunityAccess,
        org: OrgId,
        solution: ProjectId,
        uses: bool,
    ) -> Result<()>;

    /// Who in a municipality has access to which IT solution.
    async fn solution_access(&self, access: &OrgAccess) -> Result<Vec<SolutionAccess>>;

    async fn grant_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        solution: ProjectId,
    ) -> Result<()>;

    async fn revoke_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        solution: ProjectId,
    ) -> Result<()>;
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
