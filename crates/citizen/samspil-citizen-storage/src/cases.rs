//! Cases delivered by vendor systems (`CaseStore`): the one ingest
//! function both doors call (the JSON API today, SOAP later) with domain
//! types, answering per record; the bitemporal read-back; a system's
//! search of its own cases; the delivery log.

use async_trait::async_trait;
use samspil_citizen::case::{CaseRecord, Operation, Violation};
use serde::Serialize;
use time::OffsetDateTime;

use crate::{Result, SystemId, VendorSystem};

/// One batch as a system delivers it.
#[derive(Debug, Clone)]
pub struct CaseBatch {
    pub operation: Operation,
    /// What makes a retry the same batch: the system's idempotency key;
    /// without one, the store's keyed digest of the records (so that a
    /// digest of a CPR-bearing body never leaves the store). The same key
    /// with other records is a conflict.
    pub idempotency_key: Option<String>,
    pub records: Vec<CaseRecord>,
    /// The org units (their directory UUIDs, lowercase) of each
    /// municipality the records are for, as the door read them from the
    /// platform's directory: a case's responsible unit must be one. A
    /// municipality without an imported directory is absent (or empty),
    /// and its units are not checked.
    pub directory_units: std::collections::BTreeMap<u16, std::collections::BTreeSet<String>>,
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// Written, breaking no rule.
    Accepted,
    /// Written in report mode; its violations are recorded.
    AcceptedWithWarnings,
    /// The same registration was there already: nothing changed.
    Unchanged,
    /// Not written (nor anything else of its batch).
    Refused,
    /// Not written because another record of the batch was refused.
    NotWritten,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordOutcome {
    pub uuid: String,
    /// The municipality the record is for.
    pub kommune: u16,
    pub status: RecordStatus,
    pub violations: Vec<Violation>,
}

/// What became of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// Every record written, no rule broken.
    Accepted,
    /// Written in report mode, with violations recorded.
    AcceptedWithWarnings,
    /// Nothing written.
    Refused,
}

impl BatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Accepted => "accepted",
            BatchStatus::AcceptedWithWarnings => "accepted_with_warnings",
            BatchStatus::Refused => "refused",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliveryOutcome {
    /// The delivery log's entry.
    pub delivery_id: i64,
    pub status: BatchStatus,
    pub records: Vec<RecordOutcome>,
}

/// One line of a system's delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryLogEntry {
    pub id: i64,
    pub system_id: SystemId,
    pub operation: String,
    pub received_at: OffsetDateTime,
    pub status: String,
    pub record_count: i64,
    pub violation_count: i64,
    /// The answer given, as JSON text (the same answer a retry gets).
    pub outcome_json: String,
}

/// A case as registered at one time and valid at another.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub uuid: String,
    pub kommune: u16,
    /// The registration read: its time at the sender and when samspil
    /// received it.
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub modtaget: OffsetDateTime,
    /// The registration as delivered, with only the periods valid at the
    /// moment asked for (all when none was asked for).
    pub record: CaseRecord,
}

/// What a system searches its own cases by.
#[derive(Debug, Clone, Default)]
pub struct CaseSearch {
    pub kommune: Option<u16>,
    pub sagsnummer: Option<String>,
    /// The party (a CPR number is looked up by its keyed digest).
    pub part: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub uuid: String,
    pub kommune: u16,
    pub sagsnummer: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
}

/// What a removal deleted (physically), by table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RemovalReport {
    pub cases: u64,
    pub registrations: u64,
    pub periods: u64,
    pub relations: u64,
    /// The system's documents removed (their registrations, periods and
    /// relations, journal posts included, are counted above with the
    /// cases').
    pub documents: u64,
    /// The benefit index's grants and payments (their registrations,
    /// periods and relations are counted above).
    pub grants: u64,
    pub payments: u64,
    /// Claims (debts) of the system's (their registrations are counted
    /// above).
    pub claims: u64,
    /// Appointments and deadlines of the system's (their registrations
    /// are counted above).
    pub appointments: u64,
    /// Whether the system's registration for the municipality was ended
    /// too (a removal on system change).
    pub registration_ended: bool,
}

impl RemovalReport {
    /// Adds another removal's counts to this one's.
    pub fn add(&mut self, other: &RemovalReport) {
        self.cases += other.cases;
        self.registrations += other.registrations;
        self.periods += other.periods;
        self.relations += other.relations;
        self.documents += other.documents;
        self.grants += other.grants;
        self.payments += other.payments;
        self.claims += other.claims;
        self.appointments += other.appointments;
    }
}

#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Delivers a batch for `system`: every record checked (its rules, and
    /// that the system may deliver it), all written in one transaction or
    /// none, the outcome logged. The same batch again answers what it
    /// answered the first time and changes nothing.
    async fn deliver_cases(
        &self,
        system: &VendorSystem,
        batch: &CaseBatch,
    ) -> Result<DeliveryOutcome>;

    /// The system's own case as it was registered at `registered_at` (the
    /// latest registration at or before it; now when `None`), with the
    /// periods valid at `valid_at` (all when `None`). Another system's
    /// case is `None`.
    async fn case_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<CaseView>>;

    /// The system's own cases that match, newest first.
    async fn search_cases(&self, system: SystemId, search: &CaseSearch)
    -> Result<Vec<CaseSummary>>;

    /// How many cases the system has for the municipality.
    async fn count_cases(&self, system: SystemId, municipality: u16) -> Result<u64>;

    /// Removal on system change: every case, document, claim and
    /// appointment of the
    /// system's for the municipality, with all their registrations, and
    /// every grant and payment of its (the benefit index's), deleted
    /// physically in one transaction, and the system's registration for the
    /// municipality ended; audited with the counts.
    async fn remove_system_cases(
        &self,
        system: SystemId,
        municipality: u16,
        actor: &samspil_domain::access::Actor,
    ) -> Result<RemovalReport>;

    /// The system removes its own cases (SF1470 `fjern`), and its own
    /// claims by the same UUIDs, physically, all or none; the UUIDs it
    /// does not have are reported, not removed.
    async fn remove_cases(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)>;

    /// The system's delivery log, newest first: every batch, or those
    /// with a record for one municipality.
    async fn deliveries(
        &self,
        system: SystemId,
        municipality: Option<u16>,
        limit: i64,
    ) -> Result<Vec<DeliveryLogEntry>>;
}
