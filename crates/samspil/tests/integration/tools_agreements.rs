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

async fn count(url: &str, sql: String) -> i64 {
    use sqlx::Connection;
    let sql = sqlx::AssertSqlSafe(sql);
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url)
            .await
            .expect("connects");
        sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connects");
        sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    }
}

#[tokio::test]
async fn an_annex_goes_to_the_signatories_through_the_outbox_and_each_acknowledges() {
    let app = start().await;
    let id = flis(&app, "2099-01-01").await["id"].as_i64().expect("id");
    let staff = app.api_client("staff").await;
    let (status, annex) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/agreements/{id}/annexes"),
            json!({"title": "Bilag C, version 2", "body": "Netcompany flytter driften til et nyt datacenter."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{annex}");
    // The 72 that signed and the 3 with a reservation.
    assert_eq!(annex["recipients"], 75);
    assert_eq!(annex["acknowledged"], 0);
    let annex_id = annex["id"].as_i64().expect("id");
    let url = &app.database_url;
    // One e-mail per administrator with an address in those municipalities
    // (the test's demo people: København, Odense, Aarhus).
    let expected = count(
        url,
        format!(
            "SELECT COUNT(*) FROM users u WHERE u.role = 'admin' AND u.email IS NOT NULL AND u.org_id IN \
             (SELECT org_id FROM annex_recipients WHERE annex_id = {annex_id})"
        ),
    )
    .await;
    assert_eq!(expected, 3);
    let queued =
        format!("SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'annex:{annex_id}:%'");
    assert_eq!(count(url, queued.clone()).await, expected);

    // Aarhus acknowledges on its page; not for Odense.
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let browser = app.signed_in("admin-751").await;
    let (_, html) = browser.get_text("/vaerktoejer/aftaler").await;
    assert!(html.contains("Bilag C, version 2") && html.contains("Kvittér for modtagelsen"));
    let token = browser.csrf_token("/vaerktoejer/aftaler").await;
    let response = browser
        .post_form(
            &format!("/vaerktoejer/aftaler/{id}/bilag/{annex_id}/kvitter"),
            &[("csrf_token", &token), ("org_id", &aarhus.to_string())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = app
        .api_client("admin-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/annexes/{annex_id}/municipalities/{odense}/acknowledgement"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, own) = app
        .api_client("admin-751")
        .await
        .get_json(&format!("/api/v1/agreements/{id}/annexes"))
        .await;
    assert_eq!(own[0]["acknowledged_by_me"], true);
    let (_, all) = staff
        .get_json(&format!("/api/v1/agreements/{id}/annexes"))
        .await;
    assert_eq!(all[0]["acknowledged"], 1);
    let missing: Vec<&str> = all[0]["not_acknowledged"]
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m.as_str().expect("name"))
        .collect();
    assert_eq!(missing.len(), 74);
    assert!(missing.contains(&"København") && !missing.contains(&"Aarhus"));

    // A reminder to those who have not: København's and Odense's
    // administrators, once a day.
    let (status, reminded) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/annexes/{annex_id}/reminders"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reminded}");
    assert_eq!(reminded["queued"], 2);
    let (_, again) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/annexes/{annex_id}/reminders"),
            json!({}),
        )
        .await;
    assert_eq!(again["queued"], 0, "once a day");
    assert_eq!(
        count(
            url,
            format!("SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'annex-reminder:{annex_id}:%'")
        )
        .await,
        2
    );
    // The staff page shows who has not acknowledged.
    let (status, html) = app
        .signed_in("staff")
        .await
        .get_text(&format!("/vaerktoejer/aftaler/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("1 af 75 har kvitteret"), "{html}");
}

#[tokio::test]
async fn a_later_answer_is_kept_in_the_history_and_leaves_the_earlier_totals() {
    let app = start().await;
    let before = flis(&app, "2023-06-21").await;
    let id = before["id"].as_i64().expect("id");
    let aarhus = app.org_id("municipality-751").await;
    let admin = app.api_client("admin-751").await;
    let (status, own) = admin
        .get_json(&format!("/api/v1/agreements/{id}/answers?date=2023-06-21"))
        .await;
    assert_eq!(status, StatusCode::OK, "{own}");
    let then = own[0]["state"].as_str().expect("state").to_owned();
    let (now, counted) = if then == "declined" {
        (json!({"state": "considering"}), "considering")
    } else {
        (json!({"state": "declined"}), "declined")
    };

    // Aarhus changes its answer today.
    let (status, body) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
            now,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // The slide's day still reads as it did; today's totals have moved.
    assert_eq!(flis(&app, "2023-06-21").await["totals"], before["totals"]);
    let today = flis(&app, "2099-01-01").await["totals"].clone();
    assert_eq!(
        today[then.as_str()].as_i64().expect("count"),
        before["totals"][then.as_str()].as_i64().expect("count") - 1
    );
    assert_eq!(
        today[counted].as_i64().expect("count"),
        before["totals"][counted].as_i64().expect("count") + 1
    );
    let (_, own) = admin
        .get_json(&format!("/api/v1/agreements/{id}/answers?date=2023-06-21"))
        .await;
    assert_eq!(own[0]["state"], then.as_str(), "the earlier answer is kept");

    // Both answers are in the history.
    let kept = count(
        &app.database_url,
        format!(
            "SELECT COUNT(*) FROM agreement_answer_history WHERE agreement_id = {id} AND org_id = {aarhus}"
        ),
    )
    .await;
    assert_eq!(kept, 2);
}

#[tokio::test]
async fn eight_answers_at_once_are_all_kept_and_the_last_is_the_current_one() {
    let app = start().await;
    let id = flis(&app, "2099-01-01").await["id"].as_i64().expect("id");
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let admin = app.api_client("admin-751").await;
    let (_, before) = admin
        .get_json(&format!("/api/v1/agreements/{id}/answers/history"))
        .await;
    let before = before.as_array().expect("history").len();

    // Eight answers for Aarhus at the same time, each naming its signer.
    let mut racers = tokio::task::JoinSet::new();
    for i in 0..8 {
        let admin = admin.clone();
        racers.spawn(async move {
            admin
                .send_json(
                    Method::PUT,
                    &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
                    json!({"state": "signed", "signed_by": format!("Underskriver {i}"),
                           "signed_on": "2023-06-20"}),
                )
                .await
                .0
        });
    }
    let statuses = racers.join_all().await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NO_CONTENT),
        "{statuses:?}"
    );

    let (status, history) = admin
        .get_json(&format!("/api/v1/agreements/{id}/answers/history"))
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let history = history.as_array().expect("history");
    assert_eq!(history.len(), before + 8, "every answer is kept");
    assert!(history.iter().all(|h| h["municipality"] == "Aarhus"));
    let mut signers: Vec<&str> = history[before..]
        .iter()
        .map(|h| h["signed_by"].as_str().expect("signer"))
        .collect();
    let last = *signers.last().expect("one");
    signers.sort();
    assert_eq!(
        signers,
        (0..8)
            .map(|i| format!("Underskriver {i}"))
            .collect::<Vec<_>>()
    );
    let (_, current) = admin
        .get_json(&format!("/api/v1/agreements/{id}/answers?date=2099-01-01"))
        .await;
    assert_eq!(
        current[0]["signed_by"], last,
        "the current answer is the last"
    );

    // Staff see one municipality's, or all; Aarhus asking for Odense's
    // gets its own.
    let staff = app.api_client("staff").await;
    let (_, odense_history) = staff
        .get_json(&format!(
            "/api/v1/agreements/{id}/answers/history?org_id={odense}"
        ))
        .await;
    let odense_history = odense_history.as_array().expect("history");
    assert!(!odense_history.is_empty());
    assert!(odense_history.iter().all(|h| h["municipality"] == "Odense"));
    let (_, all) = staff
        .get_json(&format!("/api/v1/agreements/{id}/answers/history"))
        .await;
    assert!(all.as_array().expect("all").len() >= 98 + 8);
    let (_, asked) = admin
        .get_json(&format!(
            "/api/v1/agreements/{id}/answers/history?org_id={odense}"
        ))
        .await;
    assert!(
        asked
            .as_array()
            .expect("own")
            .iter()
            .all(|h| h["municipality"] == "Aarhus")
    );

    // On the pages: the municipality's own history, newest first; not
    // another's; staff any.
    let browser = app.signed_in("admin-751").await;
    let (_, list) = browser.get_text("/vaerktoejer/aftaler").await;
    assert!(list.contains(&format!("/vaerktoejer/aftaler/{id}/kommuner/{aarhus}")));
    let (status, html) = browser
        .get_text(&format!("/vaerktoejer/aftaler/{id}/kommuner/{aarhus}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("svar fra Aarhus"), "{html}");
    let newest = html.find(last).expect("the last signer is shown");
    for i in 0..8 {
        let other = format!("Underskriver {i}");
        assert!(html.find(&other).expect("each signer") >= newest);
    }
    let (status, _) = browser
        .get_text(&format!("/vaerktoejer/aftaler/{id}/kommuner/{odense}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, html) = app
        .signed_in("staff")
        .await
        .get_text(&format!("/vaerktoejer/aftaler/{id}/kommuner/{odense}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("svar fra Odense"), "{html}");
}

/// A file posted to an upload form, as a browser sends it.
async fn upload(
    app: &TestApp,
    browser: &crate::harness::Browser,
    form_page: &str,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> reqwest::Response {
    let csrf = browser.csrf_token(form_page).await;
    let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf);
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(file.1.to_vec()).file_name(file.0.to_owned()),
    );
    browser
        .client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn document_versions_newest_first_and_the_signed_pdf_for_staff_and_its_municipality_only() {
    let app = start().await;
    let id = flis(&app, "2099-01-01").await["id"].as_i64().expect("id");
    let aarhus = app.org_id("municipality-751").await;
    let url = &app.database_url;
    let staff = app.signed_in("staff").await;
    let page = format!("/vaerktoejer/aftaler/{id}");
    let post = format!("/vaerktoejer/aftaler/{id}/dokumenter");
    let documents = || {
        count(
            url,
            format!("SELECT COUNT(*) FROM agreement_documents WHERE agreement_id = {id}"),
        )
    };

    // Refused at the field with nothing written: no note, a kind a browser
    // would run, no file.
    for (fields, file, expected) in [
        (
            vec![],
            ("FLIS.pdf", &b"%PDF-1.7 a"[..]),
            "Skriv, hvad der er ændret",
        ),
        (
            vec![("note", "Ny")],
            ("FLIS.html", &b"<script>"[..]),
            "Den filtype modtages ikke",
        ),
        (vec![("note", "Ny")], ("", &b""[..]), "Vælg en fil"),
    ] {
        let response = upload(&app, &staff, &page, &post, &fields, file).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("text");
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert_eq!(documents().await, 0, "nothing was written");

    let first = b"%PDF-1.7 tilslutningsaftale".to_vec();
    let response = upload(
        &app,
        &staff,
        &page,
        &post,
        &[("note", "Første udgave")],
        ("FLIS 24.pdf", &first),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = upload(
        &app,
        &staff,
        &page,
        &post,
        &[("note", "Nyt bilag C")],
        ("FLIS 24 v2.docx", b"PK docx"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(documents().await, 2);
    let (_, html) = staff.get_text(&page).await;
    let (v2, v1) = (
        html.find("Version 2").expect("v2"),
        html.find("Version 1").expect("v1"),
    );
    assert!(v2 < v1, "newest first");
    assert!(html.contains("Nyt bilag C"));

    // A municipality lists and downloads them.
    let (_, listed) = app
        .api_client("admin-751")
        .await
        .get_json(&format!("/api/v1/agreements/{id}/documents"))
        .await;
    assert_eq!(listed[0]["version"], 2);
    assert_eq!(listed[1]["note"], "Første udgave");
    let doc = listed[1]["id"].as_i64().expect("id");
    let admin = app.signed_in("admin-751").await;
    let response = admin
        .get(&format!("/vaerktoejer/aftaler/{id}/dokumenter/{doc}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    assert_eq!(response.bytes().await.expect("bytes").to_vec(), first);
    // Not uploaded by a municipality.
    let response = upload(
        &app,
        &admin,
        "/vaerktoejer/aftaler",
        &post,
        &[("note", "x")],
        ("x.pdf", b"%PDF-1"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // The signed document: only with a signature, only a PDF.
    let history = format!("/vaerktoejer/aftaler/{id}/kommuner/{aarhus}");
    let signed_post = format!("{history}/underskrevet");
    let api = app.api_client("admin-751").await;
    let answer = |state: Value| {
        let api = api.clone();
        async move {
            let (status, body) = api
                .send_json(
                    Method::PUT,
                    &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
                    state,
                )
                .await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        }
    };
    answer(json!({"state": "considering"})).await;
    let signed_pdf = b"%PDF-1.7 underskrevet af Aarhus".to_vec();
    let response = upload(
        &app,
        &admin,
        &history,
        &signed_post,
        &[],
        ("underskrevet.pdf", &signed_pdf),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("hører til en underskrift")
    );
    answer(json!({"state": "signed", "signed_by": "Anne Jensen", "signed_on": "2023-06-20"})).await;
    for (name, content) in [
        ("underskrevet.docx", &b"PK"[..]),
        ("forklædt.pdf", &b"MZ not a pdf"[..]),
    ] {
        let response = upload(&app, &admin, &history, &signed_post, &[], (name, content)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        assert!(
            response
                .text()
                .await
                .expect("text")
                .contains("skal være en PDF-fil"),
            "{name}"
        );
    }
    let signed_count =
        format!("SELECT COUNT(*) FROM agreement_signed_documents WHERE agreement_id = {id}");
    assert_eq!(
        count(url, signed_count.clone()).await,
        0,
        "nothing was written"
    );
    let response = upload(
        &app,
        &admin,
        &history,
        &signed_post,
        &[],
        ("underskrevet.pdf", &signed_pdf),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(url, signed_count).await, 1);
    let (_, html) = admin.get_text(&history).await;
    let link = html
        .split(&format!("{history}/underskrevet/"))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a download link")
        .to_owned();
    let download = format!("{history}/underskrevet/{link}");
    for (who, expected) in [
        ("staff", StatusCode::OK),
        ("admin-751", StatusCode::OK),
        ("admin-461", StatusCode::FORBIDDEN),
        ("user-461", StatusCode::FORBIDDEN),
    ] {
        let response = app.signed_in(who).await.get(&download).await;
        assert_eq!(response.status(), expected, "{who}");
        if expected == StatusCode::OK {
            assert_eq!(response.bytes().await.expect("bytes").to_vec(), signed_pdf);
        }
    }
    let audited = count(url, "SELECT COUNT(*) FROM audit_log WHERE action IN ('agreement.document.add', 'agreement.signed_document.add')".into()).await;
    assert_eq!(audited, 3);
}

/// Aarhus' administrator becomes its signatory in the role gallery; the
/// other municipalities keep only their KOMBIT-programleder (the demo's
/// ordinary user).
async fn aarhus_signatory(app: &TestApp) -> samspil_storage::User {
    use samspil_domain::{OrgId, Principal};
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let access = Principal::operator()
        .admin_access(aarhus)
        .expect("operator");
    let admin = app
        .storage
        .users(&access)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.login.as_str() == "admin-751")
        .expect("Aarhus' administrator");
    let role = app
        .coordination
        .roles()
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.name == samspil_tools::agreements::SIGNATORY_ROLE)
        .expect("the signatory role");
    if let Some(solution) = role.solution_id {
        app.coordination
            .grant_solution_access(&access, admin.id, solution)
            .await
            .expect("access");
    }
    app.coordination
        .assign_role(
            &access,
            &samspil_coordination_storage::NewAssignment {
                role_id: role.id,
                user_id: admin.id,
                period: samspil_coordination::role::AssignmentPeriod::new(
                    time::macros::date!(2023 - 01 - 01),
                    None,
                )
                .expect("period"),
                primary: false,
                note: String::new(),
            },
        )
        .await
        .expect("assigned");
    admin
}

#[tokio::test]
async fn the_signer_and_the_annex_mail_come_from_the_role_gallery() {
    let app = TestApp::start_with_roles().await;
    samspil::demo::agreements::load(&app.stores())
        .await
        .expect("demo agreements load");
    let signatory = aarhus_signatory(&app).await;
    let id = flis(&app, "2099-01-01").await["id"].as_i64().expect("id");
    let url = &app.database_url;

    // Aarhus' answer form names the signatory and is pre-filled with them
    // where the answer names no one yet.
    let aarhus = app.org_id("municipality-751").await;
    let admin = app.api_client("admin-751").await;
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
            json!({"state": "considering"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, html) = app
        .signed_in("admin-751")
        .await
        .get_text("/vaerktoejer/aftaler")
        .await;
    let name = &signatory.display_name;
    assert!(
        html.contains(&format!("(rollegalleriet): {name}.")),
        "the hint names the signatory: {html}"
    );
    assert!(
        html.contains(&format!("name=\"signed_by\" type=\"text\" aria-describedby=\"answer-{id}-signed-by-hint\" value=\"{name}\"")),
        "pre-filled: {html}"
    );
    // Odense has no signatory: named by hand.
    let (_, html) = app
        .signed_in("admin-461")
        .await
        .get_text("/vaerktoejer/aftaler")
        .await;
    assert!(
        html.contains("Skriv navnet på den, der underskrev"),
        "{html}"
    );

    // Aarhus signs again; a new annex goes to its signatory, and to the
    // others' programme manager, not to their administrators.
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
            json!({"state": "signed", "signed_by": name, "signed_on": "2023-06-20"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let staff = app.api_client("staff").await;
    let (status, annex) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/agreements/{id}/annexes"),
            json!({"title": "Bilag C, version 3"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{annex}");
    let annex_id = annex["id"].as_i64().expect("id");
    let to = |login: &str| {
        format!(
            "SELECT COUNT(*) FROM deliveries d JOIN users u ON u.id = d.user_id \
             WHERE d.delivery_key LIKE 'annex:{annex_id}:%' AND u.login = '{login}'"
        )
    };
    assert_eq!(count(url, to("admin-751")).await, 1, "Aarhus' signatory");
    assert_eq!(
        count(url, to("user-751")).await,
        0,
        "not Aarhus' programme manager"
    );
    let others_signed = count(
        url,
        format!(
            "SELECT COUNT(*) FROM annex_recipients r JOIN organisations o ON o.id = r.org_id \
             WHERE r.annex_id = {annex_id} AND o.code IN (101, 461)"
        ),
    )
    .await;
    assert!(others_signed >= 1, "København or Odense signed in the demo");
    let managers = count(url, to("user-101")).await + count(url, to("user-461")).await;
    let admins = count(url, to("admin-101")).await + count(url, to("admin-461")).await;
    assert_eq!(
        managers, others_signed,
        "the programme managers of those that signed"
    );
    assert_eq!(admins, 0, "not the administrators");
}

#[tokio::test]
async fn a_reminder_goes_to_those_who_have_not_answered_once_a_day_even_pressed_four_times_at_once()
{
    let app = TestApp::start_with_roles().await;
    samspil::demo::agreements::load(&app.stores())
        .await
        .expect("demo agreements load");
    let id = flis(&app, "2099-01-01").await["id"].as_i64().expect("id");
    let aarhus = app.org_id("municipality-751").await;
    let url = &app.database_url;
    let (status, _) = app
        .api_client("admin-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/agreements/{id}/municipalities/{aarhus}"),
            json!({"state": "considering"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let unanswered = flis(&app, "2099-01-01").await["totals"]["considering"]
        .as_i64()
        .expect("count");

    // Four presses at once: one reminder, three refusals.
    let staff = app.api_client("staff").await;
    let mut racers = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let staff = staff.clone();
        racers.spawn(async move {
            staff
                .send_json(
                    Method::POST,
                    &format!("/api/v1/agreements/{id}/reminders"),
                    json!({}),
                )
                .await
        });
    }
    let answers = racers.join_all().await;
    let sent: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(sent.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|(s, _)| *s != StatusCode::CREATED)
            .all(|(s, _)| *s == StatusCode::UNPROCESSABLE_ENTITY),
        "{answers:?}"
    );
    assert_eq!(sent[0]["municipalities"], unanswered);
    let reminders = count(
        url,
        format!("SELECT COUNT(*) FROM agreement_reminders WHERE agreement_id = {id}"),
    )
    .await;
    assert_eq!(reminders, 1);
    let to = |login: &str| {
        format!(
            "SELECT COUNT(*) FROM deliveries d JOIN users u ON u.id = d.user_id \
             WHERE d.delivery_key LIKE 'agreement-reminder:{id}:%' AND u.login = '{login}'"
        )
    };
    // Aarhus has no signatory: its programme manager, not its administrator.
    assert_eq!(count(url, to("user-751")).await, 1);
    assert_eq!(count(url, to("admin-751")).await, 0);
    let all = count(
        url,
        format!(
            "SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'agreement-reminder:{id}:%'"
        ),
    )
    .await;
    assert_eq!(sent[0]["emails"], all);

    // The page shows when it was sent; a second press today is refused
    // there in Danish, and nothing more is queued.
    let browser = app.signed_in("staff").await;
    let page = format!("/vaerktoejer/aftaler/{id}");
    let (_, html) = browser.get_text(&page).await;
    assert!(html.contains("Påmindelse senest sendt"), "{html}");
    let token = browser.csrf_token(&page).await;
    let response = browser
        .post_form(&format!("{page}/paamind"), &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Der er allerede sendt en påmindelse om aftalen i dag"),
        "{html}"
    );
    assert_eq!(
        count(
            url,
            format!("SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'agreement-reminder:{id}:%'"),
        )
        .await,
        all
    );
    // Not for a municipality.
    let (status, _) = app
        .api_client("admin-751")
        .await
        .send_json(
            Method::POST,
            &format!("/api/v1/agreements/{id}/reminders"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
