//! Where the tools and coordination meet over incidents, both ways, in the
//! one place that holds both contexts' stores.
//!
//! The tools' operational messages, sent through coordination's messages:
//! an incident's "Servicemeddelelse" goes to the current holders of the
//! affected solution's roles in the role gallery (issue 19), as a message
//! of the category `operational`, so that it lands in inboxes, by e-mail
//! by each person's own frequency, and in the monthly meeting's
//! Servicemeddelelser item like any operational message. That item also
//! lists the incidents opened in its period, which coordination reads
//! through [`ToolsIncidents`].

use std::sync::Arc;

use async_trait::async_trait;
use samspil_coordination::notification::{Audience, MessageCategory, MessageSpec};
use samspil_coordination_storage::{
    CoordinationStorage, IncidentDigest, IncidentHeadline, Populations,
};
use samspil_domain::CommunityAccess;
use samspil_storage::{Result, StorageError};
use samspil_tools::incident::{IncidentState, SolutionCode};
use samspil_tools_storage::{OperationalMessages, SentOperationalMessage, ToolsStorage};
use time::OffsetDateTime;

/// [`OperationalMessages`] over coordination's store.
pub struct CoordinationMessages {
    coordination: Arc<dyn CoordinationStorage>,
}

impl CoordinationMessages {
    pub fn new(stores: &crate::Stores) -> Self {
        Self {
            coordination: stores.coordination.clone(),
        }
    }

    /// Whom a message about `solution` goes to: its roles' holders, or the
    /// people of the municipalities in its project where it has no roles.
    /// The solution's code is the project's name (`KY`, `SAPA`), compared
    /// without regard to case.
    async fn audience(&self, solution: &SolutionCode) -> Result<(Audience, String)> {
        let project = self
            .coordination
            .projects()
            .await?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(&solution.0))
            .ok_or(StorageError::NotFound("solution"))?;
        let roles: Vec<_> = self
            .coordination
            .roles()
            .await?
            .into_iter()
            .filter(|r| r.solution_id == Some(project.id))
            .collect();
        Ok(if roles.is_empty() {
            (
                Audience::Project(project.id),
                format!("Deltagere i projektet {}", project.name),
            )
        } else {
            let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
            (
                Audience::Roles(roles.iter().map(|r| r.id).collect()),
                format!("Roller: {}", names.join(", ")),
            )
        })
    }
}

#[async_trait]
impl OperationalMessages for CoordinationMessages {
    async fn send_operational(
        &self,
        access: &CommunityAccess,
        solution: &SolutionCode,
        subject: &str,
        body: &str,
    ) -> Result<SentOperationalMessage> {
        let (audience, label) = self.audience(solution).await?;
        let spec = MessageSpec::new(MessageCategory::Operational, subject, body, audience)?;
        let sent = self
            .coordination
            .send_message(access, &spec, &label)
            .await?;
        Ok(SentOperationalMessage {
            message_id: sent.id,
            subject: sent.subject,
            audience: sent.audience,
            recipients: sent.recipients,
            sent_by: sent.created_by,
            sent_at: sent.created_at,
        })
    }
}

/// [`IncidentDigest`] over the tools' store.
pub struct ToolsIncidents {
    tools: Arc<dyn ToolsStorage>,
}

impl ToolsIncidents {
    pub fn new(stores: &crate::Stores) -> Self {
        Self {
            tools: stores.tools.clone(),
        }
    }
}

#[async_trait]
impl IncidentDigest for ToolsIncidents {
    async fn incidents_opened_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<IncidentHeadline>> {
        Ok(self
            .tools
            .incidents_opened_between(from, to)
            .await?
            .into_iter()
            .map(|i| IncidentHeadline {
                id: i.id.0,
                solution: i.solution,
                opened_at: i.opened_at,
                resolved: [IncidentState::Resolved, IncidentState::Closed]
                    .iter()
                    .any(|done| done.code() == i.state),
            })
            .collect())
    }
}

/// [`Populations`] over the tools' store (the populations the prices use).
#[async_trait]
impl Populations for ToolsIncidents {
    async fn populations(&self, day: time::Date) -> Result<Vec<(samspil_domain::OrgId, i64)>> {
        Ok(self
            .tools
            .populations(day)
            .await?
            .into_iter()
            .map(|p| (p.org_id, p.population))
            .collect())
    }
}
