//! The organisation directory import: people and units follow the
//! municipality's directory, all or nothing, idempotent, with history; a
//! person who moves keeps their history and loses the old municipality's
//! roles and access.

use std::path::PathBuf;

use samspil::directory_import::import_directory_file;
use samspil_coordination::role::AssignmentPeriod;
use samspil_coordination_storage::NewAssignment;
use samspil_domain::{OrgId, Principal, UserType};
use time::macros::date;

use crate::harness::{TempDir, TestApp};

const TODAY: time::Date = date!(2026 - 11 - 23);

fn unit(uuid: &str, name: &str) -> String {
    format!(
        r#"{{"kind":"org_unit","uuid":"{uuid}","name":"{name}","validity":{{"from":"2020-01-01","to":null}}}}"#
    )
}

fn employee(uuid: &str, login: &str, name: &str, email: &str, extra: &str) -> String {
    format!(
        r#"{{"kind":"employee","uuid":"{uuid}","user_key":"{login}","name":"{name}","email":"{email}","job_title":"Digitaliseringskonsulent","org_unit":"u-digi","validity":{{"from":"2021-01-01","to":null}}{extra}}}"#
    )
}

fn write(dir: &TempDir, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, lines.join("\n")).expect("written");
    path
}

async fn people(app: &TestApp, org: i64) -> Vec<samspil_storage::User> {
    app.storage
        .users(
            &Principal::operator()
                .read_access(OrgId(org))
                .expect("operator"),
        )
        .await
        .expect("users")
}

#[tokio::test]
async fn the_directory_creates_updates_and_deactivates_and_a_second_run_changes_nothing() {
    let app = TestApp::start_with_roles().await;
    let dir = TempDir::new();
    let aarhus = app.org_id("municipality-751").await;
    let first = write(
        &dir,
        "aarhus.jsonl",
        &[
            unit("u-digi", "Digitalisering"),
            employee(
                "e-1",
                "lha",
                "Lise Hansen",
                "lha@aarhus.example",
                r#","access_role":"admin""#,
            ),
            employee(
                "e-2",
                "pbo",
                "Per Bo",
                "pbo@aarhus.example",
                r#","user_type":"reader""#,
            ),
            employee("e-3", "gone", "Gammel Medarbejder", "g@aarhus.example", "")
                .replace(r#""to":null"#, r#""to":"2022-12-31""#),
            String::new(),
        ],
    );
    let report = import_directory_file(app.storage.as_ref(), &first, "751", TODAY, |_, _| {})
        .await
        .expect("imported");
    assert_eq!(
        (report.users_created, report.units_created),
        (2, 1),
        "{report:?}"
    );
    let lise = people(&app, aarhus)
        .await
        .into_iter()
        .find(|u| u.login.as_str() == "lha")
        .expect("Lise is there");
    assert_eq!(lise.email.as_deref(), Some("lha@aarhus.example"));
    assert_eq!(lise.org_unit_name.as_deref(), Some("Digitalisering"));
    assert_eq!(lise.role.as_str(), "admin");

    let again = import_directory_file(app.storage.as_ref(), &first, "751", TODAY, |_, _| {})
        .await
        .expect("imported again");
    assert!(!again.changed_anything(), "idempotent: {again:?}");

    // Lise holds a role; then the directory changes Per's mail and drops Lise.
    let access = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("operator");
    let security = app
        .coordination
        .roles()
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.name == "Sikkerhedsansvarlig")
        .expect("role");
    app.coordination
        .assign_role(
            &access,
            &NewAssignment {
                role_id: security.id,
                user_id: lise.id,
                period: AssignmentPeriod::new(date!(2026 - 01 - 01), None).expect("period"),
                primary: false,
                note: String::new(),
            },
        )
        .await
        .expect("assigned");
    let second = write(
        &dir,
        "aarhus-2.jsonl",
        &[
            unit("u-digi", "Digital Udvikling"),
            employee(
                "e-2",
                "pbo",
                "Per Bo",
                "per.bo@aarhus.example",
                r#","user_type":"reader""#,
            ),
        ],
    );
    let report = import_directory_file(app.storage.as_ref(), &second, "751", TODAY, |_, _| {})
        .await
        .expect("imported");
    assert_eq!(
        (
            report.users_updated,
            report.users_deactivated,
            report.units_updated
        ),
        (1, 1, 1),
        "{report:?}"
    );
    let now = people(&app, aarhus).await;
    let lise = now
        .iter()
        .find(|u| u.login.as_str() == "lha")
        .expect("kept");
    assert!(!lise.active, "deactivated, not deleted");
    let per = now
        .iter()
        .find(|u| u.login.as_str() == "pbo")
        .expect("kept");
    assert_eq!(per.email.as_deref(), Some("per.bo@aarhus.example"));
    assert_eq!(per.user_type, UserType::Reader);
    let gaps = app
        .coordination
        .role_gaps(
            &Principal::operator()
                .read_access(OrgId(aarhus))
                .expect("op"),
            TODAY,
        )
        .await
        .expect("gaps");
    assert!(
        gaps.iter()
            .any(|g| g.role_name == "Sikkerhedsansvarlig" && g.kind.as_str() == "disabled_holder"),
        "the gap report shows the role held by a disabled account: {gaps:?}"
    );
    let history = app
        .storage
        .audit_entries(&access, 200)
        .await
        .expect("audit");
    assert!(history.iter().any(|e| e.action == "user.deactivate"));
    assert!(history.iter().any(|e| {
        e.action == "user.update"
            && e.before
                .as_ref()
                .is_some_and(|b| b["email"] == "pbo@aarhus.example")
    }));
}

