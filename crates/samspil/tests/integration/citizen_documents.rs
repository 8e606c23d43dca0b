//! Documents and their journal notes through the systems' doors (issue
//! 15): a document's whole life over JSON, attached to a case another
//! system delivered, with the journal note's body kept sealed and never
//! read back; each refusal, an idempotent retry, an out-of-order update,
//! the bitemporal read-back, report mode, a system confined to its kind
//! and approved municipalities, and removal on system change counting
//! the documents — on both backends.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::citizen_cases::{
    CASE, CPR, Door, FASIT, case, fasit, rows_holding, system_of_kind, virkning,
};
use crate::harness::TestApp;

pub(crate) const ESDH: &str = "3a7e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
pub(crate) const DOCUMENT: &str = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
/// The journal note's body: kept, never shown.
pub(crate) const NOTE_BODY: &str = "Borgeren oplyser at have ondt i ryggen";

/// A whole document of the ESDH's in Aarhus: an incoming letter on
/// `CASE`, received and under work, with a journal note.
pub(crate) fn document(uuid: &str, number: &str, sender: &str) -> Value {
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": virkning("2026-01-06T09:00:00Z", None) });
    json!({
        "uuid": uuid,
        "kommune": 751,
        "registreret": "2026-01-21T10:00:00Z",
        "egenskaber": [{
            "brugervendt_noegle": number,
            "dokumentnummer": number,
            "titel": "Lægeattest",
            "type": "Brev, indgaaende",
            "brevdato": "2026-01-05",
            "foelsomhed": "FOELSOMME_PERSONOPLYSNINGER",
            "virkning": virkning("2026-01-06T09:00:00Z", None),
        }],
        "fremdrift": [
            { "status": "Modtaget", "virkning": virkning("2026-01-06T09:00:00Z", Some("2026-01-07T09:00:00Z")) },
            { "status": "Underudarbejdelse", "virkning": virkning("2026-01-07T09:00:00Z", None) },
        ],
        "relationer": [
            rel("ejer", "urn:oio:cvr-nr:55133018"),
            rel("ansvarlig", "9b1d7f0e-2c3a-4d5e-8f60-718293a4b5c6"),
            rel("part", &format!("urn:oio:cpr-nr:{CPR}")),
            rel("primaer_klasse", "32.18.04"),
            rel("master", sender),
            rel("afsender", sender),
        ],
        "journalposter": [{
            "sag": CASE,
            "rolle": "tilakteret",
            "journalnotat": { "titel": "Attest modtaget", "notat": NOTE_BODY, "format": "Text" },
            "virkning": virkning("2026-01-06T09:00:00Z", None),
        }],
    })
}

/// An update that makes the document final from 1 February.
fn finished(uuid: &str, registered: &str) -> Value {
    json!({
        "uuid": uuid,
        "kommune": 751,
        "registreret": registered,
        "fremdrift": [
            { "status": "Modtaget", "virkning": virkning("2026-01-06T09:00:00Z", Some("2026-01-07T09:00:00Z")) },
            { "status": "Underudarbejdelse", "virkning": virkning("2026-01-07T09:00:00Z", Some("2026-02-01T09:00:00Z")) },
            { "status": "Endeligt", "virkning": virkning("2026-02-01T09:00:00Z", None) },
        ],
    })
}

