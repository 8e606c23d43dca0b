//! The compliance test's evidence (`ComplianceStore`): what the citizen
//! store already keeps of a system's deliveries, gathered for the pure
//! rules of `samspil_citizen::compliance`.

use async_trait::async_trait;
use samspil_citizen::compliance::Evidence;
use time::Date;

use crate::{Result, SystemId};

#[async_trait]
pub trait ComplianceStore: Send + Sync {
    /// The evidence of the system's deliveries (`None`: no such system):
    /// its cases (delivered, updated, closed), the documents it delivered
    /// or is master of and their journal notes, the violations of its
    /// delivery log by rule, the responsible units of its cases per
    /// municipality (without the directory, which is the platform's: the
    /// caller fills `MunicipalityUnits::directory` in), its cases' primary
    /// classes against the imported KLE plan, and the audited removals.
    async fn compliance_evidence(&self, system: SystemId, today: Date) -> Result<Option<Evidence>>;
}
