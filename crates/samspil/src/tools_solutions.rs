//! The tools context's view of coordination: the IT solutions (its
//! projects) and which municipalities use each (its role gallery), read
//! through coordination's store. The binary is the one place that holds
//! both contexts' stores, so the join of the two is here, in Rust, rather
//! than in the tools' SQL over coordination's tables.

use std::sync::Arc;

use async_trait::async_trait;
use samspil_coordination_storage::CoordinationStorage;
use samspil_domain::{OrgKind, Principal};
use samspil_storage::{Result, Storage};
use samspil_tools_storage::{SolutionCatalogue, SolutionRef, SolutionUsers};

/// [`SolutionCatalogue`] over coordination's and the platform's stores.
pub struct CoordinationSolutions {
    platform: Arc<dyn Storage>,
    coordination: Arc<dyn CoordinationStorage>,
}

impl CoordinationSolutions {
    pub fn new(stores: &crate::Stores) -> Self {
        Self {
            platform: stores.platform.clone(),
            coordination: stores.coordination.clone(),
        }
    }
}

#[async_trait]
impl SolutionCatalogue for CoordinationSolutions {
    async fn it_solutions(&self) -> Result<Vec<SolutionRef>> {
        let mut solutions: Vec<SolutionRef> = self
            .coordination
            .projects()
            .await?
            .into_iter()
            .map(|p| SolutionRef {
                id: p.id.0,
                name: p.name,
            })
            .collect();
        solutions.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(solutions)
    }

    /// Which solutions each municipality uses: one question per
    /// municipality, asked with the operator's read access, since which
    /// solutions a municipality takes part in is the community's shared
    /// knowledge (the tools decide who sees which report lines).
    async fn solution_users(&self) -> Result<Vec<SolutionUsers>> {
        let operator = Principal::operator();
        let mut users = Vec::new();
        for org in self.platform.organisations().await? {
            if org.kind != OrgKind::Municipality {
                continue;
            }
            let access = operator.read_access(org.id)?;
            let solutions = self.coordination.solutions_used(&access).await?;
            users.push(SolutionUsers {
                org_id: org.id,
                solutions: solutions.into_iter().map(|p| p.0).collect(),
            });
        }
        Ok(users)
    }
}
