//! A municipality's data is reached only through a scope made by the
//! authentication layer.

use reqwest::StatusCode;
use samspil_domain::{OrgId, Principal};

use crate::harness::TestApp;

#[tokio::test]
async fn a_municipality_does_not_see_the_people_of_another() {
    let app = TestApp::start().await;
    let odense = app.org_id("municipality-461").await;
    let browser = app.signed_in("admin-751").await;
    let (status, html) = browser.get_text(&format!("/organisationer/{odense}")).await;
    assert_eq!(status, StatusCode::OK, "the organisation itself is public");
    assert!(html.contains("Odense"));
    assert!(
        !html.contains("admin-461") && !html.contains("user-461"),
        "its people are not"
    );
}

#[tokio::test]
async fn the_api_refuses_another_municipalitys_people() {
    let app = TestApp::start().await;
    let odense = app.org_id("municipality-461").await;
    let aarhus = app.org_id("municipality-751").await;
    let client = app.api_client("user-751").await;
    let (status, body) = client
        .get_json(&format!("/api/v1/organisations/{odense}/users"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Odense")
    );

    let (status, body) = client
        .get_json(&format!("/api/v1/organisations/{aarhus}/users"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let logins: Vec<&str> = body
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|u| u["login"].as_str())
        .collect();
    assert_eq!(logins.len(), 2);
    assert!(logins.contains(&"admin-751") && logins.contains(&"user-751"));
}

#[tokio::test]
async fn only_administrators_may_change_their_municipality_and_only_theirs() {
    let app = TestApp::start().await;
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let odense = OrgId(app.org_id("municipality-461").await);
    let as_principal = |login: &str| {
        let login = login.to_owned();
        let storage = app.storage.clone();
        async move {
            let user = storage
                .credentials(&samspil_domain::Login::parse(&login).expect("login"))
                .await
                .expect("storage")
                .expect("user")
                .user;
            Principal::authenticated(user.id, &user.login, user.org_id, user.role, user.user_type)
        }
    };
    let admin = as_principal("admin-751").await;
    let user = as_principal("user-751").await;
    assert!(admin.admin_access(aarhus).is_ok());
    assert!(admin.admin_access(odense).is_err());
    assert!(user.admin_access(aarhus).is_err());

    // A read scope does not let the storage layer write.
    let read_only = user.read_access(aarhus).expect("own municipality");
    let refused = app.storage.create_org_unit(&read_only, "Skyggeenhed").await;
    assert!(
        matches!(refused, Err(samspil_storage::StorageError::Denied(_))),
        "{refused:?}"
    );
}

/// Principals (and so scopes) are made by the authentication layer alone.
#[test]
fn only_the_authentication_layer_makes_principals() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let allowed = [
        "platform/samspil-web/src/auth.rs",
        "platform/samspil-domain/src/access.rs",
    ];
    let mut offenders = Vec::new();
    let mut stack = vec![crates.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            let relative = path
                .strip_prefix(&crates)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                if !relative.contains("target") && !relative.contains("/tests") {
                    stack.push(path);
                }
            } else if relative.ends_with(".rs")
                && !allowed.contains(&relative.as_str())
                && std::fs::read_to_string(&path)
                    .expect("readable")
                    .contains("Principal::authenticated(")
            {
                offenders.push(relative);
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "Principal::authenticated is called outside the authentication layer: {offenders:?}"
    );
}
