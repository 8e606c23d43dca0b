//! The systems' door for cases, in the SF1470 shape as JSON: import,
//! update, read back (bitemporal), search and the delivery log, each only
//! of the calling system's own records. The handlers hand domain types to
//! the one ingest (`CaseStore::deliver_cases`), which the SOAP door will
//! call the same way; a CPR number travels only in a POST body, never in
//! a URL, and no answer or log line holds one.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use samspil_citizen::case::{CaseRecord, MAX_BATCH_RECORDS, Operation};
use samspil_citizen_storage::{
    BatchStatus, CaseBatch, CaseSearch, CaseSummary, CaseView, DeliveryOutcome,
};
use samspil_web::error::AppError;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::{CitizenState, DeliveringSystem};

/// A JSON body read without ever echoing a value: serde's messages
/// quote what they could not read (`invalid type: string "…"`), and that
/// could be a CPR number in the wrong field, so a refusal names only the
/// line, the column and the kind of fault.
pub struct SilentJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for SilentJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
                _ => AppError::BadRequest("the body could not be read".into()),
            })?;
        serde_json::from_slice(&bytes).map(SilentJson).map_err(|error| {
            let at = format!("at line {}, column {}", error.line(), error.column());
            let text = error.to_string();
            match error.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    AppError::BadRequest(format!("the body is not JSON {at}"))
                }
                // A field unknown or missing names only fields, which
                // carry no citizen's data.
                _ if text.starts_with("unknown field") || text.starts_with("missing field") => {
                    AppError::Invalid(text)
                }
                _ => AppError::Invalid(format!(
                    "a value is not of the type its field takes {at} (the value is not repeated)"
                )),
            }
        })
    }
}

/// The header a system names a batch by, so that a retry is the same
/// batch.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
const MAX_IDEMPOTENCY_KEY: usize = 200;
/// The largest batch body read: room for [`MAX_BATCH_RECORDS`] cases of
/// a few kilobytes each.
pub const MAX_BATCH_BYTES: usize = 32 * 1024 * 1024;

/// A batch of case registrations (`Sag` of SagDokumentIndeksService as
/// JSON): `uuid`, `kommune`, `registreret`, and the groups `egenskaber`,
/// `fremdrift`, `indeks`, `relationer`, each period with its `virkning`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseBatchBody {
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<CaseRecord>,
}

/// The answer to a batch: its delivery log entry, its status and each
/// record's, with the violations (JSON pointer, rule, the anvisning's
/// section). A retry of the same batch gets the same answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryBody {
    pub delivery_id: i64,
    /// accepted, accepted_with_warnings or refused.
    pub status: String,
    #[schema(value_type = Vec<Object>)]
    pub records: serde_json::Value,
}

/// Logs a delivered batch: whose, which kind, how many records, how it
/// ended — never a record's content (CPR numbers stay out of the log).
pub(crate) fn log_delivered(
    system: &DeliveringSystem,
    kind: &'static str,
    operation: Operation,
    records: usize,
    outcome: &DeliveryOutcome,
) {
    tracing::info!(
        system = system.0.id.0,
        delivery = outcome.delivery_id,
        kind,
        operation = operation.as_str(),
        records,
        status = outcome.status.as_str(),
        "batch delivered"
    );
}

pub(crate) fn answer(outcome: DeliveryOutcome) -> (StatusCode, Json<DeliveryBody>) {
    let status = match outcome.status {
        BatchStatus::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    (
        status,
        Json(DeliveryBody {
            delivery_id: outcome.delivery_id,
            status: outcome.status.as_str().to_owned(),
            records: serde_json::to_value(&outcome.records).unwrap_or_default(),
        }),
    )
}

pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| AppError::BadRequest("the Idempotency-Key is not text".into()))?
        .trim();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY {
        return Err(AppError::BadRequest(format!(
            "the Idempotency-Key has 1 to {MAX_IDEMPOTENCY_KEY} characters"
        )));
    }
    Ok(Some(key.to_owned()))
}

/// The org units of each municipality the records are for, from the
/// platform's directory (the citizen store has no foreign key into it).
pub(crate) async fn directory_units(
    state: &CitizenState,
    records: &[CaseRecord],
) -> Result<BTreeMap<u16, BTreeSet<String>>, AppError> {
    let codes: BTreeSet<u16> = records.iter().map(|r| r.kommune).collect();
    let orgs = state.shell.storage.organisations().await?;
    let mut units = BTreeMap::new();
    for code in codes {
        if let Some(org) = orgs.iter().find(|o| o.code.map(|c| c.get()) == Some(code)) {
            let uuids = state.shell.storage.directory_unit_uuids(org.id).await?;
            units.insert(
                code,
                uuids
                    .into_iter()
                    .map(|u| u.trim().to_ascii_lowercase())
                    .collect(),
            );
        }
    }
    Ok(units)
}

/// A batch of any kind has 1 to [`MAX_BATCH_RECORDS`] records.
pub(crate) fn batch_size(records: usize) -> Result<(), AppError> {
    if records == 0 || records > MAX_BATCH_RECORDS {
        return Err(AppError::BadRequest(format!(
            "a batch has 1 to {MAX_BATCH_RECORDS} records"
        )));
    }
    Ok(())
}

/// The one ingest both doors call for cases: the batch (with the
/// responsible units the directory knows) delivered and logged.
pub(crate) async fn deliver_cases(
    state: &CitizenState,
    system: &DeliveringSystem,
    operation: Operation,
    idempotency_key: Option<String>,
    records: Vec<CaseRecord>,
) -> Result<DeliveryOutcome, AppError> {
    let batch = CaseBatch {
        operation,
        idempotency_key,
        directory_units: directory_units(state, &records).await?,
        records,
    };
    let outcome = state.store.deliver_cases(&system.0, &batch).await?;
    log_delivered(system, "case", operation, batch.records.len(), &outcome);
    Ok(outcome)
}

