//! The tools context's NSIS risk assessment through HTTP (issue 18): the
//! slide's worked example from the demo, versions and the second person's
//! approval, the matrix's versions, the identity providers' levels and the
//! readiness report, bad input refused with nothing written, on SQLite and
//! PostgreSQL.

use reqwest::{Method, StatusCode};
use samspil::demo::DEMO_PASSWORD;
use samspil_domain::{AccessRole, Login, OrgId, Principal, UserType};
use samspil_storage::NewUser;
use serde_json::{Value, json};

use crate::harness::TestApp;

/// The app with the demo people and the demo NSIS register (elements,
/// SAPA, its Sagsbehandler assessment awaiting approval, IdP levels).
async fn start() -> TestApp {
    let app = TestApp::start().await;
    samspil::demo::nsis::load(&app.stores())
        .await
        .expect("demo NSIS loads");
    app
}

/// A second member of the community's staff, who may approve what `staff`
/// writes.
async fn second_staff(app: &TestApp) {
    let community = OrgId(app.org_id("community").await);
    let access = Principal::operator()
        .admin_access(community)
        .expect("operator");
    app.storage
        .create_user(
            &access,
            &NewUser {
                login: Login::parse("staff-to").expect("login"),
                display_name: "Tove Tjek".into(),
                email: Some("staff-to@kombit.example".into()),
                phone: None,
                job_title: None,
                org_unit_id: None,
                role: AccessRole::Staff,
                user_type: UserType::Ordinary,
                password_hash: Some(samspil_auth::hash_password(DEMO_PASSWORD).expect("hash")),
            },
        )
        .await
        .expect("second staff member created");
}