fn statuses(record: &Value) -> Vec<String> {
    record["fremdrift"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| p["status"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The ESDH's door (a `document` system for Aarhus, Odense waiting).
pub(crate) struct Esdh<'a>(pub(crate) Door<'a>);

impl Esdh<'_> {
    pub(crate) async fn import(
        &self,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.post("import", json!({ "records": records }), key)
            .await
    }

    pub(crate) async fn update(
        &self,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.post("opdater", json!({ "records": records }), key)
            .await
    }

    async fn post(&self, what: &str, body: Value, key: Option<&str>) -> (StatusCode, Value) {
        self.0
            .send(
                reqwest::Method::POST,
                &format!("/api/v1/borger/dokumenter/{what}"),
                Some(body),
                key,
            )
            .await
    }

    pub(crate) async fn read(&self, uuid: &str, query: &str) -> (StatusCode, Value) {
        self.0
            .send(
                reqwest::Method::GET,
                &format!("/api/v1/borger/dokumenter/{uuid}{query}"),
                None,
                None,
            )
            .await
    }
}

pub(crate) async fn esdh<'a>(
    app: &'a TestApp,
    mode: &str,
) -> (samspil_citizen_storage::SystemId, Esdh<'a>) {
    let (id, credential) = system_of_kind(app, ESDH, "esdh", "document", mode).await;
    (id, Esdh(Door { app, credential }))
}

