//! Claims delivered by debtor systems (`DebtStore`): the ingest (the same
//! batches, delivery log and answers as cases'), the bitemporal
//! read-back, a system's search of its own claims, and the one read the
//! citizen's overview makes: the claims visible to a citizen, by the rule
//! of [`samspil_citizen::debt`] (only claim types the municipality has
//! opened). Every read of a citizen's claims writes the access log in its
//! transaction.

use async_trait::async_trait;
use samspil_citizen::common::Operation;
use samspil_citizen::debt::{ClaimRecord, ClaimTypeState};
use serde::Serialize;
use time::OffsetDateTime;

use crate::{DeliveryOutcome, RemovalReport, Result, SystemId, VendorSystem};

/// One batch of claims as a system delivers it (import: new claims;
/// update: known claims, each whole again).
#[derive(Debug, Clone)]
pub struct ClaimBatch {
    pub operation: Operation,
    /// As [`crate::CaseBatch::idempotency_key`].
    pub idempotency_key: Option<String>,
    pub records: Vec<ClaimRecord>,
}

/// A claim as registered at one time (and with its debtor opened).
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub uuid: String,
    pub kommune: u16,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub modtaget: OffsetDateTime,
    /// The delivering system's name.
    pub system: String,
    pub record: ClaimRecord,
}

/// What a system searches its own claims by.
#[derive(Debug, Clone, Default)]
pub struct ClaimSearch {
    pub kommune: Option<u16>,
    pub fordringstype: Option<String>,
    /// The debtor's `urn:oio:cpr-nr:…` (looked up by its keyed digest).
    pub debitor: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimSummary {
    pub uuid: String,
    pub kommune: u16,
    pub fordringstype: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
}

/// A citizen's claims of one municipality's claim type, as the
/// verification view shows them: what the citizen would see once the
/// type is opened, and whether they see them now.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimsOfType {
    pub claim_type: String,
    pub state: ClaimTypeState,
    pub claims: Vec<ClaimView>,
}

/// Who reads a citizen's claims and why, for the access log.
#[derive(Debug, Clone)]
pub struct Reader {
    /// `user:42`, `system:7`, …
    pub label: String,
    pub purpose: String,
}

#[async_trait]
pub trait DebtStore: Send + Sync {
    /// Delivers a batch of claims for `system`: every record checked, all
    /// written in one transaction or none, the outcome in the system's
    /// delivery log; the same batch again answers the same and changes
    /// nothing.
    async fn deliver_claims(
        &self,
        system: &VendorSystem,
        batch: &ClaimBatch,
    ) -> Result<DeliveryOutcome>;

    /// The system's own claim as registered at `registered_at` (the
    /// latest registration at or before it; now when `None`); another
    /// system's is `None`. The read is logged.
    async fn claim_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
    ) -> Result<Option<ClaimView>>;

    /// The system's own claims that match, newest first.
    async fn search_claims(
        &self,
        system: SystemId,
        search: &ClaimSearch,
    ) -> Result<Vec<ClaimSummary>>;

    /// Removes the system's own claims by these UUIDs physically, with
    /// every registration, in one transaction (a debtor system's `fjern`),
    /// audited; the UUIDs it has no claim by are returned.
    async fn remove_claims(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)>;

    /// How many claims the system has for the municipality.
    async fn count_claims(&self, system: SystemId, municipality: u16) -> Result<u64>;

    /// The claims visible to the citizen with this CPR number at `at`:
    /// the present registration of each claim whose debtor they are and
    /// which is valid at `at`, of a claim type its municipality has
    /// opened by then (configured and verified before). Logged for
    /// `reader` in the same transaction. (The citizen overview's read.)
    async fn claims_visible_to_citizen(
        &self,
        cpr: &str,
        at: OffsetDateTime,
        reader: &Reader,
    ) -> Result<Vec<ClaimView>>;

    /// The verification view's read: per claim type, the citizen's claims
    /// of one municipality that the citizen would see were it opened, and
    /// its state now. Logged for `reader` in the same transaction.
    async fn claims_for_verification(
        &self,
        municipality: u16,
        cpr: &str,
        at: OffsetDateTime,
        reader: &Reader,
    ) -> Result<Vec<ClaimsOfType>>;
}
