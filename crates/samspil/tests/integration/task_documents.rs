//! A task as a PDF file and each municipality's status history (issue 14).

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::harness::{ApiClient, TestApp, csrf_in};

/// A published task with a text question, as staff make it.
async fn published_task(staff: &ApiClient, title: &str) -> (i64, i64) {
    let (_, project) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/projects",
            serde_json::json!({ "name": "KLIK" }),
        )
        .await;
    let (_, task) = staff
        .send_json(
            reqwest::Method::POST,
            "/api/v1/tasks",
            serde_json::json!({
                "project_id": project["id"], "title": title, "type": "mandatory",
                "end": "2026-12-01",
                "description": "Læs [vejledningen](https://kombit.dk/vejledning) først.",
            }),
        )
        .await;
    let id = task["id"].as_i64().expect("id");
    let (status, question) = staff
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{id}/questions"),
            serde_json::json!({ "prompt": "Hvem følger med?", "kind": "text" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{question}");
    let (status, _) = staff
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (id, question["id"].as_i64().expect("question id"))
}

fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text reads back")
}

#[tokio::test]
async fn a_municipality_saves_its_task_as_a_pdf_with_its_status_history_answers_and_comments() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let title = "Udpeg Digital Post-ansvarlig på Ærø";
    let (id, question) = published_task(&staff, title).await;

    let browser = app.signed_in("user-461").await;
    let (_, html) = browser.get_text(&format!("/opgaver/{id}")).await;
    assert!(
        html.contains(&format!("/opgaver/{id}/opgave.pdf")),
        "a PDF link"
    );
    let token = csrf_in(&html).expect("token");
    let field = format!("q-{question}");
    let saved = browser
        .post_form(
            &format!("/opgaver/{id}/svar"),
            &[("csrf_token", &token), (&field, "Aarhus Vand følger med")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let status = format!("/opgaver/{id}/status");
    for form in [
        vec![("csrf_token", token.as_str()), ("status", "started")],
        vec![
            ("csrf_token", token.as_str()),
            ("status", "not_started"),
            ("reason", "Afventer leverandøren"),
        ],
    ] {
        let response = browser.post_form(&status, &form).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let commented = browser
        .post_form(
            &format!("/opgaver/{id}/kommentarer"),
            &[
                ("csrf_token", &token),
                ("body", "Gælder det også Ærøskøbing?"),
            ],
        )
        .await;
    assert_eq!(commented.status(), StatusCode::SEE_OTHER);

    // The task page shows the history: who, from → to, why.
    let (_, html) = browser.get_text(&format!("/opgaver/{id}")).await;
    assert!(html.contains("Statushistorik"), "{html}");
    assert!(html.contains("Afventer leverandøren"));
    let user = app.user("user-461").await;
    assert!(html.contains(&user.display_name), "the person by name");

    let response = browser.get(&format!("/opgaver/{id}/opgave.pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE].to_str().expect("type"),
        "application/pdf"
    );
    let text = pdf_text(&response.bytes().await.expect("bytes"));
    for expected in [
        title,
        "Jeres status",
        "Ikke påbegyndt",
        "Påbegyndt",
        "Statushistorik",
        "Afventer leverandøren",
        "Hvem følger med?",
        "Aarhus Vand følger med",
        "Gælder det også Ærøskøbing?",
        "https://kombit.dk/vejledning",
        "01.12.2026",
        user.display_name.as_str(),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the PDF: {text}"
        );
    }

    // Another municipality's PDF of the same task holds none of it.
    let other = app.signed_in("user-751").await;
    let response = other.get(&format!("/opgaver/{id}/opgave.pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = pdf_text(&response.bytes().await.expect("bytes"));
    assert!(text.contains(title));
    assert!(!text.contains("Aarhus Vand følger med"));
    assert!(!text.contains("Afventer leverandøren"));
    assert!(!text.contains("Ærøskøbing"));

    let response = browser.get("/opgaver/999999/opgave.pdf").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_see_every_municipalitys_status_history_and_export_it() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (id, _) = published_task(&staff, "Etabler brugeradministration på KLIK").await;
    let browser = app.signed_in("user-461").await;
    let token = browser.csrf_token(&format!("/opgaver/{id}")).await;
    let status = format!("/opgaver/{id}/status");
    browser
        .post_form(&status, &[("csrf_token", &token), ("status", "started")])
        .await;
    browser
        .post_form(
            &status,
            &[
                ("csrf_token", &token),
                ("status", "not_started"),
                ("reason", "Ny leverandør"),
            ],
        )
        .await;

    let staff_browser = app.signed_in("staff").await;
    let (_, html) = staff_browser.get_text(&format!("/opgaver/{id}")).await;
    assert!(html.contains("Kommunernes statushistorik"), "{html}");
    assert!(html.contains("Ny leverandør"));
    assert!(html.contains("Statushistorik for "));

    let response = staff_browser
        .get(&format!("/opgaver/{id}/eksport.csv"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("csv");
    assert!(csv.contains("Statushistorik"), "{csv}");
    assert!(
        csv.contains("Påbegyndt → Ikke påbegyndt (Ny leverandør)"),
        "{csv}"
    );

    let response = staff_browser
        .get(&format!("/opgaver/{id}/opgave.pdf"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = pdf_text(&response.bytes().await.expect("bytes"));
    assert!(text.contains("Etabler brugeradministration på KLIK"));
    assert!(
        text.contains("Landsstatus") || text.contains("I alt"),
        "{text}"
    );
}

#[tokio::test]
async fn someone_not_signed_in_gets_no_pdf() {
    let app = TestApp::start_with_tasks().await;
    let id = app.task_id("Etabler brugeradministration på KLIK").await;
    let anonymous = app.browser();
    let response = anonymous.get(&format!("/opgaver/{id}/opgave.pdf")).await;
    assert_ne!(response.status(), StatusCode::OK);
    assert!(
        !response
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.as_bytes().starts_with(b"application/pdf"))
            .unwrap_or(false)
    );
}
