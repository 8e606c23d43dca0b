//! The tools context's view of coordination: the IT solutions (its
//! projects), which municipalities use each and who holds a role there
//! (its role gallery), read
//! through coordination's store. The binary is the one place that holds
//! both contexts' stores, so the join of the two is here, in Rust, rather
//! than in the tools' SQL over coordination's tables.

use std::sync::Arc;

use async_trait::async_trait;
use samspil_coordination_storage::CoordinationStorage;
use samspil_domain::{OrgKind, Principal};
use samspil_storage::{Result, Storage};
use samspil_tools_storage::{Holder, RoleHolders, SolutionCatalogue, SolutionRef, SolutionUsers};

/// [`SolutionCatalogue`] and [`RoleHolders`] over coordination's and the platform's stores.
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

#[async_trait]
impl RoleHolders for CoordinationSolutions {
    /// Asked with the operator's read access: who holds a municipality's
    /// roles is the community's shared knowledge (the role gallery).
    async fn holders(
        &self,
        org: samspil_domain::OrgId,
        role_name: &str,
        day: time::Date,
    ) -> Result<Vec<Holder>> {
        let access = Principal::operator().read_access(org)?;
        let mut holders: Vec<_> = self
            .coordination
            .role_assignments(&access)
            .await?
            .into_iter()
            .filter(|a| a.role_name == role_name && a.user_active && a.period.holds_on(day))
            .collect();
        holders.sort_by_key(|a| (!a.primary, a.user_name.clone()));
        Ok(holders
            .into_iter()
            .map(|a| Holder {
                org_id: a.org_id,
                user_id: a.user_id.0,
                name: a.user_name,
                email: a.user_email,
                primary: a.primary,
            })
            .collect())
    }
}
