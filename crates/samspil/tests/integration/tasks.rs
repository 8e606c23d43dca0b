//! Tasks published to the municipalities and their status, through the API.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::TestApp;

const OCES3: &str = "Udskift kommunens organisationscertifikat med OCES3-certifikat i Fælleskommunalt Administrationsmodul";
const KLIK_ADMIN: &str = "Etabler brugeradministration på KLIK";

#[tokio::test]
async fn the_demo_reproduces_the_seeds_status_tables() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.api_client("staff").await;
    for (title, completed, started, not_started) in [(OCES3, 27, 31, 40), (KLIK_ADMIN, 35, 8, 55)] {
        let id = app.task_id(title).await;
        let (status, report) = staff.get_json(&format!("/api/v1/tasks/{id}/status")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (
                report["completed"].as_u64(),
                report["started"].as_u64(),
                report["not_started"].as_u64(),
                report["total"].as_u64()
            ),
            (Some(completed), Some(started), Some(not_started), Some(98)),
            "{title}"
        );
        let lists = &report["municipalities"];
        assert_eq!(
            lists["completed"].as_array().map(Vec::len),
            Some(completed as usize)
        );
        assert_eq!(
            lists["not_started"].as_array().map(Vec::len),
            Some(not_started as usize)
        );
    }
    // The OCES3 task was lowered from critical to mandatory, with a reason.
    let id = app.task_id(OCES3).await;
    let (_, detail) = staff.get_json(&format!("/api/v1/tasks/{id}")).await;
    assert_eq!(detail["task"]["type"], "mandatory");
    assert_eq!(detail["task"]["end"], "2023-08-31");
    let change = &detail["history"][0];
    assert_eq!(
        (
            change["field"].as_str(),
            change["before"].as_str(),
            change["after"].as_str()
        ),
        (Some("type"), Some("critical"), Some("mandatory"))
    );
    assert!(
        change["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("31. august")
    );
}

#[tokio::test]
async fn a_municipality_sees_its_tasks_critical_first_with_its_own_status() {
    let app = TestApp::start_with_tasks().await;
    let (status, tasks) = app
        .api_client("user-751")
        .await
        .get_json("/api/v1/tasks")
        .await;
    assert_eq!(status, StatusCode::OK);
    let tasks = tasks.as_array().expect("a list");
    assert!(tasks.len() > 20);
    assert!(
        tasks.iter().all(|t| t["state"] != "draft"),
        "drafts are not shown to municipalities"
    );
    assert!(
        tasks.iter().all(|t| t["status"].is_string()),
        "each with the municipality's own status"
    );
    let types: Vec<&str> = tasks.iter().filter_map(|t| t["type"].as_str()).collect();
    let first_non_critical = types
        .iter()
        .position(|t| *t != "critical")
        .unwrap_or(types.len());
    assert!(
        types[first_non_critical..].iter().all(|t| *t != "critical"),
        "critical first: {types:?}"
    );
    for field in ["id", "code", "title", "project", "type", "start", "end"] {
        assert!(tasks[0].get(field).is_some(), "tasks carry {field}");
    }
}

#[tokio::test]
async fn tasks_are_found_by_words_in_code_title_or_description() {
    let app = TestApp::start_with_tasks().await;
    let client = app.api_client("staff").await;
    let (_, found) = client.get_json("/api/v1/tasks?q=oces3%20udskift").await;
    let titles: Vec<&str> = found
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["title"].as_str())
        .collect();
    assert!(titles.contains(&OCES3), "{titles:?}");
    assert!(titles.iter().all(|t| t.to_lowercase().contains("oces3")));
    let (_, by_code) = client.get_json("/api/v1/tasks?q=BiBo2").await;
    assert_eq!(by_code.as_array().map(Vec::len), Some(1));
    let (status, body) = client.get_json("/api/v1/tasks?type=urgent").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("critical")
    );
}