#[tokio::test]
async fn a_person_who_moves_keeps_their_history_and_loses_the_old_roles_and_access() {
    let app = TestApp::start_with_roles().await;
    let dir = TempDir::new();
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let file = write(
        &dir,
        "aarhus.jsonl",
        &[
            unit("u-digi", "Digitalisering"),
            employee("e-9", "mover", "Mette Flytter", "m@aarhus.example", ""),
        ],
    );
    import_directory_file(app.storage.as_ref(), &file, "751", TODAY, |_, _| {})
        .await
        .expect("imported");
    let mette = people(&app, aarhus)
        .await
        .into_iter()
        .find(|u| u.login.as_str() == "mover")
        .expect("Mette");
    let aarhus_admin = Principal::operator()
        .admin_access(OrgId(aarhus))
        .expect("op");
    let role = app
        .coordination
        .roles()
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.name == "Sikkerhedsansvarlig")
        .expect("role");
    app.coordination
        .assign_role(
            &aarhus_admin,
            &NewAssignment {
                role_id: role.id,
                user_id: mette.id,
                period: AssignmentPeriod::new(date!(2026 - 01 - 01), None).expect("period"),
                primary: false,
                note: String::new(),
            },
        )
        .await
        .expect("assigned");

    let file = write(
        &dir,
        "odense.jsonl",
        &[
            unit("u-digi", "Digitalisering"),
            employee("e-9", "mover", "Mette Flytter", "m@odense.example", ""),
        ],
    );
    let report = import_directory_file(app.storage.as_ref(), &file, "461", TODAY, |_, _| {})
        .await
        .expect("imported");
    assert_eq!(report.users_moved, vec!["mover".to_owned()]);
    let moved = people(&app, odense)
        .await
        .into_iter()
        .find(|u| u.login.as_str() == "mover")
        .expect("in Odense now");
    assert_eq!(moved.id, mette.id, "the same person, with the same history");
    let old = app
        .coordination
        .role_assignments(&aarhus_admin)
        .await
        .expect("roles");
    let ended = old
        .iter()
        .find(|a| a.user_id == mette.id)
        .expect("kept as history");
    assert_eq!(ended.period.ends_on, Some(date!(2026 - 11 - 22)));
    let log = app
        .storage
        .audit_entries(&aarhus_admin, 200)
        .await
        .expect("audit");
    assert!(
        log.iter()
            .any(|e| e.action == "user.moved_out" && e.org_id == Some(OrgId(aarhus))),
        "Aarhus' administrators see that Mette left"
    );
}

#[tokio::test]
async fn a_malformed_record_is_named_by_line_and_nothing_is_imported() {
    let app = TestApp::start_with_roles().await;
    let dir = TempDir::new();
    let aarhus = app.org_id("municipality-751").await;
    let before = people(&app, aarhus).await.len();
    let file = write(
        &dir,
        "broken.jsonl",
        &[
            unit("u-digi", "Digitalisering"),
            employee("e-1", "ok", "Ok Person", "ok@aarhus.example", ""),
            employee("e-2", "bad", "Bad Mail", "not-a-mail", ""),
        ],
    );
    let error = import_directory_file(app.storage.as_ref(), &file, "751", TODAY, |_, _| {})
        .await
        .expect_err("refused");
    assert!(
        error.to_string().contains("broken.jsonl:3: email"),
        "{error}"
    );
    assert_eq!(
        people(&app, aarhus).await.len(),
        before,
        "nothing half-imported"
    );

    // A directory with nobody in it never deactivates everyone.
    let good = write(
        &dir,
        "good.jsonl",
        &[
            unit("u-digi", "D"),
            employee("e-1", "ok", "Ok", "ok@a.example", ""),
        ],
    );
    import_directory_file(app.storage.as_ref(), &good, "751", TODAY, |_, _| {})
        .await
        .expect("imported");
    let empty = write(&dir, "empty.jsonl", &[unit("u-digi", "D")]);
    let error = import_directory_file(app.storage.as_ref(), &empty, "751", TODAY, |_, _| {})
        .await
        .expect_err("refused");
    assert!(
        error.to_string().contains("never deactivates everyone"),
        "{error}"
    );
    assert!(
        people(&app, aarhus)
            .await
            .iter()
            .any(|u| u.login.as_str() == "ok" && u.active)
    );
    let error = import_directory_file(app.storage.as_ref(), &good, "999", TODAY, |_, _| {})
        .await
        .expect_err("no such municipality");
    assert!(error.to_string().contains("999"), "{error}");
}
