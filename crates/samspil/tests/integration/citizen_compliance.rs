//! The compliance test (issue 15, the slides' table): a system with every
//! capability shown is "Godkendt", the demo's Fasit and Momentum get the
//! slides' verdicts through the real ingest, a system that delivered
//! nothing is "Ikke godkendt" with every cell "Ikke vist"; the command
//! line and the staff page print the same table — on both backends.

use reqwest::StatusCode;
use samspil_citizen::compliance::{Capability, CellVerdict, Verdict};
use samspil_citizen_storage::SystemId;
use samspil_domain::Principal;
use serde_json::json;

use crate::citizen_cases::{CASE, FASIT, case, closing, fasit, system};
use crate::citizen_documents::{DOCUMENT, ESDH, document, esdh};
use crate::harness::TestApp;

const TODAY: time::Date = time::macros::date!(2026 - 12 - 04);
const OTHER_CASE: &str = "4c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
const OTHER_UNIT: &str = "8a1d7f0e-2c3a-4d5e-8f60-718293a4b5c6";

async fn assessed(app: &TestApp, id: SystemId) -> samspil_citizen::compliance::Assessment {
    samspil_web_assess(app, id).await.1
}

async fn samspil_web_assess(
    app: &TestApp,
    id: SystemId,
) -> (
    samspil_citizen::compliance::Evidence,
    samspil_citizen::compliance::Assessment,
) {
    samspil_citizen_web::compliance::assess_system(
        app.storage.as_ref(),
        app.citizen.as_ref(),
        id,
        TODAY,
    )
    .await
    .expect("reads")
    .expect("the system is there")
}

fn verdicts(assessment: &samspil_citizen::compliance::Assessment) -> Vec<CellVerdict> {
    assessment.cells.iter().map(|c| c.verdict).collect()
}

/// Aarhus' directory with the two units the test's cases name.
async fn aarhus_directory(app: &TestApp) {
    let dir = crate::harness::TempDir::new();
    let file = dir.path().join("aarhus.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"kind":"org_unit","uuid":"9B1D7F0E-2C3A-4D5E-8F60-718293A4B5C6","name":"Jobcenter Aarhus","validity":{"from":"2020-01-01","to":null}}"#,
            &format!(r#"{{"kind":"org_unit","uuid":"{OTHER_UNIT}","name":"Ydelsescenter Aarhus","validity":{{"from":"2020-01-01","to":null}}}}"#),
        ]
        .join("\n"),
    )
    .expect("written");
    samspil::directory_import::import_directory_file(
        app.storage.as_ref(),
        &file,
        "751",
        time::macros::date!(2026 - 06 - 01),
        |_, _| {},
    )
    .await
    .expect("the directory imports");
}

fn import_kle(app: &TestApp) {
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
}

