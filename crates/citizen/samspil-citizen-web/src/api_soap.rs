//! The systems' SOAP door: KOMBIT's `SagDokumentIndeksService` 6 at
//! `POST /api/v1/borger/soap/SagDokumentIndeksService`, SOAP 1.2 as the
//! WSDL binds it. The body goes to the codec (`samspil_sf1470`), each case
//! or document of a typed request becomes the record the JSON door sends
//! ([`crate::soap_sag`], [`crate::soap_dokument`]), and the batch goes to
//! the same ingest (`CaseStore::deliver_cases`,
//! `DocumentStore::deliver_documents`), so both doors keep one model and answer
//! alike; the answer is the operation's response with a `StatusKode` per
//! object (`UnikRetur`) or for the request (`StandardRetur`).
//!
//! Who calls: today the system's samspil credential as `Authorization:
//! Bearer` on the HTTP request, exactly as on the JSON door (refused with
//! the machine API's JSON 401). The envelope's `wsse:Security` block
//! is parsed and kept ([`samspil_sf1470::SecurityHeader`]) but not
//! verified: [`caller`] is the one place an OIOIDWS verifier will decide
//! who calls from it instead.
//!
//! For which municipality: a system registered for one municipality
//! delivers for it; one registered for several names it in the address
//! (`?kommune=751`), as KOMBIT's index reads it from the token's
//! municipality. Nothing of a citizen's is in the address.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use samspil_citizen::case::{CaseRecord, MAX_BATCH_RECORDS, Operation, Violation};
use samspil_citizen::document::DocumentRecord;
use samspil_citizen_storage::{CaseSearch, RecordOutcome, RecordStatus};
use samspil_sf1470::common::{MultipleOutput, StatusKode, UnikId, UnikRetur};
use samspil_sf1470::response::{status_only, unik_retur};
use samspil_sf1470::sagdok::{
    FjernInput, FremsoegInput, FremsoegOutput, ImporterInput, ImporterObjekt, OpdaterInput,
    OpdaterObjekt, SoegLed,
};
use samspil_sf1470::simple::Uuid;
use samspil_sf1470::{
    Envelope, FaultCode, OperationKind, Request, RequestHeader, Response as SoapResponse,
    answer_refusal, parse_request, write_fault, write_response,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::soap_dokument;
use crate::soap_sag::{self, Places};
use crate::{CitizenState, DeliveringSystem};

/// The municipality a system with several delivers for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SoapQuery {
    /// The municipality's code; needed when the system is registered for
    /// more than one.
    #[serde(default)]
    pub kommune: Option<u16>,
}

pub(crate) fn soap(status: u16, body: String) -> Response {
    let mut response =
        (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/soap+xml; charset=utf-8"),
    );
    response
}

pub(crate) fn fault(http: StatusCode, code: FaultCode, reason: &str) -> Response {
    soap(http.as_u16(), write_fault(code, reason))
}

/// Who calls. Today: the bearer credential on the HTTP request (the
/// envelope's `wsse:Security` is not looked at). OIOIDWS goes here: verify
/// `envelope.header.security` and map the token's IT system to a
/// registered system.
pub(crate) async fn caller(
    state: &CitizenState,
    headers: &HeaderMap,
    _envelope: Option<&Envelope>,
) -> Result<DeliveringSystem, Box<Response>> {
    let (mut parts, ()) = axum::http::Request::new(()).into_parts();
    parts.headers = headers.clone();
    DeliveringSystem::from_request_parts(&mut parts, state)
        .await
        // The machine API's own 401 (JSON), as on the JSON door: the
        // credential is the HTTP request's, not the envelope's.
        .map_err(|error| Box::new(error.into_response()))
}

