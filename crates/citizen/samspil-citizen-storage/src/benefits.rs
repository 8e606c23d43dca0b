//! Benefits delivered by vendor systems (`BenefitStore`): grants and
//! their payments from the benefit index, through the one ingest both
//! doors call (the JSON API and the SOAP door of `YdelseIndeks`), with
//! the cases' answer per record, their delivery log, their bitemporal
//! read-back; a system's search of its own grants and payments; the
//! system's own removal (`fjern`). Removal on system change is the cases'
//! [`crate::CaseStore::remove_system_cases`], which removes the system's
//! benefits in the same transaction.

use async_trait::async_trait;
use samspil_citizen::benefit::BenefitRecord;
use samspil_citizen::case::Operation;
use serde::Serialize;
use time::OffsetDateTime;

use crate::{DeliveryOutcome, RemovalReport, Result, SystemId, VendorSystem};

/// One batch of grants and payments as a system delivers it (in the
/// order given: a payment may follow its grant in the same batch).
#[derive(Debug, Clone)]
pub struct BenefitBatch {
    pub operation: Operation,
    /// As [`crate::CaseBatch::idempotency_key`].
    pub idempotency_key: Option<String>,
    pub records: Vec<BenefitRecord>,
}

/// A grant or payment as registered at one time and valid at another.
#[derive(Debug, Clone, Serialize)]
pub struct BenefitView {
    pub uuid: String,
    pub kommune: u16,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub modtaget: OffsetDateTime,
    /// The registration as delivered, with only the periods valid at the
    /// moment asked for (all when none was asked for).
    pub record: BenefitRecord,
}

/// What a system searches its own grants and payments by.
#[derive(Debug, Clone, Default)]
pub struct BenefitSearch {
    pub kommune: Option<u16>,
    /// The recipient (a CPR number is looked up by its keyed digest).
    pub part: Option<String>,
    /// A grant's UUID: the grant and the payments of its benefits.
    pub bevilling: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenefitSummary {
    pub uuid: String,
    pub kommune: u16,
    /// `grant` or `payment`.
    pub object_type: String,
    /// A payment's grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bevilling: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
}

#[async_trait]
pub trait BenefitStore: Send + Sync {
    /// Delivers a batch for `system` as [`crate::CaseStore::deliver_cases`]
    /// does: every record checked, all written in one transaction or none,
    /// logged in the same delivery log; the same batch again answers the
    /// same and changes nothing.
    async fn deliver_benefits(
        &self,
        system: &VendorSystem,
        batch: &BenefitBatch,
    ) -> Result<DeliveryOutcome>;

    /// The system's own grant or payment as it was registered at
    /// `registered_at` (now when `None`), with the periods valid at
    /// `valid_at` (all when `None`); written to the access log.
    async fn benefit_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<BenefitView>>;

    /// The system's own grants and payments that match, newest first.
    async fn search_benefits(
        &self,
        system: SystemId,
        search: &BenefitSearch,
    ) -> Result<Vec<BenefitSummary>>;

    /// How many grants and payments the system has for the municipality.
    async fn count_benefits(&self, system: SystemId, municipality: u16) -> Result<(u64, u64)>;

    /// The system removes its own grants or payments (`object_type`
    /// `grant` or `payment`; the benefit index's two `fjern`),
    /// physically, all or none; the UUIDs it has none of that type by are
    /// reported, not removed.
    async fn remove_benefits(
        &self,
        system: SystemId,
        object_type: &str,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)>;
}
