//! The KLE subject plan in the citizen store (`KleStore`): imported whole
//! from KL's XML (`samspil import kle`), and read by the ingest to check a
//! case's primary class.

use async_trait::async_trait;
use samspil_citizen::kle::KleSubject;
use serde::Serialize;

use crate::Result;

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KleImportReport {
    pub added: u64,
    pub changed: u64,
    /// Of the changed: subjects that expired since the last import.
    pub expired: u64,
    pub unchanged: u64,
}

#[async_trait]
pub trait KleStore: Send + Sync {
    /// Brings the plan in line with `subjects` in one transaction (a
    /// subject the new plan lacks stays as it was: KL marks subjects
    /// expired rather than dropping them); audited with the counts.
    async fn import_kle(
        &self,
        subjects: &[KleSubject],
        actor: &samspil_domain::access::Actor,
    ) -> Result<KleImportReport>;

    /// How many subjects the plan has (none: no plan imported yet).
    async fn kle_subject_count(&self) -> Result<u64>;

    async fn kle_subject(&self, number: &str) -> Result<Option<KleSubject>>;
}
