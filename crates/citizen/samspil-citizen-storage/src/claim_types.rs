//! The claim types a municipality has configured, verified and opened
//! for the citizen's overview (`ClaimTypeStore`): per municipality and
//! claim type a history of changes, each with the day it takes effect,
//! who made it and when, audited. A change is decided on the state it
//! finds, which it locks (verified before opened holds under concurrent
//! requests).

use async_trait::async_trait;
use samspil_citizen::debt::{ClaimTypeAction, ClaimTypeState};
use samspil_domain::access::Actor;
use time::{Date, OffsetDateTime};

use crate::Result;

/// One change of a claim type's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimTypeChange {
    pub claim_type: String,
    pub state: ClaimTypeState,
    pub effective_from: Date,
    pub at: OffsetDateTime,
    pub actor_label: String,
}

/// A claim type of a municipality: its state today and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimTypeStatus {
    pub claim_type: String,
    /// The state in force today.
    pub state: ClaimTypeState,
    /// Oldest first.
    pub history: Vec<ClaimTypeChange>,
}

/// A change refused by the claim type's rule (not stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimTypeOutcome {
    Changed(ClaimTypeState),
    Refused(samspil_citizen::debt::ClaimTypeRefusal),
}

#[async_trait]
pub trait ClaimTypeStore: Send + Sync {
    /// The four claim types of the municipality, each with its state
    /// today and its history.
    async fn claim_types(&self, municipality: u16) -> Result<Vec<ClaimTypeStatus>>;

    /// Changes a claim type's state from the day `effective_from` (today
    /// when `None`), if its rule lets it from the state it is in; the
    /// state read is locked until the change is written, and the change
    /// audited.
    async fn change_claim_type(
        &self,
        municipality: u16,
        claim_type: &str,
        action: ClaimTypeAction,
        effective_from: Option<Date>,
        actor: &Actor,
    ) -> Result<ClaimTypeOutcome>;
}
