//! The chain of responsibility for incidents through HTTP (issue 19), on
//! SQLite and PostgreSQL: the slides' two examples as the demo loads them,
//! a chain walked over the API by each party with its own token
//! (e-bonding by its own reference), moves the table refuses, a CPR number
//! refused where it was typed with nothing written, each party seeing only
//! its own links, and parallel moves of one link decided one at a time.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::TestApp;

async fn start() -> TestApp {
    let app = TestApp::start().await;
    assert!(
        samspil::demo::incidents::load(&app.stores())
            .await
            .expect("demo incidents load")
    );
    app
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    use sqlx::Connection;
    if app.database_url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .expect("connects");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    } else {
        let mut conn = sqlx::PgConnection::connect(&app.database_url)
            .await
            .expect("connects");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut conn)
            .await
            .expect("counts")
    }
}

async fn party_id(app: &TestApp, key: &str) -> i64 {
    app.org_id(key).await
}

/// Opens an incident at KY's desk over the API and forwards it to the
/// CPR vendor; its id.
async fn opened_and_forwarded(app: &TestApp) -> i64 {
    let desk = app.api_client("desk-ky").await;
    let (status, opened) = desk
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            json!({
                "reporter_name": "Sagsbehandler", "reporter_contact": "sb@aarhus.example",
                "solution": "KY", "occurred_at": "2026-01-05T09:00:00Z",
                "what_happened": "Opslaget fejler", "examples": ["Sag 17"],
                "user_priority": 1
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let id = opened["id"].as_i64().expect("id");
    let vendor = party_id(app, "incident-vendor-cpr").await;
    let (status, forwarded) = desk
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/links"),
            json!({ "receiver": vendor }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{forwarded}");
    let link = &forwarded["links"][0];
    assert_eq!(link["state"], "open");
    // The desk's P2 is the vendor's A by the mapping.
    assert_eq!(link["sender_priority"], "P2 Høj");
    assert_eq!(link["priority"], "A – kritisk");
    assert_eq!(link["response"]["status"], "running");
    id
}

#[tokio::test]
async fn the_slides_two_examples_are_the_demo() {
    let app = start().await;
    let desk = app.api_client("desk-ky").await;
    let (status, list) = desk.get_json("/api/v1/incidents").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let ky: Vec<&Value> = list.as_array().expect("list").iter().collect();
    assert_eq!(ky.len(), 1, "KY's desk sees its own incident only: {list}");
    assert_eq!(ky[0]["state"], "resolved");
    let (status, sapa) = app
        .api_client("desk-support")
        .await
        .get_json("/api/v1/incidents")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sapa.as_array().expect("list").len(), 1);
    let id = sapa[0]["id"].as_i64().expect("id");
    let (_, seen) = app
        .api_client("desk-support")
        .await
        .get_json(&format!("/api/v1/incidents/{id}"))
        .await;
    let links = seen["links"].as_array().expect("links");
    assert_eq!(links.len(), 2, "its link and the one it forwarded: {seen}");
    assert_eq!(links[1]["receiver"], "Aarhus");
    assert_eq!(links[1]["state"], "open");

    // The pages: the list, the incident with its chain, the reporter's
    // view, the community's report.
    let browser = app.signed_in("desk-support").await;
    let (status, html) = browser.get_text("/vaerktoejer/haendelser").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("SAPA"), "{html}");
    let (status, html) = browser
        .get_text(&format!("/vaerktoejer/haendelser/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Støttesystemernes servicedesk → Aarhus"),
        "{html}"
    );
    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text("/vaerktoejer/haendelser/rapport").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Leverandør af CPR-kildesystemet"), "{html}");
    let reporter = app.signed_in("user-751").await;
    let (status, html) = reporter
        .get_text(&format!("/vaerktoejer/haendelser/{}/anmelder", ky[0]["id"]))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Leverandøren har rettet fejlen"), "{html}");
    assert!(!html.contains("CPR-4711"), "nothing of the chain: {html}");
}

#[tokio::test]
async fn a_chain_walked_over_the_api_with_e_bonding_by_the_vendors_own_reference() {
    let app = start().await;
    let id = opened_and_forwarded(&app).await;
    let vendor = app.api_client("vendor-cpr").await;
    let (status, accepted) = vendor
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/links/1/actions"),
            json!({ "action": "accept" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["links"][0]["response"]["status"], "stopped");
    let (status, _) = vendor
        .send_json(
            Method::PUT,
            &format!("/api/v1/incidents/{id}/links/1/reference"),
            json!({ "reference": "INC-991" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The vendor's desk system finds its link by its own number.
    let (status, found) = vendor
        .get_json("/api/v1/incident-links?reference=INC-991")
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found, json!({ "incident": id, "link": 1 }));
    // Another party does not find it.
    let (status, _) = app
        .api_client("desk-sapa")
        .await
        .get_json("/api/v1/incident-links?reference=INC-991")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The table refuses what is not the vendor's move, and changes nothing.
    let (status, refused) = vendor
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/links/1/actions"),
            json!({ "action": "reopen", "reason": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, refused) = vendor
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/links/1/actions"),
            json!({ "action": "resolve" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed: {refused}"
    );
    let (status, resolved) = vendor
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/links/1/actions"),
            json!({ "action": "resolve", "reason": "Rettet i 3.2.2" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{resolved}");
    assert_eq!(resolved["links"][0]["state"], "resolved");

    // The owner closes the link, resolves and closes the incident — through
    // the pages, with a refusal in place first.
    let browser = app.signed_in("desk-ky").await;
    let page = format!("/vaerktoejer/haendelser/{id}");
    let csrf = browser.csrf_token(&page).await;
    let response = browser
        .post_form(
            &format!("{page}/luk"),
            &[("csrf_token", &csrf), ("text", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(html.contains("Hændelsen er ikke løst endnu."), "{html}");
    let response = browser
        .post_form(
            &format!("{page}/led/1"),
            &[("csrf_token", &csrf), ("action", "close"), ("reason", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = browser
        .post_form(
            &format!("{page}/loes"),
            &[
                ("csrf_token", &csrf),
                ("text", "Leverandøren har rettet fejlen."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, seen) = app
        .api_client("desk-ky")
        .await
        .get_json(&format!("/api/v1/incidents/{id}"))
        .await;
    assert_eq!(seen["state"], "resolved");
    // Every change audited; the vendor told of the forward by the outbox.
    assert!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'incident' AND entity_id = '{id}'")
        )
        .await
            >= 7
    );
    assert!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'incident:{id}:1:forwarded:%'")
        )
        .await
            >= 1
    );
}

#[tokio::test]
async fn a_cpr_number_is_refused_where_it_was_typed_and_nothing_is_written() {
    let app = start().await;
    let before = count(&app, "SELECT COUNT(*) FROM incidents").await;
    let browser = app.signed_in("desk-ky").await;
    let csrf = browser.csrf_token("/vaerktoejer/haendelser").await;
    let response = browser
        .post_form(
            "/vaerktoejer/haendelser",
            &[
                ("csrf_token", &csrf),
                ("reporter_name", "Sagsbehandler"),
                ("reporter_contact", "sb@aarhus.example"),
                ("municipality", ""),
                ("solution", "KY"),
                ("occurred_at", "2026-01-05T09:00"),
                ("what_happened", "Fejl ved opslag af 010203-1234"),
                ("examples", ""),
                ("error_messages", ""),
                ("user_priority", "2"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(html.contains("Teksten indeholder et CPR-nummer"), "{html}");
    assert!(html.contains("error-summary"), "{html}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM incidents").await, before);
    // A priority that is not a number: the same page, not a 400 or 500.
    let response = browser
        .post_form(
            "/vaerktoejer/haendelser",
            &[("csrf_token", &csrf), ("user_priority", "høj")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Over the API: 422, nothing written, the number not repeated.
    let (status, refused) = app
        .api_client("desk-ky")
        .await
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            json!({
                "reporter_name": "Sagsbehandler", "reporter_contact": "sb@aarhus.example",
                "solution": "KY", "occurred_at": "2026-01-05T09:00:00Z",
                "what_happened": "Opslaget fejler", "examples": ["CPR 0102031234"],
                "user_priority": 1
            }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(!refused.to_string().contains("0102031234"), "{refused}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM incidents").await, before);
}

#[tokio::test]
async fn each_party_sees_the_links_it_is_part_of_and_nothing_else() {
    let app = start().await;
    let (_, sapa) = app
        .api_client("desk-sapa")
        .await
        .get_json("/api/v1/incidents")
        .await;
    let sapa_id = sapa[0]["id"].as_i64().expect("id");
    let (_, ky) = app
        .api_client("desk-ky")
        .await
        .get_json("/api/v1/incidents")
        .await;
    let ky_id = ky[0]["id"].as_i64().expect("id");
    // A vendor never sees another chain's incident, by API or page.
    let (status, _) = app
        .api_client("vendor-cpr")
        .await
        .get_json(&format!("/api/v1/incidents/{sapa_id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let vendor = app.signed_in("vendor-cpr").await;
    for path in [
        format!("/vaerktoejer/haendelser/{sapa_id}"),
        format!("/vaerktoejer/haendelser/{sapa_id}/anmelder"),
    ] {
        let (status, html) = vendor.get_text(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!html.contains("SAPA"), "{path}: {html}");
    }
    let csrf = vendor.csrf_token("/vaerktoejer/haendelser").await;
    let response = vendor
        .post_form(
            &format!("/vaerktoejer/haendelser/{sapa_id}/led/1"),
            &[("csrf_token", &csrf), ("action", "accept"), ("reason", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // SAPA's desk sees its own link, not the one the support desk made.
    let (_, seen) = app
        .api_client("desk-sapa")
        .await
        .get_json(&format!("/api/v1/incidents/{sapa_id}"))
        .await;
    assert_eq!(seen["links"].as_array().expect("links").len(), 1, "{seen}");
    // The municipality sees its people's incidents, another none.
    let (status, _) = app
        .api_client("user-751")
        .await
        .get_json(&format!("/api/v1/incidents/{ky_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .api_client("user-101")
        .await
        .get_json(&format!("/api/v1/incidents/{ky_id}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "København takes no part");
    let other = app.signed_in("user-101").await;
    // Outside the chain, the list tells where to go instead of refusing.
    let (status, body) = other.get_text("/vaerktoejer/haendelser").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains("ikke en part i kæden") && body.contains("Servicedesk"),
        "{body}"
    );
    let (status, _) = other
        .get_text(&format!("/vaerktoejer/haendelser/{ky_id}/anmelder"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The community sees everything.
    let (_, all) = app
        .api_client("staff")
        .await
        .get_json("/api/v1/incidents")
        .await;
    assert_eq!(all.as_array().expect("list").len(), 2);
}

#[tokio::test]
async fn parallel_moves_of_one_link_are_decided_one_at_a_time() {
    let app = start().await;
    let id = opened_and_forwarded(&app).await;
    let vendor = app.api_client("vendor-cpr").await;
    let moves = [
        "accept",
        "reject",
        "accept",
        "resolve",
        "reject",
        "accept",
        "ask_for_information",
        "accept",
    ];
    let mut tasks = Vec::new();
    for action in moves {
        let vendor = vendor.clone();
        let path = format!("/api/v1/incidents/{id}/links/1/actions");
        tasks.push(tokio::spawn(async move {
            vendor
                .send_json(
                    Method::POST,
                    &path,
                    json!({ "action": action, "reason": "parallel" }),
                )
                .await
                .0
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task ends"));
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNPROCESSABLE_ENTITY),
        "{statuses:?}"
    );
    // Whatever won, the history holds exactly the moves that were allowed
    // one after the other, and the audit log one entry for each.
    let acts = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'incident.act' AND entity_id = '{id}'"
        ),
    )
    .await;
    assert_eq!(acts as usize, ok, "{statuses:?}");
    let (_, seen) = vendor.get_json(&format!("/api/v1/incidents/{id}")).await;
    let history = seen["links"][0]["history"].as_array().expect("history");
    assert_eq!(history.len(), 1 + ok, "{seen}");
    assert!(ok >= 1, "{statuses:?}");
}

#[tokio::test]
async fn an_overdue_link_escalates_to_the_community_by_the_job() {
    let app = start().await;
    let stores = app.stores();
    let later = samspil_storage::now() + time::Duration::days(30);
    let escalated = stores.tools.escalate_due(later).await.expect("escalates");
    assert!(escalated >= 1, "the SAPA chain's open link is overdue");
    assert_eq!(
        stores.tools.escalate_due(later).await.expect("again"),
        0,
        "once"
    );
    let (_, all) = app
        .api_client("staff")
        .await
        .get_json("/api/v1/incidents")
        .await;
    assert!(
        all.as_array()
            .expect("list")
            .iter()
            .any(|i| i["state"] == "escalated"),
        "{all}"
    );
}

/// The intake form a municipal user sends to a desk: everything a desk's
/// own intake asks, with `what` as the description and `examples`.
fn report_form<'a>(csrf: &'a str, what: &'a str, examples: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("reporter_name", "Sagsbehandler i København"),
        ("reporter_contact", "sb@kk.example"),
        ("solution", "KY"),
        ("occurred_at", "2026-01-05T09:00"),
        ("what_happened", what),
        ("examples", examples),
        ("error_messages", "Fejl 500"),
        ("user_priority", "1"),
    ]
}

#[tokio::test]
async fn a_municipal_user_reports_to_a_desk_and_follows_it_in_their_own_list() {
    let app = start().await;
    let desk = party_id(&app, "incident-desk-ky").await;
    let before = count(&app, "SELECT COUNT(*) FROM incidents").await;
    // København takes no part in the chain: its person is shown the desks
    // with a link to report to each.
    let user = app.signed_in("user-101").await;
    let (status, html) = user.get_text("/vaerktoejer/haendelser").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let form = format!("/vaerktoejer/haendelser/meld/{desk}");
    assert!(html.contains(&format!("href=\"{form}\"")), "{html}");
    assert!(!html.contains("mine-caption"), "nothing reported yet");
    let (status, html) = user.get_text(&form).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("Meld en hændelse til Servicedesk for KY"),
        "{html}"
    );

    // A CPR number is refused at its field, everything typed kept, nothing
    // written.
    let csrf = user.csrf_token(&form).await;
    let response = user
        .post_form(
            &form,
            &report_form(&csrf, "Opslaget fejler i KY", "borger 010203-1234"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(html.contains("Teksten indeholder et CPR-nummer"), "{html}");
    assert!(
        html.contains("id=\"report-examples-error\""),
        "at the field: {html}"
    );
    assert!(
        html.contains("Opslaget fejler i KY"),
        "typed text kept: {html}"
    );
    assert_eq!(
        html.matches("010203-1234").count(),
        1,
        "the number only where it was typed: {html}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM incidents").await, before);

    // The report: the desk owns it, is told by the outbox, the change is
    // audited, and the reporter lands on their view of it.
    let response = user
        .post_form(
            &form,
            &report_form(&csrf, "Opslaget fejler i KY", "Sag 2026-17"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("location")
        .to_owned();
    let id: i64 = location
        .trim_start_matches("/vaerktoejer/haendelser/")
        .trim_end_matches("/anmelder")
        .parse()
        .expect("the new incident's number");
    let (_, seen) = app
        .api_client("desk-ky")
        .await
        .get_json(&format!("/api/v1/incidents/{id}"))
        .await;
    assert_eq!(seen["owner"], "Servicedesk for KY", "{seen}");
    assert_eq!(seen["state"], "at_desk", "{seen}");
    assert_eq!(seen["examples"], json!(["Sag 2026-17"]), "{seen}");
    assert!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'incident:{id}:reported:%'"
            )
        )
        .await
            >= 1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'incident.report' AND entity_id = '{id}'")
        )
        .await,
        1
    );

    // The desk replies; the reporter sees the reply and the state, in their
    // own list too.
    let staff = app.signed_in("desk-ky").await;
    let page = format!("/vaerktoejer/haendelser/{id}");
    let desk_csrf = staff.csrf_token(&page).await;
    let response = staff
        .post_form(
            &format!("{page}/svar"),
            &[("csrf_token", &desk_csrf), ("text", "Vi undersøger sagen.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, html) = user.get_text(&location).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Vi undersøger sagen."), "{html}");
    assert!(html.contains("hos servicedesken"), "{html}");
    let (_, html) = user.get_text("/vaerktoejer/haendelser").await;
    assert!(html.contains("mine-caption"), "{html}");
    assert!(html.contains(&format!("href=\"{location}\"")), "{html}");

    // Another municipality's person sees nothing of it; a vendor reports
    // nothing to a desk; a desk that is not one is not found.
    let aarhus = app.signed_in("user-751").await;
    let (status, _) = aarhus.get_text(&location).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, html) = aarhus.get_text("/vaerktoejer/haendelser").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("href=\"{form}\"")),
        "a party too: {html}"
    );
    assert!(!html.contains(&format!("href=\"{location}\"")), "{html}");
    let vendor = app.signed_in("vendor-cpr").await;
    let (status, _) = vendor.get_text(&form).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let not_a_desk = party_id(&app, "incident-vendor-cpr").await;
    let (status, _) = user
        .get_text(&format!("/vaerktoejer/haendelser/meld/{not_a_desk}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A file posted to an incident's upload form, as a browser sends it.
async fn upload(
    app: &TestApp,
    browser: &crate::harness::Browser,
    id: i64,
    name: &str,
    content: Vec<u8>,
) -> reqwest::Response {
    let page = format!("/vaerktoejer/haendelser/{id}");
    let csrf = browser.csrf_token("/vaerktoejer/haendelser").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .part(
            "file",
            reqwest::multipart::Part::bytes(content).file_name(name.to_owned()),
        );
    browser
        .client
        .post(app.url(&format!("{page}/filer")))
        .multipart(form)
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn a_screenshot_is_for_the_incidents_parties_and_its_reporter_only() {
    let app = start().await;
    let desk = party_id(&app, "incident-desk-ky").await;
    let user = app.signed_in("user-101").await;
    let form = format!("/vaerktoejer/haendelser/meld/{desk}");
    let csrf = user.csrf_token(&form).await;
    let response = user
        .post_form(&form, &report_form(&csrf, "Skærmen fryser", "Sag 9"))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let id: i64 = location
        .trim_start_matches("/vaerktoejer/haendelser/")
        .trim_end_matches("/anmelder")
        .parse()
        .expect("number");
    let files = || async {
        count(
            &app,
            &format!("SELECT COUNT(*) FROM incident_files WHERE incident_id = {id}"),
        )
        .await
    };

    // The reporter adds a screenshot right after the report; a kind a
    // browser would run and an empty file are refused at the file field.
    let png = b"\x89PNG\r\n\x1a\nskaermbillede".to_vec();
    let response = upload(&app, &user, id, "fejl.png", png.clone()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{location}#filer").as_str()
    );
    let response = upload(&app, &user, id, "side.html", b"<script>".to_vec()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(html.contains("Den filtype modtages ikke"), "{html}");
    assert!(html.contains("id=\"file-file-error\""), "{html}");
    let response = upload(&app, &user, id, "", Vec::new()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(files().await, 1);

    // The desk sees it on the incident and adds its own; both fetch them
    // as downloads.
    let staff = app.signed_in("desk-ky").await;
    let (status, html) = staff
        .get_text(&format!("/vaerktoejer/haendelser/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("fejl.png"), "{html}");
    let response = upload(&app, &staff, id, "log.txt", b"fejl 500".to_vec()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("/vaerktoejer/haendelser/{id}#filer").as_str()
    );
    let first: i64 = count(
        &app,
        &format!("SELECT MIN(id) FROM incident_files WHERE incident_id = {id}"),
    )
    .await;
    let download = format!("/vaerktoejer/haendelser/{id}/filer/{first}");
    for browser in [&user, &staff] {
        let response = browser.get(&download).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .expect("header")
                .starts_with("attachment;")
        );
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(response.bytes().await.expect("bytes").to_vec(), png);
    }
    let (_, html) = user.get_text(&location).await;
    assert!(
        html.contains("log.txt"),
        "the reporter sees the desk's: {html}"
    );

    // Nobody else: not a vendor outside the chain, not another
    // municipality; neither adds one.
    for login in ["vendor-cpr", "user-751", "desk-sapa"] {
        let other = app.signed_in(login).await;
        let response = other.get(&download).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{login}");
        let response = upload(&app, &other, id, "x.png", png.clone()).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{login}");
    }
    assert_eq!(files().await, 2);
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'incident.file.add' AND entity_id = '{id}'")
        )
        .await,
        2
    );
}

#[tokio::test]
async fn the_reporter_hears_at_the_desks_interval_once_whatever_the_runners() {
    let app = start().await;
    let desk = party_id(&app, "incident-desk-ky").await;
    // The desk sets its interval on its page; a wrong one is refused at the
    // field, nothing written.
    let staff = app.signed_in("desk-ky").await;
    let csrf = staff.csrf_token("/vaerktoejer/haendelser").await;
    for wrong in ["0", "31", "to"] {
        let response = staff
            .post_form(
                "/vaerktoejer/haendelser/interval",
                &[("csrf_token", &csrf), ("days", wrong)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{wrong}"
        );
        let html = response.text().await.expect("text");
        assert!(html.contains("id=\"interval-days-error\""), "{html}");
        assert!(html.contains("Skriv et antal dage fra 1 til 30"), "{html}");
    }
    let stores = app.stores();
    assert_eq!(
        stores
            .tools
            .reporter_interval(samspil_domain::OrgId(desk))
            .await
            .expect("read"),
        None
    );
    let response = staff
        .post_form(
            "/vaerktoejer/haendelser/interval",
            &[("csrf_token", &csrf), ("days", "2"), ("business", "1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let interval = stores
        .tools
        .reporter_interval(samspil_domain::OrgId(desk))
        .await
        .expect("read")
        .expect("set");
    assert_eq!((interval.days(), interval.business()), (2, true));

    // A caseworker reports; nothing is due until two business days pass.
    let user = app.signed_in("user-101").await;
    let form = format!("/vaerktoejer/haendelser/meld/{desk}");
    let csrf = user.csrf_token(&form).await;
    let response = user
        .post_form(&form, &report_form(&csrf, "Listen er tom", "Sag 4"))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let updates = || async {
        count(
            &app,
            "SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'incident:%:update:%'",
        )
        .await
    };
    let now = samspil_storage::now();
    assert_eq!(
        stores.tools.send_reporter_updates(now).await.expect("runs"),
        0
    );
    // A week on, eight runners at once: one update, one audit entry.
    let later = now + time::Duration::days(7);
    let mut runs = Vec::new();
    for _ in 0..8 {
        let tools = stores.tools.clone();
        runs.push(tokio::spawn(async move {
            tools.send_reporter_updates(later).await
        }));
    }
    let mut sent = 0;
    for run in runs {
        sent += run.await.expect("ends").expect("runs");
    }
    assert_eq!(sent, 1, "once per interval");
    assert_eq!(updates().await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'incident.reporter_update'"
        )
        .await,
        1
    );
    // Not again within the interval; again after it.
    assert_eq!(
        stores
            .tools
            .send_reporter_updates(later + time::Duration::hours(1))
            .await
            .expect("runs"),
        0
    );
    assert_eq!(
        stores
            .tools
            .send_reporter_updates(later + time::Duration::days(5))
            .await
            .expect("runs"),
        1
    );
    assert_eq!(updates().await, 2);
    // The update goes to the reporter themselves.
    let reporter = app.user("user-101").await;
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'incident:%:update:%' \
                 AND user_id = {}",
                reporter.id.0
            )
        )
        .await,
        2
    );
}

#[tokio::test]
async fn an_agreement_in_business_hours_counts_only_those_hours_and_escalates_by_them() {
    use samspil_domain::{OrgId, Principal};
    use samspil_tools::incident::{AgreementKind, Forwarder, IncidentId, ServiceHours};
    use samspil_tools_storage::{ChainAgreement, IncidentChange};
    let app = start().await;
    let stores = app.stores();
    let desk = OrgId(party_id(&app, "incident-desk-ky").await);
    let vendor = OrgId(party_id(&app, "incident-vendor-cpr").await);
    let operator = Principal::operator();
    let office = ServiceHours::parse("business 08:00-16:00 mon-fri").expect("hours");
    stores
        .tools
        .set_chain_agreement(
            &operator.community_access().expect("operator"),
            &ChainAgreement {
                customer: desk,
                provider: vendor,
                kind: AgreementKind::UnderpinningContract,
                mapping: vec![0, 0, 1, 2],
                targets: vec![(60, 480), (240, 1440), (480, 7200)],
                hours: office.clone(),
            },
        )
        .await
        .expect("agreement");
    let stored = stores.tools.chain_agreements().await.expect("agreements");
    assert!(
        stored
            .iter()
            .any(|a| a.customer == desk && a.provider == vendor && a.hours == office)
    );
    // Friday 9 January 2026, 15:30 Danish time (14:30 UTC): the vendor's A
    // has an hour to answer — half an hour on Friday, half on Monday.
    let friday = time::macros::datetime!(2026-01-09 14:30 UTC);
    let access = operator.work_access(desk).expect("operator");
    let draft = samspil_tools::incident::IntakeDraft {
        reporter_name: "Sagsbehandler".into(),
        reporter_contact: "sb@aarhus.example".into(),
        municipality: None,
        solution: samspil_tools::incident::SolutionCode::new("KY"),
        occurred_at: friday - time::Duration::hours(1),
        what_happened: "Opslaget fejler".into(),
        examples: Vec::new(),
        error_messages: Vec::new(),
        user_priority: samspil_tools::incident::Priority(1),
    };
    let id: IncidentId = stores
        .tools
        .open_incident(&access, &draft, friday)
        .await
        .expect("opened");
    stores
        .tools
        .change_incident(
            &access,
            id,
            &IncidentChange::Forward {
                from: Forwarder::Owner,
                receiver: vendor,
            },
            friday,
        )
        .await
        .expect("forwarded");
    let (_, seen) = app
        .api_client("desk-ky")
        .await
        .get_json(&format!("/api/v1/incidents/{}", id.0))
        .await;
    assert_eq!(
        seen["links"][0]["response"]["deadline"], "2026-01-12T08:30:00+01:00",
        "Monday 08:30 Danish time: {seen}"
    );
    // The job does not escalate over the weekend; Monday past 08:30 it does.
    let escalated = |at| {
        let tools = stores.tools.clone();
        async move {
            tools.escalate_due(at).await.expect("job");
            tools.incident(id).await.expect("read").links()[0]
                .escalated_at()
                .is_some()
        }
    };
    assert!(!escalated(time::macros::datetime!(2026-01-11 20:00 UTC)).await);
    assert!(!escalated(time::macros::datetime!(2026-01-12 07:30 UTC)).await);
    assert!(escalated(time::macros::datetime!(2026-01-12 07:31 UTC)).await);
}

#[tokio::test]
async fn a_task_force_invites_its_parties_and_shows_them_its_status_page() {
    let app = start().await;
    let (_, sapa) = app
        .api_client("desk-sapa")
        .await
        .get_json("/api/v1/incidents")
        .await;
    let id = sapa[0]["id"].as_i64().expect("id");
    let support = party_id(&app, "incident-desk-support").await;
    let status = format!("/vaerktoejer/haendelser/{id}/statusside");
    let staff = app.signed_in("staff").await;
    // No task force yet: no status page.
    let (code, _) = staff.get_text(&status).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let page = format!("/vaerktoejer/haendelser/{id}");
    let csrf = staff.csrf_token(&page).await;
    // Several parties at once, one box ticked for each.
    let ky = party_id(&app, "incident-desk-ky").await;
    let response = staff
        .post_form(
            &format!("{page}/taskforce"),
            &[
                ("csrf_token", &csrf),
                ("invited", &support.to_string()),
                ("invited", &ky.to_string()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = staff
        .post_form(
            &format!("{page}/log"),
            &[("csrf_token", &csrf), ("text", "IdP-loggen gennemgås.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The invited party is told through the outbox, with the page's path.
    assert!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM deliveries WHERE delivery_key LIKE 'incident:{id}:task_force:%' \
                 AND org_id = {support} AND body LIKE '%/statusside%'"
            )
        )
        .await
            >= 1
    );
    for login in ["staff", "desk-support", "desk-ky"] {
        let browser = app.signed_in(login).await;
        let (code, html) = browser.get_text(&status).await;
        assert_eq!(code, StatusCode::OK, "{login}: {html}");
        assert!(html.contains("Støttesystemernes servicedesk"), "{html}");
        assert!(html.contains("IdP-loggen gennemgås."), "{html}");
        assert!(html.contains("taskforcen arbejder"), "{html}");
    }
    // Not a member: not found, whoever asks.
    for login in ["vendor-cpr", "user-101"] {
        let (code, html) = app.signed_in(login).await.get_text(&status).await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{login}");
        assert!(!html.contains("IdP-loggen"), "{login}: {html}");
    }
}

#[tokio::test]
async fn the_months_incidents_are_those_opened_in_it_in_danish_time() {
    use samspil_domain::{OrgId, Principal};
    use time::macros::datetime;
    let app = start().await;
    let stores = app.stores();
    let desk = OrgId(party_id(&app, "incident-desk-ky").await);
    let access = Principal::operator().work_access(desk).expect("operator");
    let open = |at: time::OffsetDateTime| {
        let tools = stores.tools.clone();
        let access = access.clone();
        async move {
            let draft = samspil_tools::incident::IntakeDraft {
                reporter_name: "Sagsbehandler".into(),
                reporter_contact: "sb@aarhus.example".into(),
                municipality: None,
                solution: samspil_tools::incident::SolutionCode::new("KY"),
                occurred_at: at,
                what_happened: "Opslaget fejler".into(),
                examples: Vec::new(),
                error_messages: Vec::new(),
                user_priority: samspil_tools::incident::Priority(1),
            };
            tools
                .open_incident(&access, &draft, at)
                .await
                .expect("opened")
        }
    };
    // 31 January 23:30 and 1 February 00:30 in Copenhagen (CET).
    let january = open(datetime!(2026-01-31 22:30 UTC)).await;
    let february = open(datetime!(2026-01-31 23:30 UTC)).await;
    let ids = |list: Vec<samspil_tools_storage::IncidentSummary>| {
        list.into_iter().map(|s| s.id).collect::<Vec<_>>()
    };
    let listed = |month| {
        let tools = stores.tools.clone();
        async move { tools.incidents_opened_in(2026, month).await.expect("reads") }
    };
    assert_eq!(ids(listed(time::Month::January).await), [january]);
    assert_eq!(ids(listed(time::Month::February).await), [february]);
    assert!(listed(time::Month::March).await.is_empty());
}

/// An operational message about an incident goes through coordination's
/// messages to the holders of the solution's roles (or, where it has none,
/// to its project's participants), is listed on the incident, is the
/// community's only, and a refused one is explained at its field with
/// nothing sent.
#[tokio::test]
async fn an_operational_message_goes_to_the_solutions_people_and_is_listed_on_the_incident() {
    let app = TestApp::start_with_roles().await;
    assert!(
        samspil::demo::incidents::load(&app.stores())
            .await
            .expect("demo incidents load")
    );
    let id = opened_and_forwarded(&app).await;
    let page = format!("/vaerktoejer/haendelser/{id}");
    let staff = app.signed_in("staff").await;
    let csrf = staff.csrf_token(&page).await;
    let messages = "SELECT COUNT(*) FROM messages WHERE category = 'operational'";
    let before = count(&app, messages).await;

    // An empty subject: the page again, the message at the field, the body
    // kept, nothing sent.
    let response = staff
        .post_form(
            &format!("{page}/driftsmeddelelse"),
            &[
                ("csrf_token", &csrf),
                ("subject", ""),
                ("body", "KY svarer langsomt."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("page");
    assert!(html.contains("Skriv et emne på én linje"), "{html}");
    assert!(html.contains("KY svarer langsomt."), "{html}");
    assert_eq!(count(&app, messages).await, before);

    // KY has no roles in the gallery: the participants of its project.
    let response = staff
        .post_form(
            &format!("{page}/driftsmeddelelse"),
            &[
                ("csrf_token", &csrf),
                ("subject", "Nedbrud i KY"),
                ("body", "Opslag i CPR fejler fra kl. 9. Vi arbejder på det."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, messages).await, before + 1);
    let recipients = count(
        &app,
        "SELECT recipient_count FROM messages WHERE subject = 'Nedbrud i KY'",
    )
    .await;
    assert!(recipients > 0, "KY's participants get it");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notifications n JOIN messages m ON m.id = n.message_id \
             WHERE m.subject = 'Nedbrud i KY'"
        )
        .await,
        recipients,
        "one inbox entry for each"
    );
    let (_, html) = staff.get_text(&page).await;
    assert!(html.contains("Nedbrud i KY"), "{html}");
    assert!(html.contains("Deltagere i projektet KY"), "{html}");

    // With a role of KY's in the gallery, its holders (none yet) are the
    // audience.
    let api = app.api_client("staff").await;
    let (_, projects) = api.get_json("/api/v1/projects").await;
    let ky = projects
        .as_array()
        .and_then(|all| all.iter().find(|p| p["name"] == "KY"))
        .and_then(|p| p["id"].as_i64())
        .expect("KY is a project");
    let (code, created) = api
        .send_json(
            Method::POST,
            "/api/v1/roles",
            json!({ "name": "KY-driftskontakt", "solution_id": ky }),
        )
        .await;
    assert_eq!(code, StatusCode::CREATED, "{created}");
    let response = staff
        .post_form(
            &format!("{page}/driftsmeddelelse"),
            &[
                ("csrf_token", &csrf),
                ("subject", "KY kører igen"),
                ("body", "Fejlen er rettet."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = staff.get_text(&page).await;
    assert!(html.contains("Roller: KY-driftskontakt"), "{html}");

    // A party of the chain is not the community: refused, nothing sent.
    let desk = app.signed_in("desk-ky").await;
    let csrf = desk.csrf_token(&page).await;
    let response = desk
        .post_form(
            &format!("{page}/driftsmeddelelse"),
            &[
                ("csrf_token", &csrf),
                ("subject", "Ikke vores"),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, messages).await, before + 2);
    let (_, html) = desk.get_text(&page).await;
    assert!(
        html.contains("Nedbrud i KY"),
        "the chain sees what went out"
    );
    assert!(!html.contains("id=\"operational\""), "but has no form");

    // The next programme-manager meeting's Servicemeddelelser item lists
    // the period's operational messages and incidents.
    let day = (samspil_storage::now() + time::Duration::days(7)).date();
    let date = format!(
        "{:02}.{:02}.{}",
        day.day(),
        u8::from(day.month()),
        day.year()
    );
    let csrf = staff.csrf_token("/moeder/ny").await;
    let made = staff
        .post_form(
            "/moeder/ny",
            &[
                ("csrf_token", csrf.as_str()),
                ("title", "Programledermøde"),
                ("kind", "meeting"),
                ("date", &date),
                ("starts", "10.00"),
                ("ends", "11.00"),
                ("link", "https://teams.microsoft.com/l/next"),
                ("seats", ""),
                (
                    "agenda",
                    "10.00-10.05 Velkommen\n10.05-10.20 Servicemeddelelser",
                ),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let location = made.headers()["location"].to_str().expect("a location");
    let path = location.split('?').next().expect("a path").to_owned();
    let (code, html) = app.signed_in("user-751").await.get_text(&path).await;
    assert_eq!(code, StatusCode::OK, "{html}");
    assert!(html.contains("Servicemeddelelser fra"), "{html}");
    assert!(html.contains("Nedbrud i KY"), "{html}");
    assert!(html.contains("KY kører igen"), "{html}");
    assert!(html.contains("KY – under behandling"), "{html}");
}
