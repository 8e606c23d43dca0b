//! Where the country stands: progress per project, business area, region and
//! municipality.

use async_trait::async_trait;
use samspil_coordination::task::{ProjectId, TaskId};
use samspil_domain::{CommunityAccess, MunicipalityCode, OrgAccess, OrgId};
use samspil_storage::Result;
use serde::Serialize;

/// Where the country stands: progress per project, per business area, per
/// region and per municipality.
#[async_trait]
pub trait ProgressStore: Send + Sync {
    /// For each project: participants, published tasks and how many
    /// municipalities are not done.
    async fn project_progress(&self) -> Result<Vec<ProjectProgress>>;

    /// For each business area of a project: its published tasks and how many
    /// municipalities still have one of them to complete.
    async fn area_progress(&self) -> Result<Vec<AreaProgress>>;

    /// The status counts of these tasks among the municipalities of one
    /// region (the national counts are on each [`Task`](crate::Task)).
    async fn region_counts(
        &self,
        region: &str,
        tasks: &[TaskId],
    ) -> Result<Vec<(TaskId, samspil_coordination::task::StatusCounts)>>;

    /// Every municipality's open, overdue (on `today`) and critical tasks.
    async fn municipality_progress(
        &self,
        access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<MunicipalityProgress>>;

    /// One municipality's open, overdue and critical tasks.
    async fn own_progress(
        &self,
        access: &OrgAccess,
        today: time::Date,
    ) -> Result<MunicipalityProgress>;
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
