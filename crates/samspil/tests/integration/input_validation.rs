//! Hostile or careless input through the API and the pages: a partial
//! PATCH, unknown fields, over-long and invisible text, NUL, wildcards in a
//! search, unknown ids and impossible years. Each is refused with a clear
//! message and changes nothing, or does exactly what it says.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{ApiClient, TestApp, csrf_in};

fn message(error: &Value) -> &str {
    error["error"]["message"].as_str().unwrap_or_default()
}

/// A project of all municipalities and a draft task in it.
async fn project_and_draft(staff: &ApiClient, task: Value) -> (i64, i64) {
    let (status, project) = staff
        .send_json(
            Method::POST,
            "/api/v1/projects",
            json!({ "name": "Indtastning" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{project}");
    let project = project["id"].as_i64().expect("project id");
    let mut body = json!({ "project_id": project, "type": "mandatory" });
    for (key, value) in task.as_object().expect("an object") {
        body[key] = value.clone();
    }
    let (status, task) = staff.send_json(Method::POST, "/api/v1/tasks", body).await;
    assert_eq!(status, StatusCode::OK, "{task}");
    (project, task["id"].as_i64().expect("task id"))
}

#[tokio::test]
async fn a_patch_changes_only_the_fields_it_names_and_null_clears() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (_, id) = project_and_draft(
        &staff,
        json!({ "title": "Frist", "start": "2026-01-05", "end": "2026-03-31", "period_text": "Uge 2" }),
    )
    .await;
    let (status, _) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/api/v1/tasks/{id}");

    let (status, changed) = staff
        .send_json(
            Method::PATCH,
            &path,
            json!({ "type": "voluntary", "reason": "Frivillig fra nu" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["type"], "voluntary");
    assert_eq!(changed["start"], "2026-01-05", "absent means unchanged");
    assert_eq!(changed["end"], "2026-03-31");
    assert_eq!(changed["period_text"], "Uge 2");
    let (_, detail) = staff.get_json(&path).await;
    let fields: Vec<&str> = detail["history"]
        .as_array()
        .expect("a history")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["type"], "only the type is told as changed");

    let (status, changed) = staff
        .send_json(
            Method::PATCH,
            &path,
            json!({ "period_text": null, "reason": "Ugen gælder ikke mere" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["period_text"], Value::Null, "null clears");
    assert_eq!(changed["type"], "voluntary");
    assert_eq!(changed["end"], "2026-03-31");

    // The rules hold for the schedule after the change.
    let (status, error) = staff
        .send_json(
            Method::PATCH,
            &path,
            json!({ "end": "2025-12-31", "reason": "Tidligere" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(message(&error).contains("before the start"), "{error}");
    let (_, after) = staff.get_json(&path).await;
    assert_eq!(after["task"]["end"], "2026-03-31", "nothing changed");
}

/// The body an operation of the OpenAPI document takes, with one field
/// no schema has: an object, or a list of one such object.
fn body_with_surplus_field(operation: &Value) -> Option<Value> {
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    if schema.is_null() {
        return None;
    }
    let object = json!({ "surplus_field": true });
    Some(match schema["type"].as_str() {
        Some("array") => json!([object]),
        _ => object,
    })
}

#[tokio::test]
async fn every_json_body_refuses_a_field_it_does_not_know() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (_, document) = staff.get_json("/api/v1/openapi.json").await;
    let mut checked = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        // The vendor systems' door takes a system's credential, not a
        // person's token: its bodies are checked in citizen_cases.rs.
        if path.starts_with("/api/v1/borger/") {
            continue;
        }
        for (method, operation) in item.as_object().expect("operations") {
            let Some(body) = body_with_surplus_field(operation) else {
                continue;
            };
            let method: Method = method.to_uppercase().parse().expect("a method");
            // Any id will do: the body is read before anything is looked up.
            let concrete = path
                .split('/')
                .map(|part| match part.starts_with('{') {
                    true => "1",
                    false => part,
                })
                .collect::<Vec<_>>()
                .join("/");
            let (status, error) = staff.send_json(method.clone(), &concrete, body).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path}: {error}"
            );
            assert_eq!(error["error"]["code"], "invalid", "{method} {path}");
            assert!(
                message(&error).contains("surplus_field"),
                "{method} {path} names the field: {error}"
            );
            checked.push(format!("{method} {path}"));
        }
    }
    assert!(
        checked.len() >= 19,
        "every JSON route is checked: {checked:?}"
    );
    assert!(checked.contains(&"PUT /api/v1/tasks/{id}/assignee".to_owned()));

    // Inside a body too: the audience of a message, an answer.
    for (method, path, body) in [
        (
            Method::POST,
            "/api/v1/messages",
            json!({ "category": "news", "subject": "s", "body": "b",
                    "audience": { "kind": "everyone", "surplus_field": 1 } }),
        ),
        (
            Method::PUT,
            "/api/v1/tasks/1/municipalities/1/answers",
            json!({ "answers": [{ "question_id": 1, "values": [], "surplus_field": 1 }] }),
        ),
    ] {
        let (status, error) = staff.send_json(method, path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {error}");
        assert!(message(&error).contains("surplus_field"), "{error}");
    }
}

#[tokio::test]
async fn a_misspelt_assignee_field_does_not_take_the_task_back() {
    let app = TestApp::start_with_roles().await;
    let user = app.api_client("user-751").await;
    let (_, tasks) = user.get_json("/api/v1/tasks?limit=1").await;
    let task = tasks[0]["id"].as_i64().expect("a task");
    let (_, roles) = user.get_json("/api/v1/roles").await;
    let role = roles
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == "KOMBIT-programleder")
        .and_then(|r| r["id"].as_i64())
        .expect("the role");
    let path = format!("/api/v1/tasks/{task}/assignee");
    let (status, _) = user
        .send_json(Method::PUT, &path, json!({ "role_id": role }))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, error) = user
        .send_json(Method::PUT, &path, json!({ "roleId": role }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(message(&error).contains("roleId"), "{error}");
    let (_, tasks) = user.get_json("/api/v1/tasks?limit=1").await;
    assert_eq!(tasks[0]["assignee"], "KOMBIT-programleder", "unchanged");
}

#[tokio::test]
async fn over_long_texts_are_refused_everywhere_they_enter() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (project, id) = project_and_draft(&staff, json!({ "title": "Lang" })).await;
    let long = |n: usize| "x".repeat(n);
    let cases = [
        (
            "/api/v1/tasks".to_owned(),
            json!({ "project_id": project, "type": "mandatory", "title": "t", "description": long(50_001) }),
            "description",
        ),
        (
            "/api/v1/tasks/local".to_owned(),
            json!({ "project_id": project, "type": "mandatory", "title": "t", "involved_roles": long(2_001) }),
            "involved_roles",
        ),
        (
            "/api/v1/projects".to_owned(),
            json!({ "name": "p", "description": long(50_001) }),
            "description",
        ),
        (
            "/api/v1/projects".to_owned(),
            json!({ "name": long(201) }),
            "name",
        ),
        (
            format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": long(40_000), "kind": "text" }),
            "prompt",
        ),
        (
            format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": "p", "kind": "single_choice", "options": ["a", long(501)] }),
            "options",
        ),
    ];
    for (path, body, field) in cases {
        // A local task is a municipality's: its administrator writes it.
        let client = match path.ends_with("/local") {
            true => app.api_client("admin-751").await,
            false => app.api_client("staff").await,
        };
        let (status, error) = client.send_json(Method::POST, &path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {error}");
        assert!(
            message(&error).contains(field) && message(&error).contains("at most"),
            "{path}: {error}"
        );
    }
    let (_, questions) = staff
        .get_json(&format!("/api/v1/tasks/{id}/questions"))
        .await;
    assert_eq!(questions, json!([]), "nothing was added");
}

#[tokio::test]
async fn an_over_long_description_is_refused_above_the_page_form_in_danish() {
    let app = TestApp::start_with_tasks().await;
    let browser = app.signed_in("staff").await;
    let (_, html) = browser.get_text("/opgaver/ny").await;
    let token = csrf_in(&html).expect("token");
    let project = app.coordination.projects().await.expect("projects")[0]
        .id
        .0
        .to_string();
    let description = "x".repeat(50_001);
    let response = browser
        .post_form(
            "/opgaver/ny",
            &[
                ("csrf_token", &token),
                ("project_id", &project),
                ("title", "For lang"),
                ("description", &description),
                ("type", "mandatory"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("a page");
    assert!(
        html.contains("Beskrivelsen må højst være 50.000 tegn."),
        "the refusal is shown in Danish"
    );
    assert!(
        html.contains("id=\"new-description-error\""),
        "at the description"
    );
}

#[tokio::test]
async fn an_answer_over_excels_cell_limit_still_exports() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (_, id) = project_and_draft(&staff, json!({ "title": "Mange valg" })).await;
    // 80 options of 450 characters: within the limits, but all of them
    // ticked are more than the 32,767 characters an Excel cell holds.
    let options: Vec<String> = (0..80)
        .map(|i| format!("{i:03}{}", "y".repeat(447)))
        .collect();
    let (status, question) = staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": "Vælg", "kind": "multiple_choice", "options": options }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{question}");
    staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    let aarhus = app.org_id("municipality-751").await;
    let (status, saved) = app
        .api_client("user-751")
        .await
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{id}/municipalities/{aarhus}/answers"),
            json!({ "answers": [{ "question_id": question["id"], "values": options }] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    for format in ["xlsx", "csv"] {
        let response = staff
            .get(&format!("/api/v1/exports/tasks/{id}?format={format}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        let bytes = response.bytes().await.expect("a file");
        if format == "csv" {
            let text = String::from_utf8_lossy(&bytes);
            let longest = text
                .split([';', '\n'])
                .map(|field| field.chars().count())
                .max()
                .unwrap_or_default();
            assert!(longest <= 32_767 + 2, "cut to Excel's limit: {longest}");
            assert!(text.contains("[…]"), "the cut is marked");
        }
    }
}

#[tokio::test]
async fn nul_and_invisible_only_text_is_refused_on_every_backend() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (project, id) = project_and_draft(&staff, json!({ "title": "Synlig" })).await;
    let invisible = "\u{200B}\u{FEFF} \u{2060}\u{200E}\u{202E}\u{2069}";
    let cases = [
        (
            "/api/v1/tasks".to_owned(),
            json!({ "project_id": project, "type": "mandatory", "title": "a\u{0}b" }),
            "NUL",
        ),
        (
            "/api/v1/tasks".to_owned(),
            json!({ "project_id": project, "type": "mandatory", "title": "t", "description": "a\u{0}" }),
            "NUL",
        ),
        (
            "/api/v1/tasks".to_owned(),
            json!({ "project_id": project, "type": "mandatory", "title": invisible }),
            "title",
        ),
        (
            "/api/v1/projects".to_owned(),
            json!({ "name": invisible }),
            "name",
        ),
        (
            "/api/v1/projects".to_owned(),
            json!({ "name": "n\u{0}" }),
            "NUL",
        ),
        (
            format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": invisible, "kind": "text" }),
            "prompt",
        ),
        (
            format!("/api/v1/tasks/{id}/questions"),
            json!({ "prompt": "p", "kind": "single_choice", "options": ["a", invisible] }),
            "options",
        ),
        (
            "/api/v1/roles".to_owned(),
            json!({ "name": invisible }),
            "name",
        ),
        (
            "/api/v1/messages".to_owned(),
            json!({ "category": "news", "subject": "s", "body": "b\u{0}",
                    "audience": { "kind": "everyone" } }),
            "NUL",
        ),
        (
            "/api/v1/contact-lists".to_owned(),
            json!({ "name": invisible }),
            "name",
        ),
    ];
    for (path, body, needle) in cases {
        let (status, error) = staff.send_json(Method::POST, &path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {error}");
        assert_eq!(error["error"]["code"], "invalid", "{path}: {error}");
        assert!(message(&error).contains(needle), "{path}: {error}");
    }

    // A municipality's own texts: a comment, a reason, an answer.
    staff
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{id}/publish"),
            json!({}),
        )
        .await;
    let aarhus = app.org_id("municipality-751").await;
    let user = app.api_client("user-751").await;
    let base = format!("/api/v1/tasks/{id}/municipalities/{aarhus}");
    for body in [json!({ "body": invisible }), json!({ "body": "a\u{0}" })] {
        let (status, error) = user
            .send_json(Method::POST, &format!("{base}/comments"), body)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    }
    user.send_json(
        Method::PUT,
        &format!("{base}/status"),
        json!({ "status": "started" }),
    )
    .await;
    let (status, error) = user
        .send_json(
            Method::PUT,
            &format!("{base}/status"),
            json!({ "status": "not_started", "reason": invisible }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(message(&error).contains("reason"), "{error}");
    let (_, comments) = user.get_json(&format!("{base}/comments")).await;
    assert_eq!(comments, json!([]), "nothing was written");

    // A search is a free text too.
    let (status, error) = staff.get_json("/api/v1/tasks?q=a%00b").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(message(&error).contains("NUL"), "{error}");
}

#[tokio::test]
async fn percent_and_underscore_in_a_search_are_letters() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (project, _) = project_and_draft(&staff, json!({ "title": "Opgave 100% digital" })).await;
    let (status, _) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "type": "mandatory", "title": "Opgave_med_streg" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "type": "mandatory", "title": "Skråstreg a\\b" }),
        )
        .await;
    let titles = async |q: &str| -> Vec<String> {
        let (status, found) = staff
            .get_json(&format!("/api/v1/tasks?q={}", urlencode(q)))
            .await;
        assert_eq!(status, StatusCode::OK, "{found}");
        found
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|t| t["title"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(titles("%").await, vec!["Opgave 100% digital"]);
    assert_eq!(titles("_").await, vec!["Opgave_med_streg"]);
    assert_eq!(titles("e_m").await, vec!["Opgave_med_streg"]);
    assert!(titles("o_g").await.is_empty(), "_ is not any letter");
    assert_eq!(titles("a\\b").await, vec!["Skråstreg a\\b"]);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn unknown_ids_in_a_path_are_404() {
    let app = TestApp::start_with_roles().await;
    let staff = app.api_client("staff").await;
    let user = app.api_client("user-751").await;
    let aarhus = app.org_id("municipality-751").await;
    let task = app
        .coordination
        .tasks(&samspil_coordination_storage::TaskFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .expect("tasks")[0]
        .id
        .0;
    let unknown = 999_999;
    let reads = [
        format!("/api/v1/roles/{unknown}/holders"),
        format!("/api/v1/tasks/{unknown}"),
        format!("/api/v1/tasks/{unknown}/status"),
        format!("/api/v1/tasks/{unknown}/questions"),
        format!("/api/v1/tasks/{unknown}/attachments"),
        format!("/api/v1/tasks/{unknown}/answers/summary"),
        format!("/api/v1/tasks/{unknown}/municipalities/{aarhus}/answers"),
        format!("/api/v1/tasks/{unknown}/municipalities/{aarhus}/comments"),
        format!("/api/v1/tasks/{task}/municipalities/{unknown}/answers"),
        format!("/api/v1/exports/tasks/{unknown}?format=csv"),
        format!("/api/v1/contact-lists/{unknown}/entries"),
        format!("/api/v1/municipalities/{unknown}/role-assignments"),
        format!("/api/v1/municipalities/{unknown}/role-gaps"),
    ];
    let mut found = Vec::new();
    for path in &reads {
        let (status, body) = staff.get_json(path).await;
        if status != StatusCode::NOT_FOUND {
            found.push(format!("staff GET {path}: {status} {body}"));
        }
    }
    for path in [
        format!("/api/v1/tasks/{unknown}/municipalities/{aarhus}/answers"),
        format!("/api/v1/tasks/{unknown}/municipalities/{aarhus}/comments"),
        format!("/api/v1/tasks/{unknown}/questions"),
    ] {
        let (status, body) = user.get_json(&path).await;
        if status != StatusCode::NOT_FOUND {
            found.push(format!("user GET {path}: {status} {body}"));
        }
    }
    let writes = [
        (
            Method::PUT,
            format!("/api/v1/roles/{unknown}"),
            json!({ "name": "Ingen" }),
        ),
        (
            Method::PATCH,
            format!("/api/v1/tasks/{unknown}"),
            json!({ "type": "voluntary" }),
        ),
        (
            Method::POST,
            format!("/api/v1/tasks/{unknown}/publish"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/tasks/{unknown}/close"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/tasks/{unknown}/questions"),
            json!({ "prompt": "p", "kind": "text" }),
        ),
        (
            Method::PUT,
            format!("/api/v1/tasks/{unknown}/municipalities/{aarhus}/answers"),
            json!({ "answers": [] }),
        ),
        (
            Method::POST,
            format!("/api/v1/contact-lists/{unknown}/entries"),
            json!({ "name": "n" }),
        ),
    ];
    for (method, path, body) in writes {
        let (status, answer) = staff.send_json(method.clone(), &path, body).await;
        if status != StatusCode::NOT_FOUND {
            found.push(format!("staff {method} {path}: {status} {answer}"));
        }
    }
    assert!(found.is_empty(), "not 404: {found:#?}");
}

#[tokio::test]
async fn years_outside_1900_to_2200_are_refused_with_a_clear_message() {
    let app = TestApp::start().await;
    let staff = app.api_client("staff").await;
    let (project, _) = project_and_draft(&staff, json!({ "title": "Datoer" })).await;
    for (field, date) in [
        ("start", "0000-01-01"),
        ("end", "1899-12-31"),
        ("end", "01.01.2201"),
        ("end", "2201-01-01"),
    ] {
        let mut body = json!({ "project_id": project, "type": "mandatory", "title": "t" });
        body[field] = json!(date);
        let (status, error) = staff.send_json(Method::POST, "/api/v1/tasks", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{date}: {error}");
        assert!(
            message(&error).contains(field) && message(&error).contains("1900 and 2200"),
            "{date}: {error}"
        );
    }
    let (status, _) = staff
        .send_json(
            Method::POST,
            "/api/v1/tasks",
            json!({ "project_id": project, "type": "mandatory", "title": "t",
                    "start": "1900-01-01", "end": "2200-12-31" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the first and last years are fine");

    let (status, error) = staff.get_json("/api/v1/tasks?from=0000-01-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(message(&error).contains("1900 and 2200"), "{error}");
    let browser = app.signed_in("user-751").await;
    // A bad date in a page's address is a Danish 400 page that still shows
    // who is signed in; a date as Danes write it is simply a date.
    let (status, html) = browser.get_text("/status?from=0000-01-01").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("året skal ligge mellem 1900 og 2200"),
        "{html}"
    );
    assert!(!html.contains("the year must be"), "{html}");
    assert!(html.contains("samspil-logout"), "still signed in");
    let (status, html) = browser.get_text("/status?from=i%20morgen").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("»i morgen« er ikke en dato. Skriv datoen som dd.mm.åååå"),
        "{html}"
    );
    assert!(!html.contains("is not a date"), "{html}");
    for from in ["01.06.2023", "1.6.2023", "2023-06-01"] {
        let (status, html) = browser.get_text(&format!("/status?from={from}")).await;
        assert_eq!(status, StatusCode::OK, "{from}");
        assert!(
            html.contains("value=\"01.06.2023\""),
            "{from}: the filter shows it as typed Danishly"
        );
    }
}
