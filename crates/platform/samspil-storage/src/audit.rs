//! Reading the audit log.

use crate::Result;
use async_trait::async_trait;
use samspil_domain::{OrgAccess, OrgId, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// Reading the audit log. It is written by the change it describes, in
/// the same transaction, never through this trait.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// The newest audit entries about one organisation's data.
    async fn audit_entries(&self, access: &OrgAccess, limit: u32) -> Result<Vec<AuditRecord>>;
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_user_id: Option<UserId>,
    pub actor_label: String,
    pub org_id: Option<OrgId>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}
