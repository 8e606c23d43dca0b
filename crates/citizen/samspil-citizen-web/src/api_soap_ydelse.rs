//! The systems' SOAP doors of the benefit index, as its three WSDLs bind
//! them (SOAP 1.2): `YdelseIndeksService` (`importer`, `opdater`,
//! `fremsoeg` of grants and payments), `BevillingIndeksService` and
//! `OekonomiskEffektueringIndeksService` (each object's `fjern`), at
//! `POST /api/v1/borger/soap/<service>`. As the cases' door
//! (`api_soap.rs`, whose front and answers these share): the caller by its
//! bearer credential, the municipality from the address when the system
//! has several, each object mapped to the JSON door's record
//! ([`crate::soap_ydelse`]) and the batch given to the same ingest
//! (`BenefitStore::deliver_benefits`); the answer is the operation's
//! response with a `StatusKode` per object (`UnikRetur`, typed
//! `Bevilling` or `OekonomiskEffektuering`) or for the request.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use samspil_citizen::benefit::{BenefitRecord, GRANT, PAYMENT};
use samspil_citizen::case::Operation;
use samspil_citizen_storage::BenefitSearch;
use samspil_sf1470::common::{SagDokObjekt, StandardRetur, StatusKode, UuidNoteInput};
use samspil_sf1470::response::status_only;
use samspil_sf1470::simple::Uuid;
use samspil_sf1470::ydelse::{
    Antal, AntalElement, FremsoegInput, FremsoegOutput, ImporterInput, ImporterObjekt,
    OpdaterInput, OpdaterObjekt, SoegLed,
};
use samspil_sf1470::{FaultCode, OperationKind, Request, Response as SoapResponse, write_response};
use samspil_web::error::AppError;

use crate::api_soap::{
    SoapQuery, answer_outcomes, fault, front, mapping_refused, server_failure, soap,
};
use crate::soap_sag::{MappingError, Places};
use crate::soap_ydelse;
use crate::{CitizenState, DeliveringSystem};

const GRANT_TYPE: &str = "Bevilling";
const PAYMENT_TYPE: &str = "OekonomiskEffektuering";

/// The one handler behind the three addresses: `service` is the WSDL
/// service the address is, and a request of another is a fault.
async fn benefit_index(
    state: CitizenState,
    headers: HeaderMap,
    query: Result<Query<SoapQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
    service: &'static str,
) -> Response {
    let (system, envelope, kommune) = match front(&state, &headers, query, &body).await {
        Ok(front) => front,
        Err(answer) => return *answer,
    };
    let kind = envelope.request.kind();
    if kind.service() != service {
        return fault(
            StatusCode::BAD_REQUEST,
            FaultCode::Sender,
            &format!(
                "{} is an operation of {}, not of {service}",
                kind.operation(),
                kind.service()
            ),
        );
    }
    let result = match &envelope.request {
        Request::YdelseImporter(input) => importer(&state, &system, kommune, input).await,
        Request::YdelseOpdater(input) => opdater(&state, &system, kommune, input).await,
        Request::YdelseFremsoeg(input) => fremsoeg(&state, &system, kommune, input).await,
        Request::BevillingFjern(input) => fjern(&state, &system, kind, GRANT, input).await,
        Request::EffektueringFjern(input) => fjern(&state, &system, kind, PAYMENT, input).await,
        _ => unreachable!("the service's operations are matched above"),
    };
    let rh = envelope.header.request_header.as_ref();
    match result {
        Ok(response) => soap(200, write_response(rh, &response)),
        Err(error) => {
            tracing::error!(system = system.0.id.0, %error, "the benefit index's SOAP door failed");
            server_failure(rh, kind)
        }
    }
}

