//! The systems' door for claims (debts), as the cases' door: import,
//! update, read back (as registered at a time), search and remove, each
//! only of the calling debtor system's own claims, for the
//! municipalities it is registered (and approved) for. The handlers hand
//! domain types to the one ingest (`DebtStore::deliver_claims`); a
//! debtor's CPR number travels only in a POST body, never in a URL, and
//! no answer or log line holds one. The delivery log is the shared one
//! (`GET /api/v1/borger/leverancer`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use samspil_citizen::case::MAX_BATCH_RECORDS;
use samspil_citizen::common::Operation;
use samspil_citizen::debt::ClaimRecord;
use samspil_citizen_storage::{ClaimBatch, ClaimSearch, ClaimSummary, ClaimView};
use samspil_web::error::AppError;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::api_cases::{DeliveryBody, RemoveBody, SilentJson, answer, batch_size, idempotency_key};
use crate::{CitizenState, DeliveringSystem};

/// A batch of claims, each whole: `uuid`, `kommune`, `registreret`,
/// `fordringstype` (pension, boligstoette, barsel, familieydelser),
/// `debitor` (`urn:oio:cpr-nr:…`), `oprindeligt_beloeb` and `restbeloeb`
/// (whole øre), `forfaldsdato` (YYYY-MM-DD), `status` (aaben,
/// afdragsordning, overdraget_til_inddrivelse, betalt, afskrevet),
/// `debitorsystem`, `virkning`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimBatchBody {
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<ClaimRecord>,
}

async fn deliver(
    state: &CitizenState,
    system: &DeliveringSystem,
    headers: &HeaderMap,
    operation: Operation,
    body: ClaimBatchBody,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    batch_size(body.records.len())?;
    let batch = ClaimBatch {
        operation,
        idempotency_key: idempotency_key(headers)?,
        records: body.records,
    };
    let outcome = state.store.deliver_claims(&system.0, &batch).await?;
    crate::api_cases::log_delivered(system, "claim", operation, batch.records.len(), &outcome);
    Ok(answer(outcome))
}

/// Imports new claims; all or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/borger/fordringer/import",
    tag = "citizen-debts",
    request_body = ClaimBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch: a retry with the same key and body changes nothing and gets the same answer")),
    responses(
        (status = 200, description = "Written (accepted, or with warnings in report mode)", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn import_claims(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<ClaimBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Import, body).await
}

/// Updates the system's own claims, each whole again, in the order of
/// its `registreret`; an older registration arriving late is placed in
/// history, not over the present.
#[utoipa::path(
    post,
    path = "/api/v1/borger/fordringer/opdater",
    tag = "citizen-debts",
    request_body = ClaimBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch")),
    responses(
        (status = 200, description = "Written", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn update_claims(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<ClaimBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Update, body).await
}

/// When to read a claim: as registered at `registreret` (RFC 3339; now
/// when left out).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClaimAsOf {
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    pub registreret: Option<OffsetDateTime>,
}

/// A claim of the system's own as it was registered at a time (the read
/// is written to the access log).
#[utoipa::path(
    get,
    path = "/api/v1/borger/fordringer/{uuid}",
    tag = "citizen-debts",
    params(("uuid" = String, Path, description = "The claim's UUID"), ClaimAsOf),
    responses((status = 200, description = "The registration in force then", body = Object)),
)]
pub async fn read_claim(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    Path(uuid): Path<String>,
    Query(as_of): Query<ClaimAsOf>,
) -> Result<Json<ClaimView>, AppError> {
    state
        .store
        .claim_as_of(system.0.id, &uuid, as_of.registreret)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// What to search the system's own claims by; the debtor's CPR number
/// goes here, in the body, never in a URL.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimSearchBody {
    #[serde(default)]
    pub kommune: Option<u16>,
    #[serde(default)]
    pub fordringstype: Option<String>,
    /// `urn:oio:cpr-nr:…`.
    #[serde(default)]
    pub debitor: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// The system's own claims that match.
#[utoipa::path(
    post,
    path = "/api/v1/borger/fordringer/soeg",
    tag = "citizen-debts",
    request_body = ClaimSearchBody,
    responses((status = 200, description = "The system's own claims that match, newest first", body = Vec<Object>)),
)]
pub async fn search_claims(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<ClaimSearchBody>,
) -> Result<Json<Vec<ClaimSummary>>, AppError> {
    let search = ClaimSearch {
        kommune: body.kommune,
        fordringstype: body.fordringstype,
        debitor: body.debitor,
        limit: body.limit.unwrap_or(100),
    };
    Ok(Json(state.store.search_claims(system.0.id, &search).await?))
}

/// What a removal of claims deleted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimsRemovedBody {
    pub claims: u64,
    pub registrations: u64,
    /// The UUIDs the system has no claim by (nothing removed for them).
    pub unknown: Vec<String>,
}

/// Removes the system's own claims physically (with every registration),
/// in one transaction, as the cases' `fjern`.
#[utoipa::path(
    post,
    path = "/api/v1/borger/fordringer/fjern",
    tag = "citizen-debts",
    request_body = RemoveBody,
    responses((status = 200, description = "Removed", body = ClaimsRemovedBody)),
)]
pub async fn remove_claims(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<RemoveBody>,
) -> Result<Json<ClaimsRemovedBody>, AppError> {
    if body.uuids.is_empty() || body.uuids.len() > MAX_BATCH_RECORDS {
        return Err(AppError::BadRequest(format!(
            "a removal names 1 to {MAX_BATCH_RECORDS} claims"
        )));
    }
    let (report, unknown) = state.store.remove_claims(system.0.id, &body.uuids).await?;
    tracing::info!(
        system = system.0.id.0,
        claims = report.claims,
        "claims removed by their system"
    );
    Ok(Json(ClaimsRemovedBody {
        claims: report.claims,
        registrations: report.registrations,
        unknown,
    }))
}