/// Fasit delivers the case the documents are attached to.
async fn with_case(app: &TestApp) {
    let (_, fasit) = fasit(app, "strict").await;
    let (status, body) = fasit
        .import(vec![case(CASE, "KY-2026-0001", FASIT)], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_document_lives_its_whole_life_over_json_and_its_journal_note_is_never_shown() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let (id, esdh) = esdh(&app, "strict").await;

    let (status, body) = esdh
        .import(vec![document(DOCUMENT, "D-2026-0001", ESDH)], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted");

    let (status, now) = esdh.read(DOCUMENT, "").await;
    assert_eq!(status, StatusCode::OK, "{now}");
    let record = &now["record"];
    assert_eq!(record["egenskaber"][0]["titel"], "Lægeattest");
    assert_eq!(record["egenskaber"][0]["type"], "Brev, indgaaende");
    assert_eq!(record["egenskaber"][0]["brevdato"], "2026-01-05");
    assert_eq!(statuses(record), ["Modtaget", "Underudarbejdelse"]);
    let post = &record["journalposter"][0];
    assert_eq!(post["sag"], CASE);
    assert_eq!(post["journalnotat"]["titel"], "Attest modtaget");
    assert!(post["journalnotat"].get("notat").is_none(), "{post}");
    assert!(!now.to_string().contains(NOTE_BODY), "{now}");

    // Final from February; the journal post carries over, its body too
    // (still sealed, still not shown).
    let (status, body) = esdh
        .update(vec![finished(DOCUMENT, "2026-02-01T10:00:00Z")], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, now) = esdh.read(DOCUMENT, "").await;
    assert_eq!(
        statuses(&now["record"]),
        ["Modtaget", "Underudarbejdelse", "Endeligt"]
    );
    assert_eq!(now["record"]["journalposter"][0]["sag"], CASE);
    assert!(!now.to_string().contains(NOTE_BODY));

    // Bitemporal: as registered in January, valid on 6 January.
    let (_, january) = esdh
        .read(DOCUMENT, "?registreret=2026-01-25T00:00:00Z")
        .await;
    assert_eq!(january["registreret"], "2026-01-21T10:00:00Z");
    assert_eq!(
        statuses(&january["record"]),
        ["Modtaget", "Underudarbejdelse"]
    );
    let (_, then) = esdh
        .read(
            DOCUMENT,
            "?registreret=2026-03-01T00:00:00Z&virkning=2026-01-06T12:00:00Z",
        )
        .await;
    assert_eq!(statuses(&then["record"]), ["Modtaget"]);
    assert_eq!(
        esdh.read(DOCUMENT, "?registreret=2026-01-01T00:00:00Z")
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Searched by its number and by its case.
    let (_, found) = esdh
        .0
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/dokumenter/soeg",
            Some(json!({ "dokumentnummer": "D-2026-0001" })),
            None,
        )
        .await;
    assert_eq!(found[0]["uuid"], DOCUMENT, "{found}");
    let (_, found) = esdh
        .0
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/dokumenter/soeg",
            Some(json!({ "sag": CASE })),
            None,
        )
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");

    // The delivery log shows document batches as such.
    let (_, log) = esdh
        .0
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
    assert_eq!(operations, ["document-update", "document-import"]);
    // And on the staff's page of the system's deliveries, in Danish.
    let staff = app.signed_in("staff").await;
    let (status, html) = staff
        .get_text(&format!("/borger/systemer/{}/leverancer", id.0))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Import af dokumenter"), "{html}");
    assert!(html.contains("Opdatering af dokumenter"), "{html}");
    assert!(!html.contains(NOTE_BODY) && !html.contains(CPR));

    // A dump shows neither the note's body nor the party's CPR number.
    for (table, column) in [
        (
            "document_journal_posts",
            "coalesce(note_title, '') || coalesce(note_sealed, '')",
        ),
        (
            "document_relations",
            "coalesce(reference, '') || coalesce(party_sealed, '') || coalesce(party_digest, '')",
        ),
        ("document_periods", "value_json"),
        ("case_deliveries", "outcome_json"),
    ] {
        assert_eq!(
            rows_holding(&app, table, column, "ondt i ryggen").await,
            0,
            "{table}"
        );
        assert_eq!(rows_holding(&app, table, column, CPR).await, 0, "{table}");
    }
    assert_eq!(
        rows_holding(&app, "document_journal_posts", "note_sealed", "").await,
        2,
        "the body kept, sealed, in both registrations"
    );
    assert!(
        rows_holding(
            &app,
            "citizen_access_log",
            "reader",
            &format!("system:{}", id.0)
        )
        .await
            >= 4
    );
}

#[tokio::test]
async fn each_broken_rule_refuses_the_batch_with_its_field_rule_and_section() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let (_, esdh) = esdh(&app, "strict").await;
    type Mutation = Box<dyn Fn(&mut Value)>;
    let mutations: Vec<(Mutation, &str, &str, &str)> = vec![
        (
            Box::new(|d| d["egenskaber"][0]["titel"] = json!("t".repeat(256))),
            "/egenskaber/0/titel",
            "too_long",
            "03 Dokumentegenskaber [OB1]",
        ),
        (
            Box::new(|d| d["egenskaber"][0]["type"] = json!("Brev")),
            "/egenskaber/0/type",
            "unknown_document_type",
            "03 Dokumentegenskaber [OB1]",
        ),
        (
            Box::new(|d| {
                d["egenskaber"][0]
                    .as_object_mut()
                    .expect("object")
                    .remove("brevdato");
            }),
            "/egenskaber/0/brevdato",
            "letter_date_missing",
            "03 Dokumentegenskaber [OB4]",
        ),
        (
            Box::new(|d| d["egenskaber"][0]["offentlighed_undtaget"] = json!(true)),
            "/egenskaber/0/titel_alternativ_tekst",
            "alternative_title_missing",
            "03 Dokumentegenskaber [OB4]",
        ),
        (
            Box::new(|d| d["fremdrift"][1]["status"] = json!("Sendt")),
            "/fremdrift/1/status",
            "unknown_progress",
            "04 Tilstand, Fremdrift [OB1]",
        ),
        (
            Box::new(|d| {
                d["relationer"].as_array_mut().expect("list").remove(1);
            }),
            "/relationer",
            "cardinality",
            "06 Dokumentaktør, Ansvarlig [OB1]",
        ),
        (
            Box::new(|d| d["relationer"][5]["reference"] = json!(FASIT)),
            "/relationer/5/reference",
            "sender_is_not_the_caller",
            "09 IT-system, Afsender [OB1]",
        ),
        (
            Box::new(|d| {
                d["journalposter"][0]["sag"] = json!("7c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f")
            }),
            "/journalposter/0/sag",
            "unknown_case",
            "Sag 11 Journalpost [OB3]",
        ),
        (
            Box::new(|d| d["journalposter"][0]["journalnotat"]["notat"] = json!("")),
            "/journalposter/0/journalnotat/notat",
            "missing",
            "Sag 11 Journalpost, JournalnotatEgenskaber [OB4]",
        ),
    ];
    for (mutate, pointer, rule, section) in mutations {
        let mut bad = document(DOCUMENT, "D-1", ESDH);
        mutate(&mut bad);
        let good = document("6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", "D-2", ESDH);
        let (status, body) = esdh.import(vec![good, bad], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rule}: {body}");
        assert_eq!(body["records"][0]["status"], "not_written", "{rule}");
        let found = body["records"][1]["violations"]
            .as_array()
            .expect("violations")
            .iter()
            .any(|v| v["pointer"] == pointer && v["rule"] == rule && v["section"] == section);
        assert!(found, "{rule}: {body}");
        assert!(!body.to_string().contains(NOTE_BODY), "{rule}");
    }
    assert_eq!(esdh.read(DOCUMENT, "").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        esdh.read("6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", "")
            .await
            .0,
        StatusCode::NOT_FOUND,
        "nothing of a refused batch is written"
    );

    // The document number is unique per municipality; an update needs
    // the document, an import refuses one that is there.
    assert_eq!(
        esdh.import(vec![document(DOCUMENT, "D-1", ESDH)], None)
            .await
            .0,
        StatusCode::OK
    );
    let (_, body) = esdh
        .import(
            vec![document(
                "6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                "D-1",
                ESDH,
            )],
            None,
        )
        .await;
    assert_eq!(
        body["records"][0]["violations"][0]["rule"], "document_number_taken",
        "{body}"
    );
    let (_, body) = esdh
        .update(
            vec![finished(
                "6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                "2026-02-01T10:00:00Z",
            )],
            None,
        )
        .await;
    assert_eq!(
        body["records"][0]["violations"][0]["rule"], "unknown_document",
        "{body}"
    );
    let mut again = document(DOCUMENT, "D-1", ESDH);
    again["registreret"] = json!("2026-01-22T10:00:00Z");
    let (_, body) = esdh.import(vec![again], None).await;
    assert_eq!(
        body["records"][0]["violations"][0]["rule"], "document_exists",
        "{body}"
    );
    // The master never changes.
    let mut other_master = finished(DOCUMENT, "2026-02-01T10:00:00Z");
    let mut relations = document(DOCUMENT, "D-1", ESDH)["relationer"].clone();
    relations[4]["reference"] = json!("4a7e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11");
    other_master["relationer"] = relations;
    let (_, body) = esdh.update(vec![other_master], None).await;
    let rules: Vec<&str> = body["records"][0]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["rule"].as_str())
        .collect();
    assert!(rules.contains(&"master_changed"), "{body}");
}

