//! The tools context's agreements per municipality through HTTP (issue
//! 18): the FLIS '24 totals of 21 June 2023, a municipality answering its
//! own, staff seeing and exporting all, bad answers refused with nothing
//! written, on SQLite and PostgreSQL.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::TestApp;

async fn start() -> TestApp {
    let app = TestApp::start().await;
    samspil::demo::agreements::load(&app.stores())
        .await
        .expect("demo agreements load");
    app
}

async fn flis(app: &TestApp, date: &str) -> Value {
    let (status, list) = app
        .api_client("staff")
        .await
        .get_json(&format!("/api/v1/agreements?date={date}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .expect("list")
        .iter()
        .find(|a| a["name"] == samspil::demo::agreements::FLIS_24)
        .cloned()
        .expect("FLIS '24")
}

async fn answers_written(app: &TestApp) -> i64 {
    use sqlx::Connection;
    let sql = "SELECT COUNT(*) FROM audit_log WHERE action = 'agreement.answer'";
    if app.database_url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .expect("connects");
        sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    } else {
        let mut conn = sqlx::PgConnection::connect(&app.database_url)
            .await
            .expect("connects");
        sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    }
}

#[tokio::test]
async fn the_flis_24_totals_of_21_june_2023_come_out_as_the_slide_says() {
    let app = start().await;
    let flis = flis(&app, "2023-06-21").await;
    assert_eq!(
        flis["totals"],
        json!({"signed": 72, "declined": 8, "signed_with_reservation": 3, "considering": 15, "not_asked": 0})
    );
    let before = flis_totals_before(&app).await;
    assert_eq!(before["not_asked"], 98, "nobody had answered in May");

    let browser = app.signed_in("staff").await;
    let (status, html) = browser
        .get_text("/vaerktoejer/aftaler?dato=2023-06-21")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("72 kommuner har underskrevet, 8 har sagt nej tak, 3 siger ja med forbehold, 15 overvejer"),
        "{html}"
    );
    let id = flis["id"].as_i64().expect("id");
    let (status, html) = browser
        .get_text(&format!("/vaerktoejer/aftaler/{id}?dato=2023-06-21"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Underskrevet med forbehold") && html.contains("Overvejer"));
    let response = browser
        .get(&format!(
            "/vaerktoejer/aftaler/{id}/svar.csv?dato=2023-06-21"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("text");
    assert_eq!(
        csv.matches("Underskrevet med forbehold").count(),
        3,
        "{csv}"
    );
}

async fn flis_totals_before(app: &TestApp) -> Value {
    flis(app, "2023-05-31").await["totals"].clone()
}

#[tokio::test]
async fn a_municipality_answers_its_own_agreement_and_sees_only_its_own() {
    let app = start().await;
    let id = flis(&app, "2099-01-01").await["id"].as_i64().expect("id");
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let admin = app.api_client("admin-751").await;
    let written = answers_written(&app).await;

    // A reservation without its text, a signature without who or when.
    for body in [
        json!({"state": "signed_with_reservation", "signed_by": "Borgmester", "signed_on": "2023-06-20"}),
        json!({"state": "signed", "signed_on": "2023-06-20"}),
        json!({"state": "signed", "signed_by": "Borgmester"}),
        json!({"state": "declined", "reservation": "men kun næsten"}),
        json!({"state": "maybe"}),
    ] {
        let (status, refused) = admin
            .send_json(
                Method::PUT,
                &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
                body.clone(),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {refused}"
        );
    }
    assert_eq!(answers_written(&app).await, written, "nothing was written");

    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
            json!({"state": "signed_with_reservation", "reservation": "Kun for jobcentret.",
                   "signed_by": "Anne Jensen", "signed_on": "2023-06-20"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, own) = admin
        .get_json(&format!("/api/v1/agreements/{id}/answers?date=2099-01-01"))
        .await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own.as_array().expect("list").len(), 1);
    assert_eq!(own[0]["municipality"], "Aarhus");
    assert_eq!(own[0]["state"], "signed_with_reservation");
    assert_eq!(own[0]["reservation"], "Kun for jobcentret.");

    // Not another municipality's, not as an ordinary user.
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/agreements/{id}/municipalities/{odense}"),
            json!({"state": "declined"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .api_client("user-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
            json!({"state": "declined"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // On the page: the answer form, a refusal in Danish.
    let browser = app.signed_in("admin-751").await;
    let (status, html) = browser.get_text("/vaerktoejer/aftaler").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kun for jobcentret."), "{html}");
    let token = browser.csrf_token("/vaerktoejer/aftaler").await;
    let aarhus_text = aarhus.to_string();
    let response = browser
        .post_form(
            &format!("/vaerktoejer/aftaler/{id}/svar"),
            &[
                ("csrf_token", &token),
                ("org_id", &aarhus_text),
                ("state", "signed_with_reservation"),
                ("signed_by", "Anne Jensen"),
                ("signed_on", "2023-06-20"),
                ("reservation", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Et forbehold skrives kun ved underskrift med forbehold"),
        "{html}"
    );

    // Staff: a kind of agreement that does not exist is refused.
    let (status, _) = app
        .api_client("staff")
        .await
        .send_json(
            Method::POST,
            "/api/v1/agreements",
            json!({"solution_id": 1, "kind": "lejekontrakt", "name": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
