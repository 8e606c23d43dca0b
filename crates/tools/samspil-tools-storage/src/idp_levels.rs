//! Each municipality's identity provider's notified NSIS level, as the
//! municipality registers it (as in Fælleskommunalt Administrationsmodul).

use async_trait::async_trait;
use samspil_domain::{OrgAccess, OrgId};
use samspil_storage::Result;
use samspil_tools::AssuranceLevel;
use serde::Serialize;
use time::OffsetDateTime;

#[async_trait]
pub trait IdpLevelStore: Send + Sync {
    /// The registered levels of every municipality that has one.
    async fn idp_levels(&self) -> Result<Vec<IdpLevel>>;

    /// Registers (or, with `None`, withdraws) a municipality's level: its
    /// administrators and staff (administer access).
    async fn set_idp_level(&self, access: &OrgAccess, level: Option<AssuranceLevel>) -> Result<()>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdpLevel {
    pub org_id: OrgId,
    pub level: AssuranceLevel,
    pub registered_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
}