/// The municipality the request is for.
pub(crate) fn municipality(
    system: &DeliveringSystem,
    query: &SoapQuery,
) -> Result<u16, Box<Response>> {
    if let Some(code) = query.kommune {
        return Ok(code);
    }
    match system.0.municipalities.as_slice() {
        [only] => Ok(only.municipality_code),
        _ => Err(Box::new(fault(
            StatusCode::BAD_REQUEST,
            FaultCode::Sender,
            "the system delivers for several municipalities: name the one this request is \
             for in the address (?kommune=NNN)",
        ))),
    }
}

/// `SagDokumentIndeksService` 6: `importer`, `opdater`, `fjern` and
/// `fremsoeg` of cases and documents as the WSDL defines them (SOAP 1.2).
/// A malformed or hostile body is answered with a SOAP fault, content that
/// breaks the schema with the operation's response and `StatusKode` 40.
#[utoipa::path(
    post,
    path = "/api/v1/borger/soap/SagDokumentIndeksService",
    tag = "citizen-cases",
    params(SoapQuery),
    request_body(content = String, content_type = "application/soap+xml", description = "A SOAP 1.2 envelope of SagDokumentIndeksService 6"),
    responses(
        (status = 200, description = "The operation's response (StandardRetur or UnikRetur with StatusKode 20, 40, 44, 49 or 50)", body = String, content_type = "application/soap+xml"),
        (status = 400, description = "A SOAP fault: not a readable SOAP 1.2 request of this service", body = String, content_type = "application/soap+xml"),
        (status = 401, description = "No valid system credential (the machine API's JSON error)"),
    ),
)]
pub async fn sag_dokument_indeks(
    State(state): State<CitizenState>,
    headers: HeaderMap,
    query: Result<Query<SoapQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Response {
    let (system, envelope, kommune) = match front(&state, &headers, query, &body).await {
        Ok(front) => front,
        Err(answer) => return *answer,
    };
    let rh = envelope.header.request_header.as_ref();
    let result = match &envelope.request {
        Request::SagDokumentImporter(input) => importer(&state, &system, kommune, input).await,
        Request::SagDokumentOpdater(input) => opdater(&state, &system, kommune, input).await,
        Request::SagDokumentFjern(input) => fjern(&state, &system, input).await,
        Request::SagDokumentFremsoeg(input) => fremsoeg(&state, &system, kommune, input).await,
        other => {
            return fault(
                StatusCode::BAD_REQUEST,
                FaultCode::Sender,
                &format!(
                    "{} is an operation of {}, not of SagDokumentIndeksService",
                    other.kind().operation(),
                    other.kind().service()
                ),
            );
        }
    };
    match result {
        Ok(response) => soap(200, write_response(rh, &response)),
        Err(error) => {
            tracing::error!(system = system.0.id.0, %error, "the SOAP door failed");
            server_failure(rh, envelope.request.kind())
        }
    }
}

/// What every SOAP address does first: who calls, the envelope parsed,
/// for which municipality; or the answer that ends the request (a 401, a
/// SOAP fault).
pub(crate) async fn front(
    state: &CitizenState,
    headers: &HeaderMap,
    query: Result<Query<SoapQuery>, axum::extract::rejection::QueryRejection>,
    body: &[u8],
) -> Result<(DeliveringSystem, Envelope, u16), Box<Response>> {
    let system = caller(state, headers, None).await?;
    let envelope = parse_request(body).map_err(|refusal| {
        let answer = answer_refusal(&refusal, None);
        Box::new(soap(answer.http_status, answer.body))
    })?;
    let Ok(Query(query)) = query else {
        return Err(Box::new(fault(
            StatusCode::BAD_REQUEST,
            FaultCode::Sender,
            "the address takes only ?kommune=NNN (a municipality's code)",
        )));
    };
    let kommune = municipality(&system, &query)?;
    Ok((system, envelope, kommune))
}

/// The index's own failure: the operation's response with `StatusKode` 50
/// (the request may be retried).
pub(crate) fn server_failure(rh: Option<&RequestHeader>, kind: OperationKind) -> Response {
    soap(
        200,
        write_response(
            rh,
            &status_only(
                kind,
                StatusKode::Serverfejl,
                "the index failed; the request may be retried",
            ),
        ),
    )
}

/// A batch the door could not even turn into records: the object at
/// fault gets 40 with its place, the others that nothing was written.
pub(crate) fn mapping_refused(
    kind: OperationKind,
    uuids: &[(&str, String)],
    at: usize,
    error: &soap_sag::MappingError,
) -> SoapResponse {
    let list = uuids
        .iter()
        .enumerate()
        .map(|(i, (type_, uuid))| {
            let message = if i == at {
                format!("{} (at {})", error.message, error.location)
            } else {
                "not written: another object of the request was refused".into()
            };
            unik_retur(
                type_,
                Uuid::new(uuid.clone()).unwrap_or_default(),
                StatusKode::Inputfejl,
                &message,
            )
        })
        .collect();
    multiple(kind, MultipleOutput::Unik(list))
}

pub(crate) fn multiple(kind: OperationKind, output: MultipleOutput) -> SoapResponse {
    match kind {
        OperationKind::SagDokumentOpdater => SoapResponse::SagDokumentOpdater(output),
        OperationKind::SagDokumentFjern => SoapResponse::SagDokumentFjern(output),
        OperationKind::YdelseImporter => SoapResponse::YdelseImporter(output),
        OperationKind::YdelseOpdater => SoapResponse::YdelseOpdater(output),
        _ => SoapResponse::SagDokumentImporter(output),
    }
}

/// The status code of a record's outcome: 20 when written (or already
/// there), else by the rule: 44 an object (case, grant, payment) that is
/// not there to update, 49 one that is another system's or there
/// already, 40 the rest.
pub(crate) fn status_of(outcome: &RecordOutcome) -> StatusKode {
    match outcome.status {
        RecordStatus::Accepted | RecordStatus::AcceptedWithWarnings | RecordStatus::Unchanged => {
            StatusKode::Ok
        }
        RecordStatus::NotWritten => StatusKode::Inputfejl,
        RecordStatus::Refused => {
            let rules: Vec<&str> = outcome.violations.iter().map(|v| v.rule.as_str()).collect();
            if ["unknown_case", "unknown_document", "unknown_object"]
                .iter()
                .any(|rule| rules.contains(rule))
            {
                StatusKode::IkkeFundet
            } else if [
                "not_this_systems_case",
                "case_exists",
                "not_this_systems_document",
                "document_exists",
                "not_this_systems_object",
                "object_exists",
            ]
            .iter()
            .any(|rule| rules.contains(rule))
            {
                StatusKode::Konflikt
            } else {
                StatusKode::Inputfejl
            }
        }
    }
}

/// One violation as the sender reads it: rule, section, what, and where
/// in its own envelope.
fn explain(violation: &Violation, places: &Places) -> String {
    format!(
        "{} ({}): {} (at {})",
        violation.rule,
        violation.section,
        violation.message,
        places.of(&violation.pointer)
    )
}

/// Each object's `UnikRetur` (by its type: `Sag`, `Bevilling`,
/// `OekonomiskEffektuering`): its status code, and the violations with
/// their places in the sender's envelope.
pub(crate) fn answer_outcomes(
    kind: OperationKind,
    outcomes: &[RecordOutcome],
    places: &[Places],
    types: &[&str],
) -> SoapResponse {
    let list: Vec<UnikRetur> = outcomes
        .iter()
        .zip(places)
        .zip(types)
        .map(|((outcome, places), type_)| {
            let message = match outcome.status {
                RecordStatus::NotWritten => {
                    "not written: another object of the request was refused".to_owned()
                }
                RecordStatus::Unchanged => "unchanged: the same registration is there".to_owned(),
                _ => outcome
                    .violations
                    .iter()
                    .map(|v| explain(v, places))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            let message = match outcome.status {
                RecordStatus::AcceptedWithWarnings => format!("accepted with warnings: {message}"),
                _ => message,
            };
            unik_retur(
                type_,
                Uuid::new(outcome.uuid.clone()).unwrap_or_default(),
                status_of(outcome),
                &message,
            )
        })
        .collect();
    multiple(kind, MultipleOutput::Unik(list))
}

/// What a request's objects became: cases, documents (a system delivers
/// one kind, so a request carries one), and where each came from.
#[derive(Default)]
struct Mapped {
    objects: Vec<(&'static str, String)>,
    cases: Vec<CaseRecord>,
    documents: Vec<DocumentRecord>,
    places: Vec<Places>,
}

async fn deliver(
    state: &CitizenState,
    system: &DeliveringSystem,
    kind: OperationKind,
    operation: Operation,
    mapped: Mapped,
) -> Result<SoapResponse, samspil_web::error::AppError> {
    let Mapped {
        objects,
        cases,
        documents,
        places,
    } = mapped;
    let types: Vec<&str> = objects.iter().map(|(type_, _)| *type_).collect();
    let count = cases.len() + documents.len();
    if count == 0 || count > MAX_BATCH_RECORDS {
        return Ok(status_only(
            kind,
            StatusKode::Inputfejl,
            &format!("a request carries 1 to {MAX_BATCH_RECORDS} cases or documents"),
        ));
    }
    if !cases.is_empty() && !documents.is_empty() {
        return Ok(status_only(
            kind,
            StatusKode::Inputfejl,
            "a request carries cases or documents, not both: a system delivers one kind",
        ));
    }
    if !documents.is_empty() {
        let outcome =
            crate::api_documents::deliver_documents(state, system, operation, None, documents)
                .await?;
        return Ok(answer_outcomes(kind, &outcome.records, &places, &types));
    }
    let outcome = crate::api_cases::deliver_cases(state, system, operation, None, cases).await?;
    Ok(answer_outcomes(kind, &outcome.records, &places, &types))
}

async fn importer(
    state: &CitizenState,
    system: &DeliveringSystem,
    kommune: u16,
    input: &ImporterInput,
) -> Result<SoapResponse, samspil_web::error::AppError> {
    let kind = OperationKind::SagDokumentImporter;
    let mut mapped = Mapped {
        objects: input
            .objekter
            .iter()
            .map(|o| match o {
                ImporterObjekt::Sag(case) => ("Sag", case.uuid.normalized()),
                ImporterObjekt::Dokument(document) => ("Dokument", document.uuid.normalized()),
            })
            .collect(),
        ..Default::default()
    };
    for (i, object) in input.objekter.iter().enumerate() {
        let at = |element: &str| {
            format!(
                "/env:Envelope/env:Body/sdi:ImporterSagDokumentIndeksInput/{element}[{}]",
                i + 1
            )
        };
        let places = match object {
            ImporterObjekt::Sag(case) => soap_sag::imported(case, kommune, &at("sdi:SagIndeks"))
                .map(|(record, places)| {
                    mapped.cases.push(record);
                    places
                }),
            ImporterObjekt::Dokument(document) => {
                soap_dokument::imported(document, kommune, &at("sdi:DokumentIndeks")).map(
                    |(record, places)| {
                        mapped.documents.push(record);
                        places
                    },
                )
            }
        };
        match places {
            Ok(places) => mapped.places.push(places),
            Err(error) => return Ok(mapping_refused(kind, &mapped.objects, i, &error)),
        }
    }
    deliver(state, system, kind, Operation::Import, mapped).await
}

async fn opdater(
    state: &CitizenState,
    system: &DeliveringSystem,
    kommune: u16,
    input: &OpdaterInput,
) -> Result<SoapResponse, samspil_web::error::AppError> {
    let kind = OperationKind::SagDokumentOpdater;
    let mut mapped = Mapped {
        objects: input
            .objekter
            .iter()
            .map(|o| match o {
                OpdaterObjekt::Sag(update) => ("Sag", update.ret.ret.uuid.normalized()),
                OpdaterObjekt::Dokument(update) => ("Dokument", update.ret.ret.uuid.normalized()),
            })
            .collect(),
        ..Default::default()
    };
    for (i, object) in input.objekter.iter().enumerate() {
        let at = |element: &str| {
            format!(
                "/env:Envelope/env:Body/sdi:OpdaterSagDokumentIndeksInput/{element}[{}]",
                i + 1
            )
        };
        let places = match object {
            OpdaterObjekt::Sag(update) => {
                soap_sag::updated(update, kommune, &at("sdi:OpdaterSagIndeks")).map(
                    |(record, places)| {
                        mapped.cases.push(record);
                        places
                    },
                )
            }
            OpdaterObjekt::Dokument(update) => {
                soap_dokument::updated(update, kommune, &at("sdi:OpdaterDokumentIndeks")).map(
                    |(record, places)| {
                        mapped.documents.push(record);
                        places
                    },
                )
            }
        };
        match places {
            Ok(places) => mapped.places.push(places),
            Err(error) => return Ok(mapping_refused(kind, &mapped.objects, i, &error)),
        }
    }
    deliver(state, system, kind, Operation::Update, mapped).await
}

async fn fjern(
    state: &CitizenState,
    system: &DeliveringSystem,
    input: &FjernInput,
) -> Result<SoapResponse, samspil_web::error::AppError> {
    let kind = OperationKind::SagDokumentFjern;
    if input.soeg_udtryk.is_some() {
        return Ok(status_only(
            kind,
            StatusKode::Inputfejl,
            "removal by a search expression (SoegUdtryk) is not taken; name the cases by \
             SagUuid",
        ));
    }
    let mut uuids = Vec::new();
    for id in &input.sag_uuid {
        match id {
            UnikId::Uuid(uuid) => uuids.push(uuid.normalized()),
            UnikId::Urn(_) => {
                return Ok(status_only(
                    kind,
                    StatusKode::Inputfejl,
                    "a case to remove is named by its UUID (UUIDIdentifikator)",
                ));
            }
        }
    }
    if uuids.is_empty() || uuids.len() > MAX_BATCH_RECORDS {
        return Ok(status_only(
            kind,
            StatusKode::Inputfejl,
            &format!("a removal names 1 to {MAX_BATCH_RECORDS} cases"),
        ));
    }
    let (report, unknown) = state.store.remove_cases(system.0.id, &uuids).await?;
    tracing::info!(
        system = system.0.id.0,
        cases = report.cases,
        "cases removed by their system over SOAP"
    );
    let list = uuids
        .iter()
        .map(|uuid| {
            let (status, message) = if unknown.contains(uuid) {
                (
                    StatusKode::IkkeFundet,
                    "the system has no case by this UUID",
                )
            } else {
                (StatusKode::Ok, "")
            };
            unik_retur(
                "Sag",
                Uuid::new(uuid.clone()).unwrap_or_default(),
                status,
                message,
            )
        })
        .collect();
    Ok(multiple(kind, MultipleOutput::Unik(list)))
}

/// What a `SoegSag` of the search asks for, as the store searches the
/// system's own cases: the case number (`BrugervendtNoegle`) and a party
/// (`Sagspart` by CPR or CVR).
fn search_of(input: &FremsoegInput, kommune: u16) -> Result<Vec<CaseSearch>, &'static str> {
    let Some(expression) = &input.soeg_udtryk else {
        return Ok(Vec::new());
    };
    if matches!(
        expression.operation,
        Some(samspil_sf1470::sagdok::AndOr::And)
    ) && expression.led.len() > 1
    {
        return Err("one SoegSag at a time, or several with OR");
    }
    let mut out = Vec::new();
    for led in &expression.led {
        let SoegLed::SoegSag(soeg) = led else {
            return Err("the search takes SoegSag terms (no NOT, nesting or documents)");
        };
        let sagsnummer = soeg.attribut_liste.egenskaber.iter().find_map(|p| {
            p.brugervendt_noegle
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .or_else(|| p.sagsnummer.as_ref().map(|t| t.as_str().to_owned()))
        });
        let part = soeg
            .relation_liste
            .sagspart
            .iter()
            .find_map(|r| r.reference_id.as_ref())
            .and_then(|id| id.urn().map(str::to_owned));
        if sagsnummer.is_none() && part.is_none() {
            return Err("a SoegSag names a BrugervendtNoegle or a Sagspart's ReferenceID");
        }
        out.push(CaseSearch {
            kommune: Some(kommune),
            sagsnummer,
            part,
            limit: soeg
                .felter
                .maksimal_antal_kvantitet
                .unwrap_or(100)
                .clamp(1, 500),
        });
    }
    Ok(out)
}

async fn fremsoeg(
    state: &CitizenState,
    system: &DeliveringSystem,
    kommune: u16,
    input: &FremsoegInput,
) -> Result<SoapResponse, samspil_web::error::AppError> {
    let kind = OperationKind::SagDokumentFremsoeg;
    let searches = match search_of(input, kommune) {
        Ok(searches) => searches,
        Err(message) => return Ok(status_only(kind, StatusKode::Inputfejl, message)),
    };
    let mut uuids: Vec<String> = input
        .sag_uuid
        .iter()
        .map(|u| u.as_str().trim().to_ascii_lowercase())
        .collect();
    for search in &searches {
        for found in state.store.search_cases(system.0.id, search).await? {
            uuids.push(found.uuid);
        }
    }
    uuids.sort();
    uuids.dedup();
    if uuids.len() > 500 {
        uuids.truncate(500);
    }
    let mut output = FremsoegOutput {
        standard_retur: samspil_sf1470::common::StandardRetur {
            status_kode: StatusKode::Ok,
            fejlbesked_tekst: None,
            detaljeret_fejlbesked: None,
        },
        ..Default::default()
    };
    for uuid in &uuids {
        // Each read is written to the access log by the store.
        if let Some(view) = state
            .store
            .case_as_of(system.0.id, uuid, None, None)
            .await?
        {
            output
                .sag
                .push(samspil_sf1470::sag::FiltreretOejebliksbillede {
                    objekt_type: samspil_sf1470::common::SagDokObjekt {
                        uuid: Uuid::new(view.uuid.clone()).unwrap_or_default(),
                    },
                    registrering: vec![soap_sag::registration(&view.record)],
                });
        }
    }
    output.antal.push(samspil_sf1470::sagdok::Antal {
        element: samspil_sf1470::sagdok::AntalElement::Sager,
        antal: output.sag.len() as i64,
        paginering: None,
    });
    // The system's own documents by UUID (each read logged by the store),
    // never a journal note's body.
    let mut documents: Vec<String> = input
        .dokument_uuid
        .iter()
        .map(|u| u.as_str().trim().to_ascii_lowercase())
        .collect();
    documents.sort();
    documents.dedup();
    documents.truncate(500);
    for uuid in &documents {
        if let Some(view) = state
            .store
            .document_as_of(system.0.id, uuid, None, None)
            .await?
        {
            output
                .dokument
                .push(samspil_sf1470::dokument::FiltreretOejebliksbillede {
                    objekt_type: samspil_sf1470::common::SagDokObjekt {
                        uuid: Uuid::new(view.uuid.clone()).unwrap_or_default(),
                    },
                    registrering: vec![soap_dokument::registration(&view.record)],
                });
        }
    }
    if !documents.is_empty() {
        output.antal.push(samspil_sf1470::sagdok::Antal {
            element: samspil_sf1470::sagdok::AntalElement::Dokumenter,
            antal: output.dokument.len() as i64,
            paginering: None,
        });
    }
    Ok(SoapResponse::SagDokumentFremsoeg(output))
}
