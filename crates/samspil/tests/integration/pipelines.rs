//! Onboarding pipelines (issue 20): the demo's DOS and Borgerblikket
//! pipelines with the slides' figures, the gates through the API and the
//! task page (and under parallel requests), a municipality's own areas and
//! no other's, the claim types as CSV/XLSX, the timeline, and refusals.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::harness::{TestApp, csrf_in};

async fn with_demo_pipelines() -> TestApp {
    let app = TestApp::start_with_tasks().await;
    samspil::demo::pipelines::load(&app.stores())
        .await
        .expect("demo pipelines load");
    app
}

fn by_area<'a>(pipelines: &'a Value, area: &str) -> &'a Value {
    pipelines
        .as_array()
        .expect("a list")
        .iter()
        .find(|p| p["area"] == area)
        .unwrap_or_else(|| panic!("a pipeline for {area}: {pipelines}"))
}

/// A pipeline of three new steps in the first project, step 2 waiting
/// for 1 and step 3 for 2; its step tasks' ids in order.
async fn three_steps(app: &TestApp, area: &str) -> (i64, Vec<i64>) {
    let staff = app.api_client("staff").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    let (status, created) = staff
        .send_json(
            Method::POST,
            "/api/v1/pipelines",
            json!({
                "project_id": project,
                "template": "steps",
                "area": area,
                "steps": [
                    {"key": "S1", "title": "Lokalisér fordringstyper"},
                    {"key": "S2", "title": "Oplys fagløsning", "depends_on": ["S1"]},
                    {"key": "S3", "title": "Klarmeld fagløsning", "depends_on": ["S2"]}
                ]
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let tasks = created["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["task_id"].as_i64().expect("a task"))
        .collect();
    (created["id"].as_i64().expect("an id"), tasks)
}

#[tokio::test]
async fn the_demo_pipelines_reproduce_the_slides() {
    let app = with_demo_pipelines().await;
    let staff = app.api_client("staff").await;
    let (status, pipelines) = staff.get_json("/api/v1/pipelines").await;
    assert_eq!(status, StatusCode::OK, "{pipelines}");
    let bibliotek = by_area(&pipelines, "Bibliotek");
    assert_eq!(bibliotek["municipalities"], 98);
    assert_eq!(bibliotek["not_done"], 29, "{bibliotek}");
    assert_eq!(bibliotek["done"], 69);
    let socialret = by_area(&pipelines, "Socialret");
    assert_eq!(socialret["steps"].as_array().map(Vec::len), Some(10));
    assert_eq!(socialret["claim_types"].as_array().map(Vec::len), Some(14));
    assert_eq!(socialret["claim_step"], "SoCo1");
    let gb = by_area(&pipelines, "Borgerblikket gæld (KMD Opus Debitor)");
    let keys: Vec<&str> = gb["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    assert_eq!(keys, ["GB1.0", "GB2.0", "GB3.0", "GB4.0", "GB5.0"]);

    // Every demo municipality's statuses pass the gates: nothing started
    // before what it waits for is done.
    for pipeline in pipelines.as_array().expect("a list") {
        let id = pipeline["id"].as_i64().expect("an id");
        let (_, states) = staff
            .get_json(&format!("/api/v1/pipelines/{id}/municipalities"))
            .await;
        for member in states.as_array().expect("a list") {
            for step in pipeline["steps"].as_array().expect("steps") {
                let status = &member["statuses"][step["key"].as_str().expect("key")];
                if status != "not_started" {
                    for before in step["depends_on"].as_array().expect("deps") {
                        let key = before.as_str().expect("key");
                        assert_eq!(member["statuses"][key], "completed", "{member}");
                    }
                }
            }
            let done = matches!(member["state"].as_str(), Some("done" | "closed"));
            assert_eq!(done, member["stop_new_claims_from"].is_string(), "{member}");
        }
    }

    let browser = app.signed_in("staff").await;
    let (status, html) = browser.get_text("/forloeb").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(
            "29 kommuner mangler fortsat at fuldføre alle opgaver på fagområdet Bibliotek"
        ),
        "{html}"
    );
    let id = bibliotek["id"].as_i64().expect("an id");
    let (status, html) = browser.get_text(&format!("/forloeb/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kommuner der ikke er færdige (29)"), "{html}");
    let (status, html) = browser.get_text("/forloeb/tidslinje").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("KMD Aktiv"), "{html}");
}

#[tokio::test]
async fn a_step_waits_for_the_steps_before_it_through_the_api_and_the_page() {
    let app = TestApp::start_with_tasks().await;
    let (_, steps) = three_steps(&app, "Prøveområde").await;
    let org = app.org_id("municipality-751").await;
    let admin = app.api_client("admin-751").await;
    let status_of = |task: i64| format!("/api/v1/tasks/{task}/municipalities/{org}/status");
    let set = |task: i64, status: &'static str, reason: Option<&'static str>| {
        let admin = &admin;
        let path = status_of(task);
        async move {
            admin
                .send_json(
                    Method::PUT,
                    &path,
                    json!({"status": status, "reason": reason}),
                )
                .await
        }
    };
    let (code, body) = set(steps[1], "started", None).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("S1"),
        "{body}"
    );
    assert_eq!(set(steps[0], "started", None).await.0, StatusCode::OK);
    assert_eq!(
        set(steps[1], "started", None).await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "S1 is started, not completed"
    );
    assert_eq!(set(steps[0], "completed", None).await.0, StatusCode::OK);
    assert_eq!(set(steps[1], "started", None).await.0, StatusCode::OK);
    // S1 cannot go back while S2, which builds on it, is under way.
    let (code, body) = set(steps[0], "started", Some("fejl")).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // On the task page the refusal is Danish, in place.
    let browser = app.signed_in("admin-751").await;
    let (_, html) = browser.get_text(&format!("/opgaver/{}", steps[2])).await;
    let token = csrf_in(&html).expect("the status form has a CSRF token");
    let response = browser
        .post_form(
            &format!("/opgaver/{}/status", steps[2]),
            &[("csrf_token", &token), ("status", "started")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("text");
    assert!(
        html.contains("Opgaven kan først påbegyndes, når S2 er fuldført."),
        "{html}"
    );
    // The municipality's own page of its areas.
    let (status, html) = browser.get_text("/forloeb").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Prøveområde"), "{html}");
    assert!(html.contains("Påbegyndt"), "{html}");
}

/// Many municipalities at once, each racing a step's start against moving
/// back the step it waits for: one of the two wins, and no step is ever
/// under way on a step not done.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_a_start_against_moving_back_its_dependency_keeps_the_gate() {
    let app = TestApp::start_with_tasks().await;
    let (pipeline, steps) = three_steps(&app, "Kapløb").await;
    let staff = Arc::new(app.api_client("staff").await);
    let (_, states) = staff
        .get_json(&format!("/api/v1/pipelines/{pipeline}/municipalities"))
        .await;
    let orgs: Vec<i64> = states
        .as_array()
        .expect("a list")
        .iter()
        .take(24)
        .map(|m| m["org_id"].as_i64().expect("an id"))
        .collect();
    let (first, second) = (steps[0], steps[1]);
    let put = |org: i64, task: i64, status: &'static str, reason: Option<&'static str>| {
        let staff = staff.clone();
        async move {
            staff
                .send_json(
                    Method::PUT,
                    &format!("/api/v1/tasks/{task}/municipalities/{org}/status"),
                    json!({"status": status, "reason": reason}),
                )
                .await
        }
    };
    for org in &orgs {
        assert_eq!(put(*org, first, "started", None).await.0, StatusCode::OK);
    }
    for round in 0..4 {
        for org in &orgs {
            let (code, body) = put(*org, first, "completed", None).await;
            assert_eq!(code, StatusCode::OK, "round {round}: {body}");
        }
        let mut requests = JoinSet::new();
        for org in orgs.clone() {
            requests.spawn(put(org, second, "started", None));
            requests.spawn(put(org, first, "started", Some("rettelse")));
        }
        let mut ok = 0;
        while let Some(answer) = requests.join_next().await {
            let (code, body) = answer.expect("the request ran");
            assert!(
                code == StatusCode::OK || code == StatusCode::UNPROCESSABLE_ENTITY,
                "{code}: {body}"
            );
            ok += usize::from(code == StatusCode::OK);
        }
        assert_eq!(ok, orgs.len(), "exactly one of each pair wins");
        let (_, states) = staff
            .get_json(&format!("/api/v1/pipelines/{pipeline}/municipalities"))
            .await;
        for member in states.as_array().expect("a list") {
            if member["statuses"]["S2"] != "not_started" {
                assert_eq!(member["statuses"]["S1"], "completed", "{member}");
            }
        }
        // Back to the start: S2 not started, S1 started.
        for org in &orgs {
            let member = states
                .as_array()
                .expect("a list")
                .iter()
                .find(|m| m["org_id"] == *org)
                .expect("the member");
            if member["statuses"]["S2"] == "started" {
                assert_eq!(
                    put(*org, second, "not_started", Some("igen")).await.0,
                    StatusCode::OK
                );
                assert_eq!(
                    put(*org, first, "started", Some("igen")).await.0,
                    StatusCode::OK
                );
            }
        }
    }
}

#[tokio::test]
async fn the_claim_types_ticked_are_exported_for_the_debt_collector() {
    let app = with_demo_pipelines().await;
    let staff = app.api_client("staff").await;
    let (_, pipelines) = staff.get_json("/api/v1/pipelines").await;
    let id = by_area(&pipelines, "Socialret")["id"]
        .as_i64()
        .expect("an id");
    let response = staff
        .get(&format!("/api/v1/pipelines/{id}/claim-types?format=csv"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("text");
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("Kommune;Fagområde;Fordringstype;Navn"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 20, "{csv}");
    assert!(
        rows.iter()
            .any(|r| r.contains(";Socialret;KTTIBAK;Tilbagebetaling efter kapitel 12 i aktivloven")),
        "{csv}"
    );
    let response = staff
        .get(&format!("/api/v1/pipelines/{id}/claim-types?format=xlsx"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let browser = app.signed_in("staff").await;
    let (status, page_csv) = browser
        .get_text(&format!("/forloeb/{id}/fordringstyper.csv"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page_csv, csv);
    // Not for a municipality.
    let user = app.signed_in("user-751").await;
    let (status, _) = user
        .get_text(&format!("/forloeb/{id}/fordringstyper.csv"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.api_client("admin-751").await;
    let response = admin
        .get(&format!("/api/v1/pipelines/{id}/claim-types?format=csv"))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_municipality_sees_its_own_areas_and_no_others() {
    let app = with_demo_pipelines().await;
    let aalborg = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let admin = app.api_client("admin-751").await;
    let (status, mine) = admin
        .get_json(&format!("/api/v1/municipalities/{aalborg}/pipelines"))
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine.as_array().map(Vec::len), Some(3), "{mine}");
    assert!(
        mine.as_array()
            .expect("a list")
            .iter()
            .all(|p| p["org_id"] == aalborg)
    );
    let (status, _) = admin
        .get_json(&format!("/api/v1/municipalities/{odense}/pipelines"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.get("/api/v1/pipelines").await.status(),
        StatusCode::FORBIDDEN
    );

    let user = app.signed_in("user-751").await;
    let (status, html) = user.get_text("/forloeb").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Bibliotek") && html.contains("Socialret"),
        "{html}"
    );
    let (status, _) = user.get_text(&format!("/forloeb/kommuner/{odense}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let staff = app.signed_in("staff").await;
    let (status, html) = staff.get_text(&format!("/forloeb/kommuner/{odense}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Odense"), "{html}");
}

#[tokio::test]
async fn a_pipeline_or_timeline_that_does_not_hold_is_refused_and_nothing_is_written() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.api_client("staff").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    let cases = [
        (
            json!({"project_id": project, "template": "steps", "area": "Ring", "steps": [
                {"key": "A", "title": "a", "depends_on": ["B"]},
                {"key": "B", "title": "b", "depends_on": ["A"]}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"project_id": project, "template": "steps", "area": "Tom", "steps": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"project_id": project, "template": "dos", "area": "Bibliotek",
                   "supplementary_months": 30}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"project_id": project, "template": "dos", "area": "Månen"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"project_id": project, "template": "dos", "area": "Bibliotek",
                   "tasks": {"BiBo1": 999999}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"project_id": project, "template": "nope"}),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (body, expected) in cases {
        let (status, answer) = staff
            .send_json(Method::POST, "/api/v1/pipelines", body.clone())
            .await;
        assert_eq!(status, expected, "{body}: {answer}");
    }
    let (_, pipelines) = staff.get_json("/api/v1/pipelines").await;
    assert_eq!(pipelines, json!([]), "nothing was written");
    let tasks_before = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks")
        .len();
    // The same area twice in a project.
    three_steps(&app, "To gange").await;
    let (status, body) = staff
        .send_json(
            Method::POST,
            "/api/v1/pipelines",
            json!({"project_id": project, "template": "steps", "area": "To gange",
                   "steps": [{"key": "X", "title": "x"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let tasks_after = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            include_drafts: true,
            limit: 5000,
            ..Default::default()
        })
        .await
        .expect("tasks")
        .len();
    assert_eq!(
        tasks_after,
        tasks_before + 3,
        "only the first pipeline's tasks"
    );

    let (status, body) = staff
        .send_json(
            Method::PUT,
            "/api/v1/pipeline-timeline",
            json!([{"area": "Bibliotek", "system": "FBS", "from": "2020-09-01", "to": "2020-03-01"}]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = staff
        .send_json(
            Method::PUT,
            "/api/v1/pipeline-timeline",
            json!([{"area": "Bibliotek", "system": "FBS", "from": "2020-31-01", "to": "2020-03-01"}]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, timeline) = staff.get_json("/api/v1/pipeline-timeline").await;
    assert_eq!(timeline, json!([]));
    let (status, timeline) = staff
        .send_json(
            Method::PUT,
            "/api/v1/pipeline-timeline",
            json!([{"area": "Bibliotek", "system": "FBS", "from": "2020-03-01", "to": "2020-09-01"}]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{timeline}");
    assert_eq!(timeline.as_array().map(Vec::len), Some(1));
    let admin = app.api_client("admin-751").await;
    let (status, _) = admin
        .send_json(Method::PUT, "/api/v1/pipeline-timeline", json!([]))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