/// `YdelseIndeksService`: `importer`, `opdater` and `fremsoeg` of grants
/// and payments. A malformed or hostile body is answered with a SOAP
/// fault, content that breaks the schema with `StatusKode` 40.
#[utoipa::path(
    post,
    path = "/api/v1/borger/soap/YdelseIndeksService",
    tag = "citizen-benefits",
    params(SoapQuery),
    request_body(content = String, content_type = "application/soap+xml", description = "A SOAP 1.2 envelope of YdelseIndeksService"),
    responses(
        (status = 200, description = "The operation's response (StandardRetur or UnikRetur with StatusKode 20, 40, 44, 49 or 50)", body = String, content_type = "application/soap+xml"),
        (status = 400, description = "A SOAP fault: not a readable SOAP 1.2 request of this service", body = String, content_type = "application/soap+xml"),
        (status = 401, description = "No valid system credential (the machine API's JSON error)"),
    ),
)]
pub async fn ydelse_indeks(
    State(state): State<CitizenState>,
    headers: HeaderMap,
    query: Result<Query<SoapQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Response {
    benefit_index(state, headers, query, body, "YdelseIndeksService").await
}

/// `BevillingIndeksService`: `fjern` of a grant.
#[utoipa::path(
    post,
    path = "/api/v1/borger/soap/BevillingIndeksService",
    tag = "citizen-benefits",
    params(SoapQuery),
    request_body(content = String, content_type = "application/soap+xml", description = "A SOAP 1.2 envelope of BevillingIndeksService"),
    responses(
        (status = 200, description = "FjernOutput with StatusKode 20 or 44", body = String, content_type = "application/soap+xml"),
        (status = 400, description = "A SOAP fault", body = String, content_type = "application/soap+xml"),
        (status = 401, description = "No valid system credential"),
    ),
)]
pub async fn bevilling_indeks(
    State(state): State<CitizenState>,
    headers: HeaderMap,
    query: Result<Query<SoapQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Response {
    benefit_index(state, headers, query, body, "BevillingIndeksService").await
}

/// `OekonomiskEffektueringIndeksService`: `fjern` of a payment.
#[utoipa::path(
    post,
    path = "/api/v1/borger/soap/OekonomiskEffektueringIndeksService",
    tag = "citizen-benefits",
    params(SoapQuery),
    request_body(content = String, content_type = "application/soap+xml", description = "A SOAP 1.2 envelope of OekonomiskEffektueringIndeksService"),
    responses(
        (status = 200, description = "FjernOutput with StatusKode 20 or 44", body = String, content_type = "application/soap+xml"),
        (status = 400, description = "A SOAP fault", body = String, content_type = "application/soap+xml"),
        (status = 401, description = "No valid system credential"),
    ),
)]
pub async fn effektuering_indeks(
    State(state): State<CitizenState>,
    headers: HeaderMap,
    query: Result<Query<SoapQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Response {
    benefit_index(
        state,
        headers,
        query,
        body,
        "OekonomiskEffektueringIndeksService",
    )
    .await
}

/// The mapped objects of a request, or the answer refusing it.
struct Mapped {
    records: Vec<BenefitRecord>,
    places: Vec<Places>,
    types: Vec<&'static str>,
}

/// One object of a request: its type, its UUID, and its record or what
/// kept it from being one.
type MappedObject = (
    &'static str,
    String,
    Result<(BenefitRecord, Places), MappingError>,
);

fn mapped(kind: OperationKind, objects: Vec<MappedObject>) -> Result<Mapped, Box<SoapResponse>> {
    let uuids: Vec<(&str, String)> = objects.iter().map(|(t, u, _)| (*t, u.clone())).collect();
    let mut out = Mapped {
        records: Vec::new(),
        places: Vec::new(),
        types: Vec::new(),
    };
    for (i, (type_, _, result)) in objects.into_iter().enumerate() {
        match result {
            Ok((record, places)) => {
                out.records.push(record);
                out.places.push(places);
                out.types.push(type_);
            }
            Err(error) => return Err(Box::new(mapping_refused(kind, &uuids, i, &error))),
        }
    }
    Ok(out)
}

async fn deliver(
    state: &CitizenState,
    system: &DeliveringSystem,
    kind: OperationKind,
    operation: Operation,
    mapped: Mapped,
) -> Result<SoapResponse, AppError> {
    let batch = match crate::api_benefits::benefit_batch(operation, None, mapped.records) {
        Ok(batch) => batch,
        Err(message) => return Ok(status_only(kind, StatusKode::Inputfejl, &message)),
    };
    let outcome = crate::api_benefits::deliver_batch(state, system, &batch).await?;
    Ok(answer_outcomes(
        kind,
        &outcome.records,
        &mapped.places,
        &mapped.types,
    ))
}

async fn importer(
    state: &CitizenState,
    system: &DeliveringSystem,
    kommune: u16,
    input: &ImporterInput,
) -> Result<SoapResponse, AppError> {
    let kind = OperationKind::YdelseImporter;
    let root = "/env:Envelope/env:Body/yi:ImporterYdelseIndeksInput";
    let objects = input
        .objekter
        .iter()
        .enumerate()
        .map(|(i, object)| match object {
            ImporterObjekt::Bevilling(grant) => {
                let grant = &grant.bevilling_indeks;
                let base = format!("{root}/yi:BevillingIndeks[{}]/bi:BevillingIndeks", i + 1);
                (
                    GRANT_TYPE,
                    grant.uuid.normalized(),
                    soap_ydelse::grant_imported(grant, kommune, &base),
                )
            }
            ImporterObjekt::Effektuering(payment) => {
                let payment = &payment.oekonomisk_effektuering_indeks;
                let base = format!(
                    "{root}/yi:OekonomiskEffektueringIndeks[{}]/oef:OekonomiskEffektueringIndeks",
                    i + 1
                );
                (
                    PAYMENT_TYPE,
                    payment.uuid.normalized(),
                    soap_ydelse::payment_imported(payment, kommune, &base),
                )
            }
        })
        .collect();
    match mapped(kind, objects) {
        Ok(mapped) => deliver(state, system, kind, Operation::Import, mapped).await,
        Err(answer) => Ok(*answer),
    }
}

async fn opdater(
    state: &CitizenState,
    system: &DeliveringSystem,
    kommune: u16,
    input: &OpdaterInput,
) -> Result<SoapResponse, AppError> {
    let kind = OperationKind::YdelseOpdater;
    let root = "/env:Envelope/env:Body/yi:OpdaterYdelseIndeksInput";
    let objects = input
        .objekter
        .iter()
        .enumerate()
        .map(|(i, object)| match object {
            OpdaterObjekt::Bevilling(update) => (
                GRANT_TYPE,
                update.ret.ret.uuid.normalized(),
                soap_ydelse::grant_updated(
                    update,
                    kommune,
                    &format!("{root}/yi:OpdaterBevillingIndeks[{}]", i + 1),
                ),
            ),
            OpdaterObjekt::Effektuering(update) => (
                PAYMENT_TYPE,
                update.ret.ret.uuid.normalized(),
                soap_ydelse::payment_updated(
                    update,
                    kommune,
                    &format!("{root}/yi:OpdaterOekonomiskEffektueringIndeks[{}]", i + 1),
                ),
            ),
        })
        .collect();
    match mapped(kind, objects) {
        Ok(mapped) => deliver(state, system, kind, Operation::Update, mapped).await,
        Err(answer) => Ok(*answer),
    }
}

async fn fjern(
    state: &CitizenState,
    system: &DeliveringSystem,
    kind: OperationKind,
    object_type: &str,
    input: &UuidNoteInput,
) -> Result<SoapResponse, AppError> {
    let uuid = input.uuid.normalized();
    let (report, unknown) = state
        .store
        .remove_benefits(system.0.id, object_type, std::slice::from_ref(&uuid))
        .await?;
    tracing::info!(
        system = system.0.id.0,
        grants = report.grants,
        payments = report.payments,
        "benefits removed by their system over SOAP"
    );
    Ok(if unknown.is_empty() {
        status_only(kind, StatusKode::Ok, "")
    } else {
        status_only(
            kind,
            StatusKode::IkkeFundet,
            "the system has no such object by this UUID",
        )
    })
}

/// What the search's terms ask for: the recipient (`Bevillingspart` or
/// `OekonomiskEffektueringPart` by CPR or CVR), combined with OR.
fn searches_of(input: &FremsoegInput, kommune: u16) -> Result<Vec<BenefitSearch>, &'static str> {
    let expression = &input.soeg_udtryk;
    if matches!(
        expression.operation,
        Some(samspil_sf1470::ydelse::AndOr::And)
    ) && expression.led.len() > 1
    {
        return Err("one search term at a time, or several with OR");
    }
    let mut out = Vec::new();
    for led in &expression.led {
        let (part, limit) = match led {
            SoegLed::SoegBevillingIndeks(soeg) => (
                soeg.relation_liste
                    .bevillingspart
                    .iter()
                    .find_map(|r| r.relation.reference_id.as_ref())
                    .and_then(|id| id.urn().map(str::to_owned)),
                soeg.felter.maksimal_antal_kvantitet,
            ),
            SoegLed::SoegOekonomiskEffektueringIndeks(soeg) => (
                soeg.relation_liste
                    .oekonomisk_effektuering_part
                    .iter()
                    .find_map(|r| r.relation.reference_id.as_ref())
                    .and_then(|id| id.urn().map(str::to_owned)),
                soeg.felter.maksimal_antal_kvantitet,
            ),
            _ => {
                return Err(
                    "the search takes SoegBevillingIndeks and SoegOekonomiskEffektueringIndeks terms (no NOT or nesting)",
                );
            }
        };
        let Some(part) = part else {
            return Err("a search term names the recipient (its part relation's ReferenceID)");
        };
        out.push(BenefitSearch {
            kommune: Some(kommune),
            part: Some(part),
            bevilling: None,
            limit: limit.unwrap_or(100).clamp(1, 500),
        });
    }
    Ok(out)
}