#[tokio::test]
async fn the_same_document_batch_twice_changes_nothing_and_gets_the_same_answer() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let (_, esdh) = esdh(&app, "strict").await;
    let batch = vec![document(DOCUMENT, "D-1", ESDH)];
    let first = esdh.import(batch.clone(), Some("batch-1")).await;
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert_eq!(esdh.import(batch.clone(), Some("batch-1")).await, first);
    let third = esdh.import(batch.clone(), None).await;
    assert_eq!(third.1["records"][0]["status"], "unchanged", "{}", third.1);
    assert_eq!(esdh.import(batch.clone(), None).await, third);
    let other = esdh
        .import(
            vec![document(
                "6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                "D-2",
                ESDH,
            )],
            Some("batch-1"),
        )
        .await;
    assert_eq!(other.0, StatusCode::CONFLICT, "{}", other.1);
    assert_eq!(
        rows_holding(&app, "document_registrations", "operation", "import").await,
        1
    );
}

#[tokio::test]
async fn an_older_document_registration_arriving_late_is_history_not_the_present() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let (_, esdh) = esdh(&app, "strict").await;
    assert_eq!(
        esdh.import(vec![document(DOCUMENT, "D-1", ESDH)], None)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        esdh.update(vec![finished(DOCUMENT, "2026-02-01T10:00:00Z")], None)
            .await
            .0,
        StatusCode::OK
    );
    // Registered at the sender on 25 January, delivered only now: a new
    // title.
    let mut late =
        json!({ "uuid": DOCUMENT, "kommune": 751, "registreret": "2026-01-25T10:00:00Z" });
    late["egenskaber"] = document(DOCUMENT, "D-1", ESDH)["egenskaber"].clone();
    late["egenskaber"][0]["titel"] = json!("Lægeattest (rettet)");
    let (status, body) = esdh.update(vec![late], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, now) = esdh.read(DOCUMENT, "").await;
    assert_eq!(
        now["registreret"], "2026-02-01T10:00:00Z",
        "the present stays"
    );
    assert_eq!(now["record"]["egenskaber"][0]["titel"], "Lægeattest");
    let (_, then) = esdh
        .read(DOCUMENT, "?registreret=2026-01-26T00:00:00Z")
        .await;
    assert_eq!(
        then["record"]["egenskaber"][0]["titel"],
        "Lægeattest (rettet)"
    );
    assert_eq!(statuses(&then["record"]).len(), 2, "built on the import");
}