#[tokio::test]
async fn staff_create_and_publish_a_task_and_the_municipality_solves_it() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (status, project) = staff
        .send_json(
            Method::POST,
            "/api/v1/projects",
            json!({ "name": "Sygesikring", "description": "Ny løsning" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{project}");
    assert_eq!(project["participants"], 98);
    let (status, task) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project["id"], "code": "IN021", "title": "Aftal nye arbejdsgange",
                    "type": "critical", "start": "2026-12-01", "end": "2027-01-31", "period_text": "Uge 49" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert_eq!(task["state"], "draft");
    let id = task["id"].as_i64().expect("id");

    let aarhus = app.org_id("municipality-751").await;
    let user = app.api_client("user-751").await;
    let (status, _) = user.get_json(&format!("/api/v1/tasks/{id}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a draft is invisible to municipalities"
    );

    let (status, published) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(published["counts"]["not_started"], 98);

    let path = format!("/api/v1/tasks/{id}/municipalities/{aarhus}/status");
    let (status, body) = user
        .send_json(Method::PUT, &path, json!({ "status": "completed" }))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no jumping straight to completed"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("through started")
    );
    let (status, _) = user
        .send_json(Method::PUT, &path, json!({ "status": "started" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, done) = user
        .send_json(Method::PUT, &path, json!({ "status": "completed" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done["status"], "completed");
    let (status, _) = user
        .send_json(Method::PUT, &path, json!({ "status": "started" }))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "back needs a reason"
    );
    let (status, back) = user
        .send_json(
            Method::PUT,
            &path,
            json!({ "status": "started", "reason": "Certifikatet fejlede" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(back["status"], "started");

    let (_, report) = user.get_json(&format!("/api/v1/tasks/{id}/status")).await;
    assert_eq!(
        (
            report["started"].as_u64(),
            report["not_started"].as_u64(),
            report["total"].as_u64()
        ),
        (Some(1), Some(97), Some(98))
    );
    assert!(
        report["municipalities"].is_null(),
        "municipalities see counts, not lists"
    );
}

#[tokio::test]
async fn a_municipality_cannot_set_another_municipalitys_status_or_write_tasks() {
    let app = TestApp::start_with_tasks().await;
    let odense = app.org_id("municipality-461").await;
    let id = app.task_id(KLIK_ADMIN).await;
    let user = app.api_client("admin-751").await;
    let (status, body) = user
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/municipalities/{odense}/status"),
            json!({ "status": "started" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Odense")
    );
    let (status, _) = user
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": 1, "title": "x", "type": "voluntary" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, report) = app
        .api_client("staff")
        .await
        .get_json(&format!("/api/v1/tasks/{id}/status"))
        .await;
    assert_eq!(report["completed"], 35, "nothing changed");
}

#[tokio::test]
async fn bad_task_input_gets_a_clear_message_and_changes_nothing() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.api_client("staff").await;
    let (_, before) = staff.get_json("/api/v1/tasks?limit=5000").await;
    let project = app.coordination.projects().await.expect("projects")[0].id.0;
    for (body, needle) in [
        (
            json!({ "project_id": project, "title": "x", "type": "mandatory", "start": "2023-09-01", "end": "2023-08-01" }),
            "before the start",
        ),
        (
            json!({ "project_id": project, "title": "x", "type": "urgent" }),
            "unknown task type",
        ),
        (
            json!({ "project_id": project, "title": "x", "type": "mandatory", "end": "31.13.2023" }),
            "not a date",
        ),
        (
            json!({ "project_id": project, "title": "  ", "type": "mandatory" }),
            "needs a title",
        ),
        (
            json!({ "project_id": 999_999, "title": "x", "type": "mandatory" }),
            "no project",
        ),
    ] {
        let (status, error) = staff.send_json(Method::POST, "/api/v1/tasks", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(needle),
            "{error}"
        );
    }
    let (status, _) = staff
        .send_json(Method::POST, "/api/v1/tasks", json!({ "title": 5 }))
        .await;
    assert!(status.is_client_error());
    let id = app.task_id(KLIK_ADMIN).await;
    let (status, error) = staff
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{id}"),
            json!({ "type": "voluntary", "end": "2019-12-31", "reason": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("needs a reason")
    );
    let (_, after) = staff.get_json("/api/v1/tasks?limit=5000").await;
    assert_eq!(before, after, "nothing changed");
}

#[tokio::test]
async fn a_deadline_change_is_kept_in_the_history_and_raised_as_an_event() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.api_client("staff").await;
    let id = app.task_id(KLIK_ADMIN).await;
    let (status, changed) = staff
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{id}"),
            json!({ "type": "mandatory", "end": "2019-10-31", "reason": "Flere kommuner har bedt om mere tid" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["end"], "2019-10-31");
    let (_, detail) = app
        .api_client("user-101")
        .await
        .get_json(&format!("/api/v1/tasks/{id}"))
        .await;
    let change = &detail["history"][0];
    assert_eq!(change["field"], "end");
    assert_eq!(change["before"], "2019-09-30");
    assert_eq!(change["after"], "2019-10-31");
    assert_eq!(change["by"], "staff");
    assert_eq!(change["reason"], "Flere kommuner har bedt om mere tid");

    let events = app
        .coordination
        .events_after(0, 10_000)
        .await
        .expect("events");
    let event = events
        .iter()
        .rev()
        .find(|e| e.kind == "task.changed")
        .expect("a change event");
    assert_eq!(event.task_id.map(|t| t.0), Some(id));
    assert_eq!(event.payload["fields"], serde_json::json!(["end"]));
}

#[tokio::test]
async fn questions_are_answered_checked_and_required_before_completion() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (_, project) = staff
        .send_json(Method::POST, "/api/v1/projects", json!({ "name": "DOS" }))
        .await;
    let (_, task) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project["id"], "code": "SoCo1", "title": "Lokalisér relevante fordringstyper", "type": "mandatory" }),
        )
        .await;
    let id = task["id"].as_i64().expect("id");
    let (status, question) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": "Relevante fordringstyper", "kind": "multiple_choice", "options": ["KTTIBAK", "KTNEBOF", "KTBRFLX"], "required": true }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{question}");
    let (status, error) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": "x", "kind": "multiple_choice", "options": ["a"] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("at least two options")
    );
    staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    let (status, _) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": "Sent", "kind": "text" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "questions are fixed once published"
    );

    let question_id = question["id"].as_i64().expect("id");
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let user = app.api_client("user-751").await;
    let status_path = format!("/api/v1/tasks/{id}/municipalities/{aarhus}/status");
    user.send_json(Method::PUT, &status_path, json!({ "status": "started" }))
        .await;
    let (status, error) = user
        .send_json(Method::PUT, &status_path, json!({ "status": "completed" }))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a required question is unanswered"
    );
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("required question")
    );

    let answers_path = format!("/api/v1/tasks/{id}/municipalities/{aarhus}/answers");
    let (status, error) = user
        .send_json(
            Method::PUT,
            &answers_path,
            json!({ "answers": [{ "question_id": question_id, "values": ["KTFOO"] }] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("KTFOO")
    );
    let (status, saved) = user
        .send_json(Method::PUT, &answers_path, json!({ "answers": [{ "question_id": question_id, "values": ["KTBRFLX", "KTTIBAK"] }] }))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved[0]["values"], json!(["KTTIBAK", "KTBRFLX"]));
    let (status, _) = user
        .send_json(Method::PUT, &status_path, json!({ "status": "completed" }))
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, _) = user
        .get_json(&format!(
            "/api/v1/tasks/{id}/municipalities/{odense}/answers"
        ))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another municipality's answers are not readable"
    );
    let (status, _) = user
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/municipalities/{odense}/answers"),
            json!({ "answers": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, summary) = staff
        .get_json(&format!("/api/v1/tasks/{id}/answers/summary"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(summary[0]["answered"], 1);
    assert_eq!(
        summary[0]["counts"][0],
        json!({ "value": "KTTIBAK", "count": 1 })
    );
    assert_eq!(
        summary[0]["counts"][1],
        json!({ "value": "KTNEBOF", "count": 0 })
    );
    let (status, _) = user
        .get_json(&format!("/api/v1/tasks/{id}/answers/summary"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn comments_stay_within_the_municipality_and_closed_tasks_are_frozen() {
    let app = TestApp::start_with_tasks().await;
    let id = app.task_id(KLIK_ADMIN).await;
    let aarhus = app.org_id("municipality-751").await;
    let odense = app.org_id("municipality-461").await;
    let aarhus_user = app.api_client("user-751").await;
    let path = format!("/api/v1/tasks/{id}/municipalities/{aarhus}/comments");
    let (status, comment) = aarhus_user
        .send_json(
            Method::POST,
            &path,
            json!({ "body": "Vi mangler adgang til <modulet>" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{comment}");
    assert_eq!(comment["municipality"], "Aarhus");
    let (status, error) = aarhus_user
        .send_json(Method::POST, &path, json!({ "body": "   " }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("comment")
    );

    let odense_user = app.api_client("user-461").await;
    let (status, _) = odense_user.get_json(&path).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "Odense cannot read Aarhus' comments"
    );
    let (_, own) = odense_user
        .get_json(&format!(
            "/api/v1/tasks/{id}/municipalities/{odense}/comments"
        ))
        .await;
    assert_eq!(own, json!([]));
    let (_, seen_by_staff) = app.api_client("staff").await.get_json(&path).await;
    assert_eq!(seen_by_staff[0]["body"], "Vi mangler adgang til <modulet>");

    let browser = app.signed_in("user-461").await;
    let (_, html) = browser.get_text(&format!("/opgaver/{id}")).await;
    assert!(
        !html.contains("Vi mangler adgang"),
        "not on Odense's page either"
    );
    let staff = app.signed_in("staff").await;
    let (_, html) = staff.get_text(&format!("/opgaver/{id}")).await;
    assert!(html.contains("Vi mangler adgang til &lt;modulet&gt;"));

    let (status, closed) = app
        .api_client("staff")
        .await
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/close"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["counts"]["completed"], 35, "the record stays");
    let (status, _) = aarhus_user
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/municipalities/{aarhus}/status"),
            json!({ "status": "started", "reason": "x" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a closed task takes no status changes"
    );
    let (status, _) = aarhus_user
        .send_json(Method::POST, &path, json!({ "body": "For sent" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_status_tables_come_as_files_through_the_api() {
    let app = TestApp::start_with_tasks().await;
    let staff = app.api_client("staff").await;
    let response = staff
        .get("/api/v1/exports/status?format=csv&q=oces3&region=Region%20Nordjylland")
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(
        response.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let csv = response.text().await.expect("text");
    assert!(
        csv.lines().next().unwrap_or_default().contains("Fuldført"),
        "{csv}"
    );
    assert!(
        csv.lines().any(|l| l.ends_with(";11")),
        "Nordjylland's 11: {csv}"
    );

    let english = staff
        .get("/api/v1/exports/progress/omraader?format=csv&lang=en")
        .await
        .text()
        .await
        .expect("text");
    assert!(english.contains("Business area"), "{english}");
    assert!(
        english
            .lines()
            .any(|l| l.contains("Bibliotek") && l.contains(";29")),
        "{english}"
    );

    let task = app.task_id(OCES3).await;
    let xlsx = staff
        .get(&format!("/api/v1/exports/tasks/{task}?format=xlsx"))
        .await;
    assert_eq!(xlsx.status(), reqwest::StatusCode::OK);
    assert!(xlsx.bytes().await.expect("bytes").starts_with(b"PK"));

    // Unknown formats and tables are told apart from missing things.
    let (status, body) = staff.get_json("/api/v1/exports/status?format=pdf").await;
    assert_eq!(status, reqwest::StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("csv or xlsx")
    );
    let (status, _) = staff
        .get_json("/api/v1/exports/progress/ukendt?format=csv")
        .await;
    assert_eq!(status, reqwest::StatusCode::BAD_REQUEST);

    // A municipality gets the national overview, but not another's answers.
    let aarhus = app.api_client("user-751").await;
    assert_eq!(
        aarhus
            .get("/api/v1/exports/status?format=csv")
            .await
            .status(),
        reqwest::StatusCode::OK
    );
    assert_eq!(
        aarhus
            .get(&format!("/api/v1/exports/tasks/{task}?format=csv"))
            .await
            .status(),
        reqwest::StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_nul_character_is_a_clear_refusal_or_plain_text_never_a_server_error() {
    // PostgreSQL refuses NUL in text where SQLite keeps it; either way the
    // client gets an answer about its input, not a 500.
    let app = TestApp::start_with_tasks().await;
    let aarhus = app.api_client("user-751").await;
    let response = aarhus.get("/api/v1/tasks?q=%00").await;
    assert!(
        !response.status().is_server_error(),
        "{}",
        response.status()
    );
    let task = app.task_id(OCES3).await;
    let org = app.org_id("municipality-751").await;
    let (status, _) = aarhus
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{task}/municipalities/{org}/comments"),
            json!({ "body": "før\u{0}efter" }),
        )
        .await;
    assert!(!status.is_server_error(), "{status}");
}
