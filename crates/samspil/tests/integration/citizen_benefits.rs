//! Benefits through the systems' JSON door (issue 15, benefits): a grant
//! with its monthly payments, exact øre, each refusal, idempotent
//! retries, an out-of-order update, the bitemporal read-back, removal on
//! system change counting grants and payments, report mode, and a system
//! confined to its kind, its municipalities and its own records — on
//! both backends.

use reqwest::StatusCode;
use samspil_citizen_storage::SystemId;
use samspil_domain::Principal;
use serde_json::{Value, json};

use crate::citizen_cases::{CPR, Door, citizen_scalar, rows_holding, system_of_kind};
use crate::harness::TestApp;

pub(crate) const KY: &str = "3a3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
pub(crate) const GRANT: &str = "4a6b8c0d-2e4f-4a1b-9c3d-5e7f9a1b3c5d";
pub(crate) const CASE: &str = "0c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";

fn virkning(fra: &str) -> Value {
    json!({ "fra": fra })
}

/// A grant of cash benefit in Aarhus from February, paid monthly in
/// arrears, 12,345.56 kr. a month.
pub(crate) fn grant(uuid: &str) -> Value {
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": virkning("2026-01-05T09:00:00Z") });
    json!({ "bevilling": {
        "uuid": uuid,
        "kommune": 751,
        "registreret": "2026-01-20T10:00:00Z",
        "egenskaber": [{
            "brugervendt_noegle": "B-2026-0001",
            "startdato": "2026-02-01T00:00:00Z",
            "slutdato": "2026-12-31T00:00:00Z",
            "begrundelse": "Lov om aktiv socialpolitik § 11",
            "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER",
            "virkning": virkning("2026-01-05T09:00:00Z"),
        }],
        "ydelser": [{
            "id": "KH-1",
            "navn": "Kontanthjælp",
            "kle": "32.18.04",
            "startdato": "2026-02-01T00:00:00Z",
            "plan": [{
                "id": "P-1",
                "startdato": "2026-02-01T00:00:00Z",
                "frekvens": "Maanedlig",
                "forud_bagud": "Bagud",
                "dispositionsdag": "Sidste bankdag",
                "ydelsesbeloeb": "12345.56",
            }],
            "virkning": virkning("2026-01-05T09:00:00Z"),
        }],
        "relationer": [
            rel("sag", CASE),
            rel("part", &format!("urn:oio:cpr-nr:{CPR}")),
            rel("ejer", "urn:oio:cvr-nr:55133018"),
        ],
    }})
}

/// The payment for a month (2 = February) of the grant's benefit KH-1:
/// 1,234.56 kr. gross, 876.54 after tax and ATP, sent for payment.
pub(crate) fn payment(uuid: &str, grant: &str, month: u8) -> Value {
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": virkning("2026-01-20T09:00:00Z") });
    json!({ "effektuering": {
        "uuid": uuid,
        "kommune": 751,
        "registreret": format!("2026-{month:02}-27T10:00:00Z"),
        "egenskaber": [{
            "startdato": format!("2026-{month:02}-01T00:00:00Z"),
            "slutdato": format!("2026-{month:02}-28T00:00:00Z"),
            "bruttobeloeb": "1234.56",
            "efter_skat_atp": "876.54",
            "sendt_til_udbetaling": "876.54",
            "dispositionsdato": format!("2026-{month:02}-27T00:00:00Z"),
            "udbetalingsafdeling": "Kommune",
            "virkning": virkning(&format!("2026-{month:02}-27T09:00:00Z")),
        }],
        "relationer": [
            rel("bevilling", &format!("{grant}:KH-1")),
            rel("part", &format!("urn:oio:cpr-nr:{CPR}")),
        ],
    }})
}

pub(crate) const FEBRUARY: &str = "7d9e1f3a-5b7c-4d9e-8f1a-3b5c7d9e1f3a";
pub(crate) const MARCH: &str = "8d9e1f3a-5b7c-4d9e-8f1a-3b5c7d9e1f3a";

/// The benefit door's calls.
pub(crate) struct BenefitDoor<'a>(pub(crate) Door<'a>);

impl BenefitDoor<'_> {
    pub(crate) async fn import(
        &self,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.post(
            "/api/v1/borger/ydelser/import",
            json!({ "records": records }),
            key,
        )
        .await
    }

    pub(crate) async fn update(
        &self,
        records: Vec<Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.post(
            "/api/v1/borger/ydelser/opdater",
            json!({ "records": records }),
            key,
        )
        .await
    }

    pub(crate) async fn post(
        &self,
        path: &str,
        body: Value,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.0
            .send(reqwest::Method::POST, path, Some(body), key)
            .await
    }

    pub(crate) async fn read(&self, uuid: &str, query: &str) -> (StatusCode, Value) {
        self.0
            .send(
                reqwest::Method::GET,
                &format!("/api/v1/borger/ydelser/{uuid}{query}"),
                None,
                None,
            )
            .await
    }
}