#[tokio::test]
async fn report_mode_takes_a_document_before_its_case_and_records_why() {
    let app = TestApp::start().await;
    let (id, esdh) = esdh(&app, "report").await;
    // No case delivered yet.
    let (status, body) = esdh
        .import(vec![document(DOCUMENT, "D-1", ESDH)], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted_with_warnings");
    assert_eq!(
        body["records"][0]["violations"][0]["rule"], "unknown_case",
        "{body}"
    );
    let log = app.citizen.deliveries(id, None, 10).await.expect("log");
    assert_eq!(log[0].status, "accepted_with_warnings");
    assert_eq!(log[0].operation, "document-import");
    // A fatal one is refused in report mode too.
    let (status, _) = esdh
        .import(vec![document("not-a-uuid", "D-2", ESDH)], None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_a_document_system_writes_documents_and_only_for_its_approved_municipalities() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let (_, esdh) = esdh(&app, "strict").await;
    for (code, rule) in [
        (461, "municipality_not_approved"),
        (101, "municipality_not_registered"),
    ] {
        let mut record = document(DOCUMENT, "D-1", ESDH);
        record["kommune"] = json!(code);
        let (status, body) = esdh.import(vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["records"][0]["violations"][0]["rule"], rule, "{body}");
    }
    // A case system delivers no documents, and the ESDH no cases.
    let fasit = Door {
        app: &app,
        credential: "samspil_test_fasit".into(),
    };
    let (status, body) = fasit
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/dokumenter/import",
            Some(json!({ "records": [document(DOCUMENT, "D-1", FASIT)] })),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["records"][0]["violations"][0]["rule"], "wrong_kind",
        "{body}"
    );
    let (status, body) = esdh
        .0
        .import(
            vec![case("8c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f", "KY-9", ESDH)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Another system's document is not there for it.
    assert_eq!(
        esdh.import(vec![document(DOCUMENT, "D-1", ESDH)], None)
            .await
            .0,
        StatusCode::OK
    );
    let (status, _) = fasit
        .send(
            reqwest::Method::GET,
            &format!("/api/v1/borger/dokumenter/{DOCUMENT}"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn removal_on_system_change_removes_the_systems_documents_and_counts_them() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let (id, esdh) = esdh(&app, "strict").await;
    let (status, body) = esdh
        .import(
            vec![
                document(DOCUMENT, "D-1", ESDH),
                document("6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", "D-2", ESDH),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report = app
        .citizen
        .remove_system_cases(id, 751, &samspil_domain::Principal::operator().actor())
        .await
        .expect("removed");
    assert_eq!(report.documents, 2);
    assert_eq!(report.cases, 0, "Fasit's case is Fasit's");
    assert_eq!(report.registrations, 2);
    assert!(report.registration_ended);
    for table in [
        "documents",
        "document_registrations",
        "document_periods",
        "document_relations",
        "document_journal_posts",
        "document_numbers",
    ] {
        assert_eq!(
            rows_holding(&app, table, "'x'", "").await,
            0,
            "{table} emptied physically"
        );
    }
    assert_eq!(esdh.read(DOCUMENT, "").await.0, StatusCode::NOT_FOUND);
    assert_eq!(rows_holding(&app, "cases", "uuid", CASE).await, 1);
    let audit = app.citizen.system_audit(id).await.expect("audit");
    assert!(
        audit[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("\"documents\":2")
    );

    // A system removes its own, and only its own.
    let (_, credential) = system_of_kind(
        &app,
        "9a7e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11",
        "esdh2",
        "document",
        "strict",
    )
    .await;
    let esdh2 = Esdh(Door {
        app: &app,
        credential,
    });
    assert_eq!(
        esdh2
            .import(
                vec![document(
                    DOCUMENT,
                    "D-1",
                    "9a7e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11"
                )],
                None
            )
            .await
            .0,
        StatusCode::OK
    );
    let (status, body) = esdh2
        .0
        .send(
            reqwest::Method::POST,
            "/api/v1/borger/dokumenter/fjern",
            Some(json!({ "uuids": [DOCUMENT, "6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"] })),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["documents"], 1);
    assert_eq!(body["unknown"][0], "6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b");
}

fn soap_record(value: Value) -> samspil_citizen::document::DocumentRecord {
    let mut record: samspil_citizen::document::DocumentRecord =
        serde_json::from_value(value).expect("a record");
    // The XSD's document carries no journal posts (the case's side does).
    record.journalposter = None;
    record
}

fn soap_import(records: &[samspil_citizen::document::DocumentRecord]) -> samspil_sf1470::Request {
    samspil_sf1470::Request::SagDokumentImporter(samspil_sf1470::sagdok::ImporterInput {
        objekter: records
            .iter()
            .map(|r| {
                samspil_sf1470::sagdok::ImporterObjekt::Dokument(
                    samspil_citizen_web::soap_dokument::document(r),
                )
            })
            .collect(),
    })
}

#[tokio::test]
async fn a_document_lives_its_life_over_soap_into_the_same_index() {
    use crate::citizen_soap::{call, codes, unik};
    use samspil_sf1470::Response;
    use samspil_sf1470::sagdok::{FremsoegInput, OpdaterInput, OpdaterObjekt};
    use samspil_sf1470::simple::Tekst;

    let app = TestApp::start().await;
    with_case(&app).await;
    let (_, esdh) = esdh(&app, "strict").await;
    let credential = esdh.0.credential.clone();

    let record = soap_record(document(DOCUMENT, "D-1", ESDH));
    let (status, response, _) = call(
        &app,
        &credential,
        &soap_import(std::slice::from_ref(&record)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(codes(&response), [20], "{response:?}");
    assert_eq!(unik(&response)[0].type_.as_str(), "Dokument");
    // The same document the JSON door reads back.
    let (_, view) = esdh.read(DOCUMENT, "").await;
    assert_eq!(view["record"]["egenskaber"][0]["type"], "Brev, indgaaende");
    assert_eq!(view["record"]["egenskaber"][0]["brevdato"], "2026-01-05");
    let party = view["record"]["relationer"]
        .as_array()
        .expect("relations")
        .iter()
        .any(|r| r["rolle"] == "part" && r["reference"] == format!("urn:oio:cpr-nr:{CPR}"));
    assert!(party, "{view}");
    // A retry changes nothing and answers the same.
    let (_, again, _) = call(
        &app,
        &credential,
        &soap_import(std::slice::from_ref(&record)),
    )
    .await;
    assert_eq!(codes(&again), [20]);

    // Final from February.
    let update = soap_record(finished(DOCUMENT, "2026-02-01T10:00:00Z"));
    let opdater = samspil_sf1470::Request::SagDokumentOpdater(OpdaterInput {
        objekter: vec![OpdaterObjekt::Dokument(
            samspil_citizen_web::soap_dokument::update(&update),
        )],
    });
    let (_, response, _) = call(&app, &credential, &opdater).await;
    assert_eq!(codes(&response), [20], "{response:?}");

    // fremsoeg answers it with its registration in force.
    let fremsoeg = samspil_sf1470::Request::SagDokumentFremsoeg(FremsoegInput {
        dokument_uuid: vec![Tekst::new(DOCUMENT).expect("text")],
        ..Default::default()
    });
    let (_, response, _) = call(&app, &credential, &fremsoeg).await;
    let Response::SagDokumentFremsoeg(output) = &response else {
        panic!("{response:?}");
    };
    assert_eq!(output.dokument.len(), 1);
    let found = samspil_sf1470::dokument::DokumentIndeks {
        uuid: output.dokument[0].objekt_type.uuid.clone(),
        registrering: output.dokument[0].registrering.clone(),
    };
    let (back, _) = samspil_citizen_web::soap_dokument::imported(&found, 751, "").expect("maps");
    let progress: Vec<String> = back
        .fremdrift
        .iter()
        .flatten()
        .map(|p| p.status.clone())
        .collect();
    assert_eq!(progress, ["Modtaget", "Underudarbejdelse", "Endeligt"]);

    // A broken rule: 40 with the rule, its section and its place.
    let mut bad = soap_record(document(
        "6e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
        "D-2",
        ESDH,
    ));
    bad.egenskaber.as_mut().expect("properties")[0].dokumenttype = "Brev".into();
    let (_, response, _) = call(&app, &credential, &soap_import(&[bad])).await;
    assert_eq!(codes(&response), [40]);
    let message = unik(&response)[0]
        .retur
        .fejlbesked_tekst
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default();
    assert!(
        message.contains("unknown_document_type")
            && message.contains("03 Dokumentegenskaber")
            && message.contains("di:AttributListe/di:Egenskaber[1]"),
        "{message}"
    );

    // A case system's document is refused for its kind.
    let (status, response, _) = call(&app, "samspil_test_fasit", &soap_import(&[record])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(codes(&response), [40], "{response:?}");
}

#[tokio::test]
async fn two_deliveries_of_one_document_at_once_do_not_both_win() {
    let app = TestApp::start().await;
    with_case(&app).await;
    let (_, esdh) = esdh(&app, "strict").await;
    let credential = std::sync::Arc::new(esdh.0.credential.clone());
    let send = |path: &'static str, record: Value| {
        let url = app.url(path);
        let credential = credential.clone();
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(credential.as_str())
                .json(&json!({ "records": [record] }))
                .send()
                .await
                .expect("answered")
                .status()
        })
    };
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let mut record = document(DOCUMENT, "D-1", ESDH);
            record["egenskaber"][0]["titel"] = json!(format!("Udgave {i}"));
            send("/api/v1/borger/dokumenter/import", record)
        })
        .collect();
    let mut accepted = 0;
    for task in tasks {
        match task.await.expect("joins") {
            StatusCode::OK => accepted += 1,
            StatusCode::UNPROCESSABLE_ENTITY => {}
            other => panic!("neither accepted nor refused: {other}"),
        }
    }
    assert_eq!(accepted, 1, "exactly one import wins");
    // Parallel updates queue on the document: each is one registration.
    let tasks: Vec<_> = (1..=6)
        .map(|day| {
            send(
                "/api/v1/borger/dokumenter/opdater",
                finished(DOCUMENT, &format!("2026-02-0{day}T10:00:00Z")),
            )
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("joins"), StatusCode::OK);
    }
    assert_eq!(
        rows_holding(&app, "document_registrations", "operation", "update").await,
        6
    );
}
