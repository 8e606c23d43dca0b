//! Changes that matter are written to an append-only audit log in the same
//! transaction as the change.

use samspil_domain::{AccessRole, Login, OrgId, Principal, UserType};
use samspil_storage::{NewUser, StorageError};

use crate::harness::TestApp;

fn new_user(login: &str) -> NewUser {
    NewUser {
        login: Login::parse(login).expect("login"),
        display_name: "Test Person".into(),
        email: Some(format!("{login}@aarhus.kommune.example")),
        phone: None,
        job_title: None,
        org_unit_id: None,
        role: AccessRole::User,
        user_type: UserType::Ordinary,
        password_hash: None,
    }
}

#[tokio::test]
async fn creating_a_user_is_audited_with_who_and_what() {
    let app = TestApp::start().await;
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let access = Principal::operator()
        .admin_access(aarhus)
        .expect("operator");
    let created = app
        .storage
        .create_user(&access, &new_user("ny-kollega"))
        .await
        .expect("created");

    let entries = app
        .storage
        .audit_entries(&access, 50)
        .await
        .expect("audit log");
    let entry = entries
        .iter()
        .find(|e| e.action == "user.create" && e.entity_id == created.id.to_string())
        .expect("the creation is audited");
    assert_eq!(entry.actor_label, "operator");
    assert_eq!(entry.org_id, Some(aarhus));
    assert!(entry.before.is_none());
    assert_eq!(entry.after.as_ref().expect("after")["login"], "ny-kollega");
}

#[tokio::test]
async fn a_refused_change_leaves_neither_change_nor_audit_entry() {
    let app = TestApp::start().await;
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let access = Principal::operator()
        .admin_access(aarhus)
        .expect("operator");
    let before = app
        .storage
        .audit_entries(&access, 1000)
        .await
        .expect("audit log")
        .len();
    let users_before = app.storage.users(&access).await.expect("users").len();

    let duplicate = app
        .storage
        .create_user(&access, &new_user("admin-751"))
        .await;
    assert!(
        matches!(duplicate, Err(StorageError::Conflict(ref m)) if m.contains("admin-751")),
        "{duplicate:?}"
    );
    let mut staff_in_municipality = new_user("forkert-rolle");
    staff_in_municipality.role = AccessRole::Staff;
    let misfit = app
        .storage
        .create_user(&access, &staff_in_municipality)
        .await;
    assert!(
        matches!(misfit, Err(StorageError::Invalid(_))),
        "{misfit:?}"
    );

    assert_eq!(
        app.storage
            .audit_entries(&access, 1000)
            .await
            .expect("audit log")
            .len(),
        before
    );
    assert_eq!(
        app.storage.users(&access).await.expect("users").len(),
        users_before
    );
}

#[tokio::test]
async fn logins_are_audited() {
    let app = TestApp::start().await;
    app.signed_in("admin-751").await;
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let access = Principal::operator().read_access(aarhus).expect("operator");
    let entries = app
        .storage
        .audit_entries(&access, 10)
        .await
        .expect("audit log");
    assert!(
        entries
            .iter()
            .any(|e| e.action == "session.login" && e.actor_label == "admin-751")
    );
}

#[tokio::test]
async fn the_database_refuses_to_rewrite_the_audit_log() {
    let app = TestApp::start().await;
    for statement in [
        "UPDATE audit_log SET action = 'forged'",
        "DELETE FROM audit_log",
    ] {
        let outcome = execute(&app.database_url, statement).await;
        let error = outcome.expect_err("the statement is refused");
        assert!(error.contains("append-only"), "{statement}: {error}");
    }
}

async fn execute(url: &str, statement: &'static str) -> Result<u64, String> {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| e.to_string())
    } else {
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| e.to_string())
    }
}