/// KY, a benefit system registered for Aarhus (approved) and Odense
/// (waiting).
pub(crate) async fn ky<'a>(app: &'a TestApp, mode: &str) -> (SystemId, BenefitDoor<'a>) {
    let (id, credential) = system_of_kind(app, KY, "ky", "benefit", mode).await;
    (id, BenefitDoor(Door { app, credential }))
}

fn rules(body: &Value, record: usize) -> Vec<(String, String)> {
    body["records"][record]["violations"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|v| {
                    (
                        v["pointer"].as_str().unwrap_or_default().to_owned(),
                        v["rule"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The stored gross amounts in øre, as the overview would sum them.
pub(crate) async fn gross_oere(app: &TestApp) -> i64 {
    citizen_scalar(
        app,
        "SELECT CAST(coalesce(sum(gross_oere), 0) AS BIGINT) FROM benefit_periods",
    )
    .await
}

#[tokio::test]
async fn a_grant_with_monthly_payments_lives_over_json_and_reads_back_as_it_was() {
    let app = TestApp::start().await;
    let (id, door) = ky(&app, "strict").await;

    // The grant and its first payment in one batch: the payment finds
    // the grant before it.
    let (status, body) = door
        .import(vec![grant(GRANT), payment(FEBRUARY, GRANT, 2)], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted");
    let (status, body) = door.import(vec![payment(MARCH, GRANT, 3)], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Exact øre: "1234.56" is 123,456 øre in the amounts' column.
    assert_eq!(gross_oere(&app).await, 2 * 123_456);
    let (status, now) = door.read(FEBRUARY, "").await;
    assert_eq!(status, StatusCode::OK, "{now}");
    let paid = &now["record"]["effektuering"]["egenskaber"][0];
    assert_eq!(paid["bruttobeloeb"], "1234.56");
    assert_eq!(paid["efter_skat_atp"], "876.54");
    assert_eq!(paid["udbetalingsafdeling"], "Kommune");
    let (_, granted) = door.read(GRANT, "").await;
    let benefit = &granted["record"]["bevilling"]["ydelser"][0];
    assert_eq!(benefit["plan"][0]["ydelsesbeloeb"], "12345.56");
    assert_eq!(benefit["kle"], "32.18.04");
    let recipient = granted["record"]["bevilling"]["relationer"]
        .as_array()
        .expect("relations")
        .iter()
        .find(|r| r["rolle"] == "part")
        .expect("a recipient")
        .clone();
    assert_eq!(recipient["reference"], format!("urn:oio:cpr-nr:{CPR}"));

    // Paid out on 2 March: an update of February's payment.
    let mut paid_out = payment(FEBRUARY, GRANT, 2);
    let properties = &mut paid_out["effektuering"]["egenskaber"][0];
    properties["udbetalt"] = json!("876.54");
    properties["virkning"] = virkning("2026-03-02T09:00:00Z");
    paid_out["effektuering"]["registreret"] = json!("2026-03-02T10:00:00Z");
    paid_out["effektuering"]
        .as_object_mut()
        .expect("object")
        .remove("relationer");
    let (status, body) = door.update(vec![paid_out], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, now) = door.read(FEBRUARY, "").await;
    let record = &now["record"]["effektuering"];
    assert_eq!(record["egenskaber"][0]["udbetalt"], "876.54");
    assert_eq!(
        record["relationer"].as_array().map(Vec::len),
        Some(2),
        "relations carried over: {now}"
    );

    // As registered on 1 March: not paid out yet; valid before the
    // update's validity began: nothing then.
    let (_, before) = door
        .read(FEBRUARY, "?registreret=2026-03-01T00:00:00Z")
        .await;
    assert_eq!(before["registreret"], "2026-02-27T10:00:00Z");
    assert!(
        before["record"]["effektuering"]["egenskaber"][0]
            .get("udbetalt")
            .is_none(),
        "{before}"
    );
    let (_, then) = door.read(FEBRUARY, "?virkning=2026-03-01T00:00:00Z").await;
    assert_eq!(
        then["record"]["effektuering"]["egenskaber"]
            .as_array()
            .map(Vec::len),
        Some(0),
        "{then}"
    );
    let (status, _) = door
        .read(FEBRUARY, "?registreret=2026-01-01T00:00:00Z")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not registered yet then");

    // Searched by the recipient's CPR number (in a body) and by grant.
    let (_, found) = door
        .post(
            "/api/v1/borger/ydelser/soeg",
            json!({ "part": format!("urn:oio:cpr-nr:{CPR}") }),
            None,
        )
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(3), "{found}");
    let (_, found) = door
        .post(
            "/api/v1/borger/ydelser/soeg",
            json!({ "bevilling": GRANT }),
            None,
        )
        .await;
    let mut types: Vec<&str> = found
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| f["object_type"].as_str().unwrap_or_default())
        .collect();
    types.sort_unstable();
    assert_eq!(types, ["grant", "payment", "payment"]);

    // The benefit batches are in the one delivery log.
    let (_, log) = door
        .0
        .send(
            reqwest::Method::GET,
            "/api/v1/borger/leverancer",
            None,
            None,
        )
        .await;
    let log = log.as_array().expect("a list").clone();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["operation"], "benefit-update");
    assert!(log.iter().all(|entry| entry["status"] == "accepted"));

    // A dump does not list the CPR number; every read was logged.
    for (table, column) in [
        (
            "benefit_relations",
            "coalesce(reference, '') || coalesce(party_sealed, '') || coalesce(party_digest, '')",
        ),
        ("benefit_periods", "value_json"),
        ("case_deliveries", "outcome_json"),
        ("benefit_registrations", "record_hash"),
    ] {
        assert_eq!(rows_holding(&app, table, column, CPR).await, 0, "{table}");
    }
    assert!(
        rows_holding(
            &app,
            "citizen_access_log",
            "reader",
            &format!("system:{}", id.0)
        )
        .await
            >= 10
    );
}

/// A change that breaks one rule of a valid record.
type Mutation = Box<dyn Fn(&mut Value)>;

#[tokio::test]
async fn each_broken_rule_refuses_the_whole_batch_with_where_what_and_which_section() {
    let app = TestApp::start().await;
    let (_, door) = ky(&app, "strict").await;
    let mut bad = payment(FEBRUARY, GRANT, 2);
    bad["effektuering"]["egenskaber"][0]["efter_skat_atp"] = json!("1234.57");
    let (status, body) = door.import(vec![grant(GRANT), bad], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["status"], "refused");
    assert_eq!(body["records"][0]["status"], "not_written");
    assert_eq!(body["records"][1]["status"], "refused");
    let violation = &body["records"][1]["violations"][0];
    assert_eq!(violation["pointer"], "/egenskaber/0/efter_skat_atp");
    assert_eq!(violation["rule"], "amount_exceeds");
    assert_eq!(
        violation["section"],
        "OekonomiskEffektueringIndeks, Egenskaber"
    );
    assert_eq!(
        door.read(GRANT, "").await.0,
        StatusCode::NOT_FOUND,
        "nothing written"
    );

    let grant_rules: Vec<(Mutation, &str, &str)> = vec![
        (
            Box::new(|g| g["bevilling"]["ydelser"][0]["kle"] = json!("32.18")),
            "/ydelser/0/kle",
            "not_a_kle_subject",
        ),
        (
            Box::new(|g| g["bevilling"]["ydelser"][0]["plan"][0]["ydelsesbeloeb"] = json!("-1.00")),
            "/ydelser/0/plan/0/ydelsesbeloeb",
            "negative_amount",
        ),
        (
            Box::new(|g| g["bevilling"]["egenskaber"][0]["foelsomhed"] = json!("HEMMELIG")),
            "/egenskaber/0/foelsomhed",
            "unknown_sensitivity",
        ),
        (
            Box::new(|g| {
                g["bevilling"]["egenskaber"][0]["slutdato"] = json!("2026-01-01T00:00:00Z")
            }),
            "/egenskaber/0/slutdato",
            "period_reversed",
        ),
        (
            Box::new(|g| {
                g["bevilling"]["relationer"]
                    .as_array_mut()
                    .expect("list")
                    .remove(1);
            }),
            "/relationer",
            "cardinality",
        ),
        (
            Box::new(|g| {
                g["bevilling"]
                    .as_object_mut()
                    .expect("object")
                    .remove("ydelser");
            }),
            "/ydelser",
            "missing_on_import",
        ),
        (
            Box::new(|g| g["bevilling"]["uuid"] = json!("not-a-uuid")),
            "/uuid",
            "not_a_uuid",
        ),
    ];
    for (mutate, pointer, rule) in grant_rules {
        let mut record = grant(GRANT);
        mutate(&mut record);
        let (status, body) = door.import(vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rule}: {body}");
        assert!(
            rules(&body, 0).contains(&(pointer.to_owned(), rule.to_owned())),
            "{rule}: {body}"
        );
    }
    let payment_rules: Vec<(Mutation, &str, &str)> = vec![
        (
            Box::new(|p| {
                p["effektuering"]["egenskaber"][0]["udbetalingsafdeling"] = json!("Banken")
            }),
            "/egenskaber/0/udbetalingsafdeling",
            "unknown_paying_unit",
        ),
        (
            Box::new(|p| p["effektuering"]["egenskaber"][0]["bruttobeloeb"] = json!("-0.01")),
            "/egenskaber/0/bruttobeloeb",
            "negative_amount",
        ),
        (
            Box::new(|p| {
                p["effektuering"]["relationer"][0]["reference"] = json!(format!("{GRANT}:KH-9"))
            }),
            "/relationer/0/reference",
            "unknown_granted_benefit",
        ),
    ];
    for (mutate, pointer, rule) in payment_rules {
        let mut record = payment(FEBRUARY, GRANT, 2);
        mutate(&mut record);
        let (status, body) = door.import(vec![grant(GRANT), record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rule}: {body}");
        assert!(
            rules(&body, 1).contains(&(pointer.to_owned(), rule.to_owned())),
            "{rule}: {body}"
        );
    }

    // An amount is decimal text in whole øre, never a JSON number.
    for amount in [json!(1234.56), json!("1234.567"), json!("1.234,56")] {
        let mut record = payment(FEBRUARY, GRANT, 2);
        record["effektuering"]["egenskaber"][0]["bruttobeloeb"] = amount.clone();
        let (status, body) = door.import(vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}: {body}");
        assert_eq!(body["error"]["code"], "invalid", "{body}");
        assert!(!body.to_string().contains(CPR), "{body}");
    }
    let (status, body) = door.import(vec![grant(GRANT)], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// With KL's plan imported, a benefit's class must be a subject active
/// when the benefit begins.
#[tokio::test]
async fn a_benefits_kle_class_must_be_an_active_subject_of_the_imported_plan() {
    let app = TestApp::start().await;
    let (_, door) = ky(&app, "strict").await;
    let plan = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../citizen/samspil-citizen/tests/fixtures/KLE-Emneplan_Version2-0_2015-08-01.xml");
    let (code, _, stderr) = crate::cli::run(crate::cli::samspil().args([
        "import",
        "kle",
        plan.to_str().expect("a path"),
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    for (class, rule) in [
        ("15.02.05", "kle_subject_not_active"),
        ("99.99.99", "unknown_kle_subject"),
    ] {
        let mut record = grant(GRANT);
        record["bevilling"]["ydelser"][0]["kle"] = json!(class);
        let (status, body) = door.import(vec![record], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{class}: {body}");
        assert_eq!(
            rules(&body, 0),
            [("/ydelser/0/kle".to_owned(), rule.to_owned())]
        );
    }
    let (status, body) = door.import(vec![grant(GRANT)], None).await;
    assert_eq!(status, StatusCode::OK, "32.18.04 is active: {body}");
}

#[tokio::test]
async fn a_retried_batch_changes_nothing_and_answers_the_same() {
    let app = TestApp::start().await;
    let (_, door) = ky(&app, "strict").await;
    let batch = vec![grant(GRANT), payment(FEBRUARY, GRANT, 2)];
    let (_, first) = door.import(batch.clone(), None).await;
    let (status, again) = door.import(batch.clone(), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first, again, "the same answer");
    let (_, keyed) = door.import(batch.clone(), Some("batch-1")).await;
    assert_eq!(keyed["records"][0]["status"], "unchanged", "{keyed}");
    let (_, keyed_again) = door.import(batch, Some("batch-1")).await;
    assert_eq!(keyed, keyed_again);
    let (status, _) = door.import(vec![grant(GRANT)], Some("batch-1")).await;
    assert_eq!(status, StatusCode::CONFLICT, "the key names another batch");
    assert_eq!(
        rows_holding(&app, "benefit_registrations", "operation", "import").await,
        2,
        "each object registered once"
    );
}

#[tokio::test]
async fn an_older_update_arriving_late_is_placed_in_history_not_over_the_present() {
    let app = TestApp::start().await;
    let (_, door) = ky(&app, "strict").await;
    door.import(vec![grant(GRANT), payment(FEBRUARY, GRANT, 2)], None)
        .await;
    let sent = |registered: &str, paid: &str| {
        let mut record = payment(FEBRUARY, GRANT, 2);
        record["effektuering"]["registreret"] = json!(registered);
        record["effektuering"]["egenskaber"][0]["udbetalt"] = json!(paid);
        record
    };
    let (status, body) = door
        .update(vec![sent("2026-03-05T10:00:00Z", "876.54")], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Registered on 3 March at the sender, it arrives after the 5 March one.
    let (status, body) = door
        .update(vec![sent("2026-03-03T10:00:00Z", "800.00")], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, now) = door.read(FEBRUARY, "").await;
    assert_eq!(now["registreret"], "2026-03-05T10:00:00Z");
    assert_eq!(
        now["record"]["effektuering"]["egenskaber"][0]["udbetalt"],
        "876.54"
    );
    let (_, then) = door
        .read(FEBRUARY, "?registreret=2026-03-04T00:00:00Z")
        .await;
    assert_eq!(then["registreret"], "2026-03-03T10:00:00Z");
    assert_eq!(
        then["record"]["effektuering"]["egenskaber"][0]["udbetalt"],
        "800.00"
    );
}

#[tokio::test]
async fn report_mode_accepts_a_broken_rule_and_records_it() {
    let app = TestApp::start().await;
    let (_, door) = ky(&app, "report").await;
    let mut record = payment(FEBRUARY, GRANT, 2);
    record["effektuering"]["egenskaber"][0]["udbetalingsafdeling"] = json!("ATP");
    let (status, body) = door.import(vec![record], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted_with_warnings");
    let found = rules(&body, 0);
    assert!(
        found.contains(&(
            "/egenskaber/0/udbetalingsafdeling".into(),
            "unknown_paying_unit".into()
        )),
        "{body}"
    );
    assert!(
        found.contains(&(
            "/relationer/0/reference".into(),
            "unknown_granted_benefit".into()
        )),
        "the grant is not there yet: {body}"
    );
    assert_eq!(
        rows_holding(&app, "case_violations", "rule", "unknown_paying_unit").await,
        1
    );
    assert_eq!(door.read(FEBRUARY, "").await.0, StatusCode::OK);
    // A fatal rule is refused in report mode too.
    let mut record = grant(GRANT);
    record["bevilling"]["uuid"] = json!("not-a-uuid");
    let (status, _) = door.import(vec![record], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_system_writes_only_its_kind_its_municipalities_and_its_own_records() {
    let app = TestApp::start().await;
    let (_, door) = ky(&app, "strict").await;
    for (kommune, rule) in [
        (461, "municipality_not_approved"),
        (101, "municipality_not_registered"),
    ] {
        let mut record = grant(GRANT);
        record["bevilling"]["kommune"] = json!(kommune);
        let (status, body) = door.import(vec![record], None).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kommune}: {body}"
        );
        assert_eq!(body["records"][0]["violations"][0]["rule"], rule, "{body}");
        assert!(!body.to_string().contains(CPR));
    }

    // A case system may not deliver benefits.
    let (_, credential) =
        system_of_kind(&app, crate::citizen_cases::FASIT, "fasit", "case", "strict").await;
    let cases = BenefitDoor(Door {
        app: &app,
        credential,
    });
    let (status, body) = cases.import(vec![grant(GRANT)], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["records"][0]["violations"][0]["rule"], "wrong_kind");

    // Another benefit system neither reads nor updates KY's grant.
    assert_eq!(
        door.import(vec![grant(GRANT)], None).await.0,
        StatusCode::OK
    );
    let (_, credential) = system_of_kind(
        &app,
        "5a3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11",
        "other",
        "benefit",
        "strict",
    )
    .await;
    let other = BenefitDoor(Door {
        app: &app,
        credential,
    });
    assert_eq!(other.read(GRANT, "").await.0, StatusCode::NOT_FOUND);
    let (status, body) = other.import(vec![grant(GRANT)], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "not_this_systems_object"
    );
    let (_, found) = other
        .post(
            "/api/v1/borger/ydelser/soeg",
            json!({ "bevilling": GRANT }),
            None,
        )
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(0));
    let (_, removed) = other
        .post(
            "/api/v1/borger/ydelser/fjern",
            json!({ "objekttype": "bevilling", "uuids": [GRANT] }),
            None,
        )
        .await;
    assert_eq!(removed["grants"], 0);
    assert_eq!(removed["unknown"], json!([GRANT]));
    assert_eq!(door.read(GRANT, "").await.0, StatusCode::OK);
}

#[tokio::test]
async fn removal_on_system_change_removes_grants_and_payments_in_one_go_and_counts_them() {
    let app = TestApp::start().await;
    let (id, door) = ky(&app, "strict").await;
    let (status, body) = door
        .import(
            vec![
                grant(GRANT),
                payment(FEBRUARY, GRANT, 2),
                payment(MARCH, GRANT, 3),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.citizen.count_benefits(id, 751).await.expect("counts"),
        (1, 2)
    );

    // The system removes one payment of its own (the index's fjern).
    let (status, body) = door
        .post(
            "/api/v1/borger/ydelser/fjern",
            json!({ "objekttype": "effektuering", "uuids": [MARCH, GRANT] }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["payments"], 1);
    assert_eq!(body["unknown"], json!([GRANT]), "a grant is not a payment");

    // The staff page says what goes.
    let staff = app.signed_in("staff").await;
    let (status, html) = staff
        .get_text(&format!("/borger/systemer/{}/kommuner/751/fjern", id.0))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("1 bevillinger og 1 udbetalinger slettes med hele deres historik."),
        "{html}"
    );

    let report = app
        .citizen
        .remove_system_cases(id, 751, &Principal::operator().actor())
        .await
        .expect("removed");
    assert_eq!((report.grants, report.payments), (1, 1));
    assert_eq!(report.registrations, 2);
    assert!(report.registration_ended);
    for (table, column) in [
        ("benefit_objects", "uuid"),
        ("benefit_registrations", "operation"),
        ("benefit_periods", "value_json"),
        ("benefit_relations", "role"),
    ] {
        assert_eq!(rows_holding(&app, table, column, "").await, 0, "{table}");
    }
    let audit = app.citizen.system_audit(id).await.expect("audit");
    assert_eq!(audit[0].action, "vendor_system.remove_on_system_change");
    assert!(
        audit[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("\"grants\":1"),
        "{:?}",
        audit[0].detail
    );
    let (_, body) = door.import(vec![grant(GRANT)], None).await;
    assert_eq!(
        body["records"][0]["violations"][0]["rule"],
        "municipality_not_registered"
    );
}

// ---- the benefit index's SOAP doors ----

mod soap {
    use reqwest::StatusCode;
    use samspil_citizen::benefit::{BenefitRecord, GrantRecord, PaymentRecord};
    use samspil_citizen_web::soap_ydelse;
    use samspil_sf1470::common::{MultipleOutput, StatusKode, UuidNoteInput};
    use samspil_sf1470::simple::{Text, Uuid};
    use samspil_sf1470::ydelse::{
        FremsoegInput, ImporterInput, ImporterObjekt, OpdaterInput, OpdaterObjekt, SoegUdtryk,
    };
    use samspil_sf1470::{Request, RequestHeader, Response, parse_response, write_request};
    use serde_json::Value;

    use super::{FEBRUARY, GRANT, MARCH, grant, gross_oere, ky, payment};
    use crate::citizen_soap::post;
    use crate::harness::TestApp;

    const YDELSE: &str = "/api/v1/borger/soap/YdelseIndeksService?kommune=751";
    const BEVILLING: &str = "/api/v1/borger/soap/BevillingIndeksService?kommune=751";

    fn grant_record(value: Value) -> GrantRecord {
        match serde_json::from_value(value).expect("a record") {
            BenefitRecord::Bevilling(g) => g,
            BenefitRecord::Effektuering(_) => panic!("a grant expected"),
        }
    }

    fn payment_record(value: Value) -> PaymentRecord {
        match serde_json::from_value(value).expect("a record") {
            BenefitRecord::Effektuering(p) => p,
            BenefitRecord::Bevilling(_) => panic!("a payment expected"),
        }
    }

    fn importer(grants: &[GrantRecord], payments: &[PaymentRecord]) -> Request {
        let mut objekter: Vec<ImporterObjekt> = grants
            .iter()
            .map(|g| {
                ImporterObjekt::Bevilling(samspil_sf1470::bevilling::ImportInput {
                    bevilling_indeks: soap_ydelse::grant(g),
                })
            })
            .collect();
        objekter.extend(payments.iter().map(|p| {
            ImporterObjekt::Effektuering(samspil_sf1470::effektuering::ImportInput {
                oekonomisk_effektuering_indeks: soap_ydelse::payment(p),
            })
        }));
        Request::YdelseImporter(ImporterInput { objekter })
    }

    async fn call(
        app: &TestApp,
        credential: &str,
        path: &str,
        request: &Request,
    ) -> (StatusCode, Response) {
        let header = RequestHeader {
            transaction_uuid: Text::new("8d3f6f0e-2a51-4c39-9d61-3c1b0e6a9f01").expect("text"),
        };
        let body = write_request(Some(&header), request);
        let (status, text) = post(app, credential, path, body.into_bytes()).await;
        let (echo, response) = parse_response(text.as_bytes()).expect("a response of the WSDL");
        assert!(echo.is_some(), "the transaction is echoed");
        (status, response)
    }

    /// Each object's (type, status code, message).
    fn unik(response: &Response) -> Vec<(String, i64, String)> {
        match response {
            Response::YdelseImporter(MultipleOutput::Unik(list))
            | Response::YdelseOpdater(MultipleOutput::Unik(list)) => list
                .iter()
                .map(|r| {
                    (
                        r.type_.as_str().to_owned(),
                        r.retur.status_kode.code(),
                        r.retur
                            .fejlbesked_tekst
                            .as_ref()
                            .map(|t| t.as_str().to_owned())
                            .unwrap_or_default(),
                    )
                })
                .collect(),
            other => panic!("a status per object expected: {other:?}"),
        }
    }

    fn status(response: &Response) -> i64 {
        match response {
            Response::BevillingFjern(out) | Response::EffektueringFjern(out) => {
                out.standard_retur.status_kode.code()
            }
            Response::YdelseFremsoeg(out) => out.standard_retur.status_kode.code(),
            other => panic!("a standard answer expected: {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_grant_with_monthly_payments_lives_over_soap() {
        let app = TestApp::start().await;
        let (_, door) = ky(&app, "strict").await;
        let credential = door.0.credential.clone();
        let import = importer(
            &[grant_record(grant(GRANT))],
            &[
                payment_record(payment(FEBRUARY, GRANT, 2)),
                payment_record(payment(MARCH, GRANT, 3)),
            ],
        );
        let (code, response) = call(&app, &credential, YDELSE, &import).await;
        assert_eq!(code, StatusCode::OK);
        let answers = unik(&response);
        assert_eq!(
            answers
                .iter()
                .map(|(t, c, _)| (t.as_str(), *c))
                .collect::<Vec<_>>(),
            [
                ("Bevilling", 20),
                ("OekonomiskEffektuering", 20),
                ("OekonomiskEffektuering", 20)
            ],
            "{answers:?}"
        );
        // The same model as the JSON door: exact øre, the recipient kept.
        assert_eq!(gross_oere(&app).await, 2 * 123_456);
        let (_, read) = door.read(FEBRUARY, "").await;
        assert_eq!(
            read["record"]["effektuering"]["egenskaber"][0]["bruttobeloeb"],
            "1234.56"
        );
        let (_, read) = door.read(GRANT, "").await;
        assert_eq!(
            read["record"]["bevilling"]["ydelser"][0]["plan"][0]["ydelsesbeloeb"],
            "12345.56"
        );
        assert_eq!(read["record"]["bevilling"]["ydelser"][0]["kle"], "32.18.04");

        // The same request again: nothing changes, the same answer.
        let (_, again) = call(&app, &credential, YDELSE, &import).await;
        assert_eq!(
            unik(&again).iter().map(|(_, c, _)| *c).collect::<Vec<_>>(),
            [20, 20, 20]
        );

        // Paid out: opdater of February's payment.
        let mut paid = payment_record(payment(FEBRUARY, GRANT, 2));
        paid.registreret = time::macros::datetime!(2026-03-02 10:00 UTC);
        paid.egenskaber.as_mut().expect("properties")[0].udbetalt =
            Some(samspil_citizen::benefit::Oere(87_654));
        paid.relationer = None;
        let update = Request::YdelseOpdater(OpdaterInput {
            objekter: vec![OpdaterObjekt::Effektuering(soap_ydelse::payment_update(
                &paid,
            ))],
        });
        let (_, response) = call(&app, &credential, YDELSE, &update).await;
        assert_eq!(unik(&response)[0].1, 20, "{response:?}");
        let (_, read) = door.read(FEBRUARY, "").await;
        let record = &read["record"]["effektuering"];
        assert_eq!(record["egenskaber"][0]["udbetalt"], "876.54");
        assert_eq!(record["relationer"].as_array().map(Vec::len), Some(2));

        // A broken rule: 40 with the rule, the section and the place.
        let mut bad = payment_record(payment("9d9e1f3a-5b7c-4d9e-8f1a-3b5c7d9e1f3a", GRANT, 4));
        bad.egenskaber.as_mut().expect("properties")[0].efter_skat_atp =
            Some(samspil_citizen::benefit::Oere(123_457));
        let (_, response) = call(&app, &credential, YDELSE, &importer(&[], &[bad])).await;
        let (_, code, message) = &unik(&response)[0];
        assert_eq!(*code, 40);
        assert!(message.contains("amount_exceeds"), "{message}");
        assert!(
            message.contains("oef:AttributListe/oef:Egenskaber[1]"),
            "{message}"
        );
        // An update of what is not there: 44.
        let mut unknown = paid.clone();
        unknown.uuid = "ad9e1f3a-5b7c-4d9e-8f1a-3b5c7d9e1f3a".into();
        let update = Request::YdelseOpdater(OpdaterInput {
            objekter: vec![OpdaterObjekt::Effektuering(soap_ydelse::payment_update(
                &unknown,
            ))],
        });
        let (_, response) = call(&app, &credential, YDELSE, &update).await;
        assert_eq!(unik(&response)[0].1, 44);

        // fremsoeg by UUID: the grant and a payment, read back through the
        // door's own mapping.
        let search = Request::YdelseFremsoeg(FremsoegInput {
            bevilling_uuid: vec![Text::new(GRANT).expect("text")],
            oekonomisk_effektuering_uuid: vec![Text::new(FEBRUARY).expect("text")],
            soeg_udtryk: SoegUdtryk::default(),
            filter: None,
            sortering: None,
        });
        let (_, response) = call(&app, &credential, YDELSE, &search).await;
        let Response::YdelseFremsoeg(found) = &response else {
            panic!("{response:?}");
        };
        assert_eq!(found.standard_retur.status_kode, StatusKode::Ok);
        assert_eq!((found.bevilling.len(), found.effektuering.len()), (1, 1));
        let payment_back = samspil_sf1470::effektuering::OekonomiskEffektueringIndeks {
            uuid: found.effektuering[0].objekt_type.uuid.clone(),
            registrering: found.effektuering[0].registrering.clone(),
        };
        let (back, _) = soap_ydelse::payment_imported(&payment_back, 751, "").expect("maps");
        let BenefitRecord::Effektuering(back) = back else {
            unreachable!()
        };
        assert_eq!(back.egenskaber, paid.egenskaber);

        // fjern of the grant at its own service's address: 20, then 44.
        let fjern = Request::BevillingFjern(UuidNoteInput {
            uuid: Uuid::new(GRANT).expect("uuid"),
            note_tekst: None,
        });
        let (_, response) = call(&app, &credential, BEVILLING, &fjern).await;
        assert_eq!(status(&response), 20);
        let (_, response) = call(&app, &credential, BEVILLING, &fjern).await;
        assert_eq!(status(&response), 44);
        assert_eq!(door.read(GRANT, "").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn malformed_xml_or_another_services_operation_gets_a_soap_fault() {
        let app = TestApp::start().await;
        let (_, door) = ky(&app, "strict").await;
        let credential = door.0.credential.clone();
        for body in ["<not xml", "<a/>"] {
            let (status, text) = post(&app, &credential, YDELSE, body.as_bytes().to_vec()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
            assert!(
                text.contains("<env:Fault>") && text.contains("env:Sender"),
                "{text}"
            );
        }
        let fjern = Request::BevillingFjern(UuidNoteInput {
            uuid: Uuid::new(GRANT).expect("uuid"),
            note_tekst: None,
        });
        let (status, text) = post(
            &app,
            &credential,
            YDELSE,
            write_request(None, &fjern).into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains("BevillingIndeksService"), "{text}");
        // A grant at the cases' address is not a case.
        let import = importer(&[grant_record(grant(GRANT))], &[]);
        let (status, text) = post(
            &app,
            &credential,
            "/api/v1/borger/soap/SagDokumentIndeksService?kommune=751",
            write_request(None, &import).into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    }
}

/// Parallel requests: two imports of one grant never both win, and
/// parallel updates of one payment queue on it, each one registration.
#[tokio::test]
async fn deliveries_of_one_grant_at_once_do_not_both_win() {
    let app = TestApp::start().await;
    let (_, door) = ky(&app, "strict").await;
    let credential = std::sync::Arc::new(door.0.credential.clone());
    let send = |path: &str, record: Value| {
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
            let mut record = grant(GRANT);
            record["bevilling"]["egenskaber"][0]["brugervendt_noegle"] = json!(format!("B-{i}"));
            send("/api/v1/borger/ydelser/import", record)
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

    assert_eq!(
        door.import(vec![payment(FEBRUARY, GRANT, 2)], None).await.0,
        StatusCode::OK
    );
    let tasks: Vec<_> = (1..=6)
        .map(|day| {
            let mut record = payment(FEBRUARY, GRANT, 2);
            record["effektuering"]["registreret"] = json!(format!("2026-03-0{day}T10:00:00Z"));
            record["effektuering"]["egenskaber"][0]["udbetalt"] = json!(format!("{day}.00"));
            send("/api/v1/borger/ydelser/opdater", record)
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("joins"), StatusCode::OK);
    }
    assert_eq!(
        rows_holding(&app, "benefit_registrations", "operation", "update").await,
        6
    );
    let (_, now) = door.read(FEBRUARY, "").await;
    assert_eq!(
        now["record"]["effektuering"]["egenskaber"][0]["udbetalt"],
        "6.00"
    );
}
