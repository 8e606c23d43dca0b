//! Cases through the systems' SOAP door (`SagDokumentIndeksService` 6,
//! issue 15): the envelopes are built from the codec's types (the WSDL's
//! `ImporterSagDokumentIndeksInput`, `OpdaterSagDokumentIndeksInput`,
//! `FjernSagDokumentIndeksInput`, `FremsoegSagDokumentIndeksInput`) and
//! written by its writer, and the answers read back by its reader: a
//! case's whole life, a refusal with its place, an idempotent retry, the
//! same result as the JSON door, malformed XML as a SOAP fault, and a
//! system confined to its own cases and municipalities — on both backends.

use reqwest::StatusCode;
use samspil_citizen::case::CaseRecord;
use samspil_citizen_web::soap_sag;
use samspil_sf1470::common::{MultipleOutput, StatusKode, UnikId, UnikRetur};
use samspil_sf1470::sagdok::{
    FjernInput, FremsoegInput, ImporterInput, ImporterObjekt, OpdaterInput, OpdaterObjekt,
};
use samspil_sf1470::simple::{Tekst, Uuid};
use samspil_sf1470::{Request, RequestHeader, Response, parse_response, write_request};
use serde_json::{Value, json};

use crate::citizen_cases::{
    CASE, CPR, Door, FASIT, MOMENTUM, case, closing, fasit, rows_holding, statuses, system,
};
use crate::harness::TestApp;

const PATH: &str = "/api/v1/borger/soap/SagDokumentIndeksService?kommune=751";

fn record(value: Value) -> CaseRecord {
    serde_json::from_value(value).expect("a record")
}

fn header(transaction: &str) -> RequestHeader {
    RequestHeader {
        transaction_uuid: samspil_sf1470::simple::Text::new(transaction).expect("text"),
    }
}

fn importer(records: &[CaseRecord]) -> Request {
    Request::SagDokumentImporter(ImporterInput {
        objekter: records
            .iter()
            .map(|r| ImporterObjekt::Sag(soap_sag::case(r)))
            .collect(),
    })
}

fn opdater(records: &[CaseRecord]) -> Request {
    Request::SagDokumentOpdater(OpdaterInput {
        objekter: records
            .iter()
            .map(|r| OpdaterObjekt::Sag(soap_sag::update(r)))
            .collect(),
    })
}

fn fjern(uuids: &[&str]) -> Request {
    Request::SagDokumentFjern(FjernInput {
        sag_uuid: uuids
            .iter()
            .map(|u| UnikId::Uuid(Uuid::new(*u).expect("uuid")))
            .collect(),
        ..Default::default()
    })
}

fn fremsoeg(uuids: &[&str]) -> Request {
    Request::SagDokumentFremsoeg(FremsoegInput {
        sag_uuid: uuids
            .iter()
            .map(|u| Tekst::new(*u).expect("text"))
            .collect(),
        ..Default::default()
    })
}

