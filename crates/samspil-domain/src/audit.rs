//! Entries of the append-only audit log: who changed what, when, from what
//! to what.

use serde::Serialize;
use serde_json::Value;

use crate::OrgId;
use crate::access::Actor;

/// One change, written in the same transaction as the change itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub actor: Actor,
    /// The organisation whose data changed, when the data has a tenant.
    pub org_id: Option<OrgId>,
    /// What happened, as `entity.verb`, e.g. `user.create`, `session.login`.
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}
