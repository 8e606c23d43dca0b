use reqwest::StatusCode;
use reqwest::header::WWW_AUTHENTICATE;

use crate::harness::TestApp;

#[tokio::test]
async fn municipalities_need_a_bearer_token() {
    let app = TestApp::start().await;
    let response = app.anonymous_api().get("/api/v1/municipalities").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "unauthenticated");

    let response = app
        .anonymous_api()
        .client
        .get(app.url("/api/v1/municipalities"))
        .bearer_auth("samspil_not-a-real-token")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_98_municipalities_as_json() {
    let app = TestApp::start().await;
    let (status, body) = app
        .api_client("user-461")
        .await
        .get_json("/api/v1/municipalities")
        .await;
    assert_eq!(status, StatusCode::OK);
    let list = body.as_array().expect("a list");
    assert_eq!(list.len(), 98);
    let aarhus = list
        .iter()
        .find(|m| m["code"] == "751")
        .expect("Aarhus is there");
    assert_eq!(aarhus["name"], "Aarhus");
    assert_eq!(aarhus["official_name"], "Aarhus Kommune");
    assert_eq!(aarhus["region"], "Region Midtjylland");
    let codes: Vec<&str> = list.iter().filter_map(|m| m["code"].as_str()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "ordered by code");
}

#[tokio::test]
async fn me_tells_who_the_token_belongs_to() {
    let app = TestApp::start().await;
    let (status, body) = app
        .api_client("admin-101")
        .await
        .get_json("/api/v1/me")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"]["login"], "admin-101");
    assert_eq!(body["user"]["access_role"], "admin");
    assert_eq!(body["organisation"]["name"], "København");
}

#[tokio::test]
async fn api_errors_are_json_for_unknown_paths_and_bad_ids() {
    let app = TestApp::start().await;
    let client = app.api_client("staff").await;
    let (status, body) = client.get_json("/api/v1/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = client.get_json("/api/v1/organisations/abc/users").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["status"], 400);
    let (status, _) = client.get_json("/api/v1/organisations/999999/users").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api_and_matches_its_snapshot() {
    let app = TestApp::start().await;
    let (status, document) = app.anonymous_api().get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK, "the document is public");
    assert!(
        document["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.")
    );
    for path in [
        "/api/v1/municipalities",
        "/api/v1/organisations",
        "/api/v1/organisations/{id}/users",
        "/api/v1/me",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is described");
    }
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );

    // The snapshot makes every change to the public API a visible diff.
    // Refresh it with UPDATE_SNAPSHOTS=1.
    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration/openapi.snapshot.json");
    let current = serde_json::to_string_pretty(&document).expect("serialises") + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &current).expect("snapshot written");
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        expected == current,
        "the OpenAPI document changed; review it and run with UPDATE_SNAPSHOTS=1 to accept"
    );
}