fn compliance_cli(app: &TestApp, system: &str) -> String {
    let (code, stdout, stderr) = crate::cli::run(crate::cli::samspil().args([
        "compliance",
        "--system",
        system,
        "--database-url",
        &app.database_url,
    ]));
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[tokio::test]
async fn a_system_that_shows_every_capability_is_approved() {
    let app = TestApp::start().await;
    aarhus_directory(&app).await;
    import_kle(&app);
    let (id, door) = fasit(&app, "strict").await;
    let mut other = case(OTHER_CASE, "KY-2", FASIT);
    other["relationer"][1]["reference"] = json!(OTHER_UNIT);
    let (status, body) = door
        .import(vec![case(CASE, "KY-1", FASIT), other], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = door
        .update(vec![closing(CASE, "2026-03-01T10:00:00Z")], None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Fasit's documents and journal notes come through the vendor's
    // document door, naming Fasit as their master.
    let (_, esdh) = esdh(&app, "strict").await;
    let mut doc = document(DOCUMENT, "D-1", ESDH);
    doc["relationer"][4]["reference"] = json!(FASIT);
    let (status, body) = esdh.import(vec![doc.clone()], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    doc["registreret"] = json!("2026-02-01T10:00:00Z");
    doc["egenskaber"][0]["titel"] = json!("Lægeattest (rettet)");
    let (status, body) = esdh.update(vec![doc], None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A removal on system change (Odense leaves Fasit).
    app.citizen
        .remove_system_cases(id, 461, &Principal::operator().actor())
        .await
        .expect("removed");

    let assessment = assessed(&app, id).await;
    assert_eq!(
        verdicts(&assessment),
        vec![CellVerdict::Met; 6],
        "{assessment:#?}"
    );
    assert_eq!(assessment.verdict, Verdict::Approved);

    let stdout = compliance_cli(&app, FASIT);
    assert!(stdout.contains("Overall: Godkendt"), "{stdout}");
    assert!(!stdout.contains("bemærkninger"), "{stdout}");
    assert!(
        stdout.contains("municipality 751: 2 cases under 2 distinct responsible units"),
        "{stdout}"
    );
    assert!(
        stdout.contains("municipality 751: every unit is in the organisation directory"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Fjern entiteter ved systemovergang"),
        "{stdout}"
    );

    let staff = app.signed_in("staff").await;
    let (status, html) = staff
        .get_text(&format!("/borger/systemer/{}/overensstemmelse", id.0))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Samlet vurdering: Godkendt"), "{html}");
    assert!(html.contains("Læs Klassifikation"), "{html}");
    assert!(
        html.contains("Alle emner findes i KLE-planen og er gældende."),
        "{html}"
    );
    let (_, page) = staff.get_text(&format!("/borger/systemer/{}", id.0)).await;
    assert!(page.contains("/overensstemmelse"), "linked from the system");
}

#[tokio::test]
async fn the_demo_reproduces_the_slides_verdicts_for_fasit_and_momentum() {
    let app = TestApp::start().await;
    samspil::demo::citizen_systems::load(app.citizen.as_ref())
        .await
        .expect("the demo systems load");
    // A second run replays the deliveries and changes nothing.
    samspil::demo::citizen_systems::load(app.citizen.as_ref())
        .await
        .expect("again");
    let systems = app.citizen.vendor_systems(None).await.expect("lists");
    let id = |name: &str| {
        systems
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id)
            .expect("a demo system")
    };
    use CellVerdict::*;

    let fasit = assessed(&app, id("Fasit")).await;
    assert_eq!(
        verdicts(&fasit),
        vec![
            Met,
            NotShown,
            NotShown,
            MetWithRemarks,
            MetWithRemarks,
            NotShown
        ],
        "{fasit:#?}"
    );
    assert_eq!(fasit.verdict, Verdict::ApprovedWithRemarks);

    let (evidence, momentum) = samspil_web_assess(&app, id("Momentum")).await;
    assert_eq!(evidence.cases.delivered, 12, "{evidence:#?}");
    assert_eq!(evidence.cases.updated, 1);
    assert_eq!(
        verdicts(&momentum),
        vec![MetWithRemarks, NotShown, NotShown, NotMet, NotMet, NotShown],
        "{momentum:#?}"
    );
    assert_eq!(momentum.verdict, Verdict::NotApproved);
    let org = momentum.cell(Capability::ReadOrganisation);
    assert!(
        org.findings.iter().any(|f| f.code == "one_unit"),
        "{org:#?}"
    );
    let kle = momentum.cell(Capability::ReadClassification);
    assert!(
        kle.findings
            .iter()
            .any(|f| f.code == "violations" && f.english().contains("wrong_reference")),
        "{kle:#?}"
    );

    let stdout = compliance_cli(&app, "6c2f4b1e-3a5d-4e8f-9b0a-1d2c3e4f5a61");
    assert!(
        stdout.contains("Overall: Godkendt med bemærkninger"),
        "{stdout}"
    );
    let stdout = compliance_cli(&app, "7D3A5C2F-4B6E-4F90-8C1B-2E3D4F5A6B72");
    assert!(stdout.contains("Overall: Ikke godkendt"), "{stdout}");
    assert!(
        stdout.contains("all 12 cases under the one unit"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_system_that_delivered_nothing_is_not_approved_and_only_staff_see_the_test() {
    let app = TestApp::start().await;
    let (id, _) = system(&app, FASIT, "fasit", "strict").await;
    let assessment = assessed(&app, id).await;
    assert_eq!(verdicts(&assessment), vec![CellVerdict::NotShown; 6]);
    assert_eq!(assessment.verdict, Verdict::NotApproved);
    let stdout = compliance_cli(&app, &id.0.to_string());
    assert!(stdout.contains("Overall: Ikke godkendt"), "{stdout}");
    assert_eq!(stdout.matches("Ikke vist").count(), 6, "{stdout}");

    let page = format!("/borger/systemer/{}/overensstemmelse", id.0);
    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Samlet vurdering: Ikke godkendt"), "{html}");
    assert!(html.contains("data-title=\"Grundlag\""), "stacks at 390 px");
    // English through the locales.
    let english = app.signed_in("staff").await;
    english.get("/sprog/en?next=/").await;
    let (status, html) = english.get_text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Overall verdict: Not approved"), "{html}");
    assert!(html.contains("Nothing of this kind delivered."), "{html}");
    // Aarhus' administrator (its system) and Copenhagen's are refused, as
    // anyone is for a system that is not there.
    for login in ["admin-751", "admin-101", "user-751"] {
        let browser = app.signed_in(login).await;
        assert_eq!(
            browser.get(&page).await.status(),
            StatusCode::FORBIDDEN,
            "{login}"
        );
    }
    assert_eq!(
        staff
            .get("/borger/systemer/999999/overensstemmelse")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (code, _, stderr) = crate::cli::run(crate::cli::samspil().args([
        "compliance",
        "--system",
        "00000000-0000-4000-8000-000000000000",
        "--database-url",
        &app.database_url,
    ]));
    assert_ne!(code, 0);
    assert!(stderr.contains("there is no vendor system"), "{stderr}");
}
