//! Each municipality's comments on a task as a conversation with staff,
//! with notifications both ways (issue 14).

use reqwest::StatusCode;
use samspil::outbox::{MailConfig, Outbox};

use crate::harness::TestApp;

#[tokio::test]
async fn a_municipality_and_staff_talk_in_its_thread_and_each_side_is_told() {
    let app = TestApp::start_with_roles().await;
    let outbox = Outbox::new(&app.stores(), MailConfig::default()).expect("outbox");
    outbox.prepare().await.expect("the demo's events first");
    let id = app.task_id("Etabler brugeradministration på KLIK").await;
    let aarhus = app.org_id("municipality-751").await;

    // Aarhus asks.
    let municipality = app.signed_in("admin-751").await;
    let token = municipality.csrf_token(&format!("/opgaver/{id}")).await;
    let asked = municipality
        .post_form(
            &format!("/opgaver/{id}/kommentarer"),
            &[
                ("csrf_token", &token),
                ("body", "Gælder det også Aarhus Vand?"),
            ],
        )
        .await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let report = outbox.prepare().await.expect("fan-out");
    assert!(report.notifications > 0, "staff are told: {report:?}");
    let staff = app.signed_in("staff").await;
    let (_, inbox) = staff.get_text("/indbakke").await;
    assert!(inbox.contains("Ny kommentar"), "{inbox}");
    assert!(inbox.contains("Gælder det også Aarhus Vand?"));

    // Staff see the thread under Aarhus and reply in it.
    let (_, page) = staff.get_text(&format!("/opgaver/{id}")).await;
    assert!(page.contains("Svar Aarhus"), "a reply form per thread");
    let token = staff.csrf_token(&format!("/opgaver/{id}")).await;
    let replied = staff
        .post_form(
            &format!("/opgaver/{id}/kommentarer"),
            &[
                ("csrf_token", &token),
                ("org_id", &aarhus.to_string()),
                ("body", "Ja, Aarhus Vand er med."),
            ],
        )
        .await;
    assert_eq!(replied.status(), StatusCode::SEE_OTHER);
    let report = outbox.prepare().await.expect("fan-out");
    assert!(report.notifications > 0, "Aarhus is told: {report:?}");

    // Aarhus reads the answer, marked as the community's, and is told of it.
    let (_, page) = municipality.get_text(&format!("/opgaver/{id}")).await;
    assert!(page.contains("Ja, Aarhus Vand er med."));
    assert!(page.contains("task-comment-community"));
    let (_, inbox) = municipality.get_text("/indbakke").await;
    assert!(inbox.contains("Ja, Aarhus Vand er med."), "{inbox}");
    assert!(inbox.contains("fællesskabet"));
    // No other municipality sees or hears of it.
    let other = app.signed_in("admin-101").await;
    let (_, page) = other.get_text(&format!("/opgaver/{id}")).await;
    assert!(!page.contains("Aarhus Vand"));
    let (_, inbox) = other.get_text("/indbakke").await;
    assert!(!inbox.contains("Aarhus Vand"));

    // The API shows who wrote what.
    let api = app.api_client("staff").await;
    let (status, comments) = api
        .get_json(&format!(
            "/api/v1/tasks/{id}/municipalities/{aarhus}/comments"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let comments = comments.as_array().expect("a list");
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["from_community"], false);
    assert_eq!(comments[1]["from_community"], true);
    assert_ne!(comments[1]["author"], "staff", "by name, not login");

    // A staff reply names a thread; an empty one is refused.
    let refused = staff
        .post_form(
            &format!("/opgaver/{id}/kommentarer"),
            &[("csrf_token", &token), ("body", "Til hvem?")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}
