//! Vendor systems, the municipalities each delivers for, and their
//! credentials (`SystemStore`). Every change writes a row of the citizen
//! store's own audit log in the same transaction.

use async_trait::async_trait;
use samspil_citizen::{DeliveryGrant, SystemKind, SystemMode, SystemRegistration};
use samspil_domain::access::Actor;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SystemId(pub i64);

/// A registered vendor system, with the municipalities it delivers for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorSystem {
    pub id: SystemId,
    /// Its IT-system UUID (Fælleskommunalt Administrationsmodul),
    /// canonical.
    pub it_system_uuid: String,
    pub name: String,
    pub vendor: String,
    pub kind: SystemKind,
    pub mode: SystemMode,
    pub registered_at: OffsetDateTime,
    pub disabled_at: Option<OffsetDateTime>,
    /// By municipality code.
    pub municipalities: Vec<SystemMunicipality>,
}

impl VendorSystem {
    /// The grants as [`samspil_citizen::system::may_deliver`] reads them.
    pub fn grants(&self) -> Vec<DeliveryGrant> {
        self.municipalities
            .iter()
            .map(|m| DeliveryGrant {
                municipality_code: m.municipality_code,
                valid_from: m.valid_from,
                approved: m.approved_at.is_some(),
            })
            .collect()
    }

    /// Its registration for one municipality, if any.
    pub fn municipality(&self, code: u16) -> Option<&SystemMunicipality> {
        self.municipalities
            .iter()
            .find(|m| m.municipality_code == code)
    }
}

/// A system's registration for one municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemMunicipality {
    pub municipality_code: u16,
    /// The first day it delivers for the municipality.
    pub valid_from: Date,
    pub registered_at: OffsetDateTime,
    /// When and by whom the municipality approved it; `None` while it
    /// waits for approval (it delivers nothing for it until then).
    pub approved_at: Option<OffsetDateTime>,
    pub approved_by: Option<String>,
}

/// A credential of a system's, never its secret (only the digest is
/// stored, and that is not shown either).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemCredential {
    pub id: i64,
    pub system_id: SystemId,
    pub created_at: OffsetDateTime,
    /// Set by a rotation (the end of the overlap); `None`: until revoked.
    pub expires_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
}

impl SystemCredential {
    pub fn state(&self, now: OffsetDateTime) -> samspil_citizen::credential::CredentialState {
        samspil_citizen::credential::CredentialState::at(self.revoked_at, self.expires_at, now)
    }
}

/// One row of the citizen store's audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenAuditRecord {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_label: String,
    pub action: String,
    pub system_id: Option<SystemId>,
    pub municipality_code: Option<u16>,
    /// What the change was, as JSON text.
    pub detail: Option<String>,
}

#[async_trait]
pub trait SystemStore: Send + Sync {
    /// Registers a system; another with the same IT-system UUID is a
    /// conflict.
    async fn register_system(
        &self,
        system: &SystemRegistration,
        actor: &Actor,
    ) -> Result<VendorSystem>;

    /// Every system (`None`), or those registered for one municipality,
    /// by name.
    async fn vendor_systems(&self, municipality_code: Option<u16>) -> Result<Vec<VendorSystem>>;

    async fn vendor_system(&self, id: SystemId) -> Result<Option<VendorSystem>>;

    /// Disables a system: it delivers nothing and its credentials open
    /// nothing from the next request. Disabling a disabled one changes
    /// nothing.
    async fn disable_system(&self, id: SystemId, actor: &Actor) -> Result<VendorSystem>;

    /// Registers a system for a municipality from a date; it waits for
    /// the municipality's approval. Registered already: a conflict.
    async fn register_municipality(
        &self,
        id: SystemId,
        municipality_code: u16,
        valid_from: Date,
        actor: &Actor,
    ) -> Result<VendorSystem>;

    /// The municipality approves the system's registration for it (the
    /// caller has checked that `actor` administers that municipality).
    /// Approved already: nothing changes.
    async fn approve_municipality(
        &self,
        id: SystemId,
        municipality_code: u16,
        actor: &Actor,
    ) -> Result<VendorSystem>;

    /// Issues a credential (its digest) and lets every credential of the
    /// system still in force run until `others_until` at the latest (the
    /// rotation's overlap; now: at once).
    async fn issue_credential(
        &self,
        id: SystemId,
        token_hash: &str,
        others_until: OffsetDateTime,
        actor: &Actor,
    ) -> Result<SystemCredential>;

    /// Revokes one of the system's credentials at once.
    async fn revoke_credential(
        &self,
        id: SystemId,
        credential_id: i64,
        actor: &Actor,
    ) -> Result<SystemCredential>;

    /// The system's credentials, newest first.
    async fn credentials(&self, id: SystemId) -> Result<Vec<SystemCredential>>;

    /// The enabled system whose credential in force has this digest; marks
    /// the credential used. A revoked or expired credential, or a disabled
    /// system, is `None`.
    async fn system_by_credential(&self, token_hash: &str) -> Result<Option<VendorSystem>>;

    /// The audit log of one system, newest first.
    async fn system_audit(&self, id: SystemId) -> Result<Vec<CitizenAuditRecord>>;
}