async fn count(url: &str, sql: &'static str) -> i64 {
    use sqlx::Connection;
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

/// What the tables hold, to show that a refusal wrote nothing.
async fn written(app: &TestApp) -> [i64; 5] {
    let url = &app.database_url;
    [
        count(url, "SELECT COUNT(*) FROM nsis_assessment_versions").await,
        count(url, "SELECT COUNT(*) FROM nsis_scores").await,
        count(url, "SELECT COUNT(*) FROM nsis_matrix_versions").await,
        count(url, "SELECT COUNT(*) FROM nsis_elements").await,
        count(url, "SELECT COUNT(*) FROM audit_log").await,
    ]
}

/// The one demo assessment: SAPA, Sagsbehandler.
async fn sapa(app: &TestApp) -> Value {
    let staff = app.api_client("staff").await;
    let (status, list) = staff.get_json("/api/v1/nsis/assessments").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .expect("a list")
        .iter()
        .find(|a| a["solution"] == "SAPA" && a["user_type"] == "Sagsbehandler")
        .cloned()
        .expect("the demo's SAPA assessment")
}

/// The scores of a version as the API takes them, from a detail's newest
/// version, with `change` applied per element.
fn scores_of(version: &Value, change: impl Fn(&Value) -> i64) -> Value {
    Value::Array(
        version["scores"]
            .as_array()
            .expect("scores")
            .iter()
            .map(|s| {
                json!({
                    "element_id": s["element_id"],
                    "score": change(s),
                    "rationale": s["rationale"],
                })
            })
            .collect(),
    )
}

async fn detail(app: &TestApp, id: i64) -> Value {
    let staff = app.api_client("staff").await;
    let (status, body) = staff
        .get_json(&format!("/api/v1/nsis/assessments/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn the_slides_worked_example_comes_out_and_counts_once_a_second_person_approves() {
    let app = start().await;
    let sapa = sapa(&app).await;
    let latest = &sapa["latest"];
    assert_eq!(latest["version"], 1);
    assert_eq!(latest["assessed_on"], "2019-06-01");
    assert_eq!(latest["assessors"], json!(["TRI", "LVR", "TG", "RHI"]));
    assert_eq!(latest["project_leader"], "Anders Cronwald");
    assert_eq!(latest["risk_score"], 2);
    assert_eq!(latest["control_score"], 2.1);
    assert_eq!(latest["control_score_text"], "2,1");
    assert_eq!(latest["level"], "Betydelig");
    assert_eq!(latest["matrix_version"], 1);
    assert_eq!(latest["author"], "operator");
    // Not counted before a second person approves it.
    assert_eq!(sapa["approved_level"], Value::Null);
    let staff = app.api_client("staff").await;
    let (_, report) = staff.get_json("/api/v1/nsis/readiness").await;
    assert_eq!(report, json!([]), "nothing required before approval");

    let id = sapa["id"].as_i64().expect("id");
    let (status, approved) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/nsis/assessments/{id}/versions/1/approval"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["assessment"]["approved_level"], "Betydelig");
    assert_eq!(approved["versions"][0]["approved_by"], "staff");
    assert_eq!(
        count(
            &app.database_url,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'nsis_assessment.approve'"
        )
        .await,
        1
    );

    // Every municipality uses SAPA in the demo: the report lists those whose
    // identity provider is below Betydelig or not registered.
    let (status, report) = staff.get_json("/api/v1/nsis/readiness").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let line = &report[0];
    assert_eq!(line["solution"], "SAPA");
    assert_eq!(line["required_level"], "Betydelig");
    let not_ready: Vec<&str> = line["not_ready"]
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        line["ready"].as_u64().expect("count") as usize + not_ready.len(),
        98
    );
    // Frederiksberg (147) is at Lav in the demo, Aarhus (751) at Betydelig.
    assert!(not_ready.contains(&"Frederiksberg"), "{not_ready:?}");
    assert!(!not_ready.contains(&"Aarhus"), "{not_ready:?}");

    // A municipality sees only its own line.
    let aarhus = app.api_client("admin-751").await;
    let (status, own) = aarhus.get_json("/api/v1/nsis/readiness").await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own[0]["ready"], 1);
    assert_eq!(own[0]["not_ready"], json!([]));
    let (status, _) = aarhus.get_json("/api/v1/nsis/assessments").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The pages show the same: the assessment with its matrix, and
    // Aarhus' requirement.
    let browser = app.signed_in("staff").await;
    let (status, html) = browser
        .get_text(&format!("/vaerktoejer/nsis/vurderinger/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        "Betydelig",
        "2,1",
        "TRI, LVR, TG, RHI",
        "01.06.2019",
        "role=\"img\"",
    ] {
        assert!(html.contains(shown), "{shown} on the page");
    }
    let (status, html) = app
        .signed_in("user-751")
        .await
        .get_text("/vaerktoejer/nsis")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("SAPA") && html.contains("Betydelig"),
        "{html}"
    );
}

#[tokio::test]
async fn each_change_is_a_new_version_approved_by_someone_other_than_its_author() {
    let app = start().await;
    second_staff(&app).await;
    let id = sapa(&app).await["id"].as_i64().expect("id");
    let staff = app.api_client("staff").await;
    let other = app.api_client("staff-to").await;
    let approve =
        |version: i64| format!("/api/v1/nsis/assessments/{id}/versions/{version}/approval");
    let (status, _) = staff.send_json(Method::POST, &approve(1), json!({})).await;
    assert_eq!(status, StatusCode::OK);

    // Less control: every control element at 1 gives risk 2, control 1,0
    // ⇒ Høj.
    let newest = detail(&app, id).await["versions"][0].clone();
    let version = json!({
        "project_leader": "Anders Cronwald",
        "phase": "Drift",
        "assessors": "TRI, LVR",
        "assessed_on": "2023-06-21",
        "scores": scores_of(&newest, |s| if s["kind"] == "control" { 1 } else { s["score"].as_i64().expect("score") }),
    });
    let (status, changed) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/nsis/assessments/{id}/versions"),
            version,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{changed}");
    assert_eq!(changed["versions"][0]["version"], 2);
    assert_eq!(changed["versions"][0]["level"], "Høj");
    assert_eq!(changed["versions"][0]["author"], "staff");
    // Version 1 still counts until version 2 is approved.
    assert_eq!(changed["assessment"]["approved_level"], "Betydelig");

    // Its author cannot approve it; an older version cannot be approved.
    let (status, refused) = staff.send_json(Method::POST, &approve(2), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (status, _) = other.send_json(Method::POST, &approve(1), json!({})).await;
    assert_ne!(status, StatusCode::OK);
    let (status, approved) = other.send_json(Method::POST, &approve(2), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["assessment"]["approved_level"], "Høj");
    assert_eq!(approved["assessment"]["approved_version"], 2);
    let (status, _) = other.send_json(Method::POST, &approve(2), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "approved once");

    // The history: who changed what and which level each version gave.
    let history = detail(&app, id).await;
    let versions = history["versions"].as_array().expect("versions");
    let summary: Vec<(i64, &str, &str, &str)> = versions
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().expect("n"),
                v["author"].as_str().expect("author"),
                v["level"].as_str().expect("level"),
                v["approved_by"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (2, "staff", "Høj", "staff-to"),
            (1, "operator", "Betydelig", "staff")
        ]
    );
    let (status, html) = app
        .signed_in("staff")
        .await
        .get_text(&format!("/vaerktoejer/nsis/vurderinger/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("staff-to") && html.contains("Høj") && html.contains("operator"));

    // A new matrix version decides the next version; the old versions keep
    // the level theirs gave.
    let (_, matrices) = staff.get_json("/api/v1/nsis/matrix").await;
    let mut rows = matrices[0]["rows"].clone();
    for row in rows.as_array_mut().expect("rows") {
        row["levels"][2] = json!("Høj");
        row["levels"][3] = json!("Høj");
    }
    let (status, published) = staff
        .send_json(
            Method::POST,
            "/api/v1/nsis/matrix",
            json!({"rows": rows, "note": "Risiko 2 kræver altid Høj"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    assert_eq!(published["version"], 2);
    let newest = detail(&app, id).await["versions"][0].clone();
    let (status, third) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/nsis/assessments/{id}/versions"),
            json!({
                "project_leader": "Anders Cronwald",
                "assessors": "TRI",
                "assessed_on": "2023-06-22",
                "scores": scores_of(&newest, |s| if s["kind"] == "control" { 3 } else { s["score"].as_i64().expect("score") }),
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{third}");
    assert_eq!(third["versions"][0]["matrix_version"], 2);
    assert_eq!(third["versions"][0]["level"], "Høj");
    assert_eq!(third["versions"][2]["level"], "Betydelig");
    assert_eq!(third["versions"][2]["matrix_version"], 1);
}

#[tokio::test]
async fn bad_input_is_refused_at_the_field_and_nothing_is_written() {
    let app = start().await;
    let id = sapa(&app).await["id"].as_i64().expect("id");
    let newest = detail(&app, id).await["versions"][0].clone();
    let staff = app.api_client("staff").await;
    // Issuing a token is audited; what follows is not.
    let admin = app.api_client("admin-751").await;
    let before = written(&app).await;

    // A score of 4.
    let (status, refused) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/nsis/assessments/{id}/versions"),
            json!({
                "project_leader": "Anders Cronwald",
                "assessors": "TRI",
                "assessed_on": "2019-06-01",
                "scores": scores_of(&newest, |_| 4),
            }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    // An element left unscored, assessors who are not initials, an IT
    // solution that does not exist.
    for (body, path) in [
        (
            json!({"project_leader": "A", "assessors": "TRI", "assessed_on": "2019-06-01",
                   "scores": scores_of(&newest, |_| 1).as_array().expect("scores")[1..].to_vec()}),
            format!("/api/v1/nsis/assessments/{id}/versions"),
        ),
        (
            json!({"project_leader": "A", "assessors": "T1", "assessed_on": "2019-06-01",
                   "scores": scores_of(&newest, |_| 1)}),
            format!("/api/v1/nsis/assessments/{id}/versions"),
        ),
        (
            json!({"solution_id": 999_999, "user_type": "Leder", "version": {
                "project_leader": "A", "assessors": "TRI", "assessed_on": "2019-06-01",
                "scores": scores_of(&newest, |_| 1)}}),
            "/api/v1/nsis/assessments".to_owned(),
        ),
    ] {
        let (status, refused) = staff.send_json(Method::POST, &path, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {refused}"
        );
    }
    // A matrix with a gap, one asking less for more risk.
    let (_, matrices) = staff.get_json("/api/v1/nsis/matrix").await;
    let mut gap = matrices[0]["rows"].clone();
    gap[3]["levels"][2] = Value::Null;
    let mut falling = matrices[0]["rows"].clone();
    falling[0]["levels"][3] = json!("Lav");
    for rows in [gap, falling] {
        let (status, refused) = staff
            .send_json(Method::POST, "/api/v1/nsis/matrix", json!({"rows": rows}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["error"]["code"], "invalid");
    }
    // An identity provider's level that NSIS does not have.
    let aarhus = app.org_id("municipality-751").await;
    let (status, _) = admin
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{aarhus}/nsis-level"),
            json!({"level": "Ekstra høj"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(written(&app).await, before, "nothing was written");

    // On the pages: the sentence in Danish (and in English), the form kept.
    let browser = app.signed_in("staff").await;
    // The login is audited; what follows is not.
    let before = written(&app).await;
    let page = format!("/vaerktoejer/nsis/vurderinger/{id}");
    let token = browser.csrf_token(&page).await;
    let mut form: Vec<(String, String)> = vec![
        ("csrf_token".into(), token.clone()),
        ("project_leader".into(), "Anders Cronwald".into()),
        ("assessors".into(), "TRI".into()),
        ("assessed_on".into(), "2019-06-01".into()),
    ];
    for s in newest["scores"].as_array().expect("scores") {
        form.push((format!("score-{}", s["element_id"]), "4".into()));
        form.push((format!("rationale-{}", s["element_id"]), "x".into()));
    }
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = browser
        .post_form(&format!("{page}/versioner"), &borrowed)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("En score er et helt tal fra 0 til 3."),
        "{html}"
    );
    let response = browser
        .post_form(
            "/vaerktoejer/nsis/matrix",
            &[("csrf_token", &token), ("cell-0-0", "lav")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(html.contains("Matrixen blev afvist"), "{html}");
    browser.get("/sprog/en").await;
    let response = browser
        .post_form(&format!("{page}/versioner"), &borrowed)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("A score is a whole number from 0 to 3."),
        "{html}"
    );
    assert_eq!(written(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn a_municipality_registers_its_own_identity_providers_level_only() {
    let app = start().await;
    let aarhus = OrgId(app.org_id("municipality-751").await);
    let odense = OrgId(app.org_id("municipality-461").await);
    let level_of = |org: OrgId| {
        let tools = app.tools.clone();
        async move {
            tools
                .idp_levels()
                .await
                .expect("levels")
                .into_iter()
                .find(|l| l.org_id == org)
                .map(|l| l.level.as_str())
        }
    };
    let odense_before = level_of(odense).await;

    let browser = app.signed_in("admin-751").await;
    let token = browser.csrf_token("/vaerktoejer/nsis").await;
    let response = browser
        .post_form(
            "/vaerktoejer/nsis/idp-niveau",
            &[
                ("csrf_token", &token),
                ("org_id", &aarhus.0.to_string()),
                ("level", "hoej"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(level_of(aarhus).await, Some("Høj"));
    assert_eq!(
        app.storage
            .audit_entries(&Principal::operator().read_access(aarhus).expect("op"), 10)
            .await
            .expect("audit")
            .iter()
            .filter(|e| e.action == "nsis_idp_level.set")
            .count(),
        // The demo's registration, and this one.
        2
    );

    // Not another municipality's, not as an ordinary user.
    let response = browser
        .post_form(
            "/vaerktoejer/nsis/idp-niveau",
            &[
                ("csrf_token", &token),
                ("org_id", &odense.0.to_string()),
                ("level", "lav"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, _) = app
        .api_client("admin-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{}/nsis-level", odense.0),
            json!({"level": "Lav"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .api_client("user-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{}/nsis-level", aarhus.0),
            json!({"level": "Lav"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(level_of(odense).await, odense_before);
    assert_eq!(level_of(aarhus).await, Some("Høj"));

    // Withdrawn by staff through the API.
    let (status, _) = app
        .api_client("staff")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/municipalities/{}/nsis-level", aarhus.0),
            json!({"level": null}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(level_of(aarhus).await, None);
}

#[tokio::test]
async fn versions_written_at_once_get_one_number_each() {
    let app = start().await;
    let id = sapa(&app).await["id"].as_i64().expect("id");
    let newest = detail(&app, id).await["versions"][0].clone();
    let body = json!({
        "project_leader": "Anders Cronwald",
        "assessors": "TRI",
        "assessed_on": "2019-06-01",
        "scores": scores_of(&newest, |s| s["score"].as_i64().expect("score")),
    });
    let (a, b, c, d) = (
        app.api_client("staff").await,
        app.api_client("staff").await,
        app.api_client("staff").await,
        app.api_client("staff").await,
    );
    let path = format!("/api/v1/nsis/assessments/{id}/versions");
    let answers = tokio::join!(
        a.send_json(Method::POST, &path, body.clone()),
        b.send_json(Method::POST, &path, body.clone()),
        c.send_json(Method::POST, &path, body.clone()),
        d.send_json(Method::POST, &path, body.clone()),
    );
    for (status, answer) in [answers.0, answers.1, answers.2, answers.3] {
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let versions: Vec<i64> = detail(&app, id).await["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["version"].as_i64().expect("n"))
        .collect();
    assert_eq!(versions, [5, 4, 3, 2, 1]);
}
