//! What the tools read of coordination: the IT solutions (its projects)
//! and which municipalities use each (its role gallery). The binary
//! implements it over coordination's store; the tools never reach that
//! context's tables.

use async_trait::async_trait;
use samspil_domain::OrgId;
use samspil_storage::Result;
use serde::Serialize;

#[async_trait]
pub trait SolutionCatalogue: Send + Sync {
    /// Every IT solution, by name.
    async fn it_solutions(&self) -> Result<Vec<SolutionRef>>;

    /// Which IT solutions each municipality uses.
    async fn solution_users(&self) -> Result<Vec<SolutionUsers>>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SolutionRef {
    pub id: i64,
    pub name: String,
}

/// The IT solutions one municipality uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolutionUsers {
    pub org_id: OrgId,
    pub solutions: Vec<i64>,
}
