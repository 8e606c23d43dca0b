//! Appointments and deadlines delivered by the activity index's systems
//! (`AppointmentStore`): the ingest (the same batches, delivery log and
//! answers as cases' and claims'), the bitemporal read-back, a system's
//! search and removal of its own appointments, and the one read the
//! citizen's overview makes: a citizen's appointments from a time on.
//! Every read of a citizen's appointments writes the access log in its
//! transaction.

use async_trait::async_trait;
use samspil_citizen::appointment::AppointmentRecord;
use samspil_citizen::common::Operation;
use serde::Serialize;
use time::OffsetDateTime;

use crate::{DeliveryOutcome, Reader, RemovalReport, Result, SystemId, VendorSystem};

/// One batch of appointments as a system delivers it (import: new
/// appointments; update: known ones, each whole again — a move or a
/// cancellation is an update).
#[derive(Debug, Clone)]
pub struct AppointmentBatch {
    pub operation: Operation,
    /// As [`crate::CaseBatch::idempotency_key`].
    pub idempotency_key: Option<String>,
    pub records: Vec<AppointmentRecord>,
}

/// An appointment as registered at one time (with its citizen opened).
#[derive(Debug, Clone, Serialize)]
pub struct AppointmentView {
    pub uuid: String,
    pub kommune: u16,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub modtaget: OffsetDateTime,
    /// The delivering system's name.
    pub system: String,
    pub record: AppointmentRecord,
}

/// What a system searches its own appointments by.
#[derive(Debug, Clone, Default)]
pub struct AppointmentSearch {
    pub kommune: Option<u16>,
    /// The case's UUID.
    pub sag: Option<String>,
    /// The citizen's `urn:oio:cpr-nr:…` (looked up by its keyed digest).
    pub part: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppointmentSummary {
    pub uuid: String,
    pub kommune: u16,
    /// The present registration's start and status.
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
}

#[async_trait]
pub trait AppointmentStore: Send + Sync {
    /// Delivers a batch of appointments for `system`: every record
    /// checked, all written in one transaction or none, the outcome in
    /// the system's delivery log; the same batch again answers the same
    /// and changes nothing.
    async fn deliver_appointments(
        &self,
        system: &VendorSystem,
        batch: &AppointmentBatch,
    ) -> Result<DeliveryOutcome>;

    /// The system's own appointment as registered at `registered_at` (the
    /// latest registration at or before it; now when `None`); another
    /// system's is `None`. The read is logged.
    async fn appointment_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
    ) -> Result<Option<AppointmentView>>;

    /// The system's own appointments that match, newest first.
    async fn search_appointments(
        &self,
        system: SystemId,
        search: &AppointmentSearch,
    ) -> Result<Vec<AppointmentSummary>>;

    /// Removes the system's own appointments by these UUIDs physically,
    /// with every registration, in one transaction, audited; the UUIDs it
    /// has none by are returned.
    async fn remove_appointments(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)>;

    /// How many appointments the system has for the municipality.
    async fn count_appointments(&self, system: SystemId, municipality: u16) -> Result<u64>;

    /// The appointments of the citizen with this CPR number from `from`
    /// on, by their start: the present registration of each whose citizen
    /// they are, valid at `from` and not over by then (cancelled and
    /// moved ones too, with their status). Logged for `reader` in the
    /// same transaction. (The citizen overview's read.)
    async fn appointments_visible_to_citizen(
        &self,
        cpr: &str,
        from: OffsetDateTime,
        reader: &Reader,
    ) -> Result<Vec<AppointmentView>>;
}
