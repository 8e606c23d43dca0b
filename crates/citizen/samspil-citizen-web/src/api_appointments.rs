//! The systems' door for appointments and deadlines (the activity
//! index), as the claims' door: import, update (a move or a cancellation
//! is an update of the whole appointment), read back (as registered at a
//! time), search and remove, each only of the calling system's own
//! appointments, for the municipalities it is registered (and approved)
//! for. The handlers hand domain types to the one ingest
//! (`AppointmentStore::deliver_appointments`); a citizen's CPR number
//! travels only in a POST body, never in a URL, and no answer or log line
//! holds one. The delivery log is the shared one
//! (`GET /api/v1/borger/leverancer`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use samspil_citizen::appointment::AppointmentRecord;
use samspil_citizen::case::MAX_BATCH_RECORDS;
use samspil_citizen::common::Operation;
use samspil_citizen_storage::{
    AppointmentBatch, AppointmentSearch, AppointmentSummary, AppointmentView,
};
use samspil_web::error::AppError;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::api_cases::{DeliveryBody, RemoveBody, SilentJson, answer, batch_size, idempotency_key};
use crate::{CitizenState, DeliveringSystem};

/// A batch of appointments, each whole: `uuid`, `kommune`,
/// `registreret`, `titel`, `start` and `slut` (RFC 3339; no `slut` for a
/// deadline), `sted` (`tekst`, optional `adresse`), `omraade` (a KLE
/// number or a text), optional `medbring`, optional `sag` (the case's
/// UUID), `part` (`urn:oio:cpr-nr:…`), `status` (planlagt, aflyst,
/// flyttet; a moved one with `tidligere_start`), `virkning`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentBatchBody {
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<AppointmentRecord>,
}

async fn deliver(
    state: &CitizenState,
    system: &DeliveringSystem,
    headers: &HeaderMap,
    operation: Operation,
    body: AppointmentBatchBody,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    batch_size(body.records.len())?;
    let batch = AppointmentBatch {
        operation,
        idempotency_key: idempotency_key(headers)?,
        records: body.records,
    };
    let outcome = state.store.deliver_appointments(&system.0, &batch).await?;
    crate::api_cases::log_delivered(
        system,
        "appointment",
        operation,
        batch.records.len(),
        &outcome,
    );
    Ok(answer(outcome))
}

/// Imports new appointments and deadlines; all or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/borger/aftaler/import",
    tag = "citizen-appointments",
    request_body = AppointmentBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch: a retry with the same key and body changes nothing and gets the same answer")),
    responses(
        (status = 200, description = "Written (accepted, or with warnings in report mode)", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn import_appointments(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<AppointmentBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Import, body).await
}

/// Updates the system's own appointments, each whole again, in the
/// order of its `registreret` — a moved one keeps its UUID, with the new
/// time and the one before (`tidligere_start`); a cancelled one has the
/// status `aflyst`. An older registration arriving late is placed in
/// history, not over the present.
#[utoipa::path(
    post,
    path = "/api/v1/borger/aftaler/opdater",
    tag = "citizen-appointments",
    request_body = AppointmentBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch")),
    responses(
        (status = 200, description = "Written", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn update_appointments(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<AppointmentBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Update, body).await
}

/// When to read an appointment: as registered at `registreret` (RFC 3339; now
/// when left out).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AppointmentAsOf {
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    pub registreret: Option<OffsetDateTime>,
}

/// An appointment of the system's own as it was registered at a time (the read
/// is written to the access log).
#[utoipa::path(
    get,
    path = "/api/v1/borger/aftaler/{uuid}",
    tag = "citizen-appointments",
    params(("uuid" = String, Path, description = "The appointment's UUID"), AppointmentAsOf),
    responses((status = 200, description = "The registration in force then", body = Object)),
)]
pub async fn read_appointment(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    Path(uuid): Path<String>,
    Query(as_of): Query<AppointmentAsOf>,
) -> Result<Json<AppointmentView>, AppError> {
    state
        .store
        .appointment_as_of(system.0.id, &uuid, as_of.registreret)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// What to search the system's own appointments by; the citizen's CPR
/// number goes here, in the body, never in a URL.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentSearchBody {
    #[serde(default)]
    pub kommune: Option<u16>,
    /// The case's UUID.
    #[serde(default)]
    pub sag: Option<String>,
    /// `urn:oio:cpr-nr:…`.
    #[serde(default)]
    pub part: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// The system's own appointments that match.
#[utoipa::path(
    post,
    path = "/api/v1/borger/aftaler/soeg",
    tag = "citizen-appointments",
    request_body = AppointmentSearchBody,
    responses((status = 200, description = "The system's own appointments that match, newest first", body = Vec<Object>)),
)]
pub async fn search_appointments(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<AppointmentSearchBody>,
) -> Result<Json<Vec<AppointmentSummary>>, AppError> {
    let search = AppointmentSearch {
        kommune: body.kommune,
        sag: body.sag,
        part: body.part,
        limit: body.limit.unwrap_or(100),
    };
    Ok(Json(
        state
            .store
            .search_appointments(system.0.id, &search)
            .await?,
    ))
}

/// What a removal of appointments deleted.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentsRemovedBody {
    pub appointments: u64,
    pub registrations: u64,
    /// The UUIDs the system has no appointment by (nothing removed for them).
    pub unknown: Vec<String>,
}

/// Removes the system's own appointments physically (with every
/// registration), in one transaction, as the cases' `fjern`.
#[utoipa::path(
    post,
    path = "/api/v1/borger/aftaler/fjern",
    tag = "citizen-appointments",
    request_body = RemoveBody,
    responses((status = 200, description = "Removed", body = AppointmentsRemovedBody)),
)]
pub async fn remove_appointments(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<RemoveBody>,
) -> Result<Json<AppointmentsRemovedBody>, AppError> {
    if body.uuids.is_empty() || body.uuids.len() > MAX_BATCH_RECORDS {
        return Err(AppError::BadRequest(format!(
            "a removal names 1 to {MAX_BATCH_RECORDS} appointments"
        )));
    }
    let (report, unknown) = state
        .store
        .remove_appointments(system.0.id, &body.uuids)
        .await?;
    tracing::info!(
        system = system.0.id.0,
        appointments = report.appointments,
        "appointments removed by their system"
    );
    Ok(Json(AppointmentsRemovedBody {
        appointments: report.appointments,
        registrations: report.registrations,
        unknown,
    }))
}