async fn fremsoeg(
    state: &CitizenState,
    system: &DeliveringSystem,
    kommune: u16,
    input: &FremsoegInput,
) -> Result<SoapResponse, AppError> {
    let kind = OperationKind::YdelseFremsoeg;
    let searches = match searches_of(input, kommune) {
        Ok(searches) => searches,
        Err(message) => return Ok(status_only(kind, StatusKode::Inputfejl, message)),
    };
    let mut uuids: Vec<String> = input
        .bevilling_uuid
        .iter()
        .chain(&input.oekonomisk_effektuering_uuid)
        .map(|u| u.as_str().trim().to_ascii_lowercase())
        .collect();
    for search in &searches {
        for found in state.store.search_benefits(system.0.id, search).await? {
            uuids.push(found.uuid);
        }
    }
    uuids.sort();
    uuids.dedup();
    uuids.truncate(500);
    let mut output = FremsoegOutput {
        standard_retur: StandardRetur {
            status_kode: StatusKode::Ok,
            fejlbesked_tekst: None,
            detaljeret_fejlbesked: None,
        },
        ..Default::default()
    };
    for uuid in &uuids {
        // Each read is written to the access log by the store.
        let Some(view) = state
            .store
            .benefit_as_of(system.0.id, uuid, None, None)
            .await?
        else {
            continue;
        };
        let objekt_type = SagDokObjekt {
            uuid: Uuid::new(view.uuid.clone()).unwrap_or_default(),
        };
        match &view.record {
            BenefitRecord::Bevilling(grant) => {
                output
                    .bevilling
                    .push(samspil_sf1470::bevilling::FiltreretOejebliksbillede {
                        objekt_type,
                        registrering: vec![soap_ydelse::grant_registration(grant)],
                    })
            }
            BenefitRecord::Effektuering(payment) => {
                output
                    .effektuering
                    .push(samspil_sf1470::effektuering::FiltreretOejebliksbillede {
                        objekt_type,
                        registrering: vec![soap_ydelse::payment_registration(payment)],
                    })
            }
        }
    }
    for (element, count) in [
        (AntalElement::Bevillinger, output.bevilling.len()),
        (AntalElement::Effektueringer, output.effektuering.len()),
    ] {
        output.antal.push(Antal {
            element,
            antal: i64::try_from(count).unwrap_or(i64::MAX),
            paginering: None,
        });
    }
    Ok(SoapResponse::YdelseFremsoeg(output))
}
