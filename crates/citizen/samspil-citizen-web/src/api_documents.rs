//! The systems' door for documents and their journal notes, in the
//! SF1470 shape as JSON, beside the cases' (`api_cases`): import, update,
//! read back (bitemporal), search and removal, each only of the calling
//! system's own documents; only a system registered for documents
//! delivers them. The batches answer and are logged as case batches are
//! (`/api/v1/borger/leverancer` lists both). A journal note's body is
//! taken on delivery and never given back.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use samspil_citizen::case::{MAX_BATCH_RECORDS, Operation};
use samspil_citizen::document::DocumentRecord;
use samspil_citizen_storage::{DocumentBatch, DocumentSearch, DocumentSummary, DocumentView};
use samspil_web::error::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api_cases::{AsOf, DeliveryBody, RemoveBody, SilentJson, answer, idempotency_key};
use crate::{CitizenState, DeliveringSystem};

/// A batch of document registrations (`DokumentIndeks` as JSON): `uuid`,
/// `kommune`, `registreret`, and the groups `egenskaber` (with `type`,
/// `brevdato`, `foelsomhed`), `fremdrift`, `relationer` and
/// `journalposter` (the cases it is attached to, each optionally with a
/// `journalnotat`), each period with its `virkning`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBatchBody {
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<DocumentRecord>,
}

/// The one ingest both doors call for a batch of documents.
pub(crate) async fn deliver_documents(
    state: &CitizenState,
    system: &DeliveringSystem,
    operation: Operation,
    idempotency_key: Option<String>,
    records: Vec<DocumentRecord>,
) -> Result<samspil_citizen_storage::DeliveryOutcome, AppError> {
    let batch = DocumentBatch {
        operation,
        idempotency_key,
        records,
    };
    let outcome = state.store.deliver_documents(&system.0, &batch).await?;
    crate::api_cases::log_delivered(system, "document", operation, batch.records.len(), &outcome);
    Ok(outcome)
}

async fn deliver(
    state: &CitizenState,
    system: &DeliveringSystem,
    headers: &HeaderMap,
    operation: Operation,
    body: DocumentBatchBody,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    if body.records.is_empty() || body.records.len() > MAX_BATCH_RECORDS {
        return Err(AppError::BadRequest(format!(
            "a batch has 1 to {MAX_BATCH_RECORDS} records"
        )));
    }
    let key = idempotency_key(headers)?;
    Ok(answer(
        deliver_documents(state, system, operation, key, body.records).await?,
    ))
}

/// Imports new documents, each whole; all or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/borger/dokumenter/import",
    tag = "citizen-documents",
    request_body = DocumentBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch: a retry with the same key and body changes nothing and gets the same answer")),
    responses(
        (status = 200, description = "Written (accepted, or with warnings in report mode)", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn import_documents(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<DocumentBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Import, body).await
}

/// Updates the system's own documents: each record the groups it
/// changes; an older registration arriving late is placed in history.
#[utoipa::path(
    post,
    path = "/api/v1/borger/dokumenter/opdater",
    tag = "citizen-documents",
    request_body = DocumentBatchBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the batch")),
    responses(
        (status = 200, description = "Written", body = DeliveryBody),
        (status = 409, description = "The idempotency key was used for another batch"),
        (status = 422, description = "Refused: nothing of the batch is written", body = DeliveryBody),
    ),
)]
pub async fn update_documents(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    headers: HeaderMap,
    SilentJson(body): SilentJson<DocumentBatchBody>,
) -> Result<(StatusCode, Json<DeliveryBody>), AppError> {
    deliver(&state, &system, &headers, Operation::Update, body).await
}

/// A document of the system's own as registered at one time and valid at
/// another, without any journal note's body (the read is written to the
/// access log).
#[utoipa::path(
    get,
    path = "/api/v1/borger/dokumenter/{uuid}",
    tag = "citizen-documents",
    params(("uuid" = String, Path, description = "The document's UUID"), AsOf),
    responses(
        (status = 200, description = "The registration in force then, with the periods valid then", body = Object),
    ),
)]
pub async fn read_document(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    Path(uuid): Path<String>,
    Query(as_of): Query<AsOf>,
) -> Result<Json<DocumentView>, AppError> {
    state
        .store
        .document_as_of(system.0.id, &uuid, as_of.registreret, as_of.virkning)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// What to search the system's own documents by.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentSearchBody {
    #[serde(default)]
    pub kommune: Option<u16>,
    /// The document number (`BrugervendtNoegle`).
    #[serde(default)]
    pub dokumentnummer: Option<String>,
    /// A case's UUID: the documents attached to it.
    #[serde(default)]
    pub sag: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// The system's own documents that match.
#[utoipa::path(
    post,
    path = "/api/v1/borger/dokumenter/soeg",
    tag = "citizen-documents",
    request_body = DocumentSearchBody,
    responses((status = 200, description = "The system's own documents that match, newest first", body = Vec<Object>)),
)]
pub async fn search_documents(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<DocumentSearchBody>,
) -> Result<Json<Vec<DocumentSummary>>, AppError> {
    let search = DocumentSearch {
        kommune: body.kommune,
        dokumentnummer: body.dokumentnummer,
        sag: body.sag,
        limit: body.limit.unwrap_or(100),
    };
    Ok(Json(
        state.store.search_documents(system.0.id, &search).await?,
    ))
}

/// What a removal of documents deleted.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentsRemovedBody {
    pub documents: u64,
    pub registrations: u64,
    /// The UUIDs the system has no document by (nothing removed for them).
    pub unknown: Vec<String>,
}

/// Removes the system's own documents physically (with every
/// registration and journal note); all in one transaction.
#[utoipa::path(
    post,
    path = "/api/v1/borger/dokumenter/fjern",
    tag = "citizen-documents",
    request_body = RemoveBody,
    responses((status = 200, description = "Removed", body = DocumentsRemovedBody)),
)]
pub async fn remove_documents(
    State(state): State<CitizenState>,
    system: DeliveringSystem,
    SilentJson(body): SilentJson<RemoveBody>,
) -> Result<Json<DocumentsRemovedBody>, AppError> {
    if body.uuids.is_empty() || body.uuids.len() > MAX_BATCH_RECORDS {
        return Err(AppError::BadRequest(format!(
            "a removal names 1 to {MAX_BATCH_RECORDS} documents"
        )));
    }
    let (report, unknown) = state
        .store
        .remove_documents(system.0.id, &body.uuids)
        .await?;
    tracing::info!(
        system = system.0.id.0,
        documents = report.documents,
        "documents removed by their system"
    );
    Ok(Json(DocumentsRemovedBody {
        documents: report.documents,
        registrations: report.registrations,
        unknown,
    }))
}
