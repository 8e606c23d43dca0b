//! The systems' door for benefits, the benefit index's grants
//! (`bevilling`) and payments (`effektuering`) as JSON: import, update,
//! read back (bitemporal), search and removal, each only of the calling
//! system's own records, with the cases' batch answer and delivery log
//! (`api_cases`). Amounts are kroner as decimal text (`"1234.56"`), kept
//! as integer øre. A recipient's CPR number travels only in a POST body.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use samspil_citizen::benefit::{BenefitRecord, GRANT, PAYMENT};
use samspil_citizen::case::{MAX_BATCH_RECORDS, Operation};
use samspil_citizen_storage::{BenefitBatch, BenefitSearch, BenefitSummary, BenefitView};
use samspil_web::error::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api_cases::{AsOf, DeliveryBody, SilentJson, answer, idempotency_key};
use crate::{CitizenState, DeliveringSystem};

/// A batch of grants and payments, in order (a payment may follow its
/// grant): each `{"bevilling": {…}}` or `{"effektuering": {…}}` with
/// `uuid`, `kommune`, `registreret` and its groups, each period with its
/// `virkning`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitBatchBody {
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<BenefitRecord>,
}

async fn deliver(
    state: &CitizenState,
    system: &DeliveringSystem,
    headers: &HeaderMap,
    operation: Operation,
    body: BenefitBatchBody,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    let batch = benefit_batch(operation, idempotency_key(headers)?, body.records)
        .map_err(AppError::BadRequest)?;
    let outcome = deliver_batch(state, system, &batch).await?;
    Ok(answer(outcome))
}

/// A batch of 1 to [`MAX_BATCH_RECORDS`] records.
pub(crate) fn benefit_batch(
    operation: Operation,
    idempotency_key: Option<String>,
    records: Vec<BenefitRecord>,
) -> Result<BenefitBatch, String> {
    if records.is_empty() || records.len() > MAX_BATCH_RECORDS {
        return Err(format!(
            "a batch has 1 to {MAX_BATCH_RECORDS} grants and payments"
        ));
    }
    Ok(BenefitBatch {
        operation,
        idempotency_key,
        records,
    })
}

/// The one ingest both doors call.
pub(crate) async fn deliver_batch(
    state: &CitizenState,
    system: &DeliveringSystem,
    batch: &BenefitBatch,
) -> Result<samspil_citizen_storage::DeliveryOutcome, AppError> {
    let outcome = state.store.deliver_benefits(&system.0, batch).await?;
    crate::api_cases::log_delivered(
        system,
        "benefit",
        batch.operation,
        batch.records.len(),
        &outcome,
    );
    Ok(outcome)
}

/// Imports new grants and payments, each whole; all or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/borger/ydelser/import",
    tag = "citizen-benefits",
    request_body = BenefitBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch: a retry with the same key and body changes nothing and gets the same answer")),
    responses(
        (status = 200, description = "Written (accepted, or with warnings in report mode)", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn import_benefits(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<BenefitBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Import, body).await
}

/// Updates the system's own grants and payments: each record the groups
/// it changes; an older registration arriving late is placed in history,
/// not over the present.
#[utoipa::path(
    post,
    path = "/api/v1/borger/ydelser/opdater",
    tag = "citizen-benefits",
    request_body = BenefitBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch")),
    responses(
        (status = 200, description = "Written", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn update_benefits(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<BenefitBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Update, body).await
}

/// A grant or payment of the system's own as it was registered at one
/// time and valid at another (the read is written to the access log).
#[utoipa::path(
    get,
    path = "/api/v1/borger/ydelser/{uuid}",
    tag = "citizen-benefits",
    params(("uuid" = String, Path, description = "The grant's or payment's UUID"), AsOf),
    responses(
        (status = 200, description = "The registration in force then, with the periods valid then", body = Object),
    ),
)]
pub async fn read_benefit(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    Path(uuid): Path<String>,
    Query(as_of): Query<AsOf>,
) -> Result<Json<BenefitView>, AppError> {
    state
        .store
        .benefit_as_of(system.0.id, &uuid, as_of.registreret, as_of.virkning)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// What to search the system's own grants and payments by; a
/// recipient's CPR number goes here, in the body, never in a URL.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitSearchBody {
    #[serde(default)]
    pub kommune: Option<u16>,
    /// `urn:oio:cpr-nr:…` or `urn:oio:cvr-nr:…`.
    #[serde(default)]
    pub part: Option<String>,
    /// A grant's UUID: the grant and its payments.
    #[serde(default)]
    pub bevilling: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// The system's own grants and payments that match.
#[utoipa::path(
    post,
    path = "/api/v1/borger/ydelser/soeg",
    tag = "citizen-benefits",
    request_body = BenefitSearchBody,
    responses((status = 200, description = "The system's own grants and payments that match, newest first", body = Vec<Object>)),
)]
pub async fn search_benefits(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<BenefitSearchBody>,
) -> Result<Json<Vec<BenefitSummary>>, AppError> {
    let search = BenefitSearch {
        kommune: body.kommune,
        part: body.part,
        bevilling: body.bevilling,
        limit: body.limit.unwrap_or(100),
    };
    Ok(Json(
        state.store.search_benefits(system.0.id, &search).await?,
    ))
}

/// Which of the index's objects a removal names.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectType {
    Bevilling,
    Effektuering,
}

impl ObjectType {
    pub(crate) fn stored(self) -> &'static str {
        match self {
            ObjectType::Bevilling => GRANT,
            ObjectType::Effektuering => PAYMENT,
        }
    }
}

/// The grants or payments a system removes (the benefit index's `fjern`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitRemoveBody {
    pub objekttype: ObjectType,
    pub uuids: Vec<String>,
}

/// What a removal deleted.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitsRemovedBody {
    pub grants: u64,
    pub payments: u64,
    pub registrations: u64,
    /// The UUIDs the system has no such object by (nothing removed for
    /// them).
    pub unknown: Vec<String>,
}

/// Removes the system's own grants or payments physically (with every
/// registration); all in one transaction.
#[utoipa::path(
    post,
    path = "/api/v1/borger/ydelser/fjern",
    tag = "citizen-benefits",
    request_body = BenefitRemoveBody,
    responses((status = 200, description = "Removed", body = BenefitsRemovedBody)),
)]
pub async fn remove_benefits(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<BenefitRemoveBody>,
) -> Result<Json<BenefitsRemovedBody>, AppError> {
    if body.uuids.is_empty() || body.uuids.len() > MAX_BATCH_RECORDS {
        return Err(AppError::BadRequest(format!(
            "a removal names 1 to {MAX_BATCH_RECORDS} objects"
        )));
    }
    let (report, unknown) = state
        .store
        .remove_benefits(system.0.id, body.objekttype.stored(), &body.uuids)
        .await?;
    tracing::info!(
        system = system.0.id.0,
        grants = report.grants,
        payments = report.payments,
        "benefits removed by their system"
    );
    Ok(Json(BenefitsRemovedBody {
        grants: report.grants,
        payments: report.payments,
        registrations: report.registrations,
        unknown,
    }))
}