/// Posts an envelope (or raw bytes) to the door with a credential.
pub(crate) async fn post(
    app: &TestApp,
    credential: &str,
    path: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let response = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(credential)
        .header("Content-Type", "application/soap+xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("answered");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("text");
    assert!(
        content_type.starts_with("application/soap+xml"),
        "{path}: {status} {content_type} {text}"
    );
    (status, text)
}

async fn call(
    app: &TestApp,
    credential: &str,
    request: &Request,
) -> (StatusCode, Response, String) {
    let body = write_request(
        Some(&header("7d3f6f0e-2a51-4c39-9d61-3c1b0e6a9f01")),
        request,
    );
    let (status, text) = post(app, credential, PATH, body.into_bytes()).await;
    let (echo, response) = parse_response(text.as_bytes()).expect("a response of the WSDL");
    assert_eq!(
        echo.map(|h| h.transaction_uuid.as_str().to_owned())
            .as_deref(),
        Some("7d3f6f0e-2a51-4c39-9d61-3c1b0e6a9f01"),
        "the transaction is echoed"
    );
    (status, response, text)
}

fn unik(response: &Response) -> Vec<UnikRetur> {
    match response {
        Response::SagDokumentImporter(MultipleOutput::Unik(list))
        | Response::SagDokumentOpdater(MultipleOutput::Unik(list))
        | Response::SagDokumentFjern(MultipleOutput::Unik(list)) => list.clone(),
        other => panic!("a status per object expected: {other:?}"),
    }
}

fn codes(response: &Response) -> Vec<i64> {
    unik(response)
        .iter()
        .map(|r| r.retur.status_kode.code())
        .collect()
}

fn found(response: &Response) -> Vec<CaseRecord> {
    let Response::SagDokumentFremsoeg(output) = response else {
        panic!("a fremsoeg answer expected: {response:?}");
    };
    assert_eq!(output.standard_retur.status_kode, StatusKode::Ok);
    output
        .sag
        .iter()
        .map(|s| {
            // Read back through the door's own mapping: the registration
            // answered is the record delivered.
            let sag = samspil_sf1470::sag::Sag {
                uuid: s.objekt_type.uuid.clone(),
                registrering: s.registrering.clone(),
                uden_notifikation: None,
            };
            soap_sag::imported(&sag, 751, "").expect("maps").0
        })
        .collect()
}

#[tokio::test]
async fn a_case_lives_its_whole_life_over_soap() {
    let app = TestApp::start().await;
    let (id, door) = fasit(&app, "strict").await;
    let imported = record(case(CASE, "KY-2026-0001", FASIT));

    let (status, response, text) = call(
        &app,
        &door.credential,
        &importer(std::slice::from_ref(&imported)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(codes(&response), [20], "{text}");
    assert!(text.contains("ImporterSagDokumentIndeksOutput"), "{text}");
    assert!(!text.contains(CPR), "no CPR number in an answer");

    // Read back over JSON: the same case the JSON door would hold.
    let (status, now) = door.read(CASE, "").await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert_eq!(now["record"]["egenskaber"][0]["titel"], "Kontanthjælp");
    assert_eq!(statuses(&now["record"]), ["Opstaaet", "Oplyst", "Afgjort"]);
    assert_eq!(now["record"]["indeks"][0]["sagsstatus"], "Bevilget");
    let roles: Vec<&str> = now["record"]["relationer"]
        .as_array()
        .expect("relations")
        .iter()
        .map(|r| r["rolle"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        roles,
        [
            "ejer",
            "ansvarlig",
            "primaer_klasse",
            "handlingsklasse",
            "primaer_part",
            "master",
            "afsender"
        ]
    );

    // Closed over SOAP's opdater: only the progress is sent.
    let closed = record(closing(CASE, "2026-03-01T10:00:00Z"));
    let (_, response, text) = call(&app, &door.credential, &opdater(&[closed])).await;
    assert_eq!(codes(&response), [20], "{text}");
    let (_, now) = door.read(CASE, "").await;
    assert_eq!(
        statuses(&now["record"]),
        ["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"]
    );
    assert_eq!(now["record"]["egenskaber"][0]["titel"], "Kontanthjælp");

    // fremsoeg by UUID answers the registration in force, in the WSDL's
    // shape, with every group's Virkning.
    let (_, response, text) = call(&app, &door.credential, &fremsoeg(&[CASE])).await;
    let cases = found(&response);
    assert_eq!(cases.len(), 1, "{text}");
    assert_eq!(
        cases[0]
            .fremdrift
            .as_ref()
            .map(|f| f.iter().map(|p| p.status.as_str()).collect::<Vec<_>>()),
        Some(vec!["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"])
    );
    assert!(text.contains("<sag:Virkning>") || text.contains(":Virkning>"));

    // fremsoeg by the party's CPR number (in the body) finds it.
    let body = format!(
        r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>
<sdi:FremsoegSagDokumentIndeksInput xmlns:sdi="urn:oio:sts:sagdok:sagdokumentindeks:6"
  xmlns:sd="urn:oio:sagdok:3.0.0" xmlns:sag="urn:oio:sts:sagdok:sag:6" xmlns:gd="urn:oio:sts:generelledefinitioner:6">
 <sdi:SoegUdtryk><sdi:SoegSag>
   <sag:AttributListe/><sag:TilstandListe/>
   <sag:RelationListe><sag:Sagspart><gd:ReferenceID><sd:URNIdentifikator>urn:oio:cpr-nr:{CPR}</sd:URNIdentifikator></gd:ReferenceID></sag:Sagspart></sag:RelationListe>
 </sdi:SoegSag></sdi:SoegUdtryk>
</sdi:FremsoegSagDokumentIndeksInput></e:Body></e:Envelope>"#
    );
    let (status, text) = post(&app, &door.credential, PATH, body.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (_, response) = parse_response(text.as_bytes()).expect("a response");
    assert_eq!(found(&response).len(), 1, "{text}");

    // fjern removes it physically; a second fjern finds nothing (44).
    let (_, response, text) = call(&app, &door.credential, &fjern(&[CASE])).await;
    assert_eq!(codes(&response), [20], "{text}");
    assert_eq!(door.read(CASE, "").await.0, StatusCode::NOT_FOUND);
    let (_, response, _) = call(&app, &door.credential, &fjern(&[CASE])).await;
    assert_eq!(codes(&response), [44]);

    // The delivery log holds the SOAP batches like the JSON door's.
    let (_, log) = door
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    let operations: Vec<&str> = log
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["operation"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(operations, ["update", "import"]);
    for (table, column) in [
        ("case_deliveries", "outcome_json"),
        ("case_registrations", "record_hash"),
    ] {
        assert_eq!(rows_holding(&app, table, column, CPR).await, 0, "{table}");
    }
    let _ = id;
}

#[tokio::test]
async fn a_broken_rule_over_soap_is_refused_with_its_place_and_nothing_is_written() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let good = record(case(CASE, "KY-1", FASIT));
    let mut bad = record(case("1c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f", "KY-2", FASIT));
    if let Some(properties) = bad.egenskaber.as_mut() {
        properties[0].sagsnummer = "KY-3".into();
    }
    let (status, response, text) = call(&app, &door.credential, &importer(&[good, bad])).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(codes(&response), [40, 40], "{text}");
    let refused = &unik(&response)[1];
    let message = refused
        .retur
        .fejlbesked_tekst
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default();
    assert!(message.contains("case_number_differs"), "{message}");
    assert!(message.contains("03 Sagsegenskaber"), "{message}");
    assert!(
        message.contains("sdi:SagIndeks[2]/sag:Registrering/sag:AttributListe/sag:Egenskaber[1]"),
        "{message}"
    );
    assert_eq!(
        door.read(CASE, "").await.0,
        StatusCode::NOT_FOUND,
        "nothing written"
    );

    // A relation whose role the index does not know is refused at its place.
    let mut unknown = record(case(CASE, "KY-1", FASIT));
    let mut sag = soap_sag::case(&unknown);
    sag.registrering[0].relation_liste.sagspart[0].rolle = Some(UnikId::Uuid(
        Uuid::new("11111111-2222-4333-8444-555555555555").expect("uuid"),
    ));
    let request = Request::SagDokumentImporter(ImporterInput {
        objekter: vec![ImporterObjekt::Sag(sag)],
    });
    let (_, response, text) = call(&app, &door.credential, &request).await;
    assert_eq!(codes(&response), [40], "{text}");
    assert!(text.contains("unknown_role"), "{text}");
    assert!(text.contains("sag:RelationListe/sag:Sagspart[1]"), "{text}");

    // A validity beginning at infinity cannot be a record at all.
    unknown.registreret = time::macros::datetime!(2026-01-20 10:00 UTC);
    let mut sag = soap_sag::case(&unknown);
    sag.registrering[0].attribut_liste.egenskaber[0]
        .virkning
        .as_mut()
        .expect("virkning")
        .fra_tidspunkt = Some(samspil_sf1470::common::Tidspunkt::UENDELIG);
    let request = Request::SagDokumentImporter(ImporterInput {
        objekter: vec![ImporterObjekt::Sag(sag)],
    });
    let (_, response, text) = call(&app, &door.credential, &request).await;
    assert_eq!(codes(&response), [40], "{text}");
    assert!(text.contains("never infinity"), "{text}");

    // An update of a case that is not there: 44.
    let (_, response, text) = call(
        &app,
        &door.credential,
        &opdater(&[record(closing(CASE, "2026-03-01T10:00:00Z"))]),
    )
    .await;
    assert_eq!(codes(&response), [44], "{text}");
}

#[tokio::test]
async fn malformed_or_hostile_xml_and_a_missing_credential_get_soap_faults() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    for (body, expected) in [
        ("<not xml", "env:Sender"),
        ("<a/>", "env:Sender"),
        (
            r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>&a;</e:Body></e:Envelope>"#,
            "env:Sender",
        ),
        (
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>"#,
            "env:VersionMismatch",
        ),
    ] {
        let (status, text) = post(&app, &door.credential, PATH, body.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {text}");
        assert!(text.contains("<env:Fault>"), "{text}");
        assert!(text.contains(expected), "{text}");
    }
    // A schema violation inside a known operation: its response with 40.
    let body = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>
      <sdi:FjernSagDokumentIndeksInput xmlns:sdi="urn:oio:sts:sagdok:sagdokumentindeks:6">
        <sdi:Unknown/></sdi:FjernSagDokumentIndeksInput></e:Body></e:Envelope>"#;
    let (status, text) = post(&app, &door.credential, PATH, body.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(
        text.contains("FjernSagDokumentIndeksOutput") && text.contains(">40<"),
        "{text}"
    );

    // No credential, or a person's: a Sender fault with 401.
    let status = reqwest::Client::new()
        .post(app.url(PATH))
        .bearer_auth("samspil_nobody")
        .body("<x/>")
        .send()
        .await
        .expect("answered")
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A system registered for two municipalities names the one it means.
    let (status, text) = post(
        &app,
        &door.credential,
        "/api/v1/borger/soap/SagDokumentIndeksService",
        write_request(None, &fjern(&[CASE])).into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("?kommune="), "{text}");
}

#[tokio::test]
async fn a_soap_retry_changes_nothing_and_answers_the_same() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let request = importer(&[record(case(CASE, "KY-1", FASIT))]);
    let (_, first, _) = call(&app, &door.credential, &request).await;
    let (_, again, _) = call(&app, &door.credential, &request).await;
    assert_eq!(codes(&first), [20]);
    assert_eq!(first, again, "the same answer");
    let (_, log) = door
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    assert_eq!(log.as_array().map(Vec::len), Some(1), "one batch: {log}");
    let (_, found) = door.search(json!({ "sagsnummer": "KY-1" })).await;
    assert_eq!(found.as_array().map(Vec::len), Some(1));

    // The same update twice: one registration more, not two.
    let update = opdater(&[record(closing(CASE, "2026-03-01T10:00:00Z"))]);
    let (_, first, _) = call(&app, &door.credential, &update).await;
    let (_, again, _) = call(&app, &door.credential, &update).await;
    assert_eq!(codes(&first), [20]);
    assert_eq!(first, again);
    let (_, before) = door.read(CASE, "?registreret=2026-02-01T00:00:00Z").await;
    assert_eq!(
        statuses(&before["record"]),
        ["Opstaaet", "Oplyst", "Afgjort"]
    );
}

#[tokio::test]
async fn the_soap_and_json_doors_keep_one_model_and_agree() {
    let app = TestApp::start().await;
    let (_, door) = fasit(&app, "strict").await;
    let other = "3c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
    let (status, body) = door
        .import(vec![case(other, "KY-JSON", FASIT)], Some("json-1"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, response, text) = call(
        &app,
        &door.credential,
        &importer(&[record(case(CASE, "KY-SOAP", FASIT))]),
    )
    .await;
    assert_eq!(codes(&response), [20], "{text}");

    let (_, by_json) = door.read(other, "").await;
    let (_, by_soap) = door.read(CASE, "").await;
    let strip = |mut v: Value| {
        v["uuid"] = json!(null);
        v["modtaget"] = json!(null);
        v["record"]["uuid"] = json!(null);
        v["record"]["egenskaber"][0]["brugervendt_noegle"] = json!(null);
        v["record"]["egenskaber"][0]["sagsnummer"] = json!(null);
        if let Some(list) = v["record"]["relationer"].as_array_mut() {
            list.sort_by_key(|r| r["rolle"].as_str().unwrap_or_default().to_owned());
        }
        v
    };
    assert_eq!(
        strip(by_json),
        strip(by_soap),
        "one model behind both doors"
    );

    // The same rule refuses alike: a case number that is taken.
    let (_, response, text) = call(
        &app,
        &door.credential,
        &importer(&[record(case(
            "4c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f",
            "KY-JSON",
            FASIT,
        ))]),
    )
    .await;
    assert_eq!(codes(&response), [40], "{text}");
    assert!(text.contains("case_number_taken"), "{text}");
    let (status, body) = door
        .import(
            vec![case(
                "5c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f",
                "KY-SOAP",
                FASIT,
            )],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "case_number_taken"
    );

    // What SOAP imported is found by a JSON search and the other way round.
    let (_, response, _) = call(&app, &door.credential, &fremsoeg(&[other, CASE])).await;
    assert_eq!(found(&response).len(), 2);
}

#[tokio::test]
async fn a_system_over_soap_reaches_only_its_own_cases_and_municipalities() {
    let app = TestApp::start().await;
    let (_, fasit_door) = fasit(&app, "strict").await;
    let (_, momentum_secret) = system(&app, MOMENTUM, "momentum", "strict").await;
    let momentum = Door {
        app: &app,
        credential: momentum_secret,
    };
    let (_, response, _) = call(
        &app,
        &fasit_door.credential,
        &importer(&[record(case(CASE, "KY-1", FASIT))]),
    )
    .await;
    assert_eq!(codes(&response), [20]);

    // Momentum reads nothing of Fasit's case, cannot update nor remove it.
    let (_, response, _) = call(&app, &momentum.credential, &fremsoeg(&[CASE])).await;
    assert!(
        found(&response).is_empty(),
        "another system's case is not found"
    );
    let mut stolen = record(closing(CASE, "2026-03-01T10:00:00Z"));
    stolen.kommune = 751;
    let (_, response, text) = call(&app, &momentum.credential, &opdater(&[stolen])).await;
    assert_ne!(codes(&response), [20], "{text}");
    let (_, response, _) = call(&app, &momentum.credential, &fjern(&[CASE])).await;
    assert_eq!(codes(&response), [44]);
    let (_, response, _) = call(
        &app,
        &momentum.credential,
        &importer(&[record(case(CASE, "KY-9", MOMENTUM))]),
    )
    .await;
    assert_eq!(codes(&response), [49], "the UUID is another system's case");
    let (_, still) = fasit_door.read(CASE, "").await;
    assert_eq!(
        statuses(&still["record"]),
        ["Opstaaet", "Oplyst", "Afgjort"]
    );

    // Odense has not approved Fasit; Copenhagen never registered it.
    for kommune in [461, 101] {
        let mut elsewhere = record(case("6c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f", "KY-2", FASIT));
        elsewhere.kommune = kommune;
        let body = write_request(
            Some(&header("7d3f6f0e-2a51-4c39-9d61-3c1b0e6a9f01")),
            &importer(&[elsewhere]),
        );
        let (status, text) = post(
            &app,
            &fasit_door.credential,
            &format!("/api/v1/borger/soap/SagDokumentIndeksService?kommune={kommune}"),
            body.into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let (_, response) = parse_response(text.as_bytes()).expect("a response");
        assert_ne!(codes(&response), [20], "{kommune}: {text}");
    }
    let (_, found_json) = fasit_door.search(json!({ "sagsnummer": "KY-2" })).await;
    assert_eq!(
        found_json.as_array().map(Vec::len),
        Some(0),
        "nothing written elsewhere"
    );
}
