//! The citizen store's API: what the citizen context's web crate and the
//! binary may ask of it, whichever backend holds it
//! (`samspil-citizen-sql`).
//!
//! The citizen store is a store of its own, not a part of the main
//! database: on SQLite its own file beside the main one, on PostgreSQL its
//! own schema `citizen` with its own pool (and, optionally, a server and a
//! read replica of its own). Nothing in it refers to the main database by
//! a foreign key, so it can move to its own server by a URL. Errors are
//! the platform's [`StorageError`].
//!
//! One small capability trait per file, with its records beside it, as in
//! `samspil-storage`: [`SystemStore`] (vendor systems, their
//! municipalities and credentials), [`CaseStore`], [`DocumentStore`], [`BenefitStore`]
//! (grants and payments), [`DebtStore`] (claims), [`AppointmentStore`] (appointments and
//! deadlines), [`ClaimTypeStore`] (which
//! claim types a municipality shows), [`KleStore`], [`RetentionStore`] (the
//! retention job), [`ComplianceStore`] (the compliance test's evidence). [`CitizenStore`] is the whole store:
//! its own plumbing (backend, migrations, ping) and every capability, so
//! that the web crate and the binary hold one `Arc<dyn CitizenStore>`.

mod appointments;
mod benefits;
mod cases;
mod claim_types;
mod compliance;
mod debts;
mod documents;
mod kle;
mod retention;
mod systems;

pub use appointments::{
    AppointmentBatch, AppointmentSearch, AppointmentStore, AppointmentSummary, AppointmentView,
};
use async_trait::async_trait;
pub use benefits::{BenefitBatch, BenefitSearch, BenefitStore, BenefitSummary, BenefitView};
pub use cases::{
    BatchStatus, CaseBatch, CaseSearch, CaseStore, CaseSummary, CaseView, DeliveryLogEntry,
    DeliveryOutcome, RecordOutcome, RecordStatus, RemovalReport,
};
pub use claim_types::{ClaimTypeChange, ClaimTypeOutcome, ClaimTypeStatus, ClaimTypeStore};
pub use compliance::ComplianceStore;
pub use debts::{
    ClaimBatch, ClaimSearch, ClaimSummary, ClaimView, ClaimsOfType, DebtStore, Reader,
};
pub use documents::{DocumentBatch, DocumentSearch, DocumentStore, DocumentSummary, DocumentView};
pub use kle::{KleImportReport, KleStore};
pub use retention::{RetentionReport, RetentionStore};
pub use samspil_storage::{Result, StorageError};
pub use systems::{
    CitizenAuditRecord, SystemCredential, SystemId, SystemMunicipality, SystemStore, VendorSystem,
};

/// The citizen store as a whole: its backend, its migrations, a liveness
/// check, and (as supertraits) its capabilities.
#[async_trait]
pub trait CitizenStore:
    SystemStore
    + CaseStore
    + DocumentStore
    + BenefitStore
    + DebtStore
    + AppointmentStore
    + ClaimTypeStore
    + ComplianceStore
    + KleStore
    + RetentionStore
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Applies the citizen store's own pending migrations (its own
    /// history, apart from the main database's).
    async fn migrate(&self) -> Result<()>;

    /// Answers when the store answers (and its read replica, if it has one).
    async fn ping(&self) -> Result<()>;
}
