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

impl AuditEntry {
    /// An entry without before/after; add them with [`before`](Self::before)
    /// and [`after`](Self::after).
    pub fn new(
        actor: &Actor,
        org_id: Option<OrgId>,
        action: &'static str,
        entity_type: &'static str,
        entity_id: impl ToString,
    ) -> Self {
        Self {
            actor: actor.clone(),
            org_id,
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }

    pub fn after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }
}
