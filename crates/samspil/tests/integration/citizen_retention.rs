//! The retention job (issue 15, "Privacy"): a closed case is deleted,
//! physically and audited, once its KLE subject's deletion period has run
//! since it closed; an open or reopened case, or one whose subject has no
//! period, is kept; a dry run deletes nothing; jobs running at once
//! delete each case once — on both backends.

use reqwest::StatusCode;
use serde_json::json;
use time::macros::date;

use crate::citizen_cases::{CASE, FASIT, case, citizen_scalar, closing, fasit};
use crate::harness::TestApp;

const OPEN: &str = "4c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
const REOPENED: &str = "5c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";
const NO_PERIOD: &str = "6c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f";

/// KL's 2015 plan, in which 32.18.04 (the test cases' class) is deleted
/// P1800D after closing and 01.02.40 has no deletion period.
fn import_plan(app: &TestApp) {
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

fn retention(app: &TestApp, today: &str, dry_run: bool) -> String {
    let mut command = crate::cli::samspil();
    command.args([
        "index",
        "retention",
        "--today",
        today,
        "--database-url",
        &app.database_url,
    ]);
    if dry_run {
        command.arg("--dry-run");
    }
    let (code, stdout, stderr) = crate::cli::run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[tokio::test]
async fn a_closed_case_is_deleted_when_its_subjects_period_has_run_and_no_sooner() {
    let app = TestApp::start().await;
    import_plan(&app);
    let (id, door) = fasit(&app, "strict").await;
    let mut no_period = case(NO_PERIOD, "KY-4", FASIT);
    no_period["relationer"][3]["reference"] = json!("01.02.40");
    let (status, body) = door
        .import(
            vec![
                case(CASE, "KY-1", FASIT),
                case(OPEN, "KY-2", FASIT),
                case(REOPENED, "KY-3", FASIT),
                no_period,
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Closed on 1 March 2026: CASE and NO_PERIOD for good, REOPENED until
    // a later registration opens it again.
    // Reopened: a later registration withdraws Afsluttet (Afgjort open
    // again).
    let reopening = json!({
        "uuid": REOPENED,
        "kommune": 751,
        "registreret": "2026-05-01T10:00:00Z",
        "fremdrift": case(REOPENED, "KY-3", FASIT)["fremdrift"].clone(),
    });
    let (status, body) = door
        .update(
            vec![
                closing(CASE, "2026-03-01T10:00:00Z"),
                closing(REOPENED, "2026-03-01T10:00:00Z"),
                closing(NO_PERIOD, "2026-03-01T10:00:00Z"),
                reopening,
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // 1800 days after 1 March 2026 is 3 February 2031.
    let stdout = retention(&app, "2031-02-02", false);
    assert!(
        stdout.contains("2 closed cases, of which 0 were past their deletion day"),
        "{stdout}"
    );
    assert!(stdout.contains("1 are kept because"), "{stdout}");
    let stdout = retention(&app, "2031-02-03", true);
    assert!(
        stdout.contains("1 are past their deletion day (a dry run"),
        "{stdout}"
    );
    assert_eq!(
        door.read(CASE, "").await.0,
        StatusCode::OK,
        "a dry run keeps"
    );

    let registrations_before =
        citizen_scalar(&app, "SELECT count(*) FROM case_registrations").await;
    let stdout = retention(&app, "2031-02-03", false);
    assert!(
        stdout.contains("of which 1 were past their deletion day and are deleted (2 registrations"),
        "{stdout}"
    );
    assert_eq!(door.read(CASE, "").await.0, StatusCode::NOT_FOUND);
    for kept in [OPEN, REOPENED, NO_PERIOD] {
        assert_eq!(door.read(kept, "").await.0, StatusCode::OK, "{kept}");
    }
    // Physically: its registrations and their periods are gone too.
    assert_eq!(
        citizen_scalar(&app, "SELECT count(*) FROM case_registrations").await,
        registrations_before - 2
    );
    assert_eq!(
        citizen_scalar(
            &app,
            &format!("SELECT count(*) FROM cases WHERE uuid = '{CASE}'")
        )
        .await,
        0
    );
    let audit = app.citizen.system_audit(id).await.expect("audit");
    let deletion = audit
        .iter()
        .find(|row| row.action == "case.retention_delete")
        .expect("the deletion is audited");
    assert_eq!(deletion.actor_label, "job:retention");
    assert_eq!(deletion.municipality_code, Some(751));
    let detail: serde_json::Value =
        serde_json::from_str(deletion.detail.as_deref().unwrap_or("{}")).expect("json");
    assert_eq!(detail["uuid"], CASE);
    assert_eq!(detail["primary_class"], "32.18.04");
    assert_eq!(detail["closed_on"], "2026-03-01");
    assert_eq!(detail["due_on"], "2031-02-03");

    // Again: nothing more is due.
    let stdout = retention(&app, "2031-02-03", false);
    assert!(stdout.contains("of which 0 were past"), "{stdout}");
}

#[tokio::test]
async fn retention_jobs_running_at_once_delete_each_due_case_once() {
    let app = TestApp::start().await;
    import_plan(&app);
    let (_, door) = fasit(&app, "strict").await;
    let uuids: Vec<String> = (0..6)
        .map(|n| format!("7c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e{n:02}"))
        .collect();
    let records = uuids
        .iter()
        .enumerate()
        .map(|(n, uuid)| case(uuid, &format!("KY-{n}"), FASIT))
        .collect();
    assert_eq!(door.import(records, None).await.0, StatusCode::OK);
    let closings = uuids
        .iter()
        .map(|uuid| closing(uuid, "2026-03-01T10:00:00Z"))
        .collect();
    assert_eq!(door.update(closings, None).await.0, StatusCode::OK);

    let runs: Vec<_> = (0..4)
        .map(|_| {
            let citizen = app.citizen.clone();
            tokio::spawn(async move { citizen.apply_retention(date!(2031 - 06 - 01), false).await })
        })
        .collect();
    let mut deleted = 0;
    for run in runs {
        deleted += run
            .await
            .expect("joined")
            .expect("no run fails")
            .removed
            .cases;
    }
    assert_eq!(deleted, 6, "each case deleted by exactly one run");
    assert_eq!(citizen_scalar(&app, "SELECT count(*) FROM cases").await, 0);
    assert_eq!(
        citizen_scalar(
            &app,
            "SELECT count(*) FROM citizen_audit WHERE action = 'case.retention_delete'"
        )
        .await,
        6
    );
}
