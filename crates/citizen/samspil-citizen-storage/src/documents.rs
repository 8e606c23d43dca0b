//! Documents and their journal notes delivered by document systems
//! (`DocumentStore`): the one ingest both doors call, the bitemporal
//! read-back, a system's search of its own documents. Batches answer and
//! are logged as case batches are (the same [`DeliveryOutcome`] and
//! delivery log); a removal on system change removes the system's
//! documents with its cases ([`crate::CaseStore::remove_system_cases`]).
//!
//! A journal note's body is stored sealed and no method here returns it:
//! every read-back is what a citizen-facing read may show.

use async_trait::async_trait;
use samspil_citizen::case::Operation;
use samspil_citizen::document::DocumentRecord;
use serde::Serialize;
use time::OffsetDateTime;

use crate::{DeliveryOutcome, RemovalReport, Result, SystemId, VendorSystem};

/// One batch of document registrations as a system delivers it.
#[derive(Debug, Clone)]
pub struct DocumentBatch {
    pub operation: Operation,
    /// As [`crate::CaseBatch::idempotency_key`] (a document batch's keys
    /// are apart from the system's case batches' keys).
    pub idempotency_key: Option<String>,
    pub records: Vec<DocumentRecord>,
}

/// A document as registered at one time and valid at another.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub uuid: String,
    pub kommune: u16,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub modtaget: OffsetDateTime,
    /// The registration as delivered, with only the periods valid at the
    /// moment asked for, and no journal note's body.
    pub record: DocumentRecord,
}

/// What a system searches its own documents by.
#[derive(Debug, Clone, Default)]
pub struct DocumentSearch {
    pub kommune: Option<u16>,
    /// The document number (`BrugervendtNoegle`).
    pub dokumentnummer: Option<String>,
    /// A case the document is attached to (its UUID).
    pub sag: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    pub uuid: String,
    pub kommune: u16,
    pub dokumentnummer: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
}

#[async_trait]
pub trait DocumentStore: Send + Sync {
    /// Delivers a batch for a `document` system: every record checked,
    /// all written in one transaction or none, the outcome logged in the
    /// delivery log. The same batch again answers the same and changes
    /// nothing.
    async fn deliver_documents(
        &self,
        system: &VendorSystem,
        batch: &DocumentBatch,
    ) -> Result<DeliveryOutcome>;

    /// The system's own document as registered at `registered_at` (now
    /// when `None`), with the periods valid at `valid_at` (all when
    /// `None`); never a journal note's body. Another system's is `None`.
    async fn document_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<DocumentView>>;

    /// The system's own documents that match, newest first.
    async fn search_documents(
        &self,
        system: SystemId,
        search: &DocumentSearch,
    ) -> Result<Vec<DocumentSummary>>;

    /// How many documents the system holds for the municipality.
    async fn count_documents(&self, system: SystemId, municipality: u16) -> Result<u64>;

    /// The system removes its own documents (SF1470 `fjern`), physically,
    /// all or none; the UUIDs it does not have are reported.
    async fn remove_documents(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)>;
}