async fn deliver(
    state: &CitizenState,
    system: &DeliveringSystem,
    headers: &HeaderMap,
    operation: Operation,
    body: CaseBatchBody,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    batch_size(body.records.len())?;
    let idempotency_key = idempotency_key(headers)?;
    let outcome = deliver_cases(state, system, operation, idempotency_key, body.records).await?;
    Ok(answer(outcome))
}

/// Imports new cases, each with its whole history; all or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/borger/sager/import",
    tag = "citizen-cases",
    request_body = CaseBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch: a retry with the same key and body changes nothing and gets the same answer")),
    responses(
        (status = 200, description = "Written (accepted, or with warnings in report mode)", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn import_cases(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<CaseBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Import, body).await
}

/// Updates the system's own cases: each record the groups it changes, in
/// the order of its `registreret`; an older registration arriving late is
/// placed in history, not over the present.
#[utoipa::path(
    post,
    path = "/api/v1/borger/sager/opdater",
    tag = "citizen-cases",
    request_body = CaseBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch")),
    responses(
        (status = 200, description = "Written", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn update_cases(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<CaseBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Update, body).await
}

/// When to read a case: as registered at `registreret`, valid at
/// `virkning` (RFC 3339; now and every period when left out).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AsOf {
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    pub registreret: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    pub virkning: Option<OffsetDateTime>,
}

/// A case of the system's own as it was registered at one time and valid
/// at another (the read is written to the access log).
#[utoipa::path(
    get,
    path = "/api/v1/borger/sager/{uuid}",
    tag = "citizen-cases",
    params(("uuid" = String, Path, description = "The case's UUID"), AsOf),
    responses(
        (status = 200, description = "The registration in force then, with the periods valid then", body = Object),
    ),
)]
pub async fn read_case(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    Path(uuid): Path<String>,
    Query(as_of): Query<AsOf>,
) -> Result<Json<CaseView>, AppError> {
    state
        .store
        .case_as_of(system.0.id, &uuid, as_of.registreret, as_of.virkning)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// What to search the system's own cases by; a party's CPR number goes
/// here, in the body, never in a URL.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    #[serde(default)]
    pub kommune: Option<u16>,
    #[serde(default)]
    pub sagsnummer: Option<String>,
    /// `urn:oio:cpr-nr:…` or `urn:oio:cvr-nr:…`.
    #[serde(default)]
    pub part: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// The system's own cases that match.
#[utoipa::path(
    post,
    path = "/api/v1/borger/sager/soeg",
    tag = "citizen-cases",
    request_body = SearchBody,
    responses((status = 200, description = "The system's own cases that match, newest first", body = Vec<Object>)),
)]
pub async fn search_cases(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<SearchBody>,
) -> Result<Json<Vec<CaseSummary>>, AppError> {
    let search = CaseSearch {
        kommune: body.kommune,
        sagsnummer: body.sagsnummer,
        part: body.part,
        limit: body.limit.unwrap_or(100),
    };
    Ok(Json(state.store.search_cases(system.0.id, &search).await?))
}

/// One batch in the delivery log.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryLogBody {
    pub id: i64,
    pub operation: String,
    pub received_at: String,
    pub status: String,
    pub record_count: i64,
    pub violation_count: i64,
    /// The answer the batch got.
    #[schema(value_type = Object)]
    pub outcome: serde_json::Value,
}

/// The system's delivery log: a status per batch, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/borger/leverancer",
    tag = "citizen-cases",
    responses((status = 200, description = "The system's batches, newest first", body = Vec<DeliveryLogBody>)),
)]
pub async fn delivery_log(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
) -> Result<Json<Vec<DeliveryLogBody>>, AppError> {
    let entries = state.store.deliveries(system.0.id, None, 200).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| DeliveryLogBody {
                id: e.id,
                operation: e.operation,
                received_at: e
                    .received_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                status: e.status,
                record_count: e.record_count,
                violation_count: e.violation_count,
                outcome: serde_json::from_str(&e.outcome_json).unwrap_or_default(),
            })
            .collect(),
    ))
}

/// The cases a system removes (SF1470 `fjern`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveBody {
    pub uuids: Vec<String>,
}

/// What a removal deleted.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemovedBody {
    pub cases: u64,
    pub registrations: u64,
    /// The UUIDs the system has no case by (nothing removed for them).
    pub unknown: Vec<String>,
}

/// Removes the system's own cases physically (with every registration);
/// all in one transaction.
#[utoipa::path(
    post,
    path = "/api/v1/borger/sager/fjern",
    tag = "citizen-cases",
    request_body = RemoveBody,
    responses((status = 200, description = "Removed", body = RemovedBody)),
)]
pub async fn remove_cases(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<RemoveBody>,
) -> Result<Json<RemovedBody>, AppError> {
    if body.uuids.is_empty() || body.uuids.len() > MAX_BATCH_RECORDS {
        return Err(AppError::BadRequest(format!(
            "a removal names 1 to {MAX_BATCH_RECORDS} cases"
        )));
    }
    let (report, unknown) = state.store.remove_cases(system.0.id, &body.uuids).await?;
    tracing::info!(
        system = system.0.id.0,
        cases = report.cases,
        "cases removed by their system"
    );
    Ok(Json(RemovedBody {
        cases: report.cases,
        registrations: report.registrations,
        unknown,
    }))
}
