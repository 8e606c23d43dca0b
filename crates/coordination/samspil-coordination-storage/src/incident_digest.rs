//! What coordination reads of the tools' incidents (issue 19, "the monthly
//! meeting's fixed item lists the month's incidents"): those opened in a
//! period, for a meeting's Servicemeddelelser item. The binary implements
//! it over the tools' store; coordination never reads their tables, as the
//! tools read the role gallery only through their `RoleHolders`.

use async_trait::async_trait;
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

#[async_trait]
pub trait IncidentDigest: Send + Sync {
    /// The incidents opened at or after `from` and before `to`, oldest
    /// first.
    async fn incidents_opened_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<IncidentHeadline>>;
}

/// An incident as a meeting's agenda lists it: which solution, when it was
/// opened, and whether it is resolved — nothing of the chain, which is for
/// its parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentHeadline {
    pub id: i64,
    pub solution: String,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    /// Resolved or closed.
    pub resolved: bool,
}

/// What coordination reads of the tools' populations (Statistics
/// Denmark's FOLK1A), for a workshop's applicants: the binary implements
/// it over the tools' store.
#[async_trait]
pub trait Populations: Send + Sync {
    /// Each municipality's population as last counted on or before `day`.
    async fn populations(&self, day: time::Date) -> Result<Vec<(samspil_domain::OrgId, i64)>>;
}
